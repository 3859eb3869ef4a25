#include "orefront/analysis/spatial_index.hpp"

#include "orefront/proj/geodesic.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace orefront::analysis {

namespace {

constexpr double kA = 6378137.0;
constexpr double kF = 1 / 298.257223563;
constexpr double kE2 = kF * (2 - kF);
constexpr double kDeg = M_PI / 180.0;
constexpr double kMinRadius = 6335439.0; // meridian radius of curvature at the equator
// Longest indexed piece of an edge. Between piece ends on the geodesic, the lon/lat-linear
// foot strays from it by about L^2 tan(lat) / 8R: 0.09 m at 2 km and 48 degrees, 0.22 m at 70.
constexpr double kPieceM = 2000.0;
constexpr std::uint32_t kLeafSize = 4;

using Vec3 = std::array<double, 3>;

Vec3 ecef(model::LonLat p) {
    const double lat = p.lat * kDeg, lon = p.lon * kDeg;
    const double s = std::sin(lat), c = std::cos(lat);
    const double n = kA / std::sqrt(1 - kE2 * s * s);
    return {n * c * std::cos(lon), n * c * std::sin(lon), n * (1 - kE2) * s};
}

double dot(const Vec3 &a, const Vec3 &b) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
Vec3 sub(const Vec3 &a, const Vec3 &b) {
    return {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
}

// Edges a polygon gets where a data set cuts it at the antimeridian are not real borders.
bool isAntimeridianCut(model::LonLat a, model::LonLat b) {
    return std::abs(std::abs(a.lon) - 180.0) < 1e-9 && std::abs(std::abs(b.lon) - 180.0) < 1e-9;
}

model::LonLat lerp(model::LonLat a, model::LonLat b, double t) {
    double dlon = b.lon - a.lon;
    if (dlon > 180)
        dlon -= 360;
    else if (dlon < -180)
        dlon += 360;
    return {a.lon + t * dlon, a.lat + t * (b.lat - a.lat)};
}

} // namespace

void NearestSegments::addPath(const model::Path &path) {
    if (path.size() == 1)
        addPoint(path.front());
    for (std::size_t i = 1; i < path.size(); ++i) {
        if (isAntimeridianCut(path[i - 1], path[i]))
            continue;
        addSegment(path[i - 1], path[i]);
    }
}

// A long edge (a coarse polygon's closing path, a state border) is indexed as pieces of at most
// kPieceM whose ends lie on its geodesic: its box no longer spans hundreds of kilometres, which
// made every query near it descend the tree, and each piece is measured by the short-segment
// path (one geodesic inverse) instead of a search along a 300 km geodesic.
void NearestSegments::addSegment(model::LonLat a, model::LonLat b) {
    const auto id = static_cast<std::uint32_t>(m_firstPiece.size());
    m_firstPiece.push_back(static_cast<std::uint32_t>(m_segs.size()));
    auto push = [&](model::LonLat pa, model::LonLat pb) {
        Seg s{ecef(pa), ecef(pb), pa, pb, 0, id};
        const Vec3 d = sub(s.b, s.a);
        s.sagittaM = dot(d, d) / (8 * kMinRadius);
        m_segs.push_back(s);
    };
    const Vec3 d = sub(ecef(b), ecef(a));
    if (dot(d, d) <= kPieceM * kPieceM) {
        push(a, b);
        return;
    }
    const std::vector<model::LonLat> v = proj::geodesicPoints(a, b, kPieceM);
    for (std::size_t k = 1; k < v.size(); ++k)
        push(v[k - 1], v[k]);
}

void NearestSegments::addPoint(model::LonLat p) {
    const auto id = static_cast<std::uint32_t>(m_firstPiece.size());
    m_firstPiece.push_back(static_cast<std::uint32_t>(m_segs.size()));
    m_segs.push_back({ecef(p), ecef(p), p, p, 0, id});
}

void NearestSegments::build() {
    m_order.resize(m_segs.size());
    std::iota(m_order.begin(), m_order.end(), 0u);
    m_nodes.clear();
    if (m_segs.empty())
        return;
    m_nodes.reserve(2 * m_segs.size() / kLeafSize + 2);
    m_nodes.push_back({});
    buildNode(0, 0, static_cast<std::uint32_t>(m_segs.size()));
}

void NearestSegments::buildNode(std::uint32_t node, std::uint32_t begin, std::uint32_t end) {
    double lo[3] = {1e300, 1e300, 1e300}, hi[3] = {-1e300, -1e300, -1e300};
    for (std::uint32_t i = begin; i < end; ++i) {
        const Seg &s = m_segs[m_order[i]];
        const double pad = s.sagittaM + 1.0; // 1 m also covers float rounding of the box
        for (int k = 0; k < 3; ++k) {
            lo[k] = std::min(lo[k], std::min(s.a[k], s.b[k]) - pad);
            hi[k] = std::max(hi[k], std::max(s.a[k], s.b[k]) + pad);
        }
    }
    Node &n = m_nodes[node];
    for (int k = 0; k < 3; ++k) {
        n.lo[k] = std::nextafter(static_cast<float>(lo[k]), -INFINITY);
        n.hi[k] = std::nextafter(static_cast<float>(hi[k]), INFINITY);
    }
    if (end - begin <= kLeafSize) {
        n.first = begin;
        n.count = end - begin;
        return;
    }
    int axis = 0;
    for (int k = 1; k < 3; ++k)
        if (hi[k] - lo[k] > hi[axis] - lo[axis])
            axis = k;
    const std::uint32_t mid = begin + (end - begin) / 2;
    std::nth_element(m_order.begin() + begin, m_order.begin() + mid, m_order.begin() + end,
                     [&](std::uint32_t x, std::uint32_t y) {
                         return m_segs[x].a[axis] + m_segs[x].b[axis] < m_segs[y].a[axis] + m_segs[y].b[axis];
                     });
    n.count = 0;
    const auto left = static_cast<std::uint32_t>(m_nodes.size());
    m_nodes.push_back({});
    buildNode(left, begin, mid);
    const auto right = static_cast<std::uint32_t>(m_nodes.size());
    m_nodes[node].first = right; // m_nodes may have grown: index again
    m_nodes.push_back({});
    buildNode(right, mid, end);
}

// Squared distance from p to the surface arc over segment s, measured to the chord's foot
// lifted back to the ellipsoid surface; *t is the foot's fraction along the segment.
double NearestSegments::chordDistance2(const Vec3 &p, const Seg &s, double *t) {
    const Vec3 d = sub(s.b, s.a);
    const double len2 = dot(d, d);
    double u = len2 > 0 ? std::clamp(dot(sub(p, s.a), d) / len2, 0.0, 1.0) : 0.0;
    Vec3 q = {s.a[0] + u * d[0], s.a[1] + u * d[1], s.a[2] + u * d[2]};
    if (s.sagittaM > 0.01) {
        // Lift the foot radially onto the ellipsoid: the arc bows out of the chord.
        const double k =
            1 / std::sqrt((q[0] * q[0] + q[1] * q[1]) / (kA * kA) + q[2] * q[2] / (kA * kA * (1 - kE2)));
        q = {q[0] * k, q[1] * k, q[2] * k};
    }
    *t = u;
    const Vec3 e = sub(p, q);
    return dot(e, e);
}

// Every piece is at most kPieceM long, so the lon/lat-linear foot is within 0.1-0.2 m
// of the geodesic's (see kPieceM); its geodesic distance is the answer.
double NearestSegments::ellipsoidal(model::LonLat p, const Seg &s, double t, model::LonLat *at) {
    *at = lerp(s.la, s.lb, t);
    return proj::geodesicDistanceM(p, *at);
}

std::optional<NearestSegments::Result> NearestSegments::nearest(model::LonLat p, std::uint32_t hint) const {
    if (m_segs.empty())
        return std::nullopt;
    const Vec3 pv = ecef(p);
    double best2 = INFINITY, bestT = 0;
    std::uint32_t bestSeg = 0;
    if (hint < m_firstPiece.size()) {
        // The hint names an added segment; of a long edge's pieces, start from the one at the
        // foot of the point on the whole edge's chord (the pieces are of equal length).
        const std::uint32_t first = m_firstPiece[hint];
        const std::uint32_t end = hint + 1 < m_firstPiece.size() ? m_firstPiece[hint + 1]
                                                                 : static_cast<std::uint32_t>(m_segs.size());
        bestSeg = first;
        if (end - first > 1) {
            Seg whole = m_segs[first];
            whole.b = m_segs[end - 1].b;
            double u = 0;
            chordDistance2(pv, whole, &u);
            bestSeg = first + std::min(end - first - 1, static_cast<std::uint32_t>(u * (end - first)));
        }
        best2 = chordDistance2(pv, m_segs[bestSeg], &bestT);
    }
    std::uint32_t stack[64];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const Node &n = m_nodes[stack[--top]];
        double d2 = 0;
        for (int k = 0; k < 3; ++k) {
            const double v = pv[k] < n.lo[k] ? n.lo[k] - pv[k] : (pv[k] > n.hi[k] ? pv[k] - n.hi[k] : 0.0);
            d2 += v * v;
        }
        if (d2 >= best2)
            continue;
        if (n.count) {
            for (std::uint32_t i = n.first; i < n.first + n.count; ++i) {
                double t = 0;
                const double c2 = chordDistance2(pv, m_segs[m_order[i]], &t);
                if (c2 < best2)
                    best2 = c2, bestT = t, bestSeg = m_order[i];
            }
            continue;
        }
        // Visit the nearer child first: push it last.
        const std::uint32_t left = static_cast<std::uint32_t>(&n - m_nodes.data()) + 1, right = n.first;
        auto boxCentre2 = [&](const Node &c) {
            double s = 0;
            for (int k = 0; k < 3; ++k) {
                const double v = pv[k] - 0.5 * (double(c.lo[k]) + double(c.hi[k]));
                s += v * v;
            }
            return s;
        };
        const bool leftNearer = boxCentre2(m_nodes[left]) < boxCentre2(m_nodes[right]);
        stack[top++] = leftNearer ? right : left;
        stack[top++] = leftNearer ? left : right;
    }
    Result r;
    r.segment = m_segs[bestSeg].source;
    r.distanceM = ellipsoidal(p, m_segs[bestSeg], bestT, &r.nearest);
    return r;
}

// ---------------------------------------------------------------------------------------

void AreaIndex::addPolygon(const model::Polygon &poly) {
    const std::uint32_t id = m_polygons++;
    for (const auto &ring : poly.rings) {
        for (std::size_t i = 0; i + 1 < ring.size(); ++i) {
            m_edges.push_back({ring[i].lon, ring[i].lat, ring[i + 1].lon, ring[i + 1].lat, id});
            m_bounds.expand(ring[i]);
        }
        if (ring.size() > 2 && !(ring.front() == ring.back()))
            m_edges.push_back({ring.back().lon, ring.back().lat, ring.front().lon, ring.front().lat, id});
    }
}

void AreaIndex::build() {
    if (m_edges.empty())
        return;
    const std::size_t bands = std::clamp<std::size_t>(m_edges.size() / 4, 1, 1u << 20);
    m_bandHeight = std::max((m_bounds.maxLat - m_bounds.minLat) / bands, 1e-12);
    auto bandOf = [&](double y) {
        return std::min<std::size_t>(bands - 1,
                                     static_cast<std::size_t>((y - m_bounds.minLat) / m_bandHeight));
    };
    m_bandStart.assign(bands + 1, 0);
    for (const auto &e : m_edges)
        for (std::size_t b = bandOf(std::min(e.y0, e.y1)); b <= bandOf(std::max(e.y0, e.y1)); ++b)
            ++m_bandStart[b + 1];
    std::partial_sum(m_bandStart.begin(), m_bandStart.end(), m_bandStart.begin());
    m_bandEdges.resize(m_bandStart.back());
    std::vector<std::uint32_t> fill(m_bandStart.begin(), m_bandStart.end() - 1);
    for (std::uint32_t i = 0; i < m_edges.size(); ++i) {
        const auto &e = m_edges[i];
        for (std::size_t b = bandOf(std::min(e.y0, e.y1)); b <= bandOf(std::max(e.y0, e.y1)); ++b)
            m_bandEdges[fill[b]++] = i;
    }
}

bool AreaIndex::containsPlain(double x, double y) const {
    if (y < m_bounds.minLat || y > m_bounds.maxLat || x < m_bounds.minLon || x > m_bounds.maxLon)
        return false;
    const std::size_t bands = m_bandStart.size() - 1;
    const std::size_t b =
        std::min<std::size_t>(bands - 1, static_cast<std::size_t>((y - m_bounds.minLat) / m_bandHeight));
    // Even-odd crossings per polygon: polygons may overlap (an occupied zone inside a wider
    // hostile layer), so parity is kept for each polygon id that a crossing belongs to.
    std::uint32_t crossed[32];
    std::vector<std::uint32_t> more;
    std::size_t n = 0;
    for (std::uint32_t k = m_bandStart[b]; k < m_bandStart[b + 1]; ++k) {
        const Edge &e = m_edges[m_bandEdges[k]];
        if ((e.y0 > y) == (e.y1 > y))
            continue;
        const double xi = e.x0 + (y - e.y0) * (e.x1 - e.x0) / (e.y1 - e.y0);
        if (xi <= x)
            continue;
        if (n < 32)
            crossed[n++] = e.polygon;
        else
            more.push_back(e.polygon);
    }
    auto anyOdd = [](std::uint32_t *first, std::uint32_t *last) {
        std::sort(first, last);
        for (std::uint32_t *i = first; i != last;) {
            std::uint32_t *j = i;
            while (j != last && *j == *i)
                ++j;
            if ((j - i) % 2 == 1)
                return true;
            i = j;
        }
        return false;
    };
    if (more.empty())
        return anyOdd(crossed, crossed + n);
    more.insert(more.end(), crossed, crossed + n);
    return anyOdd(more.data(), more.data() + more.size());
}

bool AreaIndex::contains(model::LonLat p) const {
    if (m_edges.empty())
        return false;
    if (containsPlain(p.lon, p.lat))
        return true;
    // +180 and -180 are one meridian, but the ray test counts a point on a polygon's east edge
    // as outside: a point on +180 inside a zone cut at the antimeridian lies on the west edge
    // of its eastern half, so test it there too.
    if (p.lon == 180.0 && containsPlain(-180.0, p.lat))
        return true;
    // Polygons written across the antimeridian in 0..360 (or below -180) longitudes.
    if (m_bounds.maxLon > 180 && containsPlain(p.lon + 360, p.lat))
        return true;
    return m_bounds.minLon < -180 && containsPlain(p.lon - 360, p.lat);
}

} // namespace orefront::analysis
