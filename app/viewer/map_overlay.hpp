#pragma once
// What is drawn over the map with ImGui's draw list: legend, geodesic scale bar, ring
// labels, graticule labels, title and attribution. The window and `orefront render` share it,
// so an exported PNG reads like the screen.
#include "label_placement.hpp"
#include "map_document.hpp"
#include "map_labels.hpp"
#include "map_legend.hpp"
#include "render/map_renderer.hpp"

#include "orefront/model/annotation.hpp"

#include <imgui.h>

#include <string>
#include <vector>

namespace orefront::viewer {

struct OverlayOptions {
    bool legend = true;
    bool scaleBar = true;
    bool ringLabels = true;
    bool graticuleLabels = true;
    bool title = true;
    bool credits = true;     // the sources line at the bottom right (a briefing sheet has its own)
    std::string basemapNote; // "Borders: Natural Earth" or why there is no basemap
    LabelSettings labels;    // map labels per layer (MapImageComposer; the window uses ViewSettings)
    int selectedDeposit = -1;
    // Analyst annotations MapImageComposer draws over the map, under the labels and legend, as
    // the map window draws its document's (the window ignores this; render and Export fill it).
    std::vector<model::Annotation> annotations;
    // Appended to the legend: fronts drawn over the map, not as layers (frontSketchEntries).
    std::vector<LegendEntry> extraLegend;
};

// Candidate anchors for the rings' distance labels (placed by map_labels.cpp with the other
// labels): the leftmost crossing of each ring's edge with rows across the view, the middle
// rows first; a ring whose edge is not on screen gets none. GL-free (tested). Scans the ring
// edges: compute it when the view changes, not every frame.
struct RingLabel {
    std::size_t ring = 0; // index into RingSet::rings
    double km = 0;
    double x = 0, y = 0; // screen pixels
};
std::vector<RingLabel> ringLabelAnchors(const RingSet &rings, const Camera &camera);

// `occupied`, if given, receives the boxes drawn (legend, scale bar, title, notes, graticule
// labels) in map pixels, for the map labels to keep clear of.
void drawMapOverlay(ImDrawList *dl, ImVec2 topLeft, const Camera &camera, const MapDocument &doc,
                    const MapStyle &style, const OverlayOptions &options,
                    std::vector<ScreenBox> *occupied = nullptr);

} // namespace orefront::viewer
