#include "render/mercator.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace orefront::viewer {

namespace {
constexpr double kDeg = std::numbers::pi / 180.0;
// Zoom limits: from the whole world on a small window down to half a metre per pixel.
constexpr double kMinMetresPerPixel = 0.5;
constexpr double kMaxMetresPerPixel = 200000.0;
} // namespace

MercPoint toMercator(model::LonLat p) {
    const double lat = std::clamp(p.lat, -kMercatorMaxLat, kMercatorMaxLat);
    return {kMercatorRadius * p.lon * kDeg,
            kMercatorRadius * std::log(std::tan(std::numbers::pi / 4 + lat * kDeg / 2))};
}

model::LonLat fromMercator(MercPoint m) {
    return {m.x / kMercatorRadius / kDeg,
            (2 * std::atan(std::exp(m.y / kMercatorRadius)) - std::numbers::pi / 2) / kDeg};
}

MercPoint Camera::screenToMercator(double sx, double sy) const {
    return {center.x + (sx - width / 2.0) * metresPerPixel, center.y - (sy - height / 2.0) * metresPerPixel};
}

void Camera::mercatorToScreen(MercPoint m, double &sx, double &sy) const {
    sx = width / 2.0 + (m.x - center.x) / metresPerPixel;
    sy = height / 2.0 - (m.y - center.y) / metresPerPixel;
}

void Camera::pan(double dx, double dy) {
    center.x -= dx * metresPerPixel;
    center.y += dy * metresPerPixel;
}

void Camera::zoomAround(double sx, double sy, double factor) {
    if (!(factor > 0))
        return;
    const MercPoint anchor = screenToMercator(sx, sy);
    metresPerPixel = std::clamp(metresPerPixel / factor, kMinMetresPerPixel, kMaxMetresPerPixel);
    // Put the anchor back under the cursor.
    center.x = anchor.x - (sx - width / 2.0) * metresPerPixel;
    center.y = anchor.y + (sy - height / 2.0) * metresPerPixel;
}

void Camera::fit(const model::BBox &box, double marginFraction) {
    if (box.empty())
        return;
    const MercPoint lo = toMercator({box.minLon, box.minLat});
    const MercPoint hi = toMercator({box.maxLon, box.maxLat});
    center = {(lo.x + hi.x) / 2, (lo.y + hi.y) / 2};
    const double usable = std::max(0.1, 1.0 - 2 * marginFraction);
    const double mx = std::max(hi.x - lo.x, 1.0) / (width * usable);
    const double my = std::max(hi.y - lo.y, 1.0) / (height * usable);
    metresPerPixel = std::clamp(std::max(mx, my), kMinMetresPerPixel, kMaxMetresPerPixel);
}

model::BBox Camera::visibleBounds() const {
    model::BBox b;
    b.expand(screenToLonLat(0, 0));
    b.expand(screenToLonLat(width, height));
    return b;
}

} // namespace orefront::viewer
