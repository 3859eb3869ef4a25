#pragma once
// Geometry value types of the model: WGS84 longitude/latitude in degrees, traditional GIS
// order (lon first). Plain values, no GDAL/GEOS/PROJ: views and tests use them directly.
#include <limits>
#include <vector>

namespace orefront::model {

struct LonLat {
    double lon = 0.0;
    double lat = 0.0;
    bool operator==(const LonLat &) const = default;
};

struct BBox {
    double minLon = std::numeric_limits<double>::infinity();
    double minLat = std::numeric_limits<double>::infinity();
    double maxLon = -std::numeric_limits<double>::infinity();
    double maxLat = -std::numeric_limits<double>::infinity();

    bool empty() const { return minLon > maxLon; }
    void expand(LonLat p);
    void expand(const BBox &b);
    bool contains(LonLat p) const {
        return p.lon >= minLon && p.lon <= maxLon && p.lat >= minLat && p.lat <= maxLat;
    }
    LonLat center() const { return {(minLon + maxLon) / 2, (minLat + maxLat) / 2}; }
};

using Path = std::vector<LonLat>; // a line string, or a closed ring (first == last)

struct Polygon {
    std::vector<Path> rings; // rings[0] is the exterior, the rest are holes
};

// One feature's geometry, any OGR type flattened: a Point/MultiPoint fills `points`, a
// (Multi)LineString `lines`, a (Multi)Polygon `polygons`; a GeometryCollection may fill
// several. Z and M are dropped on load.
struct Geometry {
    std::vector<LonLat> points;
    std::vector<Path> lines;
    std::vector<Polygon> polygons;

    bool empty() const { return points.empty() && lines.empty() && polygons.empty(); }
    bool isSinglePoint() const { return points.size() == 1 && lines.empty() && polygons.empty(); }
    BBox bounds() const;
    // A point that stands for the feature: the point itself, the middle vertex of a line,
    // the bounding-box centre of a polygon's exterior. For labels and markers.
    LonLat anchor() const;
};

} // namespace orefront::model
