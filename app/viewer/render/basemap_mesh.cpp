#include "render/basemap_mesh.hpp"

#include "orefront/geos/geos_context.hpp"

#include <bit>
#include <optional>
#include <unordered_set>

namespace orefront::viewer {

namespace {

// A segment with its ends in order, so that a border walked either way is one key.
struct SegmentKey {
    model::LonLat a, b;
    bool operator==(const SegmentKey &) const = default;
};

SegmentKey keyOf(model::LonLat a, model::LonLat b) {
    if (b.lon < a.lon || (b.lon == a.lon && b.lat < a.lat))
        std::swap(a, b);
    return {a, b};
}

struct SegmentHash {
    std::size_t operator()(const SegmentKey &k) const {
        std::uint64_t h = 0x9e3779b97f4a7c15ull;
        for (const double v : {k.a.lon, k.a.lat, k.b.lon, k.b.lat})
            h = (h ^ std::bit_cast<std::uint64_t>(v)) * 0xff51afd7ed558ccdull;
        return std::size_t(h ^ (h >> 32));
    }
};

bool alongAntimeridian(model::LonLat a, model::LonLat b) {
    return std::abs(a.lon) == 180.0 && a.lon == b.lon;
}

// The union of the layer's polygons, each repaired first where it is invalid (Natural Earth's
// Antarctica is): nullopt when GEOS still fails, with the reason in `note`.
std::optional<model::Geometry> landOf(const model::Layer &layer, std::string *note) {
    try {
        const geos::GeosContext ctx;
        std::vector<GEOSGeometry *> parts;
        for (const auto &f : layer.features)
            for (const auto &polygon : f.geometry.polygons) {
                geos::GeomPtr g = geos::toGeos(ctx, polygon);
                if (!geos::isValid(ctx, g.get()))
                    g = geos::makeValidPolygonal(ctx, g.get());
                if (g)
                    parts.push_back(g.release());
            }
        // The collection owns the parts from here.
        const geos::GeomPtr all = ctx.check(GEOSGeom_createCollection_r(ctx.handle(), GEOS_GEOMETRYCOLLECTION,
                                                                        parts.data(), unsigned(parts.size())),
                                            "basemap polygons");
        // A clean coverage (countries that share their borders' vertices, as a topology's do)
        // is merged along its shared edges, fast. Its result is kept only if it is valid and
        // has the parts' area, as a union of polygons that do not overlap must (overlapping
        // parts come back as overlapping polygons of their summed area: invalid). Anything
        // else: a full union.
        double partsArea = 0;
        for (int i = 0, n = GEOSGetNumGeometries_r(ctx.handle(), all.get()); i < n; ++i) {
            double a = 0;
            GEOSArea_r(ctx.handle(), GEOSGetGeometryN_r(ctx.handle(), all.get(), i), &a);
            partsArea += a;
        }
        geos::GeomPtr land{GEOSCoverageUnion_r(ctx.handle(), all.get()), {ctx.handle()}};
        double landArea = -1;
        if (!land || !GEOSArea_r(ctx.handle(), land.get(), &landArea) ||
            std::abs(landArea - partsArea) > 1e-9 * partsArea || !geos::isValid(ctx, land.get()))
            land = ctx.check(GEOSUnaryUnion_r(ctx.handle(), all.get()), "basemap land");
        return geos::fromGeos(ctx, land.get());
    } catch (const std::exception &e) {
        if (note)
            *note = std::string("basemap land not merged, countries filled one by one: ") + e.what();
        return std::nullopt;
    }
}

} // namespace

std::vector<model::Path> uniqueOutlines(const model::Layer &layer) {
    std::unordered_set<SegmentKey, SegmentHash> seen;
    std::vector<model::Path> out;
    for (const auto &f : layer.features)
        for (const auto &polygon : f.geometry.polygons)
            for (const auto &ring : polygon.rings) {
                if (ring.size() < 2)
                    continue;
                const bool closed = ring.front() == ring.back();
                const std::size_t segments = closed ? ring.size() - 1 : ring.size();
                std::vector<model::Path> runs;
                model::Path run;
                for (std::size_t i = 0; i < segments; ++i) {
                    const model::LonLat a = ring[i], b = ring[(i + 1) % ring.size()];
                    if (a == b)
                        continue;
                    if (!alongAntimeridian(a, b) && seen.insert(keyOf(a, b)).second) {
                        if (run.empty())
                            run.push_back(a);
                        run.push_back(b);
                    } else if (!run.empty()) {
                        runs.push_back(std::move(run));
                        run.clear();
                    }
                }
                if (!run.empty())
                    runs.push_back(std::move(run));
                // The last run and the first meet at the ring's start: one path.
                if (runs.size() >= 2 && runs.back().back() == runs.front().front()) {
                    runs.back().insert(runs.back().end(), runs.front().begin() + 1, runs.front().end());
                    runs.erase(runs.begin());
                }
                for (auto &r : runs)
                    out.push_back(std::move(r));
            }
    return out;
}

LayerMesh buildBasemapMesh(const model::Layer &layer, std::string *note) {
    std::optional<model::Geometry> land = landOf(layer, note);
    if (!land)
        return buildLayerMesh(layer);
    const std::vector<model::Path> outlines = uniqueOutlines(layer);
    return buildMeshWithLevels(meshOrigin(layer), [&](MeshBuilder &b) {
        for (const auto &polygon : land->polygons)
            b.addPolygon(polygon, true, false);
        for (const auto &path : outlines)
            b.addLine(path);
        for (std::size_t i = 0; i < layer.features.size(); ++i) {
            const auto &g = layer.features[i].geometry;
            for (const auto &p : g.points)
                b.addPoint(p, std::uint32_t(i));
            for (const auto &l : g.lines)
                b.addLine(l);
        }
    });
}

} // namespace orefront::viewer
