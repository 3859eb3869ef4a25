// analysis::RingBoundary (issue 11): rings built from the prepared (simplified, projected once)
// boundary lie at their distance from the raw boundary within the promised tolerance, checked
// with a GeographicLib brute force; and they agree with rings from the unsimplified boundary.
#include "analysis/reference.hpp"
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/rings.hpp"
#include "orefront/geos/geos_context.hpp"

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
    const auto rings = boundary.build({20, 40}, 2);
    REQUIRE(rings.size() == 2);
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
