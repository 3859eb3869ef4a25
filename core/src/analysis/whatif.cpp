// What-if fronts: a project rebuilt around a shifted or hypothetical front, and the verdict
// diff against the real one. The geodesic shift itself is in rings.cpp, beside the buffers
// it shares with the range rings.
#include "orefront/analysis/whatif.hpp"

#include "control.hpp"
#include "orefront/analysis/control.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <cmath>
#include <cstdio>
#include <memory>

namespace orefront::analysis {

namespace {

bool isArea(const model::LayerSpec &s) {
    return s.role == model::LayerRole::Hostile && s.rangeFrom && s.style != "hostile_state";
}

bool isFrontLine(const model::LayerSpec &s) {
    return s.role == model::LayerRole::Front && s.style != "state_border";
}

// The shifted territory and the zones' contested polygons, as one layer with a status field.
std::shared_ptr<const model::Layer> shiftedLayer(const model::Project &real, const model::WhatIf &w,
                                                 const model::LayerSpec &spec) {
    std::vector<HostileInput> zones, fronts;
    for (std::size_t i = 0; i < real.layers.size(); ++i) {
        if (isArea(real.scenario.layers[i]) && real.layers[i])
            zones.push_back({real.layers[i].get(), &real.scenario.layers[i]});
        if (isFrontLine(real.scenario.layers[i]) && real.layers[i])
            fronts.push_back({real.layers[i].get(), &real.scenario.layers[i]});
    }
    if (zones.empty())
        throw InputError("what-if '" + w.name +
                         "': shift_km moves the boundary of a hostile area layer (role = \"hostile\", "
                         "range_from = true), and the scenario has none; use front = LINE-LAYER instead");
    auto layer = std::make_shared<model::Layer>();
    layer->id = spec.id;
    layer->name = spec.name;
    layer->source = spec.source;
    layer->location = "what-if '" + w.name + "'";
    layer->role = model::LayerRole::Hostile;
    layer->fields = {{"status", model::FieldType::String}};
    model::Feature territory;
    territory.geometry = shiftControlArea(zones, *w.shiftKm, fronts);
    territory.attributes = {std::string("occupied")};
    layer->features.push_back(std::move(territory));
    const detail::ControlGeometry sorted = detail::sortControl(zones);
    for (const auto *poly : sorted.contested) {
        model::Feature f;
        f.fid = static_cast<std::int64_t>(layer->features.size());
        f.geometry.polygons.push_back(*poly);
        f.attributes = {std::string("contested")};
        layer->features.push_back(std::move(f));
    }
    layer->computeBounds();
    return layer;
}

} // namespace

std::string describeWhatIf(const model::WhatIf &w) {
    if (w.shiftKm) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%+g km (%s)", *w.shiftKm, *w.shiftKm > 0 ? "advance" : "withdrawal");
        return buf;
    }
    return "front '" + w.front + "'";
}

model::Project applyWhatIf(const model::Project &real, const model::WhatIf &w,
                           std::vector<std::string> &warnings) {
    if (w.shiftKm.has_value() == !w.front.empty())
        throw InputError("what-if '" + w.name + "': give either a shift in km or a front line layer");
    model::Project out;
    out.scenario = real.scenario;
    out.scenario.layers.clear();
    out.scenario.name = real.scenario.name + " (what-if '" + w.name + "')";
    model::LayerSpec spec;
    spec.id = "whatif";
    spec.name = "What-if '" + w.name + "': " + describeWhatIf(w);
    spec.source = w.shiftKm ? "what-if '" + w.name + "'" : w.front;
    std::shared_ptr<const model::Layer> added;
    if (w.shiftKm) {
        spec.role = model::LayerRole::Hostile;
        spec.statusField = "status";
        spec.hostileStatuses = {"occupied"};
        spec.contestedStatuses = {"contested"};
        spec.style = "occupied";
        added = shiftedLayer(real, w, spec);
    } else {
        spec.role = model::LayerRole::Front;
        spec.style = "front_line";
        added = std::make_shared<const model::Layer>(io::loadLayer(spec, real.scenario.baseDir, warnings));
        checkControlLayer(*added, spec, warnings);
    }
    for (std::size_t i = 0; i < real.layers.size(); ++i) {
        model::LayerSpec s = real.scenario.layers[i];
        if (isFrontLine(s) || (w.shiftKm && isArea(s)))
            continue;
        if (!w.shiftKm && isArea(s))
            s.rangeFrom = false; // still occupied; fire now comes from the hypothetical line
        out.scenario.layers.push_back(std::move(s));
        out.layers.push_back(real.layers[i]);
    }
    out.scenario.layers.push_back(spec);
    out.layers.push_back(std::move(added));
    return out;
}

Judged judge(const model::Project &p, const std::vector<rules::DepositFacts> &facts, unsigned threads) {
    Judged j;
    j.measurements = measure(p.analysisInputs(), threads);
    j.report = rules::evaluate(p.scenario, facts, j.measurements, false);
    return j;
}

WhatIfDiff diffVerdicts(const Judged &real, const Judged &whatif) {
    WhatIfDiff d;
    const std::size_t n = real.report.deposits.size();
    if (whatif.report.deposits.size() != n)
        throw InputError("what-if: the deposits differ from the real scenario's");
    d.deposits.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        DepositDiff &row = d.deposits[i];
        row.name = real.report.deposits[i].name;
        row.real = real.report.deposits[i].verdict;
        row.whatif = whatif.report.deposits[i].verdict;
        row.occupiedReal = real.measurements.perDeposit[i].occupied;
        row.occupiedWhatif = whatif.measurements.perDeposit[i].occupied;
        row.kmReal = real.measurements.perDeposit[i].frontDistanceKm;
        row.kmWhatif = whatif.measurements.perDeposit[i].frontDistanceKm;
        if (row.changed()) {
            ++d.changed;
            ++d.flips[{rules::verdictName(row.real), rules::verdictName(row.whatif)}];
        }
    }
    return d;
}

} // namespace orefront::analysis
