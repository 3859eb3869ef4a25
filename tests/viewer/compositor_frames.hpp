#pragma once
// ImGui frames for the UI compositor's tests (ui_compositor_test.cpp, window_present_test.cpp):
// a synthetic frame with every kind of change, and pixels read back and compared.
#include "render/gl_objects.hpp"
#include "render/ui_compositor.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <cstring>
#include <string>
#include <vector>

namespace orefront::viewer::test {

inline constexpr int kW = 1280, kH = 800;
inline const ImVec4 kClear{0.93f, 0.93f, 0.92f, 1.0f};

inline std::vector<unsigned char> readBack(GLuint fbo, GLenum buffer = GL_COLOR_ATTACHMENT0) {
    std::vector<unsigned char> px(std::size_t(kW) * kH * 4);
    glBindFramebuffer(GL_FRAMEBUFFER, fbo);
    glReadBuffer(buffer);
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, kW, kH, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    return px;
}

// Pixels of `a` and `b` that differ; the first in `where`.
inline long long differing(const std::vector<unsigned char> &a, const std::vector<unsigned char> &b,
                           std::string &where) {
    long long n = 0;
    for (std::size_t i = 0; i < a.size(); i += 4)
        if (std::memcmp(&a[i], &b[i], 4) != 0 && n++ == 0)
            where = "x " + std::to_string(i / 4 % kW) + ", y " + std::to_string(kH - 1 - int(i / 4 / kW));
    return n;
}

// ImGui's rendered draw data as a full repaint into `full`, read back.
inline std::vector<unsigned char> fullRepaint(GlFramebuffer &full) {
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
inline void paintBytes(const ImDrawList *, const ImDrawCmd *cmd) {
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
inline float g_unseen = 0.2f;
inline void paintUnseen(const ImDrawList *, const ImDrawCmd *cmd) {
    const ImVec4 c = cmd->ClipRect;
    const int h = int(ImGui::GetDrawData()->DisplaySize.y);
    glEnable(GL_SCISSOR_TEST);
    glScissor(int(c.x), h - int(c.w), int(c.z - c.x), int(c.w - c.y));
    glClearColor(g_unseen, 0.5f, 0.3f, 1);
    glClear(GL_COLOR_BUFFER_BIT);
}

// A point in syntheticFrame's opaque box, over what changes under it every frame.
inline ImVec2 g_boxProbe;

inline void syntheticFrame(int f) {
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
    for (int i = 0; i < 16; ++i) // leaving room for what follows within the window
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
    // An opaque box over the right half of that callback, and text over the box: its inside is
    // kept while the callback under it changes. It is repainted when its colour changes (at 12
    // and back at 14), when it moves (at 16), and where the text over it changes (at 8); from 28
    // on it is translucent, and what is under it shows through.
    const float bx = p.x + 190 + (f >= 16 ? 6.0f : 0.0f);
    const ImU32 boxColour = f >= 28                ? IM_COL32(250, 250, 250, 200)
                            : (f == 12 || f == 13) ? IM_COL32(255, 230, 200, 255)
                                                   : IM_COL32(255, 255, 255, 255);
    UiCompositor::fillOpaque(dl, {bx, p.y + 4}, {bx + 90, p.y + 36}, boxColour, 4.0f);
    dl->AddText({bx + 8, p.y + 10}, IM_COL32(20, 20, 20, 255), f < 8 ? "kept" : "shown");
    g_boxProbe = {p.x + 214, p.y + 30}; // in the box, over the callback, clear of the text
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

// An ImGui context of kW x kH with the OpenGL3 backend, for the synthetic frames; a GL
// context must be current. `ok`: the backend started.
struct SyntheticUi {
    ImGuiContext *context = ImGui::CreateContext();
    bool ok = false;
    SyntheticUi() {
        ImGuiIO &io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.DisplaySize = {float(kW), float(kH)};
        ok = ImGui_ImplOpenGL3_Init("#version 330 core");
    }
    ~SyntheticUi() {
        if (ok)
            ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(context);
    }
    SyntheticUi(const SyntheticUi &) = delete;
    SyntheticUi &operator=(const SyntheticUi &) = delete;
};

} // namespace orefront::viewer::test
