#include "orefront/model/project.hpp"

namespace orefront::model {

const Layer *Project::firstOfRole(LayerRole role) const {
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (scenario.layers[i].role == role && layers[i])
            return layers[i].get();
    return nullptr;
}

const LayerSpec *Project::specOf(LayerRole role) const {
    for (const auto &spec : scenario.layers)
        if (spec.role == role)
            return &spec;
    return nullptr;
}

analysis::Inputs Project::analysisInputs() const {
    analysis::Inputs in;
    in.deposits = firstOfRole(LayerRole::Deposits);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto role = scenario.layers[i].role;
        if ((role == LayerRole::Hostile || role == LayerRole::Front) && layers[i])
            in.hostile.push_back({layers[i].get(), &scenario.layers[i]});
    }
    in.ports = firstOfRole(LayerRole::Ports);
    in.rail = firstOfRole(LayerRole::Rail);
    in.power = firstOfRole(LayerRole::Power);
    in.portsSpec = in.ports ? specOf(LayerRole::Ports) : nullptr;
    in.railSpec = in.rail ? specOf(LayerRole::Rail) : nullptr;
    in.powerSpec = in.power ? specOf(LayerRole::Power) : nullptr;
    in.lineOfContactKm = scenario.thresholds.lineOfContactKm;
    return in;
}

} // namespace orefront::model
