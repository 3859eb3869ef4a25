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

// Cells [x0, x1) x [y0, y1) of a PointGrid.
struct CellRange {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

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

    int columns() const { return m_nx; }
    int rows() const { return m_ny; }

    // The points in the rectangle [x0, x1] x [y0, y1] of mesh coordinates (relative to the
    // mesh's origin), by cells: whole(CellRange) once with the cells that lie inside it, so
    // that a caller with per-cell sums (CellSums) adds them without looking at their points,
    // and part(i) for each point of the cells the rectangle's edges cross, which the caller
    // tests itself. A full-view count of 100k markers then reads the cells along the view's
    // edges, not every marker.
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
    // The cells inside: cx - kSpare >= fx0 and cx + 1 + kSpare <= fx1 (and likewise in y).
    CellRange in{std::max(cx0, int(std::ceil(fx0 + kSpare))), std::max(cy0, int(std::ceil(fy0 + kSpare))),
                 std::min(cx1 + 1, int(std::floor(fx1 - kSpare))),
                 std::min(cy1 + 1, int(std::floor(fy1 - kSpare)))};
    if (in.x0 >= in.x1 || in.y0 >= in.y1)
        in = {cx0, cy0, cx0, cy0}; // none
    else
        whole(in);
    const auto visitCells = [&](std::size_t row, int from, int to) {
        if (from < to)
            for (std::uint32_t k = m_cellStart[row + std::size_t(from)];
                 k < m_cellStart[row + std::size_t(to)]; ++k)
                part(m_items[k]);
    };
    for (int cy = cy0; cy <= cy1; ++cy) {
        const std::size_t row = std::size_t(cy) * std::size_t(m_nx);
        if (cy >= in.y0 && cy < in.y1) {
            visitCells(row, cx0, in.x0);
            visitCells(row, in.x1, cx1 + 1);
        } else {
            visitCells(row, cx0, cx1 + 1);
        }
    }
}

// Per-cell values of a PointGrid summed over any CellRange in constant time (a summed-area
// table). T: a number, or anything with + and -.
template <class T> class CellSums {
public:
    CellSums() = default;
    // `perCell`: one value per cell, row by row (PointGrid::cellOf's numbering).
    CellSums(const PointGrid &grid, const std::vector<T> &perCell)
        : m_stride(std::size_t(grid.columns()) + 1), m_table(m_stride * (std::size_t(grid.rows()) + 1), T{}) {
        const std::size_t nx = std::size_t(grid.columns()), ny = std::size_t(grid.rows());
        for (std::size_t y = 0; y < ny; ++y) {
            T row{};
            for (std::size_t x = 0; x < nx; ++x) {
                row = row + perCell[y * nx + x];
                m_table[(y + 1) * m_stride + x + 1] = m_table[y * m_stride + x + 1] + row;
            }
        }
    }
    bool empty() const { return m_table.empty(); }
    T sum(const CellRange &r) const {
        const auto at = [&](int x, int y) { return m_table[std::size_t(y) * m_stride + std::size_t(x)]; };
        return at(r.x1, r.y1) - at(r.x0, r.y1) - at(r.x1, r.y0) + at(r.x0, r.y0);
    }

private:
    std::size_t m_stride = 0;
    std::vector<T> m_table; // (rows + 1) x (columns + 1): the sum of the cells below and left
};

// The marker of `mesh` under screen point (sx, sy), as an index into mesh.points, or -1:
// of the markers within their radius (+2 px) of the point, the nearest, unless one drawn
// over it (later) is hardly further (2 px). `diameters` is parallel to mesh.points, in
// pixels at scale 1. Looks only at the markers `grid` (built on `mesh`) finds near the point.
int pickMarker(const LayerMesh &mesh, const PointGrid &grid, const std::vector<float> &diameters,
               const Camera &camera, double sx, double sy, float sizeScale);

} // namespace orefront::viewer
