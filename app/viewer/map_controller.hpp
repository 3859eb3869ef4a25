#pragma once
// Map navigation from one frame's input: drag to pan, wheel to zoom around the cursor,
// keyboard zoom and fit, animated fly-to. GL-free and window-free, so tests drive it with
// synthetic input.
#include "render/mercator.hpp"

#include <optional>

namespace orefront::viewer {

struct MapInput {
    double mouseX = 0, mouseY = 0; // cursor, pixels from the map's top-left corner
    bool hovered = false;          // the cursor is over the map
    double dragDx = 0, dragDy = 0; // pixels dragged this frame with the left button
    double wheel = 0;              // wheel notches, >0 zooms in
    int keyZoom = 0;               // +1 / -1 from the keyboard (+/-), zooms around the centre
    bool fit = false;              // fit the theatre (F / Home)
};

class MapController {
public:
    Camera &camera() { return m_camera; }
    const Camera &camera() const { return m_camera; }
    void resize(int width, int height);
    void setFitBounds(const model::BBox &box) { m_fitBounds = box; }
    const model::BBox &fitBounds() const { return m_fitBounds; }

    // Applies one frame of input and advances a fly-to by `dt` seconds. Returns whether the
    // camera moved.
    bool update(const MapInput &in, double dt);
    // Animates to `target` at `metresPerPixel` (<= 0 keeps the zoom, but zooms in to at least
    // 2 km/px so a deposit is seen in context).
    void flyTo(model::LonLat target, double metresPerPixel = 0, double seconds = 0.35);
    void fit(const model::BBox &box);
    bool flying() const { return m_fly.has_value(); }

private:
    struct Fly {
        MercPoint from, to;
        double fromMpp = 0, toMpp = 0;
        double t = 0, duration = 0;
    };
    Camera m_camera;
    model::BBox m_fitBounds;
    std::optional<Fly> m_fly;
};

} // namespace orefront::viewer
