// A basemap meshed as it is seen: the land filled once (the union of its polygons) and every
// border outlined once. GL-free; the areas are checked by exact arithmetic on small cases and
// against the countries filled one by one on Natural Earth.
#include "render/basemap_mesh.hpp"
#include "scenario_snapshot.hpp"

#include "orefront/io/scenario_io.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

using namespace orefront;
using namespace orefront::viewer;

namespace {

model::Polygon square(double lon0, double lat0, double lon1, double lat1, bool clockwise = false) {
    model::Path ring{{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}};
    if (clockwise)
        std::reverse(ring.begin(), ring.end());
    return {{ring}};
}

model::Layer layerOf(std::vector<model::Polygon> polygons) {
    model::Layer layer;
    layer.role = model::LayerRole::Basemap;
    for (auto &p : polygons) {
        model::Feature f;
        f.geometry.polygons.push_back(std::move(p));
        layer.features.push_back(std::move(f));
    }
    layer.computeBounds();
    return layer;
}

using Segment = std::pair<std::pair<double, double>, std::pair<double, double>>;

Segment undirected(model::LonLat a, model::LonLat b) {
    std::pair pa{a.lon, a.lat}, pb{b.lon, b.lat};
    return pb < pa ? Segment{pb, pa} : Segment{pa, pb};
}

std::multiset<Segment> segmentsOf(const std::vector<model::Path> &paths) {
    std::multiset<Segment> out;
    for (const auto &p : paths)
        for (std::size_t i = 1; i < p.size(); ++i)
            out.insert(undirected(p[i - 1], p[i]));
    return out;
}

// Mercator area of a lon/lat rectangle, as the mesh measures it (metres squared).
double mercatorArea(double lon0, double lat0, double lon1, double lat1) {
    const MercPoint a = toMercator({lon0, lat0}), b = toMercator({lon1, lat1});
    return std::abs((b.x - a.x) * (b.y - a.y));
}

} // namespace

TEST_CASE("A border two polygons share is outlined once", "[viewer][issue8]") {
    // Two squares side by side, walked in opposite directions; the right one's ring starts
    // at (2, 1), between two of its new edges.
    const model::Polygon right{{{{2, 1}, {2, 0}, {1, 0}, {1, 1}, {2, 1}}}};
    const model::Layer layer = layerOf({square(0, 0, 1, 1), right});
    const auto outlines = uniqueOutlines(layer);
    const auto segments = segmentsOf(outlines);
    CHECK(segments.size() == 7); // 4 + 4, less the one they share
    CHECK(segments.count(undirected({1, 0}, {1, 1})) == 1);
    // Every segment of every ring is drawn, once.
    std::set<Segment> all;
    for (const auto &f : layer.features)
        for (const auto &ring : f.geometry.polygons[0].rings)
            for (std::size_t i = 1; i < ring.size(); ++i)
                all.insert(undirected(ring[i - 1], ring[i]));
    CHECK(std::set<Segment>(segments.begin(), segments.end()) == all);
    // The first square is one closed path; the second's three new edges are one path, joined
    // across its ring's start.
    REQUIRE(outlines.size() == 2);
    CHECK(outlines[0].size() == 5);
    CHECK(outlines[1].size() == 4);
}

TEST_CASE("Edges along the antimeridian are cuts, not borders", "[viewer][issue8]") {
    const model::Layer layer = layerOf({square(170, 60, 180, 70), square(-180, 60, -170, 70)});
    const auto segments = segmentsOf(uniqueOutlines(layer));
    CHECK(segments.size() == 6);
    for (const auto &[a, b] : segments)
        CHECK_FALSE((std::abs(a.first) == 180 && a.first == b.first));
}

TEST_CASE("A basemap's land is the union of its polygons, filled once", "[viewer][issue8]") {
    // Two overlapping squares: 2 x 2 degrees each, overlapping by 1 x 2 degrees.
    const model::Layer layer = layerOf({square(30, 40, 32, 42), square(31, 40, 33, 42)});
    const LayerMesh mesh = buildBasemapMesh(layer);
    const double expected = mercatorArea(30, 40, 33, 42);
    CHECK(meshArea(mesh.fillVertices, mesh.fillIndices) == Approx(expected).epsilon(1e-5));
    // Filled one by one, the overlap would be filled twice.
    const LayerMesh perPolygon = buildLayerMesh(layer);
    CHECK(meshArea(perPolygon.fillVertices, perPolygon.fillIndices) ==
          Approx(expected + mercatorArea(31, 40, 32, 42)).epsilon(1e-5));
    // A bow-tie is repaired, not dropped: its two triangles are land.
    model::Polygon bowTie{{{{40, 40}, {42, 42}, {42, 40}, {40, 42}, {40, 40}}}};
    const LayerMesh repaired = buildBasemapMesh(layerOf({bowTie}));
    CHECK(meshArea(repaired.fillVertices, repaired.fillIndices) > 0.4 * mercatorArea(40, 40, 42, 42));
}

TEST_CASE("Natural Earth's land: the countries' area, with each border once", "[viewer][issue8]") {
    if (!std::filesystem::exists(OREFRONT_BASEMAP_DEFAULT)) {
        WARN("skipped: the Natural Earth basemap " << OREFRONT_BASEMAP_DEFAULT << " is absent (make deps)");
        return;
    }
    io::initGdal();
    const LoadedLayer loaded = loadExtraLayer(std::string(OREFRONT_BASEMAP_DEFAULT) + "|layername=countries",
                                              model::LayerRole::Basemap, "Basemap");
    const LayerMesh perCountry = buildLayerMesh(*loaded.layer);
    const double land = meshArea(loaded.mesh->fillVertices, loaded.mesh->fillIndices);
    const double countries = meshArea(perCountry.fillVertices, perCountry.fillIndices);
    INFO("land " << land << " m2, countries " << countries << " m2");
    CHECK(land == Approx(countries).epsilon(0.002)); // the countries do not overlap
    CHECK(loaded.mesh->fillIndices.size() * 3 < perCountry.fillIndices.size() * 2);
    // Each land border once: fewer segments, by the shared ones.
    CHECK(loaded.mesh->lineIndices.size() < perCountry.lineIndices.size() * 9 / 10);
    CHECK(loaded.warnings.empty());
}
