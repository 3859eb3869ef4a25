// The rule catalogue as one table, commodity cut-offs, jurisdiction from location against the
// country field, and the missing-grade-field warning (issue 7).
#include "analysis/reference.hpp"
#include "orefront/model/error.hpp"
#include "orefront/rules/rules.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

using namespace orefront;
using Catch::Contains;
using model::Severity;
using rules::Verdict;

namespace {

std::vector<std::string> codes(const rules::DepositVerdict &d) {
    return {d.reasons.begin(), d.reasons.end()};
}

// A clean United States REE deposit, far from everything hostile and close to everything useful.
struct Clean {
    model::Scenario scenario;
    rules::DepositFacts facts;
    analysis::Measurement meas;
    Clean() {
        facts.name = "clean";
        facts.country = "USA";
        facts.gradePct = 5.0;
        facts.tonnageMt = 100.0;
        meas.frontDistanceKm = 1000.0;
        meas.portKm = 100.0;
        meas.railKm = 50.0;
        meas.powerKm = 20.0;
    }
    rules::Report report(bool details = true) const {
        analysis::Measurements m;
        m.perDeposit = {meas};
        return rules::evaluate(scenario, {facts}, m, details);
    }
    rules::DepositVerdict run(bool details = true) const { return report(details).deposits[0]; }
    static const rules::Outcome &outcome(const rules::DepositVerdict &d, const std::string &rule) {
        const auto it =
            std::find_if(d.outcomes.begin(), d.outcomes.end(), [&](auto &o) { return o.rule == rule; });
        REQUIRE(it != d.outcomes.end());
        return *it;
    }
};

} // namespace

TEST_CASE("The rule table: every id once, the old ids and codes kept, catalogue derived", "[rules]") {
    const auto &table = rules::ruleTable();
    const auto &cat = rules::ruleCatalogue();
    REQUIRE(table.size() == cat.size());
    std::set<std::string> ids;
    for (std::size_t i = 0; i < table.size(); ++i) {
        INFO(table[i].id);
        CHECK(ids.insert(table[i].id).second);
        CHECK(cat[i].first == table[i].id);
        CHECK(cat[i].second == table[i].severity);
        CHECK(std::string(table[i].explanation).size() > 10);
    }
    auto find = [&](const std::string &id) {
        return std::find_if(table.begin(), table.end(), [&](auto &r) { return r.id == id; });
    };
    // Every rule of the first release, with its reason code, is still there.
    const std::pair<const char *, const char *> kept[] = {
        {"occupied", "occupied"},
        {"contested", "contested_zone"},
        {"within_standoff", "within_range_<km>km"},
        {"ring_exposure", "within_range_<km>km"},
        {"grade_below_cutoff", "grade_below_cutoff"},
        {"unknown_grade", "unknown_grade"},
        {"sanctioned_jurisdiction", "sanctioned_jurisdiction"},
        {"property_rights_risk", "property_rights_risk"},
        {"no_grid_power", "no_grid_power"},
        {"remote_from_trade_routes", "remote_from_trade_routes"},
        {"remote_from_rail", "remote_from_rail"},
        {"reserve_too_small_for_capex", "reserve_too_small_for_capex"},
        {"no_processing_access", "no_processing_access"},
        {"unknown_jurisdiction", "unknown_jurisdiction"},
    };
    for (auto [id, code] : kept) {
        INFO(id);
        REQUIRE(find(id) != table.end());
        CHECK(std::string(find(id)->code) == code);
    }
    // Issue 7: unknown is not safe.
    CHECK(find("unknown_jurisdiction")->severity == Severity::Marginal);
    REQUIRE(find("jurisdiction_mismatch") != table.end());
    CHECK(find("jurisdiction_mismatch")->severity == Severity::Info);
    REQUIRE(find("no_cutoff_for_commodity") != table.end());
    CHECK(find("no_cutoff_for_commodity")->severity == Severity::Marginal);
}

TEST_CASE_METHOD(Clean, "Every rule is reported in table order, details or not", "[rules]") {
    const auto d = run();
    CHECK(d.verdict == Verdict::Investable);
    REQUIRE(d.outcomes.size() == rules::ruleTable().size());
    for (std::size_t i = 0; i < d.outcomes.size(); ++i)
        CHECK(d.outcomes[i].rule == rules::ruleTable()[i].id);
    scenario.severities["remote_from_rail"] = Severity::Off;
    CHECK(run().outcomes.size() == rules::ruleTable().size() - 1);
}

TEST_CASE_METHOD(Clean, "A deposit written 'Russia' is blocked (issue 7)", "[rules]") {
    for (const char *v : {"Russia", "Russian Federation", "RU", "RUS", "russia"}) {
        INFO(v);
        facts.country = v;
        const auto d = run();
        CHECK(d.verdict == Verdict::NotInvestable);
        CHECK(d.reasons.contains("sanctioned_jurisdiction"));
        CHECK(d.reasons.contains("property_rights_risk"));
        CHECK_FALSE(d.reasons.contains("unknown_jurisdiction"));
        CHECK(d.jurisdiction == "RUS");
    }
}

TEST_CASE_METHOD(Clean, "Unresolvable and unlisted countries: marginal, counted", "[rules]") {
    facts.country = "Atlantis";
    auto r = report();
    CHECK(r.deposits[0].verdict == Verdict::Marginal);
    CHECK(codes(r.deposits[0]) == std::vector<std::string>{"unknown_jurisdiction"});
    CHECK_THAT(outcome(r.deposits[0], "unknown_jurisdiction").detail, Contains("'Atlantis'"));
    CHECK(r.unresolvedCountries == std::map<std::string, int>{{"Atlantis", 1}});
    facts.country = "France"; // ISO knows it, the table does not
    r = report();
    CHECK(r.deposits[0].verdict == Verdict::Marginal);
    CHECK(r.unresolvedCountries.empty());
    CHECK(r.notInTable == std::map<std::string, int>{{"FRA", 1}});
    CHECK_THAT(outcome(r.deposits[0], "unknown_jurisdiction").detail, Contains("FRA"));
    facts.country = ""; // neither a country nor a location: unresolved, never safe
    CHECK(run().verdict == Verdict::Marginal);
}

TEST_CASE_METHOD(Clean, "The location decides, a disagreeing field is a reason and a count", "[rules]") {
    facts.country = "USA";
    facts.locationCode = "RUS";
    auto r = report();
    auto d = r.deposits[0];
    CHECK(d.verdict == Verdict::NotInvestable);
    CHECK(codes(d) == std::vector<std::string>{"sanctioned_jurisdiction", "property_rights_risk",
                                               "jurisdiction_mismatch"});
    CHECK(d.jurisdiction == "RUS");
    CHECK(d.countryFromLocation == "RUS");
    CHECK(r.jurisdictionMismatches == 1);
    CHECK_THAT(outcome(d, "jurisdiction_mismatch").detail, Contains("location RUS") && Contains("'USA'"));
    CHECK(r.byCountry.count("RUS"));

    facts.country = "United States of America"; // the same country written otherwise: no mismatch
    facts.locationCode = "USA";
    r = report();
    CHECK(r.deposits[0].verdict == Verdict::Investable);
    CHECK(r.jurisdictionMismatches == 0);

    facts.country = ""; // no field: the location alone
    facts.locationCode = "CHN";
    CHECK(run().jurisdiction == "CHN");
    CHECK(run().reasons.contains("property_rights_risk"));
    CHECK_FALSE(run().reasons.contains("jurisdiction_mismatch"));

    facts.country = "Russia"; // not located (offshore): the field decides
    facts.locationCode = "";
    CHECK(run().jurisdiction == "RUS");
}

TEST_CASE_METHOD(Clean, "Commodity cut-offs: lithium by Li2O, never by the TREO cut-off", "[rules]") {
    REQUIRE(scenario.cutoffs[1].commodity == "Li");
    facts.cutoff = 1; // a lithium deposit at 1.2 % Li2O: above 1.0 % Li2O, though below 2 % TREO
    facts.gradePct = 1.2;
    auto d = run();
    CHECK(d.verdict == Verdict::Investable);
    CHECK_THAT(outcome(d, "grade_below_cutoff").detail,
               Contains("1.2 Li2O %") && Contains("cut-off 1 Li2O %"));
    CHECK_FALSE(outcome(d, "reserve_too_small_for_capex").evaluated); // TREO economics are for REE
    facts.gradePct = 0.8;
    CHECK(codes(run()) == std::vector<std::string>{"grade_below_cutoff"});
    scenario.thresholds.gradeCutoffPct = 0.5; // the REE slider does not move lithium
    CHECK(run().reasons.contains("grade_below_cutoff"));

    facts.cutoff = -1; // a commodity with no cut-off: its own reason, no grade rule
    facts.commodity = "Cu";
    facts.gradePct = 0.1;
    const auto r = report();
    d = r.deposits[0];
    CHECK(codes(d) == std::vector<std::string>{"no_cutoff_for_commodity"});
    CHECK(d.verdict == Verdict::Marginal);
    CHECK_FALSE(outcome(d, "grade_below_cutoff").evaluated);
    CHECK_FALSE(outcome(d, "unknown_grade").evaluated);
    CHECK_THAT(outcome(d, "no_cutoff_for_commodity").detail, Contains("'Cu'"));
    CHECK(r.noCutoff == std::map<std::string, int>{{"Cu", 1}});
}

TEST_CASE("readFacts: each commodity's grade from its cut-off's field", "[rules]") {
    const auto layer = testing::makeLayer(
        "deposits", model::LayerRole::Deposits,
        {{"name", model::FieldType::String},
         {"commodity", model::FieldType::String},
         {"grade_treo_pct", model::FieldType::Real},
         {"grade_li2o_pct", model::FieldType::Real}},
        {
            {"POINT (36 47)", {std::string("ree"), std::string("P-REE-Nb"), 1.5, model::Value{}}},
            {"POINT (36 47)", {std::string("li"), std::string("Li-Ta"), model::Value{}, 1.3}},
            {"POINT (36 47)", {std::string("both"), std::string("REE-Be-Li"), 0.06, 0.2}},
            {"POINT (36 47)", {std::string("cu"), std::string("Cu"), 3.0, model::Value{}}},
            {"POINT (36 47)", {std::string("none"), model::Value{}, 2.5, model::Value{}}},
            {"POINT (36 47)", {std::string("lithium"), std::string("lithium"), model::Value{}, 0.9}},
        });
    std::vector<std::string> warnings;
    const auto facts = rules::readFacts(layer, {}, model::builtinCutoffs(), nullptr, &warnings);
    CHECK(warnings.empty());
    CHECK((facts[0].cutoff == 0 && facts[0].gradePct == 1.5));
    CHECK((facts[1].cutoff == 1 && facts[1].gradePct == 1.3));
    CHECK((facts[2].cutoff == 0 && facts[2].gradePct == 0.06)); // REE first: the scenario's order
    CHECK((facts[3].cutoff == -1 && !facts[3].gradePct));       // no cut-off: not TREO either
    CHECK((facts[4].cutoff == 0 && facts[4].gradePct == 2.5));  // no commodity: the REE default
    CHECK((facts[5].cutoff == 1 && facts[5].gradePct == 0.9));  // by alias
}

TEST_CASE("readFacts: a missing grade field is a warning naming the layer and its numeric fields",
          "[rules]") {
    const auto layer = testing::makeLayer("usgs", model::LayerRole::Deposits,
                                          {{"name", model::FieldType::String},
                                           {"usgs_rec_id", model::FieldType::Integer},
                                           {"treo", model::FieldType::Real}},
                                          {{"POINT (1 2)", {std::string("a"), std::int64_t(1), 3.0}},
                                           {"POINT (1 2)", {std::string("b"), std::int64_t(2), 1.0}}});
    std::vector<std::string> warnings;
    const auto facts = rules::readFacts(layer, {}, model::builtinCutoffs(), nullptr, &warnings);
    REQUIRE(warnings.size() == 1); // lithium's field is not needed: no lithium deposit
    CHECK_THAT(warnings[0], Contains("layer 'usgs'") && Contains("'grade_treo_pct'") &&
                                Contains("2 REE deposit") &&
                                Contains("numeric fields are: usgs_rec_id, treo"));
    CHECK_FALSE(facts[0].gradePct.has_value());
    model::Scenario s;
    analysis::Measurements m;
    const auto r = rules::evaluate(s, facts, m);
    CHECK(r.unknownGrade == 2);
}

TEST_CASE("readFacts: the country from location, through a CountryIndex", "[rules]") {
    const auto world =
        testing::makeLayer("world", model::LayerRole::Boundaries, {{"iso_a3", model::FieldType::String}},
                           {{"POLYGON ((30 44, 40 44, 40 52, 30 52, 30 44))", {std::string("UKR")}},
                            {"POLYGON ((40 44, 50 44, 50 52, 40 52, 40 44))", {std::string("RUS")}}});
    const analysis::CountryIndex idx(world, "");
    const auto deposits = testing::makeLayer(
        "deposits", model::LayerRole::Deposits, {{"country", model::FieldType::String}},
        {{"POINT (34.1 44.95)", {std::string("RUS")}},                        // Crimea written as Russia
         {"POINT (45 48)", {std::string("Russia")}},                          // agrees
         {"POLYGON ((41 45, 43 45, 43 47, 41 47, 41 45))", {model::Value{}}}, // polygon, no field
         {"POINT (0 0)", {std::string("Ukraine")}}});                         // nowhere: the field
    const auto facts = rules::readFacts(deposits, {}, model::builtinCutoffs(), &idx);
    CHECK(facts[0].locationCode == "UKR");
    CHECK(facts[1].locationCode == "RUS");
    CHECK(facts[2].locationCode == "RUS");
    CHECK(facts[3].locationCode == "");
    const model::Scenario s;
    analysis::Measurements m;
    const auto r = rules::evaluate(s, facts, m);
    CHECK(r.deposits[0].jurisdiction == "UKR");
    CHECK(r.deposits[0].reasons.contains("jurisdiction_mismatch"));
    CHECK_FALSE(r.deposits[0].reasons.contains("sanctioned_jurisdiction"));
    CHECK(r.deposits[1].verdict == Verdict::NotInvestable);
    CHECK(r.deposits[2].verdict == Verdict::NotInvestable);
    CHECK(r.deposits[3].jurisdiction == "UKR");
    CHECK(r.jurisdictionMismatches == 1);
}
