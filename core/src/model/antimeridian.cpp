#include "orefront/model/antimeridian.hpp"

#include <algorithm>
#include <cmath>

namespace orefront::model {

namespace {

// Longitudes made continuous along the ring: each step is the short way round.
Path unwrap(const Path &ring) {
    Path out;
    out.reserve(ring.size() + 3);
    for (const auto &p : ring) {
        if (out.empty()) {
            out.push_back(p);
            continue;
        }
        double d = std::fmod(p.lon - out.back().lon, 360.0);
        if (d > 180.0)
            d -= 360.0;
        else if (d < -180.0)
            d += 360.0;
        out.push_back({out.back().lon + d, p.lat});
    }
    return out;
}

// Closes an unwrapped ring (its input closed). One that went once round the world (its end
// 360 degrees from its start) circles a pole: it is closed along the pole on the side of its
// mean latitude.
bool closeUnwrapped(Path &ring) {
    if (ring.size() < 2)
        return false;
    const double sweep = ring.back().lon - ring.front().lon;
    if (std::abs(sweep) > 180.0) {
        double meanLat = 0;
        for (const auto &p : ring)
            meanLat += p.lat;
        const double pole = meanLat < 0 ? -90.0 : 90.0;
        const LonLat end = ring.back(), start = ring.front();
        ring.push_back({end.lon, pole});
        ring.push_back({start.lon, pole});
        ring.push_back(start);
        return true;
    }
    ring.back() = ring.front();
    return false;
}

// A polar ring that never leaves the pole's last 0.01 degrees.
bool isPolarCap(const Path &ring) {
    return std::all_of(ring.begin(), ring.end(), [](const LonLat &p) { return std::abs(p.lat) > 89.99; });
}

// Sutherland-Hodgman against one vertical line: keeps x >= edge (keepAbove) or x <= edge.
// Concave rings come back as one ring with zero-width bridges along the line, which the
// triangulation and the outline (isAntimeridianCut once moved to +-180) both ignore.
Path clipAt(const Path &ring, double edge, bool keepAbove) {
    Path out;
    if (ring.size() < 2)
        return out;
    auto inside = [&](const LonLat &p) { return keepAbove ? p.lon >= edge : p.lon <= edge; };
    // Without the closing duplicate.
    const std::size_t n = ring.front() == ring.back() ? ring.size() - 1 : ring.size();
    for (std::size_t i = 0; i < n; ++i) {
        const LonLat a = ring[i], b = ring[(i + 1) % n];
        const bool ia = inside(a), ib = inside(b);
        if (ia)
            out.push_back(a);
        if (ia != ib) {
            const double t = (edge - a.lon) / (b.lon - a.lon);
            out.push_back({edge, a.lat + t * (b.lat - a.lat)});
        }
    }
    if (!out.empty())
        out.push_back(out.front());
    return out;
}

Path clipToStrip(const Path &ring, double lo, double hi, double shift) {
    Path out = clipAt(clipAt(ring, lo, true), hi, false);
    for (auto &p : out)
        p.lon += shift;
    // Exactly on the edges, whatever rounding the shift did.
    for (auto &p : out)
        if (std::abs(std::abs(p.lon) - 180.0) < 1e-9)
            p.lon = std::copysign(180.0, p.lon);
    return out;
}

bool ringCrosses(const Path &ring) {
    for (std::size_t i = 1; i < ring.size(); ++i)
        if (crossesAntimeridian(ring[i - 1], ring[i]))
            return true;
    return ring.size() > 1 && crossesAntimeridian(ring.back(), ring.front());
}

} // namespace

bool crossesAntimeridian(LonLat a, LonLat b) {
    return std::abs(a.lon - b.lon) > 180.0 && !isAntimeridianCut(a, b);
}

bool isAntimeridianCut(LonLat a, LonLat b) {
    return std::abs(std::abs(a.lon) - 180.0) < 1e-9 && std::abs(std::abs(b.lon) - 180.0) < 1e-9;
}

std::vector<Path> splitPathAtAntimeridian(const Path &path) {
    std::vector<Path> out(1);
    for (std::size_t i = 0; i < path.size(); ++i) {
        if (i > 0 && crossesAntimeridian(path[i - 1], path[i])) {
            const LonLat a = path[i - 1], b = path[i];
            const double edge = a.lon > 0 ? 180.0 : -180.0;
            const double bLon = b.lon + 2.0 * edge; // b moved beside a
            const double t = bLon == a.lon ? 0.0 : (edge - a.lon) / (bLon - a.lon);
            const double lat = a.lat + t * (b.lat - a.lat);
            out.back().push_back({edge, lat});
            out.push_back({{-edge, lat}});
        }
        out.back().push_back(path[i]);
    }
    return out;
}

std::vector<Polygon> splitPolygonAtAntimeridian(const Polygon &polygon) {
    if (std::none_of(polygon.rings.begin(), polygon.rings.end(), ringCrosses))
        return {polygon};
    // Each ring with continuous longitudes, closed; polar caps dropped.
    std::vector<Path> rings;
    int firstPolar = -1;
    for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
        const Path &ring = polygon.rings[r];
        if (ring.size() < 3) {
            if (r == 0)
                return {};
            continue;
        }
        Path closed = ring;
        if (!(closed.front() == closed.back()))
            closed.push_back(closed.front());
        Path u = unwrap(closed);
        const bool polar = closeUnwrapped(u);
        if (polar && isPolarCap(closed)) {
            if (r == 0)
                rings.emplace_back(); // the exterior, replaced below
            continue;
        }
        if (polar && firstPolar < 0 && r > 0)
            firstPolar = int(rings.size());
        rings.push_back(std::move(u));
    }
    if (rings.empty())
        return {};
    if (rings.front().empty()) {
        if (firstPolar < 0)
            return {};
        rings.front() = std::move(rings[std::size_t(firstPolar)]);
        rings.erase(rings.begin() + firstPolar);
    }
    Polygon unwrapped;
    double minLon = 0, maxLon = 0;
    for (std::size_t r = 0; r < rings.size(); ++r) {
        Path &u = rings[r];
        double lo = u.front().lon, hi = lo;
        for (const auto &p : u)
            lo = std::min(lo, p.lon), hi = std::max(hi, p.lon);
        if (r == 0) {
            minLon = lo;
            maxLon = hi;
        } else {
            // A hole in the same world copy as the exterior.
            const double shift = 360.0 * std::round(((minLon + maxLon) - (lo + hi)) / 2.0 / 360.0);
            for (auto &p : u)
                p.lon += shift;
        }
        unwrapped.rings.push_back(std::move(u));
    }
    std::vector<Polygon> out;
    for (int copy = -2; copy <= 2; ++copy) {
        const double shift = 360.0 * copy; // brings [lo, hi] back to [-180, 180]
        const double lo = -180.0 - shift, hi = 180.0 - shift;
        if (maxLon <= lo || minLon >= hi)
            continue;
        Polygon piece;
        for (std::size_t r = 0; r < unwrapped.rings.size(); ++r) {
            Path clipped = clipToStrip(unwrapped.rings[r], lo, hi, shift);
            if (clipped.size() < 4) {
                if (r == 0)
                    break;
                continue;
            }
            piece.rings.push_back(std::move(clipped));
        }
        if (!piece.rings.empty())
            out.push_back(std::move(piece));
    }
    return out;
}

} // namespace orefront::model
