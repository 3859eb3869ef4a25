#pragma once
// The history of a dated scenario: every deposit measured and judged at each date of a range,
// the per-deposit summary (when it came into each ring, when it was first occupied, days in
// range, its last verdict change, the trend of its distance to the front), and the occupied
// area per date on the ellipsoid. `orefront history` (cli/history.hpp) writes it; the viewer's
// charts can call the same functions.
//
// Memory does not grow with the number of dates: the deposits, the facts and the layers that
// are not series are loaded once; each date's measurements are handed to the caller and
// dropped, and only per-deposit accumulators are kept.
// Thread rules: runHistory() uses up to `threads` workers inside measure(); the callback runs
// on the calling thread.
#include "orefront/analysis/analysis.hpp"
#include "orefront/model/layer.hpp"
#include "orefront/model/scenario.hpp"
#include "orefront/model/series.hpp"
#include "orefront/rules/rules.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace orefront::analysis {

// --step: "snapshots" (each snapshot's own date), or N days ("1d", "7d") or N months ("1m").
struct HistoryStep {
    enum Kind { Snapshots, Days, Months } kind = Snapshots;
    int count = 1;
};
// nullopt for anything else ("0d", "2w", "").
std::optional<HistoryStep> parseHistoryStep(const std::string &text);

// The dates a history samples. Snapshots: every snapshot date in [from, to], with `from`
// first when it falls between snapshots; Days/Months: from, from + step, ... up to `to`.
// `from` defaults to the first snapshot, `to` to the last. Throws UsageError when to < from.
std::vector<model::Date> historyDates(const std::vector<model::Date> &snapshotDates,
                                      std::optional<model::Date> from, std::optional<model::Date> to,
                                      HistoryStep step);

// The occupied area of a set of hostile layers, km² on the WGS84 ellipsoid: the union of the
// features classified hostile (contested ones excluded) of the hostile-role layers drawn as
// occupied territory (style "hostile_state", a whole hostile country, is not occupied land).
double occupiedAreaKm2(const std::vector<HostileInput> &hostile);

// What one date gives the caller.
struct HistoryDate {
    model::Date date;
    const model::Layer *deposits = nullptr;
    const Measurements *measurements = nullptr; // parallel to the deposits' features
    const rules::Report *report = nullptr;      // likewise
    double occupiedKm2 = 0;
    std::vector<std::string> snapshots; // "layer id: snapshot date" of each series layer in force
};

// One deposit's summary over the run.
struct DepositHistory {
    std::vector<std::optional<model::Date>> firstInRing; // parallel to the scenario's rings_km
    std::optional<model::Date> firstOccupied;
    // Days within the outermost ring (any ring): each sample date counts until the next one,
    // the last counts its own day.
    long daysInRange = 0;
    std::optional<model::Date> lastVerdictChange;     // the first date of the latest verdict, if it changed
    rules::Verdict verdict = rules::Verdict::Unknown; // at the last date
    // Least-squares slope of the distance to the front over the dates that have one, km per 30
    // days (negative: the front is closing in); nullopt with fewer than two such dates.
    std::optional<double> trendKmPer30Days;
};

struct HistoryResult {
    std::shared_ptr<const model::Layer> deposits;
    std::vector<DepositHistory> perDeposit; // parallel to deposits->features
    std::vector<std::string> names;         // deposit names, as the reports write them
    std::vector<double> ringsKm;
    std::vector<model::Date> dates;
    std::vector<std::string> warnings; // from loading each snapshot, once each
    std::size_t snapshotsMeasured = 0; // dates that needed a new measurement
    double loadSeconds = 0, measureSeconds = 0, rulesSeconds = 0, areaSeconds = 0;
};

// Runs the history of `scenario` (a scenario with at least one series layer, not resolved)
// over `dates`. `onDate` gets each date in order, before the next is measured. Throws
// InputError (a date before a series' first snapshot, bad snapshots), GeometryError.
HistoryResult runHistory(const model::Scenario &scenario, const std::vector<model::Date> &dates,
                         const std::function<void(const HistoryDate &)> &onDate, unsigned threads = 0);

} // namespace orefront::analysis
