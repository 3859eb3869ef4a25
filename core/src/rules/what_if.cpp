#include "orefront/rules/what_if.hpp"

namespace orefront::rules {

WhatIf evaluateWithAnnotations(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                               const analysis::Inputs &in, const model::AnnotationSet &set,
                               const analysis::Measurements &baselineMeasurements, const Report &baseline,
                               bool withDetails, unsigned threads) {
    WhatIf out;
    const analysis::HostileAnnotations all = analysis::withHostileAnnotations(in, set);
    out.marked = all.ids;
    if (!all.layer) {
        out.measurements = baselineMeasurements;
        out.report = baseline;
        return out;
    }
    out.measurements = analysis::measure(all.inputs, threads);
    out.report = evaluate(scenario, facts, out.measurements, withDetails);
    for (std::size_t i = 0; i < out.report.deposits.size(); ++i)
        if (out.report.deposits[i].verdict != baseline.deposits[i].verdict)
            out.changes.push_back({i,
                                   out.report.deposits[i].name,
                                   baseline.deposits[i].verdict,
                                   out.report.deposits[i].verdict,
                                   {}});
    attributeChanges(
        out.changes, all, in, set, threads,
        [&](const analysis::Measurements &m, const std::vector<AnnotationVerdictChange> &changes) {
            const Report r = evaluate(scenario, facts, m, false);
            std::vector<Verdict> v;
            for (const auto &c : changes)
                v.push_back(r.deposits[c.deposit].verdict);
            return v;
        });
    return out;
}

void attributeChanges(
    std::vector<AnnotationVerdictChange> &changes, const analysis::HostileAnnotations &marked,
    const analysis::Inputs &in, const model::AnnotationSet &set, unsigned threads,
    const std::function<std::vector<Verdict>(const analysis::Measurements &,
                                             const std::vector<AnnotationVerdictChange> &)> &verdictsUnder) {
    if (changes.empty())
        return;
    for (const std::int64_t id : marked.ids) {
        if (marked.ids.size() == 1) { // the one annotation alone is the whole what-if
            for (auto &c : changes)
                c.annotationIds.push_back(id);
            return;
        }
        const analysis::HostileAnnotations one = analysis::withHostileAnnotation(in, set, id);
        const std::vector<Verdict> alone = verdictsUnder(analysis::measure(one.inputs, threads), changes);
        for (std::size_t c = 0; c < changes.size(); ++c)
            if (alone[c] != changes[c].before)
                changes[c].annotationIds.push_back(id);
    }
}

} // namespace orefront::rules
