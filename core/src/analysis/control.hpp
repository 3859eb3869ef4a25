#pragma once
// Private: the hostile layers sorted into what the analysis needs.
#include "orefront/analysis/analysis.hpp"

#include <vector>

namespace orefront::analysis::detail {

struct ControlGeometry {
    std::vector<const model::Polygon*> hostile;   // occupied territory
    std::vector<const model::Polygon*> contested; // grey zones
    std::vector<const model::Path*> firingPaths;  // where ranges are measured from
    std::vector<model::LonLat> firingPoints;
};

// Throws InputError when a layer's status_field does not exist.
ControlGeometry sortControl(const std::vector<HostileInput>& inputs);

} // namespace orefront::analysis::detail
