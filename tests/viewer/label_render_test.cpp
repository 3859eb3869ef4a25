// Map labels in rendered pixels (EGL, Mesa llvmpipe): `orefront render` of the bundled
// scenario writes deposit names beside their markers, and a Cyrillic name renders as glyphs
// of the font, not as the '?' ImGui draws for a glyph it lacks.
#include "fonts.hpp"
#include "map_image.hpp"
#include "render/headless_gl.hpp"
#include "viewer/viewer_cli.hpp"

#include "orefront/io/scenario_io.hpp"

#include <catch2/catch.hpp>
#include <imgui.h>
#include <stb_image.h>

#include <filesystem>
#include <memory>

using namespace orefront;
using namespace orefront::viewer;

namespace {

bool isInk(Rgba c) { // deposit label text: near (30, 30, 35) or (138, 46, 0)
    return (c.r < 90 && c.g < 90 && c.b < 95) || (c.r > 110 && c.r < 170 && c.g < 90 && c.b < 50);
}
bool isHalo(Rgba c) { // the white halo: whiter than land (244, 241, 234) or sea
    return c.r >= 250 && c.g >= 250 && c.b >= 250;
}

// Ink and halo pixels in a band either side of the marker at (x, y): a label is there.
struct BandCount {
    int ink = 0, halo = 0;
};
BandCount labelBand(const Image &img, double x, double y, bool right) {
    BandCount n;
    const int x0 = right ? int(x) + 8 : int(x) - 140, x1 = right ? int(x) + 140 : int(x) - 8;
    for (int py = int(y) - 9; py <= int(y) + 9; ++py)
        for (int px = x0; px <= x1; ++px) {
            const Rgba c = img.at(px, py);
            n.ink += isInk(c);
            n.halo += isHalo(c);
        }
    return n;
}

Image readPng(const std::string &path) {
    int w = 0, h = 0, n = 0;
    std::unique_ptr<stbi_uc, void (*)(void *)> data(stbi_load(path.c_str(), &w, &h, &n, 4), stbi_image_free);
    REQUIRE(data);
    Image img;
    img.width = w;
    img.height = h;
    img.rgba.assign(data.get(), data.get() + std::size_t(w) * std::size_t(h) * 4);
    return img;
}

struct Scene {
    MapDocument doc;
    explicit Scene(const std::string &path) {
        io::initGdal();
        doc.setScenario(loadScenarioSnapshot(path, 0));
    }
};

} // namespace

TEST_CASE("orefront render labels the bundled scenario's deposits beside their markers",
          "[viewer][gl][labels]") {
    const auto dir = std::filesystem::temp_directory_path() / "orefront-label-test";
    std::filesystem::create_directories(dir);
    RenderOptions o;
    o.output = (dir / "labels.png").string();
    o.size = "1600x1000";
    REQUIRE(runRender(o) == 0);
    const Image img = readPng(o.output);

    // The camera `render` uses by default: the theatre, fitted without margin.
    io::initGdal();
    const auto snap = loadScenarioSnapshot(OREFRONT_GEODATA_DIR "/scenario.toml", 0);
    Camera camera;
    camera.width = 1600;
    camera.height = 1000;
    camera.fit(theatreBounds(*snap), 0.0);
    const auto &layer = *snap->project->layers[std::size_t(snap->depositsLayer)];
    int labelled = 0;
    for (const char *name : {"Yastrubetske", "Polokhivske", "Shevchenkivske"}) {
        const auto f = std::find_if(snap->facts.begin(), snap->facts.end(),
                                    [&](const rules::DepositFacts &d) { return d.name == name; });
        REQUIRE(f != snap->facts.end());
        const auto &g = layer.features[std::size_t(f - snap->facts.begin())].geometry;
        double x, y;
        camera.lonLatToScreen(g.points.empty() ? g.anchor() : g.points.front(), x, y);
        const BandCount right = labelBand(img, x, y, true), left = labelBand(img, x, y, false);
        INFO(name << " at " << x << "," << y << ": right ink " << right.ink << " halo " << right.halo
                  << ", left ink " << left.ink << " halo " << left.halo);
        // A name of a dozen letters: hundreds of ink pixels with their halo round them.
        const bool hasLabel = (right.ink > 60 && right.halo > 60) || (left.ink > 60 && left.halo > 60);
        CHECK(hasLabel);
        labelled += hasLabel;
    }
    CHECK(labelled == 3);
}

TEST_CASE("The map font carries Cyrillic glyphs", "[viewer][labels]") {
    ImGuiContext *previous = ImGui::GetCurrentContext();
    ImGuiContext *ctx = ImGui::CreateContext();
    ImGui::SetCurrentContext(ctx);
    const bool dejavu = loadMapFont(ImGui::GetIO().Fonts, 15.0f);
    // ImGui 1.92 bakes glyphs on demand: ask the font's sources, not a pre-built atlas.
    ImFont *font = ImGui::GetIO().Fonts->Fonts[0];
    const bool zhe = font->IsGlyphInFont(0x0416);         // Ж
    const bool yi = font->IsGlyphInFont(0x0457);          // ї (Ukrainian)
    const bool latin = font->IsGlyphInFont(ImWchar('a')); // a
    ImGui::DestroyContext(ctx);
    ImGui::SetCurrentContext(previous);
    REQUIRE(dejavu); // fonts-dejavu-core is in .ci/debian-packages.txt
    CHECK(zhe);
    CHECK(yi);
    CHECK(latin);
}

TEST_CASE("A Cyrillic deposit name renders as glyphs, not as '?'", "[viewer][gl][labels]") {
    Scene cyrillic(OREFRONT_TEST_DATA_DIR "/labels_cyrillic.toml");
    Scene question(OREFRONT_TEST_DATA_DIR "/labels_question.toml");
    REQUIRE(cyrillic.doc.report().deposits[0].name == "\xD0\x96\xD0\xBE\xD0\xB2\xD1\x82\xD1\x96 "
                                                      "\xD0\x92\xD0\xBE\xD0\xB4\xD0\xB8"); // Жовті Води

    HeadlessGl gl;
    MapRenderer renderer;
    MapImageComposer composer;
    Camera camera;
    camera.width = 600;
    camera.height = 300;
    camera.fit({32.5, 47.9, 34.5, 48.8}, 0.0);
    MapStyle style;
    style.graticule = false;
    OverlayOptions overlay;
    overlay.legend = overlay.scaleBar = overlay.title = overlay.graticuleLabels = false;
    const Image a = composer.compose(renderer, cyrillic.doc, camera, style, overlay);
    const Image b = composer.compose(renderer, question.doc, camera, style, overlay);

    double x, y;
    camera.lonLatToScreen({33.5, 48.35}, x, y);
    const BandCount ca = labelBand(a, x, y, true), qb = labelBand(b, x, y, true);
    INFO("Cyrillic: ink " << ca.ink << " halo " << ca.halo << "; '?': ink " << qb.ink << " halo " << qb.halo);
    REQUIRE(ca.ink > 40);
    REQUIRE(qb.ink > 20); // the '?' string is drawn in the same place
    // Were Cyrillic missing from the font, ImGui would draw each letter as '?': the two
    // images would be the same pixel for pixel.
    int differing = 0;
    for (int py = int(y) - 9; py <= int(y) + 9; ++py)
        for (int px = int(x) + 8; px <= int(x) + 140; ++px)
            differing += !(a.at(px, py) == b.at(px, py));
    CHECK(differing > 100);
    // "Жовті Води" has more ink than "????? ????" (a '?' is a thin hook).
    CHECK(ca.ink > qb.ink);
}
