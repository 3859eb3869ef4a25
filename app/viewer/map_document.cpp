#include "map_document.hpp"

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
                                                             unsigned threads) {
    const auto start = std::chrono::steady_clock::now();
    auto snap = std::make_shared<ScenarioSnapshot>();
    auto project = std::make_shared<model::Project>(io::loadProject(scenario));
    snap->project = project;

    const analysis::Inputs inputs = project->analysisInputs();
    for (std::size_t i = 0; i < project->layers.size(); ++i)
        if (project->layers[i].get() == inputs.deposits && inputs.deposits)
            snap->depositsLayer = int(i);
    if (inputs.deposits) {
        std::vector<std::string> warnings; // the CLI prints them; the viewer judges alike
        snap->facts = io::readDepositFacts(*project, warnings);
        snap->depositsByName = std::make_shared<const std::vector<std::uint32_t>>(orderByName(snap->facts));
        snap->measurements = analysis::measure(inputs, threads);
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

model::BBox theatreBounds(const ScenarioSnapshot &snap) {
    model::BBox box;
    const auto &project = *snap.project;
    auto layersOf = [&](model::LayerRole role) {
        std::vector<const model::Layer *> out;
        for (std::size_t i = 0; i < project.layers.size(); ++i)
            if (project.layers[i] && project.scenario.layers[i].role == role &&
                !project.layers[i]->bounds.empty())
                out.push_back(project.layers[i].get());
        return out;
    };
    for (const auto *l : layersOf(model::LayerRole::Front))
        box.expand(l->bounds);
    // Occupied areas next to the front belong to the theatre; a hostile state's whole
    // territory (Russia spans 170 degrees of longitude) does not.
    for (const auto *l : layersOf(model::LayerRole::Hostile)) {
        const auto &b = l->bounds;
        const bool nearFront = !box.empty() && b.minLon >= box.minLon - 4 && b.maxLon <= box.maxLon + 4 &&
                               b.minLat >= box.minLat - 4 && b.maxLat <= box.maxLat + 4;
        if (nearFront || (box.empty() && b.maxLon - b.minLon < 25 && b.maxLat - b.minLat < 15))
            box.expand(b);
    }
    if (box.empty()) {
        for (const auto &layer : project.layers)
            if (layer)
                box.expand(layer->bounds);
        return box;
    }
    // The deposits of the countries at war inside a generous margin around the front.
    model::BBox around = box;
    around.minLon -= 8;
    around.maxLon += 8;
    around.minLat -= 4;
    around.maxLat += 4;
    if (snap.depositsLayer >= 0) {
        const auto &deposits = *project.layers[std::size_t(snap.depositsLayer)];
        for (const auto &f : deposits.features) {
            const auto p = f.geometry.anchor();
            if (around.contains(p))
                box.expand(p);
        }
    }
    const double padLon = (box.maxLon - box.minLon) * 0.12, padLat = (box.maxLat - box.minLat) * 0.12;
    box.minLon -= padLon;
    box.maxLon += padLon;
    box.minLat -= padLat;
    box.maxLat += padLat;
    return box;
}

void MapDocument::setScenario(std::shared_ptr<const ScenarioSnapshot> snapshot,
                              std::optional<RuleResult> initial) {
    // Keep layers added at run time (basemap, user layers); replace the scenario's own.
    std::vector<MapLayer> keep;
    for (auto &l : m_layers)
        if (l.id.rfind("scenario:", 0) != 0)
            keep.push_back(std::move(l));
    m_layers = std::move(keep);
    m_snapshot = std::move(snapshot);
    m_scenario = m_snapshot->project->scenario;
    m_rings.reset();

    const auto &project = *m_snapshot->project;
    // Draw order: hostile tint, front lines, infrastructure, deposits on top.
    auto rank = [](model::LayerRole r) {
        switch (r) {
        case model::LayerRole::Basemap:
        case model::LayerRole::Boundaries:
            return 0;
        case model::LayerRole::Other:
            return 1;
        case model::LayerRole::Hostile:
            return 2;
        case model::LayerRole::Front:
            return 3;
        case model::LayerRole::Power:
            return 4;
        case model::LayerRole::Rail:
            return 5;
        case model::LayerRole::Ports:
            return 6;
        case model::LayerRole::Deposits:
            return 7;
        }
        return 1;
    };
    std::vector<std::size_t> order(project.layers.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) {
        return rank(project.scenario.layers[a].role) < rank(project.scenario.layers[b].role);
    });
    for (auto i : order) {
        if (!project.layers[i])
            continue;
        const auto &spec = project.scenario.layers[i];
        MapLayer l;
        l.id = "scenario:" + spec.id;
        l.name = spec.name.empty() ? spec.id : spec.name;
        l.role = spec.role;
        l.layer = project.layers[i];
        l.mesh = m_snapshot->meshes[i];
        l.colour = defaultLayerColour(spec.role);
        l.lineWidthPx = spec.role == model::LayerRole::Front ? 2.5f : 1.2f;
        l.mapClass = mapClassOf(spec.role, spec.style);
        if (l.mapClass != MapClass::Default) {
            l.colour = classLook(l.mapClass).fill;
            if (spec.role == model::LayerRole::Front)
                l.lineWidthPx = classLook(l.mapClass).widthPx;
        }
        // The grey zone of a control-zone layer: drawn just above it, hatched.
        const auto &contested = m_snapshot->contestedMeshes;
        if (i < contested.size() && contested[i]) {
            MapLayer grey = l;
            grey.id += ":contested";
            grey.mesh = contested[i];
            grey.mapClass = MapClass::Contested;
            grey.colour = classLook(MapClass::Contested).fill;
            addLayer(std::move(l));
            addLayer(std::move(grey));
            continue;
        }
        addLayer(std::move(l));
    }
    if (initial && initial->report.deposits.size() == m_snapshot->facts.size()) {
        m_report = std::move(initial->report);
        m_markerColours = std::move(initial->markerColours);
    } else {
        m_report = rules::evaluate(m_scenario, m_snapshot->facts, m_snapshot->measurements, false);
        m_markerColours = markerColoursFor(*m_snapshot, m_report);
    }
    ++m_reportGeneration;
    ++m_revision;
    // Sizes follow the tonnage, which no rule changes: once per scenario.
    m_markerSizes.clear();
    if (m_snapshot->depositsLayer >= 0 && m_snapshot->meshes[std::size_t(m_snapshot->depositsLayer)])
        for (const auto f : m_snapshot->meshes[std::size_t(m_snapshot->depositsLayer)]->pointFeature)
            m_markerSizes.push_back(markerDiameterPx(
                f < m_snapshot->facts.size() ? m_snapshot->facts[f].tonnageMt : std::nullopt));
}

void MapDocument::addLayer(MapLayer layer) {
    ++m_revision;
    if (layer.role == model::LayerRole::Basemap) {
        m_layers.insert(m_layers.begin(), std::move(layer));
        return;
    }
    auto deposits = std::find_if(m_layers.begin(), m_layers.end(),
                                 [](const MapLayer &l) { return l.role == model::LayerRole::Deposits; });
    if (layer.role == model::LayerRole::Deposits || deposits == m_layers.end())
        m_layers.push_back(std::move(layer));
    else
        m_layers.insert(deposits, std::move(layer));
}

bool MapDocument::applyRules(const model::Thresholds &thresholds,
                             const std::map<std::string, model::Severity> &severities) {
    if (!m_snapshot)
        return false;
    if (sameThresholds(thresholds, m_scenario.thresholds) && severities == m_scenario.severities)
        return false;
    model::Scenario edited = m_scenario;
    edited.thresholds = thresholds;
    edited.severities = severities;
    // Live: no human-readable details (the inspector asks for its one deposit).
    setReport(thresholds, severities,
              {rules::evaluate(edited, m_snapshot->facts, m_snapshot->measurements, false), {}});
    return true;
}

MapDocument::RuleResult MapDocument::setReport(const model::Thresholds &thresholds,
                                               const std::map<std::string, model::Severity> &severities,
                                               RuleResult result) {
    m_scenario.thresholds = thresholds;
    m_scenario.severities = severities;
    if (result.markerColours.size() != m_markerSizes.size())
        result.markerColours = markerColoursFor(*m_snapshot, result.report);
    std::swap(m_report, result.report);
    std::swap(m_markerColours, result.markerColours);
    ++m_reportGeneration;
    return result;
}

std::vector<std::uint32_t> MapDocument::markerColoursFor(const ScenarioSnapshot &snap,
                                                         const rules::Report &report) {
    if (snap.depositsLayer < 0 || !snap.meshes[std::size_t(snap.depositsLayer)])
        return {};
    const auto &features = snap.meshes[std::size_t(snap.depositsLayer)]->pointFeature;
    std::vector<std::uint32_t> colours(features.size());
    for (std::size_t i = 0; i < features.size(); ++i) {
        const auto f = features[i];
        colours[i] =
            verdictColour(f < report.deposits.size() ? report.deposits[f].verdict : rules::Verdict::Unknown)
                .packed();
    }
    return colours;
}

const MapLayer *MapDocument::depositsLayer() const {
    for (const auto &l : m_layers)
        if (l.role == model::LayerRole::Deposits && l.id.rfind("scenario:", 0) == 0)
            return &l;
    return nullptr;
}

const MapLayer *MapDocument::basemap() const {
    for (const auto &l : m_layers)
        if (l.role == model::LayerRole::Basemap)
            return &l;
    return nullptr;
}

int MapDocument::pickDeposit(const Camera &camera, double sx, double sy, float sizeScale) const {
    const MapLayer *deposits = depositsLayer();
    if (!deposits || !deposits->visible || !deposits->mesh || !m_snapshot->depositGrid)
        return -1;
    const int i =
        pickMarker(*deposits->mesh, *m_snapshot->depositGrid, m_markerSizes, camera, sx, sy, sizeScale);
    return i < 0 ? -1 : int(deposits->mesh->pointFeature[std::size_t(i)]);
}

float MapDocument::markerScaleAt(const Camera &camera, float userScale) const {
    const MapLayer *deposits = depositsLayer();
    if (!deposits || !deposits->mesh || m_markerSizes.empty())
        return userScale;
    const auto &mesh = *deposits->mesh;
    // The view in the mesh's float coordinates, with room for a marker's radius.
    const double margin = kMaxMarkerPx * userScale * camera.metresPerPixel;
    const double halfW = camera.width * 0.5 * camera.metresPerPixel + margin;
    const double halfH = camera.height * 0.5 * camera.metresPerPixel + margin;
    const double cx = camera.center.x - mesh.origin.x, cy = camera.center.y - mesh.origin.y;
    double area = 0; // square pixels the markers in view cover at userScale
    for (std::size_t i = 0; i < mesh.points.size(); ++i) {
        if (std::abs(mesh.points[i].x - cx) <= halfW && std::abs(mesh.points[i].y - cy) <= halfH) {
            const double d = m_markerSizes[i] * userScale;
            area += 0.785 * d * d;
        }
    }
    constexpr double kCover = 0.25;     // of the view
    constexpr double kSmallestPx = 3.0; // the smallest marker stays a visible disc
    const double view = double(camera.width) * double(camera.height);
    if (area <= kCover * view)
        return userScale;
    const double shrink = std::max(std::sqrt(kCover * view / area), kSmallestPx / (kMinMarkerPx * userScale));
    return float(std::min(1.0, shrink) * userScale);
}

model::LonLat MapDocument::depositAnchor(int deposit) const {
    if (!m_snapshot || m_snapshot->depositsLayer < 0)
        return {};
    const auto &layer = *m_snapshot->project->layers[std::size_t(m_snapshot->depositsLayer)];
    if (deposit < 0 || std::size_t(deposit) >= layer.features.size())
        return {};
    const auto &g = layer.features[std::size_t(deposit)].geometry;
    return g.points.empty() ? g.anchor() : g.points.front();
}

rules::DepositVerdict MapDocument::details(int deposit) const {
    if (!m_snapshot || deposit < 0 || std::size_t(deposit) >= m_snapshot->facts.size())
        return {};
    analysis::Measurements one;
    one.perDeposit.push_back(m_snapshot->measurements.perDeposit[std::size_t(deposit)]);
    const auto r = rules::evaluate(m_scenario, {m_snapshot->facts[std::size_t(deposit)]}, one, true);
    return r.deposits.empty() ? rules::DepositVerdict{} : r.deposits.front();
}

bool sameThresholds(const model::Thresholds &a, const model::Thresholds &b) {
    return a.gradeCutoffPct == b.gradeCutoffPct && a.standoffKm == b.standoffKm && a.ringsKm == b.ringsKm &&
           a.maxPortDistanceKm == b.maxPortDistanceKm && a.maxRailDistanceKm == b.maxRailDistanceKm &&
           a.maxPowerDistanceKm == b.maxPowerDistanceKm && a.capexMusd == b.capexMusd &&
           a.basketPriceUsdPerKg == b.basketPriceUsdPerKg && a.recoveryPct == b.recoveryPct &&
           a.capexCoverRatio == b.capexCoverRatio;
}

} // namespace orefront::viewer
