// Issue 12: `history -o PG:...` writes its rows, summary and areas as three tables, swapped in
// whole in one transaction as the report is; no file is named after the connection string and
// no password is printed.
#include "pg_support.hpp"

using namespace orefront::clitest;
using namespace orefront::pgtest;

namespace {

std::string series(const std::string &name) {
    return std::string(OREFRONT_TEST_DATA_DIR) + "/unit/series/" + name;
}

const std::vector<std::string> kArgs = {series("scenario.toml"), "--step", "1m", "--from", "2022-01-15"};

// "name date verdict" of every row, sorted, from the GeoPackage's history layer.
std::string gpkgRows(OGRLayer &layer) {
    std::vector<std::string> rows;
    for (const auto &f : allFeatures(layer)) {
        std::string date = str(*f, "date"); // "2022/01/15"
        std::replace(date.begin(), date.end(), '/', '-');
        rows.push_back(str(*f, "name") + " " + date + " " + str(*f, "verdict"));
    }
    std::sort(rows.begin(), rows.end());
    return join(rows);
}

std::string tableRows(const std::string &db, const std::string &table) {
    return sql(db, "SELECT string_agg(name || ' ' || date || ' ' || verdict, ',' ORDER BY (name || ' ' || "
                   "date || ' ' || verdict) COLLATE \"C\") FROM " +
                       table);
}

} // namespace

TEST_CASE("pg: history writes rows, summary and areas as tables, as the GeoPackage has them", "[pg][cli]") {
    if (!haveCluster())
        return;
    freshDatabase("history_tables");
    CliFixture fx;
    const std::string db = withPassword("history_tables");

    REQUIRE(run(fx, "history", plus(kArgs, {"-o", fx.out("h.gpkg").string(), "-q"})).code == 0);
    auto gpkg = openVector(fx.out("h.gpkg"));
    OGRLayer *rows = gpkg->GetLayerByName("history");
    REQUIRE(rows);
    REQUIRE(rows->GetFeatureCount() == 3 * 3);
    const std::string expectedRows = gpkgRows(*rows);
    const std::string summaryCount = std::to_string(gpkg->GetLayerByName("summary")->GetFeatureCount());
    const std::string areasCount = std::to_string(gpkg->GetLayerByName("areas")->GetFeatureCount());
    gpkg.reset();
    fs::remove(fx.out("h.gpkg"));

    const Result toDb = run(fx, "history", plus(kArgs, {"-o", db}), fx.outDir());
    REQUIRE(toDb.code == 0);
    // Nothing written into the working directory, least of all a file named "PG:...".
    CHECK(fx.outEntries().empty());
    for (const char *table : {"orefront_history", "orefront_history_summary", "orefront_history_areas"}) {
        INFO(toDb.out);
        CHECK(toDb.out.find(std::string(", table ") + table + "\n") != std::string::npos);
    }
    CHECK(lineStarting(toDb.out, "wrote:").find("password=***") != std::string::npos);
    CHECK(sql("history_tables", "SELECT count(*) FROM orefront_history") == "9");
    CHECK(tableRows("history_tables", "orefront_history") == expectedRows);
    CHECK(sql("history_tables", "SELECT count(*) FROM orefront_history_summary") == summaryCount);
    CHECK(sql("history_tables", "SELECT count(*) FROM orefront_history_areas") == areasCount);
    CHECK(areasCount == "3");
    CHECK(sql("history_tables", "SELECT first_occupied FROM orefront_history_summary WHERE name = 'A'") ==
          "2022-03-15");
    CHECK(sql("history_tables", "SELECT Find_SRID('public', 'orefront_history', 'geom')") == "4326");

    // A second run replaces the three tables whole; --layer names them.
    sql("history_tables", "UPDATE orefront_history SET verdict = 'old run'");
    sql("history_tables", "DELETE FROM orefront_history_areas");
    REQUIRE(run(fx, "history", plus(kArgs, {"-o", db, "-q"})).code == 0);
    CHECK(sql("history_tables", "SELECT count(*) FROM orefront_history WHERE verdict = 'old run'") == "0");
    CHECK(tableRows("history_tables", "orefront_history") == expectedRows);
    CHECK(sql("history_tables", "SELECT count(*) FROM orefront_history_areas") == areasCount);
    REQUIRE(run(fx, "history", plus(kArgs, {"-o", db, "--layer", "team_history", "-q"})).code == 0);
    CHECK(tableRows("history_tables", "team_history") == expectedRows);
    CHECK(sql("history_tables", "SELECT count(*) FROM team_history_summary") == summaryCount);
    CHECK(sql("history_tables", "SELECT count(*) FROM team_history_areas") == areasCount);
    CHECK(sql("history_tables", "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'orefront_new%'") ==
          "0");
    CHECK(fx.outEntries().empty());
}

TEST_CASE("pg: a failed history run leaves all three old tables and no --areas file", "[pg][cli]") {
    if (!haveCluster())
        return;
    freshDatabase("history_atomic");
    CliFixture fx;
    const std::string db = withPassword("history_atomic");
    REQUIRE(run(fx, "history", plus(kArgs, {"-o", db, "-q"})).code == 0);
    sql("history_atomic", "UPDATE orefront_history SET verdict = 'old run'");
    sql("history_atomic", "DELETE FROM orefront_history_summary WHERE name = 'A'");
    // A view on the last table swapped in makes its DROP fail after the other two were swapped.
    sql("history_atomic", "CREATE VIEW big AS SELECT * FROM orefront_history_areas WHERE occupied_km2 > 0");

    const Result failed = run(fx, "history", plus(kArgs, {"-o", db, "--areas", fx.out("a.csv").string()}));
    CHECK(failed.code == 4);
    CHECK(failed.err.find("orefront_history_areas") != std::string::npos);
    CHECK(failed.err.find("password=***") != std::string::npos);
    CHECK(sql("history_atomic", "SELECT count(*) FROM orefront_history WHERE verdict = 'old run'") == "9");
    CHECK(sql("history_atomic", "SELECT count(*) FROM orefront_history_summary") == "2");
    CHECK(sql("history_atomic", "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'orefront_new%'") ==
          "0");
    CHECK(fx.outEntries().empty());

    // --layer names a table: with a file output it is refused; a bad name never reaches SQL.
    const Result fileLayer =
        run(fx, "history", plus(kArgs, {"-o", fx.out("h.csv").string(), "--layer", "t"}));
    CHECK(fileLayer.code == 1); // a usage error, as analyze's
    CHECK(fileLayer.err.find("names the table of a PG: output") != std::string::npos);
    const Result badName =
        run(fx, "history", plus(kArgs, {"-o", db, "--layer", "h; DROP TABLE orefront_history"}));
    CHECK(badName.code == 4);
    CHECK(badName.err.find("not a table name") != std::string::npos);
    CHECK(sql("history_atomic", "SELECT count(*) FROM orefront_history") == "9");
    CHECK(fx.outEntries().empty());
}
