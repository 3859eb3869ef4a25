#pragma once
// Web Mercator (EPSG:3857) on the WGS84 semi-major axis, and the camera that maps it to pixels.
// GL-free value types: the viewer's map, the headless renderer and the tests share them.
#include "orefront/model/geometry.hpp"

namespace orefront::viewer {

inline constexpr double kMercatorRadius = 6378137.0;     // WGS84 a, as EPSG:3857 uses
inline constexpr double kMercatorMaxLat = 85.0511287798; // where y reaches +-pi*a

struct MercPoint {
    double x = 0.0;
    double y = 0.0;
    bool operator==(const MercPoint &) const = default;
};

// Latitude is clamped to +-kMercatorMaxLat.
MercPoint toMercator(model::LonLat p);
model::LonLat fromMercator(MercPoint m);

// What the map shows: a centre in Mercator metres, a resolution and a pixel size. Screen
// coordinates have their origin at the top-left corner, y down.
struct Camera {
    MercPoint center;
    double metresPerPixel = 5000.0; // Mercator metres per screen pixel
    int width = 1;
    int height = 1;
    bool operator==(const Camera &) const = default;

    MercPoint screenToMercator(double sx, double sy) const;
    void mercatorToScreen(MercPoint m, double &sx, double &sy) const;
    model::LonLat screenToLonLat(double sx, double sy) const {
        return fromMercator(screenToMercator(sx, sy));
    }
    void lonLatToScreen(model::LonLat p, double &sx, double &sy) const {
        mercatorToScreen(toMercator(p), sx, sy);
    }

    // Moves the map by a drag of (dx, dy) pixels: the point under the cursor follows it.
    void pan(double dx, double dy);
    // Multiplies the zoom by `factor` (>1 zooms in) keeping the point under (sx, sy) fixed.
    void zoomAround(double sx, double sy, double factor);
    // Shows `box` (lon/lat) whole, with `marginFraction` of the view left free on each side.
    void fit(const model::BBox &box, double marginFraction = 0.05);
    // The lon/lat box currently visible.
    model::BBox visibleBounds() const;
};

} // namespace orefront::viewer
