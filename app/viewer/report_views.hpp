#pragma once
// What the map and the panels derive from one rule report, computed with it on the rules
// worker: the deposits' label order (map_labels.hpp), the legend's counts per verdict over the
// deposit grid's cells (map_legend.hpp), the reason codes that fired (the table's reason
// filter) and the chart's distance histogram (deposit_rows.hpp). The report then reaches the
// UI thread with them, and the frame that shows it only swaps pointers: at 100k deposits,
// computing them there cost that frame 30-40 ms. MapDocument keeps them with the report they
// were computed from and drops them with it, so a view never reads another report's; a view
// that finds none (a report evaluated on the UI thread, headless use) computes its own.
// GL-free and ImGui-free.
#include "deposit_rows.hpp"
#include "point_grid.hpp"

#include "orefront/analysis/analysis.hpp"
#include "orefront/model/scenario.hpp"
#include "orefront/rules/rules.hpp"

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace orefront::viewer {

struct ScenarioSnapshot;
struct DepositLabelOrder;
struct DepositCellCounts;

// A report's deposits as columns (parallel to report.deposits): what the label order and the
// legend read for every deposit. One pass over the report's verdicts, a few hundred bytes each,
// instead of one cache miss per deposit in each of them.
struct DepositColumns {
    std::vector<std::uint8_t> verdict; // rules::Verdict
    std::vector<double> tonnage;       // Mt, unknown as 0, at most 1e8 (the label priority's)
    static DepositColumns of(const rules::Report &report);
};

// The distance chart's bins for these thresholds: 10 km out to twice the widest of the
// standoff and the rings, at least 100 km.
struct HistogramBins {
    double binKm = 10;
    int bins = 0;
    bool operator==(const HistogramBins &) const = default;
};
HistogramBins histogramBins(const model::Thresholds &thresholds);

// What the views of every report of one snapshot share: computed with the first, then
// handed on to the next (ReportViews::statics).
struct DepositStatics {
    std::shared_ptr<const LayerMesh> mesh; // the snapshot's deposits mesh (held: its address is its identity)
    std::shared_ptr<const PointGrid> grid; // over it, or null
    std::vector<std::uint32_t> pointCell;  // per marker of `mesh`, its cell of `grid`
    std::vector<double> frontKm;           // per deposit, its distance to the front; NaN: none
};

struct ReportViews {
    // The deposits mesh and grid they were computed over (the snapshot's).
    const LayerMesh *mesh = nullptr;
    std::shared_ptr<const DepositStatics> statics;
    std::shared_ptr<const DepositLabelOrder> labelOrder;
    std::shared_ptr<const DepositCellCounts> cellCounts; // null without a deposit grid
    std::vector<std::string_view> reasons;               // distinctReasons(report)
    HistogramBins histogramBins;
    DistanceHistogram histogram; // frontDistanceHistogram(report, measurements, bins)
    // The Deposits table's rows for the filter and sort it had when the edit was made
    // (DepositRows::adopt takes them if it still has them); null: none asked for.
    std::shared_ptr<const DepositRows> rows;
};

// The table's filter and sort to build ReportViews::rows for.
struct TableRowsFor {
    DepositFilter filter;
    DepositSort sort;
};

// The views of `report` (evaluated for `snapshot` with `thresholds`). `previous`: the views of
// an earlier report of the same snapshot (saves sorting the deposits by tonnage again), or
// null. Any thread; `threads` > 1 computes the label order beside the rest.
// `columns`: DepositColumns::of(report), when the caller has them. `rows`: the table's rows
// to build too. Null when the snapshot has no deposits mesh.
std::shared_ptr<ReportViews> computeReportViews(const ScenarioSnapshot &snapshot, const rules::Report &report,
                                                const model::Thresholds &thresholds,
                                                const ReportViews *previous = nullptr, unsigned threads = 1,
                                                const DepositColumns *columns = nullptr,
                                                const TableRowsFor *rows = nullptr);

} // namespace orefront::viewer
