// What the rules worker derives from a report (report_views.hpp) is what the UI thread's own
// code derives from the report the document shows: the label order, the legend's counts in
// view, the reason codes and the distance chart. And a report never shows with another's.
#include "map_document.hpp"
#include "map_labels.hpp"
#include "map_legend.hpp"
#include "report_views.hpp"
#include "scenario_snapshot.hpp"
#include "small_scenario.hpp"

#include "orefront/io/scenario_io.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <set>

using namespace orefront;
using namespace orefront::viewer;

namespace {

// 600 deposits round the hostile square (36-37 E, 47-48 N), with grades about the cut-offs
// below and tonnages with ties and gaps.
std::string depositFeatures() {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> lon(34.0, 40.0), lat(45.5, 49.5), grade(0.2, 6.0);
    std::string out;
    for (int i = 0; i < 600; ++i) {
        std::string props =
            "\"name\": \"D" + std::to_string(i) + "\", \"grade_treo_pct\": " + std::to_string(grade(rng));
        if (i % 7 != 0) // some with no tonnage
            props += ", \"tonnage_mt\": " + std::to_string((i * 37) % 50 + (i % 3) * 0.5);
        out += (out.empty() ? "" : ",") + test::ScenarioDir::point(lon(rng), lat(rng), props);
    }
    return out;
}

// Markers of the deposits mesh in `camera`'s view, by verdict: every point tested.
DepositsInView countByHand(const MapDocument &doc, const Camera &camera) {
    DepositsInView n;
    for (const auto &d : doc.report().deposits) {
        ++n.total[std::size_t(d.verdict)];
        ++n.totalAll;
    }
    const LayerMesh &mesh = *doc.depositsLayer()->mesh;
    const double halfW = camera.width * camera.metresPerPixel / 2,
                 halfH = camera.height * camera.metresPerPixel / 2;
    for (std::size_t i = 0; i < mesh.points.size(); ++i) {
        const double x = mesh.points[i].x + mesh.origin.x, y = mesh.points[i].y + mesh.origin.y;
        if (x < camera.center.x - halfW || x > camera.center.x + halfW || y < camera.center.y - halfH ||
            y > camera.center.y + halfH)
            continue;
        ++n.inView[std::size_t(doc.report().deposits[mesh.pointFeature[i]].verdict)];
        ++n.inViewAll;
    }
    return n;
}

std::set<std::string> reasonsByHand(const rules::Report &report) {
    std::set<std::string> out;
    for (const auto &d : report.deposits)
        for (std::string_view r : d.reasons)
            out.emplace(r);
    return out;
}

} // namespace

TEST_CASE("A report's views from the rules worker equal what the UI thread computes", "[viewer][rules]") {
    io::initGdal();
    test::ScenarioDir dir("report-views", depositFeatures());
    const auto snap = loadScenarioSnapshot(dir.scenario(), 1);
    MapDocument doc;
    doc.setScenario(snap);
    CHECK(doc.reportViews() == nullptr); // evaluated here: the views compute their own
    REQUIRE(doc.depositGrid());
    const std::size_t deposits = doc.report().deposits.size();
    REQUIRE(deposits == 600);

    Camera wide, part;
    wide.width = part.width = 800;
    wide.height = part.height = 600;
    wide.center = toMercator({37, 47.5});
    wide.metresPerPixel = 2000; // every deposit
    part.center = toMercator({36.8, 47.2});
    part.metresPerPixel = 350; // some: cells cut by the view's edges

    std::shared_ptr<const ReportViews> before;
    for (const double cutoff : {1.0, 3.0, 5.0}) {
        INFO("grade cut-off " << cutoff);
        model::Thresholds t = doc.scenario()->thresholds;
        t.gradeCutoffPct = cutoff;
        t.ringsKm = {20, 40, 80 + cutoff * 10}; // the chart's bins follow the widest ring
        model::Scenario s = doc.snapshot()->project->scenario;
        s.thresholds = t;
        MapDocument::RuleResult result;
        result.report = rules::evaluate(s, snap->facts, snap->measurements, false);
        // The table filtered to two verdicts and a text, sorted by ring, farthest first.
        TableRowsFor table;
        table.filter.verdicts[int(rules::Verdict::Investable)] = false;
        table.filter.text = "D1";
        table.sort = {DepositColumn::Ring, false};
        if (cutoff == 3.0) { // verdicts only (read from the verdict column), by verdict
            table.filter.text.clear();
            table.sort = {DepositColumn::Verdict, false};
        }
        result.views = computeReportViews(*snap, result.report, t, before.get(), 2, nullptr, &table);
        const auto views = result.views;
        doc.setReport(t, s.severities, std::move(result));
        REQUIRE(doc.reportViews() == views.get());

        // Label order: as DepositLabelOrder::of builds it from the document, here.
        const auto order = DepositLabelOrder::of(doc);
        REQUIRE(views->labelOrder);
        CHECK(views->labelOrder->points == order->points);
        CHECK(views->labelOrder->byTonnage->points == order->byTonnage->points);
        CHECK(views->labelOrder->current(doc));
        // Legend: the deposits in view by verdict, counted point by point.
        for (const Camera *c : {&wide, &part}) {
            const DepositsInView got = countDepositsInView(doc, *c), want = countByHand(doc, *c);
            CHECK(got.inView == want.inView);
            CHECK(got.total == want.total);
            CHECK(got.inViewAll == want.inViewAll);
            CHECK(got.totalAll == int(deposits));
        }
        CHECK(countByHand(doc, part).inViewAll < int(deposits)); // the edges were cut
        // Reasons and chart.
        const auto codes = reasonsByHand(doc.report());
        CHECK(std::set<std::string>(views->reasons.begin(), views->reasons.end()) == codes);
        CHECK(views->reasons.size() == codes.size());
        CHECK(distinctReasons(doc.report()) == views->reasons);
        CHECK(views->histogramBins == histogramBins(t));
        const DistanceHistogram h = frontDistanceHistogram(
            doc.report(), snap->measurements, views->histogramBins.binKm, views->histogramBins.bins);
        for (int v = 0; v < 4; ++v)
            CHECK(views->histogram.counts[v] == h.counts[v]);
        CHECK(views->histogram.beyond == h.beyond);
        CHECK(views->histogram.unmeasured == h.unmeasured);

        // Table rows: as the table's own update builds them, and taken only for their filter
        // and sort.
        DepositRows own;
        own.update(doc.report(), &snap->measurements, table.filter, table.sort, doc.reportGeneration(),
                   snap->depositsByName);
        REQUIRE(views->rows);
        CHECK(views->rows->rows() == own.rows());
        CHECK_FALSE(own.rows().empty());
        DepositRows shown;
        DepositFilter other = table.filter;
        other.text = "D2";
        CHECK_FALSE(
            shown.adopt(*views->rows, other, table.sort, doc.reportGeneration(), snap->depositsByName));
        CHECK_FALSE(
            shown.adopt(*views->rows, table.filter, {}, doc.reportGeneration(), snap->depositsByName));
        CHECK(shown.adopt(*views->rows, table.filter, table.sort, doc.reportGeneration(),
                          snap->depositsByName));
        CHECK(shown.rows() == own.rows());
        CHECK_FALSE(shown.update(doc.report(), &snap->measurements, table.filter, table.sort,
                                 doc.reportGeneration(), snap->depositsByName)); // nothing left to do
        CHECK(shown.update(doc.report(), &snap->measurements, other, table.sort, doc.reportGeneration(),
                           snap->depositsByName));

        // Each cut-off changes verdicts, so the last report's views would not do.
        if (before) {
            CHECK(before->labelOrder->points != views->labelOrder->points);
            CHECK(before->rows->rows() != views->rows->rows());
            CHECK(before->histogram.counts[int(rules::Verdict::Investable)] !=
                  views->histogram.counts[int(rules::Verdict::Investable)]);
        }
        before = views;
    }

    SECTION("a report's views leave with it") {
        model::Thresholds t = doc.scenario()->thresholds;
        t.gradeCutoffPct = 0.5;
        REQUIRE(doc.applyRules(t, {}));
        CHECK(doc.reportViews() == nullptr); // evaluated on this thread: no views came with it
        const auto order = DepositLabelOrder::of(doc);
        CHECK_FALSE(before->labelOrder->current(doc));
        // The legend counts the new report, not the views of the last one.
        const DepositsInView got = countDepositsInView(doc, part), want = countByHand(doc, part);
        CHECK(got.inView == want.inView);
        CHECK(got.total == want.total);
    }
    SECTION("views computed for another snapshot are not taken") {
        const auto other = loadScenarioSnapshot(dir.scenario(), 1);
        MapDocument::RuleResult result;
        result.report = doc.report();
        result.views = computeReportViews(*other, result.report, doc.scenario()->thresholds);
        doc.setReport(doc.scenario()->thresholds, {}, std::move(result));
        CHECK(doc.reportViews() == nullptr);
    }
}
