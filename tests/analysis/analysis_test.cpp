// HostileIndex, measure() and buildRings(): statuses, range sources, ring edges against the
// distances, real DeepState and Natural Earth geometry against a GeographicLib brute force.
#include "analysis/reference.hpp"
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/spatial_index.hpp"
#include "orefront/geos/geos_context.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

using namespace orefront;
using analysis::HostileIndex;
using model::FieldType;
using model::LayerRole;
using model::LonLat;
using testing::BruteForce;
using testing::geodesicM;
using testing::makeLayer;
using testing::Row;
using testing::specFor;

namespace {

// Three zones along the 48th parallel, one status each.
struct StatusFixture {
    model::Layer zones = makeLayer(
        "zones", LayerRole::Hostile, {{"status", FieldType::String}},
        {
            {"POLYGON ((35 47, 36 47, 36 48, 35 48, 35 47))", {std::string("Occupied")}},
            {"POLYGON ((36 47, 36.5 47, 36.5 48, 36 48, 36 47))", {std::string("grey zone: CONTESTED")}},
            {"POLYGON ((37 47, 38 47, 38 48, 37 48, 37 47))", {std::string("liberated")}},
        });
    model::LayerSpec spec = [] {
        auto s = specFor("zones", LayerRole::Hostile);
        s.statusField = "Status"; // field names are case-insensitive
        s.hostileStatuses = {"occupied"};
        s.contestedStatuses = {"contested"};
        return s;
    }();
};

} // namespace

TEST_CASE_METHOD(StatusFixture, "HostileIndex: hostile, contested and ignored statuses", "[analysis]") {
    const HostileIndex idx({{&zones, &spec}});
    CHECK(idx.segmentCount() == 4); // only the occupied square is a firing position

    const auto inOccupied = idx.query(LonLat{35.5, 47.5});
    CHECK(inOccupied.occupied);
    CHECK_FALSE(inOccupied.contested);
    REQUIRE(inOccupied.distanceKm);
    CHECK(*inOccupied.distanceKm == 0.0);

    const auto inContested = idx.query(LonLat{36.25, 47.5});
    CHECK_FALSE(inContested.occupied);
    CHECK(inContested.contested);
    REQUIRE(inContested.distanceKm);
    // to the occupied square's east edge (meridian 36), along the parallel: about 0.25 deg of longitude
    BruteForce ref;
    ref.addGeometryBoundary(zones.features[0].geometry);
    CHECK(*inContested.distanceKm * 1000 == Approx(ref.distanceM({36.25, 47.5})).margin(1.0));
    CHECK(*inContested.distanceKm == Approx(18.8).margin(0.2));

    const auto inLiberated = idx.query(LonLat{37.5, 47.5});
    CHECK_FALSE(inLiberated.occupied);
    CHECK_FALSE(inLiberated.contested);
    CHECK(*inLiberated.distanceKm * 1000 == Approx(ref.distanceM({37.5, 47.5})).margin(1.0));
}

TEST_CASE_METHOD(StatusFixture, "HostileIndex: no status field makes every feature hostile", "[analysis]") {
    auto plain = specFor("zones", LayerRole::Hostile);
    const HostileIndex idx({{&zones, &plain}});
    CHECK(idx.segmentCount() == 12);
    CHECK(idx.query(LonLat{36.25, 47.5}).occupied);
    CHECK(idx.query(LonLat{37.5, 47.5}).occupied);
    CHECK_FALSE(idx.query(LonLat{36.75, 47.5}).occupied);
}

TEST_CASE_METHOD(StatusFixture, "HostileIndex: a missing status field is an InputError naming it",
                 "[analysis]") {
    spec.statusField = "control";
    CHECK_THROWS_AS(HostileIndex({{&zones, &spec}}), InputError);
    CHECK_THROWS_WITH(HostileIndex({{&zones, &spec}}), Catch::Contains("zones") &&
                                                           Catch::Contains("'control'") &&
                                                           Catch::Contains("status_field"));
    CHECK_THROWS_AS(analysis::buildRings({{&zones, &spec}}, {20}), InputError);
}

TEST_CASE("HostileIndex: range_from = false counts for occupied only", "[analysis]") {
    const auto zone =
        makeLayer("zone", LayerRole::Hostile, {}, {{"POLYGON ((30 50, 31 50, 31 51, 30 51, 30 50))", {}}});
    const auto front = makeLayer("front", LayerRole::Front, {}, {{"LINESTRING (35 47, 35 48)", {}}});
    auto zoneSpec = specFor("zone", LayerRole::Hostile);
    zoneSpec.rangeFrom = false;
    const auto frontSpec = specFor("front", LayerRole::Front);
    const HostileIndex idx({{&zone, &zoneSpec}, {&front, &frontSpec}});
    CHECK(idx.segmentCount() == 1);

    const auto inside = idx.query(LonLat{30.5, 50.5});
    CHECK(inside.occupied);
    CHECK(*inside.distanceKm == 0.0);
    // just outside the zone: measured to the front line 500 km away, not to the zone
    const LonLat p{31.01, 50.5};
    const auto outside = idx.query(p);
    CHECK_FALSE(outside.occupied);
    BruteForce ref;
    ref.addPath({{35, 47}, {35, 48}});
    CHECK(*outside.distanceKm * 1000 == Approx(ref.distanceM(p)).margin(1.0));
    CHECK(*outside.distanceKm > 400);

    // with nothing to range from, there is no distance at all
    const HostileIndex onlyZone({{&zone, &zoneSpec}});
    CHECK_FALSE(onlyZone.query(p).distanceKm.has_value());
    CHECK(onlyZone.query(LonLat{30.5, 50.5}).occupied);
}

TEST_CASE("HostileIndex: polygon and line queries take the minimum over the geometry", "[analysis]") {
    const auto front = makeLayer("front", LayerRole::Front, {}, {{"LINESTRING (35 47, 35 49)", {}}});
    const auto spec = specFor("front", LayerRole::Front);
    const HostileIndex idx({{&front, &spec}});
    // a square whose west edge is at 35.5: the nearest point of it is ~37.7 km from the line
    const auto square = testing::wkt("POLYGON ((35.5 47.9, 36 47.9, 36 48.1, 35.5 48.1, 35.5 47.9))");
    const auto hit = idx.query(square);
    BruteForce ref;
    ref.addPath({{35, 47}, {35, 49}});
    const double exact = ref.distanceM({35.5, 48.1}); // west corners are nearest
    CHECK(*hit.distanceKm * 1000 == Approx(exact).margin(50));
    CHECK_FALSE(hit.occupied);
    // a polygon deposit straddling an occupied zone is occupied
    const auto zone =
        makeLayer("zone", LayerRole::Hostile, {}, {{"POLYGON ((36 47, 37 47, 37 48, 36 48, 36 47))", {}}});
    const auto zoneSpec = specFor("zone", LayerRole::Hostile);
    const HostileIndex both({{&front, &spec}, {&zone, &zoneSpec}});
    const auto straddle =
        both.query(testing::wkt("POLYGON ((35.9 47.5, 36.1 47.5, 36.1 47.6, 35.9 47.6, 35.9 47.5))"));
    CHECK(straddle.occupied);
    CHECK(*straddle.distanceKm == 0.0);
}

// A hostile zone (or front line) lying wholly inside a large polygon deposit never meets the
// deposit's boundary samples; the index also tests containment the other way round.
TEST_CASE("HostileIndex: a hostile zone inside a polygon deposit makes it occupied", "[analysis]") {
    const auto zone = makeLayer("zone", LayerRole::Hostile, {},
                                {{"POLYGON ((35 47, 35.5 47, 35.5 47.5, 35 47.5, 35 47))", {}}});
    const auto front = makeLayer("front", LayerRole::Front, {}, {{"LINESTRING (38 47, 38.2 47.1)", {}}});
    const auto zoneSpec = specFor("zone", LayerRole::Hostile);
    const auto frontSpec = specFor("front", LayerRole::Front);
    const auto deposit = testing::wkt("POLYGON ((33 45, 40 45, 40 50, 33 50, 33 45))");
    const HostileIndex zoneOnly({{&zone, &zoneSpec}});
    const auto hit = zoneOnly.query(deposit);
    CHECK(hit.occupied);
    REQUIRE(hit.distanceKm);
    CHECK(*hit.distanceKm == 0.0);
    const HostileIndex frontOnly({{&front, &frontSpec}});
    REQUIRE(frontOnly.query(deposit).distanceKm);
    CHECK(*frontOnly.query(deposit).distanceKm == 0.0); // the front line runs through the deposit
}

TEST_CASE("HostileIndex: a polygon deposit close to, or crossed by, the front is measured exactly",
          "[analysis]") {
    // One long front segment, no vertex near the deposits: the nearest point of each deposit
    // lies in the middle of an edge, between its 1 km boundary samples.
    const auto front = makeLayer("front", LayerRole::Front, {}, {{"LINESTRING (35 46, 35 50)", {}}});
    const auto spec = specFor("front", LayerRole::Front);
    const HostileIndex idx({{&front, &spec}});
    BruteForce ref;
    ref.addPath({{35, 46}, {35, 50}});

    // ~2 km east of the front, edge parallel to it and 11 km long
    const auto near =
        testing::wkt("POLYGON ((35.027 47.95, 35.2 47.95, 35.2 48.05, 35.027 48.05, 35.027 47.95))");
    const auto hit = idx.query(near);
    REQUIRE(hit.distanceKm);
    const double exact = ref.distanceM({35.027, 48.0});
    CHECK(*hit.distanceKm * 1000 == Approx(exact).margin(std::max(50.0, exact * 1e-3)));

    // the front crosses the deposit, no front vertex inside it
    const auto crossed = testing::wkt("POLYGON ((34.9 47.9, 35.1 47.9, 35.1 48.1, 34.9 48.1, 34.9 47.9))");
    REQUIRE(idx.query(crossed).distanceKm);
    CHECK(*idx.query(crossed).distanceKm * 1000 < 50.0);
    CHECK_FALSE(idx.query(crossed).occupied); // a front line is not territory
}

TEST_CASE("measure(): infrastructure distance of a polygon deposit is from its nearest edge", "[analysis]") {
    const auto deposits =
        makeLayer("deposits", LayerRole::Deposits, {{"name", FieldType::String}},
                  {{"POLYGON ((30 48, 31 48, 31 49, 30 49, 30 48))", {std::string("block")}}});
    const auto ports = makeLayer("ports", LayerRole::Ports, {}, {{"POINT (31.5 48.5)", {}}});
    analysis::Inputs in;
    in.deposits = &deposits;
    in.ports = &ports;
    const auto m = analysis::measure(in, 1);
    REQUIRE(m.perDeposit[0].portKm);
    const double exact = geodesicM({31.0, 48.5}, {31.5, 48.5}); // east edge, same latitude
    CHECK(*m.perDeposit[0].portKm * 1000 == Approx(exact).margin(500.0));
    CHECK(*m.perDeposit[0].portKm * 1000 < geodesicM({30.5, 48.5}, {31.5, 48.5}) - 30000); // not the centre
}

TEST_CASE("measure(): occupied, front distance and infrastructure distances", "[analysis]") {
    const auto deposits = makeLayer("deposits", LayerRole::Deposits, {{"name", FieldType::String}},
                                    {
                                        {"POINT (35.5 47.5)", {std::string("inside")}},
                                        {"POINT (37 47.5)", {std::string("east")}},
                                        {"POINT (30.5 50.45)", {std::string("kyiv")}},
                                    });
    const auto zone =
        makeLayer("zone", LayerRole::Hostile, {}, {{"POLYGON ((35 47, 36 47, 36 48, 35 48, 35 47))", {}}});
    const auto ports =
        makeLayer("ports", LayerRole::Ports, {},
                  {{"POINT (30.73 46.48)", {}}, {"POINT (31.0 46.6)", {}}, {"POINT (37.55 47.1)", {}}});
    const auto zoneSpec = specFor("zone", LayerRole::Hostile);
    analysis::Inputs in;
    in.deposits = &deposits;
    in.hostile = {{&zone, &zoneSpec}};
    in.ports = &ports;
    const auto m = analysis::measure(in, 1);
    REQUIRE(m.perDeposit.size() == 3);

    CHECK(m.perDeposit[0].occupied);
    CHECK(*m.perDeposit[0].frontDistanceKm == 0.0);
    CHECK_FALSE(m.perDeposit[1].occupied);
    BruteForce ref;
    ref.addGeometryBoundary(zone.features[0].geometry);
    CHECK(*m.perDeposit[1].frontDistanceKm * 1000 == Approx(ref.distanceM({37, 47.5})).margin(1.0));
    CHECK(geodesicM(m.perDeposit[1].nearestHostile, {37, 47.5}) ==
          Approx(*m.perDeposit[1].frontDistanceKm * 1000).margin(1e-3));

    // ports are points: exact geodesic distance to the nearest one
    for (std::size_t i = 0; i < 3; ++i) {
        const LonLat d = deposits.features[i].geometry.points[0];
        double best = INFINITY;
        for (const auto &f : ports.features)
            best = std::min(best, geodesicM(d, f.geometry.points[0]));
        INFO("deposit " << i);
        REQUIRE(m.perDeposit[i].portKm);
        CHECK(*m.perDeposit[i].portKm * 1000 == Approx(best).margin(1e-3));
        CHECK_FALSE(m.perDeposit[i].railKm.has_value()); // no rail layer given
        CHECK_FALSE(m.perDeposit[i].powerKm.has_value());
    }
    // the same with threads: identical results
    const auto m2 = analysis::measure(in, 2);
    for (std::size_t i = 0; i < 3; ++i)
        CHECK(*m2.perDeposit[i].frontDistanceKm == *m.perDeposit[i].frontDistanceKm);

    analysis::Inputs none; // no deposits: nothing to measure
    CHECK(analysis::measure(none).perDeposit.empty());
    analysis::Inputs noHostile;
    noHostile.deposits = &deposits;
    CHECK_FALSE(analysis::measure(noHostile, 1).perDeposit[0].frontDistanceKm.has_value());
}

// --------------------------------------------------------------------------- rings

namespace {
struct RingsFixture {
    geos::GeosContext ctx;

    // Checks that the ring edges sit at the ring distance: every exterior vertex, both by
    // our HostileIndex and by the GeographicLib brute force (every 3rd vertex).
    void checkRings(const model::Layer &layer, const model::LayerSpec &spec) {
        const std::vector<analysis::HostileInput> in{{&layer, &spec}};
        const auto rings = analysis::buildRings(in, {20, 40});
        REQUIRE(rings.size() == 2);
        const HostileIndex idx(in);
        BruteForce ref;
        for (const auto &f : layer.features)
            ref.addGeometryBoundary(f.geometry);
        double maxErrKm = 0;
        for (const auto &ring : rings) {
            REQUIRE_FALSE(ring.area.polygons.empty());
            CHECK(ring.area.lines.empty());
            int k = 0;
            for (const auto &poly : ring.area.polygons)
                for (const auto &v : poly.rings.front()) {
                    const double tol = 0.005 * ring.km + 0.1;
                    const auto hit = idx.query(v);
                    INFO("ring " << ring.km << " km, vertex (" << v.lon << ", " << v.lat << ")");
                    REQUIRE(hit.distanceKm);
                    CHECK(*hit.distanceKm == Approx(ring.km).margin(tol));
                    maxErrKm = std::max(maxErrKm, std::abs(*hit.distanceKm - ring.km));
                    if (k++ % 3 == 0)
                        CHECK(ref.distanceM(v) / 1000 == Approx(ring.km).margin(tol));
                }
        }
        CHECK(maxErrKm < 0.3);
        // the 40 km ring contains the 20 km ring, and is larger
        auto r20 = geos::toGeos(ctx, rings[0].area), r40 = geos::toGeos(ctx, rings[1].area);
        double a20 = 0, a40 = 0;
        GEOSArea_r(ctx.handle(), r20.get(), &a20);
        GEOSArea_r(ctx.handle(), r40.get(), &a40);
        CHECK(a40 > 1.5 * a20);
        CHECK(GEOSContains_r(ctx.handle(), r40.get(), r20.get()) == 1);
        auto diff = ctx.check(GEOSDifference_r(ctx.handle(), r20.get(), r40.get()), "difference");
        double leftover = 0;
        GEOSArea_r(ctx.handle(), diff.get(), &leftover);
        CHECK(leftover == 0.0);
        // hostile territory itself is in range
        for (const auto &f : layer.features)
            for (const auto &poly : f.geometry.polygons) {
                auto g = geos::toGeos(ctx, poly);
                CHECK(GEOSCovers_r(ctx.handle(), r20.get(), g.get()) == 1);
            }
    }
};
} // namespace

TEST_CASE_METHOD(RingsFixture, "buildRings: ring edges match the distances around a short line",
                 "[analysis][geos]") {
    const auto front =
        makeLayer("front", LayerRole::Front, {}, {{"LINESTRING (35 48, 35.3 48.1, 35.6 48.05)", {}}});
    checkRings(front, specFor("front", LayerRole::Front));
}

TEST_CASE_METHOD(RingsFixture, "buildRings: ring edges match the distances around a polygon",
                 "[analysis][geos]") {
    const auto zone = makeLayer("zone", LayerRole::Hostile, {},
                                {{"POLYGON ((37 47, 37.5 47, 37.5 47.4, 37.2 47.2, 37 47.4, 37 47))", {}}});
    checkRings(zone, specFor("zone", LayerRole::Hostile));
}

TEST_CASE_METHOD(RingsFixture, "buildRings: a point and an edge across cell borders", "[analysis][geos]") {
    // 300 km of line across several 2-degree cells, plus an isolated firing point
    const auto front = makeLayer("front", LayerRole::Front, {},
                                 {{"LINESTRING (31.5 47.5, 35.5 48.5)", {}}, {"POINT (40 45)", {}}});
    checkRings(front, specFor("front", LayerRole::Front));
}

// --------------------------------------------------------------------------- real data

TEST_CASE("DeepState raw snapshot 2025-08-03: statuses from the `name` field", "[analysis][gdal][refdata]") {
    const char *rel = "frontline/deepstate_raw_2022_2025/deepstate_20250803T195825Z_polygons.geojson";
    OREFRONT_REQUIRE_REFDATA(rel);
    model::LayerSpec spec = specFor("deepstate", LayerRole::Hostile);
    spec.source = testing::refdata(rel);
    spec.statusField = "name";
    spec.hostileStatuses = {"occupied"};
    spec.contestedStatuses = {"unknown"};
    std::vector<std::string> warnings;
    const model::Layer layer = io::loadLayer(spec, "", warnings);
    CHECK(layer.features.size() > 100);
    const HostileIndex idx({{&layer, &spec}});
    const auto znpp = idx.query(LonLat{34.5863, 47.5119});
    CHECK(znpp.occupied);
    CHECK(*znpp.distanceKm == 0.0);
    CHECK_FALSE(idx.query(LonLat{30.5234, 50.4501}).occupied); // Kyiv
    CHECK_FALSE(idx.query(LonLat{36.2304, 49.9935}).occupied); // Kharkiv (liberated)
    CHECK(*idx.query(LonLat{36.2304, 49.9935}).distanceKm > 0);

    // a point in a grey zone: pick one inside an "unknown" polygon
    geos::GeosContext ctx;
    bool foundContested = false;
    const int nameIdx = layer.fieldIndex("name");
    for (const auto &f : layer.features) {
        if (model::toString(f.attributes[nameIdx]).find("status.unknown") == std::string::npos)
            continue;
        for (const auto &poly : f.geometry.polygons) {
            auto g = geos::toGeos(ctx, poly);
            auto pos = ctx.check(GEOSPointOnSurface_r(ctx.handle(), g.get()), "point on surface");
            const auto p = geos::fromGeos(ctx, pos.get()).points.at(0);
            foundContested = foundContested || idx.query(p).contested;
        }
    }
    CHECK(foundContested);
}

TEST_CASE("Russia from Natural Earth as hostile: across the border and the antimeridian",
          "[analysis][gdal][refdata]") {
    const char *rel = "boundaries/ne_50m_admin_0_countries.geojson";
    OREFRONT_REQUIRE_REFDATA(rel);
    model::LayerSpec spec = specFor("russia", LayerRole::Hostile);
    spec.source = testing::refdata(rel) + "|subset=ADMIN = 'Russia'";
    std::vector<std::string> warnings;
    const model::Layer russia = io::loadLayer(spec, "", warnings);
    REQUIRE(russia.features.size() == 1);
    CHECK(russia.bounds.minLon == -180);
    CHECK(russia.bounds.maxLon == 180);
    const HostileIndex idx({{&russia, &spec}});
    BruteForce ref;
    ref.addGeometryBoundary(russia.features[0].geometry);

    // An independent occupied test: GEOS point-in-polygon on the same multipolygon.
    geos::GeosContext ctx;
    auto geom = geos::toGeos(ctx, russia.features[0].geometry);
    auto geosContains = [&](LonLat p) {
        auto pt = ctx.check(GEOSGeom_createPointFromXY_r(ctx.handle(), p.lon, p.lat), "point");
        return GEOSContains_r(ctx.handle(), geom.get(), pt.get()) == 1;
    };

    SECTION("Kharkiv and a point north of it are within rocket range of Russia proper") {
        for (LonLat p : {LonLat{36.2304, 49.9935}, LonLat{36.3, 50.25}}) {
            const auto hit = idx.query(p);
            INFO("(" << p.lon << ", " << p.lat << ") at " << *hit.distanceKm << " km");
            CHECK_FALSE(hit.occupied);
            CHECK_FALSE(geosContains(p));
            CHECK(*hit.distanceKm > 0);
            CHECK(*hit.distanceKm < 40);
            CHECK(*hit.distanceKm * 1000 == Approx(ref.distanceM(p)).margin(50));
        }
    }
    SECTION("Chukotka on both sides of 180, and Wrangel Island, are occupied") {
        for (LonLat p : {LonLat{177, 65}, LonLat{-175, 66.5}, LonLat{179.99, 67.5}, LonLat{-179.99, 67.5},
                         LonLat{179.3, 71.2}, LonLat{-178.5, 71.2}}) {
            INFO("(" << p.lon << ", " << p.lat << ")");
            CHECK(geosContains(p)); // the reference says inside
            const auto hit = idx.query(p);
            CHECK(hit.occupied);
            CHECK(*hit.distanceKm == 0.0);
        }
    }
    SECTION("Points around the world agree with the brute force; cut edges are not borders") {
        std::vector<LonLat> pts = {{180, 62},
                                   {-179.9, 62.5},
                                   {-168, 65.8} /* Bering Strait */,
                                   {-150, 61},
                                   {142.7, 46.9} /* Sakhalin */,
                                   {20.5, 54.7} /* Kaliningrad */,
                                   {30.52, 50.45} /* Kyiv */,
                                   {24.1, 56.95} /* Riga */,
                                   {116.4, 39.9} /* Beijing */,
                                   {-100, 40},
                                   {0, 0}};
        std::mt19937_64 rng(50);
        std::uniform_real_distribution<double> lon(-180, 180), lat(35, 80);
        for (int i = 0; i < 40; ++i)
            pts.push_back({lon(rng), lat(rng)});
        double maxErrM = 0;
        for (auto p : pts) {
            const auto hit = idx.query(p);
            INFO("(" << p.lon << ", " << p.lat << ")");
            CHECK(hit.occupied == geosContains(p));
            if (hit.occupied)
                continue;
            const double exact = ref.distanceM(p);
            const double err = std::abs(*hit.distanceKm * 1000 - exact);
            CHECK(err <= (exact <= 2e6 ? std::max(50.0, 1e-3 * exact) : 1e-2 * exact));
            maxErrM = std::max(maxErrM, exact <= 2e6 ? err : 0.0);
        }
        CHECK(maxErrM < 50);
    }
}

TEST_CASE("measure(): the line-of-contact distance is the threshold's, not a constant", "[analysis]") {
    // A port 0.05 degrees east of the zone's east edge (36 E) at 47.5 N: about 3.8 km out by
    // GeographicLib; inside a 5 km line of contact, outside the default 2 km.
    const auto deposits = makeLayer("deposits", LayerRole::Deposits, {{"name", FieldType::String}},
                                    {{"POINT (36.3 47.5)", {std::string("east")}}});
    const auto zone =
        makeLayer("zone", LayerRole::Hostile, {}, {{"POLYGON ((35 47, 36 47, 36 48, 35 48, 35 47))", {}}});
    const auto ports = makeLayer("ports", LayerRole::Ports, {{"name", FieldType::String}},
                                 {{"POINT (36.05 47.5)", {std::string("Quay")}}});
    const auto zoneSpec = specFor("zone", LayerRole::Hostile);
    const double portToEdgeM = geodesicM({36.0, 47.5}, {36.05, 47.5});
    REQUIRE(portToEdgeM > 3000);
    REQUIRE(portToEdgeM < 4500);
    analysis::Inputs in;
    in.deposits = &deposits;
    in.hostile = {{&zone, &zoneSpec}};
    in.ports = &ports;
    CHECK(in.lineOfContactKm == model::Thresholds{}.lineOfContactKm);
    CHECK(in.lineOfContactKm == 2.0);

    const auto plain = analysis::measure(in, 1);
    REQUIRE(plain.perDeposit[0].portKm);
    CHECK(*plain.perDeposit[0].portKm * 1000 == Approx(geodesicM({36.3, 47.5}, {36.05, 47.5})).margin(1e-3));
    CHECK(plain.excluded.empty());

    in.lineOfContactKm = 5.0;
    const auto wide = analysis::measure(in, 1);
    CHECK_FALSE(wide.perDeposit[0].portKm.has_value());
    REQUIRE(wide.excluded.size() == 1);
    CHECK(wide.excluded[0].name == "Quay");
    CHECK(wide.excluded[0].reason == "within 5 km of hostile-controlled territory or a front line");

    // Just below the port's distance it serves again; Project::analysisInputs() passes the
    // scenario's threshold.
    in.lineOfContactKm = portToEdgeM / 1000 - 0.1;
    CHECK(analysis::measure(in, 1).perDeposit[0].portKm.has_value());
    model::Project p;
    p.scenario.thresholds.lineOfContactKm = 7.5;
    CHECK(p.analysisInputs().lineOfContactKm == 7.5);
}
