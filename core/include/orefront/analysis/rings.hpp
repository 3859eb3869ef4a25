#pragma once
// The firing boundary prepared once per scenario (or per snapshot of a dated series), from
// which a range ring of any distance is built quickly: `analyze --with-rings`, `render`,
// `brief` and the viewer (each ring-distance edit, each Timeline date) all build their rings
// from it.
//
// Preparing does, once, what every ring needs: the firing paths (front lines, the boundaries
// of territory with range_from, firing points) are cut into 2-degree cells, densified along
// the geodesic, projected into each cell's azimuthal-equidistant projection and simplified
// there (Douglas-Peucker) within toleranceM(); the hostile territory, which lies inside
// every ring, is unioned once and simplified within the same tolerance. A ring is then one
// GEOS buffer per cell of a few thousand vertices and one union.
//
// Accuracy: a ring's edge lies at its distance from the unsimplified boundary within
// toleranceM() plus the buffer's own error (its arcs are chords of 16 segments a quarter
// circle, and the projection's distortion is under 0.03 % within a cell plus 80 km).
//
// Thread rules: a RingBoundary is an immutable value; build() is const and may run on any
// thread, several at once (each call has its own GEOS and PROJ contexts). Share it as a
// std::shared_ptr<const RingBoundary>.
#include "orefront/analysis/analysis.hpp"

#include <vector>

namespace orefront::analysis {

// The boundary's simplification tolerance: 0.1 % of a 20 km ring (tube artillery), and well
// under the 50 m the unprepared path allowed itself for rings of 50 km and more.
inline constexpr double kRingToleranceM = 20.0;

class RingBoundary {
public:
    RingBoundary() = default; // no hostile positions: every ring is empty
    // Heavy (the boundary's vertices densified, projected and simplified; the territory
    // unioned): once per scenario. `threads` workers over the cells (0: one per core).
    // Throws InputError as sortControl() does (a missing status field), GeometryError when
    // GEOS fails.
    explicit RingBoundary(const std::vector<HostileInput> &hostile, double toleranceM = kRingToleranceM,
                          unsigned threads = 1);

    // The rings at `ringsKm` (in the given order), each the area within that distance of a
    // firing position, hostile territory included. `threads` workers over the distances and
    // cells (0: one per core). Throws GeometryError when GEOS fails.
    std::vector<Ring> build(const std::vector<double> &ringsKm, unsigned threads = 1) const;
    Ring build(double km, unsigned threads = 1) const;
    // The same rings as before the wider bases (issue 11): each widened from the cells' 2 km
    // buffers. Slower; the same geometry within the tolerance. For the tests and benchmarks.
    std::vector<Ring> buildFromNarrowestBase(const std::vector<double> &ringsKm, unsigned threads = 1) const;

    double toleranceM() const { return m_toleranceM; }
    bool empty() const { return m_cells.empty() && m_territory.polygons.empty(); }
    // Vertices kept after simplification (all cells), for benchmarks and tests.
    std::size_t vertexCount() const;

    // One 2-degree cell: its pieces of firing path in the cell's azimuthal-equidistant
    // projection (metres), simplified; isolated firing points as points.
    // `bases`: those buffered by 2, 8 and 32 km (polygons, projected), which wider rings widen.
    struct Cell {
        model::LonLat centre;
        model::Geometry xy;
        std::vector<model::Geometry> bases;
    };

private:
    // build(), widening no base wider than level `maxLevel` of Cell::bases.
    std::vector<Ring> buildFrom(const std::vector<double> &ringsKm, unsigned threads,
                                std::size_t maxLevel) const;

    std::vector<Cell> m_cells;
    model::Geometry m_territory; // lon/lat, unioned and simplified
    double m_toleranceM = kRingToleranceM;
};

} // namespace orefront::analysis
