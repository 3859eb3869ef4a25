// Issue 12: what is a database source, what libpq is given, what a UI shows, which table names
// reach SQL, and that passwords are redacted. Pure string functions: no cluster needed.
#include "orefront/io/pg_source.hpp"
#include "orefront/io/scenario_io.hpp"

#include <catch2/catch.hpp>

using namespace orefront::io;

TEST_CASE("pg: PG: sources are recognised in any case and never resolved as file paths", "[pg]") {
    CHECK(isPgSource("PG:dbname=x"));
    CHECK(isPgSource("pg:service=orefront|layername=deposits"));
    CHECK_FALSE(isPgSource("PGdata.gpkg"));
    CHECK_FALSE(isPgSource("data/PG:x.gpkg"));
    CHECK(resolveSource("pg:service=orefront|layername=d", "/base") == "pg:service=orefront|layername=d");
    CHECK(resolveSource("PG:host=db password=s|subset=a=1", "/base") == "PG:host=db password=s|subset=a=1");
    CHECK(resolveSource("d.gpkg|layername=d", "/base") == "/base/d.gpkg|layername=d");
}

TEST_CASE("pg: libpq gets the connection string without GDAL's keywords and suffixes", "[pg]") {
    CHECK(pgConninfo("PG:service=orefront") == "service=orefront");
    CHECK(
        pgConninfo(
            "PG:host=db dbname=team schemas=a,b active_schema=a tables=t sslmode=verify-full|layername=x") ==
        "host=db dbname=team sslmode=verify-full");
    CHECK(pgConninfo("PG:dbname='my db' password='a b\\' c'") == "dbname='my db' password='a b\\' c'");
    CHECK(pgConninfo("PG:postgresql://u:p@h/db?sslmode=require") == "postgresql://u:p@h/db?sslmode=require");
}

TEST_CASE("pg: passwords are redacted, keyword and URI forms", "[pg]") {
    CHECK(redactSource("PG:host=db password=s3cret dbname=x") == "PG:host=db password=*** dbname=x");
    CHECK(redactSource("PG:host=db PASSWORD='a b c' dbname=x") == "PG:host=db PASSWORD=*** dbname=x");
    CHECK(redactSource("PG:postgresql://ann:s3cret@db:5432/team") == "PG:postgresql://ann:***@db:5432/team");
    // In a driver's message, wherever it appears.
    CHECK(redactSource("could not connect: \"host=db password=s3cret\" refused").find("s3cret") ==
          std::string::npos);
}

TEST_CASE("pg: labels for the viewer never show a connection string", "[pg]") {
    CHECK(sourceLabel("PG:host=db password=s3cret dbname=team|layername=deposits") == "PG:deposits");
    CHECK(sourceLabel("PG:host=db password=s3cret dbname=team") == "PG:team");
    CHECK(sourceLabel("PG:service=orefront") == "PG:orefront");
    CHECK(sourceLabel("/data/deposits.gpkg|layername=x") == "deposits.gpkg");
}

TEST_CASE("pg: only plain identifiers are taken as table names", "[pg]") {
    CHECK(isSqlIdentifier("orefront_report"));
    CHECK(isSqlIdentifier("team.orefront_report"));
    CHECK(isSqlIdentifier("_x9"));
    for (const char *bad :
         {"", "9lives", "a.b.c", ".a", "a.", "r; DROP TABLE deposits", "a\"b", "a b", "a-b", "tab\xc3\xa9"})
        CHECK_FALSE(isSqlIdentifier(bad));
    CHECK(isSqlIdentifier(std::string(63, 'a')));
    CHECK_FALSE(isSqlIdentifier(std::string(64, 'a')));
}
