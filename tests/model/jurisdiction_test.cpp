// Country values to jurisdictions (issue 7, "Jurisdictions"): ISO 3166-1 from iso-codes
// (names, official and common names, alpha-2, alpha-3, numeric), accents and case, the
// table's own names and aliases, the built-in table and how a scenario overrides it.
#include "analysis/reference.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/model/iso3166.hpp"
#include "orefront/model/scenario.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace orefront;
using Catch::Contains;
using model::iso3166::normalizeName;
using model::iso3166::resolve;

TEST_CASE("iso-codes is embedded whole", "[model]") {
    // iso-codes 4.15 (Debian 12) lists 249 ISO 3166-1 entries.
    CHECK(model::iso3166::countries().size() >= 249);
    CHECK(model::iso3166::nameOf("RUS") == "Russian Federation");
    CHECK(model::iso3166::nameOf("XXX").empty());
}

TEST_CASE("normalizeName folds case, Latin accents and punctuation", "[model]") {
    CHECK(normalizeName("Côte d'Ivoire") == "cote d ivoire");
    CHECK(normalizeName("  CÔTE  D’IVOIRE ") == "cote d ivoire"); // U+2019 apostrophe
    CHECK(normalizeName("Curaçao") == "curacao");
    CHECK(normalizeName("Åland Islands") == "aland islands");
    CHECK(normalizeName("Türkiye") == "turkiye");
    CHECK(normalizeName("Russia\u00a0") == "russia"); // no-break space
    CHECK(normalizeName("Україна") == "Україна");     // non-Latin kept
}

TEST_CASE("resolve: every way of writing a country", "[model]") {
    struct Case {
        const char *value, *alpha3;
    };
    const Case cases[] = {
        {"Russia", "RUS"},             // the USGS occurrences' spelling, not an ISO name
        {"Russian Federation", "RUS"}, // ISO name
        {"RU", "RUS"},
        {"ru", "RUS"},
        {"RUS", "RUS"},
        {"643", "RUS"},                            // numeric
        {"Viet Nam", "VNM"},                       // ISO name
        {"Vietnam", "VNM"},                        // ISO common name
        {"Socialist Republic of Viet Nam", "VNM"}, // official name
        {"Côte d'Ivoire", "CIV"},
        {"cote d ivoire", "CIV"},
        {"Ivory Coast", "CIV"},
        {"Bolivia", "BOL"}, // common name
        {"68", "BOL"},      // "068" read from a number field
        {"Burma", "MMR"},
        {"Turkey", "TUR"},
        {"Türkiye", "TUR"},
        {"Surinam", "SUR"},
        {"Congo (Zaire)", "COD"},
        {"United States", "USA"},
        {"United States of America", "USA"},
        {"Taiwan", "TWN"},
        {"Greenland", "GRL"},
    };
    for (const auto &c : cases) {
        INFO(c.value);
        CHECK(resolve(c.value) == std::optional<std::string>(c.alpha3));
    }
    for (const char *unknown : {"", "  ", "Atlantis", "XX", "XXX", "999", "Korea", "n/a"}) {
        INFO(unknown);
        CHECK_FALSE(resolve(unknown).has_value());
    }
}

TEST_CASE("The built-in table: sanctioned states block, every row cites its source", "[model]") {
    const auto &table = model::builtinJurisdictions();
    for (const auto &[code, j] : table) {
        INFO(code);
        CHECK(code == j.code);
        CHECK(model::iso3166::nameOf(code) != ""); // every code is an ISO 3166-1 alpha-3
        CHECK_FALSE(j.source.empty());
    }
    for (const char *code : {"RUS", "BLR", "PRK", "IRN"}) {
        INFO(code);
        REQUIRE(table.count(code));
        CHECK(table.at(code).sanctioned);
    }
    CHECK_FALSE(table.at("UKR").sanctioned);
    CHECK(table.at("UKR").grid == "damaged");
}

TEST_CASE("Scenario::jurisdiction: ISO values, the table's names and aliases", "[model]") {
    model::Scenario s; // the built-in table
    for (const char *v : {"Russia", "russia", "RUSSIA", "Russian Federation", "RU", "RUS", "643"}) {
        INFO(v);
        REQUIRE(s.jurisdiction(v));
        CHECK(s.jurisdiction(v)->code == "RUS");
        CHECK(s.jurisdiction(v)->sanctioned);
    }
    CHECK(s.countryCode("Vietnam") == "VNM");
    CHECK(s.jurisdiction("Vietnam") == s.jurisdiction("VNM"));
    CHECK(s.jurisdiction("Greenland (Denmark)") == s.jurisdiction("GRL")); // the table's own name
    // A scenario row's alias: a name ISO does not know.
    s.jurisdictions["UKR"].aliases = {"Україна"};
    CHECK(s.countryCode("Україна") == "UKR");
    // ISO knows France; the table does not: a code, but no jurisdiction.
    CHECK(s.countryCode("France") == "FRA");
    CHECK(s.jurisdiction("France") == nullptr);
    CHECK(s.countryCode("Atlantis").empty());
}

namespace {
std::string writeScenario(const std::string &name, const std::string &text) {
    const auto path = std::filesystem::temp_directory_path() / ("orefront_jur_" + name + ".toml");
    std::ofstream(path) << text;
    return path.string();
}
} // namespace

TEST_CASE("A scenario's [[jurisdictions]] override or extend the built-in table by code", "[gdal]") {
    // Issue 7: a scenario with one row used to lose every other country.
    const auto path = writeScenario("override", R"(
[[jurisdictions]]
code = "ukr"
grid = "ok"

[[jurisdictions]]
code = "ATL"
name = "Atlantis"
aliases = ["Poseidonia"]
sanctioned = true
)");
    const model::Scenario s = io::loadScenario(path);
    CHECK(s.jurisdictions.size() == model::builtinJurisdictions().size() + 1);
    REQUIRE(s.jurisdiction("RUS"));
    CHECK(s.jurisdiction("Russia")->sanctioned); // untouched built-in row
    const auto *ua = s.jurisdiction("Ukraine");
    REQUIRE(ua);
    CHECK(ua->grid == "ok");           // the key given overrides
    CHECK_FALSE(ua->processingAccess); // the keys left out keep the built-in values
    CHECK(ua->name == "Ukraine");
    CHECK_THAT(ua->source, Contains("overridden by the scenario"));
    REQUIRE(s.jurisdiction("Poseidonia"));
    CHECK(s.jurisdiction("Poseidonia")->code == "ATL");
    CHECK(s.jurisdiction("atlantis")->sanctioned);
    std::filesystem::remove(path);
}

TEST_CASE("[[cutoffs]]: per commodity, with its unit, REE is grade_cutoff_pct", "[gdal]") {
    const model::Scenario builtin;
    REQUIRE(builtin.cutoffs.size() >= 2);
    CHECK(builtin.cutoffs[0].commodity == "REE");
    CHECK(builtin.cutoffs[0].unit == "TREO %");
    CHECK(builtin.cutoffs[0].cutoff == builtin.thresholds.gradeCutoffPct);
    CHECK(builtin.cutoffs[1].commodity == "Li");
    CHECK(builtin.cutoffs[1].unit == "Li2O %");
    for (const auto &c : builtin.cutoffs)
        CHECK_FALSE(c.source.empty());

    const auto path = writeScenario("cutoffs", R"(
[[cutoffs]]
commodity = "REE"
cutoff = 3.0

[[cutoffs]]
commodity = "Cu"
grade_field = "grade_cu_pct"
unit = "Cu %"
cutoff = 0.4
)");
    const model::Scenario s = io::loadScenario(path);
    CHECK(s.thresholds.gradeCutoffPct == 3.0); // one value, two spellings
    REQUIRE(s.cutoffs.size() == builtin.cutoffs.size() + 1);
    CHECK(s.cutoffs[0].gradeField == "grade_treo_pct"); // kept
    CHECK(s.cutoffs.back().commodity == "Cu");
    CHECK(s.cutoffs.back().cutoff == 0.4);

    const auto bad = writeScenario("cutoffs_bad", R"(
[thresholds]
grade_cutoff_pct = 2.0
[[cutoffs]]
commodity = "REE"
cutoff = 3.0
)");
    CHECK_THROWS_WITH(io::loadScenario(bad), Contains("cutoffs[0].cutoff") && Contains("grade_cutoff_pct"));
    const auto incomplete = writeScenario("cutoffs_incomplete", R"(
[[cutoffs]]
commodity = "Au"
cutoff = 1
)");
    CHECK_THROWS_WITH(io::loadScenario(incomplete),
                      Contains("cutoffs[0].grade_field") && Contains("missing"));
    std::filesystem::remove(path);
    std::filesystem::remove(bad);
    std::filesystem::remove(incomplete);
}
