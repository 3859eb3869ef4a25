#include "orefront/model/geometry.hpp"

#include <algorithm>

namespace orefront::model {

void BBox::expand(LonLat p) {
    minLon = std::min(minLon, p.lon);
    minLat = std::min(minLat, p.lat);
    maxLon = std::max(maxLon, p.lon);
    maxLat = std::max(maxLat, p.lat);
}

void BBox::expand(const BBox &b) {
    if (b.empty())
        return;
    expand(LonLat{b.minLon, b.minLat});
    expand(LonLat{b.maxLon, b.maxLat});
}

BBox Geometry::bounds() const {
    BBox b;
    for (const auto &p : points)
        b.expand(p);
    for (const auto &l : lines)
        for (const auto &p : l)
            b.expand(p);
    for (const auto &poly : polygons)
        if (!poly.rings.empty())
            for (const auto &p : poly.rings.front())
                b.expand(p);
    return b;
}

LonLat Geometry::anchor() const {
    if (!points.empty())
        return points.front();
    if (!lines.empty() && !lines.front().empty())
        return lines.front()[lines.front().size() / 2];
    return bounds().center();
}

} // namespace orefront::model
