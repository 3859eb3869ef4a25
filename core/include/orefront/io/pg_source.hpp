#pragma once
// PostgreSQL sources ("PG:" connection strings, as GDAL spells them). One place decides what is
// a database and what is a file, so that no "PG:..." is ever resolved, created or opened as a
// file (a file named after a connection string would shadow the database on the next read).
// Pure string functions; thread-safe.
#include <string>

namespace orefront::io {

// True for "PG:..." (any case, as GDAL's PostgreSQL driver accepts it), with or without
// "|layername=" / "|subset=" suffixes.
bool isPgSource(const std::string &source);

// The libpq connection string of a "PG:" source: the prefix, the "|..." suffixes and GDAL's own
// keywords (schemas=, active_schema=, tables=) removed. "PG:service=orefront" -> "service=orefront".
std::string pgConninfo(const std::string &source);

// A short label for a source, for the viewer's lists and titles: a file's name; for a "PG:"
// source its table (|layername=), else "PG:" and its service or database name. Never the
// connection string.
std::string sourceLabel(const std::string &source);

// True for a plain SQL identifier, optionally schema-qualified ("orefront_report",
// "team.orefront_report"): letters, digits and '_', not starting with a digit, at most 63
// characters a part. Table names from the command line must pass it before they reach SQL.
bool isSqlIdentifier(const std::string &name);

} // namespace orefront::io
