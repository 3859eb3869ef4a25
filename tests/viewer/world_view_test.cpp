// Issue 7: a world view must be clean. `render --bbox -180,-60,180,85` drew a land-coloured
// band across the Arctic and lines along 65 N and 16.5 S: world-atlas's Chukotka, Wrangel
// Island and Fiji have edges from +179.9 to -180 that spanned the map. Meshes are now cut at
// the antimeridian (GL-free case below) and the pixels of a world view are checked against
// the Natural Earth basemap installed by `make deps` (skipped, with a warning, without it).
#include "map_image.hpp"
#include "render/headless_gl.hpp"

#include "orefront/io/scenario_io.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>

using namespace orefront;
using namespace orefront::viewer;

namespace {

bool nearColour(Rgba a, Rgba b, int tol = 3) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

std::string str(Rgba c) {
    return "rgb(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

} // namespace

TEST_CASE("A polygon across the antimeridian meshes with no segment or triangle spanning the map",
          "[viewer][issue7]") {
    // Fiji-like: 179..181 E, the east half stored as -180..-179.
    model::Geometry g;
    g.polygons.push_back({{{{179, -17}, {-179, -17}, {-179, -16}, {179, -16}, {179, -17}}}});
    g.lines.push_back({{178, -18}, {-178, -18}});
    MeshBuilder builder(MercPoint{});
    builder.addGeometry(g, 0, true, true);
    const LayerMesh mesh = builder.finish();
    const double halfWorld = kMercatorRadius * 3.14159265358979;
    REQUIRE_FALSE(mesh.fillIndices.empty());
    for (std::size_t i = 0; i < mesh.fillIndices.size(); i += 3) {
        float lo = 1e30f, hi = -1e30f;
        for (int k = 0; k < 3; ++k) {
            lo = std::min(lo, mesh.fillVertices[mesh.fillIndices[i + k]].x);
            hi = std::max(hi, mesh.fillVertices[mesh.fillIndices[i + k]].x);
        }
        CHECK(hi - lo < 0.05 * halfWorld); // a few degrees, never the whole map
    }
    // The island's area is kept: 2 degrees wide.
    const double widthM = kMercatorRadius * 2.0 * 3.14159265358979 / 180.0;
    const double heightM = toMercator({0, -16}).y - toMercator({0, -17}).y;
    CHECK(meshArea(mesh.fillVertices, mesh.fillIndices) == Approx(widthM * heightM).epsilon(0.001));
    REQUIRE_FALSE(mesh.lineVertices.empty());
    for (std::size_t i = 0; i < mesh.lineVertices.size(); i += 4) {
        const LineVertex &v = mesh.lineVertices[i];
        CHECK(std::abs(v.pos.x - v.other.x) < 0.05 * halfWorld);
        // No outline along the cut itself.
        CHECK_FALSE((std::abs(std::abs(v.pos.x) - halfWorld) < 1.0 &&
                     std::abs(std::abs(v.other.x) - halfWorld) < 1.0));
    }
}

TEST_CASE("issue 7: the world view has open sea over the Arctic and no lines along 65 N or 16.5 S",
          "[viewer][gl][issue7]") {
    if (!std::filesystem::exists(OREFRONT_BASEMAP_DEFAULT)) {
        WARN("skipped: the Natural Earth basemap " << OREFRONT_BASEMAP_DEFAULT << " is absent (make deps)");
        return;
    }
    io::initGdal();
    MapDocument doc;
    const LoadedLayer loaded = loadExtraLayer(std::string(OREFRONT_BASEMAP_DEFAULT) + "|layername=countries",
                                              model::LayerRole::Basemap, "Basemap");
    MapLayer l;
    l.id = "basemap";
    l.role = model::LayerRole::Basemap;
    l.layer = loaded.layer;
    l.mesh = loaded.mesh;
    l.colour = palette::kBorder;
    doc.addLayer(std::move(l));

    HeadlessGl gl;
    MapRenderer renderer;
    MapImageComposer composer;
    Camera camera;
    camera.width = 1600;
    camera.height = 1000;
    camera.fit({-180, -60, 180, 85}, 0.02);
    MapStyle style;
    style.graticule = false;
    OverlayOptions none;
    none.legend = none.scaleBar = none.ringLabels = none.title = none.graticuleLabels = false;
    const Image image = composer.compose(renderer, doc, camera, style, none);
    auto at = [&](model::LonLat p) {
        double x, y;
        camera.lonLatToScreen(p, x, y);
        return image.at(int(x), int(y));
    };
    // The Arctic Ocean: open sea at 0 E and 160 W, 77-84 N (the band was land-coloured).
    for (double lat : {77.0, 80.0, 84.0})
        for (double lon : {0.0, -160.0}) {
            INFO(lon << ", " << lat << ": " << str(at({lon, lat})));
            CHECK(nearColour(at({lon, lat}), palette::kSea));
        }
    // Chukotka and Fiji are drawn where they are, on both sides of the antimeridian.
    CHECK(nearColour(at({175.0, 66.0}), palette::kLand));
    CHECK(nearColour(at({-175.0, 67.0}), palette::kLand));
    // Rows along 65.05 N (over Siberia) and 16.5 S (over the Pacific): the spanning edges drew
    // a line of border pixels the width of the map; coastlines cross these rows a few times.
    for (const double lat : {65.05, -16.5}) {
        double x0, y, x1, unused;
        camera.lonLatToScreen({lat > 0 ? 60.0 : -170.0, lat}, x0, y);
        camera.lonLatToScreen({lat > 0 ? 170.0 : -90.0, lat}, x1, unused);
        int border = 0, total = 0;
        for (int x = int(x0); x < int(x1); ++x, ++total)
            for (int dy = -1; dy <= 1; ++dy)
                if (nearColour(image.at(x, int(y) + dy), palette::kBorder, 12)) {
                    ++border;
                    break;
                }
        INFO("row at " << lat << ": " << border << " of " << total << " pixels in the border colour");
        CHECK(border < total / 20);
    }
    // The borders are drawn (a pixel wide: GL lines), coastlines and land borders alike: the
    // Poland-Ukraine border crosses 50.5 N near 24.1 E.
    int borderPixels = 0;
    for (int y = 0; y < camera.height; ++y)
        for (int x = 0; x < camera.width; ++x)
            borderPixels += nearColour(image.at(x, y), palette::kBorder, 12);
    CHECK(borderPixels > 10000);
    double bx, by;
    camera.lonLatToScreen({24.1, 50.5}, bx, by);
    bool landBorder = false;
    for (int dx = -3; dx <= 3; ++dx)
        landBorder = landBorder || nearColour(image.at(int(bx) + dx, int(by)), palette::kBorder, 12);
    CHECK(landBorder);
}
