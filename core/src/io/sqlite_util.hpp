#pragma once
// Owners of a SQLite connection and of a prepared statement, closed / finalised on scope exit:
// the fast GeoPackage reader's and the GeoPackage report writer's (private to core).
#include <sqlite3.h>

namespace orefront::io::detail {

struct SqliteDb {
    sqlite3 *db = nullptr;
    SqliteDb() = default;
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;
    ~SqliteDb() { sqlite3_close(db); }
};

struct SqliteStatement {
    sqlite3_stmt *stmt = nullptr;
    SqliteStatement() = default;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;
    ~SqliteStatement() { sqlite3_finalize(stmt); }
};

} // namespace orefront::io::detail
