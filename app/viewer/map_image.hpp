#pragma once
// A finished map image: the map pass plus the overlay (legend, scale bar, labels) composed
// offscreen, read back, and written as PNG, JPEG or WebP. Used by `orefront render`, the File > Export PNG
// menu and the pixel tests. Thread rule: GL thread only.
#include "fonts.hpp"
#include "map_overlay.hpp"
#include "render/map_renderer.hpp"

#include <cstdint>
#include <string>
#include <vector>

struct ImGuiContext;

namespace orefront::viewer {

struct Image {
    int width = 0, height = 0;
    std::vector<std::uint8_t> rgba; // top row first
    // Pixel at (x, y), y from the top.
    Rgba at(int x, int y) const;
};

// Owns a private ImGui context (with its own OpenGL3 backend state) to draw the overlay into
// an offscreen framebuffer; the caller's current ImGui context, if any, is restored.
class MapImageComposer {
public:
    MapImageComposer();
    ~MapImageComposer();
    MapImageComposer(const MapImageComposer &) = delete;
    MapImageComposer &operator=(const MapImageComposer &) = delete;

    Image compose(MapRenderer &renderer, const MapDocument &doc, const Camera &camera, const MapStyle &style,
                  const OverlayOptions &overlay);

private:
    ImGuiContext *m_context = nullptr;
    GlFramebuffer m_target;
};

// Writes `image` in the format `path`'s extension names (PNG, JPEG or WebP, through GDAL:
// exporting::writeImage) to a temporary file beside `path`, then renames it. Throws
// orefront::OutputError on failure or for any other extension (PDF, SVG, none), leaving
// nothing at `path`. GDAL must be initialised.
void writeImage(const Image &image, const std::string &path);
// The File menu's name for writeImage: an export to "map.jpg" writes a JPEG.
inline void writePng(const Image &image, const std::string &path) {
    writeImage(image, path);
}

} // namespace orefront::viewer
