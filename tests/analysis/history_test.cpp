// runHistory() on a hand-made monthly series (tests/data/unit/series/): the dates sampled,
// each deposit's first date in each ring, first occupied date, days in range and distance
// trend, and the occupied area against GeographicLib and an equal-area projection.
#include "analysis/reference.hpp"
#include "orefront/analysis/history.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/series_io.hpp"
#include "orefront/model/error.hpp"

#include <GeographicLib/PolygonArea.hpp>
#include <catch2/catch.hpp>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

using namespace orefront;
using model::Date;
using testing::unitData;

namespace {

Date day(const char *iso) {
    return *Date::parseIso(iso);
}

// Distance from `p` to the meridian edge lon = `lon`, lat 50..51, by brute force on GeographicLib.
double toEdgeKm(model::LonLat p, double lon) {
    double best = 1e300;
    for (int i = 0; i <= 10000; ++i)
        best = std::min(best, testing::geodesicM(p, {lon, 50.0 + i / 10000.0}));
    return best / 1000;
}

} // namespace

TEST_CASE("historyDates: snapshots, days and months between --from and --to") {
    const std::vector<Date> snaps = {day("2022-01-01"), day("2022-02-01"), day("2022-03-01")};
    using analysis::HistoryStep;
    auto iso = [](const std::vector<Date> &v) {
        std::vector<std::string> out;
        for (auto d : v)
            out.push_back(d.iso());
        return out;
    };
    CHECK(iso(analysis::historyDates(snaps, {}, {}, {})) ==
          std::vector<std::string>{"2022-01-01", "2022-02-01", "2022-03-01"});
    CHECK(iso(analysis::historyDates(snaps, day("2022-01-15"), day("2022-02-20"), {})) ==
          std::vector<std::string>{"2022-01-15", "2022-02-01"});
    CHECK(iso(analysis::historyDates(snaps, {}, day("2022-01-22"), {HistoryStep::Days, 7})) ==
          std::vector<std::string>{"2022-01-01", "2022-01-08", "2022-01-15", "2022-01-22"});
    CHECK(iso(analysis::historyDates(snaps, day("2022-01-31"), {}, {HistoryStep::Months, 1})) ==
          std::vector<std::string>{"2022-01-31", "2022-02-28"});
    CHECK_THROWS_AS(analysis::historyDates(snaps, day("2022-03-01"), day("2022-02-01"), {}), UsageError);
    CHECK_THROWS_AS(analysis::historyDates({}, {}, {}, {}), InputError);
    CHECK(analysis::parseHistoryStep("7d")->count == 7);
    CHECK(analysis::parseHistoryStep("1m")->kind == HistoryStep::Months);
    CHECK_FALSE(analysis::parseHistoryStep("0d"));
    CHECK_FALSE(analysis::parseHistoryStep("1w"));
    CHECK_FALSE(analysis::parseHistoryStep("d"));
}

TEST_CASE("runHistory: first date in each ring, first occupied, days in range, trend", "[gdal]") {
    const model::Scenario s = io::loadScenario(unitData("series/scenario.toml"));
    const auto dates = analysis::historyDates(io::seriesDates(s), {}, {}, {});
    REQUIRE(dates.size() == 4);
    std::vector<std::optional<double>> distA;
    std::vector<double> areas;
    std::vector<rules::Verdict> verdictsA;
    const auto h = analysis::runHistory(s, dates, [&](const analysis::HistoryDate &d) {
        REQUIRE(d.measurements->perDeposit.size() == 3);
        distA.push_back(d.measurements->perDeposit[0].frontDistanceKm);
        areas.push_back(d.occupiedKm2);
        verdictsA.push_back(d.report->deposits[0].verdict);
        std::string reasons;
        for (auto r : d.report->deposits[0].reasons)
            reasons += std::string(r) + " ";
        UNSCOPED_INFO(d.date.iso() << " A: " << rules::verdictName(d.report->deposits[0].verdict) << " "
                                   << reasons);
    });
    REQUIRE(h.perDeposit.size() == 3);
    CHECK(h.names == std::vector<std::string>{"A", "B", "C"});
    CHECK(h.snapshotsMeasured == 4);

    // A (36.0 E 50.2 N): 142 km out, 35.5 km (inside the 40 and 80 km rings), occupied, 71 km.
    const model::LonLat a{36.0, 50.2};
    const double expected[] = {toEdgeKm(a, 34), toEdgeKm(a, 35.5), 0, toEdgeKm(a, 35)};
    for (std::size_t k = 0; k < 4; ++k) {
        INFO("date " << dates[k].iso());
        REQUIRE(distA[k]);
        CHECK(*distA[k] == Approx(expected[k]).margin(0.05));
    }
    const auto &A = h.perDeposit[0];
    REQUIRE(A.firstInRing.size() == 3);
    CHECK(A.firstInRing[0] == day("2022-03-01")); // 20 km: only when occupied
    CHECK(A.firstInRing[1] == day("2022-02-01"));
    CHECK(A.firstInRing[2] == day("2022-02-01"));
    CHECK(A.firstOccupied == day("2022-03-01"));
    // In range from 1 Feb: February (28 days) + March (31) + the last date's own day.
    CHECK(A.daysInRange == 28 + 31 + 1);
    // Least squares over (day, km), by hand.
    const double x[] = {0, 31, 59, 90};
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int k = 0; k < 4; ++k) {
        sx += x[k];
        sy += expected[k];
        sxx += x[k] * x[k];
        sxy += x[k] * expected[k];
    }
    const double slope = (4 * sxy - sx * sy) / (4 * sxx - sx * sx);
    REQUIRE(A.trendKmPer30Days);
    CHECK(*A.trendKmPer30Days == Approx(slope * 30).margin(0.05));
    // The last verdict change, by hand from the verdicts of each date: occupied and within the
    // standoff are blocks, 142 km away is not.
    REQUIRE(verdictsA.size() == 4);
    CHECK(verdictsA[1] == rules::Verdict::NotInvestable);
    CHECK(verdictsA[2] == rules::Verdict::NotInvestable);
    CHECK(verdictsA[0] != rules::Verdict::NotInvestable);
    std::optional<Date> lastChange;
    for (std::size_t k = 1; k < 4; ++k)
        if (verdictsA[k] != verdictsA[k - 1])
            lastChange = dates[k];
    CHECK(A.lastVerdictChange == lastChange);
    CHECK(A.verdict == verdictsA[3]);
    CHECK(A.verdict != rules::Verdict::Investable); // 71 km from the front, inside the 80 km ring

    const auto &C = h.perDeposit[2]; // 30.0 E: 3 degrees of longitude west of the squares
    CHECK_FALSE(C.firstOccupied);
    CHECK(C.daysInRange == 0);
    for (const auto &r : C.firstInRing)
        CHECK_FALSE(r);
    CHECK(h.perDeposit[1].verdict == rules::Verdict::NotInvestable); // Russia: sanctioned

    // Area of the first square [33, 34] x [50, 51] on the ellipsoid.
    GeographicLib::PolygonArea poly(GeographicLib::Geodesic::WGS84());
    for (auto [lon, lat] : {std::pair{33.0, 50.0}, {34.0, 50.0}, {34.0, 51.0}, {33.0, 51.0}})
        poly.AddPoint(lat, lon);
    double perimeter = 0, geographicLibM2 = 0;
    poly.Compute(false, true, perimeter, geographicLibM2);
    CHECK(areas[0] == Approx(std::abs(geographicLibM2) / 1e6).epsilon(1e-9));
    // Equal-area reference: the square densified along its geodesic edges (GeographicLib) and
    // projected to LAEA Europe (EPSG:3035) by OGR; planar area there.
    OGRSpatialReference wgs84, laea;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    laea.importFromEPSG(3035);
    laea.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLinearRing ring;
    const model::LonLat corners[] = {{33, 50}, {34, 50}, {34, 51}, {33, 51}, {33, 50}};
    for (int c = 0; c < 4; ++c)
        for (int i = 0; i < 200; ++i) {
            const double t = i / 200.0;
            const auto &p = corners[c], &q = corners[c + 1];
            double s12 = 0, azi1 = 0, azi2 = 0;
            GeographicLib::Geodesic::WGS84().Inverse(p.lat, p.lon, q.lat, q.lon, s12, azi1, azi2);
            const auto m = testing::directDeg(p, azi1, t * s12);
            ring.addPoint(m.lon, m.lat);
        }
    ring.closeRings();
    OGRPolygon square;
    square.addRing(&ring);
    square.assignSpatialReference(&wgs84);
    REQUIRE(square.transformTo(&laea) == OGRERR_NONE);
    CHECK(areas[0] == Approx(square.get_Area() / 1e6).epsilon(0.005));
    CHECK(areas[2] > areas[1]);
}
