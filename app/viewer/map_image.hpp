#pragma once
// A finished map image: the map pass plus the overlay (legend, scale bar, labels) composed
// offscreen, read back, and written as PNG. Used by `orefront render`, the File > Export PNG
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

// Writes `image` as PNG to a temporary file beside `path`, then renames it. Throws
// orefront::OutputError on failure, leaving nothing at `path`.
void writePng(const Image &image, const std::string &path);

} // namespace orefront::viewer
