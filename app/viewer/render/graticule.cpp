#include "render/graticule.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace orefront::viewer {

double graticuleStep(const Camera &camera) {
    const model::BBox b = camera.visibleBounds();
    const double span = std::max(b.maxLon - b.minLon, 1e-6);
    for (double step : {0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 15.0, 30.0})
        if (span / step <= 10)
            return step;
    return 30.0;
}

LayerMesh buildGraticule(const Camera &camera) {
    const double step = graticuleStep(camera);
    model::BBox b = camera.visibleBounds();
    b.minLat = std::max(b.minLat, -kMercatorMaxLat);
    b.maxLat = std::min(b.maxLat, kMercatorMaxLat);
    b.minLon = std::max(b.minLon, -180.0);
    b.maxLon = std::min(b.maxLon, 180.0);
    MeshBuilder builder(camera.center);
    if (b.empty())
        return builder.finish();
    // Meridians are straight in Mercator, parallels too: two points per line suffice.
    for (double lon = std::ceil(b.minLon / step) * step; lon <= b.maxLon; lon += step)
        builder.addLine({{lon, b.minLat}, {lon, b.maxLat}});
    for (double lat = std::ceil(b.minLat / step) * step; lat <= b.maxLat; lat += step)
        builder.addLine({{b.minLon, lat}, {b.maxLon, lat}});
    return builder.finish();
}

namespace {
std::string format(double v, double step, char pos, char neg) {
    char buf[32];
    const int decimals = step >= 1 ? 0 : (step >= 0.1 ? 1 : 2);
    const double a = std::abs(v) < step / 1000 ? 0 : v;
    std::snprintf(buf, sizeof buf, "%.*f\xC2\xB0%c", decimals, std::abs(a), a >= 0 ? pos : neg);
    return buf;
}
} // namespace

std::string formatLon(double lon, double step) {
    return format(lon, step, 'E', 'W');
}
std::string formatLat(double lat, double step) {
    return format(lat, step, 'N', 'S');
}

} // namespace orefront::viewer
