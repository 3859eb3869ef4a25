// `orefront analyze --with-rings`, `--format csv|gpkg` and the format taken from the
// extension, each report read back through GDAL.
#include "cli/cli_support.hpp"

#include <cpl_json.h>

#include <set>

using namespace orefront::clitest;

namespace {

std::set<double> ringKms(const std::vector<OGRFeatureUniquePtr> &rings) {
    std::set<double> out;
    for (const auto &f : rings)
        out.insert(real(*f, "ring_km"));
    return out;
}

} // namespace

TEST_CASE_METHOD(CliFixture, "analyze --with-rings -o OUT.geojson adds 20/40/80 km range_ring MultiPolygons",
                 "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"--with-rings", "-o", out("rings.geojson").string()}));
    REQUIRE(r.code == 0);
    auto ds = openVector(out("rings.geojson"));
    const auto features = allFeatures(*ds->GetLayer(0));
    std::vector<OGRFeatureUniquePtr> rings;
    int deposits = 0;
    for (const auto &f : features) {
        if (str(*f, "kind") == "range_ring") {
            CHECK(wkbFlatten(f->GetGeometryRef()->getGeometryType()) == wkbMultiPolygon);
            CHECK(f->GetGeometryRef()->IsValid());
            CHECK(isNull(*f, "verdict"));
            rings.emplace_back(f->Clone());
        } else {
            CHECK(str(*f, "kind") == "deposit");
            ++deposits;
        }
    }
    CHECK(deposits == 6);
    CHECK(rings.size() == 3);
    CHECK(ringKms(rings) == std::set<double>{20.0, 40.0, 80.0});
    // Nested: each ring contains the hostile square and grows with its distance.
    double previousArea = 0;
    for (double km : {20.0, 40.0, 80.0})
        for (const auto &f : rings)
            if (real(*f, "ring_km") == km) {
                OGRPoint inside(36.5, 47.5), east15(37.199, 47.5), east55(37.729, 47.5);
                const OGRGeometry *g = f->GetGeometryRef();
                CHECK(g->Contains(&inside));
                CHECK(g->Contains(&east15));              // 15 km: inside every ring
                CHECK(g->Contains(&east55) == (km > 55)); // 55 km: only inside the 80 km ring
                const double area = g->toMultiPolygon()->get_Area();
                CHECK(area > previousArea);
                previousArea = area;
            }
}

TEST_CASE_METHOD(CliFixture, "analyze --with-rings --rings 10,30 -o OUT.geojson draws the configured rings",
                 "[cli]") {
    const Result r = analyze(
        plus(smallLayers(), {"--with-rings", "--rings", "10,30", "-o", out("rings.geojson").string()}));
    REQUIRE(r.code == 0);
    auto ds = openVector(out("rings.geojson"));
    std::vector<OGRFeatureUniquePtr> rings;
    for (auto &f : allFeatures(*ds->GetLayer(0)))
        if (str(*f, "kind") == "range_ring")
            rings.push_back(std::move(f));
    CHECK(ringKms(rings) == std::set<double>{10.0, 30.0});
}

TEST_CASE_METHOD(CliFixture, "analyze --format csv -o OUT.csv writes one row per deposit with X/Y", "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"--format", "csv", "-o", out("report.csv").string()}));
    REQUIRE(r.code == 0);
    // the column types (GDAL's .csvt), the CRS of X/Y (.prj) and the provenance beside it
    CHECK(outEntries() ==
          std::vector<std::string>{"report.csv", "report.csv.json", "report.csvt", "report.prj"});
    auto ds = openVector(out("report.csv"));
    CHECK(std::string(ds->GetDriver()->GetDescription()) == "CSV");
    OGRLayer *layer = ds->GetLayer(0);
    for (const char *field :
         {"X", "Y", "name", "verdict", "reasons", "occupied", "front_distance_km", "ring_km"}) {
        INFO("csv column " << field);
        CHECK(layer->GetLayerDefn()->GetFieldIndex(field) >= 0);
    }
    const auto features = allFeatures(*layer);
    CHECK(features.size() == 6);
    const auto rows = byNames(features);
    REQUIRE(rows.count("Occupied One"));
    const OGRFeature &occ = *rows.at("Occupied One");
    CHECK(str(occ, "verdict") == "not_investable");
    CHECK(str(occ, "reasons").find("occupied") != std::string::npos);
    CHECK(std::stod(str(occ, "X")) == Approx(36.5));
    CHECK(std::stod(str(occ, "Y")) == Approx(47.5));
    const std::string occupied = str(occ, "occupied");
    CHECK((occupied == "1" || occupied == "true"));
    REQUIRE(rows.count("Far Rich"));
    CHECK(str(*rows.at("Far Rich"), "verdict") == "investable");
    CHECK(str(*rows.at("Far Rich"), "ring_km").empty());
}

TEST_CASE_METHOD(CliFixture,
                 "analyze --format gpkg --with-rings -o OUT.gpkg writes deposits and range_rings layers",
                 "[cli]") {
    const Result r =
        analyze(plus(smallLayers(), {"--format", "gpkg", "--with-rings", "-o", out("report.gpkg").string()}));
    REQUIRE(r.code == 0);
    CHECK(outEntries() == std::vector<std::string>{"report.gpkg"}); // no -wal/-shm/-journal or temp file
    auto ds = openVector(out("report.gpkg"));
    CHECK(std::string(ds->GetDriver()->GetDescription()) == "GPKG");
    OGRLayer *deposits = ds->GetLayerByName("deposits");
    OGRLayer *ringLayer = ds->GetLayerByName("range_rings");
    REQUIRE(deposits != nullptr);
    REQUIRE(ringLayer != nullptr);
    const auto features = allFeatures(*deposits);
    CHECK(features.size() == 6);
    const auto rows = byNames(features);
    REQUIRE(rows.count("Occupied One"));
    // GeoPackage has no list type: reasons is a JSON array in a text column marked JSON.
    const int reasonsIdx = deposits->GetLayerDefn()->GetFieldIndex("reasons");
    REQUIRE(reasonsIdx >= 0);
    CHECK(deposits->GetLayerDefn()->GetFieldDefn(reasonsIdx)->GetType() == OFTString);
    CHECK(deposits->GetLayerDefn()->GetFieldDefn(reasonsIdx)->GetSubType() == OFSTJSON);
    const std::string json = rows.at("Occupied One")->GetFieldAsString("reasons");
    INFO("reasons " << json);
    CPLJSONDocument doc;
    REQUIRE(doc.LoadMemory(json));
    const CPLJSONArray array = doc.GetRoot().ToArray();
    REQUIRE(array.IsValid());
    std::vector<std::string> reasons;
    for (int i = 0; i < array.Size(); ++i)
        reasons.push_back(array[i].ToString());
    CHECK(contains(reasons, "occupied"));
    CHECK(rows.at("Occupied One")->GetFieldAsInteger("occupied") == 1);
    const int occ = deposits->GetLayerDefn()->GetFieldIndex("occupied");
    REQUIRE(occ >= 0);
    CHECK(deposits->GetLayerDefn()->GetFieldDefn(occ)->GetSubType() == OFSTBoolean);
    CHECK(deposits->GetMetadataItem("orefront_scenario") != nullptr);

    const auto rings = allFeatures(*ringLayer);
    CHECK(rings.size() == 3);
    CHECK(ringKms(rings) == std::set<double>{20.0, 40.0, 80.0});
    for (const auto &f : rings)
        CHECK(wkbFlatten(f->GetGeometryRef()->getGeometryType()) == wkbMultiPolygon);
}

TEST_CASE_METHOD(CliFixture, "analyze --with-rings --format csv is refused: CSV has no geometry for rings",
                 "[cli]") {
    const Result r =
        analyze(plus(smallLayers(), {"--format", "csv", "--with-rings", "-o", out("report.csv").string()}));
    CHECK(r.code == 1);
    CHECK(r.err.find("--with-rings") != std::string::npos);
    CHECK(outEntries().empty());
}

TEST_CASE_METHOD(CliFixture, "analyze -o OUT.gpkg and -o OUT.csv take the format from the extension",
                 "[cli]") {
    REQUIRE(analyze(plus(smallLayers(), {"-q", "-o", out("a.gpkg").string()})).code == 0);
    REQUIRE(analyze(plus(smallLayers(), {"-q", "-o", out("b.csv").string()})).code == 0);
    REQUIRE(analyze(plus(smallLayers(), {"-q", "-o", out("c.geojson").string()})).code == 0);
    CHECK(std::string(openVector(out("a.gpkg"))->GetDriver()->GetDescription()) == "GPKG");
    CHECK(std::string(openVector(out("b.csv"))->GetDriver()->GetDescription()) == "CSV");
    CHECK(std::string(openVector(out("c.geojson"))->GetDriver()->GetDescription()) == "GeoJSON");
    CHECK(outEntries() ==
          std::vector<std::string>{"a.gpkg", "b.csv", "b.csv.json", "b.csvt", "b.prj", "c.geojson"});
}

TEST_CASE_METHOD(CliFixture, "analyze --format gpkg -o OUT.dat overrides the extension", "[cli]") {
    REQUIRE(analyze(plus(smallLayers(), {"-q", "--format", "gpkg", "-o", out("report.dat").string()})).code ==
            0);
    CHECK(readText(out("report.dat")).rfind("SQLite format 3", 0) == 0);
}

TEST_CASE_METHOD(CliFixture, "analyze -q prints nothing on success", "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"-q", "-o", out("q.geojson").string()}));
    REQUIRE(r.code == 0);
    CHECK(r.out.empty());
    CHECK(r.err.empty());
}
