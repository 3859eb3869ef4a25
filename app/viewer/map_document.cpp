#include "map_document.hpp"

#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <numeric>

namespace orefront::viewer {

namespace {

std::string lower(std::string s) {
    for (auto &c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

enum class Control { Hostile, Contested, Other };

// The same reading of a control zone's status as the analysis: case-insensitive substring.
Control controlOf(const model::Layer &layer, const model::LayerSpec &spec, const model::Feature &f) {
    if (spec.role == model::LayerRole::Front || spec.statusField.empty())
        return Control::Hostile;
    const int field = layer.fieldIndex(spec.statusField);
    if (field < 0 || std::size_t(field) >= f.attributes.size())
        return Control::Hostile;
    const std::string status = lower(model::toString(f.attributes[field]));
    auto any = [&](const std::vector<std::string> &list) {
        return std::any_of(list.begin(), list.end(),
                           [&](const std::string &s) { return status.find(lower(s)) != std::string::npos; });
    };
    if (any(spec.hostileStatuses))
        return Control::Hostile;
    if (any(spec.contestedStatuses))
        return Control::Contested;
    return spec.hostileStatuses.empty() ? Control::Hostile : Control::Other;
}

LayerMesh meshOfFeatures(const model::Layer &layer, const std::vector<std::uint32_t> &features, bool fill) {
    MeshBuilder builder(layer.bounds.empty() ? MercPoint{} : toMercator(layer.bounds.center()));
    for (auto i : features)
        builder.addGeometry(layer.features[i].geometry, i, fill, true);
    return builder.finish();
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
    const auto start = std::chrono::steady_clock::now();
    auto snap = std::make_shared<ScenarioSnapshot>();
    snap->path = path;
    auto project = std::make_shared<model::Project>(io::loadProject(io::loadScenario(path)));
    snap->project = project;

    const analysis::Inputs inputs = project->analysisInputs();
    for (std::size_t i = 0; i < project->layers.size(); ++i)
        if (project->layers[i].get() == inputs.deposits && inputs.deposits)
            snap->depositsLayer = int(i);
    if (inputs.deposits) {
        const model::LayerSpec &spec = project->scenario.layers[std::size_t(snap->depositsLayer)];
        snap->facts = rules::readFacts(*inputs.deposits, spec);
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
            std::vector<std::uint32_t> hostile;
            for (std::uint32_t f = 0; f < layer->features.size(); ++f)
                if (controlOf(*layer, spec, layer->features[f]) == Control::Hostile)
                    hostile.push_back(f);
            snap->meshes.push_back(std::make_shared<const LayerMesh>(meshOfFeatures(*layer, hostile, true)));
        } else {
            snap->meshes.push_back(std::make_shared<const LayerMesh>(buildLayerMesh(*layer)));
        }
    }
    snap->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return snap;
}

std::shared_ptr<const RingSet> buildRingSet(const std::shared_ptr<const model::Project> &project,
                                            std::vector<double> km) {
    auto set = std::make_shared<RingSet>();
    std::sort(km.begin(), km.end());
    km.erase(std::unique(km.begin(), km.end()), km.end());
    km.erase(std::remove_if(km.begin(), km.end(), [](double k) { return !(k > 0); }), km.end());
    set->km = km;
    const auto inputs = project->analysisInputs();
    if (inputs.hostile.empty() || km.empty())
        return set;
    set->rings = analysis::buildRings(inputs.hostile, km);
    std::sort(set->rings.begin(), set->rings.end(), [](const auto &a, const auto &b) { return a.km < b.km; });
    for (const auto &ring : set->rings) {
        const model::BBox b = ring.area.bounds();
        MeshBuilder builder(b.empty() ? MercPoint{} : toMercator(b.center()));
        builder.addGeometry(ring.area, 0, true, true);
        set->meshes.push_back(builder.finish());
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

void MapDocument::setScenario(std::shared_ptr<const ScenarioSnapshot> snapshot) {
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
        addLayer(std::move(l));
    }
    m_report = rules::evaluate(m_scenario, m_snapshot->facts, m_snapshot->measurements, false);
    ++m_reportGeneration;
    recolour();
}

void MapDocument::addLayer(MapLayer layer) {
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
    m_scenario.thresholds = thresholds;
    m_scenario.severities = severities;
    // Live: no human-readable details (the inspector asks for its one deposit).
    m_report = rules::evaluate(m_scenario, m_snapshot->facts, m_snapshot->measurements, false);
    ++m_reportGeneration;
    recolour();
    return true;
}

void MapDocument::recolour() {
    m_markerColours.clear();
    m_markerSizes.clear();
    const MapLayer *deposits = depositsLayer();
    if (!deposits || !deposits->mesh)
        return;
    const auto &features = deposits->mesh->pointFeature;
    m_markerColours.resize(features.size());
    m_markerSizes.resize(features.size());
    for (std::size_t i = 0; i < features.size(); ++i) {
        const auto f = features[i];
        const auto verdict =
            f < m_report.deposits.size() ? m_report.deposits[f].verdict : rules::Verdict::Unknown;
        m_markerColours[i] = verdictColour(verdict).packed();
        m_markerSizes[i] =
            markerDiameterPx(f < m_snapshot->facts.size() ? m_snapshot->facts[f].tonnageMt : std::nullopt);
    }
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
    if (!deposits || !deposits->visible || !deposits->mesh)
        return -1;
    const auto &mesh = *deposits->mesh;
    int best = -1;
    double bestD2 = 0;
    // Markers are drawn in order, so the last hit is the one on top.
    for (std::size_t i = 0; i < mesh.points.size(); ++i) {
        double px, py;
        camera.mercatorToScreen({mesh.origin.x + mesh.points[i].x, mesh.origin.y + mesh.points[i].y}, px, py);
        const double r = m_markerSizes[i] * sizeScale * 0.5 + 2.0;
        const double d2 = (px - sx) * (px - sx) + (py - sy) * (py - sy);
        if (d2 <= r * r && (best < 0 || d2 <= bestD2 + 4.0)) {
            best = int(mesh.pointFeature[i]);
            bestD2 = d2;
        }
    }
    return best;
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
