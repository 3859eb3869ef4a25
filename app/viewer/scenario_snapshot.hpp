#pragma once
// The viewer's worker pipeline: a scenario loaded, measured and meshed into an immutable
// snapshot, range rings built and meshed, extra layers loaded. Heavy and GL-free: these run on
// worker threads (or headless in `orefront render` and the tests), and their results cross to
// the UI thread frozen (MapDocument takes them).
#include "point_grid.hpp"
#include "render/layer_mesh.hpp"

#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/rings.hpp"
#include "orefront/model/annotation.hpp"
#include "orefront/model/project.hpp"
#include "orefront/rules/rules.hpp"

#include <chrono>
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
    // The firing boundary prepared for range rings (core's, once per snapshot): every ring
    // distance is built from it. Null without hostile layers.
    std::shared_ptr<const analysis::RingBoundary> ringBoundary;
    std::vector<std::shared_ptr<const LayerMesh>> meshes; // parallel to project->layers
    // Hostile layers' contested features (the grey zone), drawn in their own class; parallel
    // to project->layers, null where a layer has none.
    std::vector<std::shared_ptr<const LayerMesh>> contestedMeshes;
    int depositsLayer = -1;                                           // index into project->layers
    std::shared_ptr<const PointGrid> depositGrid;                     // over the deposits mesh's markers
    std::shared_ptr<const std::vector<std::uint32_t>> depositsByName; // orderByName(facts)
    double seconds = 0;                                               // load + measure wall time
    // What `orefront analyze` warns of while loading it (geometry repaired, a missing grade
    // field, deposit names, ...), each naming the file, layer and feature: the Messages panel.
    // The unresolved-country warning depends on the report: rules::unresolvedCountriesWarning.
    std::vector<std::string> warnings;
    std::vector<std::string> depositWarnings; // the part of `warnings` the deposits' facts give
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

// `at` (a scenario resolved at a date, io::scenarioAt) as a snapshot derived from `base` (the
// same scenario at another date): the layers that did not change (the same source at the same
// date) are shared, not read again, and so are their meshes and, when only hostile and front
// layers changed, the deposits' facts, marker mesh and grid; the deposits are measured again.
// A Timeline date costs its snapshot's read, measurement and ring boundary. Heavy: worker
// thread. Falls back to loadScenarioSnapshot(at) when the two do not share a layer list.
std::shared_ptr<const ScenarioSnapshot>
loadScenarioSnapshotAt(const ScenarioSnapshot &base, const model::Scenario &at, unsigned threads = 1);

// `base` with the annotations marked "counts as hostile" added as one more hostile layer
// (points as firing points, lines as front lines, areas and range circles as hostile-controlled
// territory; circles as their geodesic polygon), measured again: the what-if the verdicts and
// rings are drawn from while any annotation is marked. Heavy: worker thread. `measured`, if
// given, are those measurements already (rules::WhatIf::measurements), not measured again.
inline constexpr const char *kHostileAnnotationsLayer = "annotations:hostile";
std::shared_ptr<const ScenarioSnapshot>
withHostileAnnotations(const ScenarioSnapshot &base, const std::vector<model::Annotation> &marked,
                       unsigned threads = 1, const analysis::Measurements *measured = nullptr);

// Range rings for `km` (ascending), meshed for drawing, built from the snapshot's prepared
// ring boundary. Heavy (GEOS buffers): worker thread; `threads` workers (0: one per core).
struct RingSet {
    std::vector<double> km;
    std::vector<analysis::Ring> rings;
    std::vector<std::shared_ptr<const LayerMesh>> meshes; // parallel to rings: the ring's edge
    // Parallel to rings: the band's fill, ring i minus ring i-1 (ring 0 whole), so that each
    // pixel is filled once, by the band it lies in, with no stencil passes over the inner
    // rings (MapRenderer). Band i is rebuilt when ring i or ring i-1 is.
    std::vector<std::shared_ptr<const LayerMesh>> bands;
};
// The band between two rings, `outer` minus `inner` (GEOS, planar in lon/lat: the rings' edges
// are chains of short segments, so which side a point is on does not depend on the plane).
// Where the two share an edge (territory wider than the inner ring's distance lies inside
// both) the band has nothing. Throws GeometryError when GEOS fails.
model::Geometry bandGeometry(const model::Geometry &outer, const model::Geometry &inner);

// Rings whose distance is in `reuse` are taken from it rather than rebuilt, so dragging one
// ring's distance rebuilds one ring. `reuse` must come from the same snapshot. `built`
// (optional): set to when the rings were built, before they were meshed (the rules bench).
std::shared_ptr<const RingSet> buildRingSet(const ScenarioSnapshot &snapshot, std::vector<double> km,
                                            const RingSet *reuse = nullptr, unsigned threads = 0,
                                            std::chrono::steady_clock::time_point *built = nullptr);

// A layer loaded at run time (Layers panel, --basemap): any GDAL vector source.
struct LoadedLayer {
    std::shared_ptr<const model::Layer> layer;
    std::shared_ptr<const LayerMesh> mesh;
    std::vector<std::string> warnings;
};
LoadedLayer loadExtraLayer(const std::string &source, model::LayerRole role, const std::string &name);

} // namespace orefront::viewer
