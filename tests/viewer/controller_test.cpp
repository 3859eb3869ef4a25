// Map navigation from synthetic input: drag, wheel around the cursor, keys, fit, fly-to.
#include "map_controller.hpp"

#include <catch2/catch.hpp>

using namespace orefront;
using namespace orefront::viewer;

namespace {
MapController ukraine() {
    MapController c;
    c.resize(1280, 800);
    c.setFitBounds({22, 44, 42, 53});
    c.update({.fit = true}, 0);
    return c;
}
} // namespace

TEST_CASE("Wheel zoom keeps the point under the cursor", "[viewer]") {
    auto c = ukraine();
    const auto before = c.camera().screenToLonLat(300, 200);
    const double mpp = c.camera().metresPerPixel;
    c.update({.mouseX = 300, .mouseY = 200, .hovered = true, .wheel = 2}, 1 / 60.0);
    CHECK(c.camera().metresPerPixel == Approx(mpp / 1.5625));
    const auto after = c.camera().screenToLonLat(300, 200);
    CHECK(after.lon == Approx(before.lon).margin(1e-9));
    CHECK(after.lat == Approx(before.lat).margin(1e-9));
    // Not hovered: the wheel belongs to another window.
    c.update({.mouseX = 300, .mouseY = 200, .hovered = false, .wheel = 2}, 1 / 60.0);
    CHECK(c.camera().metresPerPixel == Approx(mpp / 1.5625));
}

TEST_CASE("Dragging moves the map with the cursor", "[viewer]") {
    auto c = ukraine();
    const auto grabbed = c.camera().screenToLonLat(640, 400);
    CHECK(c.update({.dragDx = 50, .dragDy = -20}, 1 / 60.0));
    const auto now = c.camera().screenToLonLat(690, 380);
    CHECK(now.lon == Approx(grabbed.lon).margin(1e-9));
    CHECK(now.lat == Approx(grabbed.lat).margin(1e-9));
}

TEST_CASE("Keyboard zoom, fit and fly-to", "[viewer]") {
    auto c = ukraine();
    const double fitted = c.camera().metresPerPixel;
    const auto visible = c.camera().visibleBounds();
    CHECK(visible.minLon <= 22);
    CHECK(visible.maxLon >= 42);
    c.update({.keyZoom = 1}, 0);
    CHECK(c.camera().metresPerPixel == Approx(fitted / 1.5));
    c.update({.fit = true}, 0);
    CHECK(c.camera().metresPerPixel == Approx(fitted));

    c.flyTo({36.25, 47.23}, 100, 0.3);
    CHECK(c.flying());
    for (int i = 0; i < 30; ++i)
        c.update({}, 1 / 60.0);
    CHECK_FALSE(c.flying());
    const auto centre = c.camera().screenToLonLat(640, 400);
    CHECK(centre.lon == Approx(36.25).margin(1e-6));
    CHECK(centre.lat == Approx(47.23).margin(1e-6));
    CHECK(c.camera().metresPerPixel == Approx(100));
}
