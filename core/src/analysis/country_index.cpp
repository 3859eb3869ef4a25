#include "orefront/analysis/country_index.hpp"

#include "orefront/model/error.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <unistd.h>

namespace orefront::analysis {

namespace {

constexpr int kCellsLon = 360, kCellsLat = 180;

bool isCode(const std::string &s) {
    return s.size() == 3 && std::all_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::string upper(std::string s) {
    for (auto &c : s)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// The fine grid: 1/8 degree (2880 x 1440 cells, 8 MB), a cell about 14 x 14 km at 0 degrees.
constexpr int kFine = 8, kFineLon = kCellsLon * kFine, kFineLat = kCellsLat * kFine;
// Beyond this latitude a cell's longitude span is too narrow for the margin: always exact.
constexpr double kFineMaxLat = 80.0;
// The margin around every border edge within which cells take the exact test: more than the
// coastal tolerance (25 km) in latitude and in longitude up to kFineMaxLat.
constexpr double kMarginLat = 0.3;

int fineLon(double lon) {
    return std::clamp(static_cast<int>(std::floor((lon + 180.0) * kFine)), 0, kFineLon - 1);
}
int fineLat(double lat) {
    return std::clamp(static_cast<int>(std::floor((lat + 90.0) * kFine)), 0, kFineLat - 1);
}

int cellLon(double lon) {
    return std::clamp(static_cast<int>(std::floor(lon + 180.0)), 0, kCellsLon - 1);
}
int cellLat(double lat) {
    return std::clamp(static_cast<int>(std::floor(lat + 90.0)), 0, kCellsLat - 1);
}

} // namespace

CountryIndex::CountryIndex(const model::Layer &layer, const std::string &isoField)
    : m_cells(kCellsLon * kCellsLat), m_cellEdges(kCellsLon * kCellsLat), m_describe(layer.describe()) {
    std::vector<int> fields;
    if (!isoField.empty()) {
        const int idx = layer.fieldIndex(isoField);
        if (idx < 0)
            throw InputError(layer.describe() + ": no field '" + isoField +
                             "' (its iso_field); fields are: " + layer.fieldNames());
        fields.push_back(idx);
    } else {
        for (const char *name : {"ISO_A3", "ISO_A3_EH", "ADM0_A3", "iso3", "iso_a3"})
            if (const int idx = layer.fieldIndex(name);
                idx >= 0 && std::find(fields.begin(), fields.end(), idx) == fields.end())
                fields.push_back(idx);
        if (fields.empty())
            throw InputError(layer.describe() +
                             ": no ISO 3166-1 alpha-3 field (ISO_A3, ISO_A3_EH, ADM0_A3 or iso3): name it "
                             "with iso_field; fields are: " +
                             layer.fieldNames());
    }
    std::map<std::string, std::uint16_t> ids;
    std::vector<std::vector<const model::Polygon *>> parts;
    for (const auto &f : layer.features) {
        std::string code;
        for (int idx : fields)
            if (code = upper(model::toString(f.attributes[idx])); isCode(code))
                break;
        if (!isCode(code) || f.geometry.polygons.empty())
            continue;
        auto [it, added] = ids.emplace(code, static_cast<std::uint16_t>(m_codes.size()));
        if (added) {
            m_codes.push_back(code);
            parts.emplace_back();
        }
        for (const auto &poly : f.geometry.polygons)
            parts[it->second].push_back(&poly);
    }
    if (m_codes.empty())
        throw InputError(layer.describe() + ": no polygon with an ISO 3166-1 alpha-3 code");
    m_areas.resize(m_codes.size());
    std::vector<std::pair<double, double>> wrapBands; // latitude spans of edges across the antimeridian
    for (std::size_t c = 0; c < m_codes.size(); ++c) {
        for (const model::Polygon *poly : parts[c]) {
            m_areas[c].addPolygon(*poly);
            model::BBox box;
            for (const auto &ring : poly->rings) {
                for (std::size_t k = 0; k < ring.size(); ++k) {
                    box.expand(ring[k]);
                    // Cells within ~30 km of the edge from ring[k] to the next vertex.
                    const model::LonLat a = ring[k], b = ring[(k + 1) % ring.size()];
                    if (std::abs(a.lon - b.lon) > 180 || a == b) { // an antimeridian cut, not an edge
                        // ... but the point-in-polygon test sees it across the world
                        if (a != b)
                            wrapBands.emplace_back(std::min(a.lat, b.lat), std::max(a.lat, b.lat));
                        continue;
                    }
                    const auto e = static_cast<std::uint32_t>(m_edges.size());
                    m_edges.push_back({a, b, static_cast<std::uint16_t>(c)});
                    const double growLat = 0.3;
                    const double growLon = std::min(
                        3.0, growLat / std::max(0.1, std::cos(std::max(std::abs(a.lat), std::abs(b.lat)) *
                                                              M_PI / 180)));
                    for (int y = cellLat(std::min(a.lat, b.lat) - growLat);
                         y <= cellLat(std::max(a.lat, b.lat) + growLat); ++y)
                        for (int x = cellLon(std::min(a.lon, b.lon) - growLon);
                             x <= cellLon(std::max(a.lon, b.lon) + growLon); ++x) {
                            m_cellEdges[y * kCellsLon + x].push_back(e);
                        }
                }
            }
            // A country is a candidate in every cell its part's box (grown by about the
            // coastal tolerance) touches.
            const double grow = 0.5;
            for (int y = cellLat(box.minLat - grow); y <= cellLat(box.maxLat + grow); ++y)
                for (int x = cellLon(box.minLon - grow); x <= cellLon(box.maxLon + grow); ++x) {
                    auto &cell = m_cells[y * kCellsLon + x];
                    if (cell.empty() || cell.back() != c)
                        cell.push_back(static_cast<std::uint16_t>(c));
                }
        }
        m_areas[c].build();
    }
    markBorderCells(wrapBands);
}

void CountryIndex::markBorderCells(const std::vector<std::pair<double, double>> &wrapBands) {
    m_fine.reset(new std::atomic<std::uint16_t>[static_cast<std::size_t>(kFineLon) * kFineLat]);
    for (std::size_t i = 0; i < static_cast<std::size_t>(kFineLon) * kFineLat; ++i)
        m_fine[i].store(kUnknown, std::memory_order_relaxed);
    auto mark = [&](int y0, int y1, int x0, int x1) {
        for (int y = y0; y <= y1; ++y)
            for (int x = x0; x <= x1; ++x)
                m_fine[static_cast<std::size_t>(y) * kFineLon + x].store(kNearBorder,
                                                                         std::memory_order_relaxed);
    };
    mark(0, fineLat(-kFineMaxLat), 0, kFineLon - 1);
    mark(fineLat(kFineMaxLat), kFineLat - 1, 0, kFineLon - 1);
    for (const auto &[lat0, lat1] : wrapBands)
        mark(fineLat(lat0 - kMarginLat), fineLat(lat1 + kMarginLat), 0, kFineLon - 1);
    for (const Edge &e : m_edges) {
        const double maxLat =
            std::min(kFineMaxLat, std::max(std::abs(e.a.lat), std::abs(e.b.lat)) + kMarginLat);
        const double marginLon = kMarginLat / std::cos(maxLat * M_PI / 180);
        const int y0 = fineLat(std::min(e.a.lat, e.b.lat) - kMarginLat),
                  y1 = fineLat(std::max(e.a.lat, e.b.lat) + kMarginLat);
        const double lon0 = std::min(e.a.lon, e.b.lon) - marginLon,
                     lon1 = std::max(e.a.lon, e.b.lon) + marginLon;
        mark(y0, y1, fineLon(lon0), fineLon(lon1));
        if (lon0 < -180) // the margin continues across the antimeridian
            mark(y0, y1, fineLon(lon0 + 360), kFineLon - 1);
        if (lon1 > 180)
            mark(y0, y1, 0, fineLon(lon1 - 360));
    }
}

std::string_view CountryIndex::locate(model::LonLat p, double toleranceKm) const {
    if (!std::isfinite(p.lon) || !std::isfinite(p.lat))
        return {};
    // The grid's margin covers tolerances up to the coastal one; a larger one goes exact.
    if (toleranceKm > kCoastToleranceKm || p.lon < -180 || p.lon > 180 || p.lat < -90 || p.lat > 90)
        return locateExact(p, toleranceKm);
    const int y = fineLat(p.lat), x = fineLon(p.lon);
    std::atomic<std::uint16_t> &cell = m_fine[static_cast<std::size_t>(y) * kFineLon + x];
    std::uint16_t v = cell.load(std::memory_order_relaxed);
    if (v == kUnknown) {
        // No border within the margin: the cell's centre answers for all of it (in a country,
        // or in none and farther than any tolerance from every border).
        const std::string_view at = locateExact({(x + 0.5) / kFine - 180.0, (y + 0.5) / kFine - 90.0}, 0.0);
        v = at.empty()
                ? kNoCountry
                : static_cast<std::uint16_t>(std::find(m_codes.begin(), m_codes.end(), at) - m_codes.begin());
        cell.store(v, std::memory_order_relaxed);
    }
    if (v == kNearBorder)
        return locateExact(p, toleranceKm);
    return v == kNoCountry ? std::string_view() : std::string_view(m_codes[v]);
}

std::string_view CountryIndex::locateExact(model::LonLat p, double toleranceKm) const {
    if (!std::isfinite(p.lon) || !std::isfinite(p.lat))
        return {};
    const auto &cell = m_cells[cellLat(p.lat) * kCellsLon + cellLon(p.lon)];
    for (std::uint16_t c : cell)
        if (m_areas[c].contains(p))
            return m_codes[c];
    // Outside every polygon: the nearest border edge near this cell within the tolerance,
    // measured in a local plane around the point (km).
    if (!(toleranceKm > 0))
        return {};
    const double kx = 111.32 * std::cos(p.lat * M_PI / 180), ky = 110.57;
    double best2 = toleranceKm * toleranceKm;
    int bestCountry = -1;
    for (std::uint32_t e : m_cellEdges[cellLat(p.lat) * kCellsLon + cellLon(p.lon)]) {
        const Edge &edge = m_edges[e];
        auto dlon = [&](double lon) {
            double d = lon - p.lon;
            return d > 180 ? d - 360 : d < -180 ? d + 360 : d;
        };
        const double ax = dlon(edge.a.lon) * kx, ay = (edge.a.lat - p.lat) * ky;
        const double bx = dlon(edge.b.lon) * kx, by = (edge.b.lat - p.lat) * ky;
        const double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy;
        const double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
        const double x = ax + t * dx, y = ay + t * dy, d2 = x * x + y * y;
        if (d2 <= best2) {
            best2 = d2;
            bestCountry = edge.country;
        }
    }
    return bestCountry < 0 ? std::string_view() : std::string_view(m_codes[bestCountry]);
}

std::string bundledBoundariesPath() {
    namespace fs = std::filesystem;
    const char *file = "ne_50m_admin0_dejure.geojson";
    // Installed: <prefix>/bin/orefront -> <prefix>/share/orefront/. Else the source tree's geodata/.
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        const fs::path installed = exe.parent_path().parent_path() / "share" / "orefront" / file;
        if (fs::exists(installed, ec))
            return installed.string();
    }
    return (fs::path(OREFRONT_GEODATA_DIR) / file).string();
}

} // namespace orefront::analysis
