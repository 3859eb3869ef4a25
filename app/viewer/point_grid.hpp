#pragma once
// A uniform grid over a mesh's marker centres, so that hover picking looks at the markers
// near the cursor instead of scanning all of them every time the mouse moves. GL-free and
// immutable once built: a worker builds it with the deposits mesh, the UI thread queries it.
#include "render/layer_mesh.hpp"
#include "render/style.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
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
    // The cell point `i` of the mesh the grid was built on lies in (for per-cell sums).
    std::size_t cellOf(Vec2f p) const;

    // The points in the rectangle [x0, x1] x [y0, y1] of mesh coordinates (relative to the
    // mesh's origin), by cells: whole(cell) for each cell that lies inside it, so that a
    // caller with per-cell sums adds them without looking at the cell's points, and part(i)
    // for each point of the cells the rectangle's edges cross, which the caller tests
    // itself. A full-view count of 100k markers then reads the few hundred cells along the
    // view's edges, not every marker.
    template <class Whole, class Part>
    void visitRect(double x0, double y0, double x1, double y1, Whole &&whole, Part &&part) const;

private:
    double m_minX = 0, m_minY = 0; // the grid's corner in mesh coordinates
    MercPoint m_min;               // absolute Mercator metres
    double m_cell = 1.0;
    int m_nx = 0, m_ny = 0;
    std::vector<std::uint32_t> m_cellStart; // m_nx * m_ny + 1 offsets into m_items
    std::vector<std::uint32_t> m_items;     // point indices, cell by cell, ascending in a cell
};

template <class Whole, class Part>
void PointGrid::visitRect(double x0, double y0, double x1, double y1, Whole &&whole, Part &&part) const {
    if (m_items.empty() || !(x0 <= x1) || !(y0 <= y1))
        return;
    const double fx0 = (x0 - m_minX) / m_cell, fx1 = (x1 - m_minX) / m_cell;
    const double fy0 = (y0 - m_minY) / m_cell, fy1 = (y1 - m_minY) / m_cell;
    if (fx1 < -1 || fy1 < -1 || fx0 >= m_nx + 1 || fy0 >= m_ny + 1)
        return;
    // A point may sit a rounding error outside its cell: a cell counts as inside only with
    // room to spare, and is otherwise visited point by point.
    constexpr double kSpare = 1e-6; // of a cell
    auto clampCell = [](double v, int n) { return int(std::clamp(std::floor(v), 0.0, double(n - 1))); };
    const int cx0 = clampCell(fx0, m_nx), cx1 = clampCell(fx1, m_nx);
    const int cy0 = clampCell(fy0, m_ny), cy1 = clampCell(fy1, m_ny);
    for (int cy = cy0; cy <= cy1; ++cy) {
        const bool rowInside = cy - kSpare >= fy0 && cy + 1 + kSpare <= fy1;
        const std::size_t row = std::size_t(cy) * std::size_t(m_nx);
        for (int cx = cx0; cx <= cx1; ++cx) {
            const std::size_t c = row + std::size_t(cx);
            if (rowInside && cx - kSpare >= fx0 && cx + 1 + kSpare <= fx1) {
                whole(c);
                continue;
            }
            for (std::uint32_t k = m_cellStart[c]; k < m_cellStart[c + 1]; ++k)
                part(m_items[k]);
        }
    }
}

// The marker of `mesh` under screen point (sx, sy), as an index into mesh.points, or -1:
// of the markers within their radius (+2 px) of the point, the nearest, unless one drawn
// over it (later) is hardly further (2 px). `diameters` is parallel to mesh.points, in
// pixels at scale 1. Looks only at the markers `grid` (built on `mesh`) finds near the point.
int pickMarker(const LayerMesh &mesh, const PointGrid &grid, const std::vector<float> &diameters,
               const Camera &camera, double sx, double sy, float sizeScale);

} // namespace orefront::viewer
