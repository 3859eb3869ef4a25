#pragma once
// Editing annotations with the mouse: the toolbar's tool, drawing a new annotation (a click
// for a marker or text; clicks then a double-click or Enter for a path or an area; press and
// drag for a range circle), selecting, moving and dragging vertices. A drag shows a preview and
// commits one edit on release, so one drag is one undo step. Shift snaps to deposits and
// vertices. GL-free and ImGui-free: the map window feeds it pointer events in map pixels,
// and tests drive it the same way (tests/viewer/annotation_document_test.cpp).
#include "annotation_document.hpp"
#include "annotation_shapes.hpp"
#include "render/mercator.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orefront::viewer {

class AnnotationEditor {
public:
    enum class Tool { Select, Marker, Text, Arrow, Line, Area, RangeCircle, Measurement, HypotheticalFront };
    static std::optional<model::AnnotationKind> kindOf(Tool t);

    struct Pointer {
        double x = 0, y = 0; // map pixels
        bool shift = false;  // snap
    };
    // What the map gives for snapping: the deposits' positions.
    void setSnapPoints(std::vector<model::LonLat> deposits) { m_snapPoints = std::move(deposits); }

    // Pointer events. press() returns whether the editor takes this press (then the map does
    // not pan and no deposit is selected by it).
    bool press(AnnotationDocument &doc, const Camera &camera, Pointer p);
    void drag(AnnotationDocument &doc, const Camera &camera, Pointer p);
    void release(AnnotationDocument &doc, const Camera &camera, Pointer p);
    void hover(const Camera &camera, Pointer p); // the rubber band of a path being drawn
    // Finishes the path or area being drawn (double-click, Enter); cancel() drops it (Esc).
    void finish(AnnotationDocument &doc);
    void cancel();
    // Deletes the selected annotation (Del).
    bool deleteSelected(AnnotationDocument &doc);

    void setTool(Tool t);
    Tool tool() const { return m_tool; }
    std::int64_t selected() const { return m_selected; }
    void select(std::int64_t id) { m_selected = id; }
    bool drawing() const { return !m_draft.empty(); }
    bool dragging() const { return m_preview.has_value(); }

    // What is being drawn or dragged, to draw instead of the stored annotation: a new one
    // (id 0) while drawing, the edited copy of the selected one while dragging.
    std::optional<model::Annotation> preview() const;

    // Defaults for new annotations; the panel edits them.
    model::AnnotationStyle m_style;
    std::string m_group = "default";
    std::string m_author;
    double m_radiusKm = 40.0;   // a range circle placed with a click rather than a drag
    bool m_measureArea = false; // the measure tool encloses an area rather than a path

private:
    model::LonLat at(const AnnotationDocument &doc, const Camera &camera, Pointer p,
                     std::int64_t except) const;
    model::Annotation newAnnotation(model::AnnotationKind kind) const;
    std::int64_t commitNew(AnnotationDocument &doc, model::Annotation a);

    Tool m_tool = Tool::Select;
    std::int64_t m_selected = 0;
    std::vector<model::LonLat> m_draft;    // vertices placed so far
    std::optional<model::LonLat> m_rubber; // the cursor, while drawing a path
    std::optional<model::Annotation> m_preview;
    int m_dragVertex = -1;
    Pointer m_dragStart;
    model::Annotation m_dragOriginal;
    std::vector<model::LonLat> m_snapPoints;
};

} // namespace orefront::viewer
