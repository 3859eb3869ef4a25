#pragma once
// `orefront db init --store SRC`: sets up the PostgreSQL team store (tables, indexes, trigger,
// roles orefront_reader and orefront_editor). Idempotent. A library function, as analyze is.
#include <iosfwd>
#include <string>

namespace CLI {
class App;
}

namespace orefront::cli {

struct DbOptions {
    std::string store; // --store: "PG:service=orefront"
};

// Registers `db` and its `init` subcommand on `app` (bound to `opts`); returns `db init`.
CLI::App *addDbCommand(CLI::App &app, DbOptions &opts);

// Runs `db init`; what it did goes to `out`, errors to `err`. Returns an ExitCode; never throws.
int runDbInit(const DbOptions &opts, std::ostream &out, std::ostream &err);

} // namespace orefront::cli
