#pragma once
// CPU-side meshes of a layer, ready to upload: GL-free, built on worker threads and tested.
// Vertices are float Mercator metres relative to the mesh's origin (kept in double), so a
// deep zoom far from (0, 0) does not jitter.
#include "render/mercator.hpp"
#include "render/triangulate.hpp"

#include "orefront/model/layer.hpp"

#include <cstdint>
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

    bool empty() const { return fillIndices.empty() && lineIndices.empty() && points.empty(); }
};

// Appends geometry to a mesh. Polygons are triangulated (fill) and/or outlined; lines become
// quads; points become markers. Not thread-safe per instance; use one per worker job.
class MeshBuilder {
public:
    explicit MeshBuilder(MercPoint origin);
    void addPolygon(const model::Polygon &polygon, bool fill, bool outline);
    void addLine(const model::Path &path);
    void addPoint(model::LonLat p, std::uint32_t feature);
    void addGeometry(const model::Geometry &g, std::uint32_t feature, bool fill, bool outline);
    LayerMesh finish();

private:
    Vec2f local(model::LonLat p) const;
    LayerMesh m_mesh;
};

// The whole layer: polygons filled and outlined, lines, and points as markers. The origin is
// the centre of the layer's bounds.
LayerMesh buildLayerMesh(const model::Layer &layer, bool fill = true, bool outline = true);

// The CPU twin of line.vertex.glsl: where a LineVertex lands on screen, given both segment
// ends already in pixels.
Vec2d expandLineVertex(Vec2d posPx, Vec2d otherPx, float side, float widthPx);

// Area of a triangle list (for tests and diagnostics), in the vertices' units squared.
double meshArea(const std::vector<Vec2f> &vertices, const std::vector<std::uint32_t> &indices);

} // namespace orefront::viewer
