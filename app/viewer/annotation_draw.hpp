#pragma once
// Annotations drawn over the map image with ImGui's draw list (as the labels and overlay
// are): lines, arrows with heads, filled areas, geodesic range circles, markers, labels on a
// halo, measurement texts, and the selection's highlight and vertex handles. The map window
// and the PNG export share it. ImGui context current; UI thread.
#include "annotation_document.hpp"
#include "annotation_editor.hpp"
#include "render/mercator.hpp"

#include <imgui.h>

namespace orefront::viewer {

// Draws `doc`'s shown annotations within the map at `origin` (its top-left, screen pixels);
// with `editor`, what it is drawing or dragging and the selection's handles as well.
void drawAnnotations(ImDrawList *dl, ImVec2 origin, const Camera &camera, const AnnotationDocument &doc,
                     const AnnotationEditor *editor = nullptr);
// The same for an exported image (MapImageComposer): each visible one of `annotations`, drawn
// as the map window draws it, with no selection.
void drawAnnotations(ImDrawList *dl, ImVec2 origin, const Camera &camera,
                     const std::vector<model::Annotation> &annotations);

// A dashed polyline (ImGui draws none): 14 px dashes, 8 px gaps, the pattern running on across
// vertices. Hypothetical fronts, and the What-if panel's front, are drawn so.
void dashedPolyline(ImDrawList *dl, const std::vector<ImVec2> &pts, ImU32 colour, float width);

} // namespace orefront::viewer
