#include "ui/map_window.hpp"

#include "annotation_draw.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace orefront::viewer {

namespace {

void depositTooltip(const MapDocument &doc, int i) {
    const auto &d = doc.report().deposits[std::size_t(i)];
    const auto &m = doc.snapshot()->measurements.perDeposit[std::size_t(i)];
    const Rgba c = verdictColour(d.verdict);
    ImGui::BeginTooltip();
    ImGui::Text("%s  (%s)", d.name.c_str(), d.country.c_str());
    ImGui::TextColored(ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1), "%s", verdictLabel(d.verdict));
    d.gradePct ? ImGui::Text("grade %.2f %% TREO", *d.gradePct) : ImGui::TextDisabled("grade unknown");
    d.tonnageMt ? ImGui::Text("ore %.1f Mt", *d.tonnageMt) : ImGui::TextDisabled("tonnage unknown");
    if (m.frontDistanceKm)
        ImGui::Text("%.1f km from the front%s", *m.frontDistanceKm, m.occupied ? " (occupied)" : "");
    for (const auto &r : d.reasons)
        ImGui::BulletText("%.*s", int(r.size()), r.data());
    ImGui::EndTooltip();
}

// ImGui draw callback: copies MapWindow::ImageBlit's framebuffer onto the draw framebuffer
// at its rectangle (ImGui coordinates), within the command's clip rectangle. Runs inside
// ImGui_ImplOpenGL3_RenderDrawData, whose viewport spans the framebuffer.
void blitImage(const ImDrawList *, const ImDrawCmd *cmd) {
    const auto &b = *static_cast<const MapWindow::ImageBlit *>(cmd->UserCallbackData);
    const ImDrawData *dd = ImGui::GetDrawData();
    if (!b.fbo || b.width <= 0 || b.height <= 0 || !dd || b.max.x <= b.min.x || b.max.y <= b.min.y)
        return;
    const ImVec4 clip = cmd->ClipRect;
    const float x0 = std::max(b.min.x, clip.x), y0 = std::max(b.min.y, clip.y);
    const float x1 = std::min(b.max.x, clip.z), y1 = std::min(b.max.y, clip.w);
    if (x1 <= x0 || y1 <= y0 || glCheckFramebufferStatus(GL_DRAW_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
        return; // nothing to copy into (a headless context's default framebuffer)
    GLint viewport[4] = {};
    glGetIntegerv(GL_VIEWPORT, viewport);
    const ImVec2 pos = dd->DisplayPos, scale = dd->FramebufferScale;
    // Image rows run bottom-up, as the framebuffer's do: the top of the rectangle is the
    // image's last row and the framebuffer's higher y.
    const float fx = float(b.width) / (b.max.x - b.min.x), fy = float(b.height) / (b.max.y - b.min.y);
    auto px = [](float v) { return GLint(std::lround(v)); };
    const GLint sx0 = px((x0 - b.min.x) * fx), sx1 = px((x1 - b.min.x) * fx);
    const GLint sTop = b.height - px((y0 - b.min.y) * fy), sBottom = b.height - px((y1 - b.min.y) * fy);
    const GLint top = viewport[1] + viewport[3];
    const GLint dx0 = px((x0 - pos.x) * scale.x), dx1 = px((x1 - pos.x) * scale.x);
    const GLint dTop = top - px((y0 - pos.y) * scale.y), dBottom = top - px((y1 - pos.y) * scale.y);
    GLint readFbo = 0;
    glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &readFbo);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, b.fbo);
    glDisable(GL_SCISSOR_TEST); // the copy is clipped above; a scissor would cost llvmpipe its fast copy
    glBlitFramebuffer(sx0, sBottom, sx1, sTop, dx0, dBottom, dx1, dTop, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, GLuint(readFbo));
}

} // namespace

void MapWindow::Draw(MapDocument &doc, MapController &controller, MapRenderer &renderer,
                     const ViewSettings &settings, const OverlayOptions &overlay, int &selected,
                     const std::string &status, double dt, MapAnnotations ann) {
    ImGuiIO &io = ImGui::GetIO();
    const float statusHeight = ImGui::GetFrameHeightWithSpacing();
    ImVec2 size = ImGui::GetContentRegionAvail();
    size.y -= statusHeight;
    size.x = std::max(size.x, 16.0f);
    size.y = std::max(size.y, 16.0f);
    controller.resize(int(size.x), int(size.y));

    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("map", size, ImGuiButtonFlags_MouseButtonLeft);
    m_mapHovered = ImGui::IsItemHovered();

    MapInput in;
    in.mouseX = io.MousePos.x - origin.x;
    in.mouseY = io.MousePos.y - origin.y;
    in.hovered = m_mapHovered;
    // The annotation editor sees the press first: a tool, an annotation or a handle under the
    // cursor takes it, and the map neither pans nor selects a deposit with it.
    bool annotationClick = false;
    if (ann.editor) {
        const AnnotationEditor::Pointer p{in.mouseX, in.mouseY, io.KeyShift};
        const Camera &before = controller.camera();
        if (ImGui::IsItemActivated())
            m_annotationPress = ann.editor->press(*ann.doc, before, p);
        if (m_annotationPress && ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f))
            ann.editor->drag(*ann.doc, before, p);
        if (m_annotationPress && ImGui::IsItemDeactivated()) {
            ann.editor->release(*ann.doc, before, p);
            m_annotationPress = false;
            annotationClick = true;
        }
        if (m_mapHovered && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
            ann.editor->finish(*ann.doc);
        if (m_mapHovered)
            ann.editor->hover(before, p);
    }
    if (!m_annotationPress && ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
        in.dragDx = io.MouseDelta.x;
        in.dragDy = io.MouseDelta.y;
    }
    if (m_mapHovered)
        in.wheel = io.MouseWheel;
    if (!io.WantTextInput) {
        for (ImWchar ch : io.InputQueueCharacters) {
            if (ch == '+' || ch == '=')
                in.keyZoom += 1;
            else if (ch == '-' || ch == '_')
                in.keyZoom -= 1;
            else if (ch == 'f' || ch == 'F')
                in.fit = true;
        }
    }
    controller.update(in, dt);
    const Camera &camera = controller.camera();

    MapFrameKey key = MapFrameKey::of(doc, camera, settings.style);
    const bool redraw = !m_shown || key != *m_shown;
    if (redraw) {
        renderer.render(doc, camera, settings.style, m_fbo, true); // m_fbo is only shown
        ++m_imageGeneration;
        m_markerScale = doc.markerScaleAt(camera, settings.style.markerScale);
        m_shown = std::move(key);
    }

    // Hover and click: the deposit under the cursor.
    if (m_mapHovered) {
        if (io.MousePos.x != m_lastMouse.x || io.MousePos.y != m_lastMouse.y || redraw) {
            m_hover = doc.pickDeposit(camera, in.mouseX, in.mouseY, m_markerScale);
            m_cursor = camera.screenToLonLat(in.mouseX, in.mouseY);
            const auto *snap = doc.snapshot();
            m_cursorHit.reset();
            if (snap && snap->hostile)
                m_cursorHit = snap->hostile->query(*m_cursor);
            m_lastMouse = io.MousePos;
        }
        if (ImGui::IsItemDeactivated() && !annotationClick && io.MouseDragMaxDistanceSqr[0] < 16.0f)
            selected = m_hover;
    } else {
        m_hover = -1;
    }

    ImDrawList *dl = ImGui::GetWindowDrawList();
    // The image is opaque and shown pixel for pixel: copied by a framebuffer blit, not drawn
    // as a textured quad. On llvmpipe the quad sampled the texture per pixel and cost more
    // than drawing the map itself (22 of 62 ms of ImGui's GL time at 1280x800, loaded);
    // the blit is a copy of rows.
    ImageBlit blit;
    blit.generation = m_imageGeneration;
    blit.fbo = m_fbo.id();
    blit.width = m_fbo.width();
    blit.height = m_fbo.height();
    blit.min = origin;
    blit.max = {origin.x + size.x, origin.y + size.y};
    dl->AddCallback(blitImage, &blit, sizeof blit);
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
    if (m_underlay)
        m_underlay(dl, origin, size);
    // Labels go under the overlay, placed clear of the boxes it draws (channel 1 over 0).
    std::vector<ScreenBox> occupied;
    dl->ChannelsSplit(2);
    dl->ChannelsSetCurrent(1);
    drawMapOverlay(dl, origin, camera, doc, settings.style, overlay, &occupied);
    dl->ChannelsSetCurrent(0);
    // Annotations over the map and under the legend, scale bar and credits.
    if (ann.doc)
        drawAnnotations(dl, origin, camera, *ann.doc, ann.editor);
    m_labels.update(doc, camera,
                    mapLabelInputs(settings.labels, overlay.ringLabels && settings.style.rings, m_markerScale,
                                   selected, std::move(occupied)),
                    redraw);
    if (m_labelsFromX)
        dl->PushClipRect({std::max(*m_labelsFromX, origin.x), origin.y},
                         {origin.x + size.x, origin.y + size.y}, true);
    m_labels.draw(dl, origin);
    if (m_labelsFromX)
        dl->PopClipRect();
    dl->ChannelsMerge();
    if (selected >= 0 && doc.snapshot()) {
        double sx, sy;
        camera.lonLatToScreen(doc.depositAnchor(selected), sx, sy);
        dl->AddCircle({origin.x + float(sx), origin.y + float(sy)}, 14.0f, IM_COL32(0, 0, 0, 255), 0, 2.5f);
        dl->AddCircle({origin.x + float(sx), origin.y + float(sy)}, 16.0f, IM_COL32(255, 255, 255, 255), 0,
                      1.5f);
    }
    if (m_mapHovered && m_hover >= 0 && !ImGui::IsItemActive())
        depositTooltip(doc, m_hover);

    // Status bar, on its own background: the map's window has none (the image covers it).
    const ImVec2 barMin{origin.x, origin.y + size.y};
    dl->AddRectFilled(barMin, {barMin.x + size.x, barMin.y + statusHeight},
                      ImGui::GetColorU32(ImGuiCol_WindowBg));
    char text[256] = "";
    if (m_cursor) {
        int n = std::snprintf(text, sizeof text, "%.4f\xC2\xB0%c  %.4f\xC2\xB0%c", std::abs(m_cursor->lat),
                              m_cursor->lat >= 0 ? 'N' : 'S', std::abs(m_cursor->lon),
                              m_cursor->lon >= 0 ? 'E' : 'W');
        if (m_cursorHit && m_cursorHit->distanceKm && n > 0)
            std::snprintf(text + n, sizeof text - std::size_t(n),
                          "    %s%.1f km to the nearest hostile position",
                          m_cursorHit->occupied ? "hostile-controlled, " : "", *m_cursorHit->distanceKm);
    }
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(text);
    ImGui::SameLine(std::max(ImGui::GetCursorPosX() + 20,
                             ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize(status.c_str()).x));
    ImGui::TextDisabled("%s", status.c_str());
}

} // namespace orefront::viewer
