// Timeline > Compare's Swipe and Side by side modes, and the What-if panel (issue 10), on a
// headless context: pixels of whole UI frames. The hand-made series of
// tests/data/cli/timeline: the Kharkiv test deposit is inside the occupied box of 2022-03-25
// only, so its verdict differs between 2022-02-23 (A) and 2022-03-30 (B).
#include "compare_view.hpp"
#include "dock_layout.hpp"
#include "map_image.hpp"
#include "map_legend.hpp"
#include "ui/timeline_window.hpp"
#include "ui/whatif_window.hpp"
#include "ui_frames.hpp"
#include "viewer_app.hpp"
#include "whatif_view.hpp"

#include "orefront/cli/whatif.hpp"

#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <unistd.h>

using namespace orefront;
using namespace orefront::viewer;

namespace {

constexpr int kW = 1280, kH = 800;

struct CompareFixture : test::AppFixture {
    CompareFixture() : AppFixture(OREFRONT_TEST_DATA_DIR "/../../data/cli/timeline/scenario.toml") {}

    GlFramebuffer screen;
    std::vector<unsigned char> pixels;
    void frameRead() { test::drawUiFrameInto(*app, screen, kW, kH, pixels); }
    Rgba pixel(float x, float y) const {
        const int px = int(x), py = kH - 1 - int(y);
        const unsigned char *p = &pixels[(std::size_t(py) * kW + std::size_t(px)) * 4];
        return {p[0], p[1], p[2], p[3]};
    }
    static bool near(Rgba a, Rgba b, int tolerance = 30) {
        return std::abs(a.r - b.r) <= tolerance && std::abs(a.g - b.g) <= tolerance &&
               std::abs(a.b - b.b) <= tolerance;
    }
    int depositNamed(const std::string &name) const {
        const auto &deposits = app->document().report().deposits;
        for (std::size_t i = 0; i < deposits.size(); ++i)
            if (deposits[i].name == name)
                return int(i);
        return -1;
    }
    // The deposit's marker centre in map pixels (from the map's top-left).
    ImVec2 onMap(const std::string &name) const {
        double sx, sy;
        app->controller().camera().lonLatToScreen(app->document().depositAnchor(depositNamed(name)), sx, sy);
        return {float(sx), float(sy)};
    }
    // B = 2022-03-30 (Kharkiv occupied), A = 2022-02-23; returns A's and B's verdict colours of
    // the Kharkiv test deposit.
    std::pair<Rgba, Rgba> compareKharkiv(int mode) {
        REQUIRE(settle());
        app->requestDate(*model::Date::parseIso("2022-03-30"));
        REQUIRE(settle());
        app->requestCompare(*model::Date::parseIso("2022-02-23"));
        REQUIRE(settle());
        app->timeline().compareMode = mode;
        frame();
        // The deposit in the middle of the view, clear of the legend and the date tags.
        app->controller().camera().center =
            toMercator(app->document().depositAnchor(depositNamed("Kharkiv test deposit")));
        frame();
        frame();
        REQUIRE(app->compareMap().ready());
        const auto &changes = app->timeline().changes;
        REQUIRE(changes.size() == 1);
        REQUIRE(changes[0].name == "Kharkiv test deposit");
        const Rgba a = verdictColour(changes[0].a), b = verdictColour(changes[0].b);
        REQUIRE_FALSE(near(a, b, 60)); // two verdicts that read apart
        return {a, b};
    }
};

} // namespace

TEST_CASE_METHOD(CompareFixture, "Compare, Swipe: A's colours left of the divider, B's right of it",
                 "[viewer][gl][timeline][compare]") {
    const auto [colourA, colourB] = compareKharkiv(TimelineWindow::Swipe);
    const ImVec2 o = app->mapOrigin();
    const float width = float(app->controller().camera().width);
    const ImVec2 k = onMap("Kharkiv test deposit");
    REQUIRE(k.x > 80);
    REQUIRE(k.x < width - 80);

    // The divider right of the deposit: it is on A's side.
    app->timeline().swipeAt = (k.x + 60) / width;
    frame();
    frameRead();
    CHECK(near(pixel(o.x + k.x, o.y + k.y), colourA));
    // The divider is drawn where it is: white on its line, below the handle.
    const float line = o.x + swipeDividerX(width, app->timeline().swipeAt);
    CHECK(
        near(pixel(line, o.y + float(app->controller().camera().height) * 0.75f), {255, 255, 255, 255}, 10));

    // Moved left of the deposit: it is on B's side, and the line moved with it.
    app->timeline().swipeAt = (k.x - 60) / width;
    frame();
    frameRead();
    CHECK(near(pixel(o.x + k.x, o.y + k.y), colourB));
    const float moved = o.x + swipeDividerX(width, app->timeline().swipeAt);
    CHECK(
        near(pixel(moved, o.y + float(app->controller().camera().height) * 0.75f), {255, 255, 255, 255}, 10));
    CHECK(moved < line - 100);

    // The Overlay mode: B's map only (A's image is not drawn), whatever the divider.
    app->timeline().swipeAt = 1.0f;
    app->timeline().compareMode = TimelineWindow::Overlay;
    frame();
    frameRead();
    CHECK(near(pixel(o.x + k.x, o.y + k.y), colourB));
}

TEST_CASE_METHOD(CompareFixture, "Compare, Swipe: B's labels only on B's side of the divider",
                 "[viewer][gl][timeline][compare]") {
    compareKharkiv(TimelineWindow::Swipe);
    const std::string deposits = app->document().depositsLayer()->id;
    const ImVec2 o = app->mapOrigin();
    const auto &camera = app->controller().camera();
    // Pixels of the map that differ between frames with B's deposit labels on and off.
    const auto labelPixels = [&] {
        app->settings().labels[deposits] = {true, ""};
        frame();
        frameRead();
        const std::vector<unsigned char> on = pixels;
        app->settings().labels[deposits] = {false, ""};
        frame();
        frameRead();
        long long n = 0;
        for (int y = int(o.y); y < int(o.y) + camera.height - 30; ++y) // above the status bar
            for (int x = int(o.x); x < int(o.x) + camera.width; ++x) {
                const std::size_t i = (std::size_t(kH - 1 - y) * kW + std::size_t(x)) * 4;
                n += std::memcmp(&on[i], &pixels[i], 3) != 0 ? 1 : 0;
            }
        return n;
    };
    // B over the whole map: its labels show.
    app->timeline().swipeAt = 0.0f;
    CHECK(labelPixels() > 200);
    // A over the whole map: none of B's labels show over it.
    app->timeline().swipeAt = 1.0f;
    CHECK(labelPixels() == 0);
}

TEST_CASE_METHOD(CompareFixture, "Compare, Swipe: the divider is dragged with the mouse and moved with keys",
                 "[viewer][gl][timeline][compare]") {
    const auto [colourA, colourB] = compareKharkiv(TimelineWindow::Swipe);
    (void)colourB;
    const ImVec2 o = app->mapOrigin();
    const float width = float(app->controller().camera().width);
    const float height = float(app->controller().camera().height);
    app->timeline().swipeAt = 0.5f;
    frame();
    const Camera before = app->controller().camera();

    // A press on the divider's line (below its handle) drags the divider, not the map.
    ImGuiIO &io = ImGui::GetIO();
    const float x0 = o.x + swipeDividerX(width, 0.5f), y = o.y + height * 0.7f;
    io.AddMousePosEvent(x0, y);
    frame();
    io.AddMouseButtonEvent(0, true);
    frame();
    io.AddMousePosEvent(x0 + 120, y);
    frame();
    io.AddMousePosEvent(x0 + 200, y);
    frame();
    io.AddMouseButtonEvent(0, false);
    frame();
    CHECK(app->timeline().swipeAt == Approx((x0 + 200 - o.x) / width).margin(0.002));
    CHECK(app->controller().camera().center.x == before.center.x);
    CHECK(app->controller().camera().center.y == before.center.y);

    // ] and [ move it by 5 % of the width.
    io.AddMousePosEvent(o.x + 20, o.y + 20); // off the divider
    frame();
    const float at = app->timeline().swipeAt;
    io.AddKeyEvent(ImGuiKey_LeftBracket, true);
    frame();
    io.AddKeyEvent(ImGuiKey_LeftBracket, false);
    frame();
    CHECK(app->timeline().swipeAt == Approx(at - 0.05f).margin(1e-4));
    io.AddKeyEvent(ImGuiKey_RightBracket, true);
    frame();
    io.AddKeyEvent(ImGuiKey_RightBracket, false);
    frame();
    CHECK(app->timeline().swipeAt == Approx(at).margin(1e-4));
}

TEST_CASE_METHOD(CompareFixture,
                 "Compare, Side by side: A's map in the left pane, B's in the right, one view",
                 "[viewer][gl][timeline][compare]") {
    const auto [colourA, colourB] = compareKharkiv(TimelineWindow::SideBySide);
    frameRead();
    const ImVec2 a = app->compareOrigin(), b = app->mapOrigin();
    const Camera &camera = app->controller().camera();
    // Two panes of one width, A's left of B's.
    CHECK(b.x - a.x >= float(camera.width));
    CHECK(b.x - a.x <= float(camera.width) + 6);
    CHECK(a.y == b.y);
    const ImVec2 k = onMap("Kharkiv test deposit");
    REQUIRE(k.x > 0);
    REQUIRE(k.x < float(camera.width));
    CHECK(near(pixel(a.x + k.x, a.y + k.y), colourA));
    CHECK(near(pixel(b.x + k.x, b.y + k.y), colourB));
    // The Kyiv deposit's verdict did not change: one colour in both panes.
    const ImVec2 kyiv = onMap("Kyiv test deposit");
    if (kyiv.x > 0 && kyiv.x < float(camera.width) && kyiv.y > 0 && kyiv.y < float(camera.height))
        CHECK(near(pixel(a.x + kyiv.x, a.y + kyiv.y), pixel(b.x + kyiv.x, b.y + kyiv.y), 12));

    // A click on the deposit in A's pane selects it, as on the map.
    REQUIRE(app->selected() < 0);
    ImGuiIO &io = ImGui::GetIO();
    io.AddMousePosEvent(a.x + k.x, a.y + k.y);
    frame();
    io.AddMouseButtonEvent(0, true);
    frame();
    io.AddMouseButtonEvent(0, false);
    frame();
    CHECK(app->selected() == depositNamed("Kharkiv test deposit"));

    // A wheel notch over A's pane zooms both (one camera).
    const double mpp = camera.metresPerPixel;
    ImGui::GetIO().AddMousePosEvent(a.x + 100, a.y + 200);
    frame();
    ImGui::GetIO().AddMouseWheelEvent(0, 1);
    for (int i = 0; i < 3; ++i)
        frame();
    CHECK(app->controller().camera().metresPerPixel < mpp);

    // Stop: the map takes the whole node again.
    app->stopCompare();
    frame();
    frame();
    CHECK(app->mapOrigin().x == Approx(a.x));
}

namespace {

// The deposits `orefront whatif --name NAME` reports flipping, from its CSV.
std::set<std::string> cliFlips(const std::string &scenario, const std::string &name) {
    const auto tmp =
        std::filesystem::temp_directory_path() / ("orefront-whatif-ui-" + std::to_string(::getpid()));
    std::filesystem::create_directories(tmp);
    cli::WhatIfOptions o;
    o.scenario = scenario;
    o.names = {name};
    o.output = (tmp / "diff.csv").string();
    o.noAnnotations = true;
    o.quiet = true;
    std::ostringstream out, err;
    REQUIRE(cli::runWhatIf(o, out, err) == 0);
    std::ifstream f(o.output);
    std::string line;
    std::getline(f, line);
    REQUIRE(line.rfind("whatif,name,verdict,whatif_verdict,changed", 0) == 0);
    std::set<std::string> flips;
    while (std::getline(f, line)) {
        // No deposit name of the bundled scenario has a quote; split on commas.
        std::vector<std::string> cols;
        std::stringstream row(line);
        for (std::string c; std::getline(row, c, ',');)
            cols.push_back(c);
        REQUIRE(cols.size() >= 5);
        if (cols[4] == "true")
            flips.insert(cols[1]);
    }
    std::error_code ec;
    std::filesystem::remove_all(tmp, ec);
    return flips;
}

} // namespace

TEST_CASE("What-if panel: the bundled withdrawal flips the deposits orefront whatif reports",
          "[viewer][gl][whatif]") {
    const std::string scenario = OREFRONT_GEODATA_DIR "/scenario.toml";
    const std::set<std::string> expected = cliFlips(scenario, "withdrawal 100 km");
    REQUIRE_FALSE(expected.empty());

    test::AppFixture f(scenario);
    REQUIRE(f.settle(600));
    f.frame();
    const WhatIfWindow &w = f.app->whatIfWindow();
    REQUIRE(w.whatifs.size() >= 3);
    CHECK(w.whatifs[1].name == "withdrawal 100 km");

    // Chosen as the list's row would choose it.
    f.app->whatIfWindow().askChoose = "withdrawal 100 km";
    ImGui::SetWindowFocus(kWhatIfWindow);
    f.frame();
    REQUIRE(f.settle(600));
    f.frame();
    REQUIRE(w.message.empty());
    REQUIRE(w.view);
    CHECK(w.view->whatif.name == "withdrawal 100 km");
    std::set<std::string> listed;
    for (const auto &flip : w.view->flips) {
        listed.insert(flip.name);
        CHECK(flip.real != flip.whatif);
        CHECK_THAT(flip.reason, Catch::StartsWith("front "));
        // The row's deposit is the report's.
        REQUIRE(flip.deposit >= 0);
        CHECK(f.app->document().report().deposits[std::size_t(flip.deposit)].name == flip.name);
        CHECK(f.app->document().report().deposits[std::size_t(flip.deposit)].verdict == flip.real);
    }
    CHECK(listed == expected);
    CHECK_FALSE(w.view->front.empty()); // the shifted boundary, to draw

    // The what-if's front is drawn: near-black dashes on the map, and a legend entry.
    GlFramebuffer screen;
    std::vector<unsigned char> pixels;
    test::drawUiFrameInto(*f.app, screen, kW, kH, pixels);
    const Camera &camera = f.app->controller().camera();
    const ImVec2 o = f.app->mapOrigin();
    int onLine = 0, dark = 0;
    for (const auto &path : w.view->front)
        for (const auto &p : path) {
            double sx, sy;
            camera.lonLatToScreen(p, sx, sy);
            if (sx < 2 || sy < 2 || sx > camera.width - 3 || sy > camera.height - 3)
                continue;
            ++onLine;
            const int px = int(o.x + sx), py = kH - 1 - int(o.y + sy);
            const unsigned char *q = &pixels[(std::size_t(py) * kW + std::size_t(px)) * 4];
            dark += q[0] < 70 && q[1] < 70 && q[2] < 70;
        }
    REQUIRE(onLine > 20);
    CHECK(dark > onLine / 4); // dashes: more than a quarter of the vertices under a dash

    // None: the real front only.
    f.app->chooseWhatIf("");
    f.frame();
    CHECK_FALSE(w.view);
}

TEST_CASE("Legend: a hypothetical front and the what-if front, dashed, only when shown", "[viewer][legend]") {
    model::Annotation marker;
    marker.kind = model::AnnotationKind::Marker;
    marker.vertices = {{30, 50}};
    model::Annotation front;
    front.kind = model::AnnotationKind::HypotheticalFront;
    front.style = model::defaultAnnotationStyle(front.kind);
    front.vertices = {{30, 50}, {31, 49}};
    CHECK(frontSketchEntries({&marker}, "", kWhatIfFront).empty());
    const auto both = frontSketchEntries({&marker, &front, &front}, "withdrawal 100 km", kWhatIfFront);
    REQUIRE(both.size() == 2);
    CHECK(both[0].kind == LegendEntry::DashedLine);
    CHECK(both[0].colour == Rgba{0x7b, 0x2c, 0xbf, 255}); // the annotation's violet
    CHECK(both[0].text == "Hypothetical front (annotation)");
    CHECK(both[1].kind == LegendEntry::DashedLine);
    CHECK(both[1].colour == kWhatIfFront);
    CHECK(both[1].text == "What-if front: withdrawal 100 km");
}

TEST_CASE("Compare and what-if screenshots", "[.screenshots]") {
    const char *dir = std::getenv("OREFRONT_SCREENSHOT_DIR");
    if (!dir) {
        WARN("OREFRONT_SCREENSHOT_DIR is not set: no screenshots");
        return;
    }
    test::AppFixture f(OREFRONT_GEODATA_DIR "/scenario.toml", test::Look::App);
    GlFramebuffer screen;
    const auto shot = [&](const std::string &name) {
        test::writeUiScreenshot(*f.app, screen, kW, kH, std::string(dir) + "/" + name + ".png");
    };
    REQUIRE(f.settle(600));
    f.app->requestCompare(*model::Date::parseIso("2022-03-25"));
    REQUIRE(f.settle(600));
    f.app->timeline().compareMode = TimelineWindow::Swipe;
    f.app->timeline().swipeAt = 0.55f;
    f.frame();
    f.frame();
    shot("compare-swipe");
    f.app->timeline().compareMode = TimelineWindow::SideBySide;
    f.frame();
    f.frame();
    shot("compare-side-by-side");
    f.app->stopCompare();
    f.app->chooseWhatIf("withdrawal 100 km");
    ImGui::SetWindowFocus(kWhatIfWindow);
    REQUIRE(f.settle(600));
    f.frame();
    shot("whatif-withdrawal");
}

TEST_CASE("Layout: the What-if panel is a tab behind the Deposits table, on an old imgui.ini too",
          "[viewer][gl][whatif]") {
    const std::string scenario = OREFRONT_TEST_DATA_DIR "/../../data/cli/timeline/scenario.toml";
    const auto check = [](const test::AppFixture &f) {
        const ImGuiWindow *whatif = ImGui::FindWindowByName(kWhatIfWindow);
        const ImGuiWindow *deposits = ImGui::FindWindowByName(kDepositsWindow);
        REQUIRE(whatif);
        REQUIRE(deposits);
        REQUIRE(whatif->DockNode);
        CHECK(ImGui::DockNodeGetRootNode(whatif->DockNode)->ID == f.app->dockspaceId());
        CHECK(whatif->DockNode == deposits->DockNode);
        // The table stays in front: the panel does not take the tab when it first appears.
        CHECK(deposits->DockTabIsVisible);
        CHECK_FALSE(whatif->DockTabIsVisible);
    };
    std::string ini;
    {
        test::AppFixture first(scenario);
        first.frame();
        first.frame();
        check(first);
        ini = ImGui::SaveIniSettingsToMemory();
    }
    // The same settings without the What-if panel's section: saved before it existed.
    const std::string old = test::withoutWindows(ini, {kWhatIfWindow});
    REQUIRE(old.find("[Window][What-if]") == std::string::npos);
    REQUIRE(old.find("[Window][Deposits]") != std::string::npos);
    test::AppFixture f(scenario);
    ImGui::LoadIniSettingsFromMemory(old.c_str(), old.size());
    f.frame();
    f.frame();
    f.frame();
    check(f);
}
