// Issue 12: what one PostgreSQL server holds for the team store. V viewers (one connection
// each, LISTENing) on one store, one writer adding N annotations as fast as it can; for each add,
// the time until every viewer's revision() has changed. Prints the writer's rate (NOTIFYs per
// second with V listeners) and the notification latency (median, max) across viewers.
// usage: orefront_team_store_bench PG:CONNINFO VIEWERS ADDS
#include "orefront/pg/team_store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <vector>

using namespace orefront;
using Clock = std::chrono::steady_clock;

int main(int argc, char **argv) {
    if (argc != 4) {
        std::cerr << "usage: orefront_team_store_bench PG:CONNINFO VIEWERS ADDS\n";
        return 1;
    }
    const std::string source = argv[1];
    const int viewers = std::atoi(argv[2]), adds = std::atoi(argv[3]);
    try {
        std::ostringstream log;
        pg::initTeamStore(source, log);
        auto writer = pg::openTeamStore(source);
        std::vector<std::unique_ptr<io::AnnotationStore>> views;
        std::vector<std::string> seen;
        for (int i = 0; i < viewers; ++i) {
            views.push_back(pg::openTeamStore(source, false));
            seen.push_back(views.back()->revision());
        }
        model::Annotation a;
        a.kind = model::AnnotationKind::Marker;
        a.vertices = {{37.5, 47.5}};
        std::vector<double> latencyMs;
        double writeS = 0;
        for (int n = 0; n < adds; ++n) {
            a.label = "bench " + std::to_string(n);
            const auto t0 = Clock::now();
            writer->add(a);
            writeS += std::chrono::duration<double>(Clock::now() - t0).count();
            // Every viewer polls its revision, as the viewer does each frame, until it moves.
            std::vector<bool> done(viewers, false);
            for (int left = viewers; left > 0;) {
                for (int v = 0; v < viewers; ++v) {
                    if (done[v])
                        continue;
                    const std::string r = views[v]->revision();
                    if (r != seen[v]) {
                        seen[v] = r;
                        done[v] = true;
                        --left;
                        latencyMs.push_back(
                            std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                    }
                }
            }
        }
        std::sort(latencyMs.begin(), latencyMs.end());
        std::printf(
            "team store, %d viewers: writer %.0f adds/s (each a NOTIFY to %d listeners); an add seen by a "
            "viewer after median %.2f ms, p99 %.2f ms, max %.2f ms\n",
            viewers, adds / writeS, viewers, latencyMs[latencyMs.size() / 2],
            latencyMs[latencyMs.size() * 99 / 100], latencyMs.back());
        return 0;
    } catch (const std::exception &e) {
        std::cerr << "orefront_team_store_bench: " << e.what() << "\n";
        return 1;
    }
}
