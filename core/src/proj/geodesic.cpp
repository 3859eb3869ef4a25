#include "orefront/proj/geodesic.hpp"

#include "orefront/model/error.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <geodesic.h>
#include <proj.h>

#include <string>

namespace orefront::proj {

namespace {
const geod_geodesic &wgs84() {
    static const geod_geodesic g = [] {
        geod_geodesic out;
        geod_init(&out, 6378137.0, 1 / 298.257223563);
        return out;
    }();
    return g;
}
} // namespace

double geodesicDistanceM(model::LonLat a, model::LonLat b) {
    double s12 = 0;
    geod_inverse(&wgs84(), a.lat, a.lon, b.lat, b.lon, &s12, nullptr, nullptr);
    return s12;
}

model::LonLat geodesicInterpolate(model::LonLat a, model::LonLat b, double t) {
    geod_geodesicline line;
    geod_inverseline(&line, &wgs84(), a.lat, a.lon, b.lat, b.lon,
                     GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN);
    double lat = 0, lon = 0;
    geod_position(&line, t * line.s13, &lat, &lon, nullptr);
    return {lon, lat};
}

model::LonLat geodesicDirect(model::LonLat from, double azimuthDeg, double distanceM) {
    double lat = 0, lon = 0;
    geod_direct(&wgs84(), from.lat, from.lon, azimuthDeg, distanceM, &lat, &lon, nullptr);
    return {lon, lat};
}

PathMeasure measurePath(const std::vector<model::LonLat> &path) {
    PathMeasure m;
    for (std::size_t i = 1; i < path.size(); ++i) {
        double s12 = 0, azi1 = 0;
        geod_inverse(&wgs84(), path[i - 1].lat, path[i - 1].lon, path[i].lat, path[i].lon, &s12, &azi1,
                     nullptr);
        m.legM.push_back(s12);
        m.legBearingDeg.push_back(azi1 < 0 ? azi1 + 360 : azi1);
        m.lengthM += s12;
    }
    return m;
}

double geodesicAreaM2(const std::vector<model::LonLat> &ring) {
    std::vector<double> lats, lons;
    for (std::size_t i = 0; i < ring.size(); ++i) {
        if (i + 1 == ring.size() && i > 0 && ring[i] == ring[0])
            break; // geod_polygonarea closes the ring itself
        lats.push_back(ring[i].lat);
        lons.push_back(ring[i].lon);
    }
    if (lats.size() < 3)
        return 0;
    double area = 0, perimeter = 0;
    geod_polygonarea(&wgs84(), lats.data(), lons.data(), static_cast<int>(lats.size()), &area, &perimeter);
    return std::fabs(area);
}

model::Path geodesicCircle(model::LonLat centre, double radiusM, int segments) {
    model::Path out;
    segments = std::max(segments, 8);
    for (int i = 0; i < segments; ++i) {
        model::LonLat p = geodesicDirect(centre, 360.0 * i / segments, radiusM);
        if (p.lon > 180)
            p.lon -= 360;
        else if (p.lon < -180)
            p.lon += 360;
        out.push_back(p);
    }
    out.push_back(out.front());
    return out;
}

struct LocalAeqd::Impl {
    PJ_CONTEXT *ctx = nullptr;
    PJ *pj = nullptr;
    ~Impl() {
        if (pj)
            proj_destroy(pj);
        if (ctx)
            proj_context_destroy(ctx);
    }
};

LocalAeqd::LocalAeqd(model::LonLat center) : m_impl(std::make_unique<Impl>()), m_center(center) {
    m_impl->ctx = proj_context_create();
    // %.17g: the centre round-trips exactly (std::to_string would keep 6 decimals, ~0.1 m).
    char def[256];
    std::snprintf(def, sizeof def,
                  "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step +proj=aeqd "
                  "+lat_0=%.17g +lon_0=%.17g +ellps=WGS84 +units=m",
                  center.lat, center.lon);
    m_impl->pj = proj_create(m_impl->ctx, def);
    if (!m_impl->pj)
        throw GeometryError("PROJ: cannot create '" + std::string(def) +
                            "': " + proj_context_errno_string(m_impl->ctx, proj_context_errno(m_impl->ctx)));
}

LocalAeqd::~LocalAeqd() = default;

namespace {
void transform(PJ *pj, PJ_CONTEXT *ctx, PJ_DIRECTION dir, std::vector<double> &x, std::vector<double> &y) {
    if (x.empty())
        return;
    proj_errno_reset(pj);
    proj_trans_generic(pj, dir, x.data(), sizeof(double), x.size(), y.data(), sizeof(double), y.size(),
                       nullptr, 0, 0, nullptr, 0, 0);
    if (int err = proj_errno(pj))
        throw GeometryError(std::string("PROJ: azimuthal equidistant transform failed: ") +
                            proj_context_errno_string(ctx, err));
}
} // namespace

void LocalAeqd::forward(std::vector<double> &x, std::vector<double> &y) const {
    transform(m_impl->pj, m_impl->ctx, PJ_FWD, x, y);
}

void LocalAeqd::inverse(std::vector<double> &x, std::vector<double> &y) const {
    transform(m_impl->pj, m_impl->ctx, PJ_INV, x, y);
}

} // namespace orefront::proj
