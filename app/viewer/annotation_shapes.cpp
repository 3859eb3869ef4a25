#include "annotation_shapes.hpp"

#include "orefront/proj/geodesic.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace orefront::viewer {

std::vector<model::LonLat> geodesicCircle(model::LonLat centre, double radiusKm, int segments) {
    std::vector<model::LonLat> ring;
    ring.reserve(std::size_t(segments));
    for (int i = 0; i < segments; ++i)
        ring.push_back(proj::geodesicDirect(centre, 360.0 * i / segments, radiusKm * 1000.0));
    return ring;
}

std::vector<model::LonLat> densifyGeodesic(const std::vector<model::LonLat> &path, bool closed,
                                           double maxStepKm) {
    std::vector<model::LonLat> out;
    if (path.empty())
        return out;
    const std::size_t n = path.size(), edges = closed ? n : n - 1;
    for (std::size_t i = 0; i < edges; ++i) {
        const model::LonLat a = path[i], b = path[(i + 1) % n];
        out.push_back(a);
        const double km = proj::geodesicDistanceM(a, b) / 1000.0;
        const int steps = std::min(256, int(std::ceil(km / maxStepKm)));
        for (int k = 1; k < steps; ++k)
            out.push_back(proj::geodesicInterpolate(a, b, double(k) / steps));
    }
    if (!closed)
        out.push_back(path.back());
    return out;
}

namespace {

ScreenPoint toScreen(const Camera &camera, model::LonLat p) {
    ScreenPoint s;
    camera.lonLatToScreen(p, s.x, s.y);
    return s;
}

double distToSegment(ScreenPoint p, ScreenPoint a, ScreenPoint b) {
    const double vx = b.x - a.x, vy = b.y - a.y;
    const double len2 = vx * vx + vy * vy;
    double t = len2 > 0 ? ((p.x - a.x) * vx + (p.y - a.y) * vy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    return std::hypot(p.x - (a.x + t * vx), p.y - (a.y + t * vy));
}

bool inside(const std::vector<ScreenPoint> &ring, ScreenPoint p) {
    bool in = false;
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
        if ((ring[i].y > p.y) != (ring[j].y > p.y) &&
            p.x < (ring[j].x - ring[i].x) * (p.y - ring[i].y) / (ring[j].y - ring[i].y) + ring[i].x)
            in = !in;
    return in;
}

bool isPointKind(model::AnnotationKind k) {
    return k == model::AnnotationKind::Marker || k == model::AnnotationKind::Text;
}

} // namespace

ScreenShape screenShape(const model::Annotation &a, const Camera &camera) {
    using K = model::AnnotationKind;
    ScreenShape s;
    if (a.vertices.empty())
        return s;
    if (a.kind == K::RangeCircle) {
        for (const auto &p : geodesicCircle(a.vertices.front(), a.radiusKm))
            s.outline.push_back(toScreen(camera, p));
        s.closed = true;
        s.anchor = toScreen(camera, a.vertices.front());
        return s;
    }
    if (isPointKind(a.kind)) {
        s.anchor = toScreen(camera, a.vertices.front());
        return s;
    }
    s.closed = a.kind == K::Area || (a.kind == K::Measurement && a.closed);
    // Edges densified to about 4 screen pixels' worth of ground, at most 20 km.
    const double stepKm = std::clamp(camera.metresPerPixel * 4 / 1000.0, 1.0, 20.0);
    for (const auto &p : densifyGeodesic(a.vertices, s.closed, stepKm))
        s.outline.push_back(toScreen(camera, p));
    if (s.closed) {
        // The label at the mean of the vertices (screen); good enough for the small areas drawn.
        for (const auto &p : a.vertices) {
            const ScreenPoint q = toScreen(camera, p);
            s.anchor.x += q.x / double(a.vertices.size());
            s.anchor.y += q.y / double(a.vertices.size());
        }
    } else {
        s.anchor = toScreen(camera, a.vertices.back());
    }
    return s;
}

std::optional<AnnotationHit> hitAnnotation(const AnnotationDocument &doc, const Camera &camera, double x,
                                           double y, double tolerancePx, std::int64_t preferId) {
    const ScreenPoint p{x, y};
    std::optional<AnnotationHit> best;
    double bestD = std::numeric_limits<double>::infinity();
    // Vertex handles of the selected annotation first.
    if (const auto *sel = preferId ? doc.find(preferId) : nullptr; sel && doc.shown(*sel)) {
        for (std::size_t i = 0; i < sel->vertices.size(); ++i) {
            const ScreenPoint v = toScreen(camera, sel->vertices[i]);
            const double d = std::hypot(v.x - x, v.y - y);
            if (d <= tolerancePx + 2 && d < bestD) {
                bestD = d;
                best = AnnotationHit{sel->id, int(i)};
            }
        }
        if (best)
            return best;
    }
    // Topmost (last drawn) first.
    const auto &all = doc.annotations();
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
        const model::Annotation &a = *it;
        if (!doc.shown(a) || a.vertices.empty())
            continue;
        const ScreenShape s = screenShape(a, camera);
        double d = std::hypot(s.anchor.x - x, s.anchor.y - y);
        if (isPointKind(a.kind))
            d = std::max(0.0, d - 8); // a marker's symbol or a text's first letters
        for (std::size_t i = 0; i + 1 < s.outline.size(); ++i)
            d = std::min(d, distToSegment(p, s.outline[i], s.outline[i + 1]));
        if (s.closed && s.outline.size() > 2) {
            d = std::min(d, distToSegment(p, s.outline.back(), s.outline.front()));
            // Inside an area selects it; inside a range circle (often much of the view) does not,
            // so that a drag there pans the map rather than moving the circle.
            if (a.kind != model::AnnotationKind::RangeCircle && inside(s.outline, p))
                d = std::min(d, tolerancePx * 0.9); // inside counts, but an edge nearby wins
        }
        if (d <= tolerancePx && d < bestD - 1e-9) {
            bestD = d;
            best = AnnotationHit{a.id, -1};
        }
    }
    return best;
}

std::optional<model::LonLat> snapTarget(const AnnotationDocument &doc,
                                        const std::vector<model::LonLat> &deposits, const Camera &camera,
                                        double x, double y, double radiusPx, std::int64_t exceptId) {
    std::optional<model::LonLat> best;
    double bestD = radiusPx;
    const auto consider = [&](model::LonLat p) {
        const ScreenPoint s = toScreen(camera, p);
        const double d = std::hypot(s.x - x, s.y - y);
        if (d <= bestD) {
            bestD = d;
            best = p;
        }
    };
    for (const auto &p : deposits)
        consider(p);
    for (const auto &a : doc.annotations())
        if (a.id != exceptId && doc.shown(a))
            for (const auto &v : a.vertices)
                consider(v);
    return best;
}

std::string measurementText(const model::Annotation &a) {
    if (a.vertices.size() < 2)
        return {};
    // On the ellipsoid (proj::measurePath, geod_inverse per leg): a closed measurement's legs
    // run round its ring, back to the first vertex.
    std::vector<model::LonLat> path = a.vertices;
    if (a.closed && !(path.front() == path.back()))
        path.push_back(path.front());
    const proj::PathMeasure m = proj::measurePath(path);
    char buf[96];
    std::string parts;
    for (std::size_t i = 0; i < m.legM.size(); ++i) {
        std::snprintf(buf, sizeof buf, "%sleg %zu: %.1f km at %03.0f\u00b0", i ? "; " : "", i + 1,
                      m.legM[i] / 1000.0, std::fmod(std::round(m.legBearingDeg[i]), 360.0));
        parts += buf;
    }
    std::snprintf(buf, sizeof buf, "%.1f km", m.lengthM / 1000.0);
    std::string out = buf;
    if (a.closed && a.vertices.size() >= 3) {
        std::snprintf(buf, sizeof buf, ", area %.1f km\u00b2", proj::geodesicAreaM2(a.vertices) / 1e6);
        out += buf;
    }
    return out + "  (" + parts + ")";
}

const char *annotationKindTitle(model::AnnotationKind k) {
    switch (k) {
    case model::AnnotationKind::Marker:
        return "Marker";
    case model::AnnotationKind::Text:
        return "Text";
    case model::AnnotationKind::Arrow:
        return "Arrow";
    case model::AnnotationKind::Line:
        return "Line";
    case model::AnnotationKind::Area:
        return "Area";
    case model::AnnotationKind::RangeCircle:
        return "Range circle";
    case model::AnnotationKind::Measurement:
        return "Measure";
    case model::AnnotationKind::HypotheticalFront:
        return "Hypothetical front";
    }
    return "?";
}

model::Annotation movedBy(const model::Annotation &a, const Camera &camera, double dx, double dy) {
    model::Annotation out = a;
    for (auto &v : out.vertices) {
        double sx, sy;
        camera.lonLatToScreen(v, sx, sy);
        v = camera.screenToLonLat(sx + dx, sy + dy);
    }
    return out;
}

} // namespace orefront::viewer
