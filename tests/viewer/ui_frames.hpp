#pragma once
// Driving a ViewerApp frame by frame in a headless GL context (the UI tests' fixtures).
#include "viewer_app.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <chrono>
#include <thread>

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

} // namespace orefront::viewer::test
