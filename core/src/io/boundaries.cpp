// The world boundaries layer behind jurisdiction-from-location.
#include "orefront/analysis/country_index.hpp"
#include "orefront/io/scenario_io.hpp"

namespace orefront::io {

std::shared_ptr<const model::Layer> boundariesLayer(const model::Project &project,
                                                    std::vector<std::string> &warnings) {
    for (std::size_t i = 0; i < project.layers.size(); ++i)
        if (project.layers[i]->role == model::LayerRole::Boundaries)
            return project.layers[i];
    model::LayerSpec spec;
    spec.id = "boundaries";
    spec.name = "Natural Earth admin-0 countries, de jure (bundled)";
    spec.role = model::LayerRole::Boundaries;
    spec.source = analysis::bundledBoundariesPath();
    spec.isoField = "iso_a3";
    spec.attribution = "Natural Earth admin-0 (public domain), de jure";
    return std::make_shared<const model::Layer>(loadLayer(spec, "/", warnings));
}

std::vector<rules::DepositFacts> readDepositFacts(const model::Project &project,
                                                  std::vector<std::string> &warnings,
                                                  std::shared_ptr<const model::Layer> *boundariesUsed) {
    const model::Layer *deposits = project.firstOfRole(model::LayerRole::Deposits);
    if (!deposits)
        return {};
    const auto boundaries = boundariesLayer(project, warnings);
    if (boundariesUsed)
        *boundariesUsed = boundaries;
    const model::LayerSpec *spec = project.specOf(model::LayerRole::Boundaries);
    const analysis::CountryIndex countries(*boundaries, spec ? spec->isoField : "iso_a3");
    return rules::readFacts(*deposits, *project.specOf(model::LayerRole::Deposits), project.scenario.cutoffs,
                            &countries, &warnings);
}

} // namespace orefront::io
