// loadScenario: the bundled scenario, a small valid fixture, and each malformed key named
// with its file.
#include "analysis/reference.hpp"
#include "io/annotation_fixtures.hpp" // TempDir
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/scenario_writer.hpp"
#include "orefront/model/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace orefront;
using Catch::Contains;
using model::LayerRole;
using model::Severity;
using testing::unitData;

TEST_CASE("loadScenario reads a small scenario: thresholds, severities, layers, jurisdictions", "[gdal]") {
    const std::string path = unitData("scenario_ok.toml");
    const model::Scenario s = io::loadScenario(path);
    CHECK(s.name == "unit scenario");
    CHECK(s.date == std::optional<std::string>("2025-08-01"));
    CHECK(std::filesystem::equivalent(s.baseDir, unitData("")));
    // given thresholds replace the defaults; the others keep theirs
    CHECK(s.thresholds.gradeCutoffPct == 1.5);
    CHECK(s.thresholds.standoffKm == 30);
    CHECK(s.thresholds.ringsKm == std::vector<double>{25, 50});
    CHECK(s.thresholds.capexMusd == 500);
    CHECK(s.thresholds.maxPortDistanceKm == model::Thresholds{}.maxPortDistanceKm);
    CHECK(s.thresholds.lineOfContactKm == 3.5);
    CHECK(s.severities.at("no_processing_access") == Severity::Off);
    CHECK(s.severities.at("unknown_grade") == Severity::Block);
    CHECK(s.severities.count("occupied") == 0);

    REQUIRE(s.layers.size() == 2);
    CHECK(s.layers[0].id == "deps");
    CHECK(s.layers[0].role == LayerRole::Deposits);
    CHECK(s.layers[0].gradeField == "grade");
    CHECK(s.layers[0].name == "deps"); // defaults to the id
    CHECK(s.layers[0].rangeFrom);
    CHECK(s.layers[1].role == LayerRole::Hostile);
    CHECK(s.layers[1].statusField == "name");
    CHECK(s.layers[1].hostileStatuses == std::vector<std::string>{"square", "line"});
    CHECK(s.layers[1].contestedStatuses == std::vector<std::string>{"east"});
    CHECK_FALSE(s.layers[1].rangeFrom);
    CHECK(s.layers[1].date == std::optional<std::string>("2025-08-01"));

    // the rows override the built-in table by code, key by key; the other countries stay
    REQUIRE(s.jurisdictions.size() == model::builtinJurisdictions().size());
    CHECK(s.jurisdiction("CHN"));
    const auto *ua = s.jurisdiction("UA");
    REQUIRE(ua);
    CHECK(ua->code == "UKR"); // upper-cased
    CHECK(ua->grid == "damaged");
    CHECK(ua->reservesMt == 0.5);
    CHECK_FALSE(ua->sanctioned);
    const auto *ru = s.jurisdiction("RUS");
    REQUIRE(ru);
    CHECK(ru->name == "Russian Federation"); // not given: the built-in row's
    CHECK(ru->sanctioned);
    CHECK(ru->propertyRightsRisk);
    CHECK(ru->processingAccess);

    // and its layers load, relative to the scenario file
    const model::Project p = io::loadProject(s);
    REQUIRE(p.layers.size() == 2);
    CHECK(p.firstOfRole(LayerRole::Deposits)->features.size() == 4);
    CHECK(p.firstOfRole(LayerRole::Hostile)->sourceCrs == "EPSG:32636");
    CHECK(p.specOf(LayerRole::Hostile)->id == "zone");
    const auto in = p.analysisInputs();
    CHECK(in.deposits == p.layers[0].get());
    CHECK(in.hostile.size() == 1);
    CHECK(in.ports == nullptr);
    CHECK(in.lineOfContactKm == 3.5);
}

TEST_CASE("thresholds.line_of_contact_km: default 2, saved and read back, never negative", "[gdal]") {
    CHECK(model::Thresholds{}.lineOfContactKm == 2.0);
    model::Scenario s = io::loadScenario(unitData("scenario_ok.toml"));
    s.thresholds.lineOfContactKm = 0.75;
    const std::string toml = io::scenarioToToml(s, s.baseDir);
    CHECK_THAT(toml, Contains("line_of_contact_km = 0.75"));
    testing::TempDir dir;
    const std::string saved = dir / "saved.toml";
    io::saveScenario(s, saved);
    CHECK(io::loadScenario(saved).thresholds == s.thresholds);
    {
        std::ofstream bad(dir / "bad.toml");
        bad << "name = \"bad\"\n[thresholds]\nline_of_contact_km = -1\n";
    }
    CHECK_THROWS_WITH(io::loadScenario(dir / "bad.toml"),
                      Contains("bad.toml") && Contains("thresholds.line_of_contact_km"));
}

TEST_CASE("loadScenario: bad content is an InputError naming the file and the key", "[gdal]") {
    struct Case {
        const char *file;
        std::vector<const char *> expect;
    };
    const std::vector<Case> cases = {
        {"bad_unknown_key.toml", {"layers[0].colour", "unknown key"}},
        {"bad_top_key.toml", {"colour", "unknown key"}},
        {"bad_wrong_type.toml", {"thresholds.standoff_km", "expected a number"}},
        {"bad_role.toml", {"layers[0].role", "unknown role 'mines'"}},
        {"bad_duplicate_id.toml", {"layers", "duplicate layer id 'a'"}},
        {"bad_severity.toml", {"severity.occupied", "\"block\""}},
        {"bad_severity_rule.toml", {"severity.no_such_rule", "unknown rule"}},
        {"bad_grid.toml", {"jurisdictions[0].grid"}},
        {"bad_rings.toml", {"thresholds.rings_km", "positive"}},
        {"bad_syntax.toml", {"line "}},
        {"bad_no_source.toml", {"layers[0].source", "missing"}},
        {"bad_statuses_type.toml", {"layers[0].hostile_statuses", "array of strings"}},
    };
    for (const auto &c : cases) {
        const std::string path = unitData(c.file);
        INFO(c.file);
        REQUIRE(std::filesystem::exists(path));
        CHECK_THROWS_AS(io::loadScenario(path), InputError);
        for (const char *e : c.expect)
            CHECK_THROWS_WITH(io::loadScenario(path), Contains("scenario '" + path + "'") && Contains(e));
    }
    CHECK_THROWS_WITH(io::loadScenario(unitData("missing.toml")),
                      Contains("missing.toml") && Contains("does not exist"));
}

TEST_CASE("The bundled scenario loads and is complete", "[gdal]") {
    const std::string path = std::string(OREFRONT_GEODATA_DIR) + "/scenario.toml";
    if (!std::filesystem::exists(path)) {
        WARN("no bundled scenario yet: skipping (" << path << ")");
        return;
    }
    const model::Scenario s = io::loadScenario(path);
    // the brief's defaults
    CHECK(s.thresholds.gradeCutoffPct == 2.0);
    CHECK(s.thresholds.standoffKm == 40.0);
    CHECK(s.thresholds.ringsKm == std::vector<double>{20, 40, 80});
    CHECK(s.date.has_value());
    int deposits = 0, hostile = 0;
    for (const auto &l : s.layers) {
        deposits += l.role == LayerRole::Deposits;
        hostile += l.role == LayerRole::Hostile || l.role == LayerRole::Front;
    }
    CHECK(deposits == 1);
    CHECK(hostile >= 2);
    for (const char *code : {"UKR", "RUS", "CHN", "USA"}) {
        INFO(code);
        CHECK(s.jurisdiction(code) != nullptr);
    }
    REQUIRE(s.jurisdiction("RUS"));
    CHECK(s.jurisdiction("RUS")->sanctioned);

    const model::Project p = io::loadProject(s);
    CHECK(p.layers.size() == s.layers.size());
    const auto *deps = p.firstOfRole(LayerRole::Deposits);
    REQUIRE(deps);
    CHECK(deps->features.size() >= 20);
    for (const auto &l : p.layers) {
        INFO(l->id);
        CHECK_FALSE(l->features.empty());
        CHECK(l->bounds.minLat >= -90);
        CHECK(l->bounds.maxLat <= 90);
    }
    // the built-in table applies to it and to defaultScenario(), which reads no file
    CHECK(s.jurisdictions.size() == model::builtinJurisdictions().size());
    CHECK(io::defaultScenario().jurisdictions.size() == model::builtinJurisdictions().size());
}
