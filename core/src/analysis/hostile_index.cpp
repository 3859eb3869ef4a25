#include "control.hpp"
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/control.hpp"
#include "orefront/analysis/spatial_index.hpp"
#include "orefront/model/error.hpp"
#include "orefront/proj/geodesic.hpp"

#include <algorithm>

namespace orefront::analysis {

struct HostileIndex::Impl {
    NearestSegments firing;
    AreaIndex hostile;
    AreaIndex contested;
    // Vertices that reveal hostile geometry lying wholly inside a polygon deposit, where no
    // boundary sample of the deposit would see it: every firing vertex, and one vertex of
    // each hostile polygon.
    std::vector<model::LonLat> firingVertices;
    std::vector<model::LonLat> hostileVertices;
};

HostileIndex::HostileIndex(const std::vector<HostileInput> &inputs) : m_impl(std::make_unique<Impl>()) {
    const detail::ControlGeometry control = detail::sortControl(inputs);
    for (const auto *poly : control.hostile)
        m_impl->hostile.addPolygon(*poly);
    for (const auto *poly : control.contested)
        m_impl->contested.addPolygon(*poly);
    for (const auto *path : control.firingPaths) {
        m_impl->firing.addPath(*path);
        m_impl->firingVertices.insert(m_impl->firingVertices.end(), path->begin(), path->end());
    }
    for (const auto &p : control.firingPoints) {
        m_impl->firing.addPoint(p);
        m_impl->firingVertices.push_back(p);
    }
    for (const auto *poly : control.hostile)
        if (!poly->rings.empty() && !poly->rings[0].empty())
            m_impl->hostileVertices.push_back(poly->rings[0][0]);
    m_impl->firing.build();
    m_impl->hostile.build();
    m_impl->contested.build();
}

namespace detail {

// Points along a geometry's boundary no farther apart than `stepM`, for measuring a
// line or polygon deposit.
std::vector<model::LonLat> boundarySamples(const model::Geometry &g, double stepM) {
    std::vector<model::LonLat> out(g.points.begin(), g.points.end());
    auto addPath = [&](const model::Path &path) {
        for (std::size_t i = 0; i < path.size(); ++i) {
            out.push_back(path[i]);
            if (i + 1 == path.size())
                break;
            const double len = proj::geodesicDistanceM(path[i], path[i + 1]);
            const int n = static_cast<int>(len / stepM);
            for (int k = 1; k <= n; ++k)
                out.push_back(proj::geodesicInterpolate(path[i], path[i + 1], double(k) / (n + 1)));
        }
    };
    for (const auto &l : g.lines)
        addPath(l);
    for (const auto &p : g.polygons)
        for (const auto &r : p.rings)
            addPath(r);
    return out;
}

ControlGeometry sortControl(const std::vector<HostileInput> &inputs) {
    ControlGeometry out;
    for (const auto &in : inputs) {
        const model::Layer &layer = *in.layer;
        const model::LayerSpec &spec = *in.spec;
        const ControlReader reader(layer, spec);
        for (const auto &f : layer.features) {
            const Control c = reader.classify(f);
            if (c == Control::Contested) {
                for (const auto &poly : f.geometry.polygons)
                    out.contested.push_back(&poly);
                continue;
            }
            if (c != Control::Hostile)
                continue;
            for (const auto &poly : f.geometry.polygons) {
                out.hostile.push_back(&poly);
                if (spec.rangeFrom)
                    for (const auto &ring : poly.rings)
                        out.firingPaths.push_back(&ring);
            }
            if (spec.rangeFrom) {
                for (const auto &line : f.geometry.lines)
                    out.firingPaths.push_back(&line);
                out.firingPoints.insert(out.firingPoints.end(), f.geometry.points.begin(),
                                        f.geometry.points.end());
            }
        }
    }
    return out;
}

} // namespace detail

HostileIndex::~HostileIndex() = default;
HostileIndex::HostileIndex(HostileIndex &&) noexcept = default;
HostileIndex &HostileIndex::operator=(HostileIndex &&) noexcept = default;

std::size_t HostileIndex::segmentCount() const {
    return m_impl->firing.size();
}

bool HostileIndex::occupies(model::LonLat p) const {
    return m_impl->hostile.contains(p);
}

HostileIndex::Hit HostileIndex::query(model::LonLat p) const {
    return query(p, nullptr);
}

HostileIndex::Hit HostileIndex::query(model::LonLat p, std::uint32_t *hint) const {
    Hit h;
    h.occupied = m_impl->hostile.contains(p);
    h.contested = m_impl->contested.contains(p);
    if (h.occupied) {
        h.distanceKm = 0.0;
        h.nearest = p;
    } else if (auto r = m_impl->firing.nearest(p, hint ? *hint : UINT32_MAX)) {
        h.distanceKm = r->distanceM / 1000.0;
        h.nearest = r->nearest;
        if (hint)
            *hint = r->segment;
    }
    return h;
}

HostileIndex::Hit HostileIndex::query(const model::Geometry &g) const {
    if (g.isSinglePoint())
        return query(g.points.front());
    Hit best;
    auto scan = [&](const std::vector<model::LonLat> &points) {
        for (const auto &p : points) {
            const Hit h = query(p);
            best.occupied |= h.occupied;
            best.contested |= h.contested;
            if (h.distanceKm && (!best.distanceKm || *h.distanceKm < *best.distanceKm)) {
                best.distanceKm = h.distanceKm;
                best.nearest = h.nearest;
            }
        }
    };
    scan(detail::boundarySamples(g, 1000.0));
    // Between 1 km samples the boundary can come up to 0.5 km nearer than the nearest sample
    // does; close to the front that exceeds the tolerance, so measure again at 25 m.
    if (best.distanceKm && *best.distanceKm < 5.0)
        scan(detail::boundarySamples(g, 25.0));

    if (g.polygons.empty())
        return best;
    // Hostile geometry wholly inside the deposit: its vertices are inside the deposit.
    AreaIndex deposit;
    for (const auto &poly : g.polygons)
        deposit.addPolygon(poly);
    deposit.build();
    const model::BBox &box = deposit.bounds();
    auto inside = [&](model::LonLat p) {
        return p.lat >= box.minLat && p.lat <= box.maxLat && deposit.contains(p);
    };
    auto touch = [&](const std::vector<model::LonLat> &vertices) {
        const auto it = std::find_if(vertices.begin(), vertices.end(), inside);
        if (it != vertices.end()) {
            best.distanceKm = 0.0;
            best.nearest = *it;
        }
        return it != vertices.end();
    };
    if (touch(m_impl->hostileVertices))
        best.occupied = true;
    else
        touch(m_impl->firingVertices);
    return best;
}

} // namespace orefront::analysis
