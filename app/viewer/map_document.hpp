#pragma once
// What the map shows, on the UI thread: the loaded scenario (an immutable snapshot built by a
// worker), the layers in draw order with their styles, the range rings and the current rule
// report. GL-free: the renderer reads it every frame; tests and `orefront render` build it
// without a window.
#include "deposit_rows.hpp"
#include "point_grid.hpp"
#include "render/layer_mesh.hpp"
#include "render/style.hpp"
#include "report_views.hpp"
#include "scenario_snapshot.hpp"
#include "view_fit.hpp"

#include "orefront/analysis/analysis.hpp"
#include "orefront/model/project.hpp"
#include "orefront/rules/rules.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace orefront::viewer {

struct MapLayer {
    std::string id, name;
    model::LayerRole role = model::LayerRole::Other;
    std::shared_ptr<const model::Layer> layer;
    std::shared_ptr<const LayerMesh> mesh;
    bool visible = true;
    float opacity = 1.0f;
    Rgba colour;
    float lineWidthPx = 1.5f;
    MapClass mapClass = MapClass::Default; // hostile and front layers: which kind (legend, look)
};

class MapDocument {
public:
    // A report with the marker colours it gives (parallel to the deposits mesh's points).
    struct RuleResult {
        rules::Report report;
        std::vector<std::uint32_t> markerColours;
        // What the views derive from `report` (computeReportViews), computed with it on the
        // worker; null: each view computes its own on the UI thread.
        std::shared_ptr<const ReportViews> views;
    };
    // Replaces everything with `snapshot`'s layers, with `initial` as the report (evaluated
    // by the worker that loaded it), or else evaluates the rules here.
    void setScenario(std::shared_ptr<const ScenarioSnapshot> snapshot,
                     std::optional<RuleResult> initial = std::nullopt);
    void setRings(std::shared_ptr<const RingSet> rings) {
        m_rings = std::move(rings);
        ++m_revision;
    }
    // Basemap goes to the bottom; other layers just below the deposits.
    void addLayer(MapLayer layer);

    // Re-evaluates the rules with `thresholds` and `severities` if they differ from the
    // applied ones, on the calling thread (headless use and tests; the viewer evaluates on
    // its rules worker and calls setReport). Returns whether the report changed.
    bool applyRules(const model::Thresholds &thresholds,
                    const std::map<std::string, model::Severity> &severities);
    // The colours `report` gives the markers of `snapshot`'s deposits. Any thread.
    static std::vector<std::uint32_t> markerColoursFor(const ScenarioSnapshot &snapshot,
                                                       const rules::Report &report);
    // The same into `colours` (resized; its storage reused).
    static void markerColoursFor(const ScenarioSnapshot &snapshot, const rules::Report &report,
                                 std::vector<std::uint32_t> &colours);
    // The same from the report's verdict column (DepositColumns::verdict).
    static void markerColoursFor(const ScenarioSnapshot &snapshot, const std::vector<std::uint8_t> &verdicts,
                                 std::vector<std::uint32_t> &colours);
    // Installs a result evaluated elsewhere (a worker) for the current snapshot with these
    // thresholds and severities (colours computed here if `result` has none). Returns what
    // it replaced, for the caller to free off the UI thread: 100k deposits take
    // milliseconds to free.
    RuleResult setReport(const model::Thresholds &thresholds,
                         const std::map<std::string, model::Severity> &severities, RuleResult result);

    const ScenarioSnapshot *snapshot() const { return m_snapshot.get(); }
    const std::shared_ptr<const ScenarioSnapshot> &snapshotPtr() const { return m_snapshot; }
    const model::Scenario *scenario() const { return m_snapshot ? &m_scenario : nullptr; }
    const rules::Report &report() const { return m_report; }
    // What the views derive from report(), when it came with them (RuleResult::views) for this
    // snapshot's deposits mesh; else null. Never another report's: replaced and dropped with it.
    const ReportViews *reportViews() const { return m_views.get(); }
    const std::shared_ptr<const ReportViews> &reportViewsPtr() const { return m_views; }
    std::uint64_t reportGeneration() const { return m_reportGeneration; }
    // Grows with every change to what the map shows through this class (scenario, rings,
    // layers added), but for a new report (reportGeneration). Edits made through layers()
    // are not counted: MapFrameKey compares the layers' looks itself.
    std::uint64_t revision() const { return m_revision; }
    const RingSet *rings() const { return m_rings.get(); }
    const std::shared_ptr<const RingSet> &ringSet() const { return m_rings; }
    std::vector<MapLayer> &layers() { return m_layers; }
    const std::vector<MapLayer> &layers() const { return m_layers; }
    const MapLayer *depositsLayer() const;
    const MapLayer *basemap() const;

    // Per-marker colours of the deposits mesh (parallel to its points), packed RGBA.
    const std::vector<std::uint32_t> &markerColours() const { return m_markerColours; }
    const std::vector<float> &markerSizes() const { return m_markerSizes; }

    // Index of the deposit whose marker is under screen point (sx, sy), or -1 (pickMarker).
    // `sizeScale` is the scale the markers are drawn at (markerScaleAt).
    int pickDeposit(const Camera &camera, double sx, double sy, float sizeScale = 1.0f) const;
    // The factor the deposit markers are drawn at: `userScale`, shrunk (down to about 3 px
    // discs) where the markers in view would cover more than a quarter of it, so that 100k
    // deposits read as a density and stay cheap to draw. Scans the markers: call it when the
    // camera changes, not every frame.
    float markerScaleAt(const Camera &camera, float userScale) const;
    model::LonLat depositAnchor(int deposit) const;
    // The snapshot's grid over the deposits layer's mesh (depositsLayer()->mesh), or null (no
    // deposits, or a layer whose mesh is not the snapshot's).
    const PointGrid *depositGrid() const;
    // One deposit's verdict with every rule's outcome and its human-readable detail.
    rules::DepositVerdict details(int deposit) const;

private:
    // `views` if they were computed over this snapshot's deposits mesh, else null.
    std::shared_ptr<const ReportViews> viewsOfSnapshot(std::shared_ptr<const ReportViews> views) const;

    std::shared_ptr<const ScenarioSnapshot> m_snapshot;
    model::Scenario m_scenario; // the snapshot's scenario with the applied thresholds
    rules::Report m_report;
    std::shared_ptr<const ReportViews> m_views; // of m_report, or null
    std::uint64_t m_reportGeneration = 0;
    std::uint64_t m_revision = 0;
    std::shared_ptr<const RingSet> m_rings;
    std::vector<MapLayer> m_layers; // bottom first
    std::vector<std::uint32_t> m_markerColours;
    std::vector<float> m_markerSizes;
    CellSums<double> m_cellMarkerArea; // over depositGrid()'s cells: their markers' area in px^2
};

bool sameThresholds(const model::Thresholds &a, const model::Thresholds &b);

} // namespace orefront::viewer
