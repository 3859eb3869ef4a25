#include "render/scale_bar.hpp"

#include <cmath>
#include <cstdio>
#include <numbers>

namespace orefront::viewer {

namespace {
constexpr double kA = 6378137.0;
constexpr double kF = 1 / 298.257223563;
constexpr double kE2 = kF * (2 - kF);
} // namespace

double groundMetresPerPixel(const Camera &camera, double lat) {
    const double phi = lat * std::numbers::pi / 180.0;
    const double s = std::sin(phi);
    const double parallelRadius = kA / std::sqrt(1 - kE2 * s * s) * std::cos(phi);
    // Mercator x is a * lon, so one Mercator metre is parallelRadius / a ground metres.
    return camera.metresPerPixel * parallelRadius / kA;
}

ScaleBar chooseScaleBar(const Camera &camera, double lat, double maxPixels) {
    const double mpp = groundMetresPerPixel(camera, lat);
    ScaleBar bar;
    if (!(mpp > 0) || !(maxPixels > 0))
        return bar;
    const double maxMetres = mpp * maxPixels;
    const double decade = std::pow(10.0, std::floor(std::log10(maxMetres)));
    for (double step : {5.0, 2.0, 1.0}) {
        if (step * decade <= maxMetres) {
            bar.metres = step * decade;
            break;
        }
    }
    bar.pixels = bar.metres / mpp;
    char buf[32];
    if (bar.metres >= 1000)
        std::snprintf(buf, sizeof buf, "%g km", bar.metres / 1000);
    else
        std::snprintf(buf, sizeof buf, "%g m", bar.metres);
    bar.label = buf;
    return bar;
}

} // namespace orefront::viewer
