#pragma once
// `orefront whatif`: the verdicts of named what-if fronts (a shifted or a hypothetical front
// line) beside the real ones, as a CSV diff and a summary. A library function the binary's
// main and the tests both call; never needs a display.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace orefront::cli {

struct WhatIfOptions {
    std::string scenario;           // default: the bundled scenario
    std::vector<std::string> names; // --name: the scenario's what-ifs to run (default: all)
    std::optional<double> shiftKm;  // --shift-km: an ad hoc shifted front
    std::string front;              // --front: an ad hoc hypothetical front line layer
    std::string output;             // -o: the diff, CSV
    // The annotation store whose hypothetical-front annotations are what-ifs too (--annotations;
    // default: the scenario's, when it exists); --no-annotations leaves them out.
    std::string annotations;
    bool noAnnotations = false;
    bool quiet = false;
    unsigned threads = 0;
};

CLI::App *addWhatIfCommand(CLI::App &app, WhatIfOptions &opts);

// Runs the real scenario and each what-if, writes one CSV row per what-if and deposit (through
// a temporary file, renamed into place: nothing partial on failure), prints the flips to `out`.
// Returns an ExitCode; never throws.
int runWhatIf(const WhatIfOptions &opts, std::ostream &out, std::ostream &err);

} // namespace orefront::cli
