// What keeps a full redraw cheap: simplified levels of detail, culling by chunk, and dense
// markers drawn on the CPU. GL-free.
#include "render/layer_mesh.hpp"
#include "render/marker_splat.hpp"
#include "render/style.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace orefront;
using namespace orefront::viewer;

namespace {

double distanceToSegment(Vec2d p, Vec2d a, Vec2d b) {
    const double dx = b.x - a.x, dy = b.y - a.y, len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? std::clamp(((p.x - a.x) * dx + (p.y - a.y) * dy) / len2, 0.0, 1.0) : 0.0;
    return std::hypot(a.x + t * dx - p.x, a.y + t * dy - p.y);
}

// A wiggly line like the generated front: 20,000 vertices, 3 m apart, waves of 40 m.
std::vector<Vec2d> wiggle(int n) {
    std::vector<Vec2d> path;
    for (int i = 0; i < n; ++i)
        path.push_back({i * 3.0, 40.0 * std::sin(i * 0.05) + 5.0 * std::sin(i * 0.9)});
    return path;
}

// The textbook recursion, at one tolerance: the reference the ranks are checked against.
void referenceDp(const std::vector<Vec2d> &path, std::size_t a, std::size_t b, double tolerance,
                 std::vector<bool> &keep) {
    double worst = tolerance;
    std::size_t index = 0;
    for (std::size_t i = a + 1; i < b; ++i)
        if (const double d = distanceToSegment(path[i], path[a], path[b]); d > worst) {
            worst = d;
            index = i;
        }
    if (!index)
        return;
    keep[index] = true;
    referenceDp(path, a, index, tolerance, keep);
    referenceDp(path, index, b, tolerance, keep);
}

std::size_t referenceKept(const std::vector<Vec2d> &path, double tolerance) {
    std::vector<bool> keep(path.size(), false);
    keep.front() = keep.back() = true;
    referenceDp(path, 0, path.size() - 1, tolerance, keep);
    return std::size_t(std::count(keep.begin(), keep.end(), true));
}

} // namespace

TEST_CASE("Douglas-Peucker's ranks give the textbook recursion's points at every tolerance", "[viewer]") {
    const auto path = wiggle(3000);
    const auto ranks = simplificationRanks(path);
    REQUIRE(ranks.size() == path.size());
    for (const double tolerance : {0.5, 2.0, 7.0, 30.0, 45.0, 200.0}) {
        std::vector<bool> keep(path.size(), false);
        keep.front() = keep.back() = true;
        referenceDp(path, 0, path.size() - 1, tolerance, keep);
        const auto simple = simplifyPath(path, tolerance);
        INFO("tolerance " << tolerance);
        REQUIRE(simple.size() == std::size_t(std::count(keep.begin(), keep.end(), true)));
        std::size_t j = 0;
        for (std::size_t i = 0; i < path.size(); ++i) {
            CHECK((ranks[i] > tolerance * tolerance) == keep[i]);
            if (keep[i]) {
                CHECK(simple[j].x == path[i].x);
                ++j;
            }
        }
    }
    // A straight run: only the ends.
    const std::vector<Vec2d> straight{{0, 0}, {1, 1}, {2, 2}, {3, 3}};
    CHECK(simplifyPath(straight, 0.01).size() == 2);
    CHECK(referenceKept(straight, 0.01) == 2);
}

TEST_CASE("Douglas-Peucker keeps every dropped point within the tolerance", "[viewer]") {
    const auto path = wiggle(20000);
    for (const double tolerance : {1.0, 10.0, 100.0}) {
        const auto simple = simplifyPath(path, tolerance);
        INFO("tolerance " << tolerance << ": " << simple.size() << " points");
        CHECK(simple.size() < (tolerance < 10 ? path.size() : path.size() / 20));
        CHECK(simple.front().x == path.front().x);
        CHECK(simple.back().x == path.back().x);
        // Every original point lies within the tolerance of the simplified segment spanning it.
        std::size_t s = 0;
        double worst = 0;
        for (const auto &p : path) {
            while (s + 2 < simple.size() && simple[s + 1].x <= p.x)
                ++s;
            worst = std::max(worst, distanceToSegment(p, simple[s], simple[s + 1]));
        }
        CHECK(worst <= tolerance + 1e-9);
    }
    CHECK(simplifyPath(path, 0).size() == path.size());
}

TEST_CASE("A simplified closed ring stays closed and keeps its far side", "[viewer]") {
    std::vector<Vec2d> ring;
    for (int i = 0; i < 1000; ++i)
        ring.push_back({1000 * std::cos(2 * M_PI * i / 1000), 1000 * std::sin(2 * M_PI * i / 1000)});
    ring.push_back(ring.front());
    const auto simple = simplifyPath(ring, 5.0);
    REQUIRE(simple.size() >= 4);
    CHECK(simple.size() < 100);
    CHECK(simple.front().x == simple.back().x);
    CHECK(simple.front().y == simple.back().y);
    double minX = 0;
    for (const auto &p : simple)
        minX = std::min(minX, p.x);
    CHECK(minX < -990); // the side opposite the start is still there
}

TEST_CASE("Levels of detail: fewer vertices when zoomed out, full detail when zoomed in", "[viewer]") {
    // A 20k-vertex line across 6 degrees, like a front line.
    model::Path front;
    for (int i = 0; i < 20000; ++i) {
        const double t = i / 20000.0;
        front.push_back(
            {32.5 + 6 * t + 0.001 * std::sin(i * 0.3), 46.6 + 2 * t + 0.001 * std::cos(i * 0.17)});
    }
    const auto mesh = std::make_shared<const LayerMesh>(
        buildMeshWithLevels(toMercator({35.5, 47.6}), [&](MeshBuilder &b) { b.addLine(front); }));
    REQUIRE(mesh->lineVertices.size() == 4 * 19999);
    REQUIRE(mesh->levels.size() >= 2);
    std::size_t previous = mesh->lineVertices.size();
    double lastTolerance = 0;
    for (const auto &level : mesh->levels) {
        CHECK(level.mesh->lineVertices.size() * 4 <= previous * 3);
        CHECK(level.mesh->points.empty());
        CHECK(level.toleranceM > lastTolerance);
        previous = level.mesh->lineVertices.size();
        lastTolerance = level.toleranceM;
        // The level equals the line simplified on its own at its tolerance: the shared ranks
        // change nothing.
        MeshBuilder alone(toMercator({35.5, 47.6}));
        alone.setTolerance(level.toleranceM);
        alone.addLine(front);
        const LayerMesh expected = alone.finish();
        REQUIRE(level.mesh->lineVertices.size() == expected.lineVertices.size());
        for (std::size_t i = 0; i < expected.lineVertices.size(); i += 97) {
            CHECK(level.mesh->lineVertices[i].pos.x == expected.lineVertices[i].pos.x);
            CHECK(level.mesh->lineVertices[i].pos.y == expected.lineVertices[i].pos.y);
        }
    }
    // Deep zoom: the full mesh. Theatre zoom (2 km/px): a level within a pixel, and more than
    // half a pixel (levels step by 2).
    CHECK(meshForResolution(mesh, 1.0).get() == mesh.get());
    const auto &theatre = meshForResolution(mesh, 2000.0);
    CHECK(theatre.get() != mesh.get());
    bool found = false;
    for (const auto &level : mesh->levels)
        if (level.mesh == theatre) {
            found = true;
            CHECK(level.toleranceM <= 2000.0);
            CHECK(level.toleranceM > 1000.0);
        }
    CHECK(found);
    CHECK(theatre->lineVertices.size() < mesh->lineVertices.size() / 10);
}

TEST_CASE("Only the chunks in view are drawn, merged into runs", "[viewer]") {
    // A line of 5,000 segments west to east: chunks follow it.
    MeshBuilder b(MercPoint{});
    model::Path path;
    for (int i = 0; i <= 5000; ++i)
        path.push_back({-25 + i * 0.01, 0});
    b.addLine(path);
    const LayerMesh m = b.finish();
    REQUIRE(m.lineChunks.size() >= 9);
    std::uint32_t total = 0;
    for (const auto &c : m.lineChunks)
        total += c.count;
    CHECK(total == m.lineIndices.size());
    std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;
    // Everything in view: one run of every index.
    visibleRuns(m.lineChunks, {0, 0}, 1e8f, 1e8f, runs);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].second == m.lineIndices.size());
    // A view around 0 degrees, 1 degree wide: a small part, and the segments there.
    const float half = float(toMercator({0.5, 0}).x);
    visibleRuns(m.lineChunks, {0, 0}, half, half, runs);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].second < m.lineIndices.size() / 4);
    const std::uint32_t firstSegment = runs[0].first / 6, lastSegment = (runs[0].first + runs[0].second) / 6;
    CHECK(firstSegment <= 2450); // the segment at -0.5 degrees
    CHECK(lastSegment >= 2550);  // the segment at +0.5 degrees
    // Nothing in view.
    visibleRuns(m.lineChunks, {0, float(toMercator({0, 40}).y)}, half, half, runs);
    CHECK(runs.empty());
}

TEST_CASE("Dense markers drawn on the CPU: colours, overlap order and the view", "[viewer]") {
    Camera camera;
    camera.width = 200;
    camera.height = 100;
    camera.metresPerPixel = 1000;
    LayerMesh mesh;
    mesh.origin = {5000, 0};
    // Screen (x, y) = (100 + (origin.x + px) / 1000, 50 - py / 1000).
    auto at = [&](double sx, double sy) {
        return Vec2f{float((sx - 100) * 1000 - mesh.origin.x + 500), float((50 - sy) * 1000 - 500)};
    };
    mesh.points = {at(20, 20), at(21, 20), at(150, 80), at(500, 20)};
    const std::uint32_t red = Rgba{255, 0, 0}.packed(), blue = Rgba{0, 0, 255}.packed();
    const std::uint32_t green = Rgba{0, 255, 0}.packed();
    const std::vector<std::uint32_t> colours{red, blue, green, green};
    const std::vector<float> sizes{9, 9, 1, 9};
    std::vector<std::uint32_t> image;
    splatMarkers(mesh, colours, sizes, camera, 1.0f, image);
    REQUIRE(image.size() == 200u * 100u);
    auto pixel = [&](int x, int y) {
        return image[std::size_t(99 - y) * 200 + std::size_t(x)];
    };                            // bottom row first
    CHECK(pixel(16, 20) == red);  // the first marker's left edge
    CHECK(pixel(20, 20) == blue); // covered by the second, drawn later
    CHECK(pixel(25, 20) == blue); // the second's right edge
    CHECK(pixel(27, 20) == 0u);   // beyond its 4.5 px radius
    CHECK(pixel(20, 26) == 0u);
    CHECK(pixel(150, 80) == green); // a 1 px marker still shows
    CHECK(pixel(151, 80) == 0u);
    std::size_t coloured = 0;
    for (auto c : image)
        coloured += c != 0;
    CHECK(coloured < 2 * 80); // two discs of ~64 px, one pixel; the marker at x=500 is off screen
    // Scaled down, the discs shrink.
    splatMarkers(mesh, colours, sizes, camera, 0.34f, image);
    CHECK(pixel(20, 20) == blue);
    CHECK(pixel(16, 20) == 0u);
}
