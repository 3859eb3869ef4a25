// Range rings from a prepared boundary (issue 11): the cost of preparing the firing boundary
// once (analysis::RingBoundary) and of each ring distance built from it, on a generated
// workload's front line and occupied polygon, ranges from both (the default configuration).
//
// usage: orefront_rings_bench [GPKG] [THREADS]
//   GPKG     a ../shared/bench/gen_workload.py output (default
//            $OREFRONT_BENCH_DATA/w_100000_200000.gpkg, $OREFRONT_BENCH_DATA defaulting to
//            /tmp/bench_data)
//   THREADS  workers for preparing and building (default 2; 0: one per core)
// Prints wall and CPU seconds per step, the machine's load average before and after. Each ring
// distance is built 3 times, alternately with the 2 km base's route (RingBoundary::
// buildFromNarrowestBase, as before issue 11's wider bases); the medians are printed.
#include "orefront/analysis/rings.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/project.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

using namespace orefront;

namespace {

struct Clock {
    std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
    std::clock_t cpu = std::clock();
    double wallS() const {
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
    }
    double cpuS() const { return double(std::clock() - cpu) / CLOCKS_PER_SEC; }
};

std::string loadAverage() {
    std::ifstream f("/proc/loadavg");
    std::string a, b, c;
    f >> a >> b >> c;
    return a + " " + b + " " + c;
}

} // namespace

int main(int argc, char **argv) {
    const char *dataDir = std::getenv("OREFRONT_BENCH_DATA");
    const std::string file =
        argc > 1 ? argv[1]
                 : std::string(dataDir && *dataDir ? dataDir : "/tmp/bench_data") + "/w_100000_200000.gpkg";
    const unsigned threads = argc > 2 ? unsigned(std::atoi(argv[2])) : 2;
    io::initGdal();
    std::printf("load average before: %s\n", loadAverage().c_str());
    model::Scenario s;
    s.name = "rings bench";
    for (const auto &[id, role, layer] : {std::tuple{"occupied", model::LayerRole::Hostile, "occupied"},
                                          std::tuple{"front", model::LayerRole::Front, "frontline"}}) {
        model::LayerSpec spec;
        spec.id = spec.name = id;
        spec.role = role;
        spec.source = file + "|layername=" + layer;
        s.layers.push_back(spec);
    }
    model::Project project;
    try {
        project = io::loadProject(s);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "orefront_rings_bench: %s\n", e.what());
        return 1;
    }
    const auto inputs = project.analysisInputs();
    std::size_t raw = 0;
    for (const auto &h : inputs.hostile)
        for (const auto &f : h.layer->features) {
            for (const auto &l : f.geometry.lines)
                raw += l.size();
            for (const auto &p : f.geometry.polygons)
                for (const auto &r : p.rings)
                    raw += r.size();
        }

    Clock prep;
    const analysis::RingBoundary boundary(inputs.hostile, analysis::kRingToleranceM, threads);
    std::printf("%s: %zu boundary vertices, prepared (tolerance %.0f m) to %zu in %.3f s wall, %.3f s CPU "
                "(%u threads)\n",
                file.c_str(), raw, boundary.toleranceM(), boundary.vertexCount(), prep.wallS(), prep.cpuS(),
                threads);
    // Each distance built as now (widened from the cells' widest base of at most half the
    // distance) and as before issue 11's wider bases (from the 2 km base), alternately, so both
    // see the same load.
    std::printf(
        "| ring km | build wall ms (median of 3) | CPU ms | vertices | from the 2 km base: wall ms | CPU "
        "ms | vertices |\n|---|---|---|---|---|---|---|\n");
    for (const double km : {20.0, 40.0, 80.0, 100.0, 120.0}) {
        std::vector<std::pair<double, double>> runs[2];
        std::size_t vertices[2] = {0, 0};
        for (int i = 0; i < 3; ++i)
            for (int before = 0; before < 2; ++before) {
                Clock c;
                const auto ring = before ? boundary.buildFromNarrowestBase({km}, threads).front()
                                         : boundary.build(km, threads);
                runs[before].emplace_back(c.wallS() * 1000, c.cpuS() * 1000);
                vertices[before] = 0;
                for (const auto &p : ring.area.polygons)
                    for (const auto &r : p.rings)
                        vertices[before] += r.size();
            }
        for (auto &r : runs)
            std::sort(r.begin(), r.end());
        std::printf("| %.0f | %.1f | %.1f | %zu | %.1f | %.1f | %zu |\n", km, runs[0][1].first,
                    runs[0][1].second, vertices[0], runs[1][1].first, runs[1][1].second, vertices[1]);
    }
    Clock all;
    const auto three = boundary.build({20, 40, 80}, threads);
    std::printf("rings 20, 40, 80 together: %.1f ms wall, %.1f ms CPU\n", all.wallS() * 1000,
                all.cpuS() * 1000);
    std::printf("load average after: %s\n", loadAverage().c_str());
    return three.size() == 3 ? 0 : 1;
}
