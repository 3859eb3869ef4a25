#pragma once
// The verdicts with the annotations marked "counts as hostile", and which of them changed a
// deposit's verdict, for the report, the summary, the briefing and the viewer.
#include "orefront/analysis/annotations.hpp"
#include "orefront/rules/rules.hpp"

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace orefront::rules {

struct AnnotationVerdictChange {
    std::size_t deposit = 0; // index into the deposits layer's features
    std::string name;
    Verdict before = Verdict::Unknown; // without the marked annotations
    Verdict after = Verdict::Unknown;  // with all of them
    // The marked annotations that, each added alone to the scenario, change this deposit's
    // verdict. Empty when only several together do (e.g. two areas that each leave it at
    // the standoff's edge).
    std::vector<std::int64_t> annotationIds;
};

struct WhatIf {
    analysis::Measurements measurements; // with every marked annotation
    Report report;
    std::vector<AnnotationVerdictChange> changes; // deposits whose verdict differs from the baseline
    std::vector<std::int64_t> marked;             // the annotations that counted as hostile
};

// Measures and judges `in`'s deposits with every marked annotation of `set` added to the hostile
// positions, and compares each verdict with `baseline` (the report without them, from the same
// scenario, facts and inputs). A changed verdict is attributed by counterfactual: the scenario
// without annotations plus that one annotation alone; that costs one measure() per marked
// annotation, only when some verdict changed. With nothing marked, returns `baseline` and
// `baselineMeasurements` unchanged. Thread rules as analysis::measure().
WhatIf evaluateWithAnnotations(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                               const analysis::Inputs &in, const model::AnnotationSet &set,
                               const analysis::Measurements &baselineMeasurements, const Report &baseline,
                               bool withDetails = true, unsigned threads = 0);

// Fills each change's annotationIds by counterfactual: for every annotation of `marked` (from
// withHostileAnnotations(in, set)), the deposits measured with that one alone, and
// `verdictsUnder(m, changes)` the verdicts of the changes' deposits under those measurements, in
// the order of `changes`. One measure() per marked annotation; none with a single one (it alone
// is the whole what-if). evaluateWithAnnotations() and the streaming `orefront analyze` share it.
void attributeChanges(
    std::vector<AnnotationVerdictChange> &changes, const analysis::HostileAnnotations &marked,
    const analysis::Inputs &in, const model::AnnotationSet &set, unsigned threads,
    const std::function<std::vector<Verdict>(const analysis::Measurements &,
                                             const std::vector<AnnotationVerdictChange> &)> &verdictsUnder);

} // namespace orefront::rules
