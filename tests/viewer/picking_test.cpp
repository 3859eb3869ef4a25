// Hover picking through the spatial grid: the marker under the cursor, the same as a scan of
// every marker would find, on synthetic markers and on the bundled scenario.
#include "map_document.hpp"
#include "map_legend.hpp"
#include "point_grid.hpp"

#include "orefront/io/scenario_io.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <random>

using namespace orefront;
using namespace orefront::viewer;

namespace {

// The rule of pickMarker, over every marker: the reference the grid must agree with.
int pickByScan(const LayerMesh &mesh, const std::vector<float> &diameters, const Camera &camera, double sx,
               double sy, float scale) {
    int best = -1;
    double bestD2 = 0;
    for (std::size_t i = 0; i < mesh.points.size(); ++i) {
        double px, py;
        camera.mercatorToScreen({mesh.origin.x + mesh.points[i].x, mesh.origin.y + mesh.points[i].y}, px, py);
        const double r = diameters[i] * scale * 0.5 + 2.0;
        const double d2 = (px - sx) * (px - sx) + (py - sy) * (py - sy);
        if (d2 <= r * r && (best < 0 || d2 <= bestD2 + 4.0)) {
            best = int(i);
            bestD2 = d2;
        }
    }
    return best;
}

Camera ukraineCamera() {
    Camera c;
    c.width = 1200;
    c.height = 800;
    c.fit({22, 44, 42, 53}, 0.0);
    return c;
}

struct Markers {
    LayerMesh mesh;
    std::vector<float> diameters;
    void add(model::LonLat p, float diameter) {
        const MercPoint m = toMercator(p);
        mesh.points.push_back({float(m.x - mesh.origin.x), float(m.y - mesh.origin.y)});
        mesh.pointFeature.push_back(std::uint32_t(mesh.points.size() - 1));
        diameters.push_back(diameter);
    }
};

} // namespace

TEST_CASE("Picking takes the nearest marker, or the one on top when about as near", "[viewer]") {
    const Camera camera = ukraineCamera();
    Markers m;
    m.mesh.origin = toMercator({32, 48.5});
    m.add({30.0, 48.0}, 20);  // 0
    m.add({30.0, 48.0}, 10);  // 1: over 0, same place
    m.add({35.0, 48.0}, 20);  // 2
    m.add({35.03, 48.0}, 20); // 3: over 2, a pixel or so east
    const PointGrid grid(m.mesh);
    auto screen = [&](model::LonLat p) {
        double x, y;
        camera.lonLatToScreen(p, x, y);
        return std::pair{x, y};
    };
    // Same place: the one drawn last is on top.
    const auto [x0, y0] = screen({30.0, 48.0});
    CHECK(pickMarker(m.mesh, grid, m.diameters, camera, x0, y0, 1.0f) == 1);
    // Between 2 and 3, nearer to 2 by more than the 2 px tolerance: 2.
    const auto [x2, y2] = screen({35.0, 48.0});
    const auto [x3, y3] = screen({35.03, 48.0});
    REQUIRE(x3 - x2 > 1.0);
    CHECK(pickMarker(m.mesh, grid, m.diameters, camera, x2 - 6, y2, 1.0f) == 2);
    CHECK(pickMarker(m.mesh, grid, m.diameters, camera, x3 + 6, y3, 1.0f) == 3);
    // Just outside marker 2's radius (10 px + 2 px of slack), and far from anything.
    CHECK(pickMarker(m.mesh, grid, m.diameters, camera, x2 - 12.5, y2, 1.0f) == -1);
    CHECK(pickMarker(m.mesh, grid, m.diameters, camera, x2 - 11.5, y2, 1.0f) == 2);
    CHECK(pickMarker(m.mesh, grid, m.diameters, camera, 5, 5, 1.0f) == -1);
    // Drawn smaller, the reach shrinks with them.
    CHECK(pickMarker(m.mesh, grid, m.diameters, camera, x2 - 11.5, y2, 0.5f) == -1);
}

TEST_CASE("Picking through the grid agrees with a scan of every marker", "[viewer]") {
    // 5,000 markers, clustered and uniform, some on top of each other, at three zooms.
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(22, 45), lat(44, 53), jitter(-0.05, 0.05);
    std::uniform_real_distribution<float> size(kMinMarkerPx, kMaxMarkerPx);
    Markers m;
    m.mesh.origin = toMercator({33.5, 48.5});
    for (int i = 0; i < 4000; ++i)
        m.add({lon(rng), lat(rng)}, size(rng));
    for (int i = 0; i < 1000; ++i)
        m.add({36.0 + jitter(rng), 48.0 + jitter(rng)}, size(rng));
    const PointGrid grid(m.mesh);
    CHECK(grid.cellCount() > 1000);

    std::uniform_real_distribution<double> sx(0, 1200), sy(0, 800);
    int hits = 0;
    for (const double zoom : {1.0, 8.0, 0.25}) {
        Camera camera = ukraineCamera();
        camera.zoomAround(600, 400, zoom);
        camera.pan(-60 * zoom, 10);
        for (int q = 0; q < 3000; ++q) {
            const double x = sx(rng), y = sy(rng);
            const float scale = q % 2 ? 1.0f : 0.4f;
            const int expected = pickByScan(m.mesh, m.diameters, camera, x, y, scale);
            const int got = pickMarker(m.mesh, grid, m.diameters, camera, x, y, scale);
            INFO("zoom " << zoom << " at " << x << "," << y);
            REQUIRE(got == expected);
            hits += got >= 0;
        }
    }
    CHECK(hits > 1000); // the comparison is not all misses
}

TEST_CASE("The grid query returns the points in the box, in draw order", "[viewer]") {
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(-50000, 50000);
    LayerMesh mesh;
    mesh.origin = {1e6, 6e6};
    for (int i = 0; i < 2000; ++i)
        mesh.points.push_back({u(rng), u(rng) * 0.2f}); // a flat cloud
    const PointGrid grid(mesh);
    std::vector<std::uint32_t> got;
    for (const double radius : {100.0, 3000.0, 20000.0, 1e6}) {
        const MercPoint centre{mesh.origin.x + 1234, mesh.origin.y - 777};
        grid.query(centre, radius, got);
        CHECK(std::is_sorted(got.begin(), got.end()));
        for (std::uint32_t i = 0; i < mesh.points.size(); ++i) {
            const double x = mesh.origin.x + mesh.points[i].x, y = mesh.origin.y + mesh.points[i].y;
            if (std::abs(x - centre.x) <= radius && std::abs(y - centre.y) <= radius)
                REQUIRE(std::binary_search(got.begin(), got.end(), i));
        }
    }
    grid.query({0, 0}, 10, got); // far away
    CHECK(got.empty());
}

TEST_CASE("Hover picking on the bundled scenario matches a scan", "[viewer][gdal]") {
    io::initGdal();
    const auto snap = loadScenarioSnapshot(OREFRONT_GEODATA_DIR "/scenario.toml", 0);
    MapDocument doc;
    doc.setScenario(snap);
    REQUIRE(snap->depositGrid);
    const LayerMesh &mesh = *snap->meshes[std::size_t(snap->depositsLayer)];
    const Camera camera = ukraineCamera();
    int hits = 0;
    for (double y = 0; y < camera.height; y += 3)
        for (double x = 0; x < camera.width; x += 3) {
            const int i = pickByScan(mesh, doc.markerSizes(), camera, x, y, 1.0f);
            const int expected = i < 0 ? -1 : int(mesh.pointFeature[std::size_t(i)]);
            REQUIRE(doc.pickDeposit(camera, x, y, 1.0f) == expected);
            hits += expected >= 0;
        }
    CHECK(hits > 100);
    // At a deposit's own position, that deposit.
    for (std::size_t d = 0; d < doc.report().deposits.size(); ++d) {
        double x, y;
        camera.lonLatToScreen(doc.depositAnchor(int(d)), x, y);
        if (x < 0 || y < 0 || x >= camera.width || y >= camera.height)
            continue;
        const int picked = doc.pickDeposit(camera, x, y, 1.0f);
        CHECK(picked >= 0);
        if (picked >= 0 && picked != int(d)) { // another marker on top, about as near
            double px, py;
            camera.lonLatToScreen(doc.depositAnchor(picked), px, py);
            CHECK(std::hypot(px - x, py - y) <= 2.0);
        }
    }
}

TEST_CASE("The grid's rectangle visit: whole cells lie inside, and with the edge cells' points it is the "
          "points in the rectangle, each once",
          "[viewer]") {
    std::mt19937 rng(11);
    std::uniform_real_distribution<float> u(-80000, 80000);
    LayerMesh mesh;
    mesh.origin = {3.7e6, 6.2e6};
    for (int i = 0; i < 3000; ++i)
        mesh.points.push_back({u(rng), u(rng) * 0.5f});
    for (int i = 0; i < 500; ++i) // a dense cluster, and points on top of each other
        mesh.points.push_back({1000.0f + float(i % 50), -2000.0f});
    const PointGrid grid(mesh);
    std::vector<std::vector<std::uint32_t>> members(grid.cellCount());
    for (std::uint32_t i = 0; i < mesh.points.size(); ++i)
        members[grid.cellOf(mesh.points[i])].push_back(i);

    std::uniform_int_distribution<std::size_t> pick(0, mesh.points.size() - 1);
    std::uniform_real_distribution<double> side(100, 120000);
    int wholeCells = 0;
    for (int q = 0; q < 300; ++q) {
        // Edges on points (inclusive), random, past the cloud, and the whole cloud.
        double x0, y0, x1, y1;
        if (q % 3 == 0) {
            const Vec2f a = mesh.points[pick(rng)], b = mesh.points[pick(rng)];
            x0 = std::min(a.x, b.x), x1 = std::max(a.x, b.x), y0 = std::min(a.y, b.y),
            y1 = std::max(a.y, b.y);
        } else {
            const Vec2f c = mesh.points[pick(rng)];
            const double w = side(rng), h = side(rng);
            x0 = c.x - w, x1 = c.x + w, y0 = c.y - h, y1 = c.y + h;
        }
        if (q == 299)
            x0 = -1e6, y0 = -1e6, x1 = 1e6, y1 = 1e6;
        const auto inside = [&](std::uint32_t i) {
            const Vec2f p = mesh.points[i];
            return p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1;
        };
        std::vector<int> seen(mesh.points.size(), 0);
        grid.visitRect(
            x0, y0, x1, y1,
            [&](const CellRange &r) {
                for (int cy = r.y0; cy < r.y1; ++cy)
                    for (int cx = r.x0; cx < r.x1; ++cx) {
                        ++wholeCells;
                        for (const std::uint32_t i :
                             members[std::size_t(cy) * std::size_t(grid.columns()) + std::size_t(cx)]) {
                            REQUIRE(inside(i));
                            ++seen[i];
                        }
                    }
            },
            [&](std::uint32_t i) { ++seen[i]; });
        for (std::uint32_t i = 0; i < mesh.points.size(); ++i) {
            INFO("rectangle " << q << ", point " << i);
            REQUIRE(seen[i] <= 1);
            if (inside(i))
                REQUIRE(seen[i] == 1);
        }
    }
    CHECK(wholeCells > 1000); // the rectangles are not all edge cells
    int calls = 0;
    grid.visitRect(
        2e6, 2e6, 3e6, 3e6, [&](const CellRange &) { ++calls; }, [&](std::uint32_t) { ++calls; });
    CHECK(calls == 0); // far away
}

TEST_CASE("Deposits in view and the marker scale through the grid equal a scan of every marker",
          "[viewer][gdal]") {
    io::initGdal();
    const auto snap = loadScenarioSnapshot(OREFRONT_GEODATA_DIR "/scenario.toml", 0);
    MapDocument doc;
    doc.setScenario(snap);
    REQUIRE(doc.depositGrid());
    // The same document with a copy of the deposits mesh: no grid of its own, so it scans.
    MapDocument scan = doc;
    for (auto &l : scan.layers())
        if (&l - scan.layers().data() == doc.depositsLayer() - doc.layers().data())
            l.mesh = std::make_shared<const LayerMesh>(*l.mesh);
    REQUIRE(!scan.depositGrid());
    const LayerMesh &mesh = *doc.depositsLayer()->mesh;
    int shrunk = 0, partial = 0;
    // A small view too: there the 35 markers cover more than a quarter of it, and shrink.
    for (const auto [w, h] : {std::pair{1200, 800}, std::pair{40, 30}})
        for (const double zoom : {1.0, 0.5, 0.1, 0.02, 0.004, 3.0, 12.0}) {
            for (const double panX : {0.0, -300.0, 450.0}) {
                Camera camera;
                camera.width = w;
                camera.height = h;
                camera.fit({22, 44, 42, 53}, 0.0);
                camera.zoomAround(w / 2.0, h / 2.0, zoom);
                camera.pan(panX * w / 1200, panX * w / 3600);
                INFO("view " << w << "x" << h << ", zoom " << zoom << ", pan " << panX);
                // The reference: every marker's centre against the view.
                std::array<int, 4> expected{};
                int expectedAll = 0;
                for (std::size_t i = 0; i < mesh.points.size(); ++i) {
                    double x, y;
                    camera.mercatorToScreen(
                        {mesh.origin.x + mesh.points[i].x, mesh.origin.y + mesh.points[i].y}, x, y);
                    if (x < -1e-3 || y < -1e-3 || x > camera.width + 1e-3 || y > camera.height + 1e-3)
                        continue;
                    ++expected[std::size_t(doc.report().deposits[mesh.pointFeature[i]].verdict)];
                    ++expectedAll;
                }
                const DepositsInView n = countDepositsInView(doc, camera);
                CHECK(n.inView == expected);
                CHECK(n.inViewAll == expectedAll);
                CHECK(n.totalAll == int(doc.report().deposits.size()));
                CHECK(
                    n.total[std::size_t(rules::Verdict::NotInvestable)] ==
                    std::count_if(doc.report().deposits.begin(), doc.report().deposits.end(),
                                  [](const auto &d) { return d.verdict == rules::Verdict::NotInvestable; }));
                partial += expectedAll > 0 && expectedAll < int(mesh.points.size());
                for (const float user : {1.0f, 2.5f}) {
                    const float got = doc.markerScaleAt(camera, user);
                    CHECK(got == Approx(scan.markerScaleAt(camera, user)));
                    shrunk += got < user;
                }
            }
        }
    CHECK(shrunk > 0);  // some views shrink the markers
    CHECK(partial > 0); // and some show part of the deposits
}
