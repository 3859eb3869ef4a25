// The screenshot fixtures draw with the viewer's own font set-up (test::Look::App: DejaVu Sans
// through setupUiStyle), so the "<=", en and em dashes the UI writes are glyphs in a
// screenshot, not ImGui's fallback '?'. Pixels of two windows side by side: the dashes and "<="
// in one, "???" in the other; with the fallback the two would be drawn alike.
#include "small_scenario.hpp"
#include "ui_frames.hpp"

#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h>

#include <tuple>

using namespace orefront;
using namespace orefront::viewer;

namespace {

constexpr int kW = 1280, kH = 800;

// Pixels of window `name`'s inner area that differ from its background (text ink), as a mask
// in window-relative coordinates (y down).
std::vector<bool> inkOf(const std::vector<unsigned char> &px, const char *name, int &w, int &h) {
    const ImGuiWindow *win = ImGui::FindWindowByName(name);
    REQUIRE(win);
    const ImRect r = win->InnerRect;
    w = int(r.GetWidth()), h = int(r.GetHeight());
    std::vector<bool> ink(std::size_t(w) * h);
    const auto at = [&](int x, int y) { // y down, screen
        return &px[(std::size_t(kH - 1 - y) * kW + std::size_t(x)) * 4];
    };
    const unsigned char *bg = at(int(r.Min.x) + 1, int(r.Max.y) - 2);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const unsigned char *p = at(int(r.Min.x) + x, int(r.Min.y) + y);
            ink[std::size_t(y) * w + x] =
                std::abs(p[0] - bg[0]) + std::abs(p[1] - bg[1]) + std::abs(p[2] - bg[2]) > 90;
        }
    return ink;
}

// Draws one frame with two windows: the glyphs and question marks.
std::size_t differingInk(test::AppFixture &f, GlFramebuffer &screen) {
    std::vector<unsigned char> px;
    const auto windows = [] {
        for (const auto &[name, text, x] :
             {std::tuple{"glyphs", "\xE2\x89\xA4\xE2\x80\x93\xE2\x80\x94", 300.0f},
              std::tuple{"fallback", "???", 600.0f}}) {
            ImGui::SetNextWindowPos({x, 300}, ImGuiCond_Always);
            ImGui::SetNextWindowSize({120, 80}, ImGuiCond_Always);
            // Opaque white with black text: nothing of the map behind shows through.
            ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(255, 255, 255, 255));
            ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(0, 0, 0, 255));
            ImGui::Begin(name, nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoDocking);
            ImGui::TextUnformatted(text);
            ImGui::End();
            ImGui::PopStyleColor(2);
        }
    };
    for (int k = 0; k < 3; ++k) // glyphs are baked on first use; drawn from the next frame
        test::drawUiFrameInto(*f.app, screen, kW, kH, px, windows);
    int w1, h1, w2, h2;
    const auto a = inkOf(px, "glyphs", w1, h1), b = inkOf(px, "fallback", w2, h2);
    REQUIRE(w1 == w2);
    REQUIRE(h1 == h2);
    std::size_t inkA = 0, differ = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        inkA += a[i];
        differ += a[i] != b[i];
    }
    INFO("ink " << inkA << " px, differing " << differ << " px");
    CHECK(inkA > 10); // something is written
    return differ;
}

} // namespace

TEST_CASE("Screenshots draw <= and dashes as glyphs with the app's font set-up", "[viewer][gl]") {
    test::ScenarioDir dir("fonts",
                          test::ScenarioDir::point(37.2, 47.5, R"("name": "Near", "country": "UKR")"));
    GlFramebuffer screen;
    SECTION("the app's look (DejaVu Sans)") {
        test::AppFixture f(dir.scenario(), test::Look::App);
        REQUIRE(f.settle());
        CHECK(ImGui::GetFont()->IsGlyphInFont(0x2264)); // <=
        CHECK(ImGui::GetFont()->IsGlyphInFont(0x2014)); // em dash
        CHECK(differingInk(f, screen) > 20);
    }
    SECTION("ImGui's default font: the same '?' in both windows (what the check tells apart)") {
        test::AppFixture f(dir.scenario());
        REQUIRE(f.settle());
        CHECK_FALSE(ImGui::GetFont()->IsGlyphInFont(0x2264));
        CHECK(differingInk(f, screen) == 0);
    }
}
