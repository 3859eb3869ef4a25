#include "scenario_snapshot.hpp"
#include "deposit_rows.hpp"

#include "orefront/analysis/annotations.hpp"
#include "orefront/analysis/control.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

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

// The rings on the map are built from the hostile geometry simplified to within this many
// metres (Douglas-Peucker): a generated 200k-vertex boundary keeps a few thousand vertices
// and a ring builds in a tenth of the time, off by less than the buffering's own tolerance
// (up to 50 m, analysis/rings.cpp). Verdicts use the exact distances, not these polygons.
constexpr double kRingInputToleranceM = 5.0;

model::Path simplifyLonLat(const model::Path &path, double toleranceM) {
    if (path.size() < 3)
        return path;
    // Local metres per degree; the largest over the path for longitude, so that no point
    // moves further than the tolerance.
    double minAbsLat = 90;
    for (const auto &p : path)
        minAbsLat = std::min(minAbsLat, std::abs(p.lat));
    const double kx = 111320.0 * std::cos(minAbsLat * 3.14159265358979 / 180.0), ky = 110574.0;
    std::vector<Vec2d> local;
    local.reserve(path.size());
    for (const auto &p : path)
        local.push_back({p.lon * kx, p.lat * ky});
    model::Path out;
    for (const auto &v : simplifyPath(local, toleranceM))
        out.push_back({v.x / kx, v.y / ky});
    return out;
}

// Copies of the hostile layers, simplified, and the inputs that point at them.
struct SimplifiedHostile {
    std::vector<model::Layer> layers;
    std::vector<analysis::HostileInput> inputs;
};

SimplifiedHostile simplifyHostile(const std::vector<analysis::HostileInput> &hostile, double toleranceM) {
    SimplifiedHostile out;
    out.layers.reserve(hostile.size()); // inputs point into it: no reallocation
    for (const auto &h : hostile) {
        model::Layer &copy = out.layers.emplace_back(*h.layer);
        for (auto &f : copy.features) {
            for (auto &line : f.geometry.lines)
                line = simplifyLonLat(line, toleranceM);
            for (auto &poly : f.geometry.polygons)
                for (auto &ring : poly.rings)
                    ring = simplifyLonLat(ring, toleranceM);
        }
        out.inputs.push_back({&copy, h.spec});
    }
    return out;
}

} // namespace

std::shared_ptr<const ScenarioSnapshot> loadScenarioSnapshot(const std::string &path, unsigned threads) {
    auto snap = loadScenarioSnapshot(io::loadScenario(path), threads);
    std::const_pointer_cast<ScenarioSnapshot>(snap)->path = path;
    return snap;
}

std::shared_ptr<const ScenarioSnapshot> loadScenarioSnapshot(const model::Scenario &scenario,
                                                             unsigned threads, model::Progress *progress) {
    const auto start = std::chrono::steady_clock::now();
    auto snap = std::make_shared<ScenarioSnapshot>();
    auto project = std::make_shared<model::Project>(io::loadProject(scenario, progress));
    snap->project = project;

    const analysis::Inputs inputs = project->analysisInputs();
    for (std::size_t i = 0; i < project->layers.size(); ++i)
        if (project->layers[i].get() == inputs.deposits && inputs.deposits)
            snap->depositsLayer = int(i);
    if (inputs.deposits) {
        std::vector<std::string> warnings; // the CLI prints them; the viewer judges alike
        snap->facts = io::readDepositFacts(*project, warnings, &snap->boundaries);
        snap->depositsByName = std::make_shared<const std::vector<std::uint32_t>>(orderByName(snap->facts));
        snap->measurements = analysis::measure(inputs, threads, progress);
    }
    if (!inputs.hostile.empty())
        snap->hostile = std::make_shared<const analysis::HostileIndex>(inputs.hostile);

    for (std::size_t i = 0; i < project->layers.size(); ++i) {
        const auto &layer = project->layers[i];
        const auto &spec = project->scenario.layers[i];
        if (!layer) {
            snap->meshes.push_back(nullptr);
            continue;
        }
        if (int(i) == snap->depositsLayer) {
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
    if (snap->depositsLayer >= 0)
        snap->depositGrid =
            std::make_shared<const PointGrid>(*snap->meshes[std::size_t(snap->depositsLayer)]);
    snap->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return snap;
}

std::shared_ptr<const ScenarioSnapshot> withHostileAnnotations(const ScenarioSnapshot &base,
                                                               const std::vector<model::Annotation> &marked,
                                                               unsigned threads) {
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
    if (inputs.deposits)
        snap->measurements = analysis::measure(inputs, threads);
    snap->hostile = std::make_shared<const analysis::HostileIndex>(inputs.hostile);
    std::vector<std::uint32_t> all(layer->features.size());
    std::iota(all.begin(), all.end(), 0u);
    snap->meshes.push_back(std::make_shared<const LayerMesh>(meshOfFeatures(*layer, all, true)));
    return snap;
}

std::shared_ptr<const RingSet> buildRingSet(const std::shared_ptr<const model::Project> &project,
                                            std::vector<double> km, const RingSet *reuse) {
    auto set = std::make_shared<RingSet>();
    std::sort(km.begin(), km.end());
    km.erase(std::unique(km.begin(), km.end()), km.end());
    km.erase(std::remove_if(km.begin(), km.end(), [](double k) { return !(k > 0); }), km.end());
    set->km = km;
    const auto inputs = project->analysisInputs();
    if (inputs.hostile.empty() || km.empty())
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
    std::vector<analysis::Ring> built;
    if (!missing.empty()) {
        const SimplifiedHostile simple = simplifyHostile(inputs.hostile, kRingInputToleranceM);
        try {
            built = analysis::buildRings(simple.inputs, missing);
        } catch (const GeometryError &) {
            // Simplifying can make a ring cross itself; the exact geometry then.
            built = analysis::buildRings(inputs.hostile, missing);
        }
    }
    for (double k : km) {
        if (const int i = reusable(k); i >= 0) {
            set->rings.push_back(reuse->rings[std::size_t(i)]);
            set->meshes.push_back(reuse->meshes[std::size_t(i)]);
            continue;
        }
        auto ring = std::find_if(built.begin(), built.end(), [&](const auto &r) { return r.km == k; });
        if (ring == built.end())
            continue;
        const model::BBox b = ring->area.bounds();
        set->meshes.push_back(std::make_shared<const LayerMesh>(
            buildMeshWithLevels(b.empty() ? MercPoint{} : toMercator(b.center()), [&](MeshBuilder &builder) {
                builder.addGeometry(ring->area, 0, true, true);
            })));
        set->rings.push_back(std::move(*ring));
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
