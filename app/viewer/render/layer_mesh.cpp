#include "render/layer_mesh.hpp"

#include <cmath>

namespace orefront::viewer {

MeshBuilder::MeshBuilder(MercPoint origin) {
    m_mesh.origin = origin;
}

Vec2f MeshBuilder::local(model::LonLat p) const {
    const MercPoint m = toMercator(p);
    return {float(m.x - m_mesh.origin.x), float(m.y - m_mesh.origin.y)};
}

void MeshBuilder::addPolygon(const model::Polygon &polygon, bool fill, bool outline) {
    if (polygon.rings.empty())
        return;
    for (const auto &ring : polygon.rings)
        for (const auto &p : ring)
            m_mesh.bounds.expand(p);
    if (fill) {
        // Triangulate in double Mercator metres relative to the origin, then store floats.
        std::vector<Vec2d> verts;
        std::vector<std::uint32_t> holes;
        for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
            const auto &ring = polygon.rings[r];
            std::size_t n = ring.size();
            if (n > 1 && ring.front() == ring.back())
                --n; // drop the closing duplicate
            if (n < 3) {
                if (r == 0)
                    break; // a degenerate exterior: nothing to fill
                continue;
            }
            if (r > 0)
                holes.push_back(std::uint32_t(verts.size()));
            for (std::size_t i = 0; i < n; ++i) {
                const MercPoint m = toMercator(ring[i]);
                verts.push_back({m.x - m_mesh.origin.x, m.y - m_mesh.origin.y});
            }
        }
        const auto tris = triangulate(verts, holes);
        const auto base = std::uint32_t(m_mesh.fillVertices.size());
        for (const auto &v : verts)
            m_mesh.fillVertices.push_back({float(v.x), float(v.y)});
        for (auto i : tris)
            m_mesh.fillIndices.push_back(base + i);
    }
    if (outline) {
        for (const auto &ring : polygon.rings)
            addLine(ring);
    }
}

void MeshBuilder::addLine(const model::Path &path) {
    for (const auto &p : path)
        m_mesh.bounds.expand(p);
    for (std::size_t i = 1; i < path.size(); ++i) {
        const Vec2f a = local(path[i - 1]);
        const Vec2f b = local(path[i]);
        if (a.x == b.x && a.y == b.y)
            continue;
        const auto base = std::uint32_t(m_mesh.lineVertices.size());
        m_mesh.lineVertices.push_back({a, b, +1.0f});
        m_mesh.lineVertices.push_back({a, b, -1.0f});
        m_mesh.lineVertices.push_back({b, a, -1.0f});
        m_mesh.lineVertices.push_back({b, a, +1.0f});
        m_mesh.lineIndices.insert(m_mesh.lineIndices.end(),
                                  {base, base + 1, base + 2, base + 1, base + 3, base + 2});
    }
}

void MeshBuilder::addPoint(model::LonLat p, std::uint32_t feature) {
    m_mesh.bounds.expand(p);
    m_mesh.points.push_back(local(p));
    m_mesh.pointFeature.push_back(feature);
}

void MeshBuilder::addGeometry(const model::Geometry &g, std::uint32_t feature, bool fill, bool outline) {
    for (const auto &p : g.points)
        addPoint(p, feature);
    for (const auto &l : g.lines)
        addLine(l);
    for (const auto &poly : g.polygons)
        addPolygon(poly, fill, outline);
}

LayerMesh MeshBuilder::finish() {
    return std::move(m_mesh);
}

LayerMesh buildLayerMesh(const model::Layer &layer, bool fill, bool outline) {
    model::BBox bounds = layer.bounds;
    if (bounds.empty())
        for (const auto &f : layer.features)
            bounds.expand(f.geometry.bounds());
    MeshBuilder builder(bounds.empty() ? MercPoint{} : toMercator(bounds.center()));
    for (std::size_t i = 0; i < layer.features.size(); ++i)
        builder.addGeometry(layer.features[i].geometry, std::uint32_t(i), fill, outline);
    return builder.finish();
}

Vec2d expandLineVertex(Vec2d posPx, Vec2d otherPx, float side, float widthPx) {
    double dx = otherPx.x - posPx.x, dy = otherPx.y - posPx.y;
    const double len = std::hypot(dx, dy);
    if (len > 0) {
        dx /= len;
        dy /= len;
    }
    const double half = widthPx * 0.5;
    const double nx = -dy, ny = dx;
    return {posPx.x + nx * side * half - dx * half, posPx.y + ny * side * half - dy * half};
}

double meshArea(const std::vector<Vec2f> &v, const std::vector<std::uint32_t> &idx) {
    double sum = 0;
    for (std::size_t i = 0; i + 2 < idx.size(); i += 3) {
        const Vec2f a = v[idx[i]], b = v[idx[i + 1]], c = v[idx[i + 2]];
        sum +=
            std::abs((double(b.x) - a.x) * (double(c.y) - a.y) - (double(c.x) - a.x) * (double(b.y) - a.y)) /
            2;
    }
    return sum;
}

} // namespace orefront::viewer
