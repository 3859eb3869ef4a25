#pragma once
// The map: the offscreen map image shown with ImGui::Image, its overlay, pan/zoom input,
// hover tooltip, click selection and the status bar (cursor position and its geodesic
// distance to the nearest hostile position).
#include "annotation_document.hpp"
#include "annotation_editor.hpp"
#include "map_controller.hpp"
#include "map_document.hpp"
#include "map_labels.hpp"
#include "map_overlay.hpp"
#include "render/map_renderer.hpp"
#include "view_settings.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace orefront::viewer {

// The annotations drawn over the map and edited with the mouse (null: none).
struct MapAnnotations {
    AnnotationDocument *doc = nullptr;
    AnnotationEditor *editor = nullptr;
};

struct MapWindow {
    GlFramebuffer m_fbo;
    // What m_fbo shows: the map is drawn again only when this changes (a pan, a zoom, new
    // data, a style edit, a resize); other frames show the image as it is.
    std::optional<MapFrameKey> m_shown;
    float m_markerScale = 1.0f; // the deposits' drawn scale in m_shown
    MapLabelLayer m_labels;     // names and ring distances, placed for m_shown
    int m_hover = -1;           // deposit under the cursor
    ImVec2 m_lastMouse{-1, -1};
    std::optional<model::LonLat> m_cursor;
    std::optional<analysis::HostileIndex::Hit> m_cursorHit;
    bool m_mapHovered = false;
    bool m_annotationPress = false; // the press under way is the annotation editor's
    // Drawn over the map image and under its overlay, with the map's top-left and size (the
    // Timeline's swipe: date A's image left of the divider). Empty: nothing.
    std::function<void(ImDrawList *, ImVec2, ImVec2)> m_underlay;
    // The map's labels (deposit names, ring distances) are drawn only right of this screen x:
    // the Timeline's swipe shows date A's image left of its divider, and B's labels would
    // name what is not there. Empty: over the whole map.
    std::optional<float> m_labelsFromX;
    // What the draw list's blit callback copies where. The draw list keeps a copy of these
    // bytes, and `generation` changes whenever the image does: the UI compositor
    // (render/ui_compositor.hpp) sees from the bytes alone whether the map needs repainting.
    struct ImageBlit {
        std::uint64_t generation = 0;
        GLuint fbo = 0;
        int width = 0, height = 0;
        ImVec2 min, max;  // ImGui coordinates
        int reserved = 0; // no padding: every byte is compared
    };
    static_assert(sizeof(ImageBlit) == 40, "ImageBlit has padding bytes");
    std::uint64_t m_imageGeneration = 0;

    // Fills the current window's remaining content region. `status` is shown at the right
    // of the status bar (jobs in flight and the like).
    void Draw(MapDocument &doc, MapController &controller, MapRenderer &renderer,
              const ViewSettings &settings, const OverlayOptions &overlay, int &selected,
              const std::string &status, double dt, MapAnnotations annotations = {});
};

} // namespace orefront::viewer
