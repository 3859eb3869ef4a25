#include "compare_overlay.hpp"

#include <string>

namespace orefront::viewer {

FrontOutline frontOutline(const model::Project &project, model::Date date) {
    FrontOutline out;
    out.date = date;
    for (std::size_t i = 0; i < project.layers.size() && i < project.scenario.layers.size(); ++i) {
        const auto &spec = project.scenario.layers[i];
        const auto &layer = project.layers[i];
        if (!layer || (spec.role != model::LayerRole::Hostile && spec.role != model::LayerRole::Front) ||
            spec.style == "hostile_state")
            continue;
        for (const auto &f : layer->features) {
            for (const auto &p : f.geometry.polygons)
                out.paths.insert(out.paths.end(), p.rings.begin(), p.rings.end());
            out.paths.insert(out.paths.end(), f.geometry.lines.begin(), f.geometry.lines.end());
        }
    }
    return out;
}

namespace {

// One path on screen, vertices closer than a pixel and a half to the last kept one skipped:
// a national front has tens of thousands of vertices, most of them within a pixel at theatre
// zoom.
void drawPath(ImDrawList *dl, ImVec2 origin, const Camera &camera, const model::Path &path,
              std::vector<ImVec2> &scratch) {
    scratch.clear();
    for (const auto &p : path) {
        double sx, sy;
        camera.lonLatToScreen(p, sx, sy);
        const ImVec2 v{origin.x + float(sx), origin.y + float(sy)};
        if (!scratch.empty()) {
            const float dx = v.x - scratch.back().x, dy = v.y - scratch.back().y;
            if (dx * dx + dy * dy < 2.25f)
                continue;
        }
        scratch.push_back(v);
    }
    if (scratch.size() >= 2)
        dl->AddPolyline(scratch.data(), int(scratch.size()), kFrontA, ImDrawFlags_None, 2.0f);
}

} // namespace

void drawCompareOverlay(ImDrawList *dl, ImVec2 origin, const Camera &camera, const MapDocument &doc,
                        const CompareView &view) {
    const ImVec2 end{origin.x + float(camera.width), origin.y + float(camera.height)};
    dl->PushClipRect(origin, end, true);
    if (view.frontA) {
        std::vector<ImVec2> scratch;
        for (const auto &path : view.frontA->paths)
            drawPath(dl, origin, camera, path, scratch);
    }
    if (view.changed && doc.snapshot())
        for (int i : *view.changed) {
            double sx, sy;
            camera.lonLatToScreen(doc.depositAnchor(i), sx, sy);
            const ImVec2 c{origin.x + float(sx), origin.y + float(sy)};
            dl->AddCircle(c, 11.0f, IM_COL32(255, 255, 255, 255), 0, 5.0f);
            dl->AddCircle(c, 11.0f, kChangedHalo, 0, 3.0f);
        }

    // The legend box, top left.
    const std::string halo = "verdict changed " + view.a.iso() + " -> " + view.b.iso();
    const std::string front = "front on " + view.a.iso() + " (A)";
    const float line = ImGui::GetTextLineHeight(), pad = 6.0f, key = 22.0f;
    float width = ImGui::CalcTextSize(halo.c_str()).x;
    if (view.frontA)
        width = std::max(width, ImGui::CalcTextSize(front.c_str()).x);
    const int rows = view.frontA ? 2 : 1;
    // Below the map's title line.
    const ImVec2 box{origin.x + 8, origin.y + 2.5f * line + 8};
    dl->AddRectFilled(box, {box.x + key + width + 3 * pad, box.y + rows * (line + 4) + 2 * pad},
                      IM_COL32(255, 255, 255, 225), 3.0f);
    float y = box.y + pad;
    dl->AddCircle({box.x + pad + key / 2, y + line / 2}, 6.0f, kChangedHalo, 0, 2.5f);
    dl->AddText({box.x + 2 * pad + key, y}, IM_COL32(20, 20, 20, 255), halo.c_str());
    if (view.frontA) {
        y += line + 4;
        dl->AddLine({box.x + pad, y + line / 2}, {box.x + pad + key, y + line / 2}, kFrontA, 2.0f);
        dl->AddText({box.x + 2 * pad + key, y}, IM_COL32(20, 20, 20, 255), front.c_str());
    }
    dl->PopClipRect();
}

} // namespace orefront::viewer
