#pragma once
// `orefront annotations list|add|rm|import|export|note [--store SRC]`: the annotation store
// from scripts and tests. A library function the binary's main and the tests both call.
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace orefront::cli {

struct AnnotationsOptions {
    std::string action;   // the subcommand given: list, add, rm, import, export, note
    std::string store;    // --store: any GDAL vector source, or PG:...
    std::string scenario; // --scenario: its store (declared, else beside it); default: the bundled one
    bool json = false;    // list --json
    // add
    std::string kind, label, wkt, lonlat, group = "default", color, fill, author;
    std::optional<double> radiusKm;
    std::optional<double> widthPx, textSizePt;
    bool hostile = false;
    bool hidden = false;
    std::vector<std::int64_t> ids; // rm
    std::string file;              // import / export
    std::string deposit, text;     // note
};

// Registers `annotations` and its subcommands on `app` (bound to `opts`).
CLI::App *addAnnotationsCommand(CLI::App &app, AnnotationsOptions &opts);

// Runs the subcommand in opts.action; output to `out`, errors to `err`. Returns an ExitCode
// (cli/analyze.hpp); never throws. `add` prints the new id only once the change is committed.
int runAnnotations(const AnnotationsOptions &opts, std::ostream &out, std::ostream &err);

// The store a command uses: --store, else the scenario's (io::defaultAnnotationStore), else the
// bundled scenario's.
std::string annotationStoreFor(const std::string &store, const std::string &scenario);

} // namespace orefront::cli
