// File > Export map as PNG draws the annotations as the map shows them: a visible area is in
// the PNG, a hidden one is not. Whole viewer UI on a headless context; the PNG read back
// through GDAL.
#include "../cli/cli_support.hpp" // countColour
#include "small_scenario.hpp"
#include "ui_frames.hpp"

#include <catch2/catch.hpp>

using namespace orefront;
using namespace orefront::viewer;

namespace {

struct ExportUi : test::ScenarioDir, test::AppFixture {
    ExportUi()
        : ScenarioDir("export",
                      point(37.3, 47.5, R"("name": "East", "country": "UKR", "grade_treo_pct": 5)")),
          AppFixture(scenario()) {}
};

model::Annotation area(double lon, double lat, model::Rgba colour) {
    model::Annotation a;
    a.kind = model::AnnotationKind::Area;
    a.vertices = {{lon, lat}, {lon + 0.4, lat}, {lon + 0.4, lat + 0.3}, {lon, lat + 0.3}};
    a.style.stroke = a.style.fill = colour;
    return a;
}

} // namespace

TEST_CASE_METHOD(ExportUi, "Export map as PNG draws the annotations the map shows", "[viewer][gl]") {
    REQUIRE(settle());
    REQUIRE(app->document().snapshot());
    const model::BBox view = app->controller().camera().visibleBounds();
    // A magenta area in view, and a cyan one hidden (its own flag off).
    const double lon = (view.minLon + view.maxLon) / 2, lat = (view.minLat + view.maxLat) / 2;
    REQUIRE(app->annotations().add(area(lon, lat, {255, 0, 255, 255})) != 0);
    model::Annotation hidden = area(lon - 0.5, lat - 0.4, {0, 255, 255, 255});
    hidden.visible = false;
    REQUIRE(app->annotations().add(hidden) != 0);
    frame();

    const std::string png = (dir / "map.png").string();
    app->requestExportPng(png);
    frame();
    REQUIRE(app->lastError().empty());
    CHECK(clitest::countColour(png, 255, 0, 255) > 100);
    CHECK(clitest::countColour(png, 0, 255, 255) == 0);
}
