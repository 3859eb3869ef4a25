#pragma once
// Polygon triangulation for the GPU: ear clipping with holes, z-order hashed so that a
// 200k-vertex boundary takes well under a second (the algorithm of mapbox/earcut, ISC).
// GL-free, reentrant; run it on a worker thread for large layers.
#include <cstdint>
#include <vector>

namespace orefront::viewer {

struct Vec2d {
    double x = 0.0;
    double y = 0.0;
};

// `vertices` holds the rings one after another, each without the closing duplicate:
// the exterior from 0, then each hole from holeStarts[i]. Returns vertex indices, three per
// triangle, all wound the same way. Degenerate or self-intersecting input yields a best
// effort (some area may be missing), never an endless loop.
std::vector<std::uint32_t> triangulate(const std::vector<Vec2d> &vertices,
                                       const std::vector<std::uint32_t> &holeStarts);

} // namespace orefront::viewer
