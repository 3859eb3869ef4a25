// What the window shows when only the rectangles the UI compositor repainted are put into it
// (render/window_present.hpp), frame by frame against a full repaint. Its own executable: it
// opens a GLFW window (GLX), which must not share a process with the headless EGL tests.
#include "compositor_frames.hpp"
#include "render/window_present.hpp"
#include "x11_window_pixels.hpp"

#include <GLFW/glfw3.h>
#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

using namespace orefront;
using namespace orefront::viewer;
using namespace orefront::viewer::test;

namespace {

std::string g_glfwError; // GLFW's last error, for the failure message

} // namespace

TEST_CASE("A window shown rectangle by rectangle shows every frame whole", "[viewer][gl]") {
    if (!std::getenv("DISPLAY")) {
        WARN("SKIPPED: no X display (run the GL tests under xvfb-run)");
        return;
    }
    glfwSetErrorCallback([](int, const char *text) { g_glfwError = text ? text : ""; });
    const bool started = glfwInit();
    INFO("GLFW: " << g_glfwError);
    REQUIRE(started);
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
    // Both ways to the X server, one after the other in the same window (GLFW started once):
    // shared memory, and the socket (OREFRONT_PRESENT=xputimage).
    for (const std::string way : {"MIT-SHM", "XPutImage"}) {
        INFO("way " << way);
        if (way == "XPutImage")
            setenv("OREFRONT_PRESENT", "xputimage", 1);
        auto presenter = WindowPresenter::create(window);
        unsetenv("OREFRONT_PRESENT");
        if (presenter && way == "MIT-SHM" && !x11ServerHasShm()) {
            WARN("SKIPPED: the X server offers no MIT-SHM; the viewer puts its pixels through the socket");
            CHECK(std::string(presenter->method()) == "XPutImage");
            continue;
        }
        if (!presenter) {
            WARN("SKIPPED: not Mesa's software rasterizer on a 32-bit X visual; the viewer swaps whole "
                 "frames");
            break;
        }
        INFO("presented through " << presenter->method());
        CHECK(std::string(presenter->method()) == way);
        int fbw = 0, fbh = 0;
        glfwGetFramebufferSize(window, &fbw, &fbh);
        REQUIRE(fbw == kW);
        REQUIRE(fbh == kH);
        SyntheticUi ui;
        REQUIRE(ui.ok);
        UiCompositor compositor;
        GlFramebuffer kept, full;
        kept.resize(kW, kH);
        int partial = 0;
        for (int f = 0; f < 40; ++f) {
            syntheticFrame(f);
            glBindFramebuffer(GL_FRAMEBUFFER, kept.id());
            compositor.render(*ImGui::GetDrawData(), kClear, ImGui_ImplOpenGL3_RenderDrawData);
            glBindFramebuffer(GL_FRAMEBUFFER, 0);
            const auto &s = compositor.stats();
            presenter->present(kept.id(), s.rects, kW, kH);
            partial += s.full ? 0 : 1;
            // What the window shows, read from the X server, against a full repaint.
            const auto shown = test::x11WindowPixels(window, kW, kH);
            REQUIRE(shown.size() == std::size_t(kW) * kH * 4);
            auto painted = fullRepaint(full);
            for (std::size_t i = 3; i < painted.size(); i += 4)
                painted[i] = 255; // the window has no alpha to show
            std::string where;
            INFO("frame " << f);
            const long long differ = differing(shown, painted, where);
            INFO("first differing pixel at " << where);
            CHECK(differ == 0);
        }
        CHECK(partial > 25);
        CHECK(std::string(presenter->method()) == way); // and it kept to it
        presenter.reset();                              // before the X display closes
    }
    glfwDestroyWindow(window);
    glfwTerminate();
    glfwSetErrorCallback(nullptr);
}
