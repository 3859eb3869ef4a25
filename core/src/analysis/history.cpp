// runHistory(): one pass over the dates of a dated scenario, measuring only when a series
// layer's snapshot changes.
#include "orefront/analysis/history.hpp"

#include "orefront/analysis/control.hpp"
#include "orefront/geos/geos_context.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/series_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/model/project.hpp"
#include "orefront/proj/geodesic.hpp"

#include <algorithm>
#include <chrono>
#include <future>
#include <memory>
#include <set>

namespace orefront::analysis {

using model::Date;

namespace {

double since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// One series layer of the scenario, with what is needed to produce its snapshot at any date
// without touching the disk again for the field forms.
struct SeriesLayer {
    std::size_t index = 0; // in scenario.layers
    std::vector<io::Snapshot> snapshots;
    std::shared_ptr<const model::Layer> all; // field forms: every feature, unfiltered
    std::string current;                     // key of the snapshot loaded now
};

// Least-squares accumulators of distance against days, per deposit.
struct Trend {
    double n = 0, x = 0, y = 0, xx = 0, xy = 0;
    void add(double xi, double yi) {
        n += 1;
        x += xi;
        y += yi;
        xx += xi * xi;
        xy += xi * yi;
    }
    std::optional<double> slope() const {
        const double den = n * xx - x * x;
        if (n < 2 || den <= 0)
            return std::nullopt;
        return (n * xy - x * y) / den;
    }
};

} // namespace

std::optional<HistoryStep> parseHistoryStep(const std::string &text) {
    if (text == "snapshots")
        return HistoryStep{};
    if (text.size() < 2)
        return std::nullopt;
    const char unit = text.back();
    if (unit != 'd' && unit != 'm')
        return std::nullopt;
    int n = 0;
    for (std::size_t i = 0; i + 1 < text.size(); ++i) {
        if (text[i] < '0' || text[i] > '9' || n > 100000)
            return std::nullopt;
        n = n * 10 + (text[i] - '0');
    }
    if (n <= 0)
        return std::nullopt;
    return HistoryStep{unit == 'd' ? HistoryStep::Days : HistoryStep::Months, n};
}

std::vector<Date> historyDates(const std::vector<Date> &snapshotDates, std::optional<Date> from,
                               std::optional<Date> to, HistoryStep step) {
    if (snapshotDates.empty())
        throw InputError("the scenario has no dated series layer (a hostile or front layer with series = "
                         "\"snapshots\", \"date_field\" or \"valid_range\")");
    const Date first = from.value_or(snapshotDates.front());
    const Date last = to.value_or(snapshotDates.back());
    if (last < first)
        throw UsageError("--to " + last.iso() + " is before --from " + first.iso());
    std::vector<Date> out;
    if (step.kind == HistoryStep::Snapshots) {
        for (const Date d : snapshotDates)
            if (first <= d && d <= last)
                out.push_back(d);
        if (out.empty() || out.front() != first)
            out.insert(out.begin(), first); // the state in force at --from
        return out;
    }
    for (int k = 0;; ++k) {
        const Date d = step.kind == HistoryStep::Days ? first.addDays(long(k) * step.count)
                                                      : first.addMonths(k * step.count);
        if (last < d)
            break;
        out.push_back(d);
    }
    return out;
}

double occupiedAreaKm2(const std::vector<HostileInput> &hostile) {
    model::Geometry all;
    std::size_t features = 0;
    for (const auto &h : hostile) {
        if (!h.layer || !h.spec || h.spec->role != model::LayerRole::Hostile ||
            h.spec->style == "hostile_state")
            continue;
        const ControlReader reader(*h.layer, *h.spec);
        for (const auto &f : h.layer->features) {
            if (f.geometry.polygons.empty() || reader.classify(f) != Control::Hostile)
                continue;
            ++features;
            all.polygons.insert(all.polygons.end(), f.geometry.polygons.begin(), f.geometry.polygons.end());
        }
    }
    if (features > 1) {
        // Features may overlap (a pocket drawn over the main zone): count their union once.
        geos::GeosContext ctx;
        const auto g = geos::toGeos(ctx, all);
        const auto merged = ctx.check(GEOSUnaryUnion_r(ctx.handle(), g.get()), "union of occupied areas");
        all = geos::fromGeos(ctx, merged.get());
    }
    double m2 = 0;
    for (const auto &p : all.polygons)
        m2 += proj::geodesicAreaM2(p);
    return m2 / 1e6;
}

HistoryResult runHistory(const model::Scenario &scenario, const std::vector<Date> &dates,
                         const std::function<void(const HistoryDate &)> &onDate, unsigned threads) {
    if (dates.empty())
        throw UsageError("no dates to run the history over");
    HistoryResult out;
    out.dates = dates;
    out.ringsKm = scenario.thresholds.ringsKm;
    auto t0 = std::chrono::steady_clock::now();

    // Everything that is not a series is loaded once, at the first date.
    model::Project project = io::loadProject(io::scenarioAt(scenario, dates.front()));
    std::set<std::string> seenWarnings(project.warnings.begin(), project.warnings.end());
    out.warnings = project.warnings;
    std::vector<SeriesLayer> series;
    for (std::size_t i = 0; i < scenario.layers.size(); ++i) {
        const model::LayerSpec &spec = scenario.layers[i];
        if (spec.series == model::SeriesForm::None)
            continue;
        SeriesLayer s;
        s.index = i;
        if (spec.series == model::SeriesForm::Snapshots) {
            s.snapshots = io::layerSnapshots(spec, scenario.baseDir);
        } else {
            model::LayerSpec plain = spec;
            plain.series = model::SeriesForm::None;
            plain.date.reset();
            std::vector<std::string> ignored; // the same file's warnings came with the project
            s.all = std::make_shared<const model::Layer>(io::loadLayer(plain, scenario.baseDir, ignored));
            s.snapshots = io::featureSnapshots(*s.all, spec);
        }
        s.current = io::snapshotAt(s.snapshots, dates.front(), spec).date.iso();
        series.push_back(std::move(s));
    }
    const analysis::Inputs firstInputs = project.analysisInputs();
    if (!firstInputs.deposits)
        throw InputError("scenario '" + scenario.name + "' has no layer with role = \"deposits\"");
    out.deposits = project.layers[static_cast<std::size_t>(
        std::find_if(project.scenario.layers.begin(), project.scenario.layers.end(),
                     [](const auto &l) { return l.role == model::LayerRole::Deposits; }) -
        project.scenario.layers.begin())];
    const auto facts = io::readDepositFacts(project, out.warnings);
    out.loadSeconds = since(t0);

    const std::size_t n = out.deposits->features.size();
    out.perDeposit.assign(n, DepositHistory{});
    for (auto &d : out.perDeposit)
        d.firstInRing.assign(out.ringsKm.size(), std::nullopt);
    std::vector<Trend> trends(n);

    for (std::size_t k = 1; k < dates.size(); ++k)
        if (dates[k] <= dates[k - 1])
            throw UsageError("history dates must increase: " + dates[k].iso() + " after " +
                             dates[k - 1].iso());

    // One date's state: its snapshots read, its deposits measured and judged, its area. The
    // next date's is computed on a worker while the caller writes this one's rows (one date
    // ahead, so memory stays flat in the number of dates); only the worker touches `project`
    // and `series`, only this thread the per-deposit accumulators.
    struct DateState {
        std::shared_ptr<const Measurements> m;
        std::shared_ptr<const rules::Report> report;
        double areaKm2 = 0;
        std::vector<std::string> snapshots;
    };
    auto compute = [&](std::size_t k, const DateState *previous) {
        const Date date = dates[k];
        DateState st;
        bool changed = previous == nullptr;
        auto t0 = std::chrono::steady_clock::now();
        for (auto &s : series) {
            const model::LayerSpec &spec = scenario.layers[s.index];
            const io::Snapshot &snap = io::snapshotAt(s.snapshots, date, spec);
            st.snapshots.push_back(spec.id + ": " + snap.date.iso());
            const std::string key = snap.date.iso();
            if (key == s.current)
                continue;
            s.current = key;
            changed = true;
            model::LayerSpec at = spec;
            std::vector<std::string> warnings;
            std::shared_ptr<const model::Layer> layer;
            if (spec.series == model::SeriesForm::Snapshots) {
                at.series = model::SeriesForm::None;
                at.source = snap.source;
                at.datePattern.clear();
                at.date = key;
                layer = std::make_shared<const model::Layer>(io::loadLayer(at, scenario.baseDir, warnings));
            } else {
                // valid_range: the features in force at the snapshot date are those of the whole
                // interval up to the next one.
                at.date = key;
                model::Layer copy = *s.all;
                io::filterToDate(copy, at, snap.date);
                layer = std::make_shared<const model::Layer>(std::move(copy));
            }
            checkControlLayer(*layer, at, warnings);
            for (auto &w : warnings)
                if (seenWarnings.insert(w).second)
                    out.warnings.push_back(w);
            project.layers[s.index] = std::move(layer);
            project.scenario.layers[s.index] = std::move(at);
        }
        project.scenario.date = date.iso();
        out.loadSeconds += since(t0);
        if (!changed) {
            st.m = previous->m;
            st.report = previous->report;
            st.areaKm2 = previous->areaKm2;
            return st;
        }
        ++out.snapshotsMeasured;
        const Inputs inputs = project.analysisInputs();
        t0 = std::chrono::steady_clock::now();
        auto m = std::make_shared<Measurements>(measure(inputs, threads));
        out.measureSeconds += since(t0);
        t0 = std::chrono::steady_clock::now();
        st.report =
            std::make_shared<const rules::Report>(rules::evaluate(project.scenario, facts, *m, false));
        st.m = std::move(m);
        out.rulesSeconds += since(t0);
        t0 = std::chrono::steady_clock::now();
        st.areaKm2 = occupiedAreaKm2(inputs.hostile);
        out.areaSeconds += since(t0);
        return st;
    };

    DateState current = compute(0, nullptr);
    for (std::size_t k = 0; k < dates.size(); ++k) {
        const Date date = dates[k];
        std::future<DateState> next;
        if (k + 1 < dates.size())
            next = std::async(std::launch::async, compute, k + 1, &current);
        const Measurements &m = *current.m;
        const rules::Report &report = *current.report;
        HistoryDate hd;
        hd.snapshots = current.snapshots;
        hd.date = date;
        hd.deposits = out.deposits.get();
        hd.measurements = &m;
        hd.report = &report;
        hd.occupiedKm2 = current.areaKm2;
        if (k == 0)
            for (std::size_t i = 0; i < n; ++i)
                out.names.push_back(report.deposits[i].name);
        onDate(hd);

        const long span = k + 1 < dates.size() ? dates[k + 1] - date : 1;
        const double x = static_cast<double>(date - dates.front());
        for (std::size_t i = 0; i < n; ++i) {
            DepositHistory &h = out.perDeposit[i];
            const Measurement &mi = m.perDeposit[i];
            const rules::DepositVerdict &v = report.deposits[i];
            if (mi.occupied && !h.firstOccupied)
                h.firstOccupied = date;
            if (mi.frontDistanceKm) {
                for (std::size_t r = 0; r < out.ringsKm.size(); ++r)
                    if (*mi.frontDistanceKm <= out.ringsKm[r] && !h.firstInRing[r])
                        h.firstInRing[r] = date;
                trends[i].add(x, *mi.frontDistanceKm);
            }
            if (v.ringKm)
                h.daysInRange += span;
            if (k > 0 && v.verdict != h.verdict)
                h.lastVerdictChange = date;
            h.verdict = v.verdict;
        }
        if (next.valid())
            current = next.get();
    }
    for (std::size_t i = 0; i < n; ++i)
        if (const auto slope = trends[i].slope())
            out.perDeposit[i].trendKmPer30Days = *slope * 30.0;
    return out;
}

} // namespace orefront::analysis
