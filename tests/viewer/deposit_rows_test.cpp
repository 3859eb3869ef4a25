// The deposits table's cached row indices: filtered, sorted, rebuilt only on change.
#include "deposit_rows.hpp"

#include <catch2/catch.hpp>

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
