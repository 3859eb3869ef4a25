#include "scenario_snapshot.hpp"
#include "deposit_rows.hpp"

#include "orefront/analysis/annotations.hpp"
#include "orefront/analysis/control.hpp"
#include "orefront/geos/geos_context.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/series_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/rules/warnings.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <numeric>
namespace orefront::viewer {

namespace {

LayerMesh meshOfFeatures(const model::Layer &layer, const std::vector<std::uint32_t> &features, bool fill) {
    return buildMeshWithLevels(layer.bounds.empty() ? MercPoint{} : toMercator(layer.bounds.center()),
                               [&](MeshBuilder &builder) {
                                   for (auto i : features)
                                       builder.addGeometry(layer.features[i].geometry, i, fill, true);
                               });
}

// Deposits: one marker per feature at its anchor, biggest first so small ones stay on top.
LayerMesh depositMesh(const model::Layer &layer, const std::vector<rules::DepositFacts> &facts) {
    std::vector<std::uint32_t> order(layer.features.size());
    std::iota(order.begin(), order.end(), 0u);
    auto size = [&](std::uint32_t i) {
        return markerDiameterPx(i < facts.size() ? facts[i].tonnageMt : std::nullopt);
    };
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return size(a) > size(b); });
    MeshBuilder builder(layer.bounds.empty() ? MercPoint{} : toMercator(layer.bounds.center()));
    for (auto i : order) {
        const auto &g = layer.features[i].geometry;
        if (g.empty())
            continue;
        for (const auto &poly : g.polygons)
            builder.addPolygon(poly, false, true);
        builder.addPoint(g.points.empty() ? g.anchor() : g.points.front(), i);
    }
    return builder.finish();
}

} // namespace

std::shared_ptr<const ScenarioSnapshot> loadScenarioSnapshot(const std::string &path, unsigned threads) {
    auto snap = loadScenarioSnapshot(io::loadScenario(path), threads);
    std::const_pointer_cast<ScenarioSnapshot>(snap)->path = path;
    return snap;
}

namespace {

// Whether the layer `base` loaded for `was` is the one `now` asks for: the same file or table at
// the same date (a series resolved at another date names another snapshot or date).
bool sameLayer(const model::LayerSpec &was, const model::LayerSpec &now) {
    return was.id == now.id && was.source == now.source && was.date == now.date && was.series == now.series &&
           was.role == now.role;
}

// The snapshot of `project` (loaded): measured and meshed. With `base`, what `project` shares
// with it (the same layer objects) is taken from it rather than computed again: the deposits'
// facts, marker mesh and grid when only hostile and front layers differ, and the mesh of each
// shared layer.
std::shared_ptr<const ScenarioSnapshot> snapshotOf(std::shared_ptr<model::Project> project,
                                                   const ScenarioSnapshot *base, unsigned threads,
                                                   std::chrono::steady_clock::time_point start,
                                                   model::Progress *progress = nullptr) {
    auto snap = std::make_shared<ScenarioSnapshot>();
    snap->project = project;
    auto shared = [&](std::size_t i) {
        return base && i < base->project->layers.size() && base->project->layers[i] &&
               base->project->layers[i] == project->layers[i];
    };
    bool onlyControlChanged = base != nullptr;
    for (std::size_t i = 0; i < project->layers.size(); ++i) {
        const model::LayerRole role = project->scenario.layers[i].role;
        if (!shared(i) && role != model::LayerRole::Hostile && role != model::LayerRole::Front)
            onlyControlChanged = false;
    }

    const analysis::Inputs inputs = project->analysisInputs();
    for (std::size_t i = 0; i < project->layers.size(); ++i)
        if (project->layers[i].get() == inputs.deposits && inputs.deposits)
            snap->depositsLayer = int(i);
    snap->warnings = project->warnings;
    if (inputs.deposits) {
        if (onlyControlChanged && base->depositsLayer == snap->depositsLayer) {
            snap->facts = base->facts;
            snap->boundaries = base->boundaries;
            snap->depositsByName = base->depositsByName;
            snap->depositWarnings = base->depositWarnings;
        } else {
            // As `orefront analyze` warns, in its order: the Messages panel lists them.
            snap->facts = io::readDepositFacts(*project, snap->depositWarnings, &snap->boundaries);
            for (auto &w :
                 rules::depositWarnings(*inputs.deposits, *project->specOf(model::LayerRole::Deposits)))
                snap->depositWarnings.push_back(std::move(w));
            snap->depositsByName =
                std::make_shared<const std::vector<std::uint32_t>>(orderByName(snap->facts));
        }
        snap->warnings.insert(snap->warnings.end(), snap->depositWarnings.begin(),
                              snap->depositWarnings.end());
        snap->measurements = analysis::measure(inputs, threads, progress);
    }
    if (!inputs.hostile.empty()) {
        snap->hostile = std::make_shared<const analysis::HostileIndex>(inputs.hostile);
        snap->ringBoundary = std::make_shared<const analysis::RingBoundary>(
            inputs.hostile, analysis::kRingToleranceM, threads);
    }

    for (std::size_t i = 0; i < project->layers.size(); ++i) {
        const auto &layer = project->layers[i];
        const auto &spec = project->scenario.layers[i];
        if (!layer) {
            snap->meshes.push_back(nullptr);
            continue;
        }
        if (shared(i) && i < base->meshes.size() && (int(i) != snap->depositsLayer || onlyControlChanged)) {
            // The same layer object, so the same mesh (the GPU keeps its upload too).
            snap->meshes.push_back(base->meshes[i]);
            if (i < base->contestedMeshes.size() && base->contestedMeshes[i]) {
                snap->contestedMeshes.resize(i + 1);
                snap->contestedMeshes[i] = base->contestedMeshes[i];
            }
        } else if (int(i) == snap->depositsLayer) {
            snap->meshes.push_back(std::make_shared<const LayerMesh>(depositMesh(*layer, snap->facts)));
        } else if (spec.role == model::LayerRole::Hostile) {
            // Only what counts as hostile is tinted; the other zones (liberated, ...) are not.
            // Contested ones (the grey zone) get a mesh of their own; both through core's
            // classification.
            std::vector<std::uint32_t> hostile, contested;
            const analysis::ControlReader control(*layer, spec);
            for (std::uint32_t f = 0; f < layer->features.size(); ++f) {
                const analysis::Control c = control.classify(layer->features[f]);
                if (c == analysis::Control::Hostile)
                    hostile.push_back(f);
                else if (c == analysis::Control::Contested)
                    contested.push_back(f);
            }
            snap->meshes.push_back(std::make_shared<const LayerMesh>(meshOfFeatures(*layer, hostile, true)));
            if (!contested.empty()) {
                snap->contestedMeshes.resize(i + 1);
                snap->contestedMeshes[i] =
                    std::make_shared<const LayerMesh>(meshOfFeatures(*layer, contested, true));
            }
        } else {
            snap->meshes.push_back(std::make_shared<const LayerMesh>(buildLayerMesh(*layer)));
        }
    }
    if (snap->depositsLayer >= 0) {
        if (onlyControlChanged && base->depositsLayer == snap->depositsLayer && base->depositGrid)
            snap->depositGrid = base->depositGrid;
        else
            snap->depositGrid =
                std::make_shared<const PointGrid>(*snap->meshes[std::size_t(snap->depositsLayer)]);
    }
    snap->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return snap;
}

} // namespace

std::shared_ptr<const ScenarioSnapshot> loadScenarioSnapshot(const model::Scenario &scenario,
                                                             unsigned threads, model::Progress *progress) {
    const auto start = std::chrono::steady_clock::now();
    return snapshotOf(std::make_shared<model::Project>(io::loadProject(scenario, progress)), nullptr, threads,
                      start, progress);
}

std::shared_ptr<const ScenarioSnapshot> loadScenarioSnapshotAt(const ScenarioSnapshot &base,
                                                               const model::Scenario &at, unsigned threads) {
    const auto start = std::chrono::steady_clock::now();
    const model::Project &was = *base.project;
    const bool unresolved = std::any_of(at.layers.begin(), at.layers.end(),
                                        [](const model::LayerSpec &l) { return io::isUnresolvedSeries(l); });
    if (unresolved || was.scenario.layers.size() != at.layers.size() || was.scenario.baseDir != at.baseDir)
        return loadScenarioSnapshot(at, threads);
    auto project = std::make_shared<model::Project>();
    project->scenario = at;
    project->warnings = was.warnings;
    for (std::size_t i = 0; i < at.layers.size(); ++i) {
        const model::LayerSpec &spec = at.layers[i];
        if (was.layers[i] && sameLayer(was.scenario.layers[i], spec)) {
            project->layers.push_back(was.layers[i]);
            continue;
        }
        auto layer = std::make_shared<const model::Layer>(io::loadLayer(spec, at.baseDir, project->warnings));
        if (spec.role == model::LayerRole::Hostile || spec.role == model::LayerRole::Front)
            analysis::checkControlLayer(*layer, spec, project->warnings);
        project->layers.push_back(std::move(layer));
    }
    return snapshotOf(std::move(project), &base, threads, start);
}

std::shared_ptr<const ScenarioSnapshot> withHostileAnnotations(const ScenarioSnapshot &base,
                                                               const std::vector<model::Annotation> &marked,
                                                               unsigned threads,
                                                               const analysis::Measurements *measured) {
    auto snap = std::make_shared<ScenarioSnapshot>(base);
    auto project = std::make_shared<model::Project>(*base.project);
    auto layer = std::make_shared<model::Layer>();
    layer->id = kHostileAnnotationsLayer;
    layer->name = "Annotations marked hostile (what-if)";
    layer->role = model::LayerRole::Hostile;
    layer->location = "annotations marked \"counts as hostile\"";
    for (const auto &a : marked) {
        if (a.vertices.empty())
            continue;
        model::Feature f;
        f.fid = a.id;
        f.geometry = analysis::hostileGeometry(a); // as `analyze` measures it (core, one place)
        if (!f.geometry.empty())
            layer->features.push_back(std::move(f));
    }
    layer->computeBounds();
    model::LayerSpec spec;
    spec.id = kHostileAnnotationsLayer;
    spec.name = layer->name;
    spec.role = model::LayerRole::Hostile;
    spec.allowEmpty = true;
    spec.attribution = "Analyst annotations (what-if)";
    project->scenario.layers.push_back(spec);
    project->layers.push_back(layer);
    snap->project = project;

    const analysis::Inputs inputs = project->analysisInputs();
    if (measured)
        snap->measurements = *measured;
    else if (inputs.deposits)
        snap->measurements = analysis::measure(inputs, threads);
    snap->hostile = std::make_shared<const analysis::HostileIndex>(inputs.hostile);
    snap->ringBoundary =
        std::make_shared<const analysis::RingBoundary>(inputs.hostile, analysis::kRingToleranceM, threads);
    std::vector<std::uint32_t> all(layer->features.size());
    std::iota(all.begin(), all.end(), 0u);
    snap->meshes.push_back(std::make_shared<const LayerMesh>(meshOfFeatures(*layer, all, true)));
    return snap;
}

model::Geometry bandGeometry(const model::Geometry &outer, const model::Geometry &inner) {
    if (inner.polygons.empty())
        return outer;
    const geos::GeosContext ctx;
    const auto a = geos::toGeos(ctx, outer);
    const auto b = geos::toGeos(ctx, inner);
    const auto band = ctx.check(GEOSDifference_r(ctx.handle(), a.get(), b.get()), "ring band");
    model::Geometry out = geos::fromGeos(ctx, band.get());
    out.points.clear(); // a difference of areas: only its polygons are drawn
    out.lines.clear();
    return out;
}

std::shared_ptr<const RingSet> buildRingSet(const ScenarioSnapshot &snapshot, std::vector<double> km,
                                            const RingSet *reuse, unsigned threads,
                                            std::chrono::steady_clock::time_point *built) {
    auto set = std::make_shared<RingSet>();
    std::sort(km.begin(), km.end());
    km.erase(std::unique(km.begin(), km.end()), km.end());
    km.erase(std::remove_if(km.begin(), km.end(), [](double k) { return !(k > 0); }), km.end());
    set->km = km;
    if (!snapshot.ringBoundary || km.empty())
        return set;
    auto reusable = [&](double k) -> int {
        if (!reuse)
            return -1;
        for (std::size_t i = 0; i < reuse->rings.size(); ++i)
            if (reuse->rings[i].km == k)
                return int(i);
        return -1;
    };
    std::vector<double> missing;
    for (double k : km)
        if (reusable(k) < 0)
            missing.push_back(k);
    std::vector<analysis::Ring> rings;
    if (!missing.empty())
        rings = snapshot.ringBoundary->build(missing, threads);
    if (built)
        *built = std::chrono::steady_clock::now();
    auto meshOf = [](const model::Geometry &area, bool fill, bool outline) {
        const model::BBox b = area.bounds();
        return std::make_shared<const LayerMesh>(
            buildMeshWithLevels(b.empty() ? MercPoint{} : toMercator(b.center()),
                                [&](MeshBuilder &builder) { builder.addGeometry(area, 0, fill, outline); }));
    };
    std::vector<int> reusedFrom; // parallel to set->rings: its index in `reuse`, or -1
    for (double k : km) {
        if (const int i = reusable(k); i >= 0) {
            set->rings.push_back(reuse->rings[std::size_t(i)]);
            set->meshes.push_back(reuse->meshes[std::size_t(i)]);
            reusedFrom.push_back(i);
            continue;
        }
        auto ring = std::find_if(rings.begin(), rings.end(), [&](const auto &r) { return r.km == k; });
        if (ring == rings.end())
            continue;
        set->meshes.push_back(meshOf(ring->area, false, true));
        set->rings.push_back(std::move(*ring));
        reusedFrom.push_back(-1);
    }
    for (std::size_t i = 0; i < set->rings.size(); ++i) {
        // A band is kept when both its rings were, and were neighbours in `reuse` too.
        const int from = reusedFrom[i];
        const bool kept = from >= 0 && std::size_t(from) < reuse->bands.size() &&
                          (i == 0 ? from == 0 : reusedFrom[i - 1] == from - 1);
        if (kept)
            set->bands.push_back(reuse->bands[std::size_t(from)]);
        else if (i == 0)
            set->bands.push_back(meshOf(set->rings[0].area, true, false));
        else
            set->bands.push_back(
                meshOf(bandGeometry(set->rings[i].area, set->rings[i - 1].area), true, false));
    }
    return set;
}

LoadedLayer loadExtraLayer(const std::string &source, model::LayerRole role, const std::string &name) {
    LoadedLayer out;
    model::LayerSpec spec;
    spec.id = name;
    spec.name = name;
    spec.source = source;
    spec.role = role;
    auto layer = std::make_shared<model::Layer>(io::loadLayer(spec, "", out.warnings));
    if (layer->bounds.empty())
        layer->computeBounds();
    out.mesh = std::make_shared<const LayerMesh>(buildLayerMesh(*layer));
    out.layer = std::move(layer);
    return out;
}

} // namespace orefront::viewer
