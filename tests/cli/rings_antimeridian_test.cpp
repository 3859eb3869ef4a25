// Issue 7: range rings of a hostile state that crosses the antimeridian. Natural Earth's
// Russia (../shared/refdata) made `analyze --with-rings` fail with exit 3 (GEOS "side
// location conflict at 179.67 65.20"). The real binary now writes valid rings, and their edge
// near the antimeridian lies at the ring distance from Russia's border, measured with
// GeographicLib geodesics (tests/analysis/reference.hpp).
#include "analysis/reference.hpp"
#include "cli/cli_support.hpp"

#include <cmath>

using namespace orefront;
using namespace orefront::clitest;

namespace {

const std::string kCountries =
    std::string(OREFRONT_REFDATA_DIR) + "/boundaries/ne_50m_admin_0_countries.geojson";

// Russia's polygons as the scenario loads them (GDAL, the same subset).
model::Geometry naturalEarthRussia() {
    auto ds = openVector(kCountries);
    OGRLayer *layer = ds->GetLayer(0);
    layer->SetAttributeFilter("ADM0_A3 = 'RUS'");
    model::Geometry g;
    for (const auto &f : allFeatures(*layer)) {
        const OGRGeometry *geom = f->GetGeometryRef();
        REQUIRE(geom);
        const OGRMultiPolygon *mp = geom->toMultiPolygon();
        for (const OGRPolygon *poly : *mp) {
            model::Polygon p;
            for (const OGRLinearRing *ring : *poly) {
                model::Path path;
                for (const OGRPoint &pt : *ring)
                    path.push_back({pt.getX(), pt.getY()});
                p.rings.push_back(std::move(path));
            }
            g.polygons.push_back(std::move(p));
        }
    }
    return g;
}

} // namespace

TEST_CASE_METHOD(
    CliFixture,
    "issue 7: analyze --with-rings with Natural Earth Russia (crossing the antimeridian) exits 0 "
    "with valid rings at the geodesic distance",
    "[cli][issue7]") {
    if (!fs::exists(kCountries)) {
        WARN("skipped: reference data " << kCountries << " is absent (../shared/refdata)");
        return;
    }
    writeText(in("russia.toml"), "name = \"russia antimeridian\"\n"
                                 "[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = \"" +
                                     fixture("deposits_small.geojson") +
                                     "\"\n"
                                     "[[layers]]\nid = \"russia\"\nrole = \"hostile\"\nsource = \"" +
                                     kCountries + "|subset=ADM0_A3 = 'RUS'\"\n");
    const Result r = analyze({in("russia.toml").string(), "--with-rings", "--rings", "20,80", "-o",
                              out("rings.geojson").string()});
    REQUIRE(r.code == 0);
    CHECK(r.err.find("TopologyException") == std::string::npos);

    auto ds = openVector(out("rings.geojson"));
    std::vector<OGRFeatureUniquePtr> rings;
    for (auto &f : allFeatures(*ds->GetLayer(0)))
        if (str(*f, "kind") == "range_ring")
            rings.push_back(std::move(f));
    REQUIRE(rings.size() == 2);

    testing::BruteForce border;
    border.addGeometryBoundary(naturalEarthRussia());
    for (const auto &f : rings) {
        const double km = real(*f, "ring_km");
        INFO("ring " << km << " km");
        const OGRGeometry *g = f->GetGeometryRef();
        REQUIRE(g);
        CHECK(g->IsValid());
        OGREnvelope env;
        g->getEnvelope(&env);
        CHECK(env.MinX >= -180.0);
        CHECK(env.MaxX <= 180.0);
        // Both sides of the antimeridian are in range: Chukotka's east tip and its west.
        OGRPoint chukotkaEast(-175.0, 67.0), chukotkaWest(176.0, 65.0);
        CHECK(g->Contains(&chukotkaEast));
        CHECK(g->Contains(&chukotkaWest));

        // Edge vertices within 10 degrees of the antimeridian (not on the cut itself): each
        // at the ring distance from the nearest border of Russia.
        std::vector<model::LonLat> edge;
        for (const OGRPolygon *poly : *g->toMultiPolygon())
            for (const OGRPoint &pt : *poly->getExteriorRing())
                if (std::abs(pt.getX()) > 170.0 && std::abs(pt.getX()) < 179.99)
                    edge.push_back({pt.getX(), pt.getY()});
        REQUIRE(edge.size() > 20);
        double worst = 0;
        const std::size_t step = edge.size() / 20;
        for (std::size_t i = 0; i < edge.size(); i += step) {
            const double d = border.distanceM(edge[i]);
            INFO("edge vertex " << edge[i].lon << ", " << edge[i].lat << ": " << d << " m");
            worst = std::max(worst, std::abs(d - km * 1000.0));
            CHECK(d == Approx(km * 1000.0).epsilon(0.002)); // the distances' 0.1 %, plus chords
        }
        WARN("ring " << km << " km: worst edge error near the antimeridian " << worst << " m");
    }
}
