#pragma once
// Draws a MapDocument into an offscreen framebuffer with our shaders, in Web Mercator.
// Thread rule: construct, use and destroy on the GL thread. Meshes are uploaded once per
// LayerMesh (cached by identity, freed when the mesh snapshot dies); a rule change uploads
// only the per-marker colour buffer.
#include "render/gl_objects.hpp"
#include "render/layer_mesh.hpp"
#include "render/style.hpp"

#include <cstdint>
#include <memory>
#include <unordered_map>

namespace orefront::viewer {

class MapDocument;

struct MapStyle {
    bool graticule = true;
    bool rings = true;
    float markerScale = 1.0f;
    float ringOpacity = 1.0f;
};

class MapRenderer {
public:
    MapRenderer(); // compiles the programs; throws GlError with the log on failure
    ~MapRenderer();
    MapRenderer(const MapRenderer &) = delete;
    MapRenderer &operator=(const MapRenderer &) = delete;

    // Renders into `target`, resized to the camera. Restores the GL state it changes.
    void render(const MapDocument &doc, const Camera &camera, const MapStyle &style, GlFramebuffer &target);
    std::size_t cachedMeshes() const { return m_cache.size(); }
    std::size_t colourUploads() const { return m_colourUploads; }

private:
    struct GpuMesh;
    GpuMesh &upload(const std::shared_ptr<const LayerMesh> &mesh);
    void drawFill(const GpuMesh &g, const Camera &c, Rgba colour);
    void drawLines(const GpuMesh &g, const Camera &c, Rgba colour, float widthPx);
    void drawMarkers(const GpuMesh &g, const Camera &c, int shape, float sizeScale);

    GlProgram m_fill, m_line, m_marker;
    GlBuffer m_quad; // the marker's unit quad, shared by every marker VAO
    std::unordered_map<const LayerMesh *, std::unique_ptr<GpuMesh>> m_cache;
    std::shared_ptr<const LayerMesh> m_graticule;
    std::size_t m_colourUploads = 0;
};

} // namespace orefront::viewer
