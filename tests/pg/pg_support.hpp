#pragma once
// Helpers of the PostgreSQL tests: the throw-away cluster the ctest fixture "pg" started
// (tests/pg/pg_test_cluster.sh), a fresh database per test, and SQL through libpq.
#include "cli/cli_support.hpp"

#include <libpq-fe.h>

namespace orefront::pgtest {

namespace fs = std::filesystem;

inline std::string clusterFile(const std::string &name) {
    return std::string(OREFRONT_PG_TEST_DIR) + "/" + name;
}

inline std::string trimmed(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' '))
        s.pop_back();
    return s;
}

// False, with a WARN in the test output, when there is no test cluster: the test skips.
inline bool haveCluster() {
    if (fs::exists(clusterFile("skip"))) {
        WARN("skipped: " << trimmed(clitest::readText(clusterFile("skip"))));
        return false;
    }
    if (!fs::exists(clusterFile("conninfo"))) {
        WARN("skipped: no PostgreSQL test cluster at " << OREFRONT_PG_TEST_DIR
                                                       << " (run through ctest: fixture pg_cluster_start)");
        return false;
    }
    return true;
}

// Runs SQL as the superuser (Unix socket) in `db`; returns the first value of the last result.
inline std::string sql(const std::string &db, const std::string &statement) {
    const std::string conninfo = trimmed(clitest::readText(clusterFile("conninfo"))) + " dbname=" + db;
    PGconn *c = PQconnectdb(conninfo.c_str());
    INFO("connecting: " << PQerrorMessage(c));
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PGresult *r = PQexec(c, statement.c_str());
    const ExecStatusType status = PQresultStatus(r);
    INFO(statement << ": " << PQresultErrorMessage(r));
    const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
    const std::string value = ok && PQntuples(r) > 0 && PQnfields(r) > 0 ? PQgetvalue(r, 0, 0) : "";
    PQclear(r);
    PQfinish(c);
    REQUIRE(ok);
    return value;
}

// True when the server refuses `statement` run as login `user` (trust on the socket).
inline bool refused(const std::string &db, const std::string &user, const std::string &statement) {
    std::string conninfo = trimmed(clitest::readText(clusterFile("conninfo")));
    conninfo.replace(conninfo.find("user=postgres"), 13, "user=" + user);
    PGconn *c = PQconnectdb((conninfo + " dbname=" + db).c_str());
    REQUIRE(PQstatus(c) == CONNECTION_OK);
    PGresult *r = PQexec(c, statement.c_str());
    const bool failed = PQresultStatus(r) == PGRES_FATAL_ERROR;
    PQclear(r);
    PQfinish(c);
    return failed;
}

// A new, empty database with PostGIS, named `name` (dropped first if a run left it).
inline void freshDatabase(const std::string &name) {
    sql("postgres", "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    sql("postgres", "CREATE DATABASE " + name + " TEMPLATE orefront_test");
}

// The password of the test login (conninfo_tcp), which no output may ever show.
inline std::string password() {
    const std::string c = trimmed(clitest::readText(clusterFile("conninfo_tcp")));
    const auto at = c.find("password=") + 9;
    return c.substr(at, c.find(' ', at) - at);
}

// "PG:" sources for database `db`: over TCP with the password, or as superuser on the socket.
inline std::string withPassword(const std::string &db) {
    std::string c = trimmed(clitest::readText(clusterFile("conninfo_tcp")));
    return "PG:" + c.substr(0, c.find(" dbname=")) + " dbname=" + db;
}

inline std::string asSuperuser(const std::string &db) {
    return "PG:" + trimmed(clitest::readText(clusterFile("conninfo"))) + " dbname=" + db;
}

// As login `user` (trust on the socket), for the role tests.
inline std::string asUser(const std::string &db, const std::string &user) {
    std::string c = trimmed(clitest::readText(clusterFile("conninfo")));
    c.replace(c.find("user=postgres"), 13, "user=" + user);
    return "PG:" + c + " dbname=" + db;
}

// Runs the binary and checks that the password shows nowhere in what it printed.
inline clitest::Result run(clitest::CliFixture &fx, const std::string &subcommand,
                           const std::vector<std::string> &args, const fs::path &cwd = {}) {
    clitest::Result r = fx.run(subcommand, args, cwd);
    CHECK(r.out.find(password()) == std::string::npos);
    CHECK(r.err.find(password()) == std::string::npos);
    return r;
}

} // namespace orefront::pgtest
