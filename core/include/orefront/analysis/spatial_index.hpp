#pragma once
// The two indexes behind the analysis, usable on their own (tests, benchmarks, viewer).
//
// NearestSegments: the ellipsoidal distance from a point to the nearest of many segments
// (or points). Vertices go to Earth-centred (ECEF) coordinates on the WGS84 ellipsoid; a
// bounding-volume hierarchy over the segments' 3-D boxes finds the segment nearest in
// straight-line (chord) distance. The chord is a monotone function of the geodesic distance
// up to a term of order (s/R)^2/24 whose variation with curvature is about 1 % of itself, so
// the chord argmin is the ellipsoidal argmin to within 2e-4 of the distance at 2,000 km (the
// PostGIS baseline ranks on a sphere and can pick the wrong part of the line). The final
// distance is Karney's geodesic (PROJ geod_inverse) to the foot point. Edges over 2 km are
// indexed as 2 km pieces between points on their geodesic, so long polygon edges are measured
// as geodesic edges at the cost of short ones (issue 11).
//
// AreaIndex: point-in-polygon over many polygons, planar in lon/lat (edges as in GeoJSON),
// latitude bands of edges; handles polygons split at, or crossing, the antimeridian.
//
// Both are immutable after construction; queries are const and thread-safe.
#include "orefront/model/geometry.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace orefront::analysis {

class NearestSegments {
public:
    NearestSegments() = default;
    void addPath(const model::Path &path); // consecutive segments; skips antimeridian cut edges
    void addPoint(model::LonLat p);
    void build(); // call once after adding
    bool empty() const { return m_segs.empty(); }
    // Segments and points added (a long edge counts once, however many pieces index it).
    std::size_t size() const { return m_firstPiece.size(); }

    struct Result {
        double distanceM = 0;
        model::LonLat nearest;
        std::uint32_t segment = 0; // which added segment or point, in the order added
    };
    // `hint`: a segment index likely to be near (e.g. the previous query's), to prune early.
    std::optional<Result> nearest(model::LonLat p, std::uint32_t hint = UINT32_MAX) const;

private:
    using Vec3 = std::array<double, 3>;
    struct Seg {
        Vec3 a, b; // ECEF metres
        model::LonLat la, lb;
        double sagittaM;      // how far the surface arc bows out of the chord
        std::uint32_t source; // the added segment this is a piece of
    };
    struct Node {
        float lo[3], hi[3];
        std::uint32_t first, count; // leaf: range in m_order; inner: count == 0, first = right child
    };
    void addSegment(model::LonLat a, model::LonLat b);
    void buildNode(std::uint32_t node, std::uint32_t begin, std::uint32_t end);
    static double chordDistance2(const Vec3 &p, const Seg &s, double *t);
    static double ellipsoidal(model::LonLat p, const Seg &s, double t, model::LonLat *at);

    std::vector<Seg> m_segs;                 // pieces
    std::vector<std::uint32_t> m_firstPiece; // per added segment
    std::vector<std::uint32_t> m_order;
    std::vector<Node> m_nodes;
};

class AreaIndex {
public:
    AreaIndex() = default;
    void addPolygon(const model::Polygon &poly);
    void build();
    bool empty() const { return m_edges.empty(); }
    bool contains(model::LonLat p) const;
    const model::BBox &bounds() const { return m_bounds; }

private:
    struct Edge {
        double x0, y0, x1, y1;
        std::uint32_t polygon;
    };
    bool containsPlain(double x, double y) const;

    std::vector<Edge> m_edges;
    std::uint32_t m_polygons = 0;
    model::BBox m_bounds;
    double m_bandHeight = 1;
    std::vector<std::uint32_t> m_bandStart; // CSR: band b's edges are m_bandEdges[start[b]..start[b+1])
    std::vector<std::uint32_t> m_bandEdges;
};

} // namespace orefront::analysis
