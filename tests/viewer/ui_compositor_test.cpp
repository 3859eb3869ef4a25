// The UI compositor (render/ui_compositor.hpp) repaints only where ImGui's draw data changed,
// in a framebuffer that keeps the last frame. What it leaves there must equal a full repaint
// of the same draw data, pixel for pixel, after every kind of change: text, a window moving,
// a tooltip coming and going, windows changing places in the draw order, callbacks with and
// without bytes, the map image redrawn; and so must what a window shows when only the
// repainted rectangles are copied to it (render/window_present.hpp).
#include "render/headless_gl.hpp"
#include "render/ui_compositor.hpp"
#include "render/window_present.hpp"
#include "ui_frames.hpp"
#include "x11_window_pixels.hpp"

#include <GLFW/glfw3.h>
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

namespace {

constexpr int kW = 1280, kH = 800;
const ImVec4 kClear{0.93f, 0.93f, 0.92f, 1.0f};

std::vector<unsigned char> readBack(GLuint fbo, GLenum buffer = GL_COLOR_ATTACHMENT0) {
    std::vector<unsigned char> px(std::size_t(kW) * kH * 4);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glReadBuffer(buffer);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, kW, kH, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return px;
}

// Pixels of `a` and `b` that differ; the first in `where`.
long long differing(const std::vector<unsigned char> &a, const std::vector<unsigned char> &b,
                    std::string &where) {
    long long n = 0;
    for (std::size_t i = 0; i < a.size(); i += 4)
        if (std::memcmp(&a[i], &b[i], 4) != 0 && n++ == 0)
            where = "x " + std::to_string(i / 4 % kW) + ", y " + std::to_string(kH - 1 - int(i / 4 / kW));
    return n;
}

// ImGui's rendered draw data as a full repaint into `full`, read back.
std::vector<unsigned char> fullRepaint(GlFramebuffer &full) {
    full.resize(kW, kH);
    glBindFramebuffer(GL_FRAMEBUFFER, full.id());
    glViewport(0, 0, kW, kH);
    glDisable(GL_SCISSOR_TEST);
    glClearColor(kClear.x, kClear.y, kClear.z, kClear.w);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    return readBack(full.id());
}

// ImGui's rendered draw data through `compositor` into `screen` (which keeps its pixels from
// frame to frame), and as a full repaint into `full`: the number of pixels that differ.
struct Comparer {
    UiCompositor compositor;
    GlFramebuffer screen, full;

    long long frame(std::string &where) {
        screen.resize(kW, kH);
        glBindFramebuffer(GL_FRAMEBUFFER, screen.id());
        compositor.render(*ImGui::GetDrawData(), kClear, ImGui_ImplOpenGL3_RenderDrawData);
        glBindFramebuffer(GL_FRAMEBUFFER, 0);
        const auto kept = readBack(screen.id());
        return differing(kept, fullRepaint(full), where);
    }
};

// A callback that paints its clip rectangle in the colour of the bytes it was given.
void paintBytes(const ImDrawList *, const ImDrawCmd *cmd) {
    float rgb[3];
    std::memcpy(rgb, cmd->UserCallbackData, sizeof rgb);
    const ImVec4 c = cmd->ClipRect;
    const int h = int(ImGui::GetDrawData()->DisplaySize.y);
    glEnable(GL_SCISSOR_TEST);
    glScissor(int(c.x), h - int(c.w), int(c.z - c.x), int(c.w - c.y));
    glClearColor(rgb[0], rgb[1], rgb[2], 1);
    glClear(GL_COLOR_BUFFER_BIT);
}
// One given no bytes: what it paints changes with nothing in the draw data saying so.
float g_unseen = 0.2f;
void paintUnseen(const ImDrawList *, const ImDrawCmd *cmd) {
    const ImVec4 c = cmd->ClipRect;
    const int h = int(ImGui::GetDrawData()->DisplaySize.y);
    glEnable(GL_SCISSOR_TEST);
    glScissor(int(c.x), h - int(c.w), int(c.z - c.x), int(c.w - c.y));
    glClearColor(g_unseen, 0.5f, 0.3f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
}

void syntheticFrame(int f) {
    ImGuiIO &io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60.0f;
    io.AddMousePosEvent(300.0f + float(f % 7) * 20.0f, 200.0f);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    ImGui::SetNextWindowPos({40, 40}, ImGuiCond_Always);
    ImGui::SetNextWindowSize({500, 400}, ImGuiCond_Always);
    if (f >= 20 && f < 26 && f % 2 == 0)
        ImGui::SetNextWindowFocus(); // "Panel" over "Mover", then back under it
    ImGui::Begin("Panel");
    ImGui::Text("frame %d", f < 10 ? f : 10); // changes text, then stays
    for (int i = 0; i < 20; ++i)
        ImGui::Text("row %d of a table that does not change", i);
    if (ImGui::IsWindowHovered() && f % 5 < 3)
        ImGui::SetTooltip("tooltip at frame %d", f); // comes and goes
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList *dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(p, {p.x + 120, p.y + 40}, true);
    const float rgb[3] = {f < 30 ? 0.8f : 0.1f, 0.2f, 0.4f}; // the bytes change at 30
    dl->AddCallback(paintBytes, const_cast<float *>(rgb), sizeof rgb);
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
    dl->PopClipRect();
    dl->PushClipRect({p.x + 150, p.y}, {p.x + 230, p.y + 40}, true);
    g_unseen = float(f % 4) / 4.0f;
    dl->AddCallback(paintUnseen, nullptr);
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
    dl->PopClipRect();
    ImGui::End();
    // A window that moves for a while, overlapping the first.
    ImGui::SetNextWindowPos({f < 15 ? 400.0f + float(f) * 7.5f : 505.0f, 120}, ImGuiCond_Always);
    ImGui::SetNextWindowSize({300, 200}, ImGuiCond_Always);
    ImGui::Begin("Mover");
    ImGui::TextWrapped("A window that moves over the other one and then stays still.");
    ImGui::End();
    if (f >= 32 && f < 36) { // a window that opens and closes
        ImGui::SetNextWindowPos({900, 500}, ImGuiCond_Always);
        ImGui::Begin("Brief");
        ImGui::Text("open for four frames");
        ImGui::End();
    }
    ImGui::Render();
}

} // namespace

TEST_CASE("The UI compositor's kept frame equals a full repaint after every kind of change", "[viewer][gl]") {
    HeadlessGl gl;
    ImGuiContext *context = ImGui::CreateContext();
    ImGuiIO &io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = {float(kW), float(kH)};
    REQUIRE(ImGui_ImplOpenGL3_Init("#version 330 core"));
    Comparer cmp;
    long long smallest = -1;
    int partial = 0;
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
        }
    }
    // It did keep pixels: most frames repainted a part, some very little of the window.
    CHECK(partial > 25);
    CHECK(smallest >= 0);
    CHECK(smallest < kW * kH / 20);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext(context);
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

TEST_CASE("A window shown rectangle by rectangle shows every frame whole", "[viewer][gl]") {
    if (!std::getenv("DISPLAY")) {
        WARN("SKIPPED: no X display (run the GL tests under xvfb-run)");
        return;
    }
    REQUIRE(glfwInit());
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_FALSE);
    GLFWwindow *window = glfwCreateWindow(kW, kH, "compositor test", nullptr, nullptr);
    if (!window) {
        glfwTerminate();
        WARN("SKIPPED: cannot open an OpenGL 3.3 window");
        return;
    }
    glfwMakeContextCurrent(window);
    auto presenter = WindowPresenter::create(window);
    if (!presenter) {
        WARN("SKIPPED: this GL has no GLX_MESA_copy_sub_buffer; the viewer swaps whole frames");
    } else {
        int fbw = 0, fbh = 0;
        glfwGetFramebufferSize(window, &fbw, &fbh);
        REQUIRE(fbw == kW);
        REQUIRE(fbh == kH);
        ImGuiContext *context = ImGui::CreateContext();
        ImGuiIO &io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = {float(kW), float(kH)};
        REQUIRE(ImGui_ImplOpenGL3_Init("#version 330 core"));
        UiCompositor compositor;
        int partial = 0;
        for (int f = 0; f < 40; ++f) {
            syntheticFrame(f);
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            compositor.render(*ImGui::GetDrawData(), kClear, ImGui_ImplOpenGL3_RenderDrawData);
            const auto &s = compositor.stats();
            presenter->present(s.full ? std::vector<UiCompositor::Rect>{{0, 0, kW, kH}} : s.rects, kH);
            partial += s.full ? 0 : 1;
            glFinish();
            // What the window shows, read from the X server, against a full repaint of the
            // same frame in the same back buffer (a window's format may round blends
            // differently from an offscreen one's; the offscreen tests above cover the
            // compositor's pixels themselves). The repaint leaves the back buffer as it was.
            const auto shown = test::x11WindowPixels(window, kW, kH);
            REQUIRE(shown.size() == std::size_t(kW) * kH * 4);
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            glDisable(GL_SCISSOR_TEST);
            glClearColor(kClear.x, kClear.y, kClear.z, kClear.w);
            glClear(GL_COLOR_BUFFER_BIT);
            ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
            auto painted = readBack(0, GL_BACK);
            for (std::size_t i = 3; i < painted.size(); i += 4)
                painted[i] = 255; // the window's alpha is not shown
            std::string where;
            INFO("frame " << f);
            const long long differ = differing(shown, painted, where);
            INFO("first differing pixel at " << where);
            CHECK(differ == 0);
        }
        CHECK(partial > 25);
        ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(context);
    }
    glfwDestroyWindow(window);
    glfwTerminate();
}
