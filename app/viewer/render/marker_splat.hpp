#pragma once
// Dense deposit markers drawn on the CPU into an image the renderer shows as one textured
// quad. When markers are shrunk to a few pixels (MapDocument::markerScaleAt), there can be
// 100k of them on screen, and llvmpipe spends about half a microsecond per point primitive
// however small: 50 ms a redraw. Writing a few pixels per marker here takes a millisecond or
// two. GL-free, tested; any thread.
#include "render/layer_mesh.hpp"

#include <cstdint>
#include <vector>

namespace orefront::viewer {

// Draws each point of `mesh` in view as an opaque disc of diameter sizes[i] * scale pixels
// (radius rounded to a quarter pixel; at least the pixel the point is in) centred on the
// pixel the point is in, in colours[i] (packed RGBA, Rgba::packed()), in order, so a later
// marker covers an earlier one, as on the GPU. `image` becomes camera.width x
// camera.height pixels, bottom row first (GL's order), transparent where there is no marker.
// `clip` (screen pixels, y down, x0/y0 inclusive, x1/y1 exclusive), when given, limits the
// drawing to that rectangle: the strip a pan uncovers. Pixels outside it are left transparent.
struct PixelRect {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
void splatMarkers(const LayerMesh &mesh, const std::vector<std::uint32_t> &colours,
                  const std::vector<float> &sizes, const Camera &camera, float scale,
                  std::vector<std::uint32_t> &image, const PixelRect *clip = nullptr);

} // namespace orefront::viewer
