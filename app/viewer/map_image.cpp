#include "map_image.hpp"
#include "annotation_draw.hpp"

#include "orefront/export/image_writer.hpp"
#include "orefront/model/error.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace orefront::viewer {

Rgba Image::at(int x, int y) const {
    if (x < 0 || y < 0 || x >= width || y >= height)
        return {};
    const std::uint8_t *p = &rgba[(std::size_t(y) * std::size_t(width) + std::size_t(x)) * 4];
    return {p[0], p[1], p[2], p[3]};
}

MapImageComposer::MapImageComposer() {
    ImGuiContext *previous = ImGui::GetCurrentContext();
    m_context = ImGui::CreateContext();
    ImGui::SetCurrentContext(m_context);
    ImGui::GetIO().IniFilename = nullptr;
    loadMapFont(ImGui::GetIO().Fonts, 15.0f);
    const bool ok = ImGui_ImplOpenGL3_Init("#version 330 core");
    ImGui::SetCurrentContext(previous);
    if (!ok)
        throw GlError("ImGui OpenGL3 backend failed to initialise");
}

MapImageComposer::~MapImageComposer() {
    ImGuiContext *previous = ImGui::GetCurrentContext();
    ImGui::SetCurrentContext(m_context);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext(m_context);
    ImGui::SetCurrentContext(previous == m_context ? nullptr : previous);
}

Image MapImageComposer::compose(MapRenderer &renderer, const MapDocument &doc, const Camera &camera,
                                const MapStyle &style, const OverlayOptions &overlay) {
    renderer.render(doc, camera, style, m_target);

    ImGuiContext *previous = ImGui::GetCurrentContext();
    ImGui::SetCurrentContext(m_context);
    ImGuiIO &io = ImGui::GetIO();
    io.DisplaySize = ImVec2(float(camera.width), float(camera.height));
    io.DeltaTime = 1.0f / 60.0f;
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    // As MapWindow draws them: labels under the overlay, clear of its boxes.
    ImDrawList *dl = ImGui::GetForegroundDrawList();
    std::vector<ScreenBox> occupied;
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    drawMapOverlay(dl, {0, 0}, camera, doc, style, overlay, &occupied);
    dl->ChannelsSetCurrent(0);
    drawAnnotations(dl, {0, 0}, camera, overlay.annotations);
    drawMapLabels(dl, {0, 0},
                  layoutMapLabels(doc, camera,
                                  mapLabelInputs(overlay.labels, overlay.ringLabels && style.rings,
                                                 doc.markerScaleAt(camera, style.markerScale),
                                                 overlay.selectedDeposit, std::move(occupied)),
                                  measureImGuiText));
    dl->ChannelsMerge();
    ImGui::Render();

    GLint prevFbo = 0;
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prevFbo);
    glBindFramebuffer(GL_FRAMEBUFFER, m_target.id());
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    ImGui::SetCurrentContext(previous);

    Image img;
    img.width = camera.width;
    img.height = camera.height;
    img.rgba.resize(std::size_t(img.width) * std::size_t(img.height) * 4);
    std::vector<std::uint8_t> raw(img.rgba.size());
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, img.width, img.height, GL_RGBA, GL_UNSIGNED_BYTE, raw.data());
    glBindFramebuffer(GL_FRAMEBUFFER, GLuint(prevFbo));
    // GL rows run bottom-up; images top-down.
    const std::size_t stride = std::size_t(img.width) * 4;
    for (int y = 0; y < img.height; ++y)
        std::copy_n(&raw[std::size_t(img.height - 1 - y) * stride], stride,
                    &img.rgba[std::size_t(y) * stride]);
    return img;
}

void writeImage(const Image &image, const std::string &path) {
    std::string why;
    const auto format = exporting::imageFormatFor(path, &why);
    if (!format)
        throw OutputError(why);
    exporting::writeImage(image.rgba, image.width, image.height, path, *format);
}

} // namespace orefront::viewer
