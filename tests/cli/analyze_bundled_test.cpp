// `orefront analyze geodata/scenario.toml -o OUT.geojson`: the bundled scenario end to end,
// read back through GDAL (issue 2, "Tests and figures").
#include "cli/cli_support.hpp"

#include <cmath>

using namespace orefront::clitest;

namespace {

// Runs the bundled scenario once per test case into OUT/report.geojson.
struct BundledReport : CliFixture {
    Result run;
    GDALDatasetUniquePtr ds;
    OGRLayer *layer = nullptr;
    std::vector<OGRFeatureUniquePtr> features;

    BundledReport() {
        REQUIRE(fs::exists(geodata("scenario.toml")));
        run = analyze({geodata("scenario.toml"), "-o", out("report.geojson").string()});
        REQUIRE(run.code == 0);
        ds = openVector(out("report.geojson"));
        REQUIRE(ds->GetLayerCount() == 1);
        layer = ds->GetLayer(0);
        features = allFeatures(*layer);
    }
};

int countFeatures(const std::string &path) {
    auto ds = openVector(path);
    return static_cast<int>(ds->GetLayer(0)->GetFeatureCount());
}

} // namespace

TEST_CASE_METHOD(BundledReport, "analyze geodata/scenario.toml -o OUT.geojson writes one feature per deposit",
                 "[cli]") {
    CHECK(static_cast<int>(features.size()) == countFeatures(geodata("deposits.geojson")));
    CHECK(outEntries() == std::vector<std::string>{"report.geojson"}); // no temporary file left
    // Every source attribute is carried over.
    auto src = openVector(geodata("deposits.geojson"));
    OGRFeatureDefn *srcDefn = src->GetLayer(0)->GetLayerDefn();
    for (int i = 0; i < srcDefn->GetFieldCount(); ++i) {
        INFO("source field " << srcDefn->GetFieldDefn(i)->GetNameRef());
        CHECK(layer->GetLayerDefn()->GetFieldIndex(srcDefn->GetFieldDefn(i)->GetNameRef()) >= 0);
    }
}

TEST_CASE_METHOD(BundledReport, "analyze geodata/scenario.toml -o OUT.geojson types the analysis fields",
                 "[cli]") {
    OGRFeatureDefn *defn = layer->GetLayerDefn();
    auto type = [&](const char *name) {
        const int i = defn->GetFieldIndex(name);
        INFO("field " << name);
        REQUIRE(i >= 0);
        return defn->GetFieldDefn(i);
    };
    CHECK(type("verdict")->GetType() == OFTString);
    CHECK(type("reasons")->GetType() == OFTStringList);
    CHECK(type("occupied")->GetType() == OFTInteger);
    CHECK(type("occupied")->GetSubType() == OFSTBoolean);
    CHECK(type("front_distance_km")->GetType() == OFTReal);
    CHECK(type("ring_km")->GetType() == OFTReal);
    const std::string scenario = readText(geodata("scenario.toml"));
    if (scenario.find("role = \"ports\"") != std::string::npos)
        CHECK(type("port_distance_km")->GetType() == OFTReal);
    if (scenario.find("role = \"rail\"") != std::string::npos)
        CHECK(type("rail_distance_km")->GetType() == OFTReal);
    if (scenario.find("role = \"power\"") != std::string::npos)
        CHECK(type("power_distance_km")->GetType() == OFTReal);

    // As raw GeoJSON: reasons is an array of strings, occupied a JSON boolean.
    const std::string text = readText(out("report.geojson"));
    CHECK(text.find("\"reasons\": [") != std::string::npos);
    CHECK(text.find("\"reasons\": \"") == std::string::npos);
    CHECK(text.find("\"occupied\": true") != std::string::npos);
    CHECK(text.find("\"occupied\": false") != std::string::npos);
    for (const auto &f : features) {
        INFO(str(*f, "name"));
        const std::string v = str(*f, "verdict");
        CHECK((v == "investable" || v == "marginal" || v == "not_investable"));
        CHECK(real(*f, "front_distance_km") >= 0.0);
    }
}

TEST_CASE_METHOD(BundledReport,
                 "analyze geodata/scenario.toml -o OUT.geojson writes scenario, date and thresholds",
                 "[cli]") {
    CPLJSONDocument doc;
    REQUIRE(doc.Load(out("report.geojson").string()));
    const CPLJSONObject root = doc.GetRoot();
    CHECK(root.GetString("type") == "FeatureCollection");
    CHECK_FALSE(root.GetString("scenario").empty());
    CHECK(root.GetString("date") == "2025-08-01");
    const CPLJSONObject th = root.GetObj("thresholds");
    REQUIRE(th.IsValid());
    CHECK(th.GetDouble("grade_cutoff_pct") == Approx(2.0));
    CHECK(th.GetDouble("standoff_km") == Approx(40.0));
    const CPLJSONArray rings = th.GetArray("rings_km");
    REQUIRE(rings.Size() == 3);
    CHECK(rings[0].ToDouble() == Approx(20.0));
    CHECK(rings[1].ToDouble() == Approx(40.0));
    CHECK(rings[2].ToDouble() == Approx(80.0));
    // The summary names the same scenario.
    CHECK(run.out.find("scenario: " + root.GetString("scenario")) != std::string::npos);
    CHECK(run.out.find("report: " + out("report.geojson").string()) != std::string::npos);
}

TEST_CASE_METHOD(BundledReport, "analyze geodata/scenario.toml -o OUT.geojson writes RFC 7946 coordinates",
                 "[cli]") {
    const std::string text = readText(out("report.geojson"));
    CHECK(text.find("\"crs\"") == std::string::npos); // RFC 7946: WGS84 implied, no crs member
    const auto tokens = coordinateTokens(text);
    REQUIRE(tokens.size() >= 2 * features.size());
    for (const auto &t : tokens) {
        INFO("coordinate " << t);
        CHECK(t.find_first_of("eE") == std::string::npos);
        const auto dot = t.find('.');
        CHECK((dot == std::string::npos || t.size() - dot - 1 <= 7));
    }
}

TEST_CASE_METHOD(BundledReport, "analyze geodata/scenario.toml: Novopoltavske is occupied and not investable",
                 "[cli]") {
    const OGRFeature *f = byName(features, "Novopoltavske");
    const auto reasons = stringList(*f, "reasons");
    INFO("reasons " << join(reasons));
    CHECK(f->GetFieldAsInteger("occupied") == 1);
    CHECK(str(*f, "verdict") == "not_investable");
    CHECK(contains(reasons, "occupied"));
    CHECK(real(*f, "front_distance_km") == 0.0);
    CHECK(real(*f, "ring_km") == 20.0);
}

TEST_CASE_METHOD(BundledReport,
                 "analyze geodata/scenario.toml: a Kharkiv-region deposit is in range from Russian territory",
                 "[cli]") {
    // By name, else the Ukrainian deposit north-east of 49.5 N 35.5 E.
    const OGRFeature *f = nullptr;
    for (const auto &x : features)
        if (str(*x, "name").find("Kharkiv") != std::string::npos)
            f = x.get();
    if (!f)
        for (const auto &x : features) {
            const OGRPoint *p = x->GetGeometryRef() ? x->GetGeometryRef()->toPoint() : nullptr;
            if (str(*x, "country") == "UKR" && p && p->getY() > 49.5 && p->getX() > 35.5)
                f = x.get();
        }
    REQUIRE(f != nullptr);
    const auto reasons = stringList(*f, "reasons");
    INFO(str(*f, "name") << ": reasons " << join(reasons));
    CHECK(f->GetFieldAsInteger("occupied") == 0);
    CHECK(real(*f, "front_distance_km") > 0.0);
    CHECK(real(*f, "front_distance_km") < 40.0);
    CHECK(anyStartsWith(reasons, "within_range_"));
    CHECK(str(*f, "verdict") == "not_investable"); // inside the 40 km standoff
}

TEST_CASE_METHOD(BundledReport, "analyze geodata/scenario.toml: Mountain Pass is investable", "[cli]") {
    const OGRFeature *f = byName(features, "Mountain Pass");
    const auto reasons = stringList(*f, "reasons");
    INFO("reasons " << join(reasons));
    CHECK(str(*f, "verdict") == "investable");
    CHECK(f->GetFieldAsInteger("occupied") == 0);
    CHECK(isNull(*f, "ring_km"));
    CHECK(real(*f, "front_distance_km") > 1000.0); // California, far from any hostile position
    for (const char *blocking : {"occupied", "grade_below_cutoff", "sanctioned_jurisdiction",
                                 "property_rights_risk", "contested_zone"})
        CHECK_FALSE(contains(reasons, blocking));
    CHECK_FALSE(anyStartsWith(reasons, "within_range_"));
    if (layer->GetLayerDefn()->GetFieldIndex("port_distance_km") >= 0)
        CHECK(real(*f, "port_distance_km") > 0.0);
}

TEST_CASE_METHOD(BundledReport, "analyze geodata/scenario.toml prints counts by verdict and by country",
                 "[cli]") {
    const auto verdicts = countsOf(lineStarting(run.out, "verdicts:"));
    REQUIRE(verdicts.size() == 3);
    int total = 0, nonZero = 0;
    for (const auto &[v, n] : verdicts)
        total += n, nonZero += n > 0;
    CHECK(total == static_cast<int>(features.size()));
    CHECK(nonZero >= 2);
    int perCountry = 0;
    for (const char *country : {"UKR", "USA", "RUS", "CHN"}) {
        const std::string line = lineStarting(run.out, std::string(country) + " ");
        INFO(country);
        REQUIRE_FALSE(line.empty());
        const auto c = countsOf(line);
        CHECK(c.size() == 3);
        int expected = 0;
        for (const auto &f : features)
            expected += str(*f, "country") == country;
        int got = 0;
        for (const auto &[v, n] : c)
            got += n;
        CHECK(got == expected);
        perCountry += got;
    }
    CHECK(perCountry > 0);
    CHECK(changedVerdicts(run.out).count >= 0); // the line is printed
}
