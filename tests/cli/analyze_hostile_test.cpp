// Issue 7, "Hostile layers: the status filter" and "Infrastructure": the real binary on the
// bundled scenario and on the raw and daily DeepState snapshots, GPPD and USGS in
// ../shared/refdata (skipped, with a visible warning, where that folder is absent). Expected
// answers come from the places' history and from an independent brute force (GDAL
// point-in-polygon, GeographicLib distances), never from an earlier run.
#include "cli/cli_support.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/GeodesicLine.hpp>

#include <cmath>
#include <limits>

using namespace orefront::clitest;
using Catch::Matchers::Contains;

namespace {

const std::string kRawDir = "frontline/deepstate_raw_2022_2025/";
const std::string kRaw20220403 = kRawDir + "deepstate_20220403T123328Z_polygons.geojson";
const std::string kRaw20220930 = kRawDir + "deepstate_20220930T082605Z_polygons.geojson";
const std::string kRaw20221115 = kRawDir + "deepstate_20221115T231735Z_polygons.geojson";
const std::string kRaw20250803 = kRawDir + "deepstate_20250803T195825Z_polygons.geojson";
const std::string kDaily20260822 = "frontline/deepstate_cyterat_daily/deepstatemap_data_20260822.geojson";
const std::string kGppd = "infrastructure/gppd_ukraine.geojson";
const std::string kUsgs = "ree_deposits/usgs_ree_occurrences.geojson";

// Places whose control history is known (city centres).
const char *kPlaces = R"({"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"name": "Simferopol"}, "geometry": {"type": "Point", "coordinates": [34.10, 44.95]}},
{"type": "Feature", "properties": {"name": "Donetsk"}, "geometry": {"type": "Point", "coordinates": [37.80, 48.00]}},
{"type": "Feature", "properties": {"name": "Luhansk"}, "geometry": {"type": "Point", "coordinates": [39.31, 48.57]}},
{"type": "Feature", "properties": {"name": "Horlivka"}, "geometry": {"type": "Point", "coordinates": [38.05, 48.30]}},
{"type": "Feature", "properties": {"name": "Kherson"}, "geometry": {"type": "Point", "coordinates": [32.62, 46.64]}},
{"type": "Feature", "properties": {"name": "Bucha"}, "geometry": {"type": "Point", "coordinates": [30.21, 50.54]}},
{"type": "Feature", "properties": {"name": "Izium"}, "geometry": {"type": "Point", "coordinates": [37.26, 49.21]}},
{"type": "Feature", "properties": {"name": "Tiraspol"}, "geometry": {"type": "Point", "coordinates": [29.63, 46.84]}}
]})";

std::map<std::string, int> occupiedByName(const fs::path &report) {
    auto ds = openVector(report);
    std::map<std::string, int> out;
    for (const auto &f : allFeatures(*ds->GetLayer(0)))
        out[str(*f, "name")] = f->GetFieldAsInteger("occupied");
    return out;
}

double geodesicKm(double lon0, double lat0, double lon1, double lat1) {
    double s12 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(lat0, lon0, lat1, lon1, s12);
    return s12 / 1000.0;
}

// The point features of a vector file as {name, lon, lat}, with whether `area` contains each.
struct Site {
    std::string name;
    double lon, lat;
    bool inArea;
};
std::vector<Site> sites(const std::string &path, const OGRGeometry *area, const char *nameField = "name") {
    auto ds = openVector(path);
    std::vector<Site> out;
    for (const auto &f : allFeatures(*ds->GetLayer(0))) {
        const OGRPoint *p = f->GetGeometryRef()->toPoint();
        out.push_back({str(*f, nameField), p->getX(), p->getY(), area && area->Contains(p)});
    }
    return out;
}

// The union of every polygon of a layer (GDAL/GEOS), for point-in-polygon references.
std::unique_ptr<OGRGeometry> unionOf(const std::string &path) {
    auto ds = openVector(path);
    std::unique_ptr<OGRGeometry> u;
    for (const auto &f : allFeatures(*ds->GetLayer(0))) {
        const OGRGeometry *g = f->GetGeometryRef();
        u.reset(u ? u->Union(g) : g->clone());
    }
    return u;
}

// Every edge (ring or line) of the geometries in `paths`, as lon/lat pairs.
void collectPaths(const OGRGeometry *g, std::vector<std::vector<std::pair<double, double>>> &out) {
    const auto type = wkbFlatten(g->getGeometryType());
    if (type == wkbLineString || type == wkbLinearRing) {
        const OGRLineString *l = g->toLineString();
        out.emplace_back();
        for (int i = 0; i < l->getNumPoints(); ++i)
            out.back().emplace_back(l->getX(i), l->getY(i));
    } else if (type == wkbPolygon) {
        for (const OGRLinearRing *r : *g->toPolygon())
            collectPaths(r, out);
    } else if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection)) {
        for (const OGRGeometry *part : *g->toGeometryCollection())
            collectPaths(part, out);
    }
}

// Geodesic distance, km, from a point to the nearest of `paths`, each edge a geodesic sampled
// every 50 m (GeographicLib): within a few metres of exact.
double kmToPaths(double lon, double lat, const std::vector<std::vector<std::pair<double, double>>> &paths) {
    const auto &g = GeographicLib::Geodesic::WGS84();
    double best = std::numeric_limits<double>::infinity();
    for (const auto &path : paths)
        for (std::size_t i = 0; i + 1 < path.size(); ++i) {
            const auto [lon0, lat0] = path[i];
            const auto [lon1, lat1] = path[i + 1];
            // an edge whose nearer end is farther than its length plus the best so far cannot help
            double len = 0;
            g.Inverse(lat0, lon0, lat1, lon1, len);
            const double near = std::min(geodesicKm(lon, lat, lon0, lat0), geodesicKm(lon, lat, lon1, lat1));
            if (near - len / 1000.0 > best)
                continue;
            const GeographicLib::GeodesicLine line = g.InverseLine(lat0, lon0, lat1, lon1);
            for (double s = 0; s <= len + 50; s += 50) {
                double la = 0, lo = 0;
                line.Position(std::min(s, len), la, lo);
                best = std::min(best, geodesicKm(lon, lat, lo, la));
            }
        }
    return best;
}

// Marks the sites within 2 km of hostile territory or a front line as unusable, as the analysis must.
void markLineOfContact(std::vector<Site> &all,
                       const std::vector<std::vector<std::pair<double, double>>> &positions) {
    OGRMultiLineString lines; // planar prefilter: 0.1 degree is over 7 km at these latitudes
    for (const auto &path : positions) {
        auto *l = new OGRLineString();
        for (const auto &[lon, lat] : path)
            l->addPoint(lon, lat);
        lines.addGeometryDirectly(l);
    }
    for (auto &site : all) {
        const OGRPoint p(site.lon, site.lat);
        if (site.inArea || lines.Distance(&p) > 0.1)
            continue;
        const double km = kmToPaths(site.lon, site.lat, positions);
        INFO(site.name << " " << km << " km from a hostile position");
        CHECK(std::abs(km - 2.0) > 0.01); // not on the edge of the margin
        site.inArea = km <= 2.0;
    }
}

} // namespace

// --------------------------------------------------------------------------- status filter

TEST_CASE_METHOD(CliFixture, "analyze --hostile RAW_SNAPSHOT with no filter exits 2 naming the field 'name'",
                 "[cli]") {
    if (!haveRefdata({kRaw20250803}))
        return;
    writeText(in("places.geojson"), kPlaces);
    const Result r = analyze({"--deposits", in("places.geojson").string(), "--hostile", refdata(kRaw20250803),
                              "-o", out("r.geojson").string()});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("layer 'hostile'") && Contains("field 'name'") &&
                          Contains("--hostile-preset deepstate-raw") && Contains("liberated areas included"));
    CHECK(outEntries().empty());
}

TEST_CASE_METHOD(CliFixture,
                 "analyze --hostile RAW --hostile-preset deepstate-raw: occupied, liberated, abroad",
                 "[cli]") {
    if (!haveRefdata({kRaw20220403, kRaw20220930, kRaw20221115, kRaw20250803}))
        return;
    writeText(in("places.geojson"), kPlaces);
    auto run = [&](const std::string &snapshot) {
        const Result r = analyze({"--deposits", in("places.geojson").string(), "--hostile", refdata(snapshot),
                                  "--hostile-preset", "deepstate-raw", "-o", out("r.geojson").string()});
        REQUIRE(r.code == 0);
        CHECK(r.err.find("cannot place") == std::string::npos); // every polygon placed
        return occupiedByName(out("r.geojson"));
    };
    SECTION("2022-04-03: Crimea and ORDLO occupied (named only in Ukrainian), Bucha liberated") {
        auto o = run(kRaw20220403);
        for (const char *p : {"Simferopol", "Donetsk", "Luhansk", "Horlivka", "Kherson", "Izium"}) {
            INFO(p);
            CHECK(o.at(p) == 1);
        }
        CHECK(o.at("Bucha") == 0);
        CHECK(o.at("Tiraspol") == 0); // Transnistria is Moldova's
    }
    SECTION("2022-09-30: Izium liberated, Kherson still occupied") {
        auto o = run(kRaw20220930);
        CHECK(o.at("Izium") == 0);
        CHECK(o.at("Kherson") == 1);
        CHECK(o.at("Bucha") == 0);
    }
    SECTION("2022-11-15 and 2025-08-03: Kherson, Bucha and Izium not occupied; Donbas and Crimea are") {
        for (const auto &snapshot : {kRaw20221115, kRaw20250803}) {
            INFO(snapshot);
            auto o = run(snapshot);
            CHECK(o.at("Kherson") == 0);
            CHECK(o.at("Bucha") == 0);
            CHECK(o.at("Izium") == 0);
            CHECK(o.at("Simferopol") == 1);
            CHECK(o.at("Donetsk") == 1);
            CHECK(o.at("Horlivka") == 1);
            CHECK(o.at("Tiraspol") == 0);
        }
    }
}

TEST_CASE_METHOD(CliFixture,
                 "analyze SCENARIO: a hostile layer whose filter keeps nothing exits 2 listing values",
                 "[cli]") {
    if (!haveRefdata({kRaw20220403}))
        return;
    writeText(in("places.geojson"), kPlaces);
    // The README's old advice on the 2022-04-03 snapshot, written in Ukrainian only.
    writeText(in("s.toml"),
              "[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = \"places.geojson\"\n"
              "[[layers]]\nid = \"deepstate\"\nrole = \"hostile\"\nsource = \"" +
                  refdata(kRaw20220403) + "\"\nstatus_field = \"name\"\nhostile_statuses = [\"occupied\"]\n");
    Result r = analyze({in("s.toml").string(), "-o", out("r.geojson").string()});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("scenario layer 'deepstate'") && Contains("no hostile feature") &&
                          Contains("'окуповано' (8)") && Contains("allow_empty"));
    CHECK(outEntries().empty());

    SECTION("the same on the command line, and --allow-empty accepts it") {
        const std::vector<std::string> args = {"--deposits",
                                               in("places.geojson").string(),
                                               "--hostile",
                                               refdata(kRaw20220403),
                                               "--status-field",
                                               "name",
                                               "--hostile-statuses",
                                               "occupied",
                                               "--front",
                                               fixture("front_meridian.geojson"),
                                               "-o",
                                               out("r.geojson").string()};
        r = analyze(args);
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Contains("layer 'hostile'") && Contains("'окуповано' (8)"));
        r = analyze(plus(args, {"--allow-empty"}));
        CHECK(r.code == 0);
        CHECK(occupiedByName(out("r.geojson")).at("Simferopol") == 0); // as asked: nothing hostile
    }
    SECTION("Ukrainian values on the command line match") {
        r = analyze({"--deposits", in("places.geojson").string(), "--hostile", refdata(kRaw20220403),
                     "--status-field", "name", "--hostile-statuses", "Окуповано,ОРДЛО,Крим", "-o",
                     out("r.geojson").string()});
        REQUIRE(r.code == 0);
        const auto o = occupiedByName(out("r.geojson"));
        CHECK(o.at("Simferopol") == 1);
        CHECK(o.at("Donetsk") == 1);
        CHECK(o.at("Bucha") == 0);
    }
}

TEST_CASE_METHOD(CliFixture, "analyze: hostile filter options are checked", "[cli]") {
    const std::vector<std::string> base = {"--deposits", fixture("deposits_small.geojson"), "-o",
                                           out("r.geojson").string()};
    Result r = analyze(
        plus(base, {"--front", fixture("front_meridian.geojson"), "--hostile-preset", "deepstate-raw"}));
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("apply to the --hostile layers"));
    r = analyze(
        plus(base, {"--hostile", fixture("hostile_square.geojson"), "--hostile-preset", "deepstate"}));
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("unknown preset 'deepstate'") && Contains("deepstate-raw, deepstate-daily"));
    r = analyze(
        plus(base, {"--hostile", fixture("hostile_square.geojson"), "--hostile-statuses", "occupied"}));
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("need --status-field"));
    r = analyze(plus(base, {"--hostile", fixture("hostile_square.geojson"), "--hostile-preset",
                            "deepstate-raw", "--status-field", "status"}));
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("cannot be combined"));
    CHECK(outEntries().empty());
}

TEST_CASE_METHOD(CliFixture, "analyze SCENARIO: preset and status keys are checked", "[cli]") {
    auto scenario = [&](const std::string &extra) {
        writeText(in("s.toml"), "[[layers]]\nrole = \"deposits\"\nsource = \"" +
                                    fixture("deposits_small.geojson") +
                                    "\"\n[[layers]]\nid = \"zone\"\nrole = \"hostile\"\nsource = \"" +
                                    fixture("hostile_square.geojson") + "\"\n" + extra);
        return analyze({in("s.toml").string(), "-o", out("r.geojson").string()});
    };
    Result r = scenario("preset = \"deepstate-raw\"\nstatus_field = \"status\"\n");
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("layers[1].status_field") && Contains("cannot be combined with preset"));
    r = scenario("hostile_statuses = [\"occupied\"]\n");
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("layers[1].hostile_statuses") && Contains("needs status_field"));
    r = scenario("preset = \"deepstate-raw\"\n");
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("field 'name'")); // the preset reads `name`, which this layer lacks
    r = scenario("unusable_statuses = [\"destroyed\"]\n");
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("layers[1].unusable_statuses") && Contains("ports, rail and power"));
}

// --------------------------------------------------------------------------- infrastructure

TEST_CASE_METHOD(CliFixture,
                 "analyze geodata/scenario.toml: no port, plant or hub in occupied territory, nor "
                 "a destroyed plant, serves a deposit",
                 "[cli]") {
    const Result r = analyze({geodata("scenario.toml"), "-o", out("report.geojson").string()});
    REQUIRE(r.code == 0);
    auto ds = openVector(out("report.geojson"));
    const auto features = allFeatures(*ds->GetLayer(0));

    // Independent reference: the bundled hostile territory (status "occupied", and Russia) by
    // GDAL, and its edges with the front and the state border for the 2 km line-of-contact
    // margin, by GeographicLib.
    std::unique_ptr<OGRGeometry> occupied;
    std::vector<std::vector<std::pair<double, double>>> positions;
    {
        auto zonesDs = openVector(geodata("occupied_2025-08.geojson"));
        for (const auto &f : allFeatures(*zonesDs->GetLayer(0)))
            if (str(*f, "status") == "occupied") {
                occupied.reset(occupied ? occupied->Union(f->GetGeometryRef())
                                        : f->GetGeometryRef()->clone());
                collectPaths(f->GetGeometryRef(), positions);
            }
        const auto russia = unionOf(geodata("russia_west.geojson"));
        collectPaths(russia.get(), positions);
        occupied.reset(occupied->Union(russia.get()));
        for (const char *lines : {"front_2025-08.geojson", "russia_border.geojson"}) {
            auto ds = openVector(geodata(lines));
            for (const auto &f : allFeatures(*ds->GetLayer(0)))
                collectPaths(f->GetGeometryRef(), positions);
        }
    }
    struct Kind {
        const char *file, *nameField, *kmField;
    };
    for (const Kind k : {Kind{"ports.geojson", "port_name", "port_distance_km"},
                         Kind{"rail_hubs.geojson", "rail_name", "rail_distance_km"},
                         Kind{"power_plants.geojson", "power_name", "power_distance_km"}}) {
        auto all = sites(geodata(k.file), occupied.get());
        markLineOfContact(all, positions);
        {
            auto src = openVector(geodata(k.file));
            std::size_t i = 0;
            for (const auto &f : allFeatures(*src->GetLayer(0)))
                if (str(*f, "status") == "destroyed" || str(*f, "status") == "shut down")
                    all[i++].inArea = true; // unusable either way
                else
                    ++i;
        }
        for (const auto &f : features) {
            const double lon = f->GetGeometryRef()->toPoint()->getX(),
                         lat = f->GetGeometryRef()->toPoint()->getY();
            double best = std::numeric_limits<double>::infinity();
            std::string bestName;
            for (const auto &s : all)
                if (!s.inArea && geodesicKm(lon, lat, s.lon, s.lat) < best)
                    best = geodesicKm(lon, lat, s.lon, s.lat), bestName = s.name;
            INFO(str(*f, "name") << ": " << k.nameField << " = " << str(*f, k.nameField) << ", expected "
                                 << bestName);
            CHECK(str(*f, k.nameField) == bestName);
            CHECK(real(*f, k.kmField) == Approx(best).margin(0.001));
        }
    }
    const OGRFeature *derhachi = byName(features, "Derhachi");
    CHECK(str(*derhachi, "port_name").find("Mariupol") == std::string::npos);
    const OGRFeature *novo = byName(features, "Novopoltavske");
    CHECK(str(*novo, "power_name") != "Kurakhove TPP");
    for (const auto &f : features)
        CHECK(str(*f, "power_name") != "Trypillia TPP");
    CHECK_THAT(r.err, Contains("'Trypillia TPP' is not used (status 'destroyed')"));
    CHECK_THAT(r.err, Contains("'Kurakhove TPP' is not used (in hostile-controlled territory)"));
    CHECK_THAT(r.err, Contains("'Mariupol (occupied)' is not used (in hostile-controlled territory)"));
    // 1.35 km and 0.36 km off the coarse occupied and Russian coasts: those coasts' ports.
    CHECK_THAT(r.err, Contains("'Berdiansk (occupied)' is not used (within 2 km of hostile-controlled"));
    CHECK_THAT(r.err, Contains("'Novorossiysk' is not used (within 2 km of hostile-controlled"));
    CHECK(str(*novo, "port_name").find("occupied") == std::string::npos);
}

TEST_CASE_METHOD(CliFixture,
                 "analyze geodata/scenario.toml -o OUT.csv and OUT.gpkg carry the infrastructure names",
                 "[cli]") {
    for (const char *name : {"report.csv", "report.gpkg"}) {
        INFO(name);
        const Result r = analyze({geodata("scenario.toml"), "-o", out(name).string()});
        REQUIRE(r.code == 0);
        auto ds = openVector(out(name));
        const auto features = allFeatures(*ds->GetLayer(0));
        const OGRFeature *derhachi = byName(features, "Derhachi");
        CHECK_FALSE(str(*derhachi, "port_name").empty());
        CHECK_FALSE(str(*derhachi, "rail_name").empty());
        CHECK_FALSE(str(*derhachi, "power_name").empty());
    }
}

TEST_CASE_METHOD(CliFixture,
                 "analyze USGS --hostile DAILY --hostile-preset deepstate-daily --power GPPD: no "
                 "occupied plant serves a deposit",
                 "[cli]") {
    if (!haveRefdata({kUsgs, kDaily20260822, kGppd}))
        return;
    const Result r =
        analyze({"--deposits", refdata(kUsgs), "--hostile", refdata(kDaily20260822), "--hostile-preset",
                 "deepstate-daily", "--power", refdata(kGppd), "-o", out("r.geojson").string()});
    REQUIRE(r.code == 0);
    const auto occupied = unionOf(refdata(kDaily20260822));
    auto plants = sites(refdata(kGppd), occupied.get());
    int inside = 0;
    for (const auto &p : plants)
        inside += p.inArea;
    CHECK(inside == 9); // SOURCE.md: 9 GPPD plants inside on 2026-08-22, Kurakhove among them
    std::vector<std::vector<std::pair<double, double>>> positions;
    collectPaths(occupied.get(), positions);
    markLineOfContact(plants, positions);
    CHECK_THAT(r.err, Contains("'Kurakhov power station' is not used (in hostile-controlled territory)"));

    auto ds = openVector(out("r.geojson"));
    int wouldUseOccupied = 0;
    for (const auto &f : allFeatures(*ds->GetLayer(0))) {
        const OGRPoint *pt = f->GetGeometryRef()->toPoint();
        double best = std::numeric_limits<double>::infinity(), bestAny = best;
        for (const auto &p : plants) {
            const double km = geodesicKm(pt->getX(), pt->getY(), p.lon, p.lat);
            bestAny = std::min(bestAny, km);
            if (!p.inArea)
                best = std::min(best, km);
        }
        wouldUseOccupied += bestAny < best;
        INFO(str(*f, "name") << ": power_name " << str(*f, "power_name"));
        CHECK(real(*f, "power_distance_km") == Approx(best).margin(0.001));
        const std::string used = str(*f, "power_name");
        for (const auto &p : plants)
            if (p.name == used)
                CHECK_FALSE(p.inArea);
    }
    CHECK(wouldUseOccupied > 0); // the case arises in this data
}
