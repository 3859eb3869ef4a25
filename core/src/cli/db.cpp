#include "orefront/cli/db.hpp"

#include "orefront/cli/analyze.hpp"
#include "orefront/io/pg_source.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/pg/team_store.hpp"

#include <CLI/CLI.hpp>

#include <ostream>

namespace orefront::cli {

// analyze.cpp's one translation of exceptions into messages and exit codes.
int reportError(std::ostream &err, const char *command);

CLI::App *addDbCommand(CLI::App &app, DbOptions &o) {
    auto *db = app.add_subcommand("db", "The PostgreSQL team store");
    db->require_subcommand(1);
    auto *init = db->add_subcommand(
        "init", "Create the annotation tables, indexes and the roles orefront_reader and orefront_editor "
                "(idempotent)");
    init->add_option("--store", o.store, "The database, e.g. PG:service=orefront (~/.pg_service.conf)")
        ->required();
    return init;
}

int runDbInit(const DbOptions &o, std::ostream &out, std::ostream &err) {
    try {
        if (!io::isPgSource(o.store))
            throw UsageError(
                "--store " + io::redactSource(o.store) +
                ": db init sets up a PostgreSQL store; give PG:service=NAME (or PG:host=... dbname=...)");
        pg::initTeamStore(o.store, out);
        return kOk;
    } catch (...) {
        return reportError(err, "db init");
    }
}

} // namespace orefront::cli
