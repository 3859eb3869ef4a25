// Issue 7: a layer's map class (`style`) and credit line (`attribution`) are read from the
// scenario; the bundled scenario draws Russia and its border apart from occupied Ukraine and
// the front, and a style that does not fit the layer's role is refused, naming the key.
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace orefront;
using Catch::Contains;

namespace {

std::string writeScenario(const std::string &name, const std::string &layer) {
    const auto path = std::filesystem::temp_directory_path() / (name + std::to_string(::getpid()) + ".toml");
    std::ofstream(path) << "name = \"style\"\n[[layers]]\nid = \"x\"\nsource = \"x.geojson\"\n" << layer;
    return path.string();
}

} // namespace

TEST_CASE("issue 7: layer style and attribution are read, the bundled Russia is a hostile state",
          "[io][issue7]") {
    const model::Scenario bundled = io::loadScenario(OREFRONT_GEODATA_DIR "/scenario.toml");
    std::map<std::string, std::string> style;
    for (const auto &l : bundled.layers)
        style[l.id] = l.style;
    CHECK(style["russia"] == "hostile_state");
    CHECK(style["russia_border"] == "state_border");
    CHECK(style["occupied"].empty()); // by role: occupied
    CHECK(style["front"].empty());    // by role: front line

    const std::string ok = writeScenario(
        "style_ok", "role = \"front\"\nstyle = \"state_border\"\nattribution = \"Natural Earth\"\n");
    const model::Scenario s = io::loadScenario(ok);
    std::filesystem::remove(ok);
    REQUIRE(s.layers.size() == 1);
    CHECK(s.layers[0].style == "state_border");
    CHECK(s.layers[0].attribution == "Natural Earth");

    for (const auto &[layer, says] : std::vector<std::pair<std::string, std::string>>{
             {"role = \"front\"\nstyle = \"hostile_state\"\n",
              "unknown style 'hostile_state' for a front layer"},
             {"role = \"hostile\"\nstyle = \"dashed\"\n", "unknown style 'dashed' for a hostile layer"},
             {"role = \"ports\"\nstyle = \"occupied\"\n", "unknown style 'occupied' for a ports layer"}}) {
        const std::string bad = writeScenario("style_bad", layer);
        CHECK_THROWS_AS(io::loadScenario(bad), InputError);
        CHECK_THROWS_WITH(io::loadScenario(bad), Contains("layers[0].style") && Contains(says));
        std::filesystem::remove(bad);
    }
}

TEST_CASE("issue 7: a polygon stored across the antimeridian loads cut in two, not 'repaired' into a band",
          "[io][gdal][issue7]") {
    io::initGdal();
    const auto path =
        std::filesystem::temp_directory_path() / ("fiji" + std::to_string(::getpid()) + ".geojson");
    // An island 179..181 E with its east half written -180..-179, as world-atlas stores Fiji.
    std::ofstream(path) << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
                        << R"("geometry":{"type":"Polygon","coordinates":[[[179,-17],[-179,-17],[-179,-16],)"
                        << R"([179,-16],[179,-17]]]}}]})";
    model::LayerSpec spec;
    spec.id = "fiji";
    spec.source = path.string();
    std::vector<std::string> warnings;
    const model::Layer l = io::loadLayer(spec, "", warnings);
    std::filesystem::remove(path);
    CHECK(warnings.empty()); // valid once cut: no MakeValid
    REQUIRE(l.features.size() == 1);
    const auto &polys = l.features[0].geometry.polygons;
    REQUIRE(polys.size() == 2);
    double area = 0;
    for (const auto &p : polys) {
        const auto &r = p.rings[0];
        double s = 0;
        for (std::size_t i = 0; i + 1 < r.size(); ++i) {
            CHECK(std::abs(r[i].lon) >= 179.0);
            s += r[i].lon * r[i + 1].lat - r[i + 1].lon * r[i].lat;
        }
        area += std::abs(s) / 2;
    }
    CHECK(area == Approx(2.0)); // 2 x 1 degrees, not a band round the world
}
