// io::saveScenario (the viewer's "Save scenario as..."): a saved scenario, in another
// directory, is one that `orefront analyze` turns into the same report (issue 8, "Files").
#include "check_fields.hpp"
#include "cli/cli_support.hpp"

#include "orefront/io/scenario_io.hpp"
#include "orefront/io/scenario_writer.hpp"
#include "orefront/model/error.hpp"

#include <regex>

using namespace orefront::clitest;
namespace io = orefront::io;
namespace model = orefront::model;

namespace {

void requireSameLayers(const model::Scenario &a, const model::Scenario &b) {
    REQUIRE(a.layers.size() == b.layers.size());
    for (std::size_t i = 0; i < a.layers.size(); ++i) {
        const auto &x = a.layers[i], &y = b.layers[i];
        INFO("layer " << x.id);
        using L = model::LayerSpec;
        orefront::testing::checkSameFields(x, y, &L::id, &L::name, &L::role, &L::date, &L::statusField,
                                           &L::hostileStatuses, &L::contestedStatuses, &L::rangeFrom,
                                           &L::nameField, &L::countryField, &L::gradeField, &L::tonnageField);
        CHECK(io::resolveSource(x.source, a.baseDir) == io::resolveSource(y.source, b.baseDir));
    }
}

// A report's text without its "source" members: the provenance names each layer's source as
// written in the scenario, which differs between a scenario and its copy elsewhere.
std::string withoutSources(const std::string &text) {
    static const std::regex source(R"re("source": "(\\.|[^"\\])*")re");
    return std::regex_replace(text, source, "\"source\": \"\"");
}

void requireSameJurisdictions(const model::Scenario &a, const model::Scenario &b) {
    REQUIRE(a.jurisdictions.size() == b.jurisdictions.size());
    for (const auto &[code, j] : a.jurisdictions) {
        INFO("jurisdiction " << code);
        REQUIRE(b.jurisdictions.count(code) == 1);
        using J = model::Jurisdiction;
        orefront::testing::checkSameFields(j, b.jurisdictions.at(code), &J::name, &J::sanctioned,
                                           &J::propertyRightsRisk, &J::grid, &J::processingAccess,
                                           &J::reservesMt);
    }
}

} // namespace

TEST_CASE_METHOD(CliFixture, "analyze of the bundled scenario saved elsewhere writes the identical report",
                 "[cli]") {
    model::Scenario original = io::loadScenario(geodata("scenario.toml"));
    fs::create_directories(in("saved"));
    const std::string saved = in("saved/copy.toml").string();
    io::saveScenario(original, saved);

    const model::Scenario back = io::loadScenario(saved);
    CHECK(back.name == original.name);
    CHECK(back.date == original.date);
    CHECK(back.description == original.description);
    CHECK(back.thresholds == original.thresholds);
    CHECK(back.severities == original.severities);
    requireSameLayers(original, back);
    requireSameJurisdictions(original, back);
    // Sources are written relative to the new file, not absolute.
    CHECK(back.layers.front().source.rfind("../", 0) == 0);

    REQUIRE(analyze({geodata("scenario.toml"), "-o", out("original.geojson").string()}).code == 0);
    REQUIRE(analyze({saved, "-o", out("saved.geojson").string()}).code == 0);
    CHECK(withoutSources(readText(out("saved.geojson"))) ==
          withoutSources(readText(out("original.geojson"))));
}

TEST_CASE_METHOD(CliFixture, "a saved scenario carries its edited thresholds, rings and severities",
                 "[cli]") {
    model::Scenario s = io::loadScenario(geodata("scenario.toml"));
    s.thresholds.standoffKm = 25.5;
    s.thresholds.gradeCutoffPct = 1.25;
    s.thresholds.ringsKm = {15, 30, 120};
    s.severities["no_processing_access"] = model::Severity::Info;
    const std::string saved = in("edited.toml").string();
    io::saveScenario(s, saved);

    const model::Scenario back = io::loadScenario(saved);
    CHECK(back.thresholds == s.thresholds);
    CHECK(back.severities == s.severities);

    // The same edits given independently: a scenario file written by hand from the bundled
    // one, with the thresholds on the command line and the severity appended as TOML.
    std::string text = readText(geodata("scenario.toml"));
    const std::string header = "[severity]";
    const auto at = text.find(header);
    REQUIRE(at != std::string::npos);
    text.insert(at + header.size(), "\nno_processing_access = \"info\"");
    fs::create_directories(in("hand"));
    for (const auto &l : s.layers) {
        const fs::path dir = fs::path(l.source).parent_path();
        if (l.series == model::SeriesForm::Snapshots) // a glob: the folder of its dated snapshots
            fs::copy(geodata(dir.string()), in("hand") / dir,
                     fs::copy_options::recursive | fs::copy_options::skip_existing);
        else if (fs::exists(geodata(l.source)))
            fs::copy_file(geodata(l.source), in("hand") / l.source);
    }
    writeText(in("hand/scenario.toml"), text);
    REQUIRE(analyze({in("hand/scenario.toml").string(), "--standoff", "25.5", "--grade-cutoff", "1.25",
                     "--rings", "15,30,120", "--with-rings", "-o", out("hand.geojson").string()})
                .code == 0);
    REQUIRE(analyze({saved, "--with-rings", "-o", out("saved.geojson").string()}).code == 0);
    CHECK(withoutSources(readText(out("saved.geojson"))) == withoutSources(readText(out("hand.geojson"))));
}

TEST_CASE_METHOD(CliFixture, "saveScenario keeps non-file sources and special characters", "[cli]") {
    model::Scenario s;
    s.name = "quote \" backslash \\ tab\t Київ";
    s.baseDir = in("").string();
    model::LayerSpec pg;
    pg.id = "pg";
    pg.role = model::LayerRole::Ports;
    pg.source = "PG:dbname=gis|layername=ports";
    s.layers.push_back(pg);
    model::LayerSpec file;
    file.id = "deps";
    file.role = model::LayerRole::Deposits;
    file.source = "sub/deposits.gpkg|layername=d";
    s.layers.push_back(file);
    const std::string saved = out("s.toml").string();
    io::saveScenario(s, saved);
    const model::Scenario back = io::loadScenario(saved);
    CHECK(back.name == s.name);
    REQUIRE(back.layers.size() == 2);
    CHECK(back.layers[0].source == "PG:dbname=gis|layername=ports");
    CHECK(back.layers[1].source == "../in/sub/deposits.gpkg|layername=d");
    CHECK(outEntries() == std::vector<std::string>{"s.toml"}); // no temporary file left

    // A directory that does not exist: an OutputError naming the file.
    CHECK_THROWS_WITH(io::saveScenario(s, out("missing/s.toml").string()), Catch::Contains("missing/s.toml"));
}
