#pragma once
// A uniform grid over a mesh's marker centres, so that hover picking looks at the markers
// near the cursor instead of scanning all of them every time the mouse moves. GL-free and
// immutable once built: a worker builds it with the deposits mesh, the UI thread queries it.
#include "render/layer_mesh.hpp"
#include "render/style.hpp"

#include <cstdint>
#include <vector>

namespace orefront::viewer {

class PointGrid {
public:
    PointGrid() = default;
    // Indexes `mesh.points` (relative to `mesh.origin`), about two points per cell.
    explicit PointGrid(const LayerMesh &mesh);

    // Replaces `out` with the indices into mesh.points of every point in the square of half
    // side `radius` metres around `centre` (and perhaps a few more: callers test the exact
    // distance), in ascending order, which is the order the markers are drawn in.
    void query(MercPoint centre, double radius, std::vector<std::uint32_t> &out) const;
    std::size_t cellCount() const { return std::size_t(m_nx) * std::size_t(m_ny); }

private:
    MercPoint m_min; // absolute Mercator metres
    double m_cell = 1.0;
    int m_nx = 0, m_ny = 0;
    std::vector<std::uint32_t> m_cellStart; // m_nx * m_ny + 1 offsets into m_items
    std::vector<std::uint32_t> m_items;     // point indices, cell by cell, ascending in a cell
};

// The marker of `mesh` under screen point (sx, sy), as an index into mesh.points, or -1:
// of the markers within their radius (+2 px) of the point, the nearest, unless one drawn
// over it (later) is hardly further (2 px). `diameters` is parallel to mesh.points, in
// pixels at scale 1. Looks only at the markers `grid` (built on `mesh`) finds near the point.
int pickMarker(const LayerMesh &mesh, const PointGrid &grid, const std::vector<float> &diameters,
               const Camera &camera, double sx, double sy, float sizeScale);

} // namespace orefront::viewer
