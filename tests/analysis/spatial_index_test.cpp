// NearestSegments and AreaIndex against an independent GeographicLib brute force
// (analysis/reference.hpp), from exact synthetic cases to real DeepState geometry.
#include "analysis/reference.hpp"
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/spatial_index.hpp"
#include "orefront/io/scenario_io.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

using namespace orefront;
using analysis::AreaIndex;
using analysis::NearestSegments;
using model::LonLat;
using testing::BruteForce;
using testing::geodesicM;
using testing::wkt;

namespace {

// The same geometry in our index and in the brute-force reference.
struct SegmentsFixture {
    NearestSegments index;
    BruteForce ref;

    void add(const std::string &text) {
        const model::Geometry g = wkt(text);
        for (const auto &p : g.points)
            index.addPoint(p);
        for (const auto &l : g.lines)
            index.addPath(l);
        for (const auto &poly : g.polygons)
            for (const auto &r : poly.rings)
                index.addPath(r);
        ref.addGeometryBoundary(g);
    }
    double ours(LonLat p) const {
        auto r = index.nearest(p);
        REQUIRE(r.has_value());
        return r->distanceM;
    }
    // |ours - exact| in metres.
    double error(LonLat p) const { return std::abs(ours(p) - ref.distanceM(p)); }
};

// The foot of the perpendicular from p onto the meridian `lon`: the point F on it where the
// geodesic F -> p leaves at azimuth exactly 90 degrees (or -90). Found by bisection on F's latitude.
LonLat meridianFoot(LonLat p, double lon, double lat0, double lat1) {
    const auto &g = GeographicLib::Geodesic::WGS84();
    auto f = [&](double lat) {
        double s12 = 0, azi1 = 0, azi2 = 0;
        g.Inverse(lat, lon, p.lat, p.lon, s12, azi1, azi2);
        return std::abs(azi1) - 90; // < 0: p lies poleward-ish of F's east-west direction
    };
    double lo = lat0, hi = lat1;
    const double flo = f(lo);
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (lo + hi);
        if ((f(mid) < 0) == (flo < 0))
            lo = mid;
        else
            hi = mid;
    }
    return {lon, 0.5 * (lo + hi)};
}

} // namespace

TEST_CASE("NearestSegments: empty index answers nothing", "[analysis]") {
    NearestSegments idx;
    idx.build();
    CHECK(idx.empty());
    CHECK_FALSE(idx.nearest({30, 50}).has_value());
}

TEST_CASE_METHOD(SegmentsFixture, "NearestSegments: a point on the line is at distance 0", "[analysis]") {
    add("LINESTRING (35 48, 35.04 48.02, 35.1 48.0)"); // short segments (under 10 km)
    add("LINESTRING (20 50, 27 50)");                  // one 500 km segment
    index.build();
    CHECK(ours({35.04, 48.02}) < 1e-6); // a vertex
    CHECK(ours({35, 48}) < 1e-6);
    CHECK(ours({27, 50}) < 1e-6);
    CHECK(ours({35.02, 48.01}) < 1.0); // middle of a 3.5 km segment
    // the middle of the 500 km geodesic, computed by GeographicLib
    const auto &g = GeographicLib::Geodesic::WGS84();
    const auto line = g.InverseLine(50, 20, 50, 27);
    for (double t : {0.25, 0.5, 0.9}) {
        double lat = 0, lon = 0;
        line.Position(t * line.Distance(), lat, lon);
        INFO("t = " << t);
        CHECK(ours({lon, lat}) < 0.5);
    }
}

TEST_CASE_METHOD(SegmentsFixture, "NearestSegments: off a meridian segment, distance to the exact foot",
                 "[analysis]") {
    add("LINESTRING (30 40, 30 50)"); // a meridian: the geodesic is the meridian itself
    index.build();
    for (LonLat p : {LonLat{31, 45}, LonLat{29.5, 41}, LonLat{33, 48.5}, LonLat{30.01, 44}}) {
        const LonLat foot = meridianFoot(p, 30, 39, 51);
        const double exact = geodesicM(p, foot);
        auto r = index.nearest(p);
        REQUIRE(r);
        INFO("query (" << p.lon << ", " << p.lat << "), exact " << exact << " m, foot lat " << foot.lat);
        CHECK(r->distanceM == Approx(exact).margin(0.05));
        CHECK(r->nearest.lon == Approx(30).margin(1e-9));
        CHECK(r->nearest.lat == Approx(foot.lat).margin(2e-5));
        CHECK(ref.distanceM(p) == Approx(exact).margin(0.01)); // the reference agrees too
    }
    // Beyond the end: the distance to the end vertex.
    CHECK(ours({30, 52}) == Approx(geodesicM({30, 52}, {30, 50})).margin(0.05));
    CHECK(ours({31, 39}) == Approx(geodesicM({31, 39}, {30, 40})).margin(0.05));
}

TEST_CASE_METHOD(SegmentsFixture, "NearestSegments: a 500 km edge is a geodesic, not a parallel",
                 "[analysis]") {
    add("LINESTRING (20 50, 27 50)");
    index.build();
    // The geodesic bows about 6 km north of the 50th parallel at mid-span; a planar or
    // rhumb-line edge would put (23.5, 50) on the edge.
    CHECK(ours({23.5, 50}) > 4000);
    CHECK(ours({23.5, 50}) < 8000);
    for (LonLat p : {LonLat{23.5, 50}, LonLat{23.5, 50.3}, LonLat{23.5, 49}, LonLat{22, 52}, LonLat{26.9, 48},
                     LonLat{10, 50}, LonLat{23.5, 60}, LonLat{27.5, 50.2}}) {
        const double exact = ref.distanceM(p);
        INFO("query (" << p.lon << ", " << p.lat << "), exact " << exact << " m");
        CHECK(ours(p) == Approx(exact).margin(1.0));
    }
}

TEST_CASE_METHOD(SegmentsFixture, "NearestSegments: long closing edges of a coarse polygon (issue 11)",
                 "[analysis]") {
    // A dense western boundary closed by three edges of 230-400 km, as a coarse authored
    // polygon or a state border has: each long edge is indexed in pieces, measured as its
    // geodesic, and still counts as one segment with one id.
    std::string ring = "POLYGON ((";
    for (int i = 0; i <= 200; ++i)
        ring += std::to_string(34.0 + 0.002 * (i % 7)) + " " + std::to_string(46.0 + 0.02 * i) + ", ";
    ring += "38.5 50.0, 37.0 46.5, 34.0 46.0))";
    add(ring);
    index.build();
    CHECK(index.size() == 203); // 200 short edges + 3 long ones
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> lon(33, 40), lat(45, 51);
    std::uint32_t hint = UINT32_MAX;
    double worst = 0;
    for (int i = 0; i < 300; ++i) {
        const LonLat p{lon(rng), lat(rng)};
        const auto cold = index.nearest(p);
        const auto warm = index.nearest(p, hint);
        REQUIRE(cold);
        REQUIRE(warm);
        CHECK(cold->segment < index.size());
        CHECK(warm->distanceM == Approx(cold->distanceM).margin(1e-6));
        hint = warm->segment;
        const double exact = ref.distanceM(p);
        INFO("query (" << p.lon << ", " << p.lat << "), exact " << exact << " m");
        CHECK(cold->distanceM == Approx(exact).margin(1.0));
        worst = std::max(worst, std::abs(cold->distanceM - exact));
    }
    CHECK(worst < 1.0);
    // A point beside the middle of the 400 km edge (38.5 50 -> 37 46.5) is nearest to that edge.
    const auto mid = index.nearest({38.2, 48.2});
    REQUIRE(mid);
    CHECK(mid->segment == 201);
}

TEST_CASE_METHOD(SegmentsFixture, "NearestSegments: a line across the antimeridian", "[analysis]") {
    add("LINESTRING (179 60, -179 60)");
    index.build();
    for (LonLat p : {LonLat{180, 60.5}, LonLat{-180, 60.5}, LonLat{179.5, 59}, LonLat{-179.5, 61},
                     LonLat{178, 60}, LonLat{-178.5, 60}}) {
        const double exact = ref.distanceM(p);
        INFO("query (" << p.lon << ", " << p.lat << "), exact " << exact << " m");
        CHECK(exact < 120000); // the short way, not around the world
        CHECK(ours(p) == Approx(exact).margin(1.0));
    }
}

TEST_CASE_METHOD(SegmentsFixture, "NearestSegments: antimeridian cut edges are not borders", "[analysis]") {
    // One zone split at 180 as GeoJSON writers do: the two edges on 180 are cuts.
    add("POLYGON ((170 60, 180 60, 180 70, 170 70, 170 60))");
    add("POLYGON ((-180 60, -170 60, -170 70, -180 70, -180 60))");
    index.build();
    CHECK(index.size() == 6);
    for (LonLat p : {LonLat{179.9, 65}, LonLat{-179.9, 65}, LonLat{180, 65}, LonLat{-180, 66}}) {
        const double exact = ref.distanceM(p);
        INFO("query (" << p.lon << ", " << p.lat << "), exact " << exact << " m");
        CHECK(exact > 300000); // about 5 degrees of latitude to the nearest real edge
        CHECK(ours(p) == Approx(exact).margin(1.0));
    }
    AreaIndex area;
    area.addPolygon(wkt("POLYGON ((170 60, 180 60, 180 70, 170 70, 170 60))").polygons[0]);
    area.addPolygon(wkt("POLYGON ((-180 60, -170 60, -170 70, -180 70, -180 60))").polygons[0]);
    area.build();
    CHECK(area.contains({179.9, 65}));
    CHECK(area.contains({-179.9, 65}));
    CHECK_FALSE(area.contains({-165, 65}));
    CHECK_FALSE(area.contains({179.9, 71}));
}

TEST_CASE_METHOD(SegmentsFixture, "NearestSegments: isolated points and the warm-start hint", "[analysis]") {
    add("MULTIPOINT ((30.5 50.45), (36.23 49.99), (-115.53 35.48))");
    add("LINESTRING (33 47, 34 47.2, 35 47.1)");
    index.build();
    std::mt19937_64 rng(11);
    std::uniform_real_distribution<double> lon(25, 40), lat(44, 53);
    std::uint32_t hint = UINT32_MAX;
    for (int i = 0; i < 50; ++i) {
        const LonLat p{lon(rng), lat(rng)};
        auto cold = index.nearest(p);
        auto warm = index.nearest(p, hint);
        REQUIRE(cold);
        REQUIRE(warm);
        hint = warm->segment;
        CHECK(warm->distanceM == Approx(cold->distanceM).margin(1e-6));
        CHECK(cold->distanceM == Approx(ref.distanceM(p)).margin(1.0));
    }
    // a query on top of an isolated point
    CHECK(ours({36.23, 49.99}) < 1e-6);
    CHECK(ours({36.23, 50.99}) == Approx(geodesicM({36.23, 50.99}, {36.23, 49.99})).margin(1e-3));
    CHECK(index.nearest({36.23, 50.99}, 1u << 30)->distanceM > 0); // an out-of-range hint is ignored
}

// --------------------------------------------------------------------------- real geometry

namespace {
const char *kDeepState20260822 = "frontline/deepstate_cyterat_daily/deepstatemap_data_20260822.geojson";
const char *kDeepState20240708 = "frontline/deepstate_cyterat_daily/deepstatemap_data_20240708.geojson";

model::Layer loadRef(const std::string &rel, const std::string &suffix = {}) {
    model::LayerSpec spec;
    spec.id = "occupied";
    spec.role = model::LayerRole::Hostile;
    spec.source = testing::refdata(rel) + suffix;
    std::vector<std::string> warnings;
    return io::loadLayer(spec, "", warnings);
}
} // namespace

TEST_CASE("NearestSegments on the DeepState 2026-08-22 boundary vs GeographicLib brute force",
          "[analysis][refdata]") {
    OREFRONT_REQUIRE_REFDATA(kDeepState20260822);
    const model::Layer layer = loadRef(kDeepState20260822);
    NearestSegments index;
    BruteForce ref;
    for (const auto &f : layer.features) {
        for (const auto &poly : f.geometry.polygons)
            for (const auto &r : poly.rings)
                index.addPath(r);
        ref.addGeometryBoundary(f.geometry);
    }
    index.build();
    REQUIRE(index.size() > 2000);

    // 200 points within 2,000 km of the front, 40 beyond (to 6,000 km); deterministic.
    std::mt19937_64 rng(20260822);
    std::uniform_real_distribution<double> azi(-180, 180), near(0, 2.0e6), far(2.0e6, 6.0e6);
    const LonLat centre{36.0, 48.0};
    double maxErrNearM = 0, maxRelNear = 0, maxRelFar = 0;
    std::uint32_t hint = UINT32_MAX;
    for (int i = 0; i < 240; ++i) {
        const LonLat p = testing::directDeg(centre, azi(rng), i < 200 ? near(rng) : far(rng));
        const double exact = ref.distanceM(p);
        auto r = index.nearest(p, hint);
        REQUIRE(r);
        hint = r->segment;
        const double err = std::abs(r->distanceM - exact);
        INFO("query " << i << " (" << p.lon << ", " << p.lat << "): ours " << r->distanceM << " m, exact "
                      << exact << " m");
        if (exact <= 2.0e6) {
            CHECK(err <= std::max(50.0, 1e-3 * exact));
            maxErrNearM = std::max(maxErrNearM, err);
            if (exact > 50000) // below 50 km the 50 m floor applies
                maxRelNear = std::max(maxRelNear, err / exact);
        } else {
            CHECK(err <= 1e-2 * exact);
            maxRelFar = std::max(maxRelFar, err / exact);
        }
        // the reported nearest point is where the distance is measured to
        CHECK(geodesicM(p, r->nearest) == Approx(r->distanceM).margin(1e-3));
    }
    // 100 more within 30 km of a random boundary vertex, where the nearest point is mostly
    // inside a segment rather than at a vertex.
    std::vector<LonLat> vertices;
    for (const auto &f : layer.features)
        for (const auto &poly : f.geometry.polygons)
            for (const auto &r : poly.rings)
                vertices.insert(vertices.end(), r.begin(), r.end());
    std::uniform_int_distribution<std::size_t> pick(0, vertices.size() - 1);
    std::uniform_real_distribution<double> close(0, 3.0e4);
    int interior = 0;
    for (int i = 0; i < 100; ++i) {
        const LonLat p = testing::directDeg(vertices[pick(rng)], azi(rng), close(rng));
        LonLat at{};
        const double exact = ref.distanceM(p, &at);
        auto r = index.nearest(p);
        REQUIRE(r);
        const double err = std::abs(r->distanceM - exact);
        INFO("near query " << i << " (" << p.lon << ", " << p.lat << "): ours " << r->distanceM
                           << " m, exact " << exact << " m");
        CHECK(err <= 50.0);
        maxErrNearM = std::max(maxErrNearM, err);
        interior +=
            std::none_of(vertices.begin(), vertices.end(), [&](LonLat v) { return geodesicM(v, at) < 1.0; });
    }
    CHECK(interior >= 20); // the batch does test feet inside segments
    // The measured accuracy (shown with -s): far inside the brief's tolerance.
    CHECK(maxErrNearM < 50.0);
    CHECK(maxRelNear < 1e-3);
    CHECK(maxRelFar < 1e-2);
}

TEST_CASE("Acceptance points of refdata/frontline/SOURCE.md", "[analysis][refdata]") {
    OREFRONT_REQUIRE_REFDATA(kDeepState20260822);
    const LonLat znpp{34.5863, 47.5119}, kurakhove{37.2402, 47.9944}, novopoltavske{36.25, 47.2333},
        kakhovka{33.3697, 46.7786};

    auto areaOf = [](const model::Layer &l) {
        auto idx = std::make_unique<AreaIndex>();
        for (const auto &f : l.features)
            for (const auto &poly : f.geometry.polygons)
                idx->addPolygon(poly);
        idx->build();
        return idx;
    };

    SECTION("Zaporizhzhia NPP is inside on every date") {
        const std::string dir = testing::refdata("frontline/deepstate_cyterat_daily");
        int files = 0;
        for (const auto &entry : std::filesystem::directory_iterator(dir)) {
            if (entry.path().extension() != ".geojson")
                continue;
            ++files;
            INFO(entry.path().filename().string());
            CHECK(areaOf(loadRef("frontline/deepstate_cyterat_daily/" + entry.path().filename().string()))
                      ->contains(znpp));
        }
        CHECK(files >= 30);
    }
    SECTION("Kurakhove TPP: outside on 2024-07-08, inside on 2026-08-22") {
        CHECK_FALSE(areaOf(loadRef(kDeepState20240708))->contains(kurakhove));
        CHECK(areaOf(loadRef(kDeepState20260822))->contains(kurakhove));
    }
    SECTION("Kakhovka HPP lies on the Dnipro line, in neither polygon") {
        CHECK_FALSE(areaOf(loadRef(kDeepState20240708))->contains(kakhovka));
        CHECK_FALSE(areaOf(loadRef(kDeepState20260822))->contains(kakhovka));
    }
    SECTION("Novopoltavske: inside, 35.5 km from the polygon boundary on 2026-08-22") {
        CHECK(areaOf(loadRef(kDeepState20240708))->contains(novopoltavske));
        const model::Layer l = loadRef(kDeepState20260822);
        CHECK(areaOf(l)->contains(novopoltavske));

        // HostileIndex: inside means distance 0 by definition.
        model::LayerSpec spec;
        spec.id = "occupied";
        spec.role = model::LayerRole::Hostile;
        const analysis::HostileIndex hostile({{&l, &spec}});
        const auto hit = hostile.query(novopoltavske);
        CHECK(hit.occupied);
        REQUIRE(hit.distanceKm);
        CHECK(*hit.distanceKm == 0.0);

        // The distance to the polygon's rings themselves.
        NearestSegments rings;
        BruteForce ref;
        for (const auto &f : l.features) {
            for (const auto &poly : f.geometry.polygons)
                for (const auto &r : poly.rings)
                    rings.addPath(r);
            ref.addGeometryBoundary(f.geometry);
        }
        rings.build();
        const double km = rings.nearest(novopoltavske)->distanceM / 1000;
        CHECK(km == Approx(35.5).margin(0.1));
        CHECK(km * 1000 == Approx(ref.distanceM(novopoltavske)).margin(50));
    }
}

// --------------------------------------------------------------------------- AreaIndex

namespace {
struct AreaFixture {
    AreaIndex index;
    void add(const std::string &text) {
        for (const auto &p : wkt(text).polygons)
            index.addPolygon(p);
    }
};
} // namespace

TEST_CASE_METHOD(AreaFixture, "AreaIndex: a square with a hole", "[analysis]") {
    add("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (4 4, 6 4, 6 6, 4 6, 4 4))");
    index.build();
    CHECK(index.contains({2, 2}));
    CHECK(index.contains({9.999, 5}));
    CHECK_FALSE(index.contains({5, 5}));  // in the hole
    CHECK(index.contains({3.99, 5}));     // just outside the hole
    CHECK_FALSE(index.contains({11, 5})); // outside
    CHECK_FALSE(index.contains({5, -0.01}));
    CHECK_FALSE(index.contains({-180, 5}));
    CHECK(index.bounds().maxLon == 10);
}

TEST_CASE_METHOD(AreaFixture, "AreaIndex: overlapping polygons (the overlap is inside)", "[analysis]") {
    add("POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0))");
    add("POLYGON ((2 2, 6 2, 6 6, 2 6, 2 2))");
    add("POLYGON ((3 3, 3.5 3, 3.5 3.5, 3 3.5, 3 3))"); // a third, inside both
    index.build();
    CHECK(index.contains({1, 1}));
    CHECK(index.contains({5, 5}));
    CHECK(index.contains({2.5, 2.5})); // even crossings overall, odd per polygon
    CHECK(index.contains({3.2, 3.2})); // inside all three
    CHECK_FALSE(index.contains({5, 1}));
    CHECK_FALSE(index.contains({1, 5}));
}

TEST_CASE_METHOD(AreaFixture, "AreaIndex: many overlapping polygons on one scan line", "[analysis]") {
    // 40 nested squares: more than the 32 crossings kept on the stack.
    for (int i = 0; i < 40; ++i) {
        const double h = 40 - i;
        add("POLYGON ((" + std::to_string(-h) + " -1, " + std::to_string(h) + " -1, " + std::to_string(h) +
            " 1, " + std::to_string(-h) + " 1, " + std::to_string(-h) + " -1))");
    }
    index.build();
    CHECK(index.contains({0, 0}));
    CHECK(index.contains({39.5, 0}));
    CHECK_FALSE(index.contains({40.5, 0}));
}

TEST_CASE_METHOD(AreaFixture, "AreaIndex: a polygon written in 0..360 longitudes crosses 180", "[analysis]") {
    add("POLYGON ((170 60, 190 60, 190 70, 170 70, 170 60))");
    index.build();
    CHECK(index.contains({175, 65}));
    CHECK(index.contains({-175, 65})); // = 185
    CHECK(index.contains({180, 65}));
    CHECK(index.contains({-180, 65}));
    CHECK_FALSE(index.contains({-165, 65})); // = 195
    CHECK_FALSE(index.contains({165, 65}));
    CHECK_FALSE(index.contains({-175, 71}));
}

TEST_CASE_METHOD(AreaFixture, "AreaIndex: a polygon written below -180 crosses 180", "[analysis]") {
    add("POLYGON ((-190 60, -170 60, -170 70, -190 70, -190 60))");
    index.build();
    CHECK(index.contains({175, 65})); // = -185
    CHECK(index.contains({-175, 65}));
    CHECK_FALSE(index.contains({165, 65}));
}

TEST_CASE("AreaIndex: empty index contains nothing", "[analysis]") {
    AreaIndex idx;
    idx.build();
    CHECK(idx.empty());
    CHECK_FALSE(idx.contains({0, 0}));
}
