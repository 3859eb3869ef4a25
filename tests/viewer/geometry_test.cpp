// GL-free geometry of the viewer: projection, triangulation, line quads, marker sizes, the
// geodesic scale bar (against GeographicLib).
#include "render/graticule.hpp"
#include "render/layer_mesh.hpp"
#include "render/scale_bar.hpp"
#include "render/style.hpp"
#include "scenario_snapshot.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>

using namespace orefront;
using namespace orefront::viewer;

TEST_CASE("Mercator round trip within a millimetre", "[viewer]") {
    for (double lat : {-85.0, -47.23, 0.0, 12.5, 47.23, 60.0, 85.0}) {
        for (double lon : {-179.9, -73.0, 0.0, 36.25, 179.9}) {
            const auto back = fromMercator(toMercator({lon, lat}));
            // 1e-8 degree is about a millimetre.
            CHECK(back.lon == Approx(lon).margin(1e-8));
            CHECK(back.lat == Approx(lat).margin(1e-8));
        }
    }
    CHECK(toMercator({180, 0}).x == Approx(20037508.342789244));
    CHECK(toMercator({0, 90}).y == Approx(toMercator({0, kMercatorMaxLat}).y)); // clamped
}

TEST_CASE("Triangulating a polygon with a hole preserves its area", "[viewer]") {
    // A 10 x 10 square with a 4 x 4 hole, in lon/lat near the equator, area checked in
    // Mercator metres (the mesh's units).
    model::Polygon p;
    p.rings.push_back({{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}});
    p.rings.push_back({{0.3, 0.3}, {0.3, 0.7}, {0.7, 0.7}, {0.7, 0.3}, {0.3, 0.3}});
    MeshBuilder b(toMercator({0.5, 0.5}));
    b.addPolygon(p, true, false);
    const LayerMesh m = b.finish();
    const MercPoint lo = toMercator({0, 0}), hi = toMercator({1, 1});
    const MercPoint hlo = toMercator({0.3, 0.3}), hhi = toMercator({0.7, 0.7});
    const double expected = (hi.x - lo.x) * (hi.y - lo.y) - (hhi.x - hlo.x) * (hhi.y - hlo.y);
    REQUIRE(m.fillIndices.size() % 3 == 0);
    CHECK(m.fillIndices.size() / 3 == 8); // 8 vertices + 2 bridge copies - 2
    CHECK(meshArea(m.fillVertices, m.fillIndices) == Approx(expected).epsilon(1e-6));
}

TEST_CASE("Triangulating a concave 20k-vertex ring covers it exactly", "[viewer]") {
    // A star-shaped (deeply concave) ring: the z-order hashed path.
    std::vector<Vec2d> v;
    const int n = 20000;
    for (int i = 0; i < n; ++i) {
        const double a = 2 * M_PI * i / n;
        const double r = i % 2 ? 1000.0 : 600.0;
        v.push_back({r * std::cos(a), r * std::sin(a)});
    }
    double area = 0;
    for (int i = 0, j = n - 1; i < n; j = i++)
        area += (v[j].x + v[i].x) * (v[j].y - v[i].y) / 2;
    const auto idx = triangulate(v, {});
    std::vector<Vec2f> f;
    for (auto p : v)
        f.push_back({float(p.x), float(p.y)});
    CHECK(idx.size() == std::size_t(3 * (n - 2)));
    CHECK(meshArea(f, idx) == Approx(std::abs(area)).epsilon(1e-4));
}

TEST_CASE("A ring band is the outer ring minus the inner one, islands and holes included", "[viewer]") {
    // Squares in lon/lat near the equator; areas in Mercator metres (the mesh's units), from
    // the squares' corners, not from the code under test.
    auto square = [](double x0, double y0, double x1, double y1, bool ccw = true) {
        model::Path r{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}};
        if (!ccw)
            std::reverse(r.begin(), r.end());
        return r;
    };
    auto area = [](double x0, double y0, double x1, double y1) {
        const MercPoint lo = toMercator({x0, y0}), hi = toMercator({x1, y1});
        return (hi.x - lo.x) * (hi.y - lo.y);
    };
    auto meshedArea = [](const model::Geometry &g) {
        MeshBuilder b(toMercator({2, 2}));
        b.addGeometry(g, 0, true, false);
        const LayerMesh m = b.finish();
        return meshArea(m.fillVertices, m.fillIndices);
    };
    model::Geometry outer, inner;
    // Outer: a 4 x 4 square with a hole at (1.4..1.6); inner: a 2 x 2 square inside it with a
    // hole (1.2..1.8) around outer's hole, and a second inner square elsewhere.
    outer.polygons.push_back({{square(0, 0, 4, 4), square(1.4, 1.4, 1.6, 1.6, false)}});
    inner.polygons.push_back({{square(0.5, 0.5, 2.5, 2.5), square(1.2, 1.2, 1.8, 1.8, false)}});
    inner.polygons.push_back({{square(3, 3, 3.5, 3.5)}});
    // A second outer polygon with no inner ring inside it: its band is all of it.
    outer.polygons.push_back({{square(5, 0, 6, 1)}});
    const model::Geometry band = bandGeometry(outer, inner);
    const double expected = area(0, 0, 4, 4) - area(1.4, 1.4, 1.6, 1.6)             // outer, its hole out
                            - (area(0.5, 0.5, 2.5, 2.5) - area(1.2, 1.2, 1.8, 1.8)) // inner ring
                            - area(3, 3, 3.5, 3.5) + area(5, 0, 6, 1);
    CHECK(meshedArea(band) == Approx(expected).epsilon(1e-6));
    CHECK(meshedArea(band) == Approx(meshedArea(outer) - meshedArea(inner)).epsilon(1e-6));
    // Rings sharing an edge (territory wider than the inner distance lies in both): the band
    // has nothing there, and triangulates to the difference of the areas.
    model::Geometry wide, narrow;
    wide.polygons.push_back({{square(0, 0, 4, 4)}});
    narrow.polygons.push_back({{square(0, 0, 4, 2)}});
    CHECK(meshedArea(bandGeometry(wide, narrow)) == Approx(area(0, 2, 4, 4)).epsilon(1e-6));
    // No inner ring: the band is the outer ring.
    CHECK(meshedArea(bandGeometry(outer, {})) == Approx(meshedArea(outer)).epsilon(1e-9));
}

TEST_CASE("Line quads are as wide as asked, in pixels", "[viewer]") {
    model::Path path{{30, 48}, {31, 48.5}};
    MeshBuilder b(toMercator({30, 48}));
    b.addLine(path);
    const auto m = b.finish();
    REQUIRE(m.lineVertices.size() == 4);
    REQUIRE(m.lineIndices.size() == 6);
    // Put the segment on screen: (100, 100) -> (400, 500), 500 px long, width 3 px.
    const Vec2d a{100, 100}, c{400, 500};
    const float width = 3.0f;
    const Vec2d p0 = expandLineVertex(a, c, m.lineVertices[0].side, width);
    const Vec2d p1 = expandLineVertex(a, c, m.lineVertices[1].side, width);
    const Vec2d p2 = expandLineVertex(c, a, m.lineVertices[2].side, width);
    CHECK(std::hypot(p0.x - p1.x, p0.y - p1.y) == Approx(width));
    // The far corner is on the same side as the first: the quad is not twisted.
    const double cross0 = (c.x - a.x) * (p0.y - a.y) - (c.y - a.y) * (p0.x - a.x);
    const double cross2 = (c.x - a.x) * (p2.y - a.y) - (c.y - a.y) * (p2.x - a.x);
    CHECK(cross0 * cross2 > 0);
    // Square caps: half a width beyond each end.
    CHECK(std::hypot(p0.x - p2.x, p0.y - p2.y) == Approx(500 + width));
}

TEST_CASE("Marker size grows with tonnage, within bounds", "[viewer]") {
    CHECK(markerDiameterPx(std::nullopt) == kMinMarkerPx);
    CHECK(markerDiameterPx(0.0) == kMinMarkerPx);
    float previous = kMinMarkerPx;
    for (double t : {0.1, 1.0, 10.0, 100.0, 1000.0}) {
        const float d = markerDiameterPx(t);
        CHECK(d > previous);
        CHECK(d <= kMaxMarkerPx);
        previous = d;
    }
    CHECK(markerDiameterPx(1e9) == kMaxMarkerPx);
}

TEST_CASE("Scale bar matches the geodesic length at the latitude shown", "[viewer]") {
    const auto &geod = GeographicLib::Geodesic::WGS84();
    for (double lat : {0.0, 30.0, 47.5, 60.0, 70.0}) {
        for (double mpp : {20.0, 700.0, 5000.0}) {
            Camera cam;
            cam.width = 1280;
            cam.height = 800;
            cam.metresPerPixel = mpp;
            cam.center = toMercator({30, lat});
            const ScaleBar bar = chooseScaleBar(cam, lat, 200);
            REQUIRE(bar.pixels > 0);
            REQUIRE(bar.pixels <= 200);
            // The bar's two ends on screen, back to lon/lat, measured on the ellipsoid.
            const auto a = cam.screenToLonLat(cam.width / 2.0, cam.height / 2.0);
            const auto b = cam.screenToLonLat(cam.width / 2.0 + bar.pixels, cam.height / 2.0);
            double s12 = 0;
            geod.Inverse(a.lat, a.lon, b.lat, b.lon, s12);
            // Geodesic vs along-the-parallel differ by less than 0.1 % over a short bar.
            CHECK(s12 == Approx(bar.metres).epsilon(1e-3));
        }
    }
}

TEST_CASE("Graticule step keeps a handful of lines on screen", "[viewer]") {
    Camera cam;
    cam.width = 1600;
    cam.height = 1000;
    cam.fit({22, 44, 42, 53});
    const double step = graticuleStep(cam);
    CHECK((step == 2.0 || step == 5.0));
    CHECK(formatLon(35, step) == "35\xC2\xB0"
                                 "E");
    CHECK(formatLat(-12, 2) == "12\xC2\xB0S");
    CHECK(!buildGraticule(cam).lineIndices.empty());
}
