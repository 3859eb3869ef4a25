#include "map_controller.hpp"

#include <algorithm>
#include <cmath>

namespace orefront::viewer {

namespace {
constexpr double kWheelStep = 1.25; // zoom factor per wheel notch
constexpr double kKeyStep = 1.5;
} // namespace

void MapController::resize(int width, int height) {
    m_camera.width = std::max(1, width);
    m_camera.height = std::max(1, height);
}

bool MapController::update(const MapInput &in, double dt) {
    const Camera before = m_camera;
    if (in.dragDx != 0 || in.dragDy != 0) {
        m_fly.reset(); // the user took over
        m_camera.pan(in.dragDx, in.dragDy);
    }
    if (in.hovered && in.wheel != 0) {
        m_fly.reset();
        m_camera.zoomAround(in.mouseX, in.mouseY, std::pow(kWheelStep, in.wheel));
    }
    if (in.keyZoom != 0) {
        m_fly.reset();
        m_camera.zoomAround(m_camera.width / 2.0, m_camera.height / 2.0, std::pow(kKeyStep, in.keyZoom));
    }
    if (in.fit)
        fit(m_fitBounds);
    if (m_fly) {
        m_fly->t += dt;
        const double u = std::clamp(m_fly->duration > 0 ? m_fly->t / m_fly->duration : 1.0, 0.0, 1.0);
        const double s = u * u * (3 - 2 * u); // smoothstep
        m_camera.center = {m_fly->from.x + (m_fly->to.x - m_fly->from.x) * s,
                           m_fly->from.y + (m_fly->to.y - m_fly->from.y) * s};
        // Interpolate the zoom geometrically, which reads as a constant zoom speed.
        m_camera.metresPerPixel = m_fly->fromMpp * std::pow(m_fly->toMpp / m_fly->fromMpp, s);
        if (u >= 1)
            m_fly.reset();
    }
    return before.center.x != m_camera.center.x || before.center.y != m_camera.center.y ||
           before.metresPerPixel != m_camera.metresPerPixel;
}

void MapController::flyTo(model::LonLat target, double metresPerPixel, double seconds) {
    Fly f;
    f.from = m_camera.center;
    f.to = toMercator(target);
    f.fromMpp = m_camera.metresPerPixel;
    f.toMpp = metresPerPixel > 0 ? metresPerPixel : std::min(m_camera.metresPerPixel, 2000.0);
    f.duration = seconds;
    m_fly = f;
    if (seconds <= 0)
        update({}, 0);
}

void MapController::fit(const model::BBox &box) {
    m_fly.reset();
    m_camera.fit(box);
}

} // namespace orefront::viewer
