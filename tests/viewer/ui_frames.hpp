#pragma once
// Driving a ViewerApp frame by frame in a headless GL context (the UI tests' fixtures).
#include "map_image.hpp"
#include "render/gl_objects.hpp"
#include "render/headless_gl.hpp"
#include "viewer_app.hpp"
#include "workspace.hpp"

#include "orefront/io/scenario_io.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <chrono>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace orefront::viewer::test {

// One frame at 60 Hz: the UI, its GL draw and what the app does after it.
inline void drawUiFrame(ViewerApp &app) {
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    app.draw(1.0 / 60.0);
    ImGui::Render();
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    app.afterRender();
}

// One frame at 60 Hz drawn into `target` (resized to w x h, cleared grey) and read back into
// `pixels` as RGBA rows, bottom row first (the context has no window to draw into).
// `extra`, if given, draws more ImGui windows after the app's, in the same frame.
inline void drawUiFrameInto(ViewerApp &app, GlFramebuffer &target, int w, int h,
                            std::vector<unsigned char> &pixels, const std::function<void()> &extra = {}) {
    target.resize(w, h);
    ImGui::GetIO().DeltaTime = 1.0f / 60.0f;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    app.draw(1.0 / 60.0);
    if (extra)
        extra();
    ImGui::Render();
    glBindFramebuffer(GL_FRAMEBUFFER, target.id());
    glViewport(0, 0, w, h);
    glClearColor(0.5f, 0.5f, 0.5f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    pixels.assign(std::size_t(w) * h * 4, 0);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels.data());
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    app.afterRender();
}

// One frame drawn as drawUiFrameInto does, written top row first to the PNG `path` (the
// screenshot tests: look at them).
inline void writeUiScreenshot(ViewerApp &app, GlFramebuffer &target, int w, int h, const std::string &path) {
    std::vector<unsigned char> pixels;
    drawUiFrameInto(app, target, w, h, pixels);
    Image image;
    image.width = w;
    image.height = h;
    image.rgba.resize(pixels.size());
    const std::size_t row = std::size_t(w) * 4;
    for (int y = 0; y < h; ++y) // GL's rows run bottom-up
        std::copy_n(&pixels[std::size_t(h - 1 - y) * row], row, &image.rgba[std::size_t(y) * row]);
    writeImage(image, path);
}

// `ini` (an imgui.ini) without the sections of the windows `names`: settings saved before
// those windows existed.
inline std::string withoutWindows(const std::string &ini, std::initializer_list<std::string> names) {
    std::istringstream in(ini);
    std::string out, line;
    bool skip = false;
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] == '[') {
            skip = false;
            for (const auto &n : names)
                skip = skip || line == "[Window][" + n + "]";
        }
        if (!skip)
            out += line + "\n";
    }
    return out;
}

// Frames until the app's workers are done (the scenario, rings), at most `seconds`.
inline bool settleUi(ViewerApp &app, double seconds) {
    const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    do {
        drawUiFrame(app);
        if (!app.busy())
            return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    } while (std::chrono::steady_clock::now() < end);
    return false;
}

// Screenshots, for a person to look at, in the look the viewer has (light style, DejaVu Sans
// with Cyrillic, dashes and <=: setupUiStyle); the other UI tests keep ImGui's defaults.
enum class Look { ImGuiDefault, App };

// The whole viewer on a headless context at 1280x800, docking on, no imgui.ini, opened on
// `scenario`: the set-up every UI test shares.
struct AppFixture {
    HeadlessGl gl;
    ImGuiContext *context = nullptr;
    std::unique_ptr<ViewerApp> app;

    explicit AppFixture(const std::string &scenario, Look look = Look::ImGuiDefault) {
        io::initGdal();
        context = ImGui::CreateContext();
        ImGuiIO &io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.ConfigFlags |= ImGuiConfigFlags_DockingEnable;
        io.DisplaySize = {1280, 800};
        if (look == Look::App)
            setupUiStyle(1.0f);
        ImGui_ImplOpenGL3_Init("#version 330 core");
        app = std::make_unique<ViewerApp>(ViewerApp::Options{scenario, "", 2});
    }
    ~AppFixture() {
        app.reset();
        ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(context);
    }
    AppFixture(const AppFixture &) = delete;
    AppFixture &operator=(const AppFixture &) = delete;
    void frame() { drawUiFrame(*app); }
    bool settle(double seconds = 120) { return settleUi(*app, seconds); }
};

} // namespace orefront::viewer::test
