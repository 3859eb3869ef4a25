#pragma once
// `orefront history`: every deposit at every date of a dated scenario, a per-deposit summary
// and the occupied area per date. A library function the binary's main and the tests call.
#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace orefront::cli {

struct HistoryOptions {
    std::string scenario;           // default: the bundled scenario
    std::string from, to;           // YYYY-MM-DD; default: the first and last snapshot
    std::string step = "snapshots"; // snapshots | Nd | Nm
    std::string output;             // .csv, .geojson, .gpkg or PG:... (tables)
    std::string layer;              // --layer: a PG: output's table (default orefront_history)
    std::string areas;              // --areas: date,occupied_km2 CSV
    bool quiet = false;
    unsigned threads = 0;
};

CLI::App *addHistoryCommand(CLI::App &app, HistoryOptions &opts);

// Runs the history and writes it; a summary goes to `out`, errors to `err`. Returns an
// ExitCode (cli/analyze.hpp); never throws. Nothing is written when it fails.
int runHistory(const HistoryOptions &opts, std::ostream &out, std::ostream &err);

} // namespace orefront::cli
