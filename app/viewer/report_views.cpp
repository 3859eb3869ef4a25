#include "report_views.hpp"

#include "map_labels.hpp"
#include "map_legend.hpp"
#include "scenario_snapshot.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <optional>
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

namespace {

std::shared_ptr<const DepositStatics> staticsOf(const ScenarioSnapshot &snapshot,
                                                const std::shared_ptr<const LayerMesh> &mesh) {
    auto out = std::make_shared<DepositStatics>();
    out->mesh = mesh;
    out->grid = snapshot.depositGrid;
    if (out->grid) {
        out->pointCell.reserve(mesh->points.size());
        for (const Vec2f p : mesh->points)
            out->pointCell.push_back(std::uint32_t(out->grid->cellOf(p)));
    }
    out->frontKm.reserve(snapshot.measurements.perDeposit.size());
    for (const auto &m : snapshot.measurements.perDeposit)
        out->frontKm.push_back(m.frontDistanceKm ? *m.frontDistanceKm
                                                 : std::numeric_limits<double>::quiet_NaN());
    return out;
}

} // namespace

std::shared_ptr<ReportViews> computeReportViews(const ScenarioSnapshot &snapshot, const rules::Report &report,
                                                const model::Thresholds &thresholds,
                                                const ReportViews *previous, unsigned threads,
                                                const DepositColumns *given, const TableRowsFor *rowsFor) {
    auto views = std::make_shared<ReportViews>();
    const std::shared_ptr<const LayerMesh> mesh =
        snapshot.depositsLayer >= 0 && std::size_t(snapshot.depositsLayer) < snapshot.meshes.size()
            ? snapshot.meshes[std::size_t(snapshot.depositsLayer)]
            : nullptr;
    if (!mesh)
        return nullptr; // no markers: the views compute their own (and have little to)
    views->mesh = mesh.get();
    const bool same = previous && previous->mesh == mesh.get() && previous->statics &&
                      previous->statics->mesh == mesh && previous->statics->grid == snapshot.depositGrid &&
                      previous->statics->frontKm.size() == snapshot.measurements.perDeposit.size();
    views->statics = same ? previous->statics : staticsOf(snapshot, mesh);
    const DepositStatics &statics = *views->statics;
    std::optional<DepositColumns> own;
    const DepositColumns &columns = given ? *given : own.emplace(DepositColumns::of(report));
    // Two threads, each on its share: the reason codes and the chart beside the legend's
    // cells and the label order.
    const DepositLabelOrder *previousOrder = same ? previous->labelOrder.get() : nullptr;
    std::exception_ptr failed;
    auto besideJob = [&] {
        try {
            views->reasons = distinctReasons(report);
            views->histogramBins = histogramBins(thresholds);
            views->histogram = frontDistanceHistogram(statics.frontKm, columns.verdict,
                                                      views->histogramBins.binKm, views->histogramBins.bins);
            if (rowsFor) {
                auto rows = std::make_shared<DepositRows>();
                rows->update(report, &snapshot.measurements, rowsFor->filter, rowsFor->sort, 1,
                             snapshot.depositsByName, &columns.verdict);
                views->rows = std::move(rows);
            }
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
        views->cellCounts = std::make_shared<const DepositCellCounts>(
            depositCellCounts(*statics.mesh, statics.grid.get(), columns.verdict, &statics.pointCell));
        views->labelOrder = DepositLabelOrder::of(*mesh, columns, previousOrder);
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
