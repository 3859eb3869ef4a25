// Issue 11, streaming analyze: the rules over batches of deposits (rules/batches.hpp) give, batch
// by batch, the facts and verdicts that readFacts() and evaluate() give for all the deposits at
// once, and their counts and warnings summed over the batches are the whole run's.
#include "analysis/reference.hpp"
#include "orefront/rules/batches.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace orefront;

namespace {

// `n` deposits over two countries and the sea, with every kind of value the counts and warnings
// are about: codes, names, "NA" and unknown country values, commodities with and without a
// cut-off, missing grades.
model::Layer mixedDeposits(std::size_t n) {
    const char *countries[] = {"UA", "Ukraine", "RU", "NA", "Atlantis", "", "UKR", "Moldova"};
    const char *commodities[] = {"", "REE", "lithium", "unobtainium", "REE"};
    std::vector<testing::Row> rows;
    for (std::size_t i = 0; i < n; ++i) {
        // append: GCC 12's -Wrestrict misfires on "literal" + std::string
        std::string wkt = "POINT (", name = "d";
        wkt.append(std::to_string(25.0 + static_cast<double>(i % 29) * 0.9))
            .append(" ")
            .append(std::to_string(44.5 + static_cast<double>(i % 17) * 0.4))
            .append(")");
        name.append(std::to_string(i));
        const model::Value grade =
            i % 6 == 2 ? model::Value{} : model::Value(0.2 + static_cast<double>(i % 23) * 0.15);
        rows.push_back({wkt, {name, std::string(countries[i % 8]), std::string(commodities[i % 5]), grade}});
    }
    return testing::makeLayer("deposits", model::LayerRole::Deposits,
                              {{"name", model::FieldType::String},
                               {"country", model::FieldType::String},
                               {"commodity", model::FieldType::String},
                               {"grade_treo_pct", model::FieldType::Real}},
                              rows);
}

} // namespace

TEST_CASE("rules in batches: the same facts, verdicts, counts and warnings as all at once (issue 11)",
          "[rules]") {
    const auto world =
        testing::makeLayer("world", model::LayerRole::Boundaries, {{"iso_a3", model::FieldType::String}},
                           {{"POLYGON ((22 44, 40 44, 40 52, 22 52, 22 44))", {std::string("UKR")}},
                            {"POLYGON ((40 44, 50 44, 50 52, 40 52, 40 44))", {std::string("RUS")}}});
    const analysis::CountryIndex where(world, "");
    const std::size_t n = 500;
    const model::Layer deposits = mixedDeposits(n);
    model::Scenario scenario;
    scenario.thresholds.standoffKm = 30;
    analysis::Measurements m;
    m.perDeposit.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        auto &x = m.perDeposit[i];
        if (i % 11 != 4)
            x.frontDistanceKm = static_cast<double>(i % 97) * 1.7;
        x.occupied = i % 13 == 0;
        if (i % 3 != 0)
            x.portKm = static_cast<double>(i % 300) * 3.0;
    }
    std::vector<std::string> wholeWarnings;
    const auto wholeFacts = rules::readFacts(deposits, {}, scenario.cutoffs, &where, &wholeWarnings);
    const rules::Report whole = rules::evaluate(scenario, wholeFacts, m, false);
    REQUIRE(wholeWarnings.size() == 2); // no lithium grade field; "NA" read as Namibia
    REQUIRE(whole.byVerdict.size() >= 2);
    REQUIRE(!whole.unresolvedCountries.empty());
    REQUIRE(!whole.noCutoff.empty());
    REQUIRE(whole.unknownGrade > 0);

    const std::size_t batch = GENERATE(std::size_t(1), std::size_t(7), std::size_t(64), std::size_t(499),
                                       std::size_t(500), std::size_t(10000));
    INFO("batch " << batch);
    rules::FactsTally tally;
    rules::Report total;
    std::size_t differing = 0;
    for (std::size_t first = 0; first < n; first += batch) {
        const auto facts =
            rules::readFacts(deposits, {}, scenario.cutoffs, &where, first, first + batch, tally);
        REQUIRE(facts.size() == std::min(batch, n - first));
        const rules::Report r = rules::evaluateBatch(scenario, facts, m, first);
        REQUIRE(r.deposits.size() == facts.size());
        for (std::size_t k = 0; k < facts.size(); ++k) {
            const rules::DepositFacts &f = facts[k], &g = wholeFacts[first + k];
            const rules::DepositVerdict &v = r.deposits[k], &w = whole.deposits[first + k];
            const bool same = f.name == g.name && f.country == g.country && f.commodity == g.commodity &&
                              f.cutoff == g.cutoff && f.gradePct == g.gradePct &&
                              f.locationCode == g.locationCode && v.verdict == w.verdict &&
                              v.reasons == w.reasons && v.ringKm == w.ringKm &&
                              v.jurisdiction == w.jurisdiction && v.fired == w.fired;
            differing += !same;
        }
        rules::mergeCounts(total, r);
    }
    CHECK(differing == 0);
    CHECK(total.byVerdict == whole.byVerdict);
    CHECK(total.byCountry == whole.byCountry);
    CHECK(total.unresolvedCountries == whole.unresolvedCountries);
    CHECK(total.notInTable == whole.notInTable);
    CHECK(total.jurisdictionMismatches == whole.jurisdictionMismatches);
    CHECK(total.unknownGrade == whole.unknownGrade);
    CHECK(total.noCutoff == whole.noCutoff);
    CHECK(total.deposits.empty());
    std::vector<std::string> warnings;
    rules::factsWarnings(deposits, scenario.cutoffs, tally, warnings);
    CHECK(warnings == wholeWarnings);
}

TEST_CASE("rules in batches: the facts warnings' tally of all the deposits up front is the batches' sum "
          "(issue 11)",
          "[rules]") {
    const model::Layer deposits = mixedDeposits(500);
    model::Scenario scenario;
    rules::FactsTally summed;
    for (std::size_t first = 0; first < 500; first += 7)
        rules::readFacts(deposits, {}, scenario.cutoffs, nullptr, first, first + 7, summed);
    const rules::FactsTally upFront = rules::tallyFacts(deposits, {}, scenario.cutoffs);
    CHECK(upFront.usersOf == summed.usersOf);
    CHECK(upFront.gradeFieldMissing == summed.gradeFieldMissing);
    CHECK(upFront.countryNA == summed.countryNA);
    std::vector<std::string> a, b;
    rules::factsWarnings(deposits, scenario.cutoffs, upFront, a);
    rules::factsWarnings(deposits, scenario.cutoffs, summed, b);
    REQUIRE(a.size() == 2);
    CHECK(a == b);
    // An explicit field the layer lacks: readFacts()'s error.
    model::LayerSpec spec;
    spec.countryField = "nation";
    CHECK_THROWS_WITH(rules::tallyFacts(deposits, spec, scenario.cutoffs),
                      Catch::Contains("no field 'nation' (its country_field)"));
}

TEST_CASE("rules in batches: a key met first as an unresolved value, later as a location code, is counted "
          "as one pass counts it, whatever the batch size (issue 11)",
          "[rules]") {
    // "-99" (Natural Earth's code for places without one) is a country value no table resolves in
    // some deposits, and the location code of later ones: one pass met it first as a value, so
    // the deposits located there after it get no jurisdiction code and are not counted "not in
    // the jurisdictions table". Batches that each start afresh would meet it as a code in the
    // batches holding only located deposits.
    model::Scenario scenario;
    scenario.jurisdictions.clear(); // every location code is one "not in the jurisdictions table"
    const std::size_t n = 60;
    std::vector<rules::DepositFacts> facts(n);
    analysis::Measurements m;
    m.perDeposit.resize(n);
    const char *located[] = {"UKR", "-99", "RUS", "-99", "ATA"};
    for (std::size_t i = 0; i < n; ++i) {
        facts[i].name = "d" + std::to_string(i);
        facts[i].gradePct = 5, facts[i].tonnageMt = 100;
        if (i % 9 == 2)
            facts[i].country = "-99"; // first at deposit 2
        else
            facts[i].locationCode = located[i % 5]; // "-99" first at deposit 1: as a code
        if (i % 4 == 0)
            m.perDeposit[i].frontDistanceKm = static_cast<double>(i) * 3.0;
    }
    // Deposit 1 meets "-99" as a location code first: swap the kinds' order in a second run.
    const bool valueFirst = GENERATE(false, true);
    const std::size_t batch = GENERATE(std::size_t(1), std::size_t(7), std::size_t(60));
    INFO((valueFirst ? "value first" : "code first") << ", batch " << batch);
    {
        std::vector<rules::DepositFacts> f = facts;
        if (valueFirst)
            std::swap(f[1], f[2]);
        const rules::Report whole = rules::evaluate(scenario, f, m, false);
        if (valueFirst) {
            CHECK(whole.notInTable.count("-99") == 0);
            CHECK(whole.notInTable.at("ATA") > 0);
        } else {
            CHECK(whole.notInTable.at("-99") > 0);
        }
        REQUIRE(whole.unresolvedCountries.at("-99") == 7);
        rules::JurisdictionKeys keys;
        rules::Report total, fresh;
        std::size_t differing = 0;
        for (std::size_t first = 0; first < n; first += batch) {
            const std::vector<rules::DepositFacts> part(
                f.begin() + static_cast<std::ptrdiff_t>(first),
                f.begin() + static_cast<std::ptrdiff_t>(std::min(n, first + batch)));
            const rules::Report r = rules::evaluateBatch(scenario, part, m, first, keys);
            for (std::size_t k = 0; k < part.size(); ++k)
                differing += r.deposits[k].jurisdiction != whole.deposits[first + k].jurisdiction ||
                             r.deposits[k].verdict != whole.deposits[first + k].verdict;
            rules::mergeCounts(total, r);
            rules::mergeCounts(fresh, rules::evaluateBatch(scenario, part, m, first));
        }
        CHECK(differing == 0);
        CHECK(total.notInTable == whole.notInTable);
        CHECK(total.unresolvedCountries == whole.unresolvedCountries);
        CHECK(total.byCountry == whole.byCountry);
        CHECK(total.byVerdict == whole.byVerdict);
        // What the keys are for: batches that start afresh count "-99" as a code where one pass
        // met it as a value first.
        if (valueFirst && batch < n)
            CHECK(fresh.notInTable != whole.notInTable);
        // The keys after the last batch judge any batch again as one pass does.
        rules::JurisdictionKeys after = keys;
        const std::vector<rules::DepositFacts> tail(f.begin() + 40, f.end());
        const rules::Report again = rules::evaluateBatch(scenario, tail, m, 40, after);
        for (std::size_t k = 0; k < tail.size(); ++k)
            CHECK(again.deposits[k].jurisdiction == whole.deposits[40 + k].jurisdiction);
    }
}
