#pragma once
// Where annotations are on screen: each one's outline as screen points (geodesic edges and
// range circles densified on the ellipsoid, then projected), hit testing for selection and
// vertex handles, and Shift-snapping to deposits and vertices. GL-free and ImGui-free; tested
// in tests/viewer/annotation_document_test.cpp.
#include "annotation_document.hpp"
#include "render/mercator.hpp"

#include "orefront/model/annotation.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orefront::viewer {

struct ScreenPoint {
    double x = 0, y = 0;
};

// The geodesic circle of `radiusKm` around `centre` as a closed ring of `segments` points
// (PROJ geod_direct at equal azimuth steps): true on the ellipsoid, not a Mercator circle.
std::vector<model::LonLat> geodesicCircle(model::LonLat centre, double radiusKm, int segments = 128);

// `path` with points added along each geodesic edge so that no step exceeds `maxStepKm`
// (closing the ring when `closed`). A straight screen line between far-apart points is a
// rhumb-ish curve on the globe; the geodesic is what distances are measured along.
std::vector<model::LonLat> densifyGeodesic(const std::vector<model::LonLat> &path, bool closed,
                                           double maxStepKm);

// What an annotation looks like on screen: its outline (lines, areas, circles; closed for
// areas, circles and area measurements) and its anchor (where the label or marker goes).
struct ScreenShape {
    std::vector<ScreenPoint> outline;
    bool closed = false;
    ScreenPoint anchor;
};
ScreenShape screenShape(const model::Annotation &a, const Camera &camera);

// What is under screen point (x, y): an annotation and, within `handlePx` of one of its
// vertices, that vertex; `preferId` (the selection) wins ties so its handles stay grabbable.
struct AnnotationHit {
    std::int64_t id = 0;
    int vertex = -1; // -1: the shape itself
};
std::optional<AnnotationHit> hitAnnotation(const AnnotationDocument &doc, const Camera &camera, double x,
                                           double y, double tolerancePx = 6, std::int64_t preferId = 0);

// With Shift held: the deposit or annotation vertex nearest to (x, y) within `radiusPx`, other
// than the vertices of annotation `exceptId`; nullopt when there is none. `deposits` are the
// deposits' positions (MapDocument::depositAnchor).
std::optional<model::LonLat> snapTarget(const AnnotationDocument &doc,
                                        const std::vector<model::LonLat> &deposits, const Camera &camera,
                                        double x, double y, double radiusPx = 12, std::int64_t exceptId = 0);

// A measurement's text: total length and the bearing of each leg (or the enclosed area on the
// ellipsoid for a closed one), e.g. "148.2 km  (leg 1: 92.4 km at 047\u00b0; ...)".
std::string measurementText(const model::Annotation &a);

// "Marker", "Text", ... as the toolbar and panel name the kinds.
const char *annotationKindTitle(model::AnnotationKind k);

// `a` moved by the screen offset (dx, dy): each vertex through Mercator, so the shape keeps
// its look on the map; a range circle keeps its radius in km.
model::Annotation movedBy(const model::Annotation &a, const Camera &camera, double dx, double dy);

} // namespace orefront::viewer
