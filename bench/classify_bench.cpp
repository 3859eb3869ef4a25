// Google Benchmark of the classification alone, over the generated workloads
// (../shared/bench/gen_workload.py: N deposits, a front line of V vertices, an occupied polygon).
//
//   Measure/N/V/threads:T   analysis::measure(): occupied + ellipsoidal distance to the front line
//                           (HostileIndex construction and the Morton sort included), as `analyze`
//                           reports it under "measure". threads:0 = hardware concurrency.
//   MeasureDefault/N/V/threads:T  the same on the default configuration, ranges measured from the
//                           occupied polygon's boundary too (its closing path has 100-300 km edges).
//   HostileIndex/V          building the distance and area indexes alone.
//   RulesEvaluate/N         rules::evaluate() without details: what the viewer reruns on each
//                           slider move (target < 100 ms at 100k deposits).
//   RulesUpdate/grade|ring/N  rules::update() of that report in place, as the viewer's rules
//                           worker does on a live edit: the grade cut-off moved between 2.0 and
//                           2.5 %, or the outer ring between 80 and 100 km, each iteration.
//   PolygonEdges/short|long/V  occupied + distance (AreaIndex + NearestSegments, as
//                           HostileIndex::query does) for 250k points on a 500 x 500 km grid
//                           against one polygon of V vertices: "short" spreads them evenly
//                           round a 250 km circle, "long" puts all but four on the western half
//                           and closes the ring with four edges of 130-250 km, as a coarse
//                           authored polygon or a state border does (issue 11: target <= 1.5x).
//   WriteReport/csv|gpkg/N  exporting::writeReport() of the default configuration's report of N
//                           deposits, the write stage alone (issue 11: CSV of 1M in <= 2 s), into
//                           a temporary directory removed afterwards.
//
// Workloads are read from $OREFRONT_BENCH_DATA (default /tmp/bench_data) as w_<N>_<V>.gpkg; a case
// whose file is absent is skipped with a message. Layers are loaded once per file (outside the
// timings) and dropped when the next file is needed, so at most one workload is resident.
// Counters: peak_rss_MB is the process high-water mark (getrusage), rss_MB the current resident
// size after the run (/proc/self/statm).
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/spatial_index.hpp"
#include "orefront/export/report_writer.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/project.hpp"
#include "orefront/rules/rules.hpp"

#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace {

using namespace orefront;

struct Case {
    std::size_t n, v;
};
// The grid: N deposits x V front-line vertices.
const Case kCases[] = {{10000, 2000}, {100000, 2000}, {1000000, 2000}, {100000, 200000}, {1000000, 200000}};

std::string dataDir() {
    const char *d = std::getenv("OREFRONT_BENCH_DATA");
    return d && *d ? d : "/tmp/bench_data";
}

std::string fileOf(const Case &c) {
    return "w_" + std::to_string(c.n) + "_" + std::to_string(c.v) + ".gpkg";
}

double peakRssMb() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_maxrss) / 1024.0; // kB on Linux
}

double currentRssMb() {
    long pages = 0, resident = 0;
    if (FILE *f = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2)
            resident = 0;
        std::fclose(f);
    }
    return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// One loaded workload: the project (which owns the layers) and what the benchmarks derive from it.
struct Workload {
    std::string file;
    model::Project rangeFromBoth; // the default configuration: ranges from the polygon too
    analysis::Inputs defaultInputs;
    model::Project project;
    analysis::Inputs inputs; // points into `project`
    std::vector<rules::DepositFacts> facts;
    std::optional<analysis::Measurements> measurements; // for RulesEvaluate, computed once
};

std::unique_ptr<Workload> g_workload; // at most one resident

model::Scenario scenarioFor(const std::string &file, bool rangeFromOccupied = false) {
    model::Scenario s = io::defaultScenario();
    s.name = "bench " + file;
    s.baseDir = dataDir();
    s.layers.clear();
    auto add = [&](const char *id, model::LayerRole role, const char *layer, bool rangeFrom) {
        model::LayerSpec spec;
        spec.id = id;
        spec.name = id;
        spec.role = role;
        spec.source = file + "|layername=" + layer;
        spec.rangeFrom = rangeFrom;
        s.layers.push_back(spec);
    };
    add("deposits", model::LayerRole::Deposits, "deposits", true);
    // As in the reference: the occupied zone decides `occupied`; ranges are measured to the line.
    add("occupied", model::LayerRole::Hostile, "occupied", rangeFromOccupied);
    add("front", model::LayerRole::Front, "frontline", true);
    return s;
}

Workload &workload(const std::string &file) {
    if (!g_workload || g_workload->file != file) {
        g_workload.reset(); // free the previous one first
        const auto t0 = std::chrono::steady_clock::now();
        auto w = std::make_unique<Workload>();
        w->file = file;
        w->project = io::loadProject(scenarioFor(file));
        w->inputs = w->project.analysisInputs();
        w->rangeFromBoth = io::loadProject(scenarioFor(file, true));
        w->defaultInputs = w->rangeFromBoth.analysisInputs();
        w->facts = rules::readFacts(*w->inputs.deposits, *w->project.specOf(model::LayerRole::Deposits));
        const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::fprintf(stderr, "loaded %s: %zu deposits in %.2f s (GDAL read + facts), RSS %.0f MB\n",
                     file.c_str(), w->inputs.deposits->features.size(), s, currentRssMb());
        g_workload = std::move(w);
    }
    return *g_workload;
}

void memoryCounters(benchmark::State &state) {
    state.counters["peak_rss_MB"] = peakRssMb();
    state.counters["rss_MB"] = currentRssMb();
}

void BM_Measure(benchmark::State &state, std::string file, bool rangeFromOccupied) {
    Workload &w = workload(file);
    const auto threads = static_cast<unsigned>(state.range(0));
    for (auto _ : state) {
        analysis::Measurements m = analysis::measure(rangeFromOccupied ? w.defaultInputs : w.inputs, threads);
        benchmark::DoNotOptimize(m.perDeposit.data());
    }
    const auto n = static_cast<std::int64_t>(w.inputs.deposits->features.size());
    state.SetItemsProcessed(state.iterations() * n);
    state.counters["deposits"] = static_cast<double>(n);
    memoryCounters(state);
}

void BM_HostileIndex(benchmark::State &state, std::string file) {
    Workload &w = workload(file);
    std::size_t segments = 0;
    for (auto _ : state) {
        analysis::HostileIndex idx(w.inputs.hostile);
        segments = idx.segmentCount();
        benchmark::DoNotOptimize(segments);
    }
    state.counters["segments"] = static_cast<double>(segments);
    memoryCounters(state);
}

void BM_RulesEvaluate(benchmark::State &state, std::string file) {
    Workload &w = workload(file);
    if (!w.measurements)
        w.measurements = analysis::measure(w.inputs, 0);
    for (auto _ : state) {
        rules::Report r = rules::evaluate(w.project.scenario, w.facts, *w.measurements, false);
        benchmark::DoNotOptimize(r.deposits.data());
    }
    const auto n = static_cast<std::int64_t>(w.facts.size());
    state.SetItemsProcessed(state.iterations() * n);
    state.counters["deposits"] = static_cast<double>(n);
    memoryCounters(state);
}

void BM_RulesUpdate(benchmark::State &state, std::string file, bool ring) {
    Workload &w = workload(file);
    if (!w.measurements)
        w.measurements = analysis::measure(w.inputs, 0);
    model::Scenario a = w.project.scenario, b = a;
    if (ring)
        b.thresholds.ringsKm = {20, 40, 100};
    else
        b.thresholds.gradeCutoffPct = a.thresholds.gradeCutoffPct + 0.5;
    rules::Report r = rules::evaluate(a, w.facts, *w.measurements, false);
    bool atA = true;
    for (auto _ : state) {
        const bool ok = rules::update(r, (atA ? a : b).thresholds, atA ? b : a, w.facts, *w.measurements);
        benchmark::DoNotOptimize(ok);
        atA = !atA;
    }
    const auto n = static_cast<std::int64_t>(w.facts.size());
    state.SetItemsProcessed(state.iterations() * n);
    state.counters["deposits"] = static_cast<double>(n);
}

void BM_WriteReport(benchmark::State &state, std::string file, exporting::Format format) {
    namespace fs = std::filesystem;
    Workload &w = workload(file);
    const analysis::Measurements m = analysis::measure(w.defaultInputs, 0);
    const rules::Report report = rules::evaluate(w.rangeFromBoth.scenario, w.facts, m, false);
    const exporting::ReportInput in{&w.rangeFromBoth.scenario, w.defaultInputs.deposits, &m, &report};
    const fs::path dir = fs::temp_directory_path() / ("orefront_write_bench_" + std::to_string(getpid()));
    fs::create_directories(dir);
    const std::string out =
        (dir / (format == exporting::Format::Csv ? "report.csv" : "report.gpkg")).string();
    for (auto _ : state) {
        state.PauseTiming();
        for (const auto &e : fs::directory_iterator(dir))
            fs::remove(e.path());
        state.ResumeTiming();
        exporting::writeReport(in, out, format);
    }
    state.counters["MB"] = static_cast<double>(fs::file_size(out)) / (1024.0 * 1024.0);
    fs::remove_all(dir);
    const auto n = static_cast<std::int64_t>(w.facts.size());
    state.SetItemsProcessed(state.iterations() * n);
    memoryCounters(state);
}

// A ring of `v` vertices round (36 E, 48 N), radius about 250 km; `longEdges`: all but four
// vertices on the western half circle, the eastern half closed by four long edges.
model::Polygon edgePolygon(std::size_t v, bool longEdges) {
    const double cx = 36.0, cy = 48.0, ry = 250.0 / 111.2, rx = ry / std::cos(cy * M_PI / 180.0);
    model::Path ring;
    const std::size_t dense = longEdges ? v - 4 : v;
    const double span = longEdges ? M_PI : 2 * M_PI; // west half: angles pi/2 .. 3pi/2
    const double from = longEdges ? M_PI / 2 : 0.0;
    for (std::size_t i = 0; i < dense; ++i) {
        const double a =
            from + span * static_cast<double>(i) / static_cast<double>(longEdges ? dense - 1 : dense);
        ring.push_back({cx + rx * std::cos(a), cy + ry * std::sin(a)});
    }
    if (longEdges)
        for (double a : {-M_PI / 4, 0.0, M_PI / 4}) // three more vertices, four long edges back to the start
            ring.push_back({cx + rx * std::cos(a), cy + ry * std::sin(a)});
    ring.push_back(ring.front());
    model::Polygon p;
    p.rings.push_back(std::move(ring));
    return p;
}

void BM_PolygonEdges(benchmark::State &state, bool longEdges) {
    const auto v = static_cast<std::size_t>(state.range(0));
    const model::Polygon poly = edgePolygon(v, longEdges);
    analysis::AreaIndex area;
    area.addPolygon(poly);
    area.build();
    analysis::NearestSegments edges;
    edges.addPath(poly.rings[0]);
    edges.build();
    // 500 x 500 points, row by row (consecutive queries are neighbours, as after measure()'s sort).
    std::vector<model::LonLat> points;
    for (int r = 0; r < 500; ++r)
        for (int c = 0; c < 500; ++c)
            points.push_back({36.0 + (c - 250) * 0.0135, 48.0 + (r - 250) * 0.009});
    double sum = 0;
    for (auto _ : state) {
        std::uint32_t hint = UINT32_MAX;
        for (const auto &p : points) {
            if (area.contains(p))
                continue;
            const auto hit = edges.nearest(p, hint);
            hint = hit->segment;
            sum += hit->distanceM;
        }
    }
    benchmark::DoNotOptimize(sum);
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(points.size()));
    state.counters["segments"] = static_cast<double>(edges.size());
}

// The deposits layer read into a model::Layer, through OGR or through the fast GeoPackage reader
// (OREFRONT_GPKG_READER; core/src/io/gpkg_fast_reader.hpp): the read alone, in the same process.
void BM_LoadDeposits(benchmark::State &state, std::string file, const char *reader) {
    g_workload.reset(); // nothing else resident
    model::LayerSpec spec;
    spec.id = "deposits";
    spec.role = model::LayerRole::Deposits;
    spec.source = file + "|layername=deposits";
    ::setenv("OREFRONT_GPKG_READER", reader, 1);
    std::size_t n = 0;
    for (auto _ : state) {
        std::vector<std::string> warnings;
        const model::Layer layer = io::loadLayer(spec, dataDir(), warnings);
        n = layer.features.size();
        benchmark::DoNotOptimize(layer.features.data());
    }
    ::unsetenv("OREFRONT_GPKG_READER");
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(n));
    state.counters["deposits"] = static_cast<double>(n);
    memoryCounters(state);
}

void registerAll() {
    for (bool longEdges : {false, true})
        benchmark::RegisterBenchmark(longEdges ? "PolygonEdges/long" : "PolygonEdges/short", BM_PolygonEdges,
                                     longEdges)
            ->Arg(2000)
            ->Arg(200000)
            ->Unit(benchmark::kMillisecond);
    namespace fs = std::filesystem;
    std::set<std::size_t> indexedV;
    std::set<std::size_t> rulesN;
    for (const Case &c : kCases) {
        const std::string file = fileOf(c);
        if (!fs::exists(fs::path(dataDir()) / file)) {
            std::fprintf(stderr, "skipping N=%zu V=%zu: %s/%s not found (bench/run_bench.sh generates it)\n",
                         c.n, c.v, dataDir().c_str(), file.c_str());
            continue;
        }
        const std::string tag = std::to_string(c.n) + "/" + std::to_string(c.v);
        // Registered case by case so that each workload is loaded once.
        if (indexedV.insert(c.v).second)
            benchmark::RegisterBenchmark(("HostileIndex/" + std::to_string(c.v)).c_str(), BM_HostileIndex,
                                         file)
                ->Unit(benchmark::kMillisecond);
        for (bool rangeFromOccupied : {false, true})
            benchmark::RegisterBenchmark(((rangeFromOccupied ? "MeasureDefault/" : "Measure/") + tag).c_str(),
                                         BM_Measure, file, rangeFromOccupied)
                ->ArgName("threads")
                ->Arg(1)
                ->Arg(0)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime()
                ->MeasureProcessCPUTime();
        if (rulesN.insert(c.n).second) {
            for (const char *reader : {"ogr", "auto"})
                benchmark::RegisterBenchmark(
                    ("LoadDeposits/" + std::string(reader) + "/" + std::to_string(c.n)).c_str(),
                    BM_LoadDeposits, file, reader)
                    ->Unit(benchmark::kMillisecond)
                    ->UseRealTime()
                    ->MeasureProcessCPUTime();
            benchmark::RegisterBenchmark(("RulesEvaluate/" + std::to_string(c.n)).c_str(), BM_RulesEvaluate,
                                         file)
                ->Unit(benchmark::kMillisecond);
            for (bool ring : {false, true})
                benchmark::RegisterBenchmark(
                    ((ring ? "RulesUpdate/ring/" : "RulesUpdate/grade/") + std::to_string(c.n)).c_str(),
                    BM_RulesUpdate, file, ring)
                    ->Unit(benchmark::kMillisecond);
            for (auto [name, format] :
                 {std::pair{"csv", exporting::Format::Csv}, {"gpkg", exporting::Format::Gpkg}})
                benchmark::RegisterBenchmark(
                    ("WriteReport/" + std::string(name) + "/" + std::to_string(c.n)).c_str(), BM_WriteReport,
                    file, format)
                    ->Unit(benchmark::kMillisecond)
                    ->UseRealTime()
                    ->MeasureProcessCPUTime();
        }
    }
}

} // namespace

int main(int argc, char **argv) {
    orefront::io::initGdal();
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    registerAll();
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    g_workload.reset();
    return 0;
}
