#pragma once
// Timeline: the situation date of a dated scenario. A date slider over the snapshots, a typed
// date to jump to, steps by a day, a week or a month, play and pause. The window only asks
// for a date (Draw() returns it); ViewerApp prepares that date's snapshot on a worker and
// shows it.
#include "orefront/model/series.hpp"
#include "orefront/rules/rules.hpp"

#include <optional>
#include <string>
#include <vector>

namespace orefront::viewer {

inline constexpr const char *kTimelineWindow = "Timeline";

struct TimelineWindow {
    // Set by ViewerApp when a scenario opens; empty when it has no dated series.
    std::vector<model::Date> snapshots;
    std::optional<model::Date> shown;     // the date on screen
    std::optional<model::Date> requested; // asked for, not yet on screen
    std::string message;                  // a typed date that could not be read, ...

    // The selected deposit over the snapshots prepared so far (ViewerApp fills it): distance
    // to the front per snapshot date, the verdict in force from each, and the thresholds.
    struct DepositSeries {
        std::string name;
        std::vector<double> days; // since 1970-01-01
        std::vector<double> km;   // NaN where no hostile position
        std::vector<rules::Verdict> verdicts;
        double standoffKm = 0;
        std::vector<double> ringsKm;
    };
    DepositSeries deposit;

    enum Step { Day, Week, Month };
    int step = Week;
    bool playing = false;
    double playSeconds = 0.6; // per step while playing
    char typed[16] = "";

    // Draws the window. Returns a date to show when the user asked for one.
    std::optional<model::Date> Draw(const char *title, bool *p_open, double dt);

    // The date one step from `d` (forward or back), for the buttons and play.
    model::Date stepFrom(model::Date d, int direction) const;

private:
    void drawDepositChart(model::Date first, model::Date last, model::Date current) const;
    double m_playClock = 0;
};

} // namespace orefront::viewer
