// loadLayer: reprojection, source options, repair, Z, and every bad input named precisely.
#include "analysis/reference.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <GeographicLib/TransverseMercator.hpp>
#include <catch2/catch.hpp>

#include <cmath>

using namespace orefront;
using Catch::Contains;
using model::LonLat;
using testing::unitData;

namespace {
struct LayerFixture {
    std::vector<std::string> warnings;

    model::Layer load(const std::string &source, const std::string &id = "test") {
        model::LayerSpec spec;
        spec.id = id;
        spec.source = source;
        return io::loadLayer(spec, std::string(OREFRONT_TEST_DATA_DIR) + "/unit", warnings);
    }
};

// UTM zone 36N -> lon/lat with GeographicLib (Krueger series, independent of PROJ).
LonLat utm36(double x, double y) {
    double lat = 0, lon = 0;
    GeographicLib::TransverseMercator::UTM().Reverse(33.0, x - 500000.0, y, lat, lon);
    return {lon, lat};
}
} // namespace

TEST_CASE_METHOD(LayerFixture, "loadLayer reprojects EPSG:32636 to WGS84 lon/lat", "[gdal]") {
    const auto l = load("utm36.geojson");
    CHECK(l.sourceCrs == "EPSG:32636");
    CHECK(l.id == "test");
    REQUIRE(l.features.size() == 4);
    CHECK(warnings.empty());
    auto near = [](LonLat got, LonLat want) {
        INFO("got (" << got.lon << ", " << got.lat << ") want (" << want.lon << ", " << want.lat << ")");
        CHECK(got.lon == Approx(want.lon).margin(1e-6));
        CHECK(got.lat == Approx(want.lat).margin(1e-6));
    };
    const auto &p0 = l.features[0].geometry.points.at(0);
    near(p0, utm36(500000, 5300000));
    CHECK(p0.lon == Approx(33.0).margin(1e-9)); // on the central meridian
    near(l.features[1].geometry.points.at(0), utm36(612345.6, 5261234.5));
    const auto &line = l.features[2].geometry.lines.at(0);
    REQUIRE(line.size() == 2);
    near(line[0], utm36(300000, 5200000));
    near(line[1], utm36(400000, 5250000));
    const auto &ring = l.features[3].geometry.polygons.at(0).rings.at(0);
    REQUIRE(ring.size() == 5);
    near(ring[2], utm36(460000, 5110000));
    CHECK(l.bounds.minLon == Approx(utm36(300000, 5200000).lon).margin(1e-6));
    // attributes come through
    CHECK(model::toString(l.features[3].attributes[l.fieldIndex("name")]) == "square");
}

TEST_CASE_METHOD(LayerFixture, "loadLayer: |layername= picks a layer, an unknown one is named", "[gdal]") {
    const auto z = load("layers.vrt|layername=zpoints");
    CHECK(z.features.size() == 4);
    CHECK(z.source == "layers.vrt|layername=zpoints");
    const auto u = load("layers.vrt|layername=utm");
    CHECK(u.features.size() == 4);
    CHECK(u.sourceCrs == "EPSG:32636");
    CHECK(u.features[0].geometry.points.at(0).lon == Approx(33.0).margin(1e-9));
    CHECK_THROWS_AS(load("layers.vrt|layername=nope"), InputError);
    CHECK_THROWS_WITH(load("layers.vrt|layername=nope"),
                      Contains("layers.vrt") && Contains("'nope'") && Contains("utm") && Contains("zpoints"));
    CHECK_THROWS_WITH(load("layers.vrt|colour=red"), Contains("unknown option 'colour=red'"));
}

TEST_CASE_METHOD(LayerFixture, "loadLayer: |subset= filters features", "[gdal]") {
    const auto l = load("z_points.geojson|subset=grade > 1");
    REQUIRE(l.features.size() == 2);
    CHECK(model::toString(l.features[0].attributes[l.fieldIndex("name")]) == "a");
    CHECK(model::toString(l.features[1].attributes[l.fieldIndex("name")]) == "d");
    const auto both = load("layers.vrt|layername=zpoints|subset=name = 'b'");
    REQUIRE(both.features.size() == 1);
    CHECK(both.features[0].geometry.lines.size() == 1);

    CHECK_THROWS_WITH(load("z_points.geojson|subset=grade > 100"),
                      Contains("z_points.geojson") && Contains("no features match subset 'grade > 100'"));
    CHECK_THROWS_WITH(load("z_points.geojson|subset=grade >>> 1"),
                      Contains("z_points.geojson") && Contains("bad subset"));
}

TEST_CASE_METHOD(LayerFixture, "loadLayer drops Z and flattens multi-geometries and collections", "[gdal]") {
    const auto l = load("z_points.geojson");
    REQUIRE(l.features.size() == 4);
    CHECK(l.features[0].geometry.points == std::vector<LonLat>{{30.5, 50.4}});
    CHECK(l.features[1].geometry.lines.at(0) == model::Path{{31, 49}, {32, 49.5}});
    CHECK(l.features[2].geometry.polygons.size() == 2);
    CHECK(l.features[3].geometry.points.size() == 1);
    CHECK(l.features[3].geometry.lines.size() == 1);
    CHECK(l.sourceCrs == "EPSG:4326");
    // null attribute stays null; reals are reals
    CHECK(std::holds_alternative<std::monostate>(l.features[2].attributes[l.fieldIndex("grade")]));
    CHECK(model::toNumber(l.features[0].attributes[l.fieldIndex("grade")]) == 2.5);
    CHECK(l.bounds.minLon == 30.5);
    CHECK(l.bounds.maxLon == 38);
}

TEST_CASE_METHOD(LayerFixture, "loadLayer repairs an invalid polygon with a warning naming the feature",
                 "[gdal][geos]") {
    const auto l = load("bowtie.geojson", "zones");
    REQUIRE(l.features.size() == 2);
    CHECK(l.features[0].geometry.polygons.size() == 1); // valid: untouched
    CHECK(l.features[0].geometry.polygons[0].rings[0].size() == 5);
    REQUIRE(l.features[1].geometry.polygons.size() == 2); // bow-tie: two triangles
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Contains("bowtie.geojson") && Contains("layer 'bowtie'") &&
                                Contains("feature " + std::to_string(l.features[1].fid)) &&
                                Contains("Self-intersection") && Contains("MakeValid"));
    CHECK(l.features[1].fid == 7);
    double area = 0; // shoelace over both triangles: 1 + 1 square degree
    for (const auto &poly : l.features[1].geometry.polygons) {
        const auto &r = poly.rings[0];
        double s = 0;
        for (std::size_t i = 0; i + 1 < r.size(); ++i)
            s += r[i].lon * r[i + 1].lat - r[i + 1].lon * r[i].lat;
        area += std::abs(s) / 2;
    }
    CHECK(area == Approx(2.0));
}

TEST_CASE_METHOD(LayerFixture, "loadLayer: bad inputs are InputErrors naming file, layer and feature",
                 "[gdal]") {
    SECTION("missing file") {
        CHECK_THROWS_AS(load("no_such_file.geojson", "deposits"), InputError);
        CHECK_THROWS_WITH(load("no_such_file.geojson", "deposits"), Contains("layer 'deposits'") &&
                                                                        Contains("no_such_file.geojson") &&
                                                                        Contains("does not exist"));
    }
    SECTION("malformed file") {
        CHECK_THROWS_AS(load("malformed.geojson"), InputError);
        CHECK_THROWS_WITH(load("malformed.geojson"),
                          Contains("malformed.geojson") && Contains("cannot open"));
    }
    SECTION("no CRS") {
        CHECK_THROWS_AS(load("nocrs.csv"), InputError);
        CHECK_THROWS_WITH(load("nocrs.csv"), Contains("nocrs.csv") && Contains("layer 'nocrs'") &&
                                                 Contains("no coordinate reference system"));
    }
    SECTION("empty layer") {
        CHECK_THROWS_AS(load("empty.geojson"), InputError);
        CHECK_THROWS_WITH(load("empty.geojson"),
                          Contains("empty.geojson") && Contains("layer 'empty'") && Contains("no features"));
    }
    SECTION("swapped latitude/longitude") {
        CHECK_THROWS_AS(load("swapped.geojson"), InputError);
        CHECK_THROWS_WITH(load("swapped.geojson"), Contains("swapped.geojson") &&
                                                       Contains("layer 'swapped'") && Contains("feature 0") &&
                                                       Contains("swapped"));
    }
    SECTION("unknown layer") {
        CHECK_THROWS_WITH(load("z_points.geojson|layername=deposits"),
                          Contains("z_points.geojson") && Contains("no layer named 'deposits'"));
    }
    SECTION("feature without geometry") {
        CHECK_THROWS_WITH(load("nogeom.geojson"),
                          Contains("nogeom.geojson") && Contains("feature 3") && Contains("no geometry"));
    }
}

TEST_CASE("resolveSource keeps options and connection strings intact", "[gdal]") {
    CHECK(io::resolveSource("a.gpkg|layername=x|subset=n > 1", "/data") ==
          "/data/a.gpkg|layername=x|subset=n > 1");
    CHECK(io::resolveSource("/abs/a.geojson", "/data") == "/abs/a.geojson");
    CHECK(io::resolveSource("../b/a.geojson", "/data/s") == "/data/b/a.geojson");
    CHECK(io::resolveSource("PG:dbname=gis|layername=t", "/data") == "PG:dbname=gis|layername=t");
    CHECK(io::resolveSource("a.geojson", "") == "a.geojson");
}

TEST_CASE("redactSource hides PG: passwords and URL credentials, nothing else", "[gdal]") {
    CHECK(io::redactSource("PG:host=db dbname=gis user=a password=s3cr3t port=5432|layername=t") ==
          "PG:host=db dbname=gis user=a password=*** port=5432|layername=t");
    CHECK(io::redactSource("PG:dbname=gis PASSWORD='a b\\'c' user=x") == "PG:dbname=gis PASSWORD=*** user=x");
    CHECK(io::redactSource("PG:postgresql://user:pw@host:5432/gis") ==
          "PG:postgresql://user:***@host:5432/gis");
    CHECK(io::redactSource("/vsicurl/https://example.org/a.geojson") ==
          "/vsicurl/https://example.org/a.geojson");
    CHECK(io::redactSource("deposits.geojson|subset=grade > 1") == "deposits.geojson|subset=grade > 1");
}

TEST_CASE_METHOD(LayerFixture,
                 "loadLayer warns when a file has several layers and no |layername=", "[gdal]") {
    const auto l = load("layers.vrt");
    CHECK(l.features.size() == 4);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0], Contains("layers.vrt") && Contains("has 2 layers (utm, zpoints)") &&
                                Contains("reading the first, 'utm'") && Contains("|layername="));
    warnings.clear();
    load("layers.vrt|layername=zpoints");
    CHECK(warnings.empty());
}
