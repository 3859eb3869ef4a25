#include "render/layer_mesh.hpp"

#include "orefront/model/antimeridian.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace orefront::viewer {

namespace {

// Squared distance from p to the segment a-b.
double segmentDistance2(Vec2d p, Vec2d a, Vec2d b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
    t = std::clamp(t, 0.0, 1.0);
    const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

// Marks the points of path[first..last] that Douglas-Peucker keeps (the ends are marked by
// the caller). Iterative: a 200k-vertex line would overflow a recursive stack.
void markKept(const std::vector<Vec2d> &path, std::size_t first, std::size_t last, double tolerance2,
              std::vector<char> &keep) {
    std::vector<std::pair<std::size_t, std::size_t>> stack{{first, last}};
    while (!stack.empty()) {
        const auto [a, b] = stack.back();
        stack.pop_back();
        double worst = tolerance2;
        std::size_t index = 0;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d2 = segmentDistance2(path[i], path[a], path[b]);
            if (d2 > worst) {
                worst = d2;
                index = i;
            }
        }
        if (index) {
            keep[index] = 1;
            stack.emplace_back(a, index);
            stack.emplace_back(index, b);
        }
    }
}

// Triangles or segments per chunk: small enough to cull a world basemap to the theatre,
// large enough that the chunk list stays short.
constexpr std::uint32_t kChunkPrimitives = 512;

// Chunks of `perPrimitive` indices each, bounded by the positions `at` returns.
template <class Position>
std::vector<LayerMesh::Chunk> chunksOf(const std::vector<std::uint32_t> &indices, std::uint32_t perPrimitive,
                                       Position at) {
    std::vector<LayerMesh::Chunk> chunks;
    const std::uint32_t step = kChunkPrimitives * perPrimitive;
    for (std::uint32_t first = 0; first < indices.size(); first += step) {
        LayerMesh::Chunk c;
        c.first = first;
        c.count = std::min<std::uint32_t>(step, std::uint32_t(indices.size()) - first);
        c.min = c.max = at(indices[first]);
        for (std::uint32_t i = first; i < first + c.count; ++i) {
            const Vec2f p = at(indices[i]);
            c.min = {std::min(c.min.x, p.x), std::min(c.min.y, p.y)};
            c.max = {std::max(c.max.x, p.x), std::max(c.max.y, p.y)};
        }
        chunks.push_back(c);
    }
    return chunks;
}

// Coarser levels stop here: at 64 km a level is for a whole-world view.
constexpr double kFirstLevelM = 4.0;
constexpr double kLastLevelM = 65536.0;

} // namespace

std::vector<Vec2d> simplifyPath(const std::vector<Vec2d> &path, double tolerance) {
    if (path.size() < 3 || !(tolerance > 0))
        return path;
    const std::size_t last = path.size() - 1;
    std::vector<char> keep(path.size(), 0);
    keep[0] = keep[last] = 1;
    const double tolerance2 = tolerance * tolerance;
    const bool closed = path[0].x == path[last].x && path[0].y == path[last].y;
    if (closed) {
        // Both ends are the same point: split the ring at its point furthest from them.
        std::size_t far = 0;
        double best = -1;
        for (std::size_t i = 1; i < last; ++i) {
            const double d2 = segmentDistance2(path[i], path[0], path[0]);
            if (d2 > best) {
                best = d2;
                far = i;
            }
        }
        keep[far] = 1;
        markKept(path, 0, far, tolerance2, keep);
        markKept(path, far, last, tolerance2, keep);
    } else {
        markKept(path, 0, last, tolerance2, keep);
    }
    std::vector<Vec2d> out;
    for (std::size_t i = 0; i < path.size(); ++i)
        if (keep[i])
            out.push_back(path[i]);
    return out;
}

const std::shared_ptr<const LayerMesh> &meshForResolution(const std::shared_ptr<const LayerMesh> &mesh,
                                                          double metresPerPixel) {
    const std::shared_ptr<const LayerMesh> *best = &mesh;
    for (const auto &level : mesh->levels)
        if (level.toleranceM <= 0.5 * metresPerPixel)
            best = &level.mesh;
    return *best;
}

MeshBuilder::MeshBuilder(MercPoint origin) {
    m_mesh.origin = origin;
}

Vec2d MeshBuilder::local(model::LonLat p) const {
    const MercPoint m = toMercator(p);
    return {m.x - m_mesh.origin.x, m.y - m_mesh.origin.y};
}

void MeshBuilder::addPolygon(const model::Polygon &polygon, bool fill, bool outline) {
    if (polygon.rings.empty())
        return;
    // Cut at the antimeridian: an edge from +179.9 to -180 would span the whole map.
    for (const auto &part : model::splitPolygonAtAntimeridian(polygon))
        addPolygonPart(part, fill, outline);
}

void MeshBuilder::addPolygonPart(const model::Polygon &polygon, bool fill, bool outline) {
    if (polygon.rings.empty())
        return;
    // Each ring in double Mercator metres relative to the origin, simplified, closed.
    std::vector<std::vector<Vec2d>> rings;
    for (const auto &ring : polygon.rings) {
        std::vector<Vec2d> local;
        local.reserve(ring.size() + 1);
        for (const auto &p : ring) {
            m_mesh.bounds.expand(p);
            local.push_back(this->local(p));
        }
        if (!local.empty() && (local.front().x != local.back().x || local.front().y != local.back().y))
            local.push_back(local.front());
        rings.push_back(simplifyPath(local, m_tolerance));
    }
    if (fill) {
        // Triangulate in doubles, then store floats.
        std::vector<Vec2d> verts;
        std::vector<std::uint32_t> holes;
        for (std::size_t r = 0; r < rings.size(); ++r) {
            const auto &ring = rings[r];
            const std::size_t n = ring.empty() ? 0 : ring.size() - 1; // without the closing duplicate
            if (n < 3) {
                if (r == 0)
                    break; // a degenerate exterior: nothing to fill
                continue;
            }
            if (r > 0)
                holes.push_back(std::uint32_t(verts.size()));
            verts.insert(verts.end(), ring.begin(), ring.begin() + long(n));
        }
        const auto tris = triangulate(verts, holes);
        const auto base = std::uint32_t(m_mesh.fillVertices.size());
        for (const auto &v : verts)
            m_mesh.fillVertices.push_back({float(v.x), float(v.y)});
        for (auto i : tris)
            m_mesh.fillIndices.push_back(base + i);
    }
    if (outline) {
        for (const auto &ring : rings)
            if (ring.size() >= 4 || m_tolerance <= 0)
                addLocalPath(ring, true);
    }
}

void MeshBuilder::addLine(const model::Path &path) {
    for (const auto &piece : model::splitPathAtAntimeridian(path)) {
        std::vector<Vec2d> local;
        local.reserve(piece.size());
        for (const auto &p : piece) {
            m_mesh.bounds.expand(p);
            local.push_back(this->local(p));
        }
        addLocalPath(simplifyPath(local, m_tolerance));
    }
}

void MeshBuilder::addLocalPath(const std::vector<Vec2d> &path, bool skipCuts) {
    // The antimeridian in local Mercator metres: a polygon's edge along it is a cut.
    const double edgeX = kMercatorRadius * std::numbers::pi;
    auto onEdge = [&](Vec2d p) { return std::abs(std::abs(p.x + m_mesh.origin.x) - edgeX) < 1e-3; };
    for (std::size_t i = 1; i < path.size(); ++i) {
        const Vec2f a{float(path[i - 1].x), float(path[i - 1].y)};
        const Vec2f b{float(path[i].x), float(path[i].y)};
        if (a.x == b.x && a.y == b.y)
            continue;
        if (skipCuts && onEdge(path[i - 1]) && onEdge(path[i]))
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
    const Vec2d v = local(p);
    m_mesh.points.push_back({float(v.x), float(v.y)});
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
    m_mesh.fillChunks =
        chunksOf(m_mesh.fillIndices, 3, [&](std::uint32_t i) { return m_mesh.fillVertices[i]; });
    // A segment's four vertices hold both its ends.
    m_mesh.lineChunks =
        chunksOf(m_mesh.lineIndices, 6, [&](std::uint32_t i) { return m_mesh.lineVertices[i].pos; });
    return std::move(m_mesh);
}

void visibleRuns(const std::vector<LayerMesh::Chunk> &chunks, Vec2f centre, float halfW, float halfH,
                 std::vector<std::pair<std::uint32_t, std::uint32_t>> &runs) {
    runs.clear();
    for (const auto &c : chunks) {
        if (c.max.x < centre.x - halfW || c.min.x > centre.x + halfW || c.max.y < centre.y - halfH ||
            c.min.y > centre.y + halfH)
            continue;
        if (!runs.empty() && runs.back().first + runs.back().second == c.first)
            runs.back().second += c.count;
        else
            runs.emplace_back(c.first, c.count);
    }
}

LayerMesh buildMeshWithLevels(MercPoint origin, const std::function<void(MeshBuilder &)> &add) {
    MeshBuilder full(origin);
    add(full);
    LayerMesh mesh = full.finish();
    const auto shapeVertices = [](const LayerMesh &m) {
        return m.fillVertices.size() + m.lineVertices.size();
    };
    std::size_t kept = shapeVertices(mesh);
    for (double tolerance = kFirstLevelM; tolerance <= kLastLevelM && kept > 0; tolerance *= 4) {
        MeshBuilder builder(origin);
        builder.setTolerance(tolerance);
        add(builder);
        LayerMesh level = builder.finish();
        const std::size_t n = shapeVertices(level);
        if (3 * n > 2 * kept)
            continue; // saves too little to be worth its memory
        level.points.clear();
        level.pointFeature.clear();
        kept = n;
        mesh.levels.push_back({tolerance, std::make_shared<const LayerMesh>(std::move(level))});
    }
    return mesh;
}

LayerMesh buildLayerMesh(const model::Layer &layer, bool fill, bool outline) {
    model::BBox bounds = layer.bounds;
    if (bounds.empty())
        for (const auto &f : layer.features)
            bounds.expand(f.geometry.bounds());
    return buildMeshWithLevels(
        bounds.empty() ? MercPoint{} : toMercator(bounds.center()), [&](MeshBuilder &b) {
            for (std::size_t i = 0; i < layer.features.size(); ++i)
                b.addGeometry(layer.features[i].geometry, std::uint32_t(i), fill, outline);
        });
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
