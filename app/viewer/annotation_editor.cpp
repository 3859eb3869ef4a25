#include "annotation_editor.hpp"

#include "orefront/proj/geodesic.hpp"

#include <cmath>

namespace orefront::viewer {

using K = model::AnnotationKind;

std::optional<model::AnnotationKind> AnnotationEditor::kindOf(Tool t) {
    switch (t) {
    case Tool::Select:
        return std::nullopt;
    case Tool::Marker:
        return K::Marker;
    case Tool::Text:
        return K::Text;
    case Tool::Arrow:
        return K::Arrow;
    case Tool::Line:
        return K::Line;
    case Tool::Area:
        return K::Area;
    case Tool::RangeCircle:
        return K::RangeCircle;
    case Tool::Measurement:
        return K::Measurement;
    case Tool::HypotheticalFront:
        return K::HypotheticalFront;
    }
    return std::nullopt;
}

void AnnotationEditor::setTool(Tool t) {
    cancel();
    m_tool = t;
}

model::LonLat AnnotationEditor::at(const AnnotationDocument &doc, const Camera &camera, Pointer p,
                                   std::int64_t except) const {
    if (p.shift)
        if (auto s = snapTarget(doc, m_snapPoints, camera, p.x, p.y, 12, except))
            return *s;
    return camera.screenToLonLat(p.x, p.y);
}

model::Annotation AnnotationEditor::newAnnotation(model::AnnotationKind kind) const {
    model::Annotation a;
    a.kind = kind;
    // A hypothetical front keeps its own violet, dashed look (a what-if, not a mark).
    a.style = kind == K::HypotheticalFront ? model::defaultAnnotationStyle(kind) : m_style;
    a.group = m_group;
    a.author = m_author;
    a.label = kind == K::Measurement ? "" : annotationKindTitle(kind);
    if (kind == K::Text)
        a.label = "Text";
    return a;
}

std::int64_t AnnotationEditor::commitNew(AnnotationDocument &doc, model::Annotation a) {
    const std::int64_t id = doc.add(std::move(a));
    if (id)
        m_selected = id;
    return id;
}

bool AnnotationEditor::press(AnnotationDocument &doc, const Camera &camera, Pointer p) {
    const auto kind = kindOf(m_tool);
    if (!kind) {
        // Select: a vertex handle of the selection, else any annotation; empty map = not ours.
        const auto hit = hitAnnotation(doc, camera, p.x, p.y, 6, m_selected);
        if (!hit) {
            m_selected = 0;
            return false;
        }
        m_selected = hit->id;
        m_dragVertex = hit->vertex;
        m_dragStart = p;
        m_dragOriginal = *doc.find(hit->id);
        return true;
    }
    const model::LonLat here = at(doc, camera, p, 0);
    switch (*kind) {
    case K::Marker:
    case K::Text: {
        model::Annotation a = newAnnotation(*kind);
        a.vertices = {here};
        commitNew(doc, std::move(a));
        m_tool = Tool::Select; // the label is edited next, in the panel
        return true;
    }
    case K::RangeCircle:
        m_draft = {here};
        m_rubber.reset();
        return true;
    default:
        m_draft.push_back(here);
        m_rubber = here;
        return true;
    }
}

void AnnotationEditor::drag(AnnotationDocument &doc, const Camera &camera, Pointer p) {
    if (m_tool == Tool::RangeCircle && !m_draft.empty()) {
        m_rubber = at(doc, camera, p, 0);
        return;
    }
    if (m_tool != Tool::Select || !m_selected || !doc.find(m_selected))
        return;
    if (!m_preview && std::hypot(p.x - m_dragStart.x, p.y - m_dragStart.y) < 3)
        return; // a click, not a drag
    if (m_dragVertex >= 0 && std::size_t(m_dragVertex) < m_dragOriginal.vertices.size()) {
        model::Annotation a = m_dragOriginal;
        a.vertices[std::size_t(m_dragVertex)] = at(doc, camera, p, a.id);
        m_preview = a;
    } else {
        m_preview = movedBy(m_dragOriginal, camera, p.x - m_dragStart.x, p.y - m_dragStart.y);
    }
}

void AnnotationEditor::release(AnnotationDocument &doc, const Camera &camera, Pointer p) {
    if (m_tool == Tool::RangeCircle && !m_draft.empty()) {
        model::Annotation a = newAnnotation(K::RangeCircle);
        a.vertices = {m_draft.front()};
        double x0, y0;
        camera.lonLatToScreen(m_draft.front(), x0, y0);
        // A drag sets the radius (geodesic, to where it was let go); a click uses the default.
        a.radiusKm = std::hypot(p.x - x0, p.y - y0) > 4
                         ? proj::geodesicDistanceM(m_draft.front(), at(doc, camera, p, 0)) / 1000.0
                         : m_radiusKm;
        char label[48];
        std::snprintf(label, sizeof label, "%.0f km", a.radiusKm);
        a.label = label;
        m_draft.clear();
        m_rubber.reset();
        commitNew(doc, std::move(a));
        return;
    }
    if (m_preview) {
        const model::Annotation edited = *m_preview;
        m_preview.reset();
        doc.update(edited); // one drag, one edit
    }
    m_dragVertex = -1;
}

void AnnotationEditor::hover(const Camera &camera, Pointer p) {
    if (!m_draft.empty() && m_tool != Tool::RangeCircle)
        m_rubber = camera.screenToLonLat(p.x, p.y);
}

void AnnotationEditor::finish(AnnotationDocument &doc) {
    const auto kind = kindOf(m_tool);
    if (!kind || m_draft.empty())
        return;
    // A double-click places the same point twice: drop repeats.
    std::vector<model::LonLat> v;
    for (const auto &p : m_draft)
        if (v.empty() || std::abs(v.back().lon - p.lon) > 1e-9 || std::abs(v.back().lat - p.lat) > 1e-9)
            v.push_back(p);
    const bool area = *kind == K::Area || (*kind == K::Measurement && m_measureArea);
    if (v.size() < (area ? 3u : 2u))
        return; // keep drawing
    model::Annotation a = newAnnotation(*kind);
    a.vertices = std::move(v);
    a.closed = area && *kind == K::Measurement;
    m_draft.clear();
    m_rubber.reset();
    commitNew(doc, std::move(a));
    m_tool = Tool::Select;
}

void AnnotationEditor::cancel() {
    m_draft.clear();
    m_rubber.reset();
    m_preview.reset();
    m_dragVertex = -1;
}

bool AnnotationEditor::deleteSelected(AnnotationDocument &doc) {
    if (!m_selected)
        return false;
    const bool ok = doc.remove(m_selected);
    if (ok)
        m_selected = 0;
    return ok;
}

std::optional<model::Annotation> AnnotationEditor::preview() const {
    if (m_preview)
        return m_preview;
    const auto kind = kindOf(m_tool);
    if (!kind || m_draft.empty())
        return std::nullopt;
    model::Annotation a = newAnnotation(*kind);
    a.vertices = m_draft;
    if (*kind == K::RangeCircle) {
        a.radiusKm = m_rubber ? proj::geodesicDistanceM(m_draft.front(), *m_rubber) / 1000.0 : m_radiusKm;
        return a;
    }
    if (m_rubber)
        a.vertices.push_back(*m_rubber);
    a.closed = *kind == K::Measurement && m_measureArea;
    if (*kind == K::Area && a.vertices.size() < 3)
        a.kind = K::Line; // two points: a line until the third
    return a;
}

} // namespace orefront::viewer
