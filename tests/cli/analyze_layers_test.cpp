// `orefront analyze` with command-line layers and thresholds (no scenario file), QGIS-style
// source suffixes, and inputs in projected CRSs.
#include "cli/cli_support.hpp"

#include <GeographicLib/Geodesic.hpp>

#include <cmath>

using namespace orefront::clitest;

namespace {

// Exact geodesic distance (km) from (lon, lat) to the meridian segment lon0, lat 47..48 (a
// meridian is a geodesic), minimised with a golden-section search on GeographicLib.
double kmToMeridian(double lon, double lat, double lon0) {
    const auto &g = GeographicLib::Geodesic::WGS84();
    auto f = [&](double la) {
        double s12 = 0;
        g.Inverse(lat, lon, la, lon0, s12);
        return s12;
    };
    double lo = 47.0, hi = 48.0;
    const double k = 0.6180339887498949;
    while (hi - lo > 1e-9) {
        const double a = hi - k * (hi - lo), b = lo + k * (hi - lo);
        if (f(a) < f(b))
            hi = b;
        else
            lo = a;
    }
    return f((lo + hi) / 2) / 1000.0;
}

// Issue 2's accuracy bound: 0.1 % or 50 m, whichever is larger.
double tolerance(double km) {
    return std::max(0.001 * km, 0.050);
}

struct Expect {
    const char *name;
    const char *verdict;
    double ringKm;           // 0: null
    const char *rangeReason; // "" when none
};

void checkVerdicts(const std::map<std::string, const OGRFeature *> &rows,
                   const std::vector<Expect> &expected) {
    for (const auto &e : expected) {
        INFO("deposit " << e.name);
        REQUIRE(rows.count(e.name));
        const OGRFeature &f = *rows.at(e.name);
        const auto reasons = stringList(f, "reasons");
        INFO("reasons " << join(reasons));
        CHECK(str(f, "verdict") == e.verdict);
        if (e.ringKm > 0)
            CHECK(real(f, "ring_km") == e.ringKm);
        else
            CHECK(isNull(f, "ring_km"));
        if (*e.rangeReason)
            CHECK(contains(reasons, e.rangeReason));
        else
            CHECK_FALSE(anyStartsWith(reasons, "within_range_"));
    }
}

struct SmallReport {
    GDALDatasetUniquePtr ds;
    std::vector<OGRFeatureUniquePtr> features;
    std::map<std::string, const OGRFeature *> rows;
};

SmallReport readReport(const fs::path &p) {
    SmallReport r;
    r.ds = openVector(p);
    r.features = allFeatures(*r.ds->GetLayer(0));
    r.rows = byNames(r.features);
    return r;
}

} // namespace

TEST_CASE_METHOD(CliFixture, "analyze --deposits X --hostile Y --front Z -o OUT.geojson needs no scenario",
                 "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"-o", out("report.geojson").string()}));
    REQUIRE(r.code == 0);
    const SmallReport rep = readReport(out("report.geojson"));
    CHECK(rep.features.size() == 6);
    checkVerdicts(rep.rows, {{"Occupied One", "not_investable", 20, "within_range_20km"},
                             {"East 15km", "not_investable", 20, "within_range_20km"},
                             {"East 28km", "not_investable", 40, "within_range_40km"},
                             {"East 55km", "marginal", 80, "within_range_80km"},
                             {"Far Rich", "investable", 0, ""},
                             {"Far Lean", "not_investable", 80, "within_range_80km"}});
    CHECK(contains(stringList(*rep.rows.at("Occupied One"), "reasons"), "occupied"));
    CHECK(contains(stringList(*rep.rows.at("Far Lean"), "reasons"), "grade_below_cutoff"));
    CPLJSONDocument doc;
    REQUIRE(doc.Load(out("report.geojson").string()));
    CHECK(doc.GetRoot().GetString("scenario") == "command line");
}

TEST_CASE_METHOD(CliFixture,
                 "analyze --hostile --front measures geodesic distances to the nearest hostile position",
                 "[cli]") {
    REQUIRE(analyze(plus(smallLayers(), {"-q", "-o", out("report.geojson").string()})).code == 0);
    const SmallReport rep = readReport(out("report.geojson"));
    CHECK(real(*rep.rows.at("Occupied One"), "front_distance_km") == 0.0);
    // The square's east edge (37 E) for the East deposits, the front line (42 E) for Far Rich/Lean.
    for (auto [name, lon, meridian] :
         {std::tuple{"East 15km", 37.199, 37.0}, std::tuple{"East 28km", 37.371, 37.0},
          std::tuple{"East 55km", 37.729, 37.0}, std::tuple{"Far Rich", 40.0, 42.0},
          std::tuple{"Far Lean", 41.0, 42.0}}) {
        const double exact = kmToMeridian(lon, 47.5, meridian);
        INFO(name << ": exact " << exact << " km");
        CHECK(real(*rep.rows.at(name), "front_distance_km") == Approx(exact).margin(tolerance(exact)));
    }
}

TEST_CASE_METHOD(CliFixture, "analyze without --front measures from the hostile area only", "[cli]") {
    REQUIRE(analyze({"-q", "--deposits", fixture("deposits_small.geojson"), "--hostile",
                     fixture("hostile_square.geojson"), "-o", out("report.geojson").string()})
                .code == 0);
    const SmallReport rep = readReport(out("report.geojson"));
    const double exact = kmToMeridian(40.0, 47.5, 37.0); // Far Rich to the square, not the front line
    CHECK(real(*rep.rows.at("Far Rich"), "front_distance_km") == Approx(exact).margin(tolerance(exact)));
    CHECK(isNull(*rep.rows.at("Far Lean"), "ring_km"));
}

TEST_CASE_METHOD(CliFixture, "analyze --front only (no hostile area) measures from the line", "[cli]") {
    REQUIRE(analyze({"-q", "--deposits", fixture("deposits_small.geojson"), "--front",
                     fixture("front_meridian.geojson"), "-o", out("report.geojson").string()})
                .code == 0);
    const SmallReport rep = readReport(out("report.geojson"));
    CHECK(rep.rows.at("Occupied One")->GetFieldAsInteger("occupied") == 0);
    const double exact = kmToMeridian(36.5, 47.5, 42.0);
    CHECK(real(*rep.rows.at("Occupied One"), "front_distance_km") == Approx(exact).margin(tolerance(exact)));
}

TEST_CASE_METHOD(CliFixture, "analyze prints counts by verdict and by country", "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"-o", out("report.geojson").string()}));
    REQUIRE(r.code == 0);
    CHECK(lineStarting(r.out, "deposits:") == "deposits: 6");
    CHECK(countsOf(lineStarting(r.out, "verdicts:")) ==
          std::map<std::string, int>{{"investable", 1}, {"marginal", 1}, {"not_investable", 4}});
    CHECK(lineStarting(r.out, "by country:") == "by country:");
    CHECK(countsOf(lineStarting(r.out, "USA ")) ==
          std::map<std::string, int>{{"investable", 0}, {"marginal", 1}, {"not_investable", 3}});
    CHECK(countsOf(lineStarting(r.out, "CAN ")) ==
          std::map<std::string, int>{{"investable", 1}, {"marginal", 0}, {"not_investable", 1}});
    const Changed changed = changedVerdicts(r.out);
    CHECK(changed.count == 0);
    CHECK(changed.deposits.empty());
}

TEST_CASE_METHOD(CliFixture, "analyze --grade-cutoff 5 flags 3.5-4 % deposits grade_below_cutoff", "[cli]") {
    const Result r =
        analyze(plus(smallLayers(), {"--grade-cutoff", "5", "-o", out("report.geojson").string()}));
    REQUIRE(r.code == 0);
    const SmallReport rep = readReport(out("report.geojson"));
    const OGRFeature &rich = *rep.rows.at("Far Rich"); // 4 % TREO
    CHECK(str(rich, "verdict") == "not_investable");
    CHECK(contains(stringList(rich, "reasons"), "grade_below_cutoff"));
    CHECK_FALSE(contains(stringList(*rep.rows.at("Occupied One"), "reasons"), "grade_below_cutoff")); // 5 %
    const Changed changed = changedVerdicts(r.out);
    CHECK(changed.count == 2);
    CHECK(changed.deposits ==
          std::map<std::string, std::string>{{"Far Rich", "investable -> not_investable"},
                                             {"East 55km", "marginal -> not_investable"}});
    CPLJSONDocument doc;
    REQUIRE(doc.Load(out("report.geojson").string()));
    CHECK(doc.GetRoot().GetObj("thresholds").GetDouble("grade_cutoff_pct") == Approx(5.0));
}

TEST_CASE_METHOD(CliFixture, "analyze --rings 10,30 changes ring_km and the range reasons", "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"--rings", "10,30", "-o", out("report.geojson").string()}));
    REQUIRE(r.code == 0);
    const SmallReport rep = readReport(out("report.geojson"));
    checkVerdicts(rep.rows, {{"Occupied One", "not_investable", 10, "within_range_10km"},
                             {"East 15km", "not_investable", 30, "within_range_30km"},
                             {"East 28km", "not_investable", 30, "within_range_30km"},
                             {"East 55km", "investable", 0, ""},
                             {"Far Rich", "investable", 0, ""},
                             {"Far Lean", "not_investable", 0, ""}});
    const Changed changed = changedVerdicts(r.out);
    CHECK(changed.count == 1);
    CHECK(changed.deposits == std::map<std::string, std::string>{{"East 55km", "marginal -> investable"}});
}

TEST_CASE_METHOD(CliFixture, "analyze --standoff 60 makes a 55 km deposit not investable", "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"--standoff", "60", "-o", out("report.geojson").string()}));
    REQUIRE(r.code == 0);
    const SmallReport rep = readReport(out("report.geojson"));
    checkVerdicts(rep.rows, {{"East 55km", "not_investable", 80, "within_range_80km"}});
    const Changed changed = changedVerdicts(r.out);
    CHECK(changed.count == 1);
    CHECK(changed.deposits ==
          std::map<std::string, std::string>{{"East 55km", "marginal -> not_investable"}});
}

TEST_CASE_METHOD(CliFixture, "analyze --standoff 20 makes a 28 km deposit only marginal", "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"--standoff", "20", "-o", out("report.geojson").string()}));
    REQUIRE(r.code == 0);
    const SmallReport rep = readReport(out("report.geojson"));
    checkVerdicts(rep.rows, {{"East 15km", "not_investable", 20, "within_range_20km"},
                             {"East 28km", "marginal", 40, "within_range_40km"}});
    const Changed changed = changedVerdicts(r.out);
    CHECK(changed.deposits ==
          std::map<std::string, std::string>{{"East 28km", "not_investable -> marginal"}});
}

TEST_CASE_METHOD(CliFixture, "analyze SCENARIO --standoff 60 overrides the scenario's thresholds", "[cli]") {
    const Result r =
        analyze({fixture("scenario_small.toml"), "--standoff", "60", "-o", out("report.geojson").string()});
    REQUIRE(r.code == 0);
    CPLJSONDocument doc;
    REQUIRE(doc.Load(out("report.geojson").string()));
    CHECK(doc.GetRoot().GetString("scenario") == "cli small");
    CHECK(doc.GetRoot().GetString("date") == "2025-01-01");
    CHECK(doc.GetRoot().GetObj("thresholds").GetDouble("standoff_km") == Approx(60.0));
    const SmallReport rep = readReport(out("report.geojson"));
    CHECK(str(*rep.rows.at("East 55km"), "verdict") == "not_investable");
}

TEST_CASE_METHOD(CliFixture, "analyze SCENARIO --deposits X replaces the scenario's deposits layer",
                 "[cli]") {
    ogr2ogr(fixture("deposits_small.geojson"), in("two.geojson").string(),
            {"-where", "name IN ('Far Rich', 'Far Lean')"});
    const Result r = analyze({fixture("scenario_small.toml"), "--deposits", in("two.geojson").string(), "-o",
                              out("r.geojson").string()});
    REQUIRE(r.code == 0);
    const SmallReport rep = readReport(out("r.geojson"));
    CHECK(rep.features.size() == 2);
    CHECK(lineStarting(r.out, "deposits:") == "deposits: 2");
}

// Source suffixes, as in QGIS: file|layername=NAME|subset=WHERE.
TEST_CASE_METHOD(CliFixture, "analyze --deposits 'X.gpkg|layername=deposits|subset=grade_treo_pct > 3'",
                 "[cli]") {
    const std::string gpkg = in("inputs.gpkg").string();
    ogr2ogr(fixture("deposits_small.geojson"), gpkg, {"-f", "GPKG", "-nln", "deposits"});
    ogr2ogr(fixture("hostile_square.geojson"), gpkg, {"-update", "-nln", "hostile"});
    ogr2ogr(fixture("front_meridian.geojson"), gpkg, {"-update", "-nln", "front"});
    const Result r = analyze({"--deposits", gpkg + "|layername=deposits|subset=grade_treo_pct > 3",
                              "--hostile", gpkg + "|layername=hostile", "--front", gpkg + "|layername=front",
                              "-o", out("report.gpkg").string()});
    REQUIRE(r.code == 0);
    auto ds = openVector(out("report.gpkg"));
    const auto features = allFeatures(*ds->GetLayerByName("deposits"));
    const auto rows = byNames(features);
    CHECK(features.size() == 5); // Far Lean (1.5 %) filtered out
    CHECK_FALSE(rows.count("Far Lean"));
    REQUIRE(rows.count("Occupied One"));
    CHECK(rows.at("Occupied One")->GetFieldAsInteger("occupied") == 1); // the hostile layer was read
    const double exact = kmToMeridian(40.0, 47.5, 42.0);                // and the front layer too
    CHECK(real(*rows.at("Far Rich"), "front_distance_km") == Approx(exact).margin(tolerance(exact)));
}

TEST_CASE_METHOD(CliFixture,
                 "analyze SCENARIO with 'X.gpkg|layername=...' sources relative to the scenario file",
                 "[cli]") {
    ogr2ogr(fixture("deposits_small.geojson"), in("inputs.gpkg").string(),
            {"-f", "GPKG", "-nln", "deposits"});
    ogr2ogr(fixture("hostile_square.geojson"), in("inputs.gpkg").string(), {"-update", "-nln", "hostile"});
    writeText(in("scenario.toml"), R"(name = "suffixes"
[[layers]]
role = "deposits"
source = "inputs.gpkg|layername=deposits|subset=country = 'CAN'"
[[layers]]
role = "hostile"
source = "inputs.gpkg|layername=hostile"
)");
    const Result r = analyze({in("scenario.toml").string(), "-o", out("report.geojson").string()});
    REQUIRE(r.code == 0);
    const SmallReport rep = readReport(out("report.geojson"));
    CHECK(rep.features.size() == 2);
    CHECK(rep.rows.count("Far Rich") == 1);
    CHECK(rep.rows.count("Far Lean") == 1);
}

// Every input is reprojected to WGS84 through PROJ.
TEST_CASE_METHOD(
    CliFixture,
    "analyze --deposits X.gpkg in EPSG:3857 (or X.fgb in UTM 37N) gives the WGS84 distances within 1 m",
    "[cli]") {
    ogr2ogr(fixture("deposits_small.geojson"), in("mercator.gpkg").string(),
            {"-f", "GPKG", "-t_srs", "EPSG:3857", "-nln", "deposits"});
    ogr2ogr(fixture("deposits_small.geojson"), in("utm37.fgb").string(),
            {"-f", "FlatGeobuf", "-t_srs", "EPSG:32637"});
    const auto front = std::vector<std::string>{"--hostile", fixture("hostile_square.geojson"), "--front",
                                                fixture("front_meridian.geojson")};
    REQUIRE(analyze(plus({"-q", "--deposits", fixture("deposits_small.geojson"), "-o",
                          out("wgs84.geojson").string()},
                         front))
                .code == 0);
    REQUIRE(analyze(plus({"-q", "--deposits", in("mercator.gpkg").string(), "-o",
                          out("mercator.geojson").string()},
                         front))
                .code == 0);
    REQUIRE(analyze(plus({"-q", "--deposits", in("utm37.fgb").string(), "-o", out("utm37.geojson").string()},
                         front))
                .code == 0);
    const SmallReport wgs84 = readReport(out("wgs84.geojson"));
    for (const char *other : {"mercator.geojson", "utm37.geojson"}) {
        const SmallReport rep = readReport(out(other));
        REQUIRE(rep.rows.size() == wgs84.rows.size());
        for (const auto &[name, f] : wgs84.rows) {
            INFO(other << ": " << name);
            REQUIRE(rep.rows.count(name));
            const OGRFeature &g = *rep.rows.at(name);
            CHECK(real(g, "front_distance_km") == Approx(real(*f, "front_distance_km")).margin(0.001 + 1e-9));
            CHECK(str(g, "verdict") == str(*f, "verdict"));
            // The report is in WGS84 lon/lat whatever the input CRS.
            const OGRPoint *p = g.GetGeometryRef()->toPoint(), *q = f->GetGeometryRef()->toPoint();
            CHECK(p->getX() == Approx(q->getX()).margin(1e-6));
            CHECK(p->getY() == Approx(q->getY()).margin(1e-6));
        }
    }
}

TEST_CASE_METHOD(CliFixture,
                 "analyze geodata/scenario.toml -o report.geojson resolves relative paths against the cwd",
                 "[cli]") {
    const fs::path repo = fs::path(OREFRONT_GEODATA_DIR).parent_path();
    REQUIRE(analyze({"-q", (fs::path("geodata") / "scenario.toml").string(), "-o", out("a.geojson").string()},
                    repo)
                .code == 0);
    // Command-line layers are relative to the working directory, not to a scenario.
    REQUIRE(analyze({"-q", "--deposits", "deposits_small.geojson", "--hostile",
                     "hostile_square.geojson|layername=hostile_square", "-o", out("b.geojson").string()},
                    fixture(""))
                .code == 0);
    // A bare report name lands in the working directory.
    REQUIRE(analyze(plus(smallLayers(), {"-q", "-o", "c.geojson"}), outDir()).code == 0);
    CHECK(outEntries() == std::vector<std::string>{"a.geojson", "b.geojson", "c.geojson"});
    CHECK(openVector(out("b.geojson"))->GetLayer(0)->GetFeatureCount() == 6);
    CHECK(openVector(out("c.geojson"))->GetLayer(0)->GetFeatureCount() == 6);
}

TEST_CASE_METHOD(CliFixture, "analyze --line-of-contact widens what is on the line of contact", "[cli]") {
    // A quay about 3.8 km east of the hostile square (east edge 37 E): outside the default
    // 2 km, inside 5 km.
    const fs::path ports = in("ports.geojson");
    writeText(ports, R"({"type": "FeatureCollection", "features": [{"type": "Feature", "properties":
{"name": "Quay"}, "geometry": {"type": "Point", "coordinates": [37.05, 47.5]}}]})");
    const Result plain =
        analyze(plus(smallLayers(), {"--ports", ports.string(), "-o", out("plain.geojson").string()}));
    REQUIRE(plain.code == 0);
    CHECK_THAT(plain.err, !Catch::Contains("'Quay' is not used"));
    CHECK(str(*readReport(out("plain.geojson")).rows.at("East 15km"), "port_name") == "Quay");

    const Result wide = analyze(plus(smallLayers(), {"--ports", ports.string(), "--line-of-contact", "5",
                                                     "-o", out("wide.geojson").string()}));
    REQUIRE(wide.code == 0);
    CHECK_THAT(
        wide.err,
        Catch::Contains("'Quay' is not used (within 5 km of hostile-controlled territory or a front line)"));
    CHECK(str(*readReport(out("wide.geojson")).rows.at("East 15km"), "port_name").empty());
    CPLJSONDocument doc;
    REQUIRE(doc.Load(out("wide.geojson").string()));
    CHECK(doc.GetRoot().GetObj("thresholds").GetDouble("line_of_contact_km") == Approx(5.0));

    const Result negative =
        analyze(plus(smallLayers(), {"--line-of-contact", "-1", "-o", out("bad.geojson").string()}));
    CHECK(negative.code == 1);
    CHECK_THAT(negative.err, Catch::Contains("--line-of-contact"));
}
