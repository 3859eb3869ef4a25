// One test per bad input of issue 2: exit code 2 (4 for the report itself), a message on
// stderr naming the file, the layer and the feature, and no report (nor temporary file) left.
#include "cli/bad_input_support.hpp"

using namespace orefront::clitest;
using Catch::Matchers::Contains;

TEST_CASE_METHOD(CliFixture, "analyze --deposits MISSING.geojson exits 2 naming the file and layer",
                 "[cli]") {
    const std::string missing = in("missing.geojson").string();
    const Result r = analyze(plus({"--deposits", missing, "-o", out("r.geojson").string()}, kHostile));
    checkRejected(*this, r);
    checkMentions(r, {missing, "layer 'deposits'", "does not exist"});
}

TEST_CASE_METHOD(CliFixture, "analyze --hostile MISSING.geojson exits 2 naming the hostile layer", "[cli]") {
    const std::string missing = in("missing_hostile.geojson").string();
    const Result r = analyze({"--deposits", fixture("deposits_small.geojson"), "--hostile", missing, "-o",
                              out("r.geojson").string()});
    checkRejected(*this, r);
    checkMentions(r, {missing, "layer 'hostile'"});
}

TEST_CASE_METHOD(CliFixture, "analyze MISSING.toml exits 2 naming the scenario", "[cli]") {
    const std::string missing = in("missing.toml").string();
    const Result r = analyze({missing, "-o", out("r.geojson").string()});
    checkRejected(*this, r);
    CHECK_THAT(r.err, Contains(missing));
}

TEST_CASE_METHOD(CliFixture, "analyze --deposits truncated.geojson exits 2 naming the file and layer",
                 "[cli]") {
    const Result r = analyze(plus(
        {"--deposits", fixture("deposits_truncated.geojson"), "-o", out("r.geojson").string()}, kHostile));
    checkRejected(*this, r);
    checkMentions(r, {fixture("deposits_truncated.geojson"), "layer 'deposits'", "cannot open"});
}

TEST_CASE_METHOD(CliFixture, "analyze --deposits 'X|layername=nope' exits 2 listing the file's layers",
                 "[cli]") {
    const Result r = analyze(plus({"--deposits", fixture("deposits_small.geojson") + "|layername=nope", "-o",
                                   out("r.geojson").string()},
                                  kHostile));
    checkRejected(*this, r);
    checkMentions(r, {fixture("deposits_small.geojson"), "'nope'"});
    CHECK_THAT(r.err, Contains("deposits_small")); // the layer it does have
}

TEST_CASE_METHOD(CliFixture, "analyze --deposits 'X|subset=bad sql' exits 2 naming the subset", "[cli]") {
    const Result r =
        analyze(plus({"--deposits", fixture("deposits_small.geojson") + "|subset=no_such_column >", "-o",
                      out("r.geojson").string()},
                     kHostile));
    checkRejected(*this, r);
    checkMentions(r, {fixture("deposits_small.geojson"), "no_such_column >"});
}

TEST_CASE_METHOD(CliFixture, "analyze --deposits 'X|colour=red' exits 2 on an unknown source option",
                 "[cli]") {
    const Result r = analyze(plus(
        {"--deposits", fixture("deposits_small.geojson") + "|colour=red", "-o", out("r.geojson").string()},
        kHostile));
    checkRejected(*this, r);
    CHECK_THAT(r.err, Contains("colour=red"));
}

TEST_CASE_METHOD(CliFixture, "analyze scenario_unknown_grade_field.toml exits 2 naming the layer and field",
                 "[cli]") {
    const Result r = analyze({fixture("scenario_unknown_grade_field.toml"), "-o", out("r.geojson").string()});
    checkRejected(*this, r);
    checkMentions(r, {"deposits_small.geojson", "layer 'deposits'", "'grade_pct_missing'", "grade_field"});
}

TEST_CASE_METHOD(CliFixture, "analyze scenario_unknown_status_field.toml exits 2 naming the layer and field",
                 "[cli]") {
    const Result r =
        analyze({fixture("scenario_unknown_status_field.toml"), "-o", out("r.geojson").string()});
    checkRejected(*this, r);
    checkMentions(r, {"hostile_square.geojson", "layer 'occupied'", "'control_missing'", "status_field"});
}

TEST_CASE_METHOD(CliFixture, "analyze --deposits empty.geojson exits 2 on a layer with no features",
                 "[cli]") {
    const Result r =
        analyze(plus({"--deposits", fixture("empty.geojson"), "-o", out("r.geojson").string()}, kHostile));
    checkRejected(*this, r);
    checkMentions(r, {fixture("empty.geojson"), "layer 'empty'", "no features"});
}

TEST_CASE_METHOD(CliFixture, "analyze --hostile empty.geojson exits 2 on an empty hostile layer", "[cli]") {
    const Result r = analyze({"--deposits", fixture("deposits_small.geojson"), "--hostile",
                              fixture("empty.geojson"), "-o", out("r.geojson").string()});
    checkRejected(*this, r);
    checkMentions(r, {fixture("empty.geojson"), "no features"});
}

TEST_CASE_METHOD(CliFixture,
                 "analyze --deposits 'X|subset=grade_treo_pct > 100' exits 2 when nothing matches", "[cli]") {
    const Result r =
        analyze(plus({"--deposits", fixture("deposits_small.geojson") + "|subset=grade_treo_pct > 100", "-o",
                      out("r.geojson").string()},
                     kHostile));
    checkRejected(*this, r);
    checkMentions(r, {fixture("deposits_small.geojson"), "layer 'deposits_small'", "grade_treo_pct > 100"});
}

TEST_CASE_METHOD(CliFixture, "analyze --deposits nocrs.shp (no .prj) exits 2 asking for a CRS", "[cli]") {
    initGdal();
    const std::string shp = in("nocrs.shp").string();
    {
        GDALDriver *drv = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
        REQUIRE(drv != nullptr);
        GDALDatasetUniquePtr ds(drv->Create(shp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        REQUIRE(ds);
        OGRLayer *layer = ds->CreateLayer("nocrs", nullptr, wkbPoint, nullptr);
        REQUIRE(layer != nullptr);
        OGRFieldDefn name("name", OFTString);
        REQUIRE(layer->CreateField(&name) == OGRERR_NONE);
        OGRFeature f(layer->GetLayerDefn());
        f.SetField("name", "Somewhere");
        f.SetGeometryDirectly(new OGRPoint(38.0, 47.5));
        REQUIRE(layer->CreateFeature(&f) == OGRERR_NONE);
    }
    REQUIRE(fs::exists(shp));
    REQUIRE_FALSE(fs::exists(in("nocrs.prj")));
    const Result r = analyze(plus({"--deposits", shp, "-o", out("r.geojson").string()}, kHostile));
    checkRejected(*this, r);
    checkMentions(r, {shp, "layer 'nocrs'", "coordinate reference system"});
}

TEST_CASE_METHOD(CliFixture,
                 "analyze --deposits swapped.geojson exits 2 saying latitude and longitude are swapped",
                 "[cli]") {
    const Result r = analyze(
        plus({"--deposits", fixture("deposits_swapped.geojson"), "-o", out("r.geojson").string()}, kHostile));
    checkRejected(*this, r);
    checkMentions(r, {fixture("deposits_swapped.geojson"), "layer 'deposits_swapped'"});
    CHECK_THAT(r.err, Contains("feature 2")); // "id": 2, the [48.5, 135.0] point
    CHECK_THAT(r.err, Contains("swapped"));
}

TEST_CASE_METHOD(CliFixture, "analyze --deposits grade_text.geojson exits 2 on a non-numeric grade",
                 "[cli]") {
    const Result r = analyze(plus(
        {"--deposits", fixture("deposits_grade_text.geojson"), "-o", out("r.geojson").string()}, kHostile));
    checkRejected(*this, r);
    checkMentions(r, {"deposits_grade_text.geojson", "layer 'deposits'", "feature 2", "'Wordy'", "'high'"});
}

TEST_CASE_METHOD(CliFixture, "analyze scenario_malformed.toml exits 2 naming the file and line", "[cli]") {
    const Result r = analyze({fixture("scenario_malformed.toml"), "-o", out("r.geojson").string()});
    checkRejected(*this, r);
    checkMentions(r, {fixture("scenario_malformed.toml"), "line 2"});
}

TEST_CASE_METHOD(CliFixture, "analyze scenario_unknown_key.toml exits 2 naming the key", "[cli]") {
    const Result r = analyze({fixture("scenario_unknown_key.toml"), "-o", out("r.geojson").string()});
    checkRejected(*this, r);
    checkMentions(r, {fixture("scenario_unknown_key.toml"), "colour", "unknown key"});
}

TEST_CASE_METHOD(CliFixture, "analyze --deposits X (no hostile or front layer) exits 2", "[cli]") {
    const Result r =
        analyze({"--deposits", fixture("deposits_small.geojson"), "-o", out("r.geojson").string()});
    checkRejected(*this, r);
    CHECK_THAT(r.err, Contains("--hostile"));
}

TEST_CASE_METHOD(CliFixture, "analyze --rings 20,abc exits 1 (bad command line) naming the bad distance",
                 "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"--rings", "20,abc", "-o", out("r.geojson").string()}));
    checkRejected(*this, r, 1);
    CHECK_THAT(r.err, Contains("'abc'"));
}

TEST_CASE_METHOD(CliFixture, "analyze -o OUT.txt exits 2 on an unknown report format", "[cli]") {
    const Result r = analyze(plus(smallLayers(), {"-o", out("r.txt").string()}));
    checkRejected(*this, r);
    CHECK_THAT(r.err, Contains("'txt'"));
}

TEST_CASE_METHOD(CliFixture, "analyze -o MISSING_DIR/OUT.geojson exits 4 naming the directory", "[cli]") {
    const fs::path target = out("no_such_dir") / "r.geojson";
    const Result r = analyze(plus(smallLayers(), {"-o", target.string()}));
    checkRejected(*this, r, 4);
    CHECK_THAT(r.err, Contains(out("no_such_dir").string()));
    CHECK_FALSE(fs::exists(out("no_such_dir")));
}

TEST_CASE_METHOD(CliFixture, "analyze -o DIR (an existing directory) exits 4 and leaves no temporary file",
                 "[cli]") {
    fs::create_directories(out("taken.geojson") / "inside");
    const Result r = analyze(plus(smallLayers(), {"-o", out("taken.geojson").string()}));
    CHECK(r.code == 4);
    CHECK_THAT(r.err, Contains(out("taken.geojson").string()));
    CHECK(outEntries() == std::vector<std::string>{"taken.geojson"}); // the directory only
    CHECK(fs::is_directory(out("taken.geojson") / "inside"));
}

TEST_CASE_METHOD(CliFixture, "analyze over an existing report replaces it only on success", "[cli]") {
    writeText(out("r.geojson"), "previous report\n");
    const Result bad = analyze(plus(
        {"--deposits", fixture("deposits_truncated.geojson"), "-o", out("r.geojson").string()}, kHostile));
    CHECK(bad.code == 2);
    CHECK(readText(out("r.geojson")) == "previous report\n"); // untouched by a failed run
    CHECK(outEntries() == std::vector<std::string>{"r.geojson"});
    REQUIRE(analyze(plus(smallLayers(), {"-q", "-o", out("r.geojson").string()})).code == 0);
    CHECK(openVector(out("r.geojson"))->GetLayer(0)->GetFeatureCount() == 6);
    CHECK(outEntries() == std::vector<std::string>{"r.geojson"});
}
