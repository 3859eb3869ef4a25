#pragma once
// Ellipsoidal (WGS84) geodesics and local projections through PROJ. Every function is
// thread-safe: geodesics are pure, and each LocalAeqd owns its own PJ_CONTEXT.
#include "orefront/model/geometry.hpp"

#include <memory>
#include <vector>

namespace orefront::proj {

// Karney's geodesic inverse (PROJ geod_inverse) on WGS84: metres between two points.
double geodesicDistanceM(model::LonLat a, model::LonLat b);

// The point a fraction t (0..1) of the way along the geodesic from a to b.
model::LonLat geodesicInterpolate(model::LonLat a, model::LonLat b, double t);

// The point at `distanceM` from `from` on initial azimuth `azimuthDeg` (PROJ geod_direct).
model::LonLat geodesicDirect(model::LonLat from, double azimuthDeg, double distanceM);

// A measured path: its length and, per leg, the length and the bearing (initial azimuth at
// the leg's start, degrees clockwise from true north, 0..360). All on the WGS84 ellipsoid.
struct PathMeasure {
    double lengthM = 0;
    std::vector<double> legM;
    std::vector<double> legBearingDeg;
};
PathMeasure measurePath(const std::vector<model::LonLat> &path);

// The area of the polygon a ring encloses on the WGS84 ellipsoid, m2, whichever way it winds
// (PROJ geod_polygonarea, Karney 2013). The ring may be given closed or open.
double geodesicAreaM2(const std::vector<model::LonLat> &ring);

// A geodesic circle: `segments` points at `radiusM` from `centre` (geod_direct at equal
// azimuth steps, clockwise from north), closed (first point repeated), longitudes in
// -180..180. A circle over the antimeridian or a pole needs model::splitPolygonAtAntimeridian
// before planar use.
model::Path geodesicCircle(model::LonLat centre, double radiusM, int segments = 128);

// Azimuthal equidistant projection centred on `center` (ellipsoidal, metres): distances
// from the centre are exact, so local buffers there follow the ellipsoid closely.
class LocalAeqd {
public:
    explicit LocalAeqd(model::LonLat center);
    ~LocalAeqd();
    LocalAeqd(const LocalAeqd &) = delete;
    LocalAeqd &operator=(const LocalAeqd &) = delete;

    // In place: lon/lat degrees -> x/y metres, and back. Throws GeometryError on failure.
    void forward(std::vector<double> &x, std::vector<double> &y) const;
    void inverse(std::vector<double> &x, std::vector<double> &y) const;
    model::LonLat center() const { return m_center; }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    model::LonLat m_center;
};

} // namespace orefront::proj
