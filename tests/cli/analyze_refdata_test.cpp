// `orefront analyze` on the real reference data in ../shared/refdata (USGS REE occurrences,
// DeepState occupied areas). Skipped, with a visible warning, where that folder is absent.
#include "cli/cli_support.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>

#include <cmath>

using namespace orefront::clitest;

namespace {

const std::string kUsgs = "ree_deposits/usgs_ree_occurrences.geojson";
const std::string kCyterat = "frontline/deepstate_cyterat_daily/deepstatemap_data_20260822.geojson";
const std::string kRaw2023 = "frontline/deepstate_raw_2022_2025/deepstate_20230531T232415Z_polygons.geojson";
const std::string kRaw2025 = "frontline/deepstate_raw_2022_2025/deepstate_20250803T195825Z_polygons.geojson";

const std::string kCountries = "boundaries/ne_50m_admin_0_countries.geojson";

// Exact ellipsoidal distance (km) from p to the boundary of `area` (every edge a geodesic,
// GeographicLib), skipping the edges that only cut a polygon at the antimeridian.
double exactKmToBoundary(const OGRPoint &p, const OGRGeometry &area) {
    const auto &g = GeographicLib::Geodesic::WGS84();
    auto dist = [&](double lat, double lon) {
        double s12 = 0;
        g.Inverse(p.getY(), p.getX(), lat, lon, s12);
        return s12;
    };
    struct Edge {
        double lon0, lat0, lon1, lat1;
    };
    std::vector<Edge> edges;
    auto addRing = [&](const OGRLinearRing *r) {
        for (int i = 0; i + 1 < r->getNumPoints(); ++i)
            if (!(std::abs(std::abs(r->getX(i)) - 180) < 1e-9 &&
                  std::abs(std::abs(r->getX(i + 1)) - 180) < 1e-9))
                edges.push_back({r->getX(i), r->getY(i), r->getX(i + 1), r->getY(i + 1)});
    };
    for (const OGRPolygon *poly : *area.toMultiPolygon())
        for (const OGRLinearRing *r : *poly)
            addRing(r);
    double vertexMin = INFINITY;
    for (const auto &e : edges)
        vertexMin = std::min({vertexMin, dist(e.lat0, e.lon0), dist(e.lat1, e.lon1)});
    double best = vertexMin;
    for (const auto &e : edges) {
        const GeographicLib::GeodesicLine line = g.InverseLine(e.lat0, e.lon0, e.lat1, e.lon1);
        const double len = line.Distance();
        if (std::min(dist(e.lat0, e.lon0), dist(e.lat1, e.lon1)) > vertexMin + len)
            continue; // cannot come closer than the nearest vertex
        auto f = [&](double s) {
            double lat = 0, lon = 0;
            line.Position(s, lat, lon);
            return dist(lat, lon);
        };
        double lo = 0, hi = len;
        const double k = 0.6180339887498949;
        while (hi - lo > 0.1) {
            const double a = hi - k * (hi - lo), b = lo + k * (hi - lo);
            if (f(a) < f(b))
                hi = b;
            else
                lo = a;
        }
        best = std::min(best, f((lo + hi) / 2));
    }
    return best / 1000.0;
}

// A scenario over a raw DeepState file: the status is in `name`.
std::string rawScenario(const std::string &deepstate) {
    return "name = \"refdata raw DeepState\"\n"
           "[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = \"" +
           refdata(kUsgs) +
           "\"\n"
           "[[layers]]\nid = \"deepstate\"\nrole = \"hostile\"\nsource = \"" +
           refdata(deepstate) +
           "\"\n"
           "status_field = \"name\"\nhostile_statuses = [\"occupied\"]\ncontested_statuses = [\"unknown "
           "status\"]\n";
}

} // namespace

TEST_CASE_METHOD(CliFixture, "analyze --deposits usgs_ree_occurrences --hostile deepstatemap_data_20260822",
                 "[cli]") {
    if (!haveRefdata({kUsgs, kCyterat}))
        return;
    const Result r = analyze(
        {"--deposits", refdata(kUsgs), "--hostile", refdata(kCyterat), "-o", out("usgs.geojson").string()});
    REQUIRE(r.code == 0);
    CHECK(lineStarting(r.out, "deposits:") == "deposits: 578");
    auto ds = openVector(out("usgs.geojson"));
    const auto features = allFeatures(*ds->GetLayer(0));
    CHECK(features.size() == 578);
    const OGRFeature *f = byName(features, "Chernigovskii (Novopoltavskii)");
    const auto reasons = stringList(*f, "reasons");
    INFO("reasons " << join(reasons));
    CHECK(f->GetFieldAsInteger("occupied") == 1);
    CHECK(str(*f, "verdict") == "not_investable");
    CHECK(contains(reasons, "occupied"));
    // USGS rec 221 Malotersyanskii: not occupied, about 74 km from the polygon's edge (SOURCE.md).
    const OGRFeature *m = byName(features, "Malotersyanskii");
    CHECK(m->GetFieldAsInteger("occupied") == 0);
    CHECK(real(*m, "front_distance_km") == Approx(74.0).margin(5.0));
    CHECK(real(*m, "ring_km") == 80.0);
}

// Runs analyze over the USGS occurrences and one raw DeepState snapshot; the report's features,
// after checking the count and that Novopoltavske comes out occupied and not investable.
std::vector<OGRFeatureUniquePtr> analyzeRawSnapshot(CliFixture &cli, const std::string &snapshot) {
    writeText(cli.in("raw.toml"), rawScenario(snapshot));
    const Result r = cli.analyze({cli.in("raw.toml").string(), "-o", cli.out("raw.geojson").string()});
    REQUIRE(r.code == 0);
    auto ds = openVector(cli.out("raw.geojson"));
    auto features = allFeatures(*ds->GetLayer(0));
    CHECK(features.size() == 578);
    const OGRFeature *f = byName(features, "Chernigovskii (Novopoltavskii)");
    REQUIRE(f != nullptr);
    CHECK(f->GetFieldAsInteger("occupied") == 1);
    CHECK(str(*f, "verdict") == "not_investable");
    return features;
}

TEST_CASE_METHOD(CliFixture, "analyze SCENARIO over a raw DeepState file (status in name, Z coordinates)",
                 "[cli]") {
    if (!haveRefdata({kUsgs, kRaw2025}))
        return;
    const auto features = analyzeRawSnapshot(*this, kRaw2025);
    // Liberated areas are not hostile: Kyiv-region records stay unoccupied and out of range.
    int occupied = 0;
    for (const auto &x : features)
        occupied += x->GetFieldAsInteger("occupied");
    CHECK(occupied >= 2);
    CHECK(occupied < 30);
}

TEST_CASE_METHOD(CliFixture, "analyze SCENARIO over a raw DeepState file with GeometryCollections", "[cli]") {
    if (!haveRefdata({kUsgs, kRaw2023}))
        return;
    analyzeRawSnapshot(*this, kRaw2023);
}

// Russia as one hostile polygon: it crosses the antimeridian, and Kharkiv is measured from
// Russia proper across the international border.
TEST_CASE_METHOD(CliFixture,
                 "analyze --hostile 'ne_50m_admin_0_countries|subset=ADM0_A3 = RUS' across the antimeridian",
                 "[cli]") {
    if (!haveRefdata({kCountries}))
        return;
    const Result r =
        analyze({"--deposits", fixture("deposits_antimeridian.geojson"), "--hostile",
                 refdata(kCountries) + "|subset=ADM0_A3 = 'RUS'", "-o", out("r.geojson").string()});
    REQUIRE(r.code == 0);
    auto russiaDs = openVector(refdata(kCountries));
    OGRLayer *countries = russiaDs->GetLayer(0);
    REQUIRE(countries->SetAttributeFilter("ADM0_A3 = 'RUS'") == OGRERR_NONE);
    const auto russia = allFeatures(*countries);
    REQUIRE(russia.size() == 1);
    std::unique_ptr<OGRGeometry> area(
        OGRGeometryFactory::forceToMultiPolygon(russia[0]->GetGeometryRef()->clone()));

    auto ds = openVector(out("r.geojson"));
    const auto features = allFeatures(*ds->GetLayer(0));
    REQUIRE(features.size() == 6);
    for (const auto &f : features) {
        const OGRPoint *p = f->GetGeometryRef()->toPoint();
        const bool inside = area->Contains(p);
        INFO(str(*f, "name") << (inside ? " (in Russia)" : ""));
        CHECK(f->GetFieldAsInteger("occupied") == (inside ? 1 : 0));
        if (inside) {
            CHECK(real(*f, "front_distance_km") == 0.0);
            continue;
        }
        const double exact = exactKmToBoundary(*p, *area);
        INFO("exact " << exact << " km");
        CHECK(real(*f, "front_distance_km") == Approx(exact).margin(std::max(0.001 * exact, 0.050)));
    }
    const auto rows = byNames(features);
    CHECK(rows.at("Chukotka east")->GetFieldAsInteger("occupied") == 1); // west of 180 W
    CHECK(rows.at("Bilibino")->GetFieldAsInteger("occupied") == 1);      // east of 180 E
    const OGRFeature &kharkiv = *rows.at("Derhachi");
    CHECK(real(kharkiv, "front_distance_km") < 40.0);
    CHECK(anyStartsWith(stringList(kharkiv, "reasons"), "within_range_"));
    CHECK(str(kharkiv, "verdict") == "not_investable");
}
