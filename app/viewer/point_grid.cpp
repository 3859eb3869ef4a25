#include "point_grid.hpp"

#include <algorithm>
#include <cmath>

namespace orefront::viewer {

PointGrid::PointGrid(const LayerMesh &mesh) {
    const std::size_t n = mesh.points.size();
    if (n == 0)
        return;
    double minX = mesh.points[0].x, minY = mesh.points[0].y, maxX = minX, maxY = minY;
    for (const auto &p : mesh.points) {
        minX = std::min(minX, double(p.x));
        minY = std::min(minY, double(p.y));
        maxX = std::max(maxX, double(p.x));
        maxY = std::max(maxY, double(p.y));
    }
    const double w = maxX - minX, h = maxY - minY;
    const double cells = std::max(1.0, double(n) / 2.0);
    m_cell = std::max({std::sqrt(w * h / cells), std::max(w, h) / cells, 1.0});
    m_nx = int(w / m_cell) + 1;
    m_ny = int(h / m_cell) + 1;
    m_min = {mesh.origin.x + minX, mesh.origin.y + minY};
    m_minX = minX;
    m_minY = minY;

    // Counting sort by cell: points keep their ascending order inside each cell.
    m_cellStart.assign(cellCount() + 1, 0);
    for (const auto &p : mesh.points)
        ++m_cellStart[cellOf(p) + 1];
    for (std::size_t c = 1; c < m_cellStart.size(); ++c)
        m_cellStart[c] += m_cellStart[c - 1];
    m_items.resize(n);
    std::vector<std::uint32_t> fill(m_cellStart.begin(), m_cellStart.end() - 1);
    for (std::uint32_t i = 0; i < n; ++i)
        m_items[fill[cellOf(mesh.points[i])]++] = i;
}

std::size_t PointGrid::cellOf(Vec2f p) const {
    const int cx = std::clamp(int((p.x - m_minX) / m_cell), 0, m_nx - 1);
    const int cy = std::clamp(int((p.y - m_minY) / m_cell), 0, m_ny - 1);
    return std::size_t(cy) * std::size_t(m_nx) + std::size_t(cx);
}

void PointGrid::query(MercPoint centre, double radius, std::vector<std::uint32_t> &out) const {
    out.clear();
    if (m_items.empty())
        return;
    auto clampCell = [](double v, int n) { return std::clamp(int(std::floor(v)), 0, n - 1); };
    const double x0 = (centre.x - radius - m_min.x) / m_cell, x1 = (centre.x + radius - m_min.x) / m_cell;
    const double y0 = (centre.y - radius - m_min.y) / m_cell, y1 = (centre.y + radius - m_min.y) / m_cell;
    if (x1 < 0 || y1 < 0 || x0 >= m_nx || y0 >= m_ny)
        return;
    const int cx0 = clampCell(x0, m_nx), cx1 = clampCell(x1, m_nx);
    const int cy0 = clampCell(y0, m_ny), cy1 = clampCell(y1, m_ny);
    for (int cy = cy0; cy <= cy1; ++cy) {
        const std::size_t row = std::size_t(cy) * std::size_t(m_nx);
        out.insert(out.end(), m_items.begin() + m_cellStart[row + std::size_t(cx0)],
                   m_items.begin() + m_cellStart[row + std::size_t(cx1) + 1]);
    }
    std::sort(out.begin(), out.end());
}

int pickMarker(const LayerMesh &mesh, const PointGrid &grid, const std::vector<float> &diameters,
               const Camera &camera, double sx, double sy, float sizeScale) {
    const double reachPx = kMaxMarkerPx * sizeScale * 0.5 + 2.0;
    thread_local std::vector<std::uint32_t> near;
    grid.query(camera.screenToMercator(sx, sy), reachPx * camera.metresPerPixel, near);
    int best = -1;
    double bestD2 = 0;
    // In draw order, so that of two markers about as near, the one on top wins.
    for (const std::uint32_t i : near) {
        double px, py;
        camera.mercatorToScreen({mesh.origin.x + mesh.points[i].x, mesh.origin.y + mesh.points[i].y}, px, py);
        const double r = diameters[i] * sizeScale * 0.5 + 2.0;
        const double d2 = (px - sx) * (px - sx) + (py - sy) * (py - sy);
        if (d2 <= r * r && (best < 0 || d2 <= bestD2 + 4.0)) {
            best = int(i);
            bestD2 = d2;
        }
    }
    return best;
}

} // namespace orefront::viewer
