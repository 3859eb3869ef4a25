// rules::update (the viewer's live edits): a report brought up to date in place must be exactly
// what evaluate() gives for the edited scenario, edit after edit, and an edit it cannot apply
// cheaply must leave the report as it was.
#include "orefront/rules/rules.hpp"
#include "test_jurisdictions.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace orefront;
using model::Severity;

namespace {

// Deposits of every kind the rules tell apart: countries in and out of the table, unresolved
// values, located elsewhere than their field says, no grade, other commodities, no cut-off,
// every distance from inside the standoff to far beyond the outer ring, some unmeasured.
struct Workload {
    model::Scenario scenario;
    std::vector<rules::DepositFacts> facts;
    analysis::Measurements m;

    explicit Workload(std::size_t n) {
        test::addTestJurisdictions(scenario);
        REQUIRE(scenario.cutoffs.size() >= 2);
        std::mt19937 rng(42);
        std::uniform_real_distribution<double> u(0, 1);
        const char *countries[] = {"USA", "UKR", "RUS", "MNG", "CAN", "Atlantis", "", "United States"};
        const char *locations[] = {"", "", "", "UKR", "USA", "BRA"};
        facts.resize(n);
        m.perDeposit.resize(n - n / 50); // the last few unmeasured
        for (std::size_t i = 0; i < n; ++i) {
            auto &f = facts[i];
            f.name = "deposit " + std::to_string(i);
            f.country = countries[rng() % std::size(countries)];
            f.locationCode = locations[rng() % std::size(locations)];
            f.cutoff = u(rng) < 0.8 ? 0 : u(rng) < 0.5 ? 1 : -1;
            if (f.cutoff < 0)
                f.commodity = "unobtainium";
            if (u(rng) < 0.9)
                f.gradePct = u(rng) * 6;
            if (u(rng) < 0.9)
                f.tonnageMt = u(rng) * 200;
            if (i >= m.perDeposit.size())
                continue;
            auto &d = m.perDeposit[i];
            if (u(rng) < 0.95)
                d.frontDistanceKm = u(rng) * 150;
            d.occupied = u(rng) < 0.03;
            d.contested = u(rng) < 0.03;
            if (u(rng) < 0.9)
                d.portKm = u(rng) * 1000;
            if (u(rng) < 0.9)
                d.railKm = u(rng) * 400;
            if (u(rng) < 0.9)
                d.powerKm = u(rng) * 200;
        }
    }
};

// Everything evaluate() writes without details, deposit by deposit, and every count.
void requireSame(const rules::Report &updated, const rules::Report &fresh) {
    REQUIRE(updated.deposits.size() == fresh.deposits.size());
    for (std::size_t i = 0; i < fresh.deposits.size(); ++i) {
        const auto &a = updated.deposits[i];
        const auto &b = fresh.deposits[i];
        INFO("deposit " << i);
        REQUIRE(a.verdict == b.verdict);
        REQUIRE(a.reasons == b.reasons);
        REQUIRE(a.fired == b.fired);
        REQUIRE(a.ringKm == b.ringKm);
        REQUIRE(a.name == b.name);
        REQUIRE(a.jurisdiction == b.jurisdiction);
    }
    CHECK(updated.byVerdict == fresh.byVerdict);
    CHECK(updated.byCountry == fresh.byCountry);
    CHECK(updated.unresolvedCountries == fresh.unresolvedCountries);
    CHECK(updated.notInTable == fresh.notInTable);
    CHECK(updated.jurisdictionMismatches == fresh.jurisdictionMismatches);
    CHECK(updated.unknownGrade == fresh.unknownGrade);
    CHECK(updated.noCutoff == fresh.noCutoff);
}

} // namespace

TEST_CASE("rules::update: each live edit in place equals a fresh evaluation", "[rules]") {
    Workload w(5000);
    model::Scenario s = w.scenario;
    rules::Report report = rules::evaluate(s, w.facts, w.m, false);
    const auto investable = report.byVerdict;

    // One edit after another, each applied to the report the previous one left.
    struct Edit {
        const char *what;
        void (*apply)(model::Scenario &);
    };
    const Edit edits[] = {
        {"grade cut-off up", [](model::Scenario &x) { x.thresholds.gradeCutoffPct = 3.0; }},
        {"grade cut-off down", [](model::Scenario &x) { x.thresholds.gradeCutoffPct = 0.5; }},
        {"outer ring widened",
         [](model::Scenario &x) {
             x.thresholds.ringsKm = {20, 40, 120};
         }},
        {"rings reordered and one removed",
         [](model::Scenario &x) {
             x.thresholds.ringsKm = {60, 10};
         }},
        {"standoff", [](model::Scenario &x) { x.thresholds.standoffKm = 15; }},
        {"severity: grade rule off",
         [](model::Scenario &x) { x.severities["grade_below_cutoff"] = Severity::Off; }},
        {"grade cut-off while its rule is off",
         [](model::Scenario &x) { x.thresholds.gradeCutoffPct = 4.0; }},
        {"severity: grade rule marginal",
         [](model::Scenario &x) { x.severities["grade_below_cutoff"] = Severity::Marginal; }},
        {"severity: sanctions info",
         [](model::Scenario &x) { x.severities["sanctioned_jurisdiction"] = Severity::Info; }},
        {"economics",
         [](model::Scenario &x) { x.thresholds.capexMusd = 900, x.thresholds.recoveryPct = 40; }},
        {"port and rail",
         [](model::Scenario &x) {
             x.thresholds.maxPortDistanceKm = 300, x.thresholds.maxRailDistanceKm = 50;
         }},
        {"everything back", [](model::Scenario &x) { x.thresholds = {}, x.severities.clear(); }},
    };
    for (const Edit &e : edits) {
        INFO(e.what);
        const model::Thresholds was = s.thresholds;
        e.apply(s);
        REQUIRE(rules::update(report, was, s, w.facts, w.m));
        requireSame(report, rules::evaluate(s, w.facts, w.m, false));
    }
    CHECK(report.byVerdict == investable);
}

TEST_CASE("rules::update: the edits it cannot apply cheaply leave the report as it was", "[rules]") {
    Workload w(500);
    model::Scenario s = w.scenario;
    rules::Report report = rules::evaluate(s, w.facts, w.m, false);
    const rules::Report before = report;

    SECTION("power distance: read with the jurisdiction's grid") {
        model::Scenario edited = s;
        edited.thresholds.maxPowerDistanceKm = 10;
        CHECK_FALSE(rules::update(report, s.thresholds, edited, w.facts, w.m));
    }
    SECTION("line of contact: a measurement input") {
        model::Scenario edited = s;
        edited.thresholds.lineOfContactKm = 10;
        CHECK_FALSE(rules::update(report, s.thresholds, edited, w.facts, w.m));
    }
    SECTION("another number of deposits") {
        std::vector<rules::DepositFacts> fewer(w.facts.begin(), w.facts.end() - 1);
        CHECK_FALSE(rules::update(report, s.thresholds, s, fewer, w.m));
    }
    SECTION("a report with details") {
        rules::Report detailed = rules::evaluate(s, w.facts, w.m, true);
        model::Scenario edited = s;
        edited.thresholds.gradeCutoffPct = 3;
        CHECK_FALSE(rules::update(detailed, s.thresholds, edited, w.facts, w.m));
    }
    requireSame(report, before);
}
