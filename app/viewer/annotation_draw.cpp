#include "annotation_draw.hpp"

#include "annotation_shapes.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

namespace orefront::viewer {

namespace {

using K = model::AnnotationKind;

ImU32 col(model::Rgba c) {
    return IM_COL32(c.r, c.g, c.b, c.a);
}

std::vector<ImVec2> points(const ScreenShape &s, ImVec2 o) {
    std::vector<ImVec2> out;
    out.reserve(s.outline.size());
    for (const auto &p : s.outline)
        out.push_back({o.x + float(p.x), o.y + float(p.y)});
    return out;
}

// Text on a white pill, as the map's other labels, at `size` pixels.
void haloLabel(ImDrawList *dl, ImVec2 p, float size, ImU32 colour, const std::string &text) {
    if (text.empty())
        return;
    ImFont *font = ImGui::GetFont();
    const ImVec2 ts = font->CalcTextSizeA(size, 1e9f, 0, text.c_str());
    dl->AddRectFilled({p.x - 3, p.y - 1}, {p.x + ts.x + 3, p.y + ts.y + 1}, IM_COL32(255, 255, 255, 215),
                      3.0f);
    dl->AddText(font, size, p, colour, text.c_str());
}

// Concave areas: ImGui's AddConvexPolyFilled would fill outside a concave ring, so a fan of
// triangles from the ring's centroid is clipped by an even-odd scanline instead. Small rings
// an analyst draws have tens of points; a scanline every 2 px is cheap.
void fillRing(ImDrawList *dl, const std::vector<ImVec2> &ring, ImU32 colour) {
    if (ring.size() < 3 || (colour >> IM_COL32_A_SHIFT) == 0)
        return;
    float minY = ring[0].y, maxY = ring[0].y;
    for (const auto &p : ring) {
        minY = std::min(minY, p.y);
        maxY = std::max(maxY, p.y);
    }
    const ImVec2 clipMin = dl->GetClipRectMin(), clipMax = dl->GetClipRectMax();
    minY = std::max(minY, clipMin.y);
    maxY = std::min(maxY, clipMax.y);
    std::vector<float> xs;
    for (float y = std::floor(minY) + 0.5f; y < maxY; y += 1.0f) {
        xs.clear();
        for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
            const ImVec2 a = ring[j], b = ring[i];
            if ((a.y > y) != (b.y > y))
                xs.push_back(a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y));
        }
        std::sort(xs.begin(), xs.end());
        for (std::size_t k = 0; k + 1 < xs.size(); k += 2)
            dl->AddRectFilled({xs[k], y - 0.5f}, {xs[k + 1], y + 0.5f}, colour);
    }
}

void arrowHead(ImDrawList *dl, ImVec2 from, ImVec2 tip, float width, ImU32 colour) {
    const float dx = tip.x - from.x, dy = tip.y - from.y, len = std::hypot(dx, dy);
    if (len < 1)
        return;
    const float ux = dx / len, uy = dy / len, size = 8 + 3 * width;
    const ImVec2 base{tip.x - ux * size, tip.y - uy * size};
    dl->AddTriangleFilled(tip, {base.x - uy * size * 0.5f, base.y + ux * size * 0.5f},
                          {base.x + uy * size * 0.5f, base.y - ux * size * 0.5f}, colour);
}

void drawOne(ImDrawList *dl, ImVec2 o, const Camera &camera, const model::Annotation &a, bool selected) {
    const ScreenShape s = screenShape(a, camera);
    const std::vector<ImVec2> pts = points(s, o);
    const ImU32 stroke = col(a.style.stroke), fill = col(a.style.fill);
    const float width = std::max(1.0f, a.style.widthPx);
    const float textPx = std::max(8.0f, a.style.textSizePt * 96.0f / 72.0f) * ImGui::GetStyle().FontScaleDpi;
    const ImVec2 anchor{o.x + float(s.anchor.x), o.y + float(s.anchor.y)};
    const ImU32 ink = IM_COL32(25, 25, 30, 255);
    if (selected && pts.size() > 1)
        dl->AddPolyline(pts.data(), int(pts.size()), IM_COL32(255, 230, 0, 200),
                        s.closed ? ImDrawFlags_Closed : 0, width + 6);
    switch (a.kind) {
    case K::Marker:
        if (selected)
            dl->AddCircleFilled(anchor, 11, IM_COL32(255, 230, 0, 200));
        dl->AddCircleFilled(anchor, 7, stroke);
        dl->AddCircle(anchor, 7, IM_COL32(255, 255, 255, 255), 0, 2.0f);
        haloLabel(dl, {anchor.x + 10, anchor.y - textPx / 2}, textPx, ink, a.label);
        return;
    case K::Text: {
        const ImVec2 p{anchor.x, anchor.y - textPx / 2};
        if (selected) {
            const float w = ImGui::GetFont()->CalcTextSizeA(textPx, 1e9f, 0, a.label.c_str()).x;
            dl->AddRect(ImVec2(p.x - 5, p.y - 3), ImVec2(p.x + 5 + w, p.y + textPx + 3),
                        IM_COL32(255, 200, 0, 255), 3.0f, 0, 2.0f);
        }
        haloLabel(dl, p, textPx, stroke, a.label.empty() ? std::string("(text)") : a.label);
        return;
    }
    case K::Area:
    case K::RangeCircle:
        fillRing(dl, pts, fill);
        dl->AddPolyline(pts.data(), int(pts.size()), stroke, ImDrawFlags_Closed, width);
        if (a.kind == K::RangeCircle)
            dl->AddCircleFilled(anchor, 3, stroke);
        break;
    case K::Arrow:
    case K::Line:
        dl->AddPolyline(pts.data(), int(pts.size()), stroke, 0, width);
        if (a.kind == K::Arrow && pts.size() >= 2)
            arrowHead(dl, pts[pts.size() - 2], pts.back(), width, stroke);
        break;
    case K::HypotheticalFront:
        dashedPolyline(dl, pts, stroke, width);
        break;
    case K::Measurement:
        if (a.closed)
            fillRing(dl, pts, fill);
        dl->AddPolyline(pts.data(), int(pts.size()), stroke, a.closed ? ImDrawFlags_Closed : 0, width);
        for (const auto &v : a.vertices) {
            double x, y;
            camera.lonLatToScreen(v, x, y);
            dl->AddCircleFilled({o.x + float(x), o.y + float(y)}, 3, stroke);
        }
        break;
    }
    std::string text = a.label;
    if (a.kind == K::Measurement) {
        const std::string m = measurementText(a);
        text = text.empty() ? m : text + ": " + m;
    }
    if (a.countsAsHostile)
        text += text.empty() ? "[hostile]" : "  [hostile]";
    haloLabel(dl, {anchor.x + 6, anchor.y + 4}, textPx, ink, text);
}

void handles(ImDrawList *dl, ImVec2 o, const Camera &camera, const model::Annotation &a) {
    if (a.kind == K::Marker || a.kind == K::Text)
        return; // one point: dragging the annotation moves it; its halo shows the selection
    for (const auto &v : a.vertices) {
        double x, y;
        camera.lonLatToScreen(v, x, y);
        const ImVec2 c{o.x + float(x), o.y + float(y)};
        dl->AddRectFilled({c.x - 4, c.y - 4}, {c.x + 4, c.y + 4}, IM_COL32(255, 255, 255, 255));
        dl->AddRect(ImVec2(c.x - 4, c.y - 4), ImVec2(c.x + 4, c.y + 4), IM_COL32(20, 20, 20, 255), 0.0f, 0,
                    1.5f);
    }
}

} // namespace

// A dashed polyline (ImGui draws none): 14 px dashes, 8 px gaps, the pattern running on
// across vertices. A hypothetical front is drawn so, apart from the solid red front lines.
void dashedPolyline(ImDrawList *dl, const std::vector<ImVec2> &pts, ImU32 colour, float width) {
    constexpr float kDash = 14.0f, kGap = 8.0f;
    float phase = 0; // distance into the current dash+gap period
    for (std::size_t i = 1; i < pts.size(); ++i) {
        const ImVec2 a = pts[i - 1], b = pts[i];
        const float len = std::hypot(b.x - a.x, b.y - a.y);
        if (len <= 0)
            continue;
        float t = 0;
        while (t < len) {
            const bool inDash = phase < kDash;
            const float step = std::min(len - t, inDash ? kDash - phase : kDash + kGap - phase);
            if (inDash) {
                const float t0 = t / len, t1 = (t + step) / len;
                dl->AddLine({a.x + (b.x - a.x) * t0, a.y + (b.y - a.y) * t0},
                            {a.x + (b.x - a.x) * t1, a.y + (b.y - a.y) * t1}, colour, width);
            }
            t += step;
            phase = std::fmod(phase + step, kDash + kGap);
        }
    }
}

void drawAnnotations(ImDrawList *dl, ImVec2 o, const Camera &camera, const AnnotationDocument &doc,
                     const AnnotationEditor *editor) {
    dl->PushClipRect(o, {o.x + float(camera.width), o.y + float(camera.height)}, true);
    const std::optional<model::Annotation> preview = editor ? editor->preview() : std::nullopt;
    const std::int64_t selected = editor ? editor->selected() : 0;
    for (const auto &a : doc.annotations()) {
        if (!doc.shown(a) || a.vertices.empty())
            continue;
        const bool isSel = a.id == selected;
        drawOne(dl, o, camera, preview && preview->id == a.id ? *preview : a, isSel);
    }
    if (preview && preview->id == 0 && !preview->vertices.empty())
        drawOne(dl, o, camera, *preview, false);
    if (const auto *sel = selected ? doc.find(selected) : nullptr; sel && doc.shown(*sel))
        handles(dl, o, camera, preview && preview->id == sel->id ? *preview : *sel);
    dl->PopClipRect();
}

void drawAnnotations(ImDrawList *dl, ImVec2 o, const Camera &camera,
                     const std::vector<model::Annotation> &annotations) {
    if (annotations.empty())
        return;
    dl->PushClipRect(o, {o.x + float(camera.width), o.y + float(camera.height)}, true);
    for (const auto &a : annotations)
        if (a.visible && !a.vertices.empty())
            drawOne(dl, o, camera, a, false);
    dl->PopClipRect();
}

} // namespace orefront::viewer
