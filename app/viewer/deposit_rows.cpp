#include "deposit_rows.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string_view>

namespace orefront::viewer {

namespace {

bool sameLetter(char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

// Case-insensitive, without building lower-case copies (100k of them per keystroke).
bool containsNoCase(std::string_view haystack, std::string_view needle) {
    return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(), sameLetter) !=
           haystack.end();
}

bool equalsNoCase(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), sameLetter);
}

bool matchesText(const rules::DepositVerdict &d, std::string_view needle) {
    if (needle.empty())
        return true;
    if (containsNoCase(d.name, needle) || containsNoCase(d.country, needle))
        return true;
    return std::any_of(d.reasons.begin(), d.reasons.end(),
                       [&](std::string_view r) { return containsNoCase(r, needle); });
}

// A sort key: missing values last whatever the direction.
struct Key {
    bool missing;
    double value;
};

Key keyOf(std::optional<double> v) {
    return v ? Key{false, *v} : Key{true, 0.0};
}

// Whether the order of `column` depends on the report (a new report re-sorts it).
bool followsReport(DepositColumn column) {
    return column == DepositColumn::Verdict || column == DepositColumn::Ring;
}

} // namespace

std::vector<std::uint32_t> orderByName(const std::vector<rules::DepositFacts> &facts) {
    std::vector<std::uint32_t> order(facts.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return facts[a].name < facts[b].name; });
    return order;
}

void DepositRows::sortAll(const rules::Report &report, const analysis::Measurements *measurements,
                          const std::vector<std::uint32_t> &byName,
                          const std::vector<std::uint8_t> *verdicts) {
    const auto &deposits = report.deposits;
    // Every sort below is stable over the name order, so ties stay in name order.
    m_sorted = byName;
    const bool up = m_sort.ascending;
    switch (m_sort.column) {
    case DepositColumn::Name:
        if (!up)
            std::stable_sort(m_sorted.begin(), m_sorted.end(), [&](std::uint32_t a, std::uint32_t b) {
                return deposits[b].name < deposits[a].name;
            });
        return;
    case DepositColumn::Country:
        std::stable_sort(m_sorted.begin(), m_sorted.end(), [&](std::uint32_t a, std::uint32_t b) {
            return up ? deposits[a].country < deposits[b].country : deposits[b].country < deposits[a].country;
        });
        return;
    case DepositColumn::Verdict: {
        // Four verdicts: a counting sort, linear.
        std::vector<std::uint32_t> buckets[4];
        for (const std::uint32_t i : byName)
            buckets[(verdicts ? int((*verdicts)[i]) : int(deposits[i].verdict)) & 3].push_back(i);
        m_sorted.clear();
        for (int v = 0; v < 4; ++v) {
            const auto &b = buckets[up ? v : 3 - v];
            m_sorted.insert(m_sorted.end(), b.begin(), b.end());
        }
        return;
    }
    case DepositColumn::Grade:
    case DepositColumn::Tonnage:
    case DepositColumn::FrontKm:
    case DepositColumn::Ring:
        break;
    }
    auto value = [&](std::uint32_t i) -> std::optional<double> {
        switch (m_sort.column) {
        case DepositColumn::Grade:
            return deposits[i].gradePct;
        case DepositColumn::Tonnage:
            return deposits[i].tonnageMt;
        case DepositColumn::FrontKm:
            if (!measurements || i >= measurements->perDeposit.size())
                return std::nullopt;
            return measurements->perDeposit[i].frontDistanceKm;
        default:
            return deposits[i].ringKm;
        }
    };
    // Keys gathered once, then sorted beside their indices: no lookups while sorting.
    std::vector<std::pair<Key, std::uint32_t>> keyed;
    keyed.reserve(m_sorted.size());
    for (const std::uint32_t i : m_sorted)
        keyed.emplace_back(keyOf(value(i)), i);
    std::stable_sort(keyed.begin(), keyed.end(), [&](const auto &a, const auto &b) {
        if (a.first.missing != b.first.missing)
            return b.first.missing;
        return up ? a.first.value < b.first.value : b.first.value < a.first.value;
    });
    for (std::size_t k = 0; k < keyed.size(); ++k)
        m_sorted[k] = keyed[k].second;
}

bool DepositRows::update(const rules::Report &report, const analysis::Measurements *measurements,
                         const DepositFilter &filter, const DepositSort &sort, std::uint64_t reportGeneration,
                         std::shared_ptr<const std::vector<std::uint32_t>> byName,
                         const std::vector<std::uint8_t> *verdicts) {
    if (verdicts && verdicts->size() != report.deposits.size())
        verdicts = nullptr; // not this report's
    if (reportGeneration == m_generation && filter == m_filter && sort == m_sort)
        return false;
    if (byName && byName->size() != report.deposits.size())
        byName.reset(); // not this report's
    const bool newReport = reportGeneration != m_sortedGeneration;
    const bool resort =
        sort != m_sort || m_sorted.size() != report.deposits.size() || !m_byName ||
        (byName ? byName != m_byName || (newReport && followsReport(sort.column)) : newReport);
    m_generation = reportGeneration;
    m_filter = filter;
    m_sort = sort;
    ++m_rebuilds;

    if (resort) {
        if (!byName) {
            auto order = std::make_shared<std::vector<std::uint32_t>>(report.deposits.size());
            std::iota(order->begin(), order->end(), 0u);
            std::stable_sort(order->begin(), order->end(), [&](std::uint32_t a, std::uint32_t b) {
                return report.deposits[a].name < report.deposits[b].name;
            });
            byName = std::move(order);
        }
        sortAll(report, measurements, *byName, verdicts);
        m_byName = std::move(byName);
        m_sortedGeneration = reportGeneration;
    }

    m_rows.clear();
    // Only the verdicts filtered (the usual case): the deposits themselves are not read.
    const bool verdictsOnly = verdicts && filter.country.empty() && filter.text.empty() &&
                              filter.reason.empty() && !(filter.frontMaxKm > filter.frontMinKm);
    if (verdictsOnly) {
        m_rows.reserve(m_sorted.size());
        for (const std::uint32_t i : m_sorted)
            if (filter.verdicts[(*verdicts)[i] & 3])
                m_rows.push_back(i);
        return true;
    }
    for (const std::uint32_t i : m_sorted) {
        const auto &d = report.deposits[i];
        if (!filter.verdicts[int(d.verdict) & 3])
            continue;
        if (!filter.country.empty() && !equalsNoCase(d.country, filter.country))
            continue;
        if (!matchesText(d, filter.text))
            continue;
        if (!filter.reason.empty() && std::none_of(d.reasons.begin(), d.reasons.end(),
                                                   [&](std::string_view r) { return r == filter.reason; }))
            continue;
        if (filter.frontMaxKm > filter.frontMinKm) {
            const auto *m =
                measurements && i < measurements->perDeposit.size() ? &measurements->perDeposit[i] : nullptr;
            if (!m || !m->frontDistanceKm || *m->frontDistanceKm < filter.frontMinKm ||
                *m->frontDistanceKm >= filter.frontMaxKm)
                continue;
        }
        m_rows.push_back(i);
    }
    return true;
}

bool DepositRows::adopt(const DepositRows &built, const DepositFilter &filter, const DepositSort &sort,
                        std::uint64_t reportGeneration,
                        const std::shared_ptr<const std::vector<std::uint32_t>> &byName) {
    if (reportGeneration == m_generation || !(built.m_filter == filter) || !(built.m_sort == sort) ||
        !built.m_byName || built.m_byName != byName || built.m_generation == ~std::uint64_t{0})
        return false;
    m_rows = built.m_rows;
    m_sorted = built.m_sorted;
    m_byName = built.m_byName;
    m_filter = filter;
    m_sort = sort;
    m_generation = m_sortedGeneration = reportGeneration;
    ++m_rebuilds;
    return true;
}

DistanceHistogram frontDistanceHistogram(const rules::Report &report,
                                         const analysis::Measurements &measurements, double binKm, int bins) {
    std::vector<double> frontKm(report.deposits.size(), std::numeric_limits<double>::quiet_NaN());
    std::vector<std::uint8_t> verdicts(report.deposits.size());
    for (std::size_t i = 0; i < report.deposits.size(); ++i) {
        verdicts[i] = std::uint8_t(report.deposits[i].verdict);
        if (i < measurements.perDeposit.size() && measurements.perDeposit[i].frontDistanceKm)
            frontKm[i] = *measurements.perDeposit[i].frontDistanceKm;
    }
    return frontDistanceHistogram(frontKm, verdicts, binKm, bins);
}

DistanceHistogram frontDistanceHistogram(const std::vector<double> &frontKm,
                                         const std::vector<std::uint8_t> &verdicts, double binKm, int bins) {
    DistanceHistogram h;
    h.binKm = binKm;
    h.bins = bins;
    for (auto &c : h.counts)
        c.assign(std::size_t(bins), 0.0);
    for (std::size_t i = 0; i < verdicts.size(); ++i) {
        const double km = i < frontKm.size() ? frontKm[i] : std::numeric_limits<double>::quiet_NaN();
        if (std::isnan(km)) {
            ++h.unmeasured;
            continue;
        }
        const double bin = std::floor(std::max(0.0, km) / binKm);
        if (bin >= bins) {
            ++h.beyond;
            continue;
        }
        h.counts[verdicts[i] & 3][std::size_t(bin)] += 1;
    }
    return h;
}

std::vector<std::string_view> distinctReasons(const rules::Report &report) {
    // A handful of codes among 100k deposits, found on the frame a new report arrives. A code
    // is interned, so all its views share one address: compared by that, not by text (at 100k
    // deposits comparing the text cost 10-15 ms of that frame on this machine).
    // Most deposits share their list of codes with many others: each distinct list is read
    // once, and a deposit's list is first compared (as ids) with the last one met.
    std::vector<std::string_view> seen;
    std::vector<const rules::ReasonList *> lists; // distinct lists met
    const rules::ReasonList *last = nullptr;
    for (const auto &d : report.deposits) {
        if (last && d.reasons == *last)
            continue;
        const auto known = std::find_if(lists.begin(), lists.end(),
                                        [&](const rules::ReasonList *l) { return d.reasons == *l; });
        if (known != lists.end()) {
            last = *known;
            continue;
        }
        lists.push_back(&d.reasons);
        last = &d.reasons;
        for (const std::string_view r : d.reasons)
            if (std::none_of(seen.begin(), seen.end(),
                             [&](std::string_view s) { return s.data() == r.data(); }))
                seen.push_back(r);
    }
    std::sort(seen.begin(), seen.end());
    return seen;
}

} // namespace orefront::viewer
