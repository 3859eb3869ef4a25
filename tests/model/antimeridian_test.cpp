// Issue 7: polygons and lines that cross the antimeridian, cut for a flat map
// (orefront/model/antimeridian.hpp). Cases modelled on Natural Earth as world-atlas stores
// them: an island across +-180 (Fiji, Wrangel), a polar cap with the coast as its "hole"
// (Antarctica), and a world box that must stay whole.
#include "orefront/model/antimeridian.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace orefront::model;

namespace {

// Planar shoelace area of a ring, in degrees squared.
double ringArea(const Path &r) {
    double a = 0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i)
        a += r[i].lon * r[i + 1].lat - r[i + 1].lon * r[i].lat;
    return std::abs(a) / 2;
}

double polygonArea(const Polygon &p) {
    double a = p.rings.empty() ? 0 : ringArea(p.rings[0]);
    for (std::size_t i = 1; i < p.rings.size(); ++i)
        a -= ringArea(p.rings[i]);
    return a;
}

bool withinWorld(const Polygon &p) {
    for (const auto &r : p.rings)
        for (const auto &v : r)
            if (v.lon < -180.0 || v.lon > 180.0)
                return false;
    return true;
}

bool anyEdgeSpansMap(const Polygon &p) {
    for (const auto &r : p.rings)
        for (std::size_t i = 1; i < r.size(); ++i)
            if (crossesAntimeridian(r[i - 1], r[i]))
                return true;
    return false;
}

} // namespace

TEST_CASE("An island across the antimeridian is cut into its two halves", "[model][issue7]") {
    // 2 x 1 degrees: 179..181 E as stored, with the east half written -180..-179.
    const Polygon island{{{{179, -17}, {-179, -17}, {-179, -16}, {179, -16}, {179, -17}}}};
    REQUIRE(anyEdgeSpansMap(island));
    const auto parts = splitPolygonAtAntimeridian(island);
    REQUIRE(parts.size() == 2);
    double area = 0;
    for (const auto &p : parts) {
        CHECK(withinWorld(p));
        CHECK_FALSE(anyEdgeSpansMap(p));
        CHECK(p.rings[0].front() == p.rings[0].back());
        CHECK(polygonArea(p) == Approx(1.0));
        area += polygonArea(p);
    }
    CHECK(area == Approx(2.0));
}

TEST_CASE("world-atlas's quantised cut (+179.87 to -180) and a hole are kept in their copy",
          "[model][issue7]") {
    const Polygon p{{{{170, 60}, {179.87, 60}, {-180, 60}, {-170, 60}, {-170, 70}, {170, 70}, {170, 60}},
                     {{-178, 64}, {-176, 64}, {-176, 66}, {-178, 66}, {-178, 64}}}};
    const auto parts = splitPolygonAtAntimeridian(p);
    REQUIRE(parts.size() == 2);
    double area = 0;
    for (const auto &part : parts) {
        CHECK(withinWorld(part));
        area += polygonArea(part);
    }
    CHECK(area == Approx(20.0 * 10.0 - 4.0));
    // The hole lies in the part west of -170 and east of -180.
    const auto &east = parts[0].rings[0][0].lon < 0 ? parts[0] : parts[1];
    CHECK(east.rings.size() == 2);
}

TEST_CASE("A ring round the south pole is closed along it, a cap at the pole is dropped", "[model][issue7]") {
    // world-atlas's Antarctica: exterior = a cap at -89.999, "hole" = the coast round the pole.
    Path cap, coast;
    for (int lon = -180; lon <= 180; lon += 30)
        cap.push_back({double(-lon), -89.999});
    for (int lon = -180; lon <= 180; lon += 30)
        coast.push_back({double(lon), lon % 60 == 0 ? -70.0 : -66.0});
    coast.back().lon = -180; // stored as -180 at both ends
    const auto parts = splitPolygonAtAntimeridian(Polygon{{cap, coast}});
    REQUIRE(parts.size() == 1);
    const Polygon &land = parts[0];
    CHECK(land.rings.size() == 1);
    CHECK(withinWorld(land));
    // It reaches the pole and spans the whole world.
    double minLat = 0, minLon = 0, maxLon = 0;
    for (const auto &v : land.rings[0])
        minLat = std::min(minLat, v.lat), minLon = std::min(minLon, v.lon), maxLon = std::max(maxLon, v.lon);
    CHECK(minLat == -90.0);
    CHECK(maxLon - minLon == Approx(360.0));
    // About 360 x 22 degrees.
    CHECK(polygonArea(land) > 360.0 * 20.0);
    CHECK(polygonArea(land) < 360.0 * 24.0);
}

TEST_CASE("Polygons that do not cross, and a world box along +-180, come back as they are",
          "[model][issue7]") {
    const Polygon square{{{{30, 40}, {31, 40}, {31, 41}, {30, 41}, {30, 40}}}};
    const auto a = splitPolygonAtAntimeridian(square);
    REQUIRE(a.size() == 1);
    CHECK(a[0].rings == square.rings);
    const Polygon world{{{{-180, -90}, {180, -90}, {180, 90}, {-180, 90}, {-180, -90}}}};
    const auto b = splitPolygonAtAntimeridian(world);
    REQUIRE(b.size() == 1);
    CHECK(b[0].rings == world.rings);
    CHECK(isAntimeridianCut({180, 10}, {-180, 20}));
    CHECK_FALSE(crossesAntimeridian({-180, -90}, {180, -90}));
}

TEST_CASE("A line across the antimeridian ends and restarts at +-180 at the crossing latitude",
          "[model][issue7]") {
    const auto pieces = splitPathAtAntimeridian({{178, 62}, {-178, 64}, {-176, 64}});
    REQUIRE(pieces.size() == 2);
    REQUIRE(pieces[0].size() == 2);
    CHECK(pieces[0][1].lon == 180.0);
    CHECK(pieces[0][1].lat == Approx(63.0));
    CHECK(pieces[1][0].lon == -180.0);
    CHECK(pieces[1][0].lat == Approx(63.0));
    CHECK(pieces[1].size() == 3);
    CHECK(splitPathAtAntimeridian({{10, 0}, {20, 0}}).size() == 1);
}
