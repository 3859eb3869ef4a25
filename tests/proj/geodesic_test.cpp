// Geodesics through PROJ against GeographicLib (independent implementation): sub-millimetre.
#include "analysis/reference.hpp"
#include "orefront/model/error.hpp"
#include "orefront/proj/geodesic.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>
#include <catch2/catch.hpp>

#include <cmath>
#include <random>

using orefront::model::LonLat;
namespace proj = orefront::proj;
using orefront::testing::geodesicM;

namespace {
// Pairs spanning short, long, polar, antimeridian and nearly antipodal cases.
const std::vector<std::pair<LonLat, LonLat>> kPairs = {
    {{36.23, 49.99}, {36.25, 47.2333}},       // Kharkiv -> Novopoltavske
    {{34.5863, 47.5119}, {34.5864, 47.5119}}, // 7.5 m
    {{179, 60}, {-179, 60}},                  // across the antimeridian
    {{0, 89.9}, {180, 89.9}},                 // over the pole
    {{-115.53, 35.48}, {109.97, 41.77}},      // Mountain Pass -> Bayan Obo
    {{0, 0}, {179.5, 0.5}},                   // nearly antipodal
    {{30, -45}, {31, 45}},
};
} // namespace

TEST_CASE("geodesicDistanceM matches GeographicLib to 1 mm", "[proj]") {
    for (const auto &[a, b] : kPairs) {
        INFO("from (" << a.lon << ", " << a.lat << ") to (" << b.lon << ", " << b.lat << ")");
        CHECK(proj::geodesicDistanceM(a, b) == Approx(geodesicM(a, b)).margin(1e-3));
        CHECK(proj::geodesicDistanceM(b, a) == Approx(geodesicM(a, b)).margin(1e-3));
    }
    CHECK(proj::geodesicDistanceM({30, 50}, {30, 50}) == 0.0);
    // One degree of latitude at the equator: 110,574.389 m on WGS84 (meridian arc).
    CHECK(proj::geodesicDistanceM({0, 0}, {0, 1}) == Approx(110574.389).margin(1e-3));
}

TEST_CASE("geodesicInterpolate lies on the GeographicLib geodesic", "[proj]") {
    const auto &g = GeographicLib::Geodesic::WGS84();
    for (const auto &[a, b] : kPairs) {
        const auto line = g.InverseLine(a.lat, a.lon, b.lat, b.lon);
        for (double t : {0.0, 0.1, 0.5, 0.77, 1.0}) {
            double lat = 0, lon = 0;
            line.Position(t * line.Distance(), lat, lon);
            const LonLat got = proj::geodesicInterpolate(a, b, t);
            INFO("t = " << t << " from (" << a.lon << ", " << a.lat << ")");
            CHECK(geodesicM(got, {lon, lat}) < 1e-3);
        }
    }
}

TEST_CASE("geodesicDirect matches GeographicLib Direct", "[proj]") {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> lon(-180, 180), lat(-85, 85), azi(-180, 180), dist(0, 1.5e7);
    for (int i = 0; i < 200; ++i) {
        const LonLat from{lon(rng), lat(rng)};
        const double az = azi(rng), s = dist(rng);
        const LonLat want = orefront::testing::directDeg(from, az, s);
        const LonLat got = proj::geodesicDirect(from, az, s);
        INFO("from (" << from.lon << ", " << from.lat << ") az " << az << " s " << s);
        CHECK(geodesicM(got, want) < 1e-3);
        // and the distance back is the one asked for
        CHECK(geodesicM(from, got) == Approx(s).margin(1e-3));
    }
}

TEST_CASE("LocalAeqd round-trips and keeps distances from its centre exact", "[proj]") {
    const LonLat centre{35.0, 48.0};
    const proj::LocalAeqd aeqd(centre);
    CHECK(aeqd.center() == centre);
    std::vector<LonLat> pts;
    for (double az = -180; az < 180; az += 15)
        for (double s : {10.0, 1000.0, 80000.0, 500000.0, 2000000.0})
            pts.push_back(orefront::testing::directDeg(centre, az, s));
    std::vector<double> x, y;
    for (auto p : pts)
        x.push_back(p.lon), y.push_back(p.lat);
    aeqd.forward(x, y);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        double s12 = 0, azi1 = 0, azi2 = 0;
        GeographicLib::Geodesic::WGS84().Inverse(centre.lat, centre.lon, pts[i].lat, pts[i].lon, s12, azi1,
                                                 azi2);
        INFO("point " << i << " at " << s12 << " m");
        CHECK(std::hypot(x[i], y[i]) == Approx(s12).margin(1e-3)); // exact distance from the centre
        CHECK(std::atan2(x[i], y[i]) * 180 / M_PI == Approx(azi1).margin(1e-7)); // and azimuth
    }
    aeqd.inverse(x, y);
    for (std::size_t i = 0; i < pts.size(); ++i) {
        CHECK(x[i] == Approx(pts[i].lon).margin(1e-9));
        CHECK(y[i] == Approx(pts[i].lat).margin(1e-9));
    }
    std::vector<double> none;
    aeqd.forward(none, none); // empty input is fine
    CHECK(none.empty());
}

// Regression (bug found by the unit tests): LocalAeqd writes its centre with std::to_string,
// i.e. 6 decimals, so a centre given to more digits is moved by up to ~6 cm and distances
// from center() are no longer exact. Hidden until core/src/proj/geodesic.cpp is fixed.
TEST_CASE("LocalAeqd keeps full precision of a centre with many decimals", "[proj]") {
    const LonLat centre{35.12345674321, 48.76543214321};
    const proj::LocalAeqd aeqd(centre);
    const LonLat p = orefront::testing::directDeg(centre, 30, 50000);
    std::vector<double> x{p.lon}, y{p.lat};
    aeqd.forward(x, y);
    CHECK(std::hypot(x[0], y[0]) == Approx(50000).margin(1e-3));
    std::vector<double> cx{centre.lon}, cy{centre.lat};
    aeqd.forward(cx, cy);
    CHECK(std::hypot(cx[0], cy[0]) < 1e-3);
}
