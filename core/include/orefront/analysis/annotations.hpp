#pragma once
// Annotations marked "counts as hostile" as hostile positions: what-ifs the analysis measures
// from until the analyst folds them into a scenario layer. Pure functions of values; any thread.
#include "orefront/analysis/analysis.hpp"
#include "orefront/model/annotation.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace orefront::analysis {

// The hostile geometry an annotation stands for: a marker or text is a point (a firing
// position), an arrow, line or open measurement a line (a front), an area or closed
// measurement a polygon (hostile-controlled territory), a range circle the polygon of its
// geodesic circle (128 vertices, cut at the antimeridian).
model::Geometry hostileGeometry(const model::Annotation &a);

// `in` plus one hostile layer ("annotations (what-if)") of the annotations marked
// countsAsHostile, visible or not: hiding one on the map does not change the analysis.
// The returned value owns that layer; its `inputs` point into it (and into whatever `in`
// points to), so keep it alive while they are used.
struct HostileAnnotations {
    Inputs inputs;
    std::shared_ptr<const model::Layer> layer;    // nullptr when no annotation is marked
    std::shared_ptr<const model::LayerSpec> spec; // every feature hostile, ranges measured
    std::vector<std::int64_t> ids;                // the annotation id of each feature of `layer`
};
HostileAnnotations withHostileAnnotations(const Inputs &in, const model::AnnotationSet &set);

// The same with only the annotation `id` (for attributing a changed verdict to it).
HostileAnnotations withHostileAnnotation(const Inputs &in, const model::AnnotationSet &set, std::int64_t id);

} // namespace orefront::analysis
