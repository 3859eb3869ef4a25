#pragma once
// Test helpers shared by the geometry tests: WKT in (through GEOS's own reader), and an
// INDEPENDENT brute-force distance reference built on GeographicLib only (no code of ours).
#include "orefront/geos/geos_context.hpp"
#include "orefront/model/layer.hpp"
#include "orefront/model/scenario.hpp"

#include <GeographicLib/Geocentric.hpp>
#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace orefront::testing {

// WKT -> model::Geometry via GEOS's WKT reader (the test states its geometry as WKT).
inline model::Geometry wkt(const std::string &text) {
    geos::GeosContext ctx;
    GEOSWKTReader *reader = GEOSWKTReader_create_r(ctx.handle());
    GEOSGeometry *g = GEOSWKTReader_read_r(ctx.handle(), reader, text.c_str());
    GEOSWKTReader_destroy_r(ctx.handle(), reader);
    auto owned = ctx.check(g, "WKT read");
    return geos::fromGeos(ctx, owned.get());
}

inline model::Polygon wktPolygon(const std::string &text) {
    auto g = wkt(text);
    if (g.polygons.size() != 1)
        throw std::runtime_error("expected one polygon: " + text);
    return g.polygons.front();
}

inline double geodesicM(model::LonLat a, model::LonLat b) {
    double s12 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(a.lat, a.lon, b.lat, b.lon, s12);
    return s12;
}

inline model::LonLat directDeg(model::LonLat from, double azi, double s) {
    double lat = 0, lon = 0;
    GeographicLib::Geodesic::WGS84().Direct(from.lat, from.lon, azi, s, lat, lon);
    return {lon, lat};
}

// Exact distance from a point to a set of geodesic segments, by brute force:
//  - every segment is the GeographicLib geodesic between its vertices;
//  - the distance to one segment is the minimum over dense samples along that geodesic,
//    refined by golden-section search between the neighbours of the best sample;
//  - segments are visited in increasing order of a strict lower bound
//    (chordA + chordB - length) / 2 (a chord never exceeds the geodesic), so the search
//    stops as soon as no remaining segment can be nearer. Exact, and still fast.
// Edges along the antimeridian (both ends at |lon| = 180) are cuts, not borders: skipped.
class BruteForce {
public:
    void addPath(const model::Path &path) {
        if (path.size() == 1)
            addPoint(path.front());
        for (std::size_t i = 1; i < path.size(); ++i) {
            const auto a = path[i - 1], b = path[i];
            if (std::abs(std::abs(a.lon) - 180) < 1e-9 && std::abs(std::abs(b.lon) - 180) < 1e-9)
                continue;
            add(a, b);
        }
    }
    void addPoint(model::LonLat p) { add(p, p); }
    void addGeometryBoundary(const model::Geometry &g) {
        for (const auto &p : g.points)
            addPoint(p);
        for (const auto &l : g.lines)
            addPath(l);
        for (const auto &poly : g.polygons)
            for (const auto &r : poly.rings)
                addPath(r);
    }
    std::size_t size() const { return m_segs.size(); }

    // Metres to the nearest segment; *at receives the nearest point if given.
    double distanceM(model::LonLat p, model::LonLat *at = nullptr) const {
        const Vec3 pv = ecef(p);
        std::vector<double> lb(m_segs.size());
        for (std::size_t i = 0; i < m_segs.size(); ++i) {
            const Seg &s = m_segs[i];
            lb[i] = 0.5 * (norm(pv, s.a) + norm(pv, s.b) - s.len);
        }
        std::vector<std::size_t> order(m_segs.size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return lb[x] < lb[y]; });
        double best = INFINITY;
        model::LonLat bestAt{};
        for (std::size_t i : order) {
            if (lb[i] > best + 1e-6)
                break;
            model::LonLat here{};
            const double d = segmentDistance(p, m_segs[i], &here);
            if (d < best)
                best = d, bestAt = here;
        }
        if (at)
            *at = bestAt;
        return best;
    }

private:
    using Vec3 = std::array<double, 3>;
    struct Seg {
        model::LonLat a0, b0;
        Vec3 a, b;
        double len;
    };
    static Vec3 ecef(model::LonLat p) {
        Vec3 v{};
        GeographicLib::Geocentric::WGS84().Forward(p.lat, p.lon, 0, v[0], v[1], v[2]);
        return v;
    }
    static double norm(const Vec3 &x, const Vec3 &y) {
        return std::sqrt((x[0] - y[0]) * (x[0] - y[0]) + (x[1] - y[1]) * (x[1] - y[1]) +
                         (x[2] - y[2]) * (x[2] - y[2]));
    }
    void add(model::LonLat a, model::LonLat b) {
        m_segs.push_back({a, b, ecef(a), ecef(b), geodesicM(a, b)});
    }

    static double segmentDistance(model::LonLat p, const Seg &s, model::LonLat *at) {
        if (s.len == 0) {
            *at = s.a0;
            return geodesicM(p, s.a0);
        }
        const auto &geod = GeographicLib::Geodesic::WGS84();
        const GeographicLib::GeodesicLine line = geod.InverseLine(s.a0.lat, s.a0.lon, s.b0.lat, s.b0.lon);
        auto f = [&](double u, model::LonLat *q = nullptr) {
            double lat = 0, lon = 0;
            line.Position(u * s.len, lat, lon);
            if (q)
                *q = {lon, lat};
            return geodesicM(p, {lon, lat});
        };
        const int n = std::clamp(static_cast<int>(s.len / 1000.0), 16, 4000);
        int bestK = 0;
        double bestD = INFINITY;
        for (int k = 0; k <= n; ++k) {
            const double d = f(double(k) / n);
            if (d < bestD)
                bestD = d, bestK = k;
        }
        double lo = std::max(0.0, double(bestK - 1) / n), hi = std::min(1.0, double(bestK + 1) / n);
        constexpr double g = 0.6180339887498949;
        double x1 = hi - g * (hi - lo), x2 = lo + g * (hi - lo);
        double f1 = f(x1), f2 = f(x2);
        for (int it = 0; it < 80 && (hi - lo) * s.len > 1e-4; ++it) {
            if (f1 < f2)
                hi = x2, x2 = x1, f2 = f1, x1 = hi - g * (hi - lo), f1 = f(x1);
            else
                lo = x1, x1 = x2, f1 = f2, x2 = lo + g * (hi - lo), f2 = f(x2);
        }
        const double mid = 0.5 * (lo + hi);
        model::LonLat q{};
        double d = f(mid, &q);
        if (bestD < d) // an end sample may beat the bracket's interior
            d = f(double(bestK) / n, &q);
        *at = q;
        return d;
    }

    std::vector<Seg> m_segs;
};

inline std::string refdata(const std::string &rel) {
    return std::string(OREFRONT_REFDATA_DIR) + "/" + rel;
}
inline bool haveRefdata(const std::string &rel) {
    return std::filesystem::exists(refdata(rel));
}
inline std::string unitData(const std::string &rel) {
    return std::string(OREFRONT_TEST_DATA_DIR) + "/unit/" + rel;
}

// A layer built in memory from WKT and attribute rows (all fields strings unless numeric).
struct Row {
    std::string geometryWkt;
    std::vector<model::Value> values;
};
inline model::Layer makeLayer(const std::string &id, model::LayerRole role, std::vector<model::Field> fields,
                              const std::vector<Row> &rows) {
    model::Layer l;
    l.id = id;
    l.name = id;
    l.source = id + ".geojson";
    l.role = role;
    l.fields = std::move(fields);
    std::int64_t fid = 0;
    for (const auto &r : rows) {
        model::Feature f;
        f.fid = fid++;
        f.geometry = wkt(r.geometryWkt);
        f.attributes = r.values;
        f.attributes.resize(l.fields.size());
        l.features.push_back(std::move(f));
    }
    l.computeBounds();
    return l;
}

// A scenario's declaration of a layer: its id and role, nothing else.
inline model::LayerSpec specFor(const std::string &id, model::LayerRole role) {
    model::LayerSpec s;
    s.id = id;
    s.role = role;
    return s;
}

} // namespace orefront::testing

// Skip (visibly, without failing) when ../shared/refdata is not there (CI).
#define OREFRONT_REQUIRE_REFDATA(rel)                                                                        \
    do {                                                                                                     \
        if (!::orefront::testing::haveRefdata(rel)) {                                                        \
            WARN("refdata absent: skipping (no " << ::orefront::testing::refdata(rel) << ")");               \
            return;                                                                                          \
        }                                                                                                    \
    } while (0)
