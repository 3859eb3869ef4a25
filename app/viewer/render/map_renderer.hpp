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
#include <optional>
#include <unordered_map>
#include <utility>
#include <vector>

namespace orefront::viewer {

class MapDocument;

// A rectangle of framebuffer pixels, GL's way: origin bottom left, x1/y1 exclusive.
struct PixelRectGl {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

struct MapStyle {
    bool graticule = true;
    bool rings = true;
    float markerScale = 1.0f;
    float ringOpacity = 1.0f;
    bool operator==(const MapStyle &) const = default;
};

// Everything the map image depends on: two frames with equal keys draw the same pixels, so
// the viewer draws the map again only when the key changes and shows the last image
// otherwise (MapWindow). Cheap to build every frame (one entry per layer).
struct MapFrameKey {
    struct LayerLook {
        const LayerMesh *mesh = nullptr;
        bool visible = true;
        float opacity = 1.0f;
        Rgba colour;
        float lineWidthPx = 1.0f;
        bool operator==(const LayerLook &) const = default;
    };
    Camera camera;
    MapStyle style;
    std::uint64_t documentRevision = 0;
    std::uint64_t reportGeneration = 0; // verdicts: the deposits' colours
    std::vector<LayerLook> layers;      // in draw order
    bool operator==(const MapFrameKey &) const = default;

    static MapFrameKey of(const MapDocument &doc, const Camera &camera, const MapStyle &style);
};

class MapRenderer {
public:
    MapRenderer(); // compiles the programs; throws GlError with the log on failure
    ~MapRenderer();
    MapRenderer(const MapRenderer &) = delete;
    MapRenderer &operator=(const MapRenderer &) = delete;

    // Renders into `target`, resized to the camera. Restores the GL state it changes.
    // Deposit markers are drawn at doc.markerScaleAt(camera, style.markerScale). When they
    // are on top, the rest of the map is kept in an image of its own and drawn again only
    // when its part of the key changes: a rule change costs a copy and the markers.
    //
    //
    // `targetKept`: the caller leaves `target` as drawn until the next call (MapWindow does;
    // MapImageComposer draws its overlay into it, so it does not). Then a pan keeps what is
    // still in view: when the view moved by whole pixels with nothing else changed, the last
    // image is moved (into another framebuffer, swapped with `target`: its texture name
    // changes) and only the strips the pan uncovers are drawn, under a scissor.
    void render(const MapDocument &doc, const Camera &camera, const MapStyle &style, GlFramebuffer &target,
                bool targetKept = false);
    std::size_t cachedMeshes() const { return m_cache.size(); }
    std::size_t colourUploads() const { return m_colourUploads; }
    std::size_t renders() const { return m_renders; }       // render() calls so far
    std::size_t denseDraws() const { return m_denseDraws; } // deposits drawn as a CPU image
    std::size_t baseDraws() const { return m_baseDraws; }   // the map under the deposits drawn
    std::size_t panDraws() const { return m_panDraws; }     // frames drawn as a moved image and strips

private:
    struct GpuMesh;
    struct Visible;
    GpuMesh &upload(const std::shared_ptr<const LayerMesh> &mesh);
    // Clears the bound framebuffer and draws every visible layer, but not the markers of
    // `skipMarkers`.
    void drawLayers(const MapDocument &doc, const Camera &camera, const MapStyle &style,
                    const std::vector<Visible> &visible, const Visible *skipMarkers);
    // The whole pixels the view's content moved by since the frame `target` holds, if that is
    // all that changed (and by less than the view), else nothing.
    std::optional<std::pair<int, int>> panShift(const GlFramebuffer &target, const MapFrameKey &key,
                                                float markerScale) const;
    void drawWhole(const MapDocument &doc, const Camera &camera, const MapStyle &style,
                   const std::vector<Visible> &visible, const Visible *top, GlFramebuffer &target);
    void drawPanned(const MapDocument &doc, const Camera &camera, const MapStyle &style,
                    const std::vector<Visible> &visible, GlFramebuffer &target, std::pair<int, int> shift);
    void drawDepositMarkers(const MapDocument &doc, const Visible &deposits, const Camera &camera,
                            const MapStyle &style);
    void drawFill(const GpuMesh &g, const Camera &c, Rgba colour, float hatchPx = 0.0f);
    void drawLines(const GpuMesh &g, const Camera &c, Rgba colour, float widthPx);
    void drawMarkers(const GpuMesh &g, const Camera &c, int shape, float sizeScale);
    void drawDenseMarkers(const MapDocument &doc, const LayerMesh &mesh, const Camera &c, float scale);
    // Dense opaque markers over the whole view: splatted onto a CPU copy of m_base and
    // uploaded into `target`, instead of a blit of the base and a blended full-view quad.
    void composeDenseMarkers(const MapDocument &doc, const LayerMesh &mesh, const Camera &c,
                             GlFramebuffer &target);

    GlProgram m_fill, m_hatch, m_line, m_marker, m_image;
    GlTexture m_denseTexture;
    GlVertexArray m_denseVao;
    std::vector<std::uint32_t> m_denseImage;
    int m_denseSize[2] = {0, 0};
    std::unordered_map<const LayerMesh *, std::unique_ptr<GpuMesh>> m_cache;
    std::shared_ptr<const LayerMesh> m_graticule;
    std::size_t m_colourUploads = 0;
    std::size_t m_renders = 0;
    std::size_t m_denseDraws = 0;
    std::size_t m_baseDraws = 0;
    GlFramebuffer m_base;                    // the map under the deposit markers
    std::vector<std::uint32_t> m_basePixels; // m_base read back, for composeDenseMarkers
    bool m_basePixelsValid = false;          // m_basePixels holds m_base as drawn last
    std::uint64_t m_opaqueGeneration = ~std::uint64_t{0};
    bool m_opaqueColours = false; // every marker colour of that report generation is opaque
    std::optional<MapFrameKey> m_baseKey;
    // The frame drawn last: into which framebuffer, with what key and marker scale.
    struct Shown {
        std::uint64_t target = 0; // GlFramebuffer::serial()
        MapFrameKey key;
        float markerScale = 1.0f;
    };
    std::optional<Shown> m_shown;
    GlFramebuffer m_spare;               // where a pan moves the last frame to
    float m_markerScale = 1.0f;          // this frame's deposit marker scale
    const PixelRectGl *m_clip = nullptr; // the strip being drawn (dense markers), or null
    std::size_t m_panDraws = 0;
};

} // namespace orefront::viewer
