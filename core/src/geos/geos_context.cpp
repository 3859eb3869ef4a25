#include "orefront/geos/geos_context.hpp"

#include "orefront/model/error.hpp"

#include <vector>

namespace orefront::geos {

GeosContext::GeosContext() : m_handle(GEOS_init_r()) {
    GEOSContext_setErrorMessageHandler_r(m_handle, &GeosContext::onError, this);
}

GeosContext::~GeosContext() {
    GEOS_finish_r(m_handle);
}

void GeosContext::onError(const char *message, void *userData) {
    // Never throw through the C callback: keep the message and throw in check().
    static_cast<GeosContext *>(userData)->m_lastError = message ? message : "unknown GEOS error";
}

GeomPtr GeosContext::check(GEOSGeometry *g, const char *what) const {
    if (!g)
        throw GeometryError(std::string("GEOS ") + what + " failed: " + m_lastError);
    return GeomPtr(g, GeomDeleter{m_handle});
}

namespace {

GEOSCoordSequence *makeSeq(GEOSContextHandle_t h, const model::Path &path) {
    std::vector<double> xy;
    xy.reserve(path.size() * 2);
    for (const auto &p : path) {
        xy.push_back(p.lon);
        xy.push_back(p.lat);
    }
    return GEOSCoordSeq_copyFromBuffer_r(h, xy.data(), static_cast<unsigned>(path.size()), 0, 0);
}

GEOSGeometry *makeRing(GEOSContextHandle_t h, model::Path ring) {
    if (!ring.empty() && !(ring.front() == ring.back()))
        ring.push_back(ring.front());
    return GEOSGeom_createLinearRing_r(h, makeSeq(h, ring));
}

GEOSGeometry *makePolygon(GEOSContextHandle_t h, const model::Polygon &p) {
    if (p.rings.empty())
        return GEOSGeom_createEmptyPolygon_r(h);
    GEOSGeometry *shell = makeRing(h, p.rings[0]);
    std::vector<GEOSGeometry *> holes;
    for (std::size_t i = 1; i < p.rings.size(); ++i)
        holes.push_back(makeRing(h, p.rings[i]));
    return GEOSGeom_createPolygon_r(h, shell, holes.data(), static_cast<unsigned>(holes.size()));
}

model::Path readSeq(GEOSContextHandle_t h, const GEOSCoordSequence *seq) {
    unsigned n = 0;
    GEOSCoordSeq_getSize_r(h, seq, &n);
    std::vector<double> xy(2 * static_cast<std::size_t>(n));
    if (n)
        GEOSCoordSeq_copyToBuffer_r(h, seq, xy.data(), 0, 0);
    model::Path out(n);
    for (unsigned i = 0; i < n; ++i)
        out[i] = {xy[2 * i], xy[2 * i + 1]};
    return out;
}

void collect(GEOSContextHandle_t h, const GEOSGeometry *g, model::Geometry &out) {
    switch (GEOSGeomTypeId_r(h, g)) {
    case GEOS_POINT:
        if (!GEOSisEmpty_r(h, g)) {
            double x = 0, y = 0;
            GEOSGeomGetX_r(h, g, &x);
            GEOSGeomGetY_r(h, g, &y);
            out.points.push_back({x, y});
        }
        break;
    case GEOS_LINESTRING:
    case GEOS_LINEARRING:
        if (!GEOSisEmpty_r(h, g))
            out.lines.push_back(readSeq(h, GEOSGeom_getCoordSeq_r(h, g)));
        break;
    case GEOS_POLYGON: {
        if (GEOSisEmpty_r(h, g))
            break;
        model::Polygon poly;
        poly.rings.push_back(readSeq(h, GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, g))));
        const int holes = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < holes; ++i)
            poly.rings.push_back(readSeq(h, GEOSGeom_getCoordSeq_r(h, GEOSGetInteriorRingN_r(h, g, i))));
        out.polygons.push_back(std::move(poly));
        break;
    }
    default: {
        const int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; ++i)
            collect(h, GEOSGetGeometryN_r(h, g, i), out);
    }
    }
}

} // namespace

GeomPtr toGeos(const GeosContext &ctx, const model::Polygon &p) {
    return ctx.check(makePolygon(ctx.handle(), p), "polygon");
}

GeomPtr toGeos(const GeosContext &ctx, const model::Geometry &g) {
    auto h = ctx.handle();
    std::vector<GEOSGeometry *> parts;
    for (const auto &p : g.points)
        parts.push_back(GEOSGeom_createPointFromXY_r(h, p.lon, p.lat));
    for (const auto &l : g.lines)
        parts.push_back(GEOSGeom_createLineString_r(h, makeSeq(h, l)));
    for (const auto &poly : g.polygons)
        parts.push_back(makePolygon(h, poly));
    if (parts.size() == 1)
        return ctx.check(parts[0], "geometry");
    int type = GEOS_GEOMETRYCOLLECTION;
    if (!parts.empty() && g.lines.empty() && g.polygons.empty())
        type = GEOS_MULTIPOINT;
    else if (!parts.empty() && g.points.empty() && g.polygons.empty())
        type = GEOS_MULTILINESTRING;
    else if (!parts.empty() && g.points.empty() && g.lines.empty())
        type = GEOS_MULTIPOLYGON;
    return ctx.check(GEOSGeom_createCollection_r(h, type, parts.data(), static_cast<unsigned>(parts.size())),
                     "collection");
}

model::Geometry fromGeos(const GeosContext &ctx, const GEOSGeometry *g) {
    model::Geometry out;
    if (g)
        collect(ctx.handle(), g, out);
    return out;
}

bool isValid(const GeosContext &ctx, const GEOSGeometry *g, std::string *reason) {
    const char r = GEOSisValid_r(ctx.handle(), g);
    if (r == 2)
        throw GeometryError("GEOS validity check failed: " + ctx.lastError());
    if (!r && reason) {
        char *why = GEOSisValidReason_r(ctx.handle(), g);
        *reason = why ? why : "";
        GEOSFree_r(ctx.handle(), why);
    }
    return r == 1;
}

GeomPtr makeValidPolygonal(const GeosContext &ctx, const GEOSGeometry *g) {
    auto valid = ctx.check(GEOSMakeValid_r(ctx.handle(), g), "MakeValid");
    // MakeValid may return a collection with lines/points from collapsed parts: keep areas.
    model::Geometry m = fromGeos(ctx, valid.get());
    model::Geometry areas;
    areas.polygons = std::move(m.polygons);
    return toGeos(ctx, areas);
}

} // namespace orefront::geos
