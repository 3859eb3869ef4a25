#pragma once
// CountryIndex: which country a point lies in, from a world boundaries layer (the bundled
// Natural Earth admin-0, de jure, or a scenario's role = "boundaries" layer). Point-in-polygon
// over the countries whose part boxes overlap the point's 1-degree cell; a point just outside
// every polygon (a coastal deposit in a generalised layer) takes the country whose border is
// nearest within a tolerance (distance in a local equirectangular plane: within 0.5 % of the
// ellipsoidal distance at 25 km, enough to decide a tolerance).
// Immutable after construction; locate() is const and thread-safe.
#include "orefront/analysis/spatial_index.hpp"
#include "orefront/model/layer.hpp"

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace orefront::analysis {

class CountryIndex {
public:
    // `isoField`: the field holding each polygon's ISO 3166-1 alpha-3 code; empty tries ISO_A3,
    // then ISO_A3_EH and ADM0_A3 wherever a value is not a code (Natural Earth writes -99
    // for France, Norway and Kosovo in ISO_A3). Throws InputError naming the layer when no
    // such field exists or no polygon has a code.
    CountryIndex(const model::Layer &boundaries, const std::string &isoField);

    // The code of the country containing `p`, or of the nearest one within `toleranceKm`; ""
    // when none. The view stays valid for the index's life.
    // Answered from a grid of 1/8-degree cells when the point's cell is more than ~30 km from
    // every border (the cell then lies wholly in one country, or in none and beyond the
    // tolerance); only cells near a border take the exact test, locateExact().
    std::string_view locate(model::LonLat p, double toleranceKm = kCoastToleranceKm) const;
    // The exact test, without the grid: point in polygon, then the nearest border within the
    // tolerance. locate() gives the same answer for every point (tests compare the two).
    std::string_view locateExact(model::LonLat p, double toleranceKm = kCoastToleranceKm) const;
    std::size_t countryCount() const { return m_codes.size(); }
    const std::string &describe() const { return m_describe; }

    static constexpr double kCoastToleranceKm = 25.0;

private:
    void markBorderCells(const std::vector<std::pair<double, double>> &wrapBands);

    struct Edge {
        model::LonLat a, b;
        std::uint16_t country;
    };
    std::vector<std::string> m_codes;
    std::vector<AreaIndex> m_areas;                  // per country
    std::vector<std::vector<std::uint16_t>> m_cells; // 360 x 180 one-degree cells -> countries
    // The border edges within about 30 km of each cell: the only candidates for a point
    // outside every polygon (open sea finds none at once).
    std::vector<Edge> m_edges;
    std::vector<std::vector<std::uint32_t>> m_cellEdges;
    // Fine cells: a country's index, or kNoCountry, kNearBorder (take the exact test) or
    // kUnknown (not yet asked: filled on first use, by whichever thread asks; every thread
    // computes the same value, so the relaxed atomic store is a cache, never a race).
    static constexpr std::uint16_t kUnknown = 0xffff, kNearBorder = 0xfffe, kNoCountry = 0xfffd;
    std::unique_ptr<std::atomic<std::uint16_t>[]> m_fine;
    std::string m_describe;
};

// The boundaries layer for a project: the scenario's role = "boundaries" layer if it has one,
// else the bundled Natural Earth admin-0 countries (bundledBoundariesPath()).
std::string bundledBoundariesPath();

} // namespace orefront::analysis
