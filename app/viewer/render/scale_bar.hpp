#pragma once
// A geodesic scale bar: Web Mercator stretches distances by 1/cos(latitude), so the ground
// length of a pixel depends on where one looks. GL-free; drawn by the overlay.
#include "render/mercator.hpp"

#include <string>

namespace orefront::viewer {

// Ground metres covered by one screen pixel along the parallel at `lat` (WGS84 ellipsoid:
// the parallel's radius is N(lat) cos(lat), N the prime-vertical radius of curvature).
double groundMetresPerPixel(const Camera &camera, double lat);

struct ScaleBar {
    double metres = 0; // a round length: 1, 2 or 5 x 10^k metres
    double pixels = 0; // its length on screen
    std::string label; // "50 km", "500 m"
};

// The longest round length that fits in `maxPixels` at latitude `lat`.
ScaleBar chooseScaleBar(const Camera &camera, double lat, double maxPixels);

} // namespace orefront::viewer
