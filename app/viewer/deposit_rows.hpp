#pragma once
// The deposits table's row list: indices into the report, filtered and sorted, cached and
// rebuilt only when the filter, the sort or the report changes (Tracy's m_msgList). GL-free.
// A new report (a slider moved) must not cost a frame with 100k deposits: rows are filtered
// from a cached sorted order, which is rebuilt only for the columns a report changes
// (verdict, ring), by counting or by sorting numbers, never by comparing names.
#include "orefront/analysis/analysis.hpp"
#include "orefront/rules/rules.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace orefront::viewer {

enum class DepositColumn { Name, Country, Verdict, Grade, Tonnage, FrontKm, Ring };

struct DepositFilter {
    bool verdicts[4] = {true, true, true, true}; // indexed by rules::Verdict
    std::string country;                         // exact code, case-insensitive; empty = all
    std::string text;                            // substring of name, country or a reason code
    std::string reason;                          // exact reason code that must have fired; empty = any
    // Distance to the front in [frontMinKm, frontMaxKm) (a bar of the distance chart);
    // frontMaxKm <= frontMinKm = no bound.
    double frontMinKm = 0, frontMaxKm = 0;
    bool operator==(const DepositFilter &) const = default;
};

struct DepositSort {
    DepositColumn column = DepositColumn::Verdict;
    bool ascending = true;
    bool operator==(const DepositSort &) const = default;
};

// Deposits by distance to the front, per verdict: `bins` bins of `binKm` from 0. Deposits
// further than bins * binKm are counted in `beyond`, those with no distance in `unmeasured`.
struct DistanceHistogram {
    double binKm = 10;
    int bins = 0;
    std::vector<double> counts[4]; // indexed by rules::Verdict, then bin
    int beyond = 0, unmeasured = 0;
};
DistanceHistogram frontDistanceHistogram(const rules::Report &report,
                                         const analysis::Measurements &measurements, double binKm, int bins);
// The same from columns parallel to the report's deposits: each one's distance to the front
// in km (NaN: none) and its verdict (rules::Verdict).
DistanceHistogram frontDistanceHistogram(const std::vector<double> &frontKm,
                                         const std::vector<std::uint8_t> &verdicts, double binKm, int bins);

// Deposit indices ordered by name (ties by index): the order every sort breaks ties in.
// Sorting 100k names takes tens of milliseconds: a worker does it once per scenario
// (ScenarioSnapshot::depositsByName).
std::vector<std::uint32_t> orderByName(const std::vector<rules::DepositFacts> &facts);

// The reason codes that fired for any deposit of `report`, each once, sorted (the table's
// reason filter). Views into the interned codes (rules::reasonCode), compared by address.
std::vector<std::string_view> distinctReasons(const rules::Report &report);

class DepositRows {
public:
    // Rebuilds the rows if the filter, the sort or `reportGeneration` changed since the
    // last call; returns whether it did. `measurements` may be null (no distances yet).
    // `byName`: the report's deposits in name order (orderByName), shared with the snapshot
    // they come from; null: sorted here on every new report, which is slow for big reports.
    // `verdicts` (optional): the report's verdict column (DepositColumns::verdict), read instead
    // of the deposits' verdicts (one cache miss each, in name order) by the verdict sort and filter.
    bool update(const rules::Report &report, const analysis::Measurements *measurements,
                const DepositFilter &filter, const DepositSort &sort, std::uint64_t reportGeneration,
                std::shared_ptr<const std::vector<std::uint32_t>> byName = nullptr,
                const std::vector<std::uint8_t> *verdicts = nullptr);
    const std::vector<std::uint32_t> &rows() const { return m_rows; }
    std::size_t rebuilds() const { return m_rebuilds; }
    // Takes `built`'s rows and sorted order (update() run for this report on another thread,
    // ReportViews::rows) as the rows of `reportGeneration`, if it was built with `filter`,
    // `sort` and `byName` and these rows are not already that report's; returns whether it did.
    bool adopt(const DepositRows &built, const DepositFilter &filter, const DepositSort &sort,
               std::uint64_t reportGeneration,
               const std::shared_ptr<const std::vector<std::uint32_t>> &byName);

private:
    void sortAll(const rules::Report &report, const analysis::Measurements *measurements,
                 const std::vector<std::uint32_t> &byName, const std::vector<std::uint8_t> *verdicts);

    std::vector<std::uint32_t> m_rows;
    std::vector<std::uint32_t> m_sorted; // every deposit in m_sort's order
    // The name order m_sorted was built from (held, so a new one is never at its address),
    // and the report.
    std::shared_ptr<const std::vector<std::uint32_t>> m_byName;
    std::uint64_t m_sortedGeneration = 0;
    DepositFilter m_filter;
    DepositSort m_sort;
    std::uint64_t m_generation = ~std::uint64_t{0};
    std::size_t m_rebuilds = 0;
};

} // namespace orefront::viewer
