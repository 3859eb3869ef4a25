// Range-ring polygons. One projection for the whole world cannot keep a buffer within the
// 0.1 % the distances promise, so the firing positions are cut into 2-degree cells and each
// cell is buffered in an azimuthal-equidistant projection centred on it (distortion under
// 0.03 % within a cell plus 80 km), then everything is unioned in lon/lat with GEOS. A cell
// beside the antimeridian is buffered with continuous longitudes and the union cut at +-180.
#include "orefront/analysis/rings.hpp"
#include "control.hpp"
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/whatif.hpp"
#include "orefront/geos/geos_context.hpp"
#include "orefront/model/error.hpp"
#include "orefront/proj/geodesic.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace orefront::analysis {

namespace {

constexpr double kCellDeg = 2.0;
constexpr double kDensifyM = 2000.0;
constexpr int kQuadSegs = 16; // buffer arcs: 16 chords a quarter circle
// Each cell's lines are buffered once by the first of these when prepared, and that buffer
// widened to each next one (RingBoundary::Cell::bases); a ring is built by widening the widest
// base of at most half its radius (bufferCell). A wide base has smoothed the wiggles away: a
// 100 km ring widened from the 32 km base nodes a few hundred offset segments where one widened
// from the 2 km base nodes tens of thousands (issue 11: 25 ms for one cell of 975 vertices).
constexpr double kBaseRadiiM[] = {2000.0, 8000.0, 32000.0};
constexpr std::size_t kBaseLevels = std::size(kBaseRadiiM);
// The share of the tolerance the base buffer's own simplification takes (the lines get the rest).
constexpr double kBaseShare = 0.25;
constexpr double kMetresPerDegreeLat = 111694.0; // at the poles, the longest

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

// A cell's pieces of firing path densified along the geodesic, projected into the cell's
// azimuthal-equidistant projection and simplified there within `toleranceM` (Douglas-Peucker:
// every original vertex stays within the tolerance of the simplified lines, which is all a
// buffer needs; topology does not matter for lines).
RingBoundary::Cell prepareCell(const geos::GeosContext &ctx, CellKey cell,
                               const std::vector<model::Path> &pieces, double toleranceM, bool withBase) {
    RingBoundary::Cell out;
    out.centre = {(cell.first + 0.5) * kCellDeg, (cell.second + 0.5) * kCellDeg};
    const proj::LocalAeqd aeqd(out.centre);
    model::Geometry lines;
    for (const auto &piece : pieces) {
        model::Path p = densifyGeodesic(piece);
        transformPath(aeqd, p, true);
        if (p.size() == 1)
            out.xy.points.push_back(p[0]);
        else
            lines.lines.push_back(std::move(p));
    }
    if (!lines.lines.empty() && toleranceM > 0) {
        auto g = geos::toGeos(ctx, lines);
        auto simple = ctx.check(
            GEOSSimplify_r(ctx.handle(), g.get(), withBase ? toleranceM * (1 - kBaseShare) : toleranceM),
            "simplify");
        lines = geos::fromGeos(ctx, simple.get());
    }
    out.xy.lines = std::move(lines.lines);
    out.xy.points.insert(out.xy.points.end(), lines.points.begin(), lines.points.end());
    if (withBase && !out.xy.empty()) {
        auto g = geos::toGeos(ctx, out.xy);
        auto base = ctx.check(GEOSBuffer_r(ctx.handle(), g.get(), kBaseRadiiM[0], kQuadSegs), "base buffer");
        base = ctx.check(GEOSTopologyPreserveSimplify_r(ctx.handle(), base.get(), toleranceM * kBaseShare),
                         "base simplify");
        // The wider bases widen the first one, unsimplified: a disc's Minkowski sum moves no edge
        // further from the raw lines than the first base's simplification did, and the chords of
        // each widening lie inside their arcs by R (1 - cos(pi / 64)) of its own width only, so the
        // ring's total stays 0.12 % of its radius.
        for (std::size_t level = 0; level < kBaseLevels; ++level) {
            if (level > 0)
                base = ctx.check(GEOSBuffer_r(ctx.handle(), base.get(),
                                              kBaseRadiiM[level] - kBaseRadiiM[level - 1], kQuadSegs),
                                 "base buffer");
            model::Geometry area = geos::fromGeos(ctx, base.get());
            area.lines.clear();
            area.points.clear();
            out.bases.push_back(std::move(area));
        }
    }
    return out;
}

// The buffer of one prepared cell, back in lon/lat, unwrapped around the cell (its
// longitudes may pass +-180).
// `maxLevel`: the widest base it may start from (kBaseLevels - 1 normally; 0 builds every ring
// from the 2 km base, as before issue 11's levels, for the tests and the benchmark).
model::Geometry bufferCell(const geos::GeosContext &ctx, const RingBoundary::Cell &cell, double radiusM,
                           std::size_t maxLevel = kBaseLevels - 1) {
    const proj::LocalAeqd aeqd(cell.centre);
    // A disc of radius R is one of r0 widened by R - r0 (Minkowski sums add), so a wide ring is
    // a base buffer of the cell widened: a smooth polygon whose offset has few self-overlaps,
    // where the raw lines' wiggles make GEOS node thousands of overlapping offset segments.
    const model::Geometry *from = &cell.xy;
    double width = radiusM;
    for (std::size_t level = 0; level < cell.bases.size() && level <= maxLevel; ++level)
        if (!cell.bases[level].polygons.empty() && radiusM >= 2 * kBaseRadiiM[level]) {
            from = &cell.bases[level];
            width = radiusM - kBaseRadiiM[level];
        }
    auto g = geos::toGeos(ctx, *from);
    auto buffered = ctx.check(GEOSBuffer_r(ctx.handle(), g.get(), width, kQuadSegs), "buffer");
    model::Geometry area = geos::fromGeos(ctx, buffered.get());
    for (auto &poly : area.polygons)
        for (auto &ring : poly.rings) {
            ring = densifyPlanar(ring);
            transformPath(aeqd, ring, false);
            unwrapAround(ring, cell.centre.lon);
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

geos::GeomPtr unionOf(const geos::GeosContext &ctx, std::vector<geos::GeomPtr> parts, const char *what) {
    std::vector<GEOSGeometry *> raw;
    for (auto &p : parts)
        raw.push_back(p.release());
    auto collection = ctx.check(GEOSGeom_createCollection_r(ctx.handle(), GEOS_GEOMETRYCOLLECTION, raw.data(),
                                                            static_cast<unsigned>(raw.size())),
                                "collection");
    return ctx.check(GEOSUnaryUnion_r(ctx.handle(), collection.get()), what);
}

unsigned workerCount(unsigned threads, std::size_t tasks) {
    const unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
    return static_cast<unsigned>(std::min<std::size_t>(n, tasks));
}

// Runs task(i, ctx) for i in [0, n) on `threads` workers, each with its own GEOS context (the
// calling thread is one of them). The first exception is rethrown once all have stopped.
void parallelFor(std::size_t n, unsigned threads,
                 const std::function<void(std::size_t, const geos::GeosContext &)> &task) {
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failureMutex;
    auto work = [&] {
        geos::GeosContext ctx;
        for (std::size_t i; (i = next++) < n;) {
            try {
                task(i, ctx);
            } catch (...) {
                std::lock_guard lock(failureMutex);
                if (!failure)
                    failure = std::current_exception();
                next = n;
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < workerCount(threads, n); ++t)
        pool.emplace_back(work);
    work();
    for (auto &t : pool)
        t.join();
    if (failure)
        std::rethrow_exception(failure);
}

// Hostile territory, unioned and simplified in lon/lat within `toleranceM` (a degree of
// latitude is the longest degree, so no vertex moves further). It lies inside every ring;
// where its boundary is also a firing path (range_from), the band round that boundary covers
// whatever the simplification moved, and the ring is exactly what the raw polygons give.
model::Geometry prepareTerritory(const geos::GeosContext &ctx,
                                 const std::vector<const model::Polygon *> &hostile, double toleranceM) {
    if (hostile.empty())
        return {};
    std::vector<geos::GeomPtr> polys;
    for (const auto *poly : hostile)
        polys.push_back(geos::toGeos(ctx, *poly));
    auto territory =
        polys.size() == 1 ? std::move(polys.front()) : unionOf(ctx, std::move(polys), "territory union");
    if (toleranceM > 0)
        territory = ctx.check(
            GEOSTopologyPreserveSimplify_r(ctx.handle(), territory.get(), toleranceM / kMetresPerDegreeLat),
            "territory simplify");
    model::Geometry out = geos::fromGeos(ctx, territory.get());
    out.lines.clear();
    out.points.clear();
    return out;
}

} // namespace

RingBoundary::RingBoundary(const std::vector<HostileInput> &hostile, double toleranceM, unsigned threads)
    : m_toleranceM(toleranceM) {
    const detail::ControlGeometry control = detail::sortControl(hostile);
    const auto byCell = piecesByCell(control);
    std::vector<std::pair<CellKey, const std::vector<model::Path> *>> cells;
    for (const auto &[key, pieces] : byCell)
        cells.emplace_back(key, &pieces);
    m_cells.resize(cells.size());
    // Task 0 is the territory, 1..n the cells: the big territory starts first.
    parallelFor(cells.size() + 1, threads, [&](std::size_t i, const geos::GeosContext &ctx) {
        if (i == 0)
            m_territory = prepareTerritory(ctx, control.hostile, toleranceM);
        else
            m_cells[i - 1] = prepareCell(ctx, cells[i - 1].first, *cells[i - 1].second, toleranceM, true);
    });
}

std::size_t RingBoundary::vertexCount() const {
    std::size_t n = 0;
    for (const auto &c : m_cells) {
        n += c.xy.points.size();
        for (const auto &l : c.xy.lines)
            n += l.size();
    }
    for (const auto &p : m_territory.polygons)
        for (const auto &r : p.rings)
            n += r.size();
    return n;
}

std::vector<Ring> RingBoundary::build(const std::vector<double> &ringsKm, unsigned threads) const {
    return buildFrom(ringsKm, threads, kBaseLevels - 1);
}

std::vector<Ring> RingBoundary::buildFromNarrowestBase(const std::vector<double> &ringsKm,
                                                       unsigned threads) const {
    return buildFrom(ringsKm, threads, 0);
}

std::vector<Ring> RingBoundary::buildFrom(const std::vector<double> &ringsKm, unsigned threads,
                                          std::size_t maxLevel) const {
    const std::size_t nCells = m_cells.size();
    // The cells' buffers for every distance first (the most work, in parallel), then one union
    // per distance (in parallel across distances).
    std::vector<std::vector<model::Geometry>> buffers(ringsKm.size(), std::vector<model::Geometry>(nCells));
    parallelFor(ringsKm.size() * nCells, threads, [&](std::size_t i, const geos::GeosContext &ctx) {
        const std::size_t r = i / nCells, c = i % nCells;
        buffers[r][c] = bufferCell(ctx, m_cells[c], ringsKm[r] * 1000.0, maxLevel);
    });
    std::vector<Ring> out(ringsKm.size());
    parallelFor(ringsKm.size(), threads, [&](std::size_t r, const geos::GeosContext &ctx) {
        out[r].km = ringsKm[r];
        std::vector<geos::GeomPtr> parts;
        for (auto &b : buffers[r]) {
            parts.push_back(geos::toGeos(ctx, b));
            b = {};
        }
        if (!m_territory.polygons.empty()) // inside hostile territory is in range too
            parts.push_back(geos::toGeos(ctx, m_territory));
        if (parts.empty())
            return;
        auto merged = wrapIntoWorld(ctx, unionOf(ctx, std::move(parts), "union"));
        out[r].area = geos::fromGeos(ctx, merged.get());
        out[r].area.lines.clear();
        out[r].area.points.clear();
    });
    return out;
}

Ring RingBoundary::build(double km, unsigned threads) const {
    return std::move(build(std::vector<double>{km}, threads).front());
}

std::vector<Ring> buildRings(const std::vector<HostileInput> &hostile, const std::vector<double> &ringsKm) {
    return RingBoundary(hostile).build(ringsKm);
}

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
        // Simplified as buildRings() always did: 0.1 % of the shift, never over 50 m.
        const double radiusM = std::abs(km) * 1000.0, toleranceM = std::min(50.0, radiusM * 0.001);
        for (const auto &[cell, pieces] : piecesByCell(boundary))
            parts.push_back(geos::toGeos(
                ctx, bufferCell(ctx, prepareCell(ctx, cell, pieces, toleranceM, false), radiusM)));
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
