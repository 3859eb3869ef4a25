// Issue 12: `analyze -o PG:...` writes the report as a table, all or nothing; no file is ever
// named after a connection string; no password is printed; subsets and names cannot inject SQL.
#include "pg_support.hpp"

#include "orefront/pg/team_store.hpp"

using namespace orefront::clitest;
using namespace orefront::pgtest;

namespace {

// The small fixture's deposits loaded into table `deposits` of `db` (ogr2ogr, GDAL's library).
void loadDeposits(const std::string &db) {
    ogr2ogr(fixture("deposits_small.geojson"), asSuperuser(db),
            {"-nln", "deposits", "-lco", "GEOMETRY_NAME=geom"});
}

std::vector<std::string> otherLayers() {
    return {"--hostile",    fixture("hostile_square.geojson"),  "--front", fixture("front_meridian.geojson"),
            "--boundaries", fixture("boundaries_small.geojson")};
}

} // namespace

TEST_CASE("pg: analyze writes the report as a table, provenance in its comment, no file, no password",
          "[pg][cli]") {
    if (!haveCluster())
        return;
    freshDatabase("report_roundtrip");
    loadDeposits("report_roundtrip");
    CliFixture fx;
    const std::string db = withPassword("report_roundtrip");
    const auto args = plus({"--deposits", db + "|layername=deposits"}, otherLayers());

    const Result toDb = run(fx, "analyze", plus(args, {"-o", db}), fx.outDir());
    REQUIRE(toDb.code == 0);
    CHECK(lineStarting(toDb.out, "report:").find("table orefront_report") != std::string::npos);
    CHECK(lineStarting(toDb.out, "report:").find("password=***") != std::string::npos);
    // Nothing written into the working directory, least of all a file named "PG:...".
    CHECK(fx.outEntries().empty());

    // The same analysis as a GeoJSON file: the table holds the same rows and verdicts.
    const Result toFile = run(fx, "analyze", plus(args, {"-o", fx.out("r.geojson").string()}));
    REQUIRE(toFile.code == 0);
    // File reports' provenance (GeoJSON members, GeoPackage metadata) names the source redacted.
    REQUIRE(run(fx, "analyze", plus(args, {"-o", fx.out("r.gpkg").string(), "-q"})).code == 0);
    for (const char *report : {"r.geojson", "r.gpkg"}) {
        const std::string bytes = readText(fx.out(report));
        CHECK(bytes.find("password=***") != std::string::npos);
        CHECK(bytes.find(password()) == std::string::npos);
    }
    auto file = openVector(fx.out("r.geojson"));
    auto table = openVector(asSuperuser("report_roundtrip") + " tables=orefront_report");
    OGRLayer *fileLayer = file->GetLayer(0);
    OGRLayer *tableLayer = table->GetLayerByName("orefront_report");
    REQUIRE(tableLayer);
    const auto fileFeatures = allFeatures(*fileLayer);
    const auto fromFile = byNames(fileFeatures);
    const auto tableFeatures = allFeatures(*tableLayer);
    const auto fromTable = byNames(tableFeatures);
    REQUIRE(fromTable.size() == 6);
    REQUIRE(fromFile.size() == fromTable.size());
    for (const auto &[name, f] : fromFile) {
        INFO(name);
        REQUIRE(fromTable.count(name));
        CHECK(str(*fromTable.at(name), "verdict") == str(*f, "verdict"));
        CHECK(stringList(*fromTable.at(name), "reasons") == stringList(*f, "reasons"));
        const OGRPoint *a = f->GetGeometryRef()->toPoint();
        const OGRPoint *b = fromTable.at(name)->GetGeometryRef()->toPoint();
        CHECK(std::abs(a->getX() - b->getX()) < 1e-7);
        CHECK(std::abs(a->getY() - b->getY()) < 1e-7);
    }
    CHECK(sql("report_roundtrip", "SELECT Find_SRID('public', 'orefront_report', 'geom')") == "4326");
    CHECK(sql("report_roundtrip", "SELECT count(*) FROM pg_indexes WHERE tablename = 'orefront_report' AND "
                                  "indexdef LIKE '%gist%'") == "1");
    const std::string comment =
        sql("report_roundtrip", "SELECT obj_description('orefront_report'::regclass)");
    CHECK(comment.find("\"scenario\"") != std::string::npos);
    CHECK(comment.find("password=***") != std::string::npos);
    CHECK(comment.find(password()) == std::string::npos);

    // --layer names the table; a second run replaces it whole.
    REQUIRE(run(fx, "analyze", plus(args, {"-o", db, "--layer", "team_verdicts", "-q"})).code == 0);
    REQUIRE(run(fx, "analyze", plus(args, {"-o", db, "--layer", "team_verdicts", "-q"})).code == 0);
    CHECK(sql("report_roundtrip", "SELECT count(*) FROM team_verdicts") == "6");
    CHECK(sql("report_roundtrip", "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'orefront_new%'") ==
          "0");
}

TEST_CASE("pg: a failed report run leaves the old table as it was", "[pg][cli]") {
    if (!haveCluster())
        return;
    freshDatabase("report_atomic");
    loadDeposits("report_atomic");
    CliFixture fx;
    const std::string db = withPassword("report_atomic");
    const auto args = plus({"--deposits", db + "|layername=deposits"}, otherLayers());
    REQUIRE(run(fx, "analyze", plus(args, {"-o", db})).code == 0);
    sql("report_atomic", "UPDATE orefront_report SET verdict = 'old run' WHERE name LIKE '%'");
    // A view on the report makes the swap's DROP fail after the rows are loaded.
    sql("report_atomic",
        "CREATE VIEW investable AS SELECT * FROM orefront_report WHERE verdict = 'investable'");

    const Result failed = run(fx, "analyze", plus(args, {"-o", db}));
    CHECK(failed.code == 4);
    CHECK(failed.err.find("table 'orefront_report'") != std::string::npos);
    CHECK(sql("report_atomic", "SELECT count(*) FROM orefront_report WHERE verdict = 'old run'") == "6");
    CHECK(sql("report_atomic", "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'orefront_new%'") == "0");
}

TEST_CASE("pg: a file named like the connection string never shadows the database", "[pg][cli]") {
    if (!haveCluster())
        return;
    freshDatabase("report_shadow");
    loadDeposits("report_shadow");
    CliFixture fx;
    // A TCP connection string has no '/', so it is a valid file name in the working directory.
    const std::string db = withPassword("report_shadow");
    REQUIRE(db.find('/') == std::string::npos);
    writeText(
        fx.outDir() / db,
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"from a file"},)"
        R"("geometry":{"type":"Point","coordinates":[30,47]}}]})");
    const Result r = run(fx, "analyze",
                         plus({"--deposits", db + "|layername=deposits"},
                              plus(otherLayers(), {"-o", fx.out("r.geojson").string(), "-q"})),
                         fx.outDir());
    REQUIRE(r.code == 0);
    auto report = openVector(fx.out("r.geojson"));
    CHECK(report->GetLayer(0)->GetFeatureCount() == 6);
}

TEST_CASE("pg: subsets, layer names and table names cannot inject SQL, and the table survives", "[pg][cli]") {
    if (!haveCluster())
        return;
    freshDatabase("report_inject");
    loadDeposits("report_inject");
    CliFixture fx;
    const std::string db = withPassword("report_inject");
    const auto out = std::vector<std::string>{"-o", fx.out("r.geojson").string()};

    const Result subset = run(fx, "analyze",
                              plus({"--deposits", db + "|layername=deposits|subset=1=1; DROP TABLE deposits"},
                                   plus(otherLayers(), out)));
    CHECK(subset.code == 2);
    CHECK(subset.err.find("refused") != std::string::npos);
    CHECK(sql("report_inject", "SELECT count(*) FROM deposits") == "6");

    const Result comment = run(fx, "analyze",
                               plus({"--deposits", db + "|layername=deposits|subset=name = 'x' -- ' OR 1=1"},
                                    plus(otherLayers(), out)));
    CHECK(comment.code == 2);

    const Result layer = run(fx, "analyze",
                             plus({"--deposits", db + "|layername=deposits\"; DROP TABLE deposits; --"},
                                  plus(otherLayers(), out)));
    CHECK(layer.code == 2);
    CHECK(sql("report_inject", "SELECT count(*) FROM deposits") == "6");

    const Result table = run(fx, "analyze",
                             plus({"--deposits", db + "|layername=deposits"},
                                  plus(otherLayers(), {"-o", db, "--layer", "r; DROP TABLE deposits"})));
    CHECK(table.code == 4);
    CHECK(table.err.find("not a table name") != std::string::npos);
    CHECK(sql("report_inject", "SELECT count(*) FROM deposits") == "6");

    // A quoted ';' inside a value is data, not a statement separator.
    const Result quoted =
        run(fx, "analyze",
            plus({"--deposits", db + "|layername=deposits|subset=name <> 'a; DROP TABLE deposits'"},
                 plus(otherLayers(), out)));
    CHECK(quoted.code == 0);
    CHECK(sql("report_inject", "SELECT count(*) FROM deposits") == "6");
}

TEST_CASE("pg: errors about a PG: source never show its password", "[pg][cli]") {
    if (!haveCluster())
        return;
    freshDatabase("report_errors");
    loadDeposits("report_errors");
    CliFixture fx;
    const std::string db = withPassword("report_errors");
    const auto out = std::vector<std::string>{"-o", fx.out("r.geojson").string()};

    const Result missingLayer =
        run(fx, "analyze", plus({"--deposits", db + "|layername=no_such_layer"}, plus(otherLayers(), out)));
    CHECK(missingLayer.code == 2);
    CHECK(missingLayer.err.find("no_such_layer") != std::string::npos);
    CHECK(missingLayer.err.find("password=***") != std::string::npos);

    std::string wrong = db;
    wrong.replace(wrong.find(password()), password().size(), password() + "x");
    const Result badPassword =
        run(fx, "analyze", plus({"--deposits", wrong + "|layername=deposits"}, plus(otherLayers(), out)));
    CHECK(badPassword.code == 2);
    CHECK(badPassword.err.find(password()) == std::string::npos);

    const Result badTarget = run(
        fx, "analyze", plus({"--deposits", db + "|layername=deposits"}, plus(otherLayers(), {"-o", wrong})));
    CHECK(badTarget.code == 4);
    CHECK(badTarget.err.find(password()) == std::string::npos);
    CHECK(fx.outEntries().empty());

    // sslmode reaches libpq: the test server has no TLS, so "require" is refused.
    const Result tls =
        run(fx, "analyze",
            plus({"--deposits", db + " sslmode=require|layername=deposits"}, plus(otherLayers(), out)));
    CHECK(tls.code == 2);
    CHECK(tls.err.find("SSL") != std::string::npos);
    auto store = [&](const std::string &source) {
        try {
            orefront::pg::openTeamStore(source, false);
        } catch (const orefront::InputError &e) {
            return std::string(e.what());
        }
        return std::string("opened");
    };
    CHECK(store(db + " sslmode=require").find("SSL") != std::string::npos);
    CHECK(store(wrong).find(password()) == std::string::npos);

    const Result uri = run(fx, "analyze",
                           plus({"--deposits", "PG:postgresql://orefront_test:" + password() +
                                                   "@127.0.0.1:1/nodb|layername=deposits"},
                                plus(otherLayers(), out)));
    CHECK(uri.code == 2);
}

TEST_CASE("pg: a report one editor writes is read by readers and replaced by another editor", "[pg][cli]") {
    if (!haveCluster())
        return;
    freshDatabase("report_roles");
    loadDeposits("report_roles");
    CliFixture fx;
    REQUIRE(run(fx, "db", {"init", "--store", asSuperuser("report_roles")}).code == 0);
    sql("report_roles", "DROP ROLE IF EXISTS ed1; CREATE ROLE ed1 LOGIN IN ROLE orefront_editor");
    sql("report_roles", "DROP ROLE IF EXISTS ed2; CREATE ROLE ed2 LOGIN IN ROLE orefront_editor");
    sql("report_roles", "DROP ROLE IF EXISTS rd1; CREATE ROLE rd1 LOGIN IN ROLE orefront_reader");
    const auto args = [&](const std::string &user) {
        return plus({"--deposits", asUser("report_roles", user) + "|layername=deposits"},
                    plus(otherLayers(), {"-o", asUser("report_roles", user), "-q"}));
    };
    REQUIRE(run(fx, "analyze", args("ed1")).code == 0);
    CHECK_FALSE(refused("report_roles", "rd1", "SELECT count(*) FROM orefront_report"));
    REQUIRE(run(fx, "analyze", args("ed2")).code == 0);
    CHECK(sql("report_roles", "SELECT tableowner FROM pg_tables WHERE tablename = 'orefront_report'") ==
          "orefront_editor");
    // A reader may read the layers but not write a report.
    const Result reader = run(fx, "analyze", args("rd1"));
    CHECK(reader.code == 4);
    CHECK(sql("report_roles", "SELECT count(*) FROM orefront_report") == "6");
}
