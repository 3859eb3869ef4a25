#include "deposit_rows.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string_view>

namespace orefront::viewer {

namespace {

std::string lower(std::string s) {
    for (auto &c : s)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

bool matchesText(const rules::DepositVerdict &d, const std::string &needle) {
    if (needle.empty())
        return true;
    if (lower(d.name).find(needle) != std::string::npos || lower(d.country).find(needle) != std::string::npos)
        return true;
    return std::any_of(d.reasons.begin(), d.reasons.end(), [&](std::string_view r) {
        return lower(std::string(r)).find(needle) != std::string::npos;
    });
}

// Missing values sort last whatever the direction.
int compareOptional(std::optional<double> a, std::optional<double> b) {
    if (!a || !b)
        return a ? -2 : (b ? 2 : 0);
    return *a < *b ? -1 : (*a > *b ? 1 : 0);
}

} // namespace

bool DepositRows::update(const rules::Report &report, const analysis::Measurements *measurements,
                         const DepositFilter &filter, const DepositSort &sort,
                         std::uint64_t reportGeneration) {
    if (reportGeneration == m_generation && filter == m_filter && sort == m_sort)
        return false;
    m_generation = reportGeneration;
    m_filter = filter;
    m_sort = sort;
    ++m_rebuilds;

    const std::string needle = lower(filter.text);
    const std::string country = lower(filter.country);
    m_rows.clear();
    for (std::uint32_t i = 0; i < report.deposits.size(); ++i) {
        const auto &d = report.deposits[i];
        if (!filter.verdicts[int(d.verdict)])
            continue;
        if (!country.empty() && lower(d.country) != country)
            continue;
        if (!matchesText(d, needle))
            continue;
        m_rows.push_back(i);
    }

    auto frontKm = [&](std::uint32_t i) -> std::optional<double> {
        if (!measurements || i >= measurements->perDeposit.size())
            return std::nullopt;
        return measurements->perDeposit[i].frontDistanceKm;
    };
    auto cmp = [&](std::uint32_t a, std::uint32_t b) -> int {
        const auto &da = report.deposits[a];
        const auto &db = report.deposits[b];
        switch (sort.column) {
        case DepositColumn::Name:
            return da.name.compare(db.name);
        case DepositColumn::Country:
            return da.country.compare(db.country);
        case DepositColumn::Verdict:
            return int(da.verdict) - int(db.verdict);
        case DepositColumn::Grade:
            return compareOptional(da.gradePct, db.gradePct);
        case DepositColumn::Tonnage:
            return compareOptional(da.tonnageMt, db.tonnageMt);
        case DepositColumn::FrontKm:
            return compareOptional(frontKm(a), frontKm(b));
        case DepositColumn::Ring:
            return compareOptional(da.ringKm, db.ringKm);
        }
        return 0;
    };
    std::stable_sort(m_rows.begin(), m_rows.end(), [&](std::uint32_t a, std::uint32_t b) {
        const int c = cmp(a, b);
        if (c == 2 || c == -2) // a missing value: last in both directions
            return c < 0;
        if (c != 0)
            return sort.ascending ? c < 0 : c > 0;
        return report.deposits[a].name < report.deposits[b].name;
    });
    return true;
}

} // namespace orefront::viewer
