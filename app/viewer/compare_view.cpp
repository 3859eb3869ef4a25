#include "compare_view.hpp"

#include <epoxy/gl.h>

#include <algorithm>
#include <cmath>

namespace orefront::viewer {

CompareMap::CompareMap() = default;
CompareMap::~CompareMap() = default;

void CompareMap::set(model::Date date, std::shared_ptr<const ScenarioSnapshot> snapshot,
                     MapDocument::RuleResult result, std::shared_ptr<const RingSet> rings) {
    m_doc.setScenario(std::move(snapshot), std::move(result));
    m_doc.setRings(std::move(rings));
    m_date = date;
    m_shown.reset();
}

void CompareMap::reset() {
    m_doc = MapDocument();
    m_date.reset();
    m_shown.reset();
}

// A's scenario layers take the look their namesakes have on the map shown; the basemap and
// the layers added at run time are B's own (shared meshes, not copies).
void CompareMap::followLooks(const MapDocument &shown) {
    auto &layers = m_doc.layers();
    for (auto &l : layers) {
        if (l.id.rfind("scenario:", 0) != 0)
            continue;
        const auto it = std::find_if(shown.layers().begin(), shown.layers().end(),
                                     [&](const MapLayer &s) { return s.id == l.id; });
        if (it == shown.layers().end())
            continue;
        l.visible = it->visible;
        l.opacity = it->opacity;
        l.colour = it->colour;
        l.lineWidthPx = it->lineWidthPx;
    }
    for (const auto &s : shown.layers()) {
        if (s.id.rfind("scenario:", 0) == 0)
            continue;
        const auto it =
            std::find_if(layers.begin(), layers.end(), [&](const MapLayer &l) { return l.id == s.id; });
        if (it == layers.end())
            m_doc.addLayer(s);
        else
            *it = s;
    }
}

unsigned CompareMap::render(const MapDocument &shown, const Camera &camera, const MapStyle &style) {
    if (!m_date || !m_doc.snapshot())
        return 0;
    if (!m_renderer)
        m_renderer = std::make_unique<MapRenderer>();
    followLooks(shown);
    MapFrameKey key = MapFrameKey::of(m_doc, camera, style);
    if (!m_shown || key != *m_shown) {
        m_renderer->render(m_doc, camera, style, m_fbo, true); // m_fbo is only shown
        m_shown = std::move(key);
    }
    return m_fbo.texture();
}

float swipeDividerX(float width, float at) {
    return std::round(std::clamp(at, 0.0f, 1.0f) * width);
}

namespace {

// The map image drawn opaque (no blending, as MapWindow draws B's), within `clipMin..clipMax`.
void addOpaqueImage(ImDrawList *dl, unsigned texture, ImVec2 min, ImVec2 max, ImVec2 clipMin,
                    ImVec2 clipMax) {
    dl->PushClipRect(clipMin, clipMax, true);
    dl->AddCallback([](const ImDrawList *, const ImDrawCmd *) { glDisable(GL_BLEND); }, nullptr);
    dl->AddImage(ImTextureRef(ImTextureID(texture)), min, max, {0, 1}, {1, 0});
    dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
    dl->PopClipRect();
}

// "A  2022-02-23" in a tag whose left edge (or right edge, `rightAligned`) is at `at`.
void dateTag(ImDrawList *dl, ImVec2 at, const char *side, model::Date date, bool rightAligned, ImU32 fill) {
    const std::string text = std::string(side) + "  " + date.iso();
    const ImVec2 ts = ImGui::CalcTextSize(text.c_str());
    const float padX = 8, padY = 4;
    const float x0 = rightAligned ? at.x - ts.x - 2 * padX : at.x;
    const ImVec2 min{x0, at.y}, max{x0 + ts.x + 2 * padX, at.y + ts.y + 2 * padY};
    dl->AddRectFilled(min, max, fill, 4.0f);
    dl->AddRect(min, max, IM_COL32(255, 255, 255, 230), 4.0f, 0, 1.5f);
    dl->AddText({x0 + padX, at.y + padY}, IM_COL32(255, 255, 255, 255), text.c_str());
}

constexpr ImU32 kTagA = IM_COL32(40, 40, 160, 235); // A's front colour in the Overlay mode
constexpr ImU32 kTagB = IM_COL32(45, 45, 45, 235);

// Where the date tags sit: below the title row, the longitude labels and Compare's legend box
// (drawCompareOverlay: one row under the title line).
float tagY(ImVec2 origin) {
    return origin.y + 3.5f * ImGui::GetTextLineHeight() + 40.0f;
}

} // namespace

void drawSwipeImage(ImDrawList *dl, ImVec2 origin, ImVec2 size, unsigned textureA, float at) {
    const float x = origin.x + swipeDividerX(size.x, at);
    if (textureA && x > origin.x)
        addOpaqueImage(dl, textureA, origin, {origin.x + size.x, origin.y + size.y}, origin,
                       {x, origin.y + size.y});
}

void drawSwipeDivider(ImDrawList *dl, ImVec2 origin, ImVec2 size, float at, model::Date a, model::Date b) {
    const ImVec2 end{origin.x + size.x, origin.y + size.y};
    const float x = origin.x + swipeDividerX(size.x, at);
    dl->PushClipRect(origin, end, true);
    // A white line edged dark, and a round handle with arrows at mid-height.
    dl->AddLine({x, origin.y}, {x, end.y}, kDividerEdge, 5.0f);
    dl->AddLine({x, origin.y}, {x, end.y}, kDividerInk, 3.0f);
    const ImVec2 c{x, origin.y + size.y / 2};
    dl->AddCircleFilled(c, 15.0f, kDividerEdge);
    dl->AddCircleFilled(c, 13.0f, kDividerInk);
    for (const float dir : {-1.0f, 1.0f})
        dl->AddTriangleFilled({c.x + dir * 10, c.y}, {c.x + dir * 4, c.y + 6}, {c.x + dir * 4, c.y - 6},
                              kDividerEdge);
    const float y = tagY(origin);
    dateTag(dl, {x - 10, y}, "A", a, true, kTagA);
    dateTag(dl, {x + 10, y}, "B", b, false, kTagB);
    dl->PopClipRect();
}

ImVec2 comparePaneInput(MapController &controller, const MapDocument &a, float markerScale, int &selected) {
    const ImGuiIO &io = ImGui::GetIO();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float gap = 4.0f;
    const float w = std::max(8.0f, std::floor((avail.x - gap) / 2));
    const float h = std::max(16.0f, avail.y - ImGui::GetFrameHeightWithSpacing());
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##compare_a", {w, h}, ImGuiButtonFlags_MouseButtonLeft);
    MapInput in;
    in.mouseX = io.MousePos.x - origin.x;
    in.mouseY = io.MousePos.y - origin.y;
    in.hovered = ImGui::IsItemHovered();
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 0.0f)) {
        in.dragDx = io.MouseDelta.x;
        in.dragDy = io.MouseDelta.y;
    }
    if (in.hovered)
        in.wheel = io.MouseWheel;
    // A click (not a drag) selects the deposit under the cursor, as on the map: one deposit list.
    if (ImGui::IsItemDeactivated() && io.MouseDragMaxDistanceSqr[0] < 16.0f && a.snapshot())
        selected = a.pickDeposit(controller.camera(), in.mouseX, in.mouseY, markerScale);
    controller.update(in, 0.0); // the map pane advances a fly-to, once a frame
    ImGui::SameLine(0, std::max(0.0f, avail.x - 2 * w));
    return origin;
}

void drawSideBySide(ImDrawList *dl, ImVec2 paneA, ImVec2 paneB, ImVec2 size, unsigned textureA, model::Date a,
                    model::Date b) {
    const ImVec2 endA{paneA.x + size.x, paneA.y + size.y};
    if (textureA)
        addOpaqueImage(dl, textureA, paneA, endA, paneA, endA);
    else
        dl->AddRectFilled(paneA, endA, IM_COL32(200, 200, 200, 255));
    // Under A's pane, where B's has its status bar: the window's background.
    const float statusHeight = ImGui::GetFrameHeightWithSpacing();
    dl->AddRectFilled({paneA.x, endA.y}, {endA.x, endA.y + statusHeight},
                      ImGui::GetColorU32(ImGuiCol_WindowBg));
    // The seam between the panes.
    dl->AddRectFilled({endA.x, paneA.y}, {paneB.x, endA.y + statusHeight}, kDividerEdge);
    const float y = tagY(paneA);
    dl->PushClipRect(paneA, endA, true);
    dateTag(dl, {endA.x - 10, y}, "A", a, true, kTagA);
    dl->PopClipRect();
    dl->PushClipRect(paneB, {paneB.x + size.x + 2, paneB.y + size.y}, true);
    dateTag(dl, {paneB.x + 10, y}, "B", b, false, kTagB);
    dl->PopClipRect();
}

bool swipeDividerInput(ImVec2 origin, ImVec2 size, float &at) {
    const float before = at;
    const float x = origin.x + swipeDividerX(size.x, at);
    const ImVec2 keep = ImGui::GetCursorScreenPos();
    const float grab = 16.0f; // the handle is 30 px wide; the line is easy to catch too
    ImGui::SetCursorScreenPos({x - grab / 2, origin.y});
    ImGui::InvisibleButton("##swipe_divider", {grab, std::max(size.y, 1.0f)},
                           ImGuiButtonFlags_MouseButtonLeft);
    const bool hovered = ImGui::IsItemHovered(), active = ImGui::IsItemActive();
    if (hovered || active)
        ImGui::SetMouseCursor(ImGuiMouseCursor_ResizeEW);
    if (active && size.x > 0)
        at = (ImGui::GetIO().MousePos.x - origin.x) / size.x;
    const ImGuiIO &io = ImGui::GetIO();
    if (!io.WantTextInput) {
        const float step = io.KeyShift ? 0.01f : 0.05f;
        if (ImGui::IsKeyPressed(ImGuiKey_LeftBracket) || (hovered && ImGui::IsKeyPressed(ImGuiKey_LeftArrow)))
            at -= step;
        if (ImGui::IsKeyPressed(ImGuiKey_RightBracket) ||
            (hovered && ImGui::IsKeyPressed(ImGuiKey_RightArrow)))
            at += step;
    }
    at = std::clamp(at, 0.0f, 1.0f);
    ImGui::SetCursorScreenPos(keep);
    return at != before;
}

} // namespace orefront::viewer
