#pragma once
// Graticule lines for the visible area, at a step that keeps about 4-10 lines on screen.
// GL-free; rebuilt when the view changes (a few thousand vertices).
#include "render/layer_mesh.hpp"

#include <string>

namespace orefront::viewer {

double graticuleStep(const Camera &camera); // degrees
LayerMesh buildGraticule(const Camera &camera);
std::string formatLon(double lon, double step);
std::string formatLat(double lat, double step);

} // namespace orefront::viewer
