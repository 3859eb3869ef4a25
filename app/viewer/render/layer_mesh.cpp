#include "render/layer_mesh.hpp"

#include "orefront/model/antimeridian.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
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

// Douglas-Peucker's splits of path[first..last], all of them: each split point gets the
// squared distance at which it stops being kept. DP at tolerance t splits a span when its
// farthest point lies further than t, and the farthest point does not depend on t, so a point
// is kept at t when every split on the way to it was further than t: its rank is the smallest
// of those distances. Points never split (collinear spans) keep rank 0. Iterative: a
// 200k-vertex line would overflow a recursive stack.
void rankSplits(const std::vector<Vec2d> &path, std::size_t first, std::size_t last,
                std::vector<double> &rank) {
    struct Span {
        std::size_t a, b;
        double bound; // the smallest split distance on the way here
    };
    std::vector<Span> stack{{first, last, std::numeric_limits<double>::infinity()}};
    while (!stack.empty()) {
        const Span s = stack.back();
        stack.pop_back();
        double worst = 0;
        std::size_t index = 0;
        for (std::size_t i = s.a + 1; i < s.b; ++i) {
            const double d2 = segmentDistance2(path[i], path[s.a], path[s.b]);
            if (d2 > worst) {
                worst = d2;
                index = i;
            }
        }
        if (index) {
            const double r = std::min(s.bound, worst);
            rank[index] = r;
            stack.push_back({s.a, index, r});
            stack.push_back({index, s.b, r});
        }
    }
}

// The points of `path` whose rank (simplificationRanks) is above `tolerance`.
std::vector<Vec2d> keptPoints(const std::vector<Vec2d> &path, const std::vector<double> &rank,
                              double tolerance) {
    const double tolerance2 = tolerance * tolerance;
    std::vector<Vec2d> out;
    for (std::size_t i = 0; i < path.size(); ++i)
        if (rank[i] > tolerance2)
            out.push_back(path[i]);
    return out;
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

std::vector<double> simplificationRanks(const std::vector<Vec2d> &path) {
    std::vector<double> rank(path.size(), 0.0);
    constexpr double kAlways = std::numeric_limits<double>::infinity();
    if (path.size() < 3) {
        std::fill(rank.begin(), rank.end(), kAlways);
        return rank;
    }
    const std::size_t last = path.size() - 1;
    rank[0] = rank[last] = kAlways;
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
        rank[far] = kAlways;
        rankSplits(path, 0, far, rank);
        rankSplits(path, far, last, rank);
    } else {
        rankSplits(path, 0, last, rank);
    }
    return rank;
}

std::vector<Vec2d> simplifyPath(const std::vector<Vec2d> &path, double tolerance) {
    if (path.size() < 3 || !(tolerance > 0))
        return path;
    return keptPoints(path, simplificationRanks(path), tolerance);
}

const std::shared_ptr<const LayerMesh> &meshForResolution(const std::shared_ptr<const LayerMesh> &mesh,
                                                          double metresPerPixel) {
    const std::shared_ptr<const LayerMesh> *best = &mesh;
    for (const auto &level : mesh->levels)
        if (level.toleranceM <= metresPerPixel)
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
        rings.push_back(simplified(local));
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

std::vector<Vec2d> MeshBuilder::simplified(const std::vector<Vec2d> &path) {
    if (!m_ranks)
        return simplifyPath(path, m_tolerance);
    // The ranks of the n-th path this builder meets, from the first builder that met it.
    const std::size_t n = m_nextPath++;
    if (n >= m_ranks->size())
        m_ranks->resize(n + 1);
    std::vector<double> &rank = (*m_ranks)[n];
    if (rank.size() != path.size())
        rank = simplificationRanks(path);
    if (!(m_tolerance > 0))
        return path;
    return keptPoints(path, rank, m_tolerance);
}

void MeshBuilder::addLine(const model::Path &path) {
    for (const auto &piece : model::splitPathAtAntimeridian(path)) {
        std::vector<Vec2d> local;
        local.reserve(piece.size());
        for (const auto &p : piece) {
            m_mesh.bounds.expand(p);
            local.push_back(this->local(p));
        }
        addLocalPath(simplified(local));
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
    // Every path is split once, here; each level keeps the points ranked above its tolerance.
    PathRanks ranks;
    MeshBuilder full(origin);
    full.shareRanks(&ranks);
    add(full);
    LayerMesh mesh = full.finish();
    // How many points a tolerance keeps, from the ranks alone: only the levels worth their
    // memory are meshed.
    std::vector<double> sorted;
    for (const auto &r : ranks)
        sorted.insert(sorted.end(), r.begin(), r.end());
    std::sort(sorted.begin(), sorted.end());
    const auto keptAt = [&](double tolerance) {
        return std::size_t(sorted.end() -
                           std::upper_bound(sorted.begin(), sorted.end(), tolerance * tolerance));
    };
    std::size_t kept = sorted.size();
    for (double tolerance = kFirstLevelM; tolerance <= kLastLevelM && kept > 0; tolerance *= 2) {
        const std::size_t n = keptAt(tolerance);
        if (4 * n > 3 * kept)
            continue; // saves too little to be worth its memory
        MeshBuilder builder(origin);
        builder.setTolerance(tolerance);
        builder.shareRanks(&ranks);
        add(builder);
        LayerMesh level = builder.finish();
        level.points.clear();
        level.pointFeature.clear();
        kept = n;
        mesh.levels.push_back({tolerance, std::make_shared<const LayerMesh>(std::move(level))});
    }
    return mesh;
}

MercPoint meshOrigin(const model::Layer &layer) {
    model::BBox bounds = layer.bounds;
    if (bounds.empty())
        for (const auto &f : layer.features)
            bounds.expand(f.geometry.bounds());
    return bounds.empty() ? MercPoint{} : toMercator(bounds.center());
}

LayerMesh buildLayerMesh(const model::Layer &layer, bool fill, bool outline) {
    return buildMeshWithLevels(meshOrigin(layer), [&](MeshBuilder &b) {
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
