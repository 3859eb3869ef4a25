#include "orefront/analysis/annotations.hpp"

#include "orefront/model/antimeridian.hpp"
#include "orefront/proj/geodesic.hpp"

namespace orefront::analysis {

model::Geometry hostileGeometry(const model::Annotation &a) {
    using K = model::AnnotationKind;
    model::Geometry g;
    if (a.vertices.empty())
        return g;
    auto polygon = [&](model::Path ring) {
        if (!(ring.front() == ring.back()))
            ring.push_back(ring.front());
        model::Polygon p;
        p.rings.push_back(std::move(ring));
        for (auto &piece : model::splitPolygonAtAntimeridian(p))
            g.polygons.push_back(std::move(piece));
    };
    switch (a.kind) {
    case K::Marker:
    case K::Text:
        g.points.push_back(a.vertices.front());
        break;
    case K::RangeCircle:
        polygon(proj::geodesicCircle(a.vertices.front(), a.radiusKm * 1000.0, 128));
        break;
    case K::Area:
        polygon(a.vertices);
        break;
    case K::HypotheticalFront:
        break; // a what-if of its own (analysis::annotationWhatIfs), not a hostile position
    case K::Measurement:
        if (a.closed) {
            polygon(a.vertices);
            break;
        }
        [[fallthrough]];
    case K::Arrow:
    case K::Line:
        for (auto &piece : model::splitPathAtAntimeridian(a.vertices))
            g.lines.push_back(std::move(piece));
        break;
    }
    return g;
}

namespace {

HostileAnnotations build(const Inputs &in, const model::AnnotationSet &set, const std::int64_t *only) {
    HostileAnnotations out;
    out.inputs = in;
    auto layer = std::make_shared<model::Layer>();
    layer->id = "annotations_what_if";
    layer->name = "annotations (what-if)";
    layer->location = "annotations marked \"counts as hostile\"";
    layer->role = model::LayerRole::Hostile;
    layer->fields = {{"annotation_id", model::FieldType::Integer}, {"label", model::FieldType::String}};
    for (const auto &a : set.annotations) {
        if (!a.countsAsHostile || (only && a.id != *only))
            continue;
        model::Feature f;
        f.fid = a.id;
        f.geometry = hostileGeometry(a);
        if (f.geometry.empty())
            continue;
        f.attributes = {model::Value{a.id}, model::Value{a.label}};
        layer->features.push_back(std::move(f));
        out.ids.push_back(a.id);
    }
    if (layer->features.empty())
        return out;
    layer->computeBounds();
    auto spec = std::make_shared<model::LayerSpec>();
    spec->id = layer->id;
    spec->name = layer->name;
    spec->role = model::LayerRole::Hostile;
    spec->rangeFrom = true;
    spec->allowEmpty = true;
    out.layer = std::move(layer);
    out.spec = std::move(spec);
    out.inputs.hostile.push_back({out.layer.get(), out.spec.get()});
    return out;
}

} // namespace

HostileAnnotations withHostileAnnotations(const Inputs &in, const model::AnnotationSet &set) {
    return build(in, set, nullptr);
}

HostileAnnotations withHostileAnnotation(const Inputs &in, const model::AnnotationSet &set, std::int64_t id) {
    return build(in, set, &id);
}

} // namespace orefront::analysis
