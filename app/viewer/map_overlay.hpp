#pragma once
// What is drawn over the map with ImGui's draw list: legend, geodesic scale bar, ring
// labels, graticule labels, title and attribution. The window and `orefront render` share it,
// so an exported PNG reads like the screen.
#include "map_document.hpp"
#include "render/map_renderer.hpp"

#include <imgui.h>

#include <string>

namespace orefront::viewer {

struct OverlayOptions {
    bool legend = true;
    bool scaleBar = true;
    bool ringLabels = true;
    bool graticuleLabels = true;
    bool title = true;
    std::string basemapNote; // "Borders: Natural Earth" or why there is no basemap
};

// Where each ring's label goes: the leftmost crossing of its edge with a row near the middle
// of the view; a ring whose edge is not on screen gets none. GL-free (tested). Scans the
// ring edges: the window computes it when the view changes, not every frame.
struct RingLabel {
    double km = 0;
    double x = 0, y = 0; // screen pixels
};
std::vector<RingLabel> placeRingLabels(const RingSet &rings, const Camera &camera);

// `ringLabels`: placeRingLabels() for this camera and the document's rings.
void drawMapOverlay(ImDrawList *dl, ImVec2 topLeft, const Camera &camera, const MapDocument &doc,
                    const MapStyle &style, const OverlayOptions &options,
                    const std::vector<RingLabel> &ringLabels);

} // namespace orefront::viewer
