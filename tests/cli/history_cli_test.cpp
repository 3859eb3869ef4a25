// `orefront history` and `orefront analyze --date` end to end: the history CSV against a
// per-date loop of `analyze`, the GeoPackage layers, each bad series input (exit 2, nothing
// written), and the occupied area of the DeepState series against an equal-area computation.
#include "cli/cli_support.hpp"

#include <ogr_spatialref.h>

using namespace orefront::clitest;
using Catch::Matchers::Contains;

namespace {

std::string series(const std::string &name) {
    return std::string(OREFRONT_TEST_DATA_DIR) + "/unit/series/" + name;
}

// CSV rows as {header: value} maps (no quoted commas in these files).
std::vector<std::map<std::string, std::string>> readCsv(const fs::path &p) {
    const auto ls = lines(readText(p));
    std::vector<std::map<std::string, std::string>> out;
    auto split = [](const std::string &l) {
        std::vector<std::string> v;
        std::string cell;
        std::istringstream in(l);
        while (std::getline(in, cell, ','))
            v.push_back(cell);
        if (!l.empty() && l.back() == ',')
            v.push_back("");
        return v;
    };
    REQUIRE(!ls.empty());
    const auto head = split(ls[0]);
    for (std::size_t i = 1; i < ls.size(); ++i) {
        const auto cells = split(ls[i]);
        REQUIRE(cells.size() == head.size());
        std::map<std::string, std::string> row;
        for (std::size_t k = 0; k < head.size(); ++k)
            row[head[k]] = cells[k];
        out.push_back(row);
    }
    return out;
}

// A copy of the hand-made series in the fixture's in/ folder, for breaking.
void copySeries(const CliFixture &fx) {
    for (const auto &e : fs::directory_iterator(series("")))
        fs::copy_file(e.path(), fx.in(e.path().filename().string()));
}

void checkRejected(const CliFixture &fx, const Result &r, const std::string &file) {
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("error: "));
    CHECK_THAT(r.err, Contains(file));
    CHECK(fx.outEntries().empty());
}

} // namespace

TEST_CASE_METHOD(CliFixture, "history CSV rows equal a per-date loop of analyze --date", "[cli]") {
    const Result h = run("history", {series("scenario.toml"), "-o", out("h.csv").string(), "--areas",
                                     out("areas.csv").string()});
    REQUIRE(h.code == 0);
    CHECK_THAT(h.out, Contains("3 deposits x 4 dates"));
    const auto rows = readCsv(out("h.csv"));
    REQUIRE(rows.size() == 3 * 4);
    CHECK(lines(readText(out("h.csv")))[0] == "name,date,occupied,front_distance_km,ring_km,verdict");
    for (const char *date : {"2022-01-01", "2022-02-01", "2022-03-01", "2022-04-01"}) {
        const fs::path report = out(std::string("a_") + date + ".csv");
        const Result a = analyze({series("scenario.toml"), "--date", date, "-o", report.string(), "-q"});
        REQUIRE(a.code == 0);
        const auto ds = openVector(report);
        std::map<std::string, int> seen;
        for (const auto &f : allFeatures(*ds->GetLayer(0))) {
            const std::string name = str(*f, "name");
            const auto it = std::find_if(rows.begin(), rows.end(), [&](const auto &r) {
                return r.at("name") == name && r.at("date") == date;
            });
            INFO(name << " on " << date);
            REQUIRE(it != rows.end());
            CHECK(it->at("occupied") == str(*f, "occupied"));
            CHECK(it->at("verdict") == str(*f, "verdict"));
            CHECK(it->at("ring_km").empty() == isNull(*f, "ring_km"));
            if (!isNull(*f, "ring_km"))
                CHECK(std::stod(it->at("ring_km")) == real(*f, "ring_km"));
            CHECK(std::stod(it->at("front_distance_km")) ==
                  Approx(real(*f, "front_distance_km")).margin(0.0015));
            ++seen[name];
        }
        CHECK(seen.size() == 3);
    }
    // The summary sidecar.
    const auto summary = readCsv(out("h_summary.csv"));
    REQUIRE(summary.size() == 3);
    CHECK(summary[0].at("name") == "A");
    CHECK(summary[0].at("first_in_ring_20km") == "2022-03-01");
    CHECK(summary[0].at("first_in_ring_40km") == "2022-02-01");
    CHECK(summary[0].at("first_occupied") == "2022-03-01");
    CHECK(summary[0].at("days_in_range") == "60");
    CHECK(summary[2].at("first_occupied").empty());
    CHECK(summary[2].at("days_in_range") == "0");
    const auto areas = readCsv(out("areas.csv"));
    REQUIRE(areas.size() == 4);
    CHECK(areas[0].at("date") == "2022-01-01");
    CHECK(std::stod(areas[2].at("occupied_km2")) > std::stod(areas[0].at("occupied_km2")));
}

TEST_CASE_METHOD(CliFixture, "history GeoPackage: history, summary and areas layers", "[cli]") {
    const Result h = run("history", {series("scenario.toml"), "--step", "1m", "--from", "2022-01-15", "-o",
                                     out("h.gpkg").string()});
    REQUIRE(h.code == 0);
    CHECK(outEntries() == std::vector<std::string>{"h.gpkg"});
    const auto ds = openVector(out("h.gpkg"));
    REQUIRE(ds->GetLayerByName("history"));
    REQUIRE(ds->GetLayerByName("summary"));
    REQUIRE(ds->GetLayerByName("areas"));
    CHECK(ds->GetLayerByName("history")->GetFeatureCount() == 3 * 3); // 01-15, 02-15, 03-15
    const auto areas = allFeatures(*ds->GetLayerByName("areas"));
    REQUIRE(areas.size() == 3);
    CHECK(str(*areas[0], "date") == "2022/01/15");
    const auto summary = allFeatures(*ds->GetLayerByName("summary"));
    const OGRFeature *a = byName(summary, "A");
    CHECK(str(*a, "first_occupied") == "2022/03/15");
    CHECK(str(*a, "first_in_ring_40km") == "2022/02/15");
}

TEST_CASE_METHOD(CliFixture, "history GeoJSON writes points and a summary sidecar", "[cli]") {
    const Result h = run("history", {series("scenario.toml"), "-o", out("h.geojson").string()});
    REQUIRE(h.code == 0);
    CHECK(outEntries() == std::vector<std::string>{"h.geojson", "h_summary.geojson"});
    const auto ds = openVector(out("h.geojson"));
    CHECK(ds->GetLayer(0)->GetFeatureCount() == 12);
}

TEST_CASE_METHOD(CliFixture, "analyze --date picks the snapshot in force, before the first is exit 2",
                 "[cli]") {
    const Result a =
        analyze({series("scenario.toml"), "--date", "2022-03-15", "-o", out("r.geojson").string()});
    REQUIRE(a.code == 0);
    CHECK_THAT(a.out, Contains("(2022-03-15)"));
    const auto ds = openVector(out("r.geojson"));
    CHECK(str(*byName(allFeatures(*ds->GetLayer(0)), "A"), "occupied") == "1");
    const Result before =
        analyze({series("scenario.toml"), "--date", "2021-12-31", "-o", out("r2.csv").string()});
    CHECK(before.code == 2);
    CHECK_THAT(before.err, Contains("2021-12-31 is before its first snapshot, 2022-01-01"));
    CHECK_THAT(before.err, Contains("occ_2022-01-01.geojson"));
    CHECK(outEntries() == std::vector<std::string>{"r.geojson"});
    CHECK(analyze({series("scenario.toml"), "--date", "2022-3-1", "-o", out("r3.csv").string()}).code == 1);
}

TEST_CASE_METHOD(CliFixture, "bad series input: exit 2 naming the file, nothing written", "[cli]") {
    copySeries(*this);
    const std::string scenario = in("scenario.toml").string();
    SECTION("a glob matching nothing") {
        for (const auto &e : fs::directory_iterator(in("")))
            if (e.path().filename().string().rfind("occ_", 0) == 0)
                fs::remove(e.path());
        const Result r = run("history", {scenario, "-o", out("h.csv").string()});
        checkRejected(*this, r, in("occ_*.geojson").string());
        CHECK_THAT(r.err, Contains("matches no file"));
        checkRejected(*this, analyze({scenario, "-o", out("r.csv").string()}), "occ_*.geojson");
    }
    SECTION("a file name without a parsable date") {
        fs::copy_file(in("occ_2022-01-01.geojson"), in("occ_latest.geojson"));
        const Result r = run("history", {scenario, "-o", out("h.gpkg").string()});
        checkRejected(*this, r, in("occ_latest.geojson").string());
        CHECK_THAT(r.err, Contains("date_pattern 'occ_%Y-%m-%d'"));
    }
    SECTION("two snapshots with the same date") {
        fs::copy_file(in("occ_2022-01-01.geojson"), in("occ_2022-01-01_copy.geojson"));
        const Result r =
            run("history", {scenario, "-o", out("h.csv").string(), "--areas", out("a.csv").string()});
        checkRejected(*this, r, in("occ_2022-01-01_copy.geojson").string());
        CHECK_THAT(r.err, Contains("same date, 2022-01-01"));
    }
    SECTION("a date field with an unparsable value") {
        writeText(in("dated.geojson"),
                  R"({"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"day": "2022-01-01"}, "geometry": {"type": "Polygon", "coordinates": [[[33, 50], [34, 50], [34, 51], [33, 51], [33, 50]]]}},
{"type": "Feature", "properties": {"day": "spring 2022"}, "geometry": {"type": "Polygon", "coordinates": [[[33, 50], [35, 50], [35, 51], [33, 51], [33, 50]]]}}]})");
        writeText(in("scenario.toml"),
                  "name = \"dated\"\n[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\n"
                  "source = \"deposits.geojson\"\n[[layers]]\nid = \"occupied\"\n"
                  "role = \"hostile\"\nseries = \"date_field\"\nsource = \"dated.geojson\"\n"
                  "date_field = \"day\"\n");
        const Result r = run("history", {scenario, "-o", out("h.csv").string()});
        checkRejected(*this, r, in("dated.geojson").string());
        CHECK_THAT(r.err, Contains("'spring 2022', which is not a date"));
        checkRejected(*this, analyze({scenario, "-o", out("r.csv").string()}), "dated.geojson");
    }
}

TEST_CASE_METHOD(CliFixture, "history of the DeepState daily series: occupied area on the ellipsoid vs LAEA",
                 "[cli][refdata]") {
    const std::string dir = "frontline/deepstate_cyterat_daily/";
    if (!haveRefdata(
            {dir + "deepstatemap_data_20240708.geojson", dir + "deepstatemap_data_20260822.geojson"}))
        return;
    writeText(
        in("deepstate.toml"),
        "name = \"DeepState daily\"\n[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = \"" +
            fixture("deposits_small.geojson") +
            "\"\n[[layers]]\nid = \"occupied\"\nrole = \"hostile\"\nseries = \"snapshots\"\nsource = \"" +
            refdata(dir) + "deepstatemap_data_*.geojson\"\ndate_pattern = \"deepstatemap_data_%Y%m%d\"\n");
    const Result h =
        run("history", {in("deepstate.toml").string(), "--from", "2024-07-08", "--to", "2026-08-22", "-o",
                        out("h.csv").string(), "--areas", out("areas.csv").string()});
    REQUIRE(h.code == 0);
    const auto areas = readCsv(out("areas.csv"));
    std::map<std::string, double> byDate;
    for (const auto &r : areas)
        byDate[r.at("date")] = std::stod(r.at("occupied_km2"));
    // refdata/frontline/SOURCE.md: 109,361 and 116,995 km² (EPSG:3035).
    CHECK(byDate.at("2024-07-08") == Approx(109361).epsilon(0.005));
    CHECK(byDate.at("2026-08-22") == Approx(116995).epsilon(0.005));
    // And our own equal-area computation of each file: OGR, LAEA Europe.
    OGRSpatialReference laea;
    laea.importFromEPSG(3035);
    laea.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    for (const auto &[date, file] : {std::pair{"2024-07-08", "deepstatemap_data_20240708.geojson"},
                                     {"2025-07-01", "deepstatemap_data_20250701.geojson"},
                                     {"2026-08-22", "deepstatemap_data_20260822.geojson"}}) {
        if (!fs::exists(refdata(dir + file)))
            continue;
        const auto ds = openVector(refdata(dir + file));
        double m2 = 0;
        for (const auto &f : allFeatures(*ds->GetLayer(0))) {
            std::unique_ptr<OGRGeometry> g(f->GetGeometryRef()->clone());
            g->getSpatialReference() ? void() : g->assignSpatialReference(ds->GetLayer(0)->GetSpatialRef());
            REQUIRE(g->transformTo(&laea) == OGRERR_NONE);
            m2 += g->toMultiPolygon() ? g->toMultiPolygon()->get_Area() : g->toPolygon()->get_Area();
        }
        INFO(date);
        CHECK(byDate.at(date) == Approx(m2 / 1e6).epsilon(0.005));
    }
}
