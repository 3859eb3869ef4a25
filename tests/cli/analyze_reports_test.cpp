// Issue 7, "Reports" and the sweep for silent misreads: provenance in every report format, a
// typed GeoPackage layer, CSV column types, loud refusals of empty or non-numeric thresholds,
// unknown subcommands, bad dates, an output that would overwrite an input, and the warnings
// for inputs that would otherwise be misread in silence.
#include "cli/cli_support.hpp"

#include <cpl_json.h>

#include <regex>
#include <set>

using namespace orefront::clitest;
using Catch::Matchers::Contains;

namespace {

// The version CMake's project() declares, read from the top CMakeLists.txt itself.
std::string projectVersion() {
    const std::string text = readText(fs::path(OREFRONT_GEODATA_DIR).parent_path() / "CMakeLists.txt");
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex(R"(project\(orefront VERSION ([0-9.]+))")));
    return m[1];
}

CPLJSONObject loadJson(const fs::path &p) {
    CPLJSONDocument doc;
    INFO("reading " << p.string());
    REQUIRE(doc.Load(p.string()));
    return doc.GetRoot();
}

CPLJSONObject parseJson(const std::string &text) {
    CPLJSONDocument doc;
    INFO("parsing " << text);
    REQUIRE(doc.LoadMemory(text));
    return doc.GetRoot();
}

CPLJSONObject entryWith(const CPLJSONArray &a, const char *key, const std::string &value) {
    for (int i = 0; i < a.Size(); ++i)
        if (a[i].GetString(key) == value)
            return a[i];
    FAIL("no entry with " << key << " = " << value);
    return {};
}

std::vector<std::string> strings(const CPLJSONArray &a) {
    std::vector<std::string> out;
    for (int i = 0; i < a.Size(); ++i)
        out.push_back(a[i].ToString());
    return out;
}

std::size_t countOf(const std::string &text, const std::string &needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
        ++n;
    return n;
}

// The checks the provenance shares in every format: version, layers as written, counts.
void checkSmallProvenance(const CPLJSONObject &root) {
    CHECK(root.GetString("orefront_version") == projectVersion());
    CHECK(root.GetString("generator") == "orefront " + projectVersion());
    CHECK(root.GetString("scenario") == "command line");
    CHECK(root.GetObj("thresholds").GetDouble("standoff_km") == Approx(40.0));
    const CPLJSONArray layers = root.GetArray("layers");
    REQUIRE(layers.Size() == 4); // the three given, and the bundled boundaries the lookup used
    const CPLJSONObject world = entryWith(layers, "id", "boundaries");
    CHECK(world.GetString("role") == "boundaries");
    CHECK(world.GetString("source") == "bundled: ne_50m_admin0_dejure.geojson");
    CHECK(world.GetLong("feature_count") > 200);
    const CPLJSONObject dep = entryWith(layers, "id", "deposits");
    CHECK(dep.GetString("role") == "deposits");
    CHECK(dep.GetString("source") == "deposits_small.geojson"); // as typed, relative to the cwd
    CHECK(dep.GetLong("feature_count") == 6);
    CHECK(dep.GetString("source_crs") == "EPSG:4326");
    CHECK(dep.GetObj("date").GetType() == CPLJSONObject::Type::Null);
    CHECK(entryWith(layers, "id", "hostile").GetLong("feature_count") == 1);
    CHECK(entryWith(layers, "id", "front").GetString("source") == "front_meridian.geojson");
    // Command-line layers declare none; the bundled boundaries do.
    REQUIRE(root.GetArray("attributions").Size() == 1);
    CHECK(root.GetArray("attributions")[0].ToString() == "Natural Earth admin-0 (public domain), de jure");
    CHECK(root.GetArray("jurisdictions").Size() > 0);
}

const std::vector<std::string> kRelativeSmall = {"--deposits", "deposits_small.geojson",
                                                 "--hostile",  "hostile_square.geojson",
                                                 "--front",    "front_meridian.geojson"};

} // namespace

TEST_CASE_METHOD(
    CliFixture,
    "issue 7: analyze BUNDLED -o OUT.geojson records version, layers, jurisdictions and attributions",
    "[cli]") {
    const std::string scenario = geodata("scenario.toml");
    const Result r = analyze({scenario, "-o", out("r.geojson").string()});
    REQUIRE(r.code == 0);
    const CPLJSONObject root = loadJson(out("r.geojson"));
    // the members that were already there, unchanged
    CHECK(root.GetString("scenario") == "Ukraine and world rare-earth deposits, fronts 2022-2025");
    CHECK(root.GetString("date") == "2025-08-01");
    CHECK(root.GetObj("thresholds").GetArray("rings_km").Size() == 3);
    CHECK(root.GetObj("rules").GetString("occupied") == "block");
    CHECK(root.GetString("orefront_version") == projectVersion());

    const std::string toml = readText(scenario);
    const CPLJSONArray layers = root.GetArray("layers");
    // The scenario's layers, and the bundled boundaries behind the jurisdiction lookup.
    CHECK(layers.Size() == static_cast<int>(countOf(toml, "[[layers]]")) + 1);
    CHECK(entryWith(layers, "id", "boundaries").GetString("role") == "boundaries");
    const CPLJSONObject dep = entryWith(layers, "id", "deposits");
    CHECK(dep.GetString("role") == "deposits");
    CHECK(dep.GetString("source") == "deposits.geojson"); // as written, relative to the scenario
    CHECK(dep.GetLong("feature_count") ==
          openVector(geodata("deposits.geojson"))->GetLayer(0)->GetFeatureCount());
    CHECK_THAT(dep.GetString("attribution"), Contains("USGS"));
    const CPLJSONObject occ = entryWith(layers, "id", "occupied");
    CHECK(occ.GetString("role") == "hostile");
    CHECK(occ.GetString("date") == "2025-08-01");
    CHECK(occ.GetLong("feature_count") ==
          openVector(geodata("occupied_2025-08.geojson"))->GetLayer(0)->GetFeatureCount());
    for (int i = 0; i < layers.Size(); ++i) {
        INFO("layer " << layers[i].GetString("id"));
        CHECK_FALSE(layers[i].GetString("attribution").empty()); // every bundled layer credits its source
    }

    const std::vector<std::string> credits = strings(root.GetArray("attributions"));
    CHECK(contains(credits, "NGA World Port Index (Pub. 150)"));
    CHECK(std::any_of(credits.begin(), credits.end(),
                      [](const std::string &c) { return c.find("DeepState") != std::string::npos; }));
    CHECK(std::set<std::string>(credits.begin(), credits.end()).size() == credits.size()); // each once
    CHECK(credits.size() < static_cast<std::size_t>(layers.Size())); // shared ones merged
    CHECK_THAT(r.out, Contains("data: ") && Contains("NGA World Port Index (Pub. 150)"));

    const CPLJSONArray jur = root.GetArray("jurisdictions");
    const CPLJSONObject rus = entryWith(jur, "code", "RUS");
    CHECK(rus.GetBool("sanctioned"));
    const CPLJSONObject ukr = entryWith(jur, "code", "UKR");
    CHECK(ukr.GetString("name") == "Ukraine");
    CHECK(ukr.GetString("grid") == "damaged");
    CHECK_FALSE(ukr.GetBool("processing_access", true));
    for (int i = 0; i < jur.Size(); ++i)
        for (const char *key : {"code", "name", "sanctioned", "property_rights_risk", "grid",
                                "processing_access", "reserves_mt"}) {
            INFO(jur[i].GetString("code") << "." << key);
            CHECK(jur[i].GetObj(key).IsValid());
        }
}

TEST_CASE_METHOD(CliFixture, "issue 7: analyze -o OUT.geojson with command-line layers records them as typed",
                 "[cli]") {
    const Result r = analyze(plus(kRelativeSmall, {"-o", out("r.geojson").string()}), fixture(""));
    REQUIRE(r.code == 0);
    checkSmallProvenance(loadJson(out("r.geojson")));
    CHECK(lineStarting(r.out, "data:") == "data: Natural Earth admin-0 (public domain), de jure");
}

TEST_CASE_METHOD(CliFixture, "issue 7: analyze -o OUT.gpkg: a Point layer with the provenance as metadata",
                 "[cli]") {
    const Result r = analyze(plus(kRelativeSmall, {"-o", out("r.gpkg").string()}), fixture(""));
    REQUIRE(r.code == 0);
    auto ds = openVector(out("r.gpkg"));
    OGRLayer *deposits = ds->GetLayerByName("deposits");
    REQUIRE(deposits);
    CHECK(deposits->GetGeomType() == wkbPoint); // was wkbUnknown
    const char *meta = deposits->GetMetadataItem("orefront_scenario");
    REQUIRE(meta);
    checkSmallProvenance(parseJson(meta));
}

TEST_CASE_METHOD(CliFixture,
                 "issue 7: analyze -o OUT.gpkg types polygon deposits MultiPolygon, mixed ones Geometry",
                 "[cli]") {
    const std::string square = "[[36.1,47.1],[36.3,47.1],[36.3,47.3],[36.1,47.3],[36.1,47.1]]";
    const std::string far = "[[40.1,47.1],[40.3,47.1],[40.3,47.3],[40.1,47.3],[40.1,47.1]]";
    auto feature = [](const std::string &name, const std::string &geometry) {
        return R"({"type":"Feature","properties":{"name":")" + name + R"(","grade_treo_pct":3},"geometry":)" +
               geometry + "}";
    };
    const std::string polygon = R"({"type":"Polygon","coordinates":[)" + square + "]}";
    const std::string multi = R"({"type":"MultiPolygon","coordinates":[[)" + far + "],[" +
                              "[[41.1,47.1],[41.3,47.1],[41.3,47.3],[41.1,47.3],[41.1,47.1]]]]}";
    const std::string point = R"({"type":"Point","coordinates":[40.5,47.5]})";
    writeText(in("polygons.geojson"), R"({"type":"FeatureCollection","features":[)" + feature("A", polygon) +
                                          "," + feature("B", multi) + "]}");
    writeText(in("mixed.geojson"), R"({"type":"FeatureCollection","features":[)" + feature("A", polygon) +
                                       "," + feature("C", point) + "]}");
    const std::vector<std::string> hostile = {"--hostile", fixture("hostile_square.geojson")};
    REQUIRE(
        analyze(plus({"--deposits", in("polygons.geojson").string(), "-o", out("p.gpkg").string()}, hostile))
            .code == 0);
    REQUIRE(analyze(plus({"--deposits", in("mixed.geojson").string(), "-o", out("m.gpkg").string()}, hostile))
                .code == 0);
    auto p = openVector(out("p.gpkg"));
    CHECK(p->GetLayerByName("deposits")->GetGeomType() == wkbMultiPolygon);
    for (const auto &f : allFeatures(*p->GetLayerByName("deposits")))
        CHECK(wkbFlatten(f->GetGeometryRef()->getGeometryType()) == wkbMultiPolygon);
    CHECK(p->GetLayerByName("deposits")->GetFeatureCount() == 2);
    auto m = openVector(out("m.gpkg"));
    CHECK(m->GetLayerByName("deposits")->GetGeomType() == wkbUnknown);
    CHECK(m->GetLayerByName("deposits")->GetFeatureCount() == 2);
}

TEST_CASE_METHOD(CliFixture,
                 "issue 7: analyze -o OUT.csv writes OUT.csvt so numbers read back as numbers, and "
                 "OUT.csv.json with the provenance",
                 "[cli]") {
    const Result c = analyze(plus(kRelativeSmall, {"-o", out("r.csv").string()}), fixture(""));
    REQUIRE(c.code == 0);
    CHECK(fs::exists(out("r.csvt")));
    CHECK(fs::exists(out("r.prj")));
    auto ds = openVector(out("r.csv"));
    OGRFeatureDefn *defn = ds->GetLayer(0)->GetLayerDefn();
    auto typeOf = [&](const char *name) {
        const int i = defn->GetFieldIndex(name);
        INFO("csv column " << name);
        REQUIRE(i >= 0);
        return defn->GetFieldDefn(i);
    };
    CHECK(typeOf("front_distance_km")->GetType() == OFTReal);
    CHECK(typeOf("grade_treo_pct")->GetType() == OFTReal);
    CHECK(typeOf("ring_km")->GetType() == OFTReal);
    CHECK(typeOf("occupied")->GetType() == OFTInteger);
    CHECK(typeOf("occupied")->GetSubType() == OFSTBoolean);
    CHECK(typeOf("name")->GetType() == OFTString);
    CHECK(typeOf("verdict")->GetType() == OFTString);
    const auto features = allFeatures(*ds->GetLayer(0)); // owns what rows point into
    const auto rows = byNames(features);
    REQUIRE(rows.count("East 15km"));
    const OGRFeature &east = *rows.at("East 15km");
    CHECK(east.GetFieldAsDouble("front_distance_km") == Approx(15.0).margin(0.5)); // a number, not text
    checkSmallProvenance(loadJson(out("r.csv.json")));
}

TEST_CASE_METHOD(CliFixture,
                 "issue 7: orefront annotate says unknown subcommand and lists the commands, exit 1",
                 "[cli]") {
    const Result r = run("annotate", {"x.toml"});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Contains("unknown subcommand 'annotate'"));
    CHECK_THAT(r.err, Contains("analyze"));
    CHECK_FALSE(r.err.find("A subcommand is required") != std::string::npos);
    const Result none = run("", {});
    CHECK(none.code == 1); // no word at all: CLI11's own message is right
    const Result v = run("--version", {});
    CHECK(v.code == 0);
    CHECK_THAT(v.out, Contains("orefront " + projectVersion()));
}

TEST_CASE_METHOD(CliFixture, "issue 7: analyze --rings '' / abc / 20, / nan exits 1, never the default rings",
                 "[cli]") {
    for (const std::string rings : {"", " ", "abc", "20,", "20,,40", "nan", "inf", "-20", "0"}) {
        INFO("--rings '" << rings << "'");
        const Result r = analyze(plus(smallLayers(), {"--rings", rings, "-o", out("r.geojson").string()}));
        CHECK(r.code == 1);
        CHECK_THAT(r.err, Contains("--rings"));
        CHECK(r.out.empty());
        CHECK(outEntries().empty());
    }
}

TEST_CASE_METHOD(CliFixture, "issue 7: analyze --standoff / --grade-cutoff refuse negative and NaN, exit 1",
                 "[cli]") {
    for (const auto &[option, value] :
         std::vector<std::pair<std::string, std::string>>{{"--standoff", "-5"},
                                                          {"--standoff", "nan"},
                                                          {"--grade-cutoff", "-1"},
                                                          {"--grade-cutoff", "nan"},
                                                          {"--grade-cutoff", "inf"}}) {
        INFO(option << " " << value);
        const Result r = analyze(plus(smallLayers(), {option, value, "-o", out("r.geojson").string()}));
        CHECK(r.code == 1);
        CHECK_THAT(r.err, Contains(option));
        CHECK(outEntries().empty());
    }
    CHECK(analyze(plus(smallLayers(), {"--standoff", "0", "-q", "-o", out("r.geojson").string()})).code == 0);
}

namespace {
std::string smallScenario(const std::string &extra, const std::string &thresholds = "") {
    return extra + "\n[thresholds]\n" + thresholds +
           "\n[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = \"" +
           fixture("deposits_small.geojson") +
           "\"\n\n[[layers]]\nid = \"hostile\"\nrole = \"hostile\"\nsource = \"" +
           fixture("hostile_square.geojson") + "\"\n";
}
} // namespace

TEST_CASE_METHOD(CliFixture, "issue 7: analyze SCENARIO with rings_km = [] exits 2 naming the key", "[cli]") {
    writeText(in("s.toml"), smallScenario("name = \"t\"", "rings_km = []"));
    const Result r = analyze({in("s.toml").string(), "-o", out("r.geojson").string()});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("s.toml") && Contains("thresholds.rings_km") && Contains("empty"));
    CHECK(outEntries().empty());
}

TEST_CASE_METHOD(CliFixture,
                 "issue 7: analyze SCENARIO with a negative or NaN threshold exits 2 naming the key",
                 "[cli]") {
    for (const std::string line :
         {"standoff_km = -40", "grade_cutoff_pct = nan", "max_port_distance_km = inf"}) {
        INFO(line);
        writeText(in("s.toml"), smallScenario("name = \"t\"", line));
        const Result r = analyze({in("s.toml").string(), "-o", out("r.geojson").string()});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Contains("s.toml") && Contains("thresholds." + line.substr(0, line.find(' '))));
        CHECK(outEntries().empty());
    }
}

TEST_CASE_METHOD(CliFixture, "issue 7: a date that is not an ISO date exits 2, a TOML date is accepted",
                 "[cli]") {
    SECTION("scenario date") {
        writeText(in("s.toml"), smallScenario("date = \"1/8/2025\""));
        const Result r = analyze({in("s.toml").string(), "-o", out("r.geojson").string()});
        CHECK(r.code == 2);
        CHECK_THAT(r.err,
                   Contains("s.toml") && Contains("date") && Contains("'1/8/2025'") && Contains("ISO 8601"));
    }
    SECTION("layer date that does not exist") {
        std::string text = smallScenario("");
        text.replace(text.find("role = \"hostile\""), 16, "role = \"hostile\"\ndate = \"2025-02-30\"");
        writeText(in("s.toml"), text);
        const Result r = analyze({in("s.toml").string(), "-o", out("r.geojson").string()});
        CHECK(r.code == 2);
        CHECK_THAT(r.err, Contains("layers[1].date") && Contains("'2025-02-30'"));
    }
    SECTION("unquoted TOML date") {
        writeText(in("s.toml"), smallScenario("date = 2025-08-01"));
        const Result r = analyze({in("s.toml").string(), "-o", out("r.geojson").string()});
        REQUIRE(r.code == 0);
        CHECK(loadJson(out("r.geojson")).GetString("date") == "2025-08-01");
    }
}

TEST_CASE_METHOD(CliFixture,
                 "issue 7: analyze -o INPUT (the report over its own input) exits 1, input intact", "[cli]") {
    fs::copy_file(fixture("deposits_small.geojson"), in("d.geojson"));
    const std::string before = readText(in("d.geojson"));
    const Result r = analyze({"--deposits", in("d.geojson").string(), "--hostile",
                              fixture("hostile_square.geojson"), "-o", in("d.geojson").string()});
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Contains("layer 'deposits'") && Contains("overwrite"));
    CHECK(readText(in("d.geojson")) == before);
    // a CSV report's .prj beside a Shapefile of the same name
    ogr2ogr(fixture("deposits_small.geojson"), in("d.shp").string(), {});
    const std::string prj = readText(in("d.prj"));
    const Result shp = analyze({"--deposits", in("d.shp").string(), "--hostile",
                                fixture("hostile_square.geojson"), "-o", in("d.csv").string()});
    CHECK(shp.code == 1);
    CHECK_THAT(shp.err, Contains("d.prj") && Contains("layer 'deposits'"));
    CHECK(readText(in("d.prj")) == prj);
    CHECK_FALSE(fs::exists(in("d.csv")));
}

TEST_CASE_METHOD(CliFixture, "issue 7: a PG: password never appears in messages", "[cli]") {
    const Result r =
        analyze({"--deposits", "PG:host=/nonexistent dbname=none user=u password=hunter2", "--hostile",
                 fixture("hostile_square.geojson"), "-o", out("r.geojson").string()});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("password=***"));
    CHECK(r.err.find("hunter2") == std::string::npos);
}

TEST_CASE_METHOD(CliFixture,
                 "issue 7: warnings: points as hostile territory, duplicate and empty deposit names",
                 "[cli]") {
    SECTION("a point layer given as --hostile") {
        const Result r = analyze({"--deposits", fixture("deposits_small.geojson"), "--hostile",
                                  fixture("deposits_small.geojson"), "-o", out("r.geojson").string()});
        CHECK(r.code == 0);
        CHECK_THAT(r.err, Contains("warning") && Contains("deposits_small.geojson") &&
                              Contains("6 of 6 hostile features are points") &&
                              Contains("firing positions") && Contains("marks no deposit as occupied"));
    }
    SECTION("duplicate names") {
        std::string text = readText(fixture("deposits_small.geojson"));
        text.replace(text.find("East 28km"), 9, "East 15km");
        writeText(in("dup.geojson"), text);
        const Result r = analyze({"--deposits", in("dup.geojson").string(), "--hostile",
                                  fixture("hostile_square.geojson"), "-o", out("r.geojson").string()});
        CHECK(r.code == 0);
        CHECK_THAT(r.err, Contains("warning") && Contains("dup.geojson") && Contains("'East 15km' x2"));
        CHECK(openVector(out("r.geojson"))->GetLayer(0)->GetFeatureCount() == 6);
    }
    SECTION("duplicate names: counted and listed in order, numeric names too") {
        auto points = [](const std::vector<std::string> &names) {
            std::string text = R"({"type": "FeatureCollection", "features": [)";
            for (std::size_t i = 0; i < names.size(); ++i)
                text += std::string(i ? "," : "") +
                        R"({"type": "Feature", "geometry": {"type": "Point", "coordinates": [)" +
                        std::to_string(20 + static_cast<int>(i)) + R"(, 50]}, "properties": {"name": )" +
                        names[i] + "}}";
            return text + "]}";
        };
        writeText(in("dups.geojson"), points({"\"b\"", "\"a\"", "\"b\"", "\"c\"", "\"a\"", "\"b\""}));
        Result r = analyze({"--deposits", in("dups.geojson").string(), "--hostile",
                            fixture("hostile_square.geojson"), "-o", out("dups.geojson").string()});
        CHECK(r.code == 0);
        CHECK_THAT(r.err, Contains("2 deposit names are used more than once ('a' x2, 'b' x3)"));
        writeText(in("numbers.geojson"), points({"7", "8", "7"}));
        r = analyze({"--deposits", in("numbers.geojson").string(), "--hostile",
                     fixture("hostile_square.geojson"), "-o", out("numbers.geojson").string()});
        CHECK(r.code == 0);
        CHECK_THAT(r.err, Contains("1 deposit name is used more than once ('7' x2)"));
    }
    SECTION("empty names") {
        std::string text = readText(fixture("deposits_small.geojson"));
        for (const char *n : {"Occupied One", "East 15km", "East 28km", "East 55km", "Far Rich", "Far Lean"})
            text.replace(text.find(n), std::string(n).size(), "");
        writeText(in("noname.geojson"), text);
        const Result r = analyze({"--deposits", in("noname.geojson").string(), "--hostile",
                                  fixture("hostile_square.geojson"), "-o", out("r.geojson").string()});
        CHECK(r.code == 0);
        CHECK_THAT(r.err,
                   Contains("warning") && Contains("noname.geojson") && Contains("'name' is empty on all 6"));
    }
    SECTION("a source field the report replaces") {
        std::string text = readText(fixture("deposits_small.geojson"));
        text.replace(text.find("\"country\": \"CAN\""), 16, "\"country\": \"CAN\", \"Verdict\": \"buy\"");
        writeText(in("own.geojson"), text);
        // The fixture's own countries (its deposits lie where the real map has Ukraine and Russia).
        const Result r =
            analyze({"--deposits", in("own.geojson").string(), "--hostile", fixture("hostile_square.geojson"),
                     "--boundaries", fixture("boundaries_small.geojson"), "-o", out("r.geojson").string()});
        CHECK(r.code == 0);
        CHECK_THAT(r.err,
                   Contains("warning") && Contains("own.geojson") && Contains("field 'Verdict' is replaced"));
        CHECK(str(*byName(allFeatures(*openVector(out("r.geojson"))->GetLayer(0)), "Far Rich"), "verdict") ==
              "investable");
    }
    SECTION("a file with several layers and no |layername=") {
        ogr2ogr(fixture("hostile_square.geojson"), in("two.gpkg").string(), {"-nln", "a_zone"});
        ogr2ogr(fixture("deposits_small.geojson"), in("two.gpkg").string(),
                {"-update", "-nln", "b_deposits"});
        const Result r = analyze({"--deposits", in("two.gpkg").string(), "--hostile",
                                  fixture("hostile_square.geojson"), "-o", out("r.geojson").string()});
        CHECK_THAT(r.err, Contains("warning") && Contains("two.gpkg") &&
                              Contains("has 2 layers (a_zone, b_deposits)") &&
                              Contains("reading the first, 'a_zone'") && Contains("|layername="));
        const Result chosen =
            analyze({"--deposits", in("two.gpkg").string() + "|layername=b_deposits", "--hostile",
                     fixture("hostile_square.geojson"), "-o", out("r2.geojson").string()});
        CHECK(chosen.code == 0);
        CHECK(chosen.err.find("warning") == std::string::npos);
    }
}

TEST_CASE_METHOD(CliFixture,
                 "issue 7: analyze --format csv -o OUT.geojson (the extension says otherwise) exits 1",
                 "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"--format", "csv", "-o", out("r.geojson").string()}));
    CHECK(r.code == 1);
    CHECK_THAT(r.err, Contains("--format csv") && Contains("'.geojson'"));
    CHECK(outEntries().empty());
    CHECK(analyze(plus(smallLayers(), {"-q", "--format", "geojson", "-o", out("r.json").string()})).code ==
          0);
}

TEST_CASE_METHOD(CliFixture,
                 "issue 7: a deposit at longitude -323.5 (36.5 E) is found inside the hostile area",
                 "[cli]") {
    std::string text = readText(fixture("deposits_small.geojson"));
    text.replace(text.find("[ 36.5, 47.5 ]"), 14, "[ -323.5, 47.5 ]");
    writeText(in("wrapped.geojson"), text);
    const Result r = analyze({"--deposits", in("wrapped.geojson").string(), "--hostile",
                              fixture("hostile_square.geojson"), "-o", out("r.geojson").string()});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.err, Contains("warning") && Contains("wrapped.geojson") &&
                          Contains("1 features have longitudes") && Contains("moved by 360"));
    const auto features = allFeatures(*openVector(out("r.geojson"))->GetLayer(0));
    const OGRFeature &occ = *byName(features, "Occupied One");
    CHECK(occ.GetFieldAsInteger("occupied") == 1); // was 0, 37.7 km from the square it lies in
    CHECK(real(occ, "front_distance_km") == 0.0);
    CHECK(str(occ, "verdict") == "not_investable");
    CHECK(contains(stringList(occ, "reasons"), "occupied"));
}
