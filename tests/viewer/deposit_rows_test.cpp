// The deposits table's cached row indices: filtered, sorted, rebuilt only on change.
#include "deposit_rows.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace orefront;
using namespace orefront::viewer;
using rules::Verdict;

namespace {
rules::Report sampleReport() {
    rules::Report r;
    auto add = [&](std::string name, std::string country, Verdict v, std::optional<double> grade) {
        rules::DepositVerdict d;
        d.name = std::move(name);
        d.country = std::move(country);
        d.verdict = v;
        d.gradePct = grade;
        r.deposits.push_back(d);
    };
    add("Novopoltavske", "UKR", Verdict::NotInvestable, std::nullopt);
    add("Mountain Pass", "USA", Verdict::Investable, 7.98);
    add("Azovske", "UKR", Verdict::NotInvestable, 1.3);
    add("Bayan Obo", "CHN", Verdict::Marginal, 6.0);
    add("Mazurivske", "UKR", Verdict::Marginal, 0.9);
    return r;
}
std::vector<std::string> names(const rules::Report &r, const DepositRows &rows) {
    std::vector<std::string> out;
    for (auto i : rows.rows())
        out.push_back(r.deposits[i].name);
    return out;
}
} // namespace

TEST_CASE("Deposit rows filter by verdict, country and text", "[viewer]") {
    const auto r = sampleReport();
    DepositRows rows;
    DepositFilter f;
    DepositSort s{DepositColumn::Name, true};
    rows.update(r, nullptr, f, s, 1);
    CHECK(names(r, rows) ==
          std::vector<std::string>{"Azovske", "Bayan Obo", "Mazurivske", "Mountain Pass", "Novopoltavske"});
    f.country = "ukr";
    rows.update(r, nullptr, f, s, 1);
    CHECK(names(r, rows) == std::vector<std::string>{"Azovske", "Mazurivske", "Novopoltavske"});
    f.verdicts[int(Verdict::NotInvestable)] = false;
    rows.update(r, nullptr, f, s, 1);
    CHECK(names(r, rows) == std::vector<std::string>{"Mazurivske"});
    f = {};
    f.text = "OBO";
    rows.update(r, nullptr, f, s, 1);
    CHECK(names(r, rows) == std::vector<std::string>{"Bayan Obo"});
}

TEST_CASE("Deposit rows sort both ways with missing values last", "[viewer]") {
    const auto r = sampleReport();
    DepositRows rows;
    rows.update(r, nullptr, {}, {DepositColumn::Grade, false}, 1);
    CHECK(names(r, rows) ==
          std::vector<std::string>{"Mountain Pass", "Bayan Obo", "Azovske", "Mazurivske", "Novopoltavske"});
    rows.update(r, nullptr, {}, {DepositColumn::Grade, true}, 1);
    CHECK(names(r, rows) ==
          std::vector<std::string>{"Mazurivske", "Azovske", "Bayan Obo", "Mountain Pass", "Novopoltavske"});
}

TEST_CASE("Deposit rows are rebuilt only when something changed", "[viewer]") {
    const auto r = sampleReport();
    DepositRows rows;
    DepositFilter f;
    const DepositSort s;
    CHECK(rows.update(r, nullptr, f, s, 7));
    CHECK_FALSE(rows.update(r, nullptr, f, s, 7));
    CHECK_FALSE(rows.update(r, nullptr, f, s, 7));
    f.text = "a";
    CHECK(rows.update(r, nullptr, f, s, 7));
    CHECK(rows.update(r, nullptr, f, s, 8)); // a new report
    CHECK(rows.rebuilds() == 3);
}

TEST_CASE("Rows from the shared name order match a full sort, report after report", "[viewer]") {
    // 3,000 deposits with repeated names and missing values, re-evaluated twice.
    std::mt19937 rng(11);
    std::vector<rules::DepositFacts> facts;
    rules::Report report;
    auto evaluate = [&](int round) {
        report.deposits.clear();
        for (std::size_t i = 0; i < facts.size(); ++i) {
            rules::DepositVerdict d;
            d.name = facts[i].name;
            d.country = facts[i].country;
            d.gradePct = facts[i].gradePct;
            d.verdict = Verdict((i * 7 + std::size_t(round) * 3) % 4);
            d.ringKm =
                (i + std::size_t(round)) % 5 ? std::optional<double>(20.0 * double(i % 3 + 1)) : std::nullopt;
            report.deposits.push_back(d);
        }
    };
    for (int i = 0; i < 3000; ++i)
        facts.push_back({"Deposit " + std::to_string(rng() % 800), i % 4 ? "UKR" : "pol",
                         i % 6 ? std::optional<double>(double(rng() % 50) / 10.0) : std::nullopt,
                         std::nullopt});
    const auto byName = std::make_shared<const std::vector<std::uint32_t>>(orderByName(facts));
    for (const auto column : {DepositColumn::Name, DepositColumn::Country, DepositColumn::Verdict,
                              DepositColumn::Grade, DepositColumn::Ring})
        for (const bool ascending : {true, false}) {
            DepositRows fast; // keeps its sorted order across reports where it can
            for (int round = 0; round < 3; ++round) {
                evaluate(round);
                DepositFilter filter;
                filter.verdicts[int(Verdict::Marginal)] = round != 1;
                filter.country = round == 2 ? "POL" : "";
                DepositRows slow; // sorts everything from scratch
                slow.update(report, nullptr, filter, {column, ascending}, std::uint64_t(round));
                fast.update(report, nullptr, filter, {column, ascending}, std::uint64_t(round), byName);
                INFO("round " << round << ", column " << int(column) << (ascending ? " up" : " down"));
                REQUIRE(fast.rows() == slow.rows());
                REQUIRE_FALSE(fast.rows().empty());
            }
        }
}
