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
    if (out.changes.empty())
        return out;
    for (const std::int64_t id : all.ids) {
        if (all.ids.size() == 1) { // the one annotation alone is the whole what-if
            for (auto &c : out.changes)
                c.annotationIds.push_back(id);
            break;
        }
        const analysis::HostileAnnotations one = analysis::withHostileAnnotation(in, set, id);
        const analysis::Measurements m = analysis::measure(one.inputs, threads);
        const Report r = evaluate(scenario, facts, m, false);
        for (auto &c : out.changes)
            if (r.deposits[c.deposit].verdict != baseline.deposits[c.deposit].verdict)
                c.annotationIds.push_back(id);
    }
    return out;
}

} // namespace orefront::rules
