// Range-ring polygons. One projection for the whole world cannot keep a buffer within the
// 0.1 % the distances promise, so the firing positions are cut into 2-degree cells and each
// cell is buffered in an azimuthal-equidistant projection centred on it (distortion under
// 0.03 % within a cell plus 80 km), then everything is unioned in lon/lat with GEOS. A cell
// beside the antimeridian is buffered with continuous longitudes and the union cut at +-180.
#include "control.hpp"
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/whatif.hpp"
#include "orefront/geos/geos_context.hpp"
#include "orefront/model/error.hpp"
#include "orefront/proj/geodesic.hpp"

#include <cmath>
#include <map>

namespace orefront::analysis {

namespace {

constexpr double kCellDeg = 2.0;
constexpr double kDensifyM = 2000.0;

using CellKey = std::pair<int, int>;

CellKey cellOf(model::LonLat p) {
    return {static_cast<int>(std::floor(p.lon / kCellDeg)), static_cast<int>(std::floor(p.lat / kCellDeg))};
}

// Firing paths cut into pieces per cell; consecutive pieces share their joining vertex.
std::map<CellKey, std::vector<model::Path>> piecesByCell(const detail::ControlGeometry &control) {
    std::map<CellKey, std::vector<model::Path>> cells;
    for (const auto *path : control.firingPaths) {
        if (path->empty())
            continue;
        model::Path piece{path->front()};
        CellKey cell = cellOf(path->front());
        for (std::size_t i = 1; i < path->size(); ++i) {
            const model::LonLat a = (*path)[i - 1], b = (*path)[i];
            // Antimeridian cut edges are not borders (see NearestSegments::addPath).
            const bool cut = std::abs(std::abs(a.lon) - 180) < 1e-9 && std::abs(std::abs(b.lon) - 180) < 1e-9;
            if (cut) {
                cells[cell].push_back(std::move(piece));
                piece = {b};
                cell = cellOf(b);
                continue;
            }
            piece.push_back(b);
            if (cellOf(b) != cell) {
                cells[cell].push_back(piece);
                piece = {b};
                cell = cellOf(b);
            }
        }
        cells[cell].push_back(std::move(piece));
    }
    for (const auto &p : control.firingPoints)
        cells[cellOf(p)].push_back({p});
    return cells;
}

// Adds points along each edge longer than kDensifyM, on the geodesic.
model::Path densifyGeodesic(const model::Path &path) {
    model::Path out;
    for (std::size_t i = 0; i < path.size(); ++i) {
        out.push_back(path[i]);
        if (i + 1 == path.size())
            break;
        const int n = static_cast<int>(proj::geodesicDistanceM(path[i], path[i + 1]) / kDensifyM);
        for (int k = 1; k <= n; ++k)
            out.push_back(proj::geodesicInterpolate(path[i], path[i + 1], double(k) / (n + 1)));
    }
    return out;
}

// Straight edges in the projection, densified in projected metres before going back to
// lon/lat, so a long straight stretch of buffer follows the projection's geometry.
model::Path densifyPlanar(const model::Path &xy) {
    model::Path out;
    for (std::size_t i = 0; i < xy.size(); ++i) {
        out.push_back(xy[i]);
        if (i + 1 == xy.size())
            break;
        const double len = std::hypot(xy[i + 1].lon - xy[i].lon, xy[i + 1].lat - xy[i].lat);
        const int n = static_cast<int>(len / kDensifyM);
        for (int k = 1; k <= n; ++k) {
            const double t = double(k) / (n + 1);
            out.push_back(
                {xy[i].lon + t * (xy[i + 1].lon - xy[i].lon), xy[i].lat + t * (xy[i + 1].lat - xy[i].lat)});
        }
    }
    return out;
}

void transformPath(const proj::LocalAeqd &aeqd, model::Path &path, bool forward) {
    std::vector<double> x(path.size()), y(path.size());
    for (std::size_t i = 0; i < path.size(); ++i)
        x[i] = path[i].lon, y[i] = path[i].lat;
    forward ? aeqd.forward(x, y) : aeqd.inverse(x, y);
    for (std::size_t i = 0; i < path.size(); ++i)
        path[i] = {x[i], y[i]};
}

// Longitudes made continuous around `centreLon`: a buffer of a cell beside the antimeridian
// reaches past it, and wrapping those vertices to the other side would make the polygon
// cross the whole map (GEOS: "side location conflict"). wrapIntoWorld() cuts it back.
void unwrapAround(model::Path &ring, double centreLon) {
    for (auto &p : ring) {
        while (p.lon - centreLon > 180.0)
            p.lon -= 360.0;
        while (p.lon - centreLon < -180.0)
            p.lon += 360.0;
    }
}

// The buffer of one cell's pieces, back in lon/lat, unwrapped around the cell (its
// longitudes may pass +-180).
model::Geometry bufferCell(const geos::GeosContext &ctx, CellKey cell, const std::vector<model::Path> &pieces,
                           double radiusM) {
    const model::LonLat centre{(cell.first + 0.5) * kCellDeg, (cell.second + 0.5) * kCellDeg};
    const proj::LocalAeqd aeqd(centre);
    model::Geometry lines;
    for (const auto &piece : pieces) {
        model::Path p = densifyGeodesic(piece);
        transformPath(aeqd, p, true);
        if (p.size() == 1)
            lines.points.push_back(p[0]);
        else
            lines.lines.push_back(std::move(p));
    }
    auto g = geos::toGeos(ctx, lines);
    // Simplifying the positions first keeps a 200k-vertex line fast, at an error far below
    // the distance tolerance (at most 0.1 % of the radius, and never over 50 m).
    const double tolerance = std::min(50.0, radiusM * 0.001);
    auto simple = ctx.check(GEOSTopologyPreserveSimplify_r(ctx.handle(), g.get(), tolerance), "simplify");
    auto buffered = ctx.check(GEOSBuffer_r(ctx.handle(), simple.get(), radiusM, 16), "buffer");
    model::Geometry area = geos::fromGeos(ctx, buffered.get());
    for (auto &poly : area.polygons)
        for (auto &ring : poly.rings) {
            ring = densifyPlanar(ring);
            transformPath(aeqd, ring, false);
            unwrapAround(ring, centre.lon);
        }
    return area;
}

model::Geometry shifted(model::Geometry g, double dLon) {
    for (auto &poly : g.polygons)
        for (auto &ring : poly.rings)
            for (auto &p : ring)
                p.lon += dLon;
    return g;
}

// An area whose longitudes may pass +-180 (unwrapped cell buffers), cut at the antimeridian
// and the parts beyond it moved back by 360 degrees: valid, within [-180, 180].
geos::GeomPtr wrapIntoWorld(const geos::GeosContext &ctx, geos::GeomPtr area) {
    double minX = 0, maxX = 0;
    if (!GEOSGeom_getXMin_r(ctx.handle(), area.get(), &minX) ||
        !GEOSGeom_getXMax_r(ctx.handle(), area.get(), &maxX))
        throw GeometryError("GEOS envelope failed: " + ctx.lastError());
    if (minX >= -180.0 && maxX <= 180.0)
        return area;
    std::vector<GEOSGeometry *> parts;
    for (const double shift : {-360.0, 0.0, 360.0}) {
        // The world copy that `shift` brings back into [-180, 180].
        const double lo = -180.0 - shift, hi = 180.0 - shift;
        if (maxX <= lo || minX >= hi)
            continue;
        model::Polygon box{{{{lo, -90}, {hi, -90}, {hi, 90}, {lo, 90}, {lo, -90}}}};
        auto cut = ctx.check(GEOSIntersection_r(ctx.handle(), area.get(), geos::toGeos(ctx, box).get()),
                             "antimeridian cut");
        model::Geometry g = geos::fromGeos(ctx, cut.get());
        g.lines.clear();
        g.points.clear();
        if (!g.polygons.empty())
            parts.push_back(geos::toGeos(ctx, shifted(std::move(g), shift)).release());
    }
    auto collection =
        ctx.check(GEOSGeom_createCollection_r(ctx.handle(), GEOS_GEOMETRYCOLLECTION, parts.data(),
                                              static_cast<unsigned>(parts.size())),
                  "collection");
    return ctx.check(GEOSUnaryUnion_r(ctx.handle(), collection.get()), "antimeridian union");
}

} // namespace

std::vector<Ring> buildRings(const std::vector<HostileInput> &hostile, const std::vector<double> &ringsKm) {
    const detail::ControlGeometry control = detail::sortControl(hostile);
    const auto cells = piecesByCell(control);
    geos::GeosContext ctx;
    std::vector<Ring> out;
    for (double km : ringsKm) {
        std::vector<geos::GeomPtr> parts;
        for (const auto &[cell, pieces] : cells)
            parts.push_back(geos::toGeos(ctx, bufferCell(ctx, cell, pieces, km * 1000.0)));
        for (const auto *poly : control.hostile) // inside hostile territory is in range too
            parts.push_back(geos::toGeos(ctx, *poly));
        std::vector<GEOSGeometry *> raw;
        for (auto &p : parts)
            raw.push_back(p.release());
        auto collection =
            ctx.check(GEOSGeom_createCollection_r(ctx.handle(), GEOS_GEOMETRYCOLLECTION, raw.data(),
                                                  static_cast<unsigned>(raw.size())),
                      "collection");
        auto merged =
            wrapIntoWorld(ctx, ctx.check(GEOSUnaryUnion_r(ctx.handle(), collection.get()), "union"));
        model::Geometry area = geos::fromGeos(ctx, merged.get());
        area.lines.clear();
        area.points.clear();
        out.push_back({km, std::move(area)});
    }
    return out;
}

namespace {

geos::GeomPtr unionOf(const geos::GeosContext &ctx, std::vector<geos::GeomPtr> parts, const char *what) {
    std::vector<GEOSGeometry *> raw;
    for (auto &p : parts)
        raw.push_back(p.release());
    auto collection = ctx.check(GEOSGeom_createCollection_r(ctx.handle(), GEOS_GEOMETRYCOLLECTION, raw.data(),
                                                            static_cast<unsigned>(raw.size())),
                                "collection");
    return ctx.check(GEOSUnaryUnion_r(ctx.handle(), collection.get()), what);
}

} // namespace

model::Geometry shiftControlArea(const std::vector<HostileInput> &zones, double km,
                                 const std::vector<HostileInput> &fronts) {
    const detail::ControlGeometry sorted = detail::sortControl(zones);
    // What moves: the front lines when given, else the whole boundary of the territory
    // (whatever the layers' range_from).
    const detail::ControlGeometry frontLines = detail::sortControl(fronts);
    detail::ControlGeometry boundary;
    boundary.firingPaths = frontLines.firingPaths;
    if (boundary.firingPaths.empty())
        for (const auto *poly : sorted.hostile)
            for (const auto &ring : poly->rings)
                boundary.firingPaths.push_back(&ring);
    geos::GeosContext ctx;
    std::vector<geos::GeomPtr> polys;
    for (const auto *poly : sorted.hostile)
        polys.push_back(geos::toGeos(ctx, *poly));
    auto territory = unionOf(ctx, std::move(polys), "territory union");
    if (km != 0) {
        std::vector<geos::GeomPtr> parts;
        for (const auto &[cell, pieces] : piecesByCell(boundary))
            parts.push_back(geos::toGeos(ctx, bufferCell(ctx, cell, pieces, std::abs(km) * 1000.0)));
        auto band = wrapIntoWorld(ctx, unionOf(ctx, std::move(parts), "boundary band union"));
        territory =
            km > 0 ? ctx.check(GEOSUnion_r(ctx.handle(), territory.get(), band.get()), "advance")
                   : ctx.check(GEOSDifference_r(ctx.handle(), territory.get(), band.get()), "withdrawal");
    }
    model::Geometry area = geos::fromGeos(ctx, territory.get());
    area.lines.clear();
    area.points.clear();
    return area;
}

} // namespace orefront::analysis
