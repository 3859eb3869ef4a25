// `orefront annotations ...` end to end: every kind added from the command line, listed, and
// round-tripped through GeoJSON, KML (with real KML styles) and GeoPackage; bad input refused
// with exit 2 and no store created; and `orefront analyze` with annotations: features of kind
// "annotation", deposit notes, what-if hostile markings that flip a verdict, --no-annotations.
#include "cli/cli_support.hpp"
#include "io/annotation_fixtures.hpp"
#include "orefront/io/annotation_files.hpp"
#include "orefront/io/annotation_store.hpp"

using namespace orefront::clitest;
using orefront::model::Annotation;
using orefront::model::AnnotationKind;
namespace io = orefront::io;
using Catch::Contains;

namespace {

// The `add` arguments of one annotation of each kind (the same as testing::everyKind()).
std::vector<std::vector<std::string>> addArgsOfEveryKind() {
    return {
        {"--kind", "marker", "--label", "Reported HQ", "--lonlat", "37.8,48.0"},
        {"--kind", "text", "--label", "Kharkiv axis", "--lonlat", "36.1,49.9", "--text-size", "16"},
        {"--kind", "arrow", "--label", "Advance", "--wkt", "LINESTRING (37 47.5, 37.4 47.9)"},
        {"--kind", "line", "--label", "Road", "--wkt", "LINESTRING (35 47, 35.5 47.2, 36 47.1)", "--width",
         "4"},
        {"--kind", "area", "--label", "Captured village", "--wkt",
         "POLYGON ((36 47, 36.5 47, 36.5 47.5, 36 47))", "--color", "#0000ff", "--fill", "#0000ff40",
         "--group", "recon"},
        {"--kind", "range_circle", "--label", "Launch site reach", "--lonlat", "38.0,48.5", "--radius-km",
         "70", "--hostile"},
        {"--kind", "measurement", "--label", "Kyiv-Kharkiv", "--wkt", "LINESTRING (30.5 50.45, 36.23 49.99)"},
        {"--kind", "measurement", "--label", "Field", "--wkt", "POLYGON ((30 50, 31 50, 31 51, 30 50))",
         "--hidden"},
        {"--kind", "hypothetical_front", "--label", "Ceasefire on the Donets", "--wkt",
         "LINESTRING (36 47.4, 37 47.9, 37.6 49)"},
    };
}

std::vector<std::string> storeArgs(const fs::path &store, std::vector<std::string> args) {
    args.push_back("--store");
    args.push_back(store.string());
    return args;
}

std::int64_t addOne(CliFixture &cli, const fs::path &store, const std::vector<std::string> &args) {
    const Result r = cli.run("annotations add", storeArgs(store, args));
    REQUIRE(r.code == 0);
    REQUIRE(!r.out.empty());
    return std::stoll(r.out);
}

// Every field an analyst set survives, styles included; ids, times and authors too.
void checkSameSets(const orefront::model::AnnotationSet &a, const orefront::model::AnnotationSet &b) {
    REQUIRE(a.annotations.size() == b.annotations.size());
    for (std::size_t i = 0; i < a.annotations.size(); ++i) {
        orefront::testing::checkSameContent(b.annotations[i], a.annotations[i]);
        CHECK(b.annotations[i].author == a.annotations[i].author);
        CHECK(b.annotations[i].createdUtc == a.annotations[i].createdUtc);
    }
}

} // namespace

TEST_CASE_METHOD(CliFixture, "annotations add: every kind, printed id, listed, stored as given", "[cli]") {
    const fs::path store = out("a.gpkg");
    std::vector<std::int64_t> ids;
    for (const auto &args : addArgsOfEveryKind())
        ids.push_back(addOne(*this, store, args));
    CHECK(ids == std::vector<std::int64_t>{1, 2, 3, 4, 5, 6, 7, 8, 9});

    const auto set = io::openAnnotationStore(store.string(), false)->load();
    REQUIRE(set.annotations.size() == 9);
    // A hypothetical front: a line, violet and unfilled by default (drawn dashed in the viewer).
    CHECK(set.find(9)->kind == AnnotationKind::HypotheticalFront);
    CHECK(set.find(9)->vertices.size() == 3);
    CHECK(set.find(9)->style == orefront::model::defaultAnnotationStyle(AnnotationKind::HypotheticalFront));
    const Annotation &circle = *set.find(6);
    CHECK(circle.kind == AnnotationKind::RangeCircle);
    CHECK(circle.radiusKm == 70);
    CHECK(circle.countsAsHostile);
    const Annotation &area = *set.find(5);
    CHECK(area.style.stroke == orefront::model::Rgba{0, 0, 255, 255});
    CHECK(area.style.fill == orefront::model::Rgba{0, 0, 255, 64});
    CHECK(area.group == "recon");
    CHECK(set.find(8)->closed);
    CHECK_FALSE(set.find(8)->visible);
    CHECK(set.find(2)->style.textSizePt == 16);
    CHECK(set.find(4)->style.widthPx == 4);

    // The layer GDAL sees: EPSG:4326 geometries and the schema's fields.
    auto ds = openVector(store);
    OGRLayer *layer = ds->GetLayerByName("annotations");
    REQUIRE(layer);
    CHECK(layer->GetSpatialRef()->GetAuthorityCode(nullptr) == std::string("4326"));
    for (const char *field :
         {"id", "kind", "label", "group", "author", "created", "modified", "stroke", "fill", "width_px",
          "text_size_pt", "radius_km", "closed", "counts_as_hostile", "visible", "version"})
        CHECK(layer->GetLayerDefn()->GetFieldIndex(field) >= 0);
    REQUIRE(ds->GetLayerByName("deposit_notes"));

    const Result list = run("annotations list", storeArgs(store, {}));
    REQUIRE(list.code == 0);
    CHECK_THAT(list.out, Contains("Launch site reach") && Contains("range_circle") &&
                             Contains("9 annotations") && Contains("hypothetical_front"));
    // A measurement shows its geodesic length and bearings; Kyiv-Kharkiv is ~411 km.
    CHECK_THAT(list.out, Contains("length 41"));
    CHECK_THAT(list.out, Contains(" deg"));
    const Result json = run("annotations list", storeArgs(store, {"--json"}));
    REQUIRE(json.code == 0);
    CPLJSONDocument doc;
    REQUIRE(doc.LoadMemory(json.out));
    CHECK(doc.GetRoot().GetArray("annotations").Size() == 9);
    CHECK(doc.GetRoot().GetArray("annotations")[5].GetString("kind") == "range_circle");
    CHECK(doc.GetRoot().GetArray("annotations")[5].GetDouble("radius_km") == 70);

    REQUIRE(run("annotations rm", storeArgs(store, {"3", "4"})).code == 0);
    CHECK(io::openAnnotationStore(store.string(), false)->load().annotations.size() == 7);
    const Result gone = run("annotations rm", storeArgs(store, {"3"}));
    CHECK(gone.code == 2);
    CHECK_THAT(gone.err, Contains("no annotation 3"));
}

TEST_CASE_METHOD(CliFixture,
                 "annotations export/import: every kind round-trips through GeoJSON, KML and GeoPackage",
                 "[cli]") {
    const fs::path store = out("a.gpkg");
    for (const auto &args : addArgsOfEveryKind())
        addOne(*this, store, args);
    REQUIRE(run("annotations note", storeArgs(store, {"Azovske", "Access road cut"})).code == 0);
    const auto original = io::openAnnotationStore(store.string(), false)->load();

    for (const std::string ext : {"geojson", "kml", "gpkg"}) {
        SECTION(ext) {
            const fs::path file = out("export." + ext);
            const Result e = run("annotations export", storeArgs(store, {file.string()}));
            REQUIRE(e.code == 0);
            // GDAL reads the file as written, one feature per annotation.
            auto ds = openVector(file);
            REQUIRE(ds->GetLayerCount() >= 1);
            CHECK(ds->GetLayer(0)->GetFeatureCount() == 9);
            // Import into a fresh store: same content, new store's ids.
            const fs::path again = out("again_" + ext + ".gpkg");
            const Result i = run("annotations import", storeArgs(again, {file.string()}));
            REQUIRE(i.code == 0);
            CHECK_THAT(i.out, Contains("imported 9 annotations"));
            const auto back = io::openAnnotationStore(again.string(), false)->load();
            checkSameSets(original, back);
            if (ext == "gpkg") {
                REQUIRE(back.noteFor("Azovske"));
                CHECK(back.noteFor("Azovske")->text == "Access road cut");
            }
        }
    }
}

TEST_CASE_METHOD(CliFixture,
                 "annotations export KML writes real KML styles, and import reads a Google Earth file's",
                 "[cli]") {
    const fs::path store = out("a.gpkg");
    addOne(*this, store,
           {"--kind", "area", "--label", "Zone", "--wkt", "POLYGON ((36 47, 37 47, 37 48, 36 47))", "--color",
            "#ff8000", "--fill", "#ff800080", "--width", "3"});
    const fs::path kml = out("a.kml");
    REQUIRE(run("annotations export", storeArgs(store, {kml.string()})).code == 0);
    const std::string text = readText(kml);
    INFO(text);
    // KML colours are aabbggrr: #ff8000 opaque is ff0080ff, the fill #ff800080 is 800080ff.
    CHECK_THAT(text, Contains("<LineStyle>") && Contains("<color>ff0080ff</color>"));
    CHECK_THAT(text, Contains("<PolyStyle>") && Contains("<color>800080ff</color>"));
    CHECK_THAT(text, Contains("<width>3</width>"));
    CHECK_THAT(text, Contains("<name>Zone</name>"));

    // A KML as Google Earth saves it: a placemark with a style and no ExtendedData.
    writeText(in("earth.kml"), R"(<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>Checkpoint</name>
 <Style><LineStyle><color>ff0000ff</color><width>5</width></LineStyle><PolyStyle><color>4000ff00</color></PolyStyle></Style>
 <Polygon><outerBoundaryIs><LinearRing><coordinates>30,50 31,50 31,51 30,50</coordinates></LinearRing></outerBoundaryIs></Polygon>
</Placemark>
<Placemark><name>Observation post</name><Point><coordinates>36.5,48.5</coordinates></Point></Placemark>
</Document></kml>)");
    const fs::path earth = out("earth.gpkg");
    const Result r = run("annotations import", storeArgs(earth, {in("earth.kml").string()}));
    REQUIRE(r.code == 0);
    const auto set = io::openAnnotationStore(earth.string(), false)->load();
    REQUIRE(set.annotations.size() == 2);
    const Annotation &zone = set.annotations[0];
    CHECK(zone.label == "Checkpoint");
    CHECK(zone.kind == AnnotationKind::Area);
    CHECK(zone.style.stroke == orefront::model::Rgba{255, 0, 0, 255}); // KML ff0000ff = opaque red
    CHECK(zone.style.fill == orefront::model::Rgba{0, 255, 0, 64});
    CHECK(zone.style.widthPx == 5);
    CHECK(set.annotations[1].kind == AnnotationKind::Marker);
    CHECK(set.annotations[1].label == "Observation post");
}

TEST_CASE_METHOD(CliFixture, "annotations add: bad input exits 2 with a clear message and leaves no store",
                 "[cli]") {
    const fs::path store = out("bad.gpkg");
    const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
        {{"--kind", "circle", "--label", "x", "--lonlat", "1,2"}, "--kind 'circle' is not a kind"},
        {{"--kind", "line", "--label", "x", "--wkt", "LINESTRING (1 2, 3"}, "not valid WKT"},
        {{"--kind", "marker", "--label", "x", "--lonlat", "1,2", "--radius-km", "5"},
         "only for --kind range_circle"},
        {{"--kind", "range_circle", "--label", "x", "--lonlat", "1,2"}, "needs --radius-km"},
        {{"--kind", "range_circle", "--label", "x", "--lonlat", "1,2", "--radius-km", "-3"}, "radius"},
        {{"--kind", "area", "--label", "x", "--wkt", "LINESTRING (1 2, 3 4)"}, "needs a POLYGON"},
        {{"--kind", "marker", "--label", "x", "--lonlat", "200,2"}, "not a longitude, latitude"},
        {{"--kind", "marker", "--label", "x", "--lonlat", "east"}, "not LON,LAT"},
        {{"--kind", "marker", "--label", "x"}, "--wkt WKT or --lonlat"},
        {{"--kind", "marker", "--label", "x", "--lonlat", "1,2", "--color", "red"}, "not a colour"},
    };
    for (const auto &[args, message] : cases) {
        const Result r = run("annotations add", storeArgs(store, args));
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Contains(message));
        CHECK(r.out.empty());
    }
    CHECK_FALSE(fs::exists(store));
    // A store in a directory that does not exist, or one that does not exist for rm/list.
    const Result nodir = run("annotations add", storeArgs(out("no/dir/a.gpkg"), addArgsOfEveryKind()[0]));
    CHECK(nodir.code == 2);
    CHECK_THAT(nodir.err, Contains("does not exist"));
    const Result missing = run("annotations list", storeArgs(out("missing.gpkg"), {}));
    CHECK(missing.code == 2);
    CHECK_THAT(missing.err, Contains("missing.gpkg") && Contains("does not exist"));
    const Result badExport = run("annotations export", storeArgs(store, {out("x.shp").string()}));
    CHECK(badExport.code == 2);
}

namespace {

// The verdict of `deposit` in a GeoJSON report.
std::string verdictOf(const fs::path &report, const std::string &deposit) {
    auto ds = openVector(report);
    const auto features = allFeatures(*ds->GetLayer(0));
    return str(*byName(features, deposit), "verdict");
}

} // namespace

TEST_CASE_METHOD(CliFixture,
                 "analyze: a hostile-marked annotation flips Mountain Pass, removing it restores it",
                 "[cli]") {
    const fs::path store = out("what_if.gpkg");
    const std::string scenario = geodata("scenario.toml");
    const Result before =
        analyze({scenario, "--annotations", store.string(), "-o", out("r0.geojson").string()});
    CHECK(before.code == 2); // an explicit store that does not exist is an error
    REQUIRE(analyze({scenario, "-o", out("r0.geojson").string()}).code == 0);
    REQUIRE(verdictOf(out("r0.geojson"), "Mountain Pass") == "investable");

    // A reported artillery position 9 km east of Mountain Pass (-115.53, 35.48): within the
    // 40 km standoff.
    const auto id =
        addOne(*this, store,
               {"--kind", "marker", "--label", "Reported battery", "--lonlat", "-115.43,35.48", "--hostile"});
    addOne(*this, store, {"--kind", "marker", "--label", "Not hostile", "--lonlat", "-115.53,35.50"});
    REQUIRE(
        run("annotations note", storeArgs(store, {"Mountain Pass", "Battery reported 2025-08-02"})).code ==
        0);
    const Result with =
        analyze({scenario, "--annotations", store.string(), "-o", out("r1.geojson").string()});
    REQUIRE(with.code == 0);
    CHECK(verdictOf(out("r1.geojson"), "Mountain Pass") == "not_investable");
    CHECK_THAT(with.out, Contains("counted as hostile (what-if): 1"));
    CHECK_THAT(with.out, Contains("changed verdict by the what-if annotations: 1"));
    CHECK_THAT(with.out, Contains("Mountain Pass: investable -> not_investable (by annotation " +
                                  std::to_string(id) + " 'Reported battery')"));
    {
        auto ds = openVector(out("r1.geojson"));
        const auto features = allFeatures(*ds->GetLayer(0));
        const OGRFeature *mp = byName(features, "Mountain Pass");
        CHECK(str(*mp, "kind") == "deposit");
        CHECK(str(*mp, "note") == "Battery reported 2025-08-02");
        CHECK(real(*mp, "front_distance_km") == Approx(9.07).margin(0.1));
        int annotations = 0;
        for (const auto &f : features)
            if (str(*f, "kind") == "annotation") {
                ++annotations;
                CHECK(f->GetGeometryRef() != nullptr);
                if (str(*f, "label") == "Reported battery") {
                    CHECK(str(*f, "annotation_kind") == "marker");
                    CHECK(str(*f, "counts_as_hostile") == "1");
                    CHECK(contains(stringList(*f, "changed_verdicts"),
                                   "Mountain Pass: investable -> not_investable"));
                }
            }
        CHECK(annotations == 2);
    }
    // GeoPackage: an `annotations` layer beside the deposits, and the note; CSV: the note.
    REQUIRE(analyze({scenario, "-q", "--annotations", store.string(), "-o", out("r1.gpkg").string()}).code ==
            0);
    {
        auto ds = openVector(out("r1.gpkg"));
        REQUIRE(ds->GetLayerByName("annotations"));
        CHECK(ds->GetLayerByName("annotations")->GetFeatureCount() == 2);
        const auto deposits = allFeatures(*ds->GetLayerByName("deposits"));
        CHECK(str(*byName(deposits, "Mountain Pass"), "note") == "Battery reported 2025-08-02");
    }
    REQUIRE(analyze({scenario, "-q", "--annotations", store.string(), "-o", out("r1.csv").string()}).code ==
            0);
    CHECK_THAT(readText(out("r1.csv")), Contains("Battery reported 2025-08-02"));

    // --no-annotations: no what-if, no annotation features, no notes.
    const Result without = analyze(
        {scenario, "--annotations", store.string(), "--no-annotations", "-o", out("r2.geojson").string()});
    REQUIRE(without.code == 0);
    CHECK(verdictOf(out("r2.geojson"), "Mountain Pass") == "investable");
    CHECK_THAT(readText(out("r2.geojson")), !Contains("\"annotation\"") && !Contains("Battery reported"));

    // Removing the marking restores the verdict.
    REQUIRE(run("annotations rm", storeArgs(store, {std::to_string(id)})).code == 0);
    const Result after =
        analyze({scenario, "--annotations", store.string(), "-o", out("r3.geojson").string()});
    REQUIRE(after.code == 0);
    CHECK(verdictOf(out("r3.geojson"), "Mountain Pass") == "investable");
    CHECK_THAT(after.out, Contains("counted as hostile (what-if): 0"));
}

TEST_CASE_METHOD(CliFixture,
                 "analyze: a hostile range circle counts as its polygon, the scenario declares its store",
                 "[cli]") {
    // A scenario of the small fixture that declares its store.
    const fs::path store = out("declared.gpkg");
    writeText(in("s.toml"), "name = \"small\"\nannotations = " + std::string("\"") + store.string() +
                                "\"\n[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = \"" +
                                fixture("deposits_small.geojson") +
                                "\"\n[[layers]]\nid = \"front\"\nrole = \"front\"\n" + "source = \"" +
                                fixture("front_meridian.geojson") + "\"\n");
    REQUIRE(analyze({in("s.toml").string(), "-o", out("r0.geojson").string()}).code == 0);
    auto ds = openVector(out("r0.geojson"));
    const auto features = allFeatures(*ds->GetLayer(0));
    // The deposit farthest from the front, and a circle whose edge passes 10 km beyond it.
    const OGRFeature *far = nullptr;
    for (const auto &f : features)
        if (!far || real(*f, "front_distance_km") > real(*far, "front_distance_km"))
            far = f.get();
    REQUIRE(far);
    const std::string name = str(*far, "name");
    const std::string before = str(*far, "verdict");
    const auto *p = far->GetGeometryRef()->toPoint();
    const std::string lonlat = std::to_string(p->getX() + 1.0) + "," + std::to_string(p->getY());
    REQUIRE(run("annotations add", {"--scenario", in("s.toml").string(), "--kind", "range_circle", "--label",
                                    "Launch site", "--lonlat", lonlat, "--radius-km", "90", "--hostile"})
                .code == 0);
    REQUIRE(fs::exists(store));
    const Result r = analyze({in("s.toml").string(), "-o", out("r1.geojson").string()});
    REQUIRE(r.code == 0);
    auto ds1 = openVector(out("r1.geojson"));
    const auto features1 = allFeatures(*ds1->GetLayer(0));
    const OGRFeature *now = byName(features1, name);
    CHECK(str(*now, "occupied") == "1"); // inside the circle's polygon: hostile-controlled
    CHECK(real(*now, "front_distance_km") == 0);
    CHECK(str(*now, "verdict") == "not_investable");
    if (before != "not_investable")
        CHECK_THAT(r.out,
                   Contains(name + ": " + before + " -> not_investable (by annotation 1 'Launch site')"));
}

TEST_CASE_METHOD(CliFixture, "annotations import: a bad feature in the middle imports nothing", "[cli]") {
    const fs::path store = out("a.gpkg");
    addOne(*this, store, addArgsOfEveryKind()[0]);
    const auto before = io::openAnnotationStore(store.string(), false)->load();
    // Three features; the second is a marker with two vertices.
    const fs::path file = out("three.geojson");
    writeText(file, R"({"type": "FeatureCollection", "features": [
{"type": "Feature", "properties": {"kind": "marker", "label": "one"},
 "geometry": {"type": "Point", "coordinates": [37, 48]}},
{"type": "Feature", "properties": {"kind": "marker", "label": "two"},
 "geometry": {"type": "LineString", "coordinates": [[37, 48], [38, 48]]}},
{"type": "Feature", "properties": {"kind": "marker", "label": "three"},
 "geometry": {"type": "Point", "coordinates": [38, 49]}}]})");
    const Result r = run("annotations import", storeArgs(store, {file.string()}));
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("three.geojson") && Contains("'two'") && Contains("needs exactly one point"));
    CHECK(r.out.empty());
    const auto after = io::openAnnotationStore(store.string(), false)->load();
    CHECK(after.annotations == before.annotations);
}
