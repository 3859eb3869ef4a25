#pragma once
// A loaded scenario: the scenario and its layers, parallel to scenario.layers. Layers are
// immutable snapshots; an edit makes a new one.
#include "orefront/analysis/analysis.hpp"
#include "orefront/model/layer.hpp"
#include "orefront/model/scenario.hpp"

#include <memory>
#include <string>
#include <vector>

namespace orefront::model {

struct Project {
    Scenario scenario;
    std::vector<std::shared_ptr<const Layer>> layers; // parallel to scenario.layers
    std::vector<std::string> warnings;                // repaired geometry and the like

    // The first layer with this role, or nullptr.
    const Layer *firstOfRole(LayerRole role) const;
    const LayerSpec *specOf(LayerRole role) const;
    // What measure() needs: deposits, every hostile/front layer, infrastructure.
    analysis::Inputs analysisInputs() const;
};

} // namespace orefront::model
