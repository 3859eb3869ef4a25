// Measurement annotations' geodesics (path length and bearings, ellipsoidal area, range
// circles) against GeographicLib directly, an implementation independent of PROJ's C port.
#include "orefront/proj/geodesic.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/PolygonArea.hpp>
#include <catch2/catch.hpp>

#include <cmath>

using orefront::model::LonLat;
namespace proj = orefront::proj;
using GeographicLib::Geodesic;

TEST_CASE("measurePath: length and per-leg bearing match GeographicLib", "[proj]") {
    // Kyiv -> Kharkiv -> Zaporizhzhia -> Odesa, and a leg across the antimeridian.
    const std::vector<LonLat> path = {{30.5234, 50.4501}, {36.2304, 49.9935}, {35.1396, 47.8388},
                                      {30.7233, 46.4825}, {179.5, 60},        {-179.5, 60.5}};
    const auto m = proj::measurePath(path);
    REQUIRE(m.legM.size() == path.size() - 1);
    REQUIRE(m.legBearingDeg.size() == path.size() - 1);
    const Geodesic &g = Geodesic::WGS84();
    double total = 0;
    for (std::size_t i = 1; i < path.size(); ++i) {
        double s12 = 0, azi1 = 0, azi2 = 0;
        g.Inverse(path[i - 1].lat, path[i - 1].lon, path[i].lat, path[i].lon, s12, azi1, azi2);
        INFO("leg " << i);
        CHECK(m.legM[i - 1] == Approx(s12).margin(1e-3));
        const double bearing = azi1 < 0 ? azi1 + 360 : azi1;
        CHECK(m.legBearingDeg[i - 1] == Approx(bearing).margin(1e-9));
        CHECK(m.legBearingDeg[i - 1] >= 0);
        CHECK(m.legBearingDeg[i - 1] < 360);
        total += s12;
    }
    CHECK(m.lengthM == Approx(total).margin(1e-3));
    // Due east along the equator is 90 degrees; due south 180.
    CHECK(proj::measurePath({{0, 0}, {1, 0}}).legBearingDeg[0] == Approx(90).margin(1e-9));
    CHECK(proj::measurePath({{10, 5}, {10, 4}}).legBearingDeg[0] == Approx(180).margin(1e-9));
    CHECK(proj::measurePath({{10, 5}}).lengthM == 0);
}

TEST_CASE("geodesicAreaM2 matches GeographicLib's PolygonArea, either winding, open or closed", "[proj]") {
    const std::vector<std::vector<LonLat>> rings = {
        {{30, 50}, {31, 50}, {31, 51}, {30, 51}},                       // a 1-degree cell near Kyiv
        {{36, 47}, {38.5, 47.2}, {37.9, 48.8}, {36.3, 48.1}, {36, 47}}, // a closed quadrilateral
        {{179, -10}, {-179, -10}, {-179, -8}, {179, -8}},               // across the antimeridian
        {{0, 0}, {90, 0}, {0, 89}},                                     // an eighth of a hemisphere
    };
    for (const auto &ring : rings) {
        GeographicLib::PolygonArea poly(Geodesic::WGS84());
        for (std::size_t i = 0; i < ring.size(); ++i)
            if (!(i + 1 == ring.size() && i > 0 && ring[i].lon == ring[0].lon && ring[i].lat == ring[0].lat))
                poly.AddPoint(ring[i].lat, ring[i].lon);
        double perimeter = 0, area = 0;
        poly.Compute(false, true, perimeter, area);
        INFO("ring from (" << ring[0].lon << ", " << ring[0].lat << ")");
        CHECK(proj::geodesicAreaM2(ring) == Approx(std::fabs(area)).epsilon(1e-12).margin(1e-3));
        std::vector<LonLat> reversed(ring.rbegin(), ring.rend());
        CHECK(proj::geodesicAreaM2(reversed) == Approx(std::fabs(area)).epsilon(1e-12).margin(1e-3));
    }
    // Not degrees, not Web Mercator: a 1x1 degree cell at 50 N is ~7,960 km2 on WGS84.
    CHECK(proj::geodesicAreaM2(rings[0]) / 1e6 == Approx(7960).epsilon(0.01));
    CHECK(proj::geodesicAreaM2({{0, 0}, {1, 1}}) == 0);
}

TEST_CASE("geodesicCircle: every vertex at the radius by GeographicLib, closed, lon in range", "[proj]") {
    for (const LonLat centre : {LonLat{37.8, 48.0}, LonLat{179.9, 65}, LonLat{-10, -45}}) {
        const auto ring = proj::geodesicCircle(centre, 70000, 96);
        REQUIRE(ring.size() == 97);
        CHECK(ring.front() == ring.back());
        for (const auto &p : ring) {
            double s12 = 0;
            Geodesic::WGS84().Inverse(centre.lat, centre.lon, p.lat, p.lon, s12);
            CHECK(s12 == Approx(70000).margin(1e-3));
            CHECK(p.lon >= -180);
            CHECK(p.lon <= 180);
        }
    }
}
