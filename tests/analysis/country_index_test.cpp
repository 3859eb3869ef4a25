// Jurisdiction from location: the bundled Natural Earth admin-0 layer (de jure) and
// CountryIndex's point-in-polygon with a coastal tolerance.
#include "analysis/reference.hpp"
#include "orefront/analysis/country_index.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/model/iso3166.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <random>

using namespace orefront;
using Catch::Contains;

namespace {
const model::Layer &bundled() {
    static const model::Layer layer = [] {
        io::initGdal();
        model::LayerSpec spec;
        spec.id = "boundaries";
        spec.role = model::LayerRole::Boundaries;
        spec.source = analysis::bundledBoundariesPath();
        std::vector<std::string> warnings;
        return io::loadLayer(spec, "/", warnings);
    }();
    return layer;
}
const analysis::CountryIndex &bundledIndex() {
    static const analysis::CountryIndex index(bundled(), "iso_a3");
    return index;
}
} // namespace

TEST_CASE("The bundled boundaries are de jure: Crimea and the occupied Donbas are Ukraine", "[gdal]") {
    REQUIRE(std::filesystem::exists(analysis::bundledBoundariesPath()));
    const auto &idx = bundledIndex();
    CHECK(idx.countryCount() > 200);
    struct Case {
        const char *place;
        model::LonLat p;
        const char *code;
    };
    const Case cases[] = {
        {"Simferopol", {34.10, 44.95}, "UKR"}, // Natural Earth's default puts it in Russia
        {"Sevastopol", {33.52, 44.60}, "UKR"},
        {"Kerch", {36.47, 45.36}, "UKR"},
        {"Donetsk", {37.80, 48.00}, "UKR"},
        {"Luhansk", {39.30, 48.57}, "UKR"},
        {"Mariupol", {37.55, 47.10}, "UKR"},
        {"Kyiv", {30.52, 50.45}, "UKR"},
        {"Moscow", {37.62, 55.75}, "RUS"},
        {"Belgorod", {36.59, 50.60}, "RUS"},
        {"Chukotka east of 180", {-173.0, 65.5}, "RUS"},
        {"Minsk", {27.56, 53.90}, "BLR"},
        {"Paris (NE ISO_A3 -99)", {2.35, 48.86}, "FRA"},
        {"Oslo (NE ISO_A3 -99)", {10.75, 59.91}, "NOR"},
        {"Mountain Pass", {-115.53, 35.48}, "USA"},
        {"Bayan Obo", {109.97, 41.78}, "CHN"},
        {"Mount Weld", {122.55, -28.86}, "AUS"},
        {"Narsaq (Kvanefjeld)", {-45.90, 60.97}, "GRL"},
    };
    for (const auto &c : cases) {
        INFO(c.place);
        CHECK(idx.locate(c.p) == c.code);
    }
    for (const auto &f : bundled().features) {
        // every code is ISO 3166-1, but Kosovo's user-assigned XKX and the Siachen glacier
        const std::string code = model::toString(f.attributes[bundled().fieldIndex("iso_a3")]);
        if (code != "XKX" && code != "KAS") {
            INFO(code);
            CHECK_FALSE(model::iso3166::nameOf(code).empty());
        }
    }
}

TEST_CASE("CountryIndex: a coastal point just outside takes the nearest country within 25 km", "[gdal]") {
    const auto &idx = bundledIndex();
    // 5 km off Odesa's coast, in the Black Sea: outside every polygon of a generalised layer.
    const model::LonLat offOdesa = testing::directDeg({30.75, 46.47}, 135, 5000);
    CHECK(idx.locate(offOdesa, 0) == "");
    CHECK(idx.locate(offOdesa) == "UKR");
    // The middle of the Black Sea and of the Atlantic: nobody's.
    CHECK(idx.locate({34.0, 43.3}) == "");
    CHECK(idx.locate({-30.0, 30.0}) == "");
    CHECK(idx.locate({NAN, 10}) == "");
}

TEST_CASE("CountryIndex: a layer without a code field is refused, naming it", "[gdal]") {
    const auto layer =
        testing::makeLayer("world", model::LayerRole::Boundaries, {{"name", model::FieldType::String}},
                           {{"POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", {std::string("X")}}});
    CHECK_THROWS_AS(analysis::CountryIndex(layer, ""), InputError);
    CHECK_THROWS_WITH(analysis::CountryIndex(layer, ""), Contains("layer 'world'") && Contains("ISO_A3"));
    CHECK_THROWS_WITH(analysis::CountryIndex(layer, "iso"), Contains("'iso'") && Contains("iso_field"));
    const auto coded = testing::makeLayer(
        "world", model::LayerRole::Boundaries,
        {{"ISO_A3", model::FieldType::String}, {"ADM0_A3", model::FieldType::String}},
        {{"POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))", {std::string("-99"), std::string("FRA")}}});
    CHECK(analysis::CountryIndex(coded, "").locate({0.5, 0.5}) == "FRA"); // -99 falls back to ADM0_A3
}

TEST_CASE("CountryIndex: 200,000 random points in a few seconds at most", "[gdal][bench]") {
    const auto &idx = bundledIndex();
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(-180, 180), lat(-60, 75);
    std::vector<model::LonLat> pts(200000);
    for (auto &p : pts)
        p = {lon(rng), lat(rng)};
    const auto t0 = std::chrono::steady_clock::now();
    std::size_t located = 0;
    for (const auto &p : pts)
        located += !idx.locate(p).empty();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    WARN("CountryIndex: " << pts.size() << " random points in " << s << " s, " << located << " on land");
    CHECK(located > pts.size() / 5);
    CHECK(s < 5.0);
}

// Issue 11: locate() answers from a grid of cells that lie wholly in one country (or in none,
// beyond the coastal tolerance) and takes the exact test only near a border. It must give the
// exact test's answer everywhere: uniform points over the globe (the poles and the antimeridian
// included), points scattered within 60 km of border vertices, and points on the cells' own
// corners; each asked twice, the second time from the filled grid.
TEST_CASE("CountryIndex: the grid gives the exact lookup's answer, near borders too (issue 11)", "[gdal]") {
    const auto &idx = bundledIndex();
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> lon(-180.0, 180.0), lat(-90.0, 90.0), near(-0.55, 0.55);
    std::vector<model::LonLat> points;
    for (int i = 0; i < 200000; ++i)
        points.push_back({lon(rng), lat(rng)});
    std::vector<model::LonLat> vertices;
    for (const auto &f : bundled().features)
        for (const auto &poly : f.geometry.polygons)
            for (const auto &ring : poly.rings)
                for (const auto &v : ring)
                    vertices.push_back(v);
    REQUIRE(vertices.size() > 10000);
    std::uniform_int_distribution<std::size_t> pick(0, vertices.size() - 1);
    for (int i = 0; i < 200000; ++i) {
        const model::LonLat v = vertices[pick(rng)];
        points.push_back(
            {std::clamp(v.lon + near(rng), -180.0, 180.0), std::clamp(v.lat + near(rng), -90.0, 90.0)});
    }
    for (double y = 44.0; y <= 52.5; y += 0.125) // Ukraine and its neighbours: the cells' corners
        for (double x = 22.0; x <= 41.0; x += 0.125)
            points.push_back({x, y});
    points.push_back({180.0, 65.5});
    points.push_back({-180.0, -89.9});
    std::size_t located = 0, differing = 0;
    for (int pass = 0; pass < 2; ++pass)
        for (const auto &p : points) {
            const std::string_view grid = idx.locate(p), exact = idx.locateExact(p);
            located += !exact.empty();
            if (grid != exact && differing++ < 5) {
                INFO(p.lon << ", " << p.lat << ": grid '" << grid << "', exact '" << exact << "'");
                CHECK(grid == exact);
            }
        }
    CHECK(differing == 0);
    CHECK(located > points.size() / 2); // both passes, about half the points on land
    // A tolerance above the grid's margin goes exact: a point 40 km off the coast of Crimea.
    CHECK(idx.locate({33.0, 44.05}, 60.0) == idx.locateExact({33.0, 44.05}, 60.0));
}
