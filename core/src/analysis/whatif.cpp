// What-if fronts: a project rebuilt around a shifted or hypothetical front, and the verdict
// diff against the real one. The geodesic shift itself is in rings.cpp, beside the buffers
// it shares with the range rings.
#include "orefront/analysis/whatif.hpp"

#include "control.hpp"
#include "orefront/analysis/control.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/antimeridian.hpp"
#include "orefront/model/error.hpp"

#include <algorithm>
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

// An empty layer standing for `spec` in what-if `w`, named after the what-if in messages.
std::shared_ptr<model::Layer> whatIfLayer(const model::WhatIf &w, const model::LayerSpec &spec,
                                          model::LayerRole role) {
    auto layer = std::make_shared<model::Layer>();
    layer->id = spec.id;
    layer->name = spec.name;
    layer->source = spec.source;
    layer->location = "what-if '" + w.name + "'";
    layer->role = role;
    return layer;
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
    auto layer = whatIfLayer(w, spec, model::LayerRole::Hostile);
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

// A hypothetical-front annotation's line as a front-line layer.
std::shared_ptr<const model::Layer> annotationFrontLayer(const model::WhatIf &w,
                                                         const model::LayerSpec &spec) {
    auto layer = whatIfLayer(w, spec, model::LayerRole::Front);
    model::Feature f;
    for (auto &piece : model::splitPathAtAntimeridian(w.frontLine))
        f.geometry.lines.push_back(std::move(piece));
    layer->features.push_back(std::move(f));
    layer->computeBounds();
    return layer;
}

} // namespace

std::vector<model::WhatIf> annotationWhatIfs(const model::AnnotationSet &set, const model::Scenario &s) {
    std::vector<model::WhatIf> out;
    auto taken = [&](const std::string &name) {
        const auto same = [&](const model::WhatIf &w) { return w.name == name; };
        return std::any_of(s.whatifs.begin(), s.whatifs.end(), same) ||
               std::any_of(out.begin(), out.end(), same);
    };
    for (const auto &a : set.annotations) {
        if (a.kind != model::AnnotationKind::HypotheticalFront || a.vertices.size() < 2)
            continue;
        model::WhatIf w;
        const std::string id = std::to_string(a.id);
        w.name = a.label.find_first_not_of(" \t") == std::string::npos ? "hypothetical front " + id : a.label;
        if (taken(w.name))
            w.name += " (annotation " + id + ")";
        w.description = "hypothetical front drawn as annotation " + id;
        w.frontLine = a.vertices;
        w.annotationId = a.id;
        out.push_back(std::move(w));
    }
    return out;
}

std::vector<model::WhatIf> namedWhatIfs(const model::Scenario &s, const model::AnnotationSet *set) {
    std::vector<model::WhatIf> out = s.whatifs;
    if (set)
        for (auto &w : annotationWhatIfs(*set, s))
            out.push_back(std::move(w));
    return out;
}

const model::WhatIf &findWhatIf(const std::vector<model::WhatIf> &all, const std::string &name,
                                const std::string &scenarioName) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const auto &w) { return w.name == name; });
    if (it != all.end())
        return *it;
    std::string known;
    for (const auto &w : all)
        known += (known.empty() ? "'" : ", '") + w.name + "'";
    throw InputError("scenario '" + scenarioName + "' has no what-if named '" + name + "' (" +
                     (known.empty()
                          ? "it has none: add a [[whatif]] table or draw a hypothetical_front annotation"
                          : "it has " + known) +
                     ")");
}

std::string describeWhatIf(const model::WhatIf &w) {
    if (w.shiftKm) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%+g km (%s)", *w.shiftKm, *w.shiftKm > 0 ? "advance" : "withdrawal");
        return buf;
    }
    if (!w.frontLine.empty())
        return "hypothetical front annotation " + std::to_string(w.annotationId);
    return "front '" + w.front + "'";
}

model::Project applyWhatIf(const model::Project &real, const model::WhatIf &w,
                           std::vector<std::string> &warnings) {
    const int kinds = int(w.shiftKm.has_value()) + int(!w.front.empty()) + int(!w.frontLine.empty());
    if (kinds != 1)
        throw InputError("what-if '" + w.name + "': give either a shift in km or a front line layer");
    if (!w.frontLine.empty() && w.frontLine.size() < 2)
        throw InputError("what-if '" + w.name + "': the hypothetical front needs two or more vertices");
    model::Project out;
    out.scenario = real.scenario;
    out.scenario.layers.clear();
    out.scenario.name = real.scenario.name + " (what-if '" + w.name + "')";
    model::LayerSpec spec;
    spec.id = "whatif";
    spec.name = "What-if '" + w.name + "': " + describeWhatIf(w);
    spec.source = w.shiftKm             ? "what-if '" + w.name + "'"
                  : w.frontLine.empty() ? w.front
                                        : "annotation " + std::to_string(w.annotationId);
    std::shared_ptr<const model::Layer> added;
    if (w.shiftKm) {
        spec.role = model::LayerRole::Hostile;
        spec.statusField = "status";
        spec.hostileStatuses = {"occupied"};
        spec.contestedStatuses = {"contested"};
        spec.style = "occupied";
        added = shiftedLayer(real, w, spec);
    } else if (!w.frontLine.empty()) {
        spec.role = model::LayerRole::Front;
        spec.style = "front_line";
        added = annotationFrontLayer(w, spec);
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
