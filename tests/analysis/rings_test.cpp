// analysis::RingBoundary (issue 11): rings built from the prepared (simplified, projected once)
// boundary lie at their distance from the raw boundary within the promised tolerance, checked
// with a GeographicLib brute force; and they agree with rings from the unsimplified boundary.
#include "analysis/reference.hpp"
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/rings.hpp"
#include "orefront/geos/geos_context.hpp"

#include <GeographicLib/AzimuthalEquidistant.hpp>
#include <catch2/catch.hpp>

#include <cmath>

using namespace orefront;
using model::LayerRole;
using model::LonLat;
using testing::BruteForce;

namespace {

constexpr double kPi = 3.14159265358979323846;

// A front of 20,000 vertices (a meander with 20 m wiggles every few hundred metres, as a
// generated or digitised front has) closed into occupied territory by three straight edges of
// 120-300 km, as a coarse authored polygon or a state border: both kinds of edge in one.
model::Layer occupiedLayer() {
    model::Path ring;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        const double t = double(i) / (n - 1);
        const double lon = 35.0 + 3.0 * t, base = 47.5 + 1.0 * t;
        const double wiggle = 0.00018 * std::sin(2 * kPi * 400 * t) + 0.06 * std::sin(2 * kPi * 3 * t);
        ring.push_back({lon, base + wiggle});
    }
    ring.push_back({39.5, 48.5});
    ring.push_back({39.5, 46.8});
    ring.push_back({35.0, 46.9});
    ring.push_back(ring.front());
    model::Layer l;
    l.id = l.name = "occupied";
    l.source = "occupied.geojson";
    l.role = LayerRole::Hostile;
    model::Feature f;
    f.geometry.polygons.push_back(model::Polygon{{ring}});
    l.features.push_back(std::move(f));
    l.computeBounds();
    return l;
}

model::LayerSpec hostileSpec() {
    model::LayerSpec s;
    s.id = "occupied";
    s.role = LayerRole::Hostile;
    return s;
}

double areaDeg2(const geos::GeosContext &ctx, const GEOSGeometry *g) {
    double a = 0;
    GEOSArea_r(ctx.handle(), g, &a);
    return a;
}

bool samePolygons(const model::Geometry &a, const model::Geometry &b) {
    if (a.polygons.size() != b.polygons.size())
        return false;
    for (std::size_t i = 0; i < a.polygons.size(); ++i)
        if (a.polygons[i].rings != b.polygons[i].rings)
            return false;
    return true;
}

// A ring's edges (its polygons' rings as lines) in metres: GeographicLib's azimuthal
// equidistant projection centred on `centre` (independent of ours).
geos::GeomPtr edgesInMetres(const geos::GeosContext &ctx, const model::Geometry &area, LonLat centre) {
    const GeographicLib::AzimuthalEquidistant aeqd(GeographicLib::Geodesic::WGS84());
    model::Geometry lines;
    for (const auto &poly : area.polygons)
        for (const auto &ring : poly.rings) {
            model::Path xy;
            for (const auto &p : ring) {
                double x = 0, y = 0, azi = 0, rk = 0;
                aeqd.Forward(centre.lat, centre.lon, p.lat, p.lon, x, y, azi, rk);
                xy.push_back({x, y});
            }
            lines.lines.push_back(std::move(xy));
        }
    return geos::toGeos(ctx, lines);
}

} // namespace

TEST_CASE("RingBoundary: ring edges lie at their distance from the raw boundary within the tolerance",
          "[analysis][geos]") {
    const model::Layer layer = occupiedLayer();
    const model::LayerSpec spec = hostileSpec();
    const std::vector<analysis::HostileInput> in{{&layer, &spec}};
    const analysis::RingBoundary boundary(in, analysis::kRingToleranceM, 2);
    CHECK(boundary.toleranceM() == analysis::kRingToleranceM);
    // The preparation is worth it: far fewer vertices than the raw 20,000 (twice: the
    // territory and the firing paths).
    CHECK(boundary.vertexCount() < 40000 / 4);

    BruteForce ref;
    ref.addGeometryBoundary(layer.features[0].geometry);
    const analysis::HostileIndex idx(in);
    // 20 and 40 km widen the cells' 8 km buffers, 80 and 150 km their 32 km ones.
    const auto rings = boundary.build({20, 40, 80, 150}, 2);
    REQUIRE(rings.size() == 4);
    for (const auto &ring : rings) {
        REQUIRE(ring.area.polygons.size() == 1);
        // A vertex of the buffer lies on an arc (exact but for the simplification and the
        // projection's 0.03 %); the points densifyPlanar() adds lie on its chords, 16 a
        // quarter circle: up to R (1 - cos(pi / 64)) = 0.12 % inside.
        const double tolM = analysis::kRingToleranceM + 0.0003 * ring.km * 1000 + 0.0013 * ring.km * 1000;
        double worstM = 0;
        int k = 0;
        for (const auto &v : ring.area.polygons.front().rings.front()) {
            const auto hit = idx.query(v);
            REQUIRE(hit.distanceKm);
            INFO("ring " << ring.km << " km, vertex (" << v.lon << ", " << v.lat << ")");
            CHECK(std::abs(*hit.distanceKm * 1000 - ring.km * 1000) <= tolM);
            // Outside only by the simplification and the projection: chords lie inside.
            CHECK(*hit.distanceKm * 1000 - ring.km * 1000 <=
                  analysis::kRingToleranceM + 0.0003 * ring.km * 1000);
            if (k++ % 25 == 0) { // GeographicLib on a sample
                const double d = ref.distanceM(v);
                CHECK(std::abs(d - ring.km * 1000) <= tolM);
                worstM = std::max(worstM, std::abs(d - ring.km * 1000));
            }
        }
        CHECK(k > 200);
        WARN("ring " << ring.km << " km: " << k << " vertices, worst GeographicLib error on the sample "
                     << worstM << " m (tolerance " << tolM << " m)");
    }
}

TEST_CASE("RingBoundary: rings agree with rings from the unsimplified boundary", "[analysis][geos]") {
    const model::Layer layer = occupiedLayer();
    const model::LayerSpec spec = hostileSpec();
    const std::vector<analysis::HostileInput> in{{&layer, &spec}};
    const analysis::RingBoundary prepared(in);
    const analysis::RingBoundary exact(in, 0.0); // no simplification: the raw boundary
    CHECK(exact.vertexCount() > prepared.vertexCount());
    geos::GeosContext ctx;
    for (const double km : {20.0, 60.0}) {
        const auto a = geos::toGeos(ctx, prepared.build(km).area);
        const auto b = geos::toGeos(ctx, exact.build(km).area);
        const auto diff = ctx.check(GEOSSymDifference_r(ctx.handle(), a.get(), b.get()), "symdifference");
        double perimeterDeg = 0;
        GEOSLength_r(ctx.handle(), b.get(), &perimeterDeg);
        // Mean separation of the two edges: the area between them over the edge's length, in
        // metres at 48N (1 deg of latitude 111.2 km, of longitude 74.6 km; lengths taken at the
        // larger scale, so the figure errs high).
        const double areaM2 = areaDeg2(ctx, diff.get()) * 111200.0 * 74600.0;
        const double lengthM = perimeterDeg * 74600.0;
        INFO("ring " << km << " km");
        CHECK(areaM2 / lengthM < analysis::kRingToleranceM);
        CHECK(areaDeg2(ctx, a.get()) == Approx(areaDeg2(ctx, b.get())).epsilon(0.001));
    }
}

TEST_CASE("RingBoundary: threads give the same rings; no hostile positions give none", "[analysis][geos]") {
    const model::Layer layer = occupiedLayer();
    const model::LayerSpec spec = hostileSpec();
    const std::vector<analysis::HostileInput> in{{&layer, &spec}};
    const analysis::RingBoundary one(in, analysis::kRingToleranceM, 1), two(in, analysis::kRingToleranceM, 2);
    const auto r1 = one.build({20, 40, 80}, 1);
    const auto r2 = two.build({20, 40, 80}, 2);
    REQUIRE(r1.size() == 3);
    REQUIRE(r2.size() == 3);
    for (std::size_t i = 0; i < 3; ++i) {
        CHECK(r1[i].km == r2[i].km);
        CHECK(samePolygons(r1[i].area, r2[i].area));
    }
    // The older entry point builds the same rings.
    const auto old = analysis::buildRings(in, {40});
    CHECK(samePolygons(old.front().area, r1[1].area));

    const analysis::RingBoundary none{};
    CHECK(none.empty());
    const auto empty = none.build(std::vector<double>{20});
    REQUIRE(empty.size() == 1);
    CHECK(empty.front().area.empty());
}

// Issue 11: wide rings are widened from the cells' 8 and 32 km buffers instead of their 2 km
// ones (several times faster); the rings are the same as the 2 km route's within the ring
// tolerance, by Hausdorff distance between their edges and by the area between them.
TEST_CASE("RingBoundary: rings from the wider bases match those from the 2 km base", "[analysis][geos]") {
    const model::Layer layer = occupiedLayer();
    const model::LayerSpec spec = hostileSpec();
    const std::vector<analysis::HostileInput> in{{&layer, &spec}};
    const analysis::RingBoundary boundary(in, analysis::kRingToleranceM, 2);
    const std::vector<double> km{3, 20, 40, 80, 150};
    const auto now = boundary.build(km, 2);
    const auto before = boundary.buildFromNarrowestBase(km, 2);
    REQUIRE(now.size() == km.size());
    REQUIRE(before.size() == km.size());
    geos::GeosContext ctx;
    const LonLat centre{37.0, 47.8};
    for (std::size_t i = 0; i < km.size(); ++i) {
        INFO("ring " << km[i] << " km");
        REQUIRE(now[i].area.polygons.size() == 1);
        REQUIRE(before[i].area.polygons.size() == 1);
        // The tolerance the rings promise against the raw boundary (first test case).
        const double tolM = analysis::kRingToleranceM + 0.0003 * km[i] * 1000 + 0.0013 * km[i] * 1000;
        const auto a = edgesInMetres(ctx, now[i].area, centre);
        const auto b = edgesInMetres(ctx, before[i].area, centre);
        double hausdorffM = 0;
        REQUIRE(GEOSHausdorffDistanceDensify_r(ctx.handle(), a.get(), b.get(), 0.25, &hausdorffM) == 1);
        CHECK(hausdorffM <= tolM);
        // The area between the two, over the edge's length: the mean separation. Each ring's
        // chords lie inside its arcs, by (2/3) R (1 - cos(pi / 64)) = 0.08 % of R on average, at
        // places that differ between the two routes.
        const auto pa = geos::toGeos(ctx, now[i].area), pb = geos::toGeos(ctx, before[i].area);
        const auto diff = ctx.check(GEOSSymDifference_r(ctx.handle(), pa.get(), pb.get()), "symdifference");
        double perimeterDeg = 0;
        GEOSLength_r(ctx.handle(), pb.get(), &perimeterDeg);
        const double scaleM2 = 111200.0 * 74600.0, lengthM = perimeterDeg * 74600.0;
        const double meanM = areaDeg2(ctx, diff.get()) * scaleM2 / lengthM;
        CHECK(meanM < analysis::kRingToleranceM + 0.0008 * km[i] * 1000);
        // Both lie inside the exact buffer but for the simplification (first test case), so the
        // larger is the closer: the new ring is not inside the old one on average (measured:
        // it is the larger, by 3 m at 20 km and 48 m at 150 km, its outer arcs being shorter).
        const double shiftM = (areaDeg2(ctx, pa.get()) - areaDeg2(ctx, pb.get())) * scaleM2 / lengthM;
        CHECK(shiftM > -analysis::kRingToleranceM);
        if (km[i] < 16) // under twice the 8 km base: both start from the 2 km base
            CHECK(samePolygons(now[i].area, before[i].area));
        WARN("ring " << km[i] << " km: Hausdorff distance to the 2 km base's ring " << hausdorffM
                     << " m (tolerance " << tolM << " m), mean separation " << meanM
                     << " m, area difference over length " << shiftM << " m; vertices "
                     << now[i].area.polygons[0].rings[0].size() << " vs "
                     << before[i].area.polygons[0].rings[0].size());
    }
}
