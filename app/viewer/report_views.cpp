#include "report_views.hpp"

#include "map_labels.hpp"
#include "map_legend.hpp"
#include "scenario_snapshot.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <thread>

namespace orefront::viewer {

DepositColumns DepositColumns::of(const rules::Report &report) {
    DepositColumns c;
    c.verdict.reserve(report.deposits.size());
    c.tonnage.reserve(report.deposits.size());
    for (const auto &d : report.deposits) {
        c.verdict.push_back(std::uint8_t(d.verdict));
        c.tonnage.push_back(std::min(d.tonnageMt.value_or(0.0), 1e8));
    }
    return c;
}

HistogramBins histogramBins(const model::Thresholds &t) {
    double reach = t.standoffKm;
    for (double km : t.ringsKm)
        reach = std::max(reach, km);
    HistogramBins b;
    b.binKm = 10;
    b.bins = int(std::ceil(std::max(100.0, 2 * reach) / b.binKm));
    return b;
}

std::shared_ptr<ReportViews> computeReportViews(const ScenarioSnapshot &snapshot, const rules::Report &report,
                                                const model::Thresholds &thresholds,
                                                const ReportViews *previous, unsigned threads) {
    auto views = std::make_shared<ReportViews>();
    const LayerMesh *mesh =
        snapshot.depositsLayer >= 0 && std::size_t(snapshot.depositsLayer) < snapshot.meshes.size()
            ? snapshot.meshes[std::size_t(snapshot.depositsLayer)].get()
            : nullptr;
    views->mesh = mesh;
    // Two threads, each on its share: the reason codes and the chart's histogram (passes over
    // the report) beside the columns, the legend's cells and the label order.
    const DepositLabelOrder *previousOrder =
        previous && previous->mesh == mesh && mesh ? previous->labelOrder.get() : nullptr;
    std::exception_ptr failed;
    auto besideJob = [&] {
        try {
            views->reasons = distinctReasons(report);
            views->histogramBins = histogramBins(thresholds);
            views->histogram = frontDistanceHistogram(report, snapshot.measurements,
                                                      views->histogramBins.binKm, views->histogramBins.bins);
        } catch (...) {
            failed = std::current_exception();
        }
    };
    std::thread beside;
    if (threads > 1)
        beside = std::thread(besideJob);
    else
        besideJob();
    try {
        const DepositColumns columns = DepositColumns::of(report);
        if (mesh) {
            views->cellCounts = std::make_shared<const DepositCellCounts>(
                depositCellCounts(*mesh, snapshot.depositGrid.get(), columns.verdict));
            views->labelOrder = DepositLabelOrder::of(*mesh, columns, previousOrder);
        }
    } catch (...) {
        if (beside.joinable())
            beside.join();
        throw;
    }
    if (beside.joinable())
        beside.join();
    if (failed)
        std::rethrow_exception(failed);
    return views;
}

} // namespace orefront::viewer
