#pragma once
// Private: the hostile layers sorted into what the analysis needs.
#include "orefront/analysis/analysis.hpp"

#include <vector>

namespace orefront::analysis::detail {

struct ControlGeometry {
    std::vector<const model::Polygon *> hostile;   // occupied territory
    std::vector<const model::Polygon *> contested; // grey zones
    std::vector<const model::Path *> firingPaths;  // where ranges are measured from
    std::vector<model::LonLat> firingPoints;
};

// A geometry's points and its line and ring vertices, with geodesic midpoints added so that
// consecutive samples are no farther apart than `stepM`.
std::vector<model::LonLat> boundarySamples(const model::Geometry &g, double stepM);

// Throws InputError when a layer's status_field does not exist.
ControlGeometry sortControl(const std::vector<HostileInput> &inputs);

} // namespace orefront::analysis::detail
