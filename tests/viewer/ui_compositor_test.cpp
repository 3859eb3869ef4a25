// The UI compositor (render/ui_compositor.hpp) repaints only where ImGui's draw data changed,
// in a framebuffer that keeps the last frame. What it leaves there must equal a full repaint
// of the same draw data, pixel for pixel, after every kind of change: text, a window moving,
// a tooltip coming and going, windows changing places in the draw order, callbacks with and
// without bytes, the map image redrawn, an opaque box over a change that is kept, recoloured,
// moved and made translucent. (What a window shows: window_present_test.cpp.)
#include "compositor_frames.hpp"
#include "render/headless_gl.hpp"
#include "render/ui_compositor.hpp"
#include "ui_frames.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <catch2/catch.hpp>
#include <imgui.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace orefront;
using namespace orefront::viewer;
using namespace orefront::viewer::test;

TEST_CASE("The UI compositor's kept frame equals a full repaint after every kind of change", "[viewer][gl]") {
    HeadlessGl gl;
    SyntheticUi ui;
    REQUIRE(ui.ok);
    Comparer cmp;
    long long smallest = -1;
    int partial = 0, boxKept = 0;
    for (int f = 0; f < 40; ++f) {
        syntheticFrame(f);
        std::string where;
        INFO("frame " << f);
        const long long differ = cmp.frame(where);
        INFO("first differing pixel at " << where);
        CHECK(differ == 0);
        const auto &s = cmp.compositor.stats();
        if (f > 0 && !s.full) {
            ++partial;
            smallest = smallest < 0 ? s.pixels : std::min(smallest, s.pixels);
            // The opaque box's inside is kept though the callback under it changed.
            const int px = int(g_boxProbe.x), py = int(g_boxProbe.y);
            const bool repainted =
                std::any_of(s.rects.begin(), s.rects.end(), [&](const UiCompositor::Rect &r) {
                    return px >= r.x0 && px < r.x1 && py >= r.y0 && py < r.y1;
                });
            boxKept += repainted ? 0 : 1;
            if (f == 12 || f == 14 || f == 16 || f >= 28) // the box changed, moved, or shows through
                CHECK(repainted);
        }
    }
    CHECK(boxKept > 10);
    // It did keep pixels: most frames repainted a part, some very little of the window.
    CHECK(partial > 25);
    CHECK(smallest >= 0);
    CHECK(smallest < kW * kH / 20);
}

TEST_CASE("The whole viewer through the UI compositor equals a full repaint, frame by frame",
          "[viewer][gl]") {
    test::AppFixture fx(OREFRONT_GEODATA_DIR "/scenario.toml", test::Look::App);
    REQUIRE(fx.settle());
    fx.frame();
    const ImVec2 o = fx.app->mapOrigin(), size = fx.app->mapSize();
    REQUIRE(size.x > 200);
    ImGuiIO &io = ImGui::GetIO();
    Comparer cmp;
    std::vector<long long> hover;
    // Hover across the map (tooltips, the status bar), click a deposit, zoom, pan, hover a panel.
    for (int f = 0; f < 48; ++f) {
        const float x = o.x + size.x * (0.2f + 0.6f * float(f % 24) / 24.0f);
        const float y = o.y + size.y * (0.3f + 0.4f * float(f % 24) / 24.0f);
        if (f == 30)
            io.AddMouseWheelEvent(0, 1);
        if (f >= 36 && f < 40)
            io.AddMouseButtonEvent(ImGuiMouseButton_Left, f < 39);
        io.AddMousePosEvent(f < 44 ? x : 60.0f, f < 44 ? y : 200.0f + float(f) * 10.0f);
        io.DeltaTime = 1.0f / 60.0f;
        ImGui_ImplOpenGL3_NewFrame();
        ImGui::NewFrame();
        fx.app->draw(1.0 / 60.0);
        ImGui::Render();
        std::string where;
        INFO("frame " << f);
        const long long differ = cmp.frame(where);
        INFO("first differing pixel at " << where);
        CHECK(differ == 0);
        fx.app->afterRender();
        if (f > 2 && f < 30 && !cmp.compositor.stats().full)
            hover.push_back(cmp.compositor.stats().pixels);
    }
    // Hovering the map repaints the tooltip and the status bar, not the window.
    REQUIRE(hover.size() > 20);
    std::sort(hover.begin(), hover.end());
    CHECK(hover[hover.size() / 2] < kW * kH / 10);
}
