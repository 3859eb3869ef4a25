#pragma once
// `orefront analyze`: a library function the binary's main and the tests both call
// (PROJ's projinfo() pattern). Never needs a display.
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace orefront::cli {

// Exit codes shared by every subcommand.
enum ExitCode : int {
    kOk = 0,
    kUsage = 1,    // bad command line (CLI11 reports it)
    kBadInput = 2, // InputError: bad file, layer, field or feature
    kGeometry = 3, // GeometryError
    kOutput = 4,   // OutputError
    kInternal = 5,
};

struct AnalyzeOptions {
    std::string scenario; // optional when --deposits and a hostile/front layer are given
    std::string deposits;
    std::vector<std::string> hostile;
    // How the --hostile layers read their features (the TOML keys of a hostile layer).
    std::string hostilePreset;                  // --hostile-preset: preset
    std::string statusField;                    // --status-field: status_field
    std::vector<std::string> hostileStatuses;   // --hostile-statuses: hostile_statuses
    std::vector<std::string> contestedStatuses; // --contested-statuses: contested_statuses
    bool allowEmpty = false;                    // --allow-empty: allow_empty
    std::vector<std::string> front;
    std::string ports, rail, power;
    std::string boundaries;           // world countries; default: the bundled Natural Earth admin-0 (de jure)
    std::optional<std::string> rings; // "20,40,80"; given but empty is an error
    std::optional<double> standoffKm;
    std::optional<double> gradeCutoffPct;
    std::optional<double> lineOfContactKm; // --line-of-contact: thresholds.line_of_contact_km
    // --date: the situation date (YYYY-MM-DD) that picks each dated series' snapshot in force;
    // default: the scenario's date, else its latest snapshot.
    std::string date;
    // --whatif: judge against this named what-if front (a [[whatif]] table or a hypothetical-front
    // annotation) instead of the real front; the report says which (summary and metadata).
    std::string whatif;
    std::string output;
    std::string format; // geojson|csv|gpkg; empty = from the extension
    std::string layer;  // --layer: the table of a "PG:" output (default orefront_report)
    bool withRings = false;
    // The annotation store (--annotations; default: the scenario's, when it exists) and
    // --no-annotations, which leaves annotations, what-if hostile markings and notes out.
    std::string annotations;
    bool noAnnotations = false;
    bool quiet = false;
    unsigned threads = 0;
    // Set by a caller that ends the process right after runAnalyze() (the orefront binary): the
    // loaded layers are then left to the OS, not freed feature by feature (30 ms at 1M).
    bool exitsAfter = false;
};

// Registers the subcommand's flags on `app` (bound to `opts`).
CLI::App *addAnalyzeCommand(CLI::App &app, AnalyzeOptions &opts);

// Runs the analysis and writes the report; the summary goes to `out`, errors to `err`.
// Returns an ExitCode; never throws.
int runAnalyze(const AnalyzeOptions &opts, std::ostream &out, std::ostream &err);

// Inside a catch block: prints the exception in flight as "orefront COMMAND: error: ..." on
// `err` and returns its ExitCode (InputError 2, ...). Shared by every subcommand.
int reportError(std::ostream &err, const char *command);

// Runs `fn`, mapping orefront exceptions to messages on `err` and exit codes (GEOS's
// execute() pattern: errors are translated once, here).
int guarded(std::ostream &err, const char *command, int (*fn)(const void *), const void *arg);

} // namespace orefront::cli
