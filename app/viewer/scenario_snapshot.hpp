#pragma once
// The viewer's worker pipeline: a scenario loaded, measured and meshed into an immutable
// snapshot, range rings built and meshed, extra layers loaded. Heavy and GL-free: these run on
// worker threads (or headless in `orefront render` and the tests), and their results cross to
// the UI thread frozen (MapDocument takes them).
#include "point_grid.hpp"
#include "render/layer_mesh.hpp"

#include "orefront/analysis/analysis.hpp"
#include "orefront/model/annotation.hpp"
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
    // The boundaries layer the jurisdiction lookup used (the bundled one when the scenario has
    // none): named in exported reports' provenance, as `orefront analyze` names it.
    std::shared_ptr<const model::Layer> boundaries;
    std::shared_ptr<const analysis::HostileIndex> hostile; // null without hostile layers
    std::vector<std::shared_ptr<const LayerMesh>> meshes;  // parallel to project->layers
    // Hostile layers' contested features (the grey zone), drawn in their own class; parallel
    // to project->layers, null where a layer has none.
    std::vector<std::shared_ptr<const LayerMesh>> contestedMeshes;
    int depositsLayer = -1;                                           // index into project->layers
    std::shared_ptr<const PointGrid> depositGrid;                     // over the deposits mesh's markers
    std::shared_ptr<const std::vector<std::uint32_t>> depositsByName; // orderByName(facts)
    double seconds = 0;                                               // load + measure wall time
};

// Loads, measures and meshes a scenario: heavy, for a worker thread (or a headless run).
// Throws orefront::Error (InputError for bad input) as io::loadProject does.
std::shared_ptr<const ScenarioSnapshot> loadScenarioSnapshot(const std::string &path, unsigned threads = 1);
// The same for a scenario already parsed (or edited: layers added in the viewer).
// `progress` (optional): advanced as `orefront analyze` advances it (a stage per layer loaded,
// then "measure"), for the viewer to show.
std::shared_ptr<const ScenarioSnapshot> loadScenarioSnapshot(const model::Scenario &scenario,
                                                             unsigned threads = 1,
                                                             model::Progress *progress = nullptr);

// `base` with the annotations marked "counts as hostile" added as one more hostile layer
// (points as firing points, lines as front lines, areas and range circles as hostile-controlled
// territory; circles as their geodesic polygon), measured again: the what-if the verdicts and
// rings are drawn from while any annotation is marked. Heavy: worker thread.
inline constexpr const char *kHostileAnnotationsLayer = "annotations:hostile";
std::shared_ptr<const ScenarioSnapshot> withHostileAnnotations(const ScenarioSnapshot &base,
                                                               const std::vector<model::Annotation> &marked,
                                                               unsigned threads = 1);

// Range rings for `km` (ascending), meshed for drawing. Heavy (GEOS buffers): worker thread.
struct RingSet {
    std::vector<double> km;
    std::vector<analysis::Ring> rings;
    std::vector<std::shared_ptr<const LayerMesh>> meshes; // parallel to rings: band fill and edge
};
// Rings whose distance is in `reuse` are taken from it rather than rebuilt, so dragging one
// ring's distance rebuilds one ring.
std::shared_ptr<const RingSet> buildRingSet(const std::shared_ptr<const model::Project> &project,
                                            std::vector<double> km, const RingSet *reuse = nullptr);

// A layer loaded at run time (Layers panel, --basemap): any GDAL vector source.
struct LoadedLayer {
    std::shared_ptr<const model::Layer> layer;
    std::shared_ptr<const LayerMesh> mesh;
    std::vector<std::string> warnings;
};
LoadedLayer loadExtraLayer(const std::string &source, model::LayerRole role, const std::string &name);

} // namespace orefront::viewer
