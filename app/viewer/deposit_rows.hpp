#pragma once
// The deposits table's row list: indices into the report, filtered and sorted, cached and
// rebuilt only when the filter, the sort or the report changes (Tracy's m_msgList). GL-free.
#include "orefront/analysis/analysis.hpp"
#include "orefront/rules/rules.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace orefront::viewer {

enum class DepositColumn { Name, Country, Verdict, Grade, Tonnage, FrontKm, Ring };

struct DepositFilter {
    bool verdicts[4] = {true, true, true, true}; // indexed by rules::Verdict
    std::string country;                         // exact code, case-insensitive; empty = all
    std::string text;                            // substring of name, country or a reason code
    bool operator==(const DepositFilter &) const = default;
};

struct DepositSort {
    DepositColumn column = DepositColumn::Verdict;
    bool ascending = true;
    bool operator==(const DepositSort &) const = default;
};

class DepositRows {
public:
    // Rebuilds the rows if the filter, the sort or `reportGeneration` changed since the
    // last call; returns whether it did. `measurements` may be null (no distances yet).
    bool update(const rules::Report &report, const analysis::Measurements *measurements,
                const DepositFilter &filter, const DepositSort &sort, std::uint64_t reportGeneration);
    const std::vector<std::uint32_t> &rows() const { return m_rows; }
    std::size_t rebuilds() const { return m_rebuilds; }

private:
    std::vector<std::uint32_t> m_rows;
    DepositFilter m_filter;
    DepositSort m_sort;
    std::uint64_t m_generation = ~std::uint64_t{0};
    std::size_t m_rebuilds = 0;
};

} // namespace orefront::viewer
