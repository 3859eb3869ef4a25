#pragma once
// CPU-side meshes of a layer, ready to upload: GL-free, built on worker threads and tested.
// Vertices are float Mercator metres relative to the mesh's origin (kept in double), so a
// deep zoom far from (0, 0) does not jitter.
#include "render/mercator.hpp"
#include "render/triangulate.hpp"

#include "orefront/model/layer.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

namespace orefront::viewer {

struct Vec2f {
    float x = 0.0f;
    float y = 0.0f;
};

// One corner of a line segment's quad. The vertex shader (line.vertex.glsl) pushes it
// `side` half-widths along the segment's screen normal, and half a width back along the
// segment (square caps, which close the gaps at joins): see expandLineVertex().
struct LineVertex {
    Vec2f pos;
    Vec2f other; // the segment's other end
    float side = 0.0f;
};

struct LayerMesh {
    MercPoint origin;
    model::BBox bounds;
    std::vector<Vec2f> fillVertices;
    std::vector<std::uint32_t> fillIndices;  // triangles
    std::vector<LineVertex> lineVertices;    // 4 per segment
    std::vector<std::uint32_t> lineIndices;  // 6 per segment
    std::vector<Vec2f> points;               // marker centres
    std::vector<std::uint32_t> pointFeature; // the feature each point comes from

    // Runs of fill triangles and line segments with their bounds (in the vertices' units),
    // so the renderer draws only what is in view: a world basemap is mostly off screen.
    struct Chunk {
        std::uint32_t first = 0, count = 0; // into fillIndices / lineIndices
        Vec2f min, max;
    };
    std::vector<Chunk> fillChunks, lineChunks;

    // Coarser copies of the fills and lines for zoomed-out views, finest first: a 200k-vertex
    // front line is a few hundred pixels long at the theatre's zoom, so drawing every vertex
    // only costs time. Each level was simplified to within `toleranceM` Mercator metres; the
    // levels hold no points (markers are always drawn from the full mesh).
    struct Level {
        double toleranceM = 0.0;
        std::shared_ptr<const LayerMesh> mesh;
    };
    std::vector<Level> levels;

    bool empty() const { return fillIndices.empty() && lineIndices.empty() && points.empty(); }
    std::size_t vertexCount() const { return fillVertices.size() + lineVertices.size() + points.size(); }
};

// Which chunks to draw for a view of half-size (halfW, halfH) centred on `centre` (both in
// the chunks' units), merged where they follow each other: (first index, count) pairs.
void visibleRuns(const std::vector<LayerMesh::Chunk> &chunks, Vec2f centre, float halfW, float halfH,
                 std::vector<std::pair<std::uint32_t, std::uint32_t>> &runs);

// The mesh to draw `mesh`'s fills and lines from at `metresPerPixel`: the coarsest level
// whose simplification error stays within a pixel (QGIS's default on-the-fly simplification
// threshold), else `mesh` itself. Levels step by 2, so the error drawn is 0.5-1 px.
const std::shared_ptr<const LayerMesh> &meshForResolution(const std::shared_ptr<const LayerMesh> &mesh,
                                                          double metresPerPixel);

// Douglas-Peucker's ranks of the paths a builder meets, in the order it meets them, so that
// builders of the same geometry at several tolerances split each path once.
using PathRanks = std::vector<std::vector<double>>;

// Appends geometry to a mesh. Polygons are triangulated (fill) and/or outlined; lines become
// quads; points become markers. Polygons and lines are cut at the antimeridian first
// (orefront/model/antimeridian.hpp), so nothing spans the map; the cut edges are not outlined. Not
// thread-safe per instance; use one per worker job.
class MeshBuilder {
public:
    explicit MeshBuilder(MercPoint origin);
    // Simplifies every path and ring added from now on to within `metres` (Douglas-Peucker
    // in Mercator metres) before meshing it; rings that collapse are dropped. 0: exact.
    void setTolerance(double metres) { m_tolerance = metres; }
    // Reads (and fills in) the paths' ranks from `ranks` instead of splitting each path again:
    // every builder sharing it must be given the same geometry in the same order.
    void shareRanks(PathRanks *ranks) { m_ranks = ranks; }
    void addPolygon(const model::Polygon &polygon, bool fill, bool outline);
    void addLine(const model::Path &path);
    void addPoint(model::LonLat p, std::uint32_t feature);
    void addGeometry(const model::Geometry &g, std::uint32_t feature, bool fill, bool outline);
    LayerMesh finish();

private:
    Vec2d local(model::LonLat p) const;
    void addPolygonPart(const model::Polygon &polygon, bool fill, bool outline);
    // `skipCuts`: leaves out segments along the antimeridian (polygon outlines).
    void addLocalPath(const std::vector<Vec2d> &path, bool skipCuts = false);
    std::vector<Vec2d> simplified(const std::vector<Vec2d> &path);
    LayerMesh m_mesh;
    double m_tolerance = 0.0;
    PathRanks *m_ranks = nullptr;
    std::size_t m_nextPath = 0;
};

// Builds a mesh by calling `add` on a builder at full detail, then once per coarser level
// (tolerances 4 m, 8 m, ... 64 km) that keeps at most three quarters of the points of the
// last one kept. Heavy for big layers: run it on a worker.
LayerMesh buildMeshWithLevels(MercPoint origin, const std::function<void(MeshBuilder &)> &add);

// Douglas-Peucker: the points of `path` to keep so that no dropped point lies further than
// `tolerance` from the simplified line; the ends are always kept. A closed ring (first
// point equal to the last) stays closed, split first at its point furthest from its start.
std::vector<Vec2d> simplifyPath(const std::vector<Vec2d> &path, double tolerance);

// Douglas-Peucker at every tolerance at once: for each point of `path`, the squared distance
// up to which simplifyPath keeps it (infinite for the ends and a closed ring's far point,
// 0 for points on a straight run).
std::vector<double> simplificationRanks(const std::vector<Vec2d> &path);

// The origin of a layer's mesh: the centre of its bounds (of its features' when it has none).
MercPoint meshOrigin(const model::Layer &layer);

// The whole layer: polygons filled and outlined, lines, and points as markers, with coarser
// levels (buildMeshWithLevels). The origin is the centre of the layer's bounds.
LayerMesh buildLayerMesh(const model::Layer &layer, bool fill = true, bool outline = true);

// The CPU twin of line.vertex.glsl: where a LineVertex lands on screen, given both segment
// ends already in pixels.
Vec2d expandLineVertex(Vec2d posPx, Vec2d otherPx, float side, float widthPx);

// Area of a triangle list (for tests and diagnostics), in the vertices' units squared.
double meshArea(const std::vector<Vec2f> &vertices, const std::vector<std::uint32_t> &indices);

} // namespace orefront::viewer
