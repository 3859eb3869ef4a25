#pragma once
// Compare two dates with a swipe or side by side (Timeline > Compare, issue 10), as QGIS's
// and MapLibre's compare plugins do: date A's own map (its snapshot's hostile fill, front and
// rings, the deposits coloured as judged at A) drawn by a renderer of its own into a
// framebuffer of its own, at the camera of the map shown (date B), so that a pan or a zoom
// moves both. Swipe: A left of a draggable vertical divider, B right of it. Side by side: the
// map node split in two, A left, B right, the same view in each.
// Thread rule: construct, draw and destroy on the GL thread, with an ImGui context current.
#include "map_controller.hpp"
#include "map_document.hpp"
#include "render/gl_objects.hpp"
#include "render/map_renderer.hpp"

#include "orefront/model/series.hpp"

#include <imgui.h>

#include <memory>
#include <optional>
#include <string>

namespace orefront::viewer {

// The divider and the date tags.
inline constexpr ImU32 kDividerInk = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32 kDividerEdge = IM_COL32(30, 30, 30, 255);

// Date A's map: a document of its own (A's layers, verdicts and rings), drawn with the looks
// of the map shown (which layers are visible, their opacity and colours, its basemap).
class CompareMap {
public:
    CompareMap();
    ~CompareMap();
    CompareMap(const CompareMap &) = delete;
    CompareMap &operator=(const CompareMap &) = delete;

    // A's snapshot, its report with the marker colours it gives, and its rings.
    void set(model::Date date, std::shared_ptr<const ScenarioSnapshot> snapshot,
             MapDocument::RuleResult result, std::shared_ptr<const RingSet> rings);
    void reset();
    bool ready() const { return m_date.has_value(); }
    std::optional<model::Date> date() const { return m_date; }
    const MapDocument &document() const { return m_doc; }

    // A's map at `camera` with the looks of `shown` (the document on screen, date B), drawn
    // again only when its key changes. Returns the texture holding it (GL texture name; rows
    // bottom-up), 0 before set().
    unsigned render(const MapDocument &shown, const Camera &camera, const MapStyle &style);
    std::size_t renders() const { return m_renderer ? m_renderer->renders() : 0; }

private:
    void followLooks(const MapDocument &shown);

    MapDocument m_doc;
    std::unique_ptr<MapRenderer> m_renderer; // created on the first render
    GlFramebuffer m_fbo;
    std::optional<MapFrameKey> m_shown;
    std::optional<model::Date> m_date;
};

// Swipe: A's image (`textureA`, drawn at the map's size) over the map left of the divider at
// `at` (0..1 of the width from the left). Under the map's overlay.
void drawSwipeImage(ImDrawList *dl, ImVec2 origin, ImVec2 size, unsigned textureA, float at);
// The divider with its handle, and each side's date. Over everything.
void drawSwipeDivider(ImDrawList *dl, ImVec2 origin, ImVec2 size, float at, model::Date a, model::Date b);

// Side by side: A's pane takes the left half of the content region, an item that pans and
// zooms `controller` as the map does, and where a click selects the deposit of `a` under the
// cursor (markers drawn at `markerScale`); the cursor is left where the map's pane (B) starts,
// for MapWindow::Draw to fill the rest, as wide as A's. Returns A's pane's top-left.
ImVec2 comparePaneInput(MapController &controller, const MapDocument &a, float markerScale, int &selected);

// Side by side: A's image in its pane (the same size as the map's) and its date; B's date
// over the map's pane.
void drawSideBySide(ImDrawList *dl, ImVec2 paneA, ImVec2 paneB, ImVec2 size, unsigned textureA, model::Date a,
                    model::Date b);

// The divider as an item the mouse drags (submit before the map so that it takes the press)
// and the keys move: [ and ] by 5 % of the width (with Shift 1 %), the arrow keys while it is
// hovered. Returns whether `at` changed.
bool swipeDividerInput(ImVec2 origin, ImVec2 size, float &at);

// The pixel column of the divider at `at` in a map `width` wide.
float swipeDividerX(float width, float at);

} // namespace orefront::viewer
