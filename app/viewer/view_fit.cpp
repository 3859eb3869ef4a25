#include "view_fit.hpp"

namespace orefront::viewer {

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

} // namespace orefront::viewer
