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

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
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
    std::string_view locate(model::LonLat p, double toleranceKm = kCoastToleranceKm) const;
    std::size_t countryCount() const { return m_codes.size(); }
    const std::string &describe() const { return m_describe; }

    static constexpr double kCoastToleranceKm = 25.0;

private:
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
    std::string m_describe;
};

// The boundaries layer for a project: the scenario's role = "boundaries" layer if it has one,
// else the bundled Natural Earth admin-0 countries (bundledBoundariesPath()).
std::string bundledBoundariesPath();

} // namespace orefront::analysis
