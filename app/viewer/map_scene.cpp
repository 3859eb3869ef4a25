#include "map_scene.hpp"

#include "orefront/io/annotation_store.hpp"
#include "orefront/rules/what_if.hpp"

#include <filesystem>
#include <iostream>

namespace orefront::viewer {

std::string basemapSource(const std::string &user) {
    if (!user.empty())
        return user;
    if (std::filesystem::exists(OREFRONT_BASEMAP_DEFAULT))
        return std::string(OREFRONT_BASEMAP_DEFAULT) + "|layername=countries";
    return {};
}

MapLayer basemapLayer(const LoadedLayer &loaded) {
    MapLayer l;
    l.id = "basemap";
    l.name = "Borders and coastlines";
    l.role = model::LayerRole::Basemap;
    l.layer = loaded.layer;
    l.mesh = loaded.mesh;
    l.colour = palette::kBorder;
    return l;
}

void showScenario(MapDocument &doc, std::shared_ptr<const ScenarioSnapshot> snapshot,
                  std::shared_ptr<const RingSet> rings, std::optional<MapDocument::RuleResult> initial) {
    doc.setScenario(std::move(snapshot), std::move(initial));
    doc.setRings(std::move(rings));
}

std::string loadMapScene(MapDocument &doc, const std::string &scenarioPath, const std::string &basemap,
                         const char *command) {
    auto snap = loadScenarioSnapshot(scenarioPath, 0);
    auto rings = buildRingSet(*snap, snap->project->scenario.thresholds.ringsKm);
    showScenario(doc, snap, rings);
    Basemap b = loadBasemap(basemap, command);
    if (b.layer)
        doc.addLayer(std::move(*b.layer));
    return b.note;
}

Basemap loadBasemap(const std::string &basemap, const char *command) {
    const std::string source = basemapSource(basemap);
    if (source.empty()) {
        std::cerr << "orefront " << command << ": warning: " << kNoBasemapNote
                  << "; run `make deps` or pass --basemap\n";
        return {std::nullopt, kNoBasemapNote};
    }
    const LoadedLayer loaded = loadExtraLayer(source, model::LayerRole::Basemap, "Basemap");
    for (const auto &w : loaded.warnings)
        std::cerr << "orefront " << command << ": warning: " << w << "\n";
    return {basemapLayer(loaded), basemap.empty() ? "Borders: Natural Earth" : "Basemap: " + basemap};
}

model::AnnotationSet loadScenarioAnnotations(const std::string &scenarioPath, const std::string &declared) {
    const std::string source = io::defaultAnnotationStore(scenarioPath, declared);
    if (source.rfind("PG:", 0) != 0 && !std::filesystem::exists(source))
        return {};
    return io::openAnnotationStore(source, false)->load();
}

rules::WhatIf applyHostileMarkings(MapDocument &doc, const model::AnnotationSet &set) {
    const auto base = doc.snapshotPtr();
    const model::Project &project = *base->project;
    rules::WhatIf w = rules::evaluateWithAnnotations(project.scenario, base->facts, project.analysisInputs(),
                                                     set, base->measurements, doc.report(), false);
    if (w.marked.empty())
        return w;
    std::vector<model::Annotation> marked;
    for (const std::int64_t id : w.marked)
        if (const model::Annotation *a = set.find(id))
            marked.push_back(*a);
    // Measured once: the what-if's measurements are those of the edited snapshot.
    const auto edited = withHostileAnnotations(*base, marked, 0, &w.measurements);
    MapDocument::RuleResult result{w.report, MapDocument::markerColoursFor(*edited, w.report)};
    showScenario(doc, edited, buildRingSet(*edited, project.scenario.thresholds.ringsKm), std::move(result));
    return w;
}

void showAnimationFrame(MapDocument &doc, const MapLayer *basemap, const ScenarioSnapshot &snapshot,
                        const model::Date &date, std::shared_ptr<const RingSet> rings,
                        std::optional<MapDocument::RuleResult> rules) {
    auto project = std::make_shared<model::Project>(*snapshot.project);
    project->scenario.date = date.iso();
    auto shown = std::make_shared<ScenarioSnapshot>(snapshot);
    shown->project = std::move(project);
    if (basemap)
        doc.addLayer(*basemap);
    showScenario(doc, std::move(shown), std::move(rings), std::move(rules));
}

} // namespace orefront::viewer
