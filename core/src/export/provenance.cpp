#include "orefront/export/provenance.hpp"
#include "orefront/io/scenario_io.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

#ifndef OREFRONT_VERSION
#error "OREFRONT_VERSION must come from CMake's project(VERSION) (core/CMakeLists.txt)"
#endif

namespace orefront::exporting {

const char *toolVersion() {
    return OREFRONT_VERSION;
}

std::vector<LayerProvenance> layerProvenance(const model::Project &project,
                                             const std::map<std::string, std::string> &typedSources,
                                             const model::Layer *boundaries) {
    std::vector<LayerProvenance> out;
    for (std::size_t i = 0; i < project.layers.size(); ++i) {
        const model::Layer &layer = *project.layers[i];
        const model::LayerSpec *spec =
            i < project.scenario.layers.size() ? &project.scenario.layers[i] : nullptr;
        LayerProvenance p;
        p.id = layer.id;
        p.role = model::roleName(layer.role);
        const auto typed = typedSources.find(layer.id);
        p.source = io::redactSource(typed != typedSources.end() ? typed->second
                                    : spec                      ? spec->source
                                                                : layer.source);
        p.date = spec && spec->date ? spec->date : layer.date;
        p.featureCount = layer.features.size();
        p.crs = layer.sourceCrs;
        if (spec)
            p.attribution = spec->attribution;
        out.push_back(std::move(p));
    }
    if (boundaries && !project.firstOfRole(model::LayerRole::Boundaries)) {
        LayerProvenance p;
        p.id = boundaries->id;
        p.role = model::roleName(model::LayerRole::Boundaries);
        // The bundled file by name: where it is installed says nothing about the data.
        p.source = "bundled: " + std::filesystem::path(boundaries->source).filename().string();
        p.date = boundaries->date;
        p.featureCount = boundaries->features.size();
        p.crs = boundaries->sourceCrs;
        p.attribution = "Natural Earth admin-0 (public domain), de jure";
        out.push_back(std::move(p));
    }
    return out;
}

std::vector<std::string> attributions(const std::vector<LayerProvenance> &layers) {
    std::vector<std::string> out;
    for (const auto &l : layers)
        if (!l.attribution.empty() && std::find(out.begin(), out.end(), l.attribution) == out.end())
            out.push_back(l.attribution);
    return out;
}

} // namespace orefront::exporting
