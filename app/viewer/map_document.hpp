#pragma once
// What the map shows, on the UI thread: the loaded scenario (an immutable snapshot built by a
// worker), the layers in draw order with their styles, the range rings and the current rule
// report. GL-free: the renderer reads it every frame; tests and `orefront render` build it
// without a window.
#include "render/layer_mesh.hpp"
#include "render/style.hpp"

#include "orefront/analysis/analysis.hpp"
#include "orefront/model/project.hpp"
#include "orefront/rules/rules.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace orefront::viewer {

// A loaded scenario, frozen before it leaves the worker that built it.
struct ScenarioSnapshot {
    std::string path;
    std::shared_ptr<const model::Project> project;
    analysis::Measurements measurements; // parallel to the deposits layer's features
    std::vector<rules::DepositFacts> facts;
    std::shared_ptr<const analysis::HostileIndex> hostile; // null without hostile layers
    std::vector<std::shared_ptr<const LayerMesh>> meshes;  // parallel to project->layers
    int depositsLayer = -1;                                // index into project->layers
    double seconds = 0;                                    // load + measure wall time
};

// Loads, measures and meshes a scenario: heavy, for a worker thread (or a headless run).
// Throws orefront::Error (InputError for bad input) as io::loadProject does.
std::shared_ptr<const ScenarioSnapshot> loadScenarioSnapshot(const std::string &path, unsigned threads = 1);

// Range rings for `km` (ascending), meshed for drawing. Heavy (GEOS buffers): worker thread.
struct RingSet {
    std::vector<double> km;
    std::vector<analysis::Ring> rings;
    std::vector<LayerMesh> meshes; // parallel to rings: band fill and edge
};
std::shared_ptr<const RingSet> buildRingSet(const std::shared_ptr<const model::Project> &project,
                                            std::vector<double> km);

// A layer loaded at run time (Layers panel, --basemap): any GDAL vector source.
struct LoadedLayer {
    std::shared_ptr<const model::Layer> layer;
    std::shared_ptr<const LayerMesh> mesh;
    std::vector<std::string> warnings;
};
LoadedLayer loadExtraLayer(const std::string &source, model::LayerRole role, const std::string &name);

// The default view: the war theatre (front lines, occupied areas and the deposits of the
// attacked country), not the whole world a hostile state or a worldwide deposit list spans.
model::BBox theatreBounds(const ScenarioSnapshot &snapshot);

struct MapLayer {
    std::string id, name;
    model::LayerRole role = model::LayerRole::Other;
    std::shared_ptr<const model::Layer> layer;
    std::shared_ptr<const LayerMesh> mesh;
    bool visible = true;
    float opacity = 1.0f;
    Rgba colour;
    float lineWidthPx = 1.5f;
};

class MapDocument {
public:
    // Replaces everything with `snapshot`'s layers; evaluates the rules once.
    void setScenario(std::shared_ptr<const ScenarioSnapshot> snapshot);
    void setRings(std::shared_ptr<const RingSet> rings) { m_rings = std::move(rings); }
    // Basemap goes to the bottom; other layers just below the deposits.
    void addLayer(MapLayer layer);

    // Re-evaluates the rules with `thresholds` and `severities` if they differ from the
    // applied ones: cheap, run on the UI thread. Returns whether the report changed.
    bool applyRules(const model::Thresholds &thresholds,
                    const std::map<std::string, model::Severity> &severities);

    const ScenarioSnapshot *snapshot() const { return m_snapshot.get(); }
    const model::Scenario *scenario() const { return m_snapshot ? &m_scenario : nullptr; }
    const rules::Report &report() const { return m_report; }
    std::uint64_t reportGeneration() const { return m_reportGeneration; }
    const RingSet *rings() const { return m_rings.get(); }
    const std::shared_ptr<const RingSet> &ringSet() const { return m_rings; }
    std::vector<MapLayer> &layers() { return m_layers; }
    const std::vector<MapLayer> &layers() const { return m_layers; }
    const MapLayer *depositsLayer() const;
    const MapLayer *basemap() const;

    // Per-marker colours of the deposits mesh (parallel to its points), packed RGBA.
    const std::vector<std::uint32_t> &markerColours() const { return m_markerColours; }
    const std::vector<float> &markerSizes() const { return m_markerSizes; }

    // Index of the deposit whose marker is under screen point (sx, sy), or -1.
    int pickDeposit(const Camera &camera, double sx, double sy, float sizeScale = 1.0f) const;
    model::LonLat depositAnchor(int deposit) const;
    // One deposit's verdict with every rule's outcome and its human-readable detail.
    rules::DepositVerdict details(int deposit) const;

private:
    void recolour();

    std::shared_ptr<const ScenarioSnapshot> m_snapshot;
    model::Scenario m_scenario; // the snapshot's scenario with the applied thresholds
    rules::Report m_report;
    std::uint64_t m_reportGeneration = 0;
    std::shared_ptr<const RingSet> m_rings;
    std::vector<MapLayer> m_layers; // bottom first
    std::vector<std::uint32_t> m_markerColours;
    std::vector<float> m_markerSizes;
};

bool sameThresholds(const model::Thresholds &a, const model::Thresholds &b);

} // namespace orefront::viewer
