#include "map_scene.hpp"

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
    const std::string source = basemapSource(basemap);
    if (source.empty()) {
        std::cerr << "orefront " << command << ": warning: " << kNoBasemapNote
                  << "; run `make deps` or pass --basemap\n";
        return kNoBasemapNote;
    }
    doc.addLayer(basemapLayer(loadExtraLayer(source, model::LayerRole::Basemap, "Basemap")));
    return basemap.empty() ? "Borders: Natural Earth" : "Basemap: " + basemap;
}

} // namespace orefront::viewer
