#include "map_document.hpp"

#include "orefront/analysis/control.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <numeric>
namespace orefront::viewer {

namespace {

// The square pixels a marker of this diameter covers (a disc).
double markerArea(float diameterPx) {
    return 0.785 * double(diameterPx) * double(diameterPx);
}

} // namespace

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
        m_views = viewsOfSnapshot(std::move(initial->views));
    } else {
        m_report = rules::evaluate(m_scenario, m_snapshot->facts, m_snapshot->measurements, false);
        m_markerColours = markerColoursFor(*m_snapshot, m_report);
        m_views.reset();
    }
    ++m_reportGeneration;
    ++m_revision;
    // Sizes follow the tonnage, which no rule changes: once per scenario.
    m_markerSizes.clear();
    if (m_snapshot->depositsLayer >= 0 && m_snapshot->meshes[std::size_t(m_snapshot->depositsLayer)])
        for (const auto f : m_snapshot->meshes[std::size_t(m_snapshot->depositsLayer)]->pointFeature)
            m_markerSizes.push_back(markerDiameterPx(
                f < m_snapshot->facts.size() ? m_snapshot->facts[f].tonnageMt : std::nullopt));
    // The markers' area per cell of the deposit grid, for markerScaleAt.
    m_cellMarkerArea = {};
    if (const PointGrid *grid = depositGrid()) {
        const LayerMesh &mesh = *depositsLayer()->mesh;
        std::vector<double> area(grid->cellCount(), 0.0);
        for (std::size_t i = 0; i < mesh.points.size() && i < m_markerSizes.size(); ++i)
            area[grid->cellOf(mesh.points[i])] += markerArea(m_markerSizes[i]);
        m_cellMarkerArea = CellSums<double>(*grid, area);
    }
}

const PointGrid *MapDocument::depositGrid() const {
    const MapLayer *deposits = depositsLayer();
    if (!m_snapshot || !m_snapshot->depositGrid || !deposits || !deposits->mesh ||
        m_snapshot->depositsLayer < 0 ||
        deposits->mesh != m_snapshot->meshes[std::size_t(m_snapshot->depositsLayer)])
        return nullptr;
    return m_snapshot->depositGrid.get();
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
    result.views = viewsOfSnapshot(std::move(result.views));
    std::swap(m_report, result.report);
    std::swap(m_markerColours, result.markerColours);
    std::swap(m_views, result.views);
    ++m_reportGeneration;
    return result;
}

std::shared_ptr<const ReportViews>
MapDocument::viewsOfSnapshot(std::shared_ptr<const ReportViews> views) const {
    const MapLayer *deposits = depositsLayer();
    const LayerMesh *mesh = m_snapshot && m_snapshot->depositsLayer >= 0
                                ? m_snapshot->meshes[std::size_t(m_snapshot->depositsLayer)].get()
                                : nullptr;
    if (!views || views->mesh != mesh || (deposits && deposits->mesh.get() != mesh))
        return nullptr; // another snapshot's: the views compute their own
    return views;
}

std::vector<std::uint32_t> MapDocument::markerColoursFor(const ScenarioSnapshot &snap,
                                                         const rules::Report &report) {
    std::vector<std::uint32_t> colours;
    markerColoursFor(snap, report, colours);
    return colours;
}

void MapDocument::markerColoursFor(const ScenarioSnapshot &snap, const rules::Report &report,
                                   std::vector<std::uint32_t> &colours) {
    markerColoursFor(snap, DepositColumns::of(report).verdict, colours);
}

void MapDocument::markerColoursFor(const ScenarioSnapshot &snap, const std::vector<std::uint8_t> &verdicts,
                                   std::vector<std::uint32_t> &colours) {
    if (snap.depositsLayer < 0 || !snap.meshes[std::size_t(snap.depositsLayer)]) {
        colours.clear();
        return;
    }
    const std::uint32_t unknown = verdictColour(rules::Verdict::Unknown).packed();
    std::array<std::uint32_t, 4> packed{};
    for (std::size_t v = 0; v < packed.size(); ++v)
        packed[v] = verdictColour(rules::Verdict(v)).packed();
    const auto &features = snap.meshes[std::size_t(snap.depositsLayer)]->pointFeature;
    colours.resize(features.size());
    for (std::size_t i = 0; i < features.size(); ++i) {
        const auto f = features[i];
        colours[i] = f < verdicts.size() && verdicts[f] < packed.size() ? packed[verdicts[f]] : unknown;
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
    double area = 0; // square pixels the markers in view cover at scale 1
    const auto addPoint = [&](std::size_t i) {
        if (std::abs(mesh.points[i].x - cx) <= halfW && std::abs(mesh.points[i].y - cy) <= halfH)
            area += markerArea(m_markerSizes[i]);
    };
    // Through the grid: the cells in view add their sum (a summed-area table), and only the
    // markers of the cells on the view's edges are tested (a zoom frame at 100k deposits
    // scanned them all, twice).
    const PointGrid *grid = depositGrid();
    if (grid && !m_cellMarkerArea.empty() && m_markerSizes.size() == mesh.points.size())
        grid->visitRect(
            cx - halfW, cy - halfH, cx + halfW, cy + halfH,
            [&](const CellRange &inside) { area += m_cellMarkerArea.sum(inside); }, addPoint);
    else
        for (std::size_t i = 0; i < mesh.points.size() && i < m_markerSizes.size(); ++i)
            addPoint(i);
    area *= double(userScale) * double(userScale);
    constexpr double kCover = 0.25;     // of the view
    constexpr double kSmallestPx = 3.0; // the smallest marker stays a visible disc
    const double view = double(camera.width) * double(camera.height);
    if (area <= kCover * view)
        return userScale;
    // In steps of 2^(1/16) (4.4 %), rounded down: panning moves markers in and out of view, and
    // a scale that changed with each of them would make every pan frame draw the map whole
    // (MapRenderer keeps a panned image only while the scale holds).
    const double density = std::exp2(std::floor(std::log2(std::sqrt(kCover * view / area)) * 16.0) / 16.0);
    const double shrink = std::max(density, kSmallestPx / (kMinMarkerPx * userScale));
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
    one.names = m_snapshot->measurements.names; // the nearest port's, rail hub's and plant's names
    const auto r = rules::evaluate(m_scenario, {m_snapshot->facts[std::size_t(deposit)]}, one, true);
    return r.deposits.empty() ? rules::DepositVerdict{} : r.deposits.front();
}

bool sameThresholds(const model::Thresholds &a, const model::Thresholds &b) {
    return a.gradeCutoffPct == b.gradeCutoffPct && a.standoffKm == b.standoffKm && a.ringsKm == b.ringsKm &&
           a.maxPortDistanceKm == b.maxPortDistanceKm && a.maxRailDistanceKm == b.maxRailDistanceKm &&
           a.maxPowerDistanceKm == b.maxPowerDistanceKm && a.capexMusd == b.capexMusd &&
           a.basketPriceUsdPerKg == b.basketPriceUsdPerKg && a.recoveryPct == b.recoveryPct &&
           a.capexCoverRatio == b.capexCoverRatio && a.lineOfContactKm == b.lineOfContactKm;
}

} // namespace orefront::viewer
