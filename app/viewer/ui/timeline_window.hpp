#pragma once
// Timeline: the situation date of a dated scenario. A date slider over the snapshots, a typed
// date to jump to, steps by a day, a week or a month, play and pause; charts of the occupied
// area and of the selected deposit's distance to the front over time; and a comparison of the
// date shown (B) with another (A): the deposits whose verdict changed, A's front over the map.
// The window only asks (Draw() returns a date; the ask* members the rest); ViewerApp prepares
// dates on a worker and fills in what the window shows.
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

    // The occupied area (km² on the ellipsoid, analysis::occupiedAreaKm2) of each snapshot
    // prepared so far, by date (ViewerApp fills it).
    struct AreaSeries {
        std::vector<double> days; // since 1970-01-01
        std::vector<double> km2;
    };
    AreaSeries area;

    // Compare: date A against the date shown (B). ViewerApp fills `changes` once A is prepared.
    struct Change {
        int deposit = -1;
        std::string name;
        rules::Verdict a = rules::Verdict::Unknown, b = rules::Verdict::Unknown;
    };
    std::optional<model::Date> compareWith; // A, once prepared
    bool comparePreparing = false;
    std::vector<Change> changes;
    std::string compareMessage;
    char compareTyped[16] = "";
    bool showFrontA = true; // A's hostile areas outlined over the map (Overlay)
    // How A is shown: its front outlined over B's map, A's own map left of a divider over B's
    // (swipe), or A's map and B's in two panes.
    enum CompareMode { Overlay, Swipe, SideBySide };
    int compareMode = Overlay;
    float swipeAt = 0.5f; // the swipe divider, 0..1 of the map's width from the left
    enum Tab { NoTab, AreaTab, DepositTab, CompareTab };
    Tab focusTab = NoTab; // a tab to bring forward on the next Draw()
    // Asked for in the last Draw(), for ViewerApp to act on (and reset).
    std::optional<model::Date> askCompare;
    bool askStopCompare = false;
    int askSelect = -1;

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
    void drawAreaChart(model::Date first, model::Date last, model::Date current) const;
    void drawCompare(model::Date first, model::Date current);
    double m_playClock = 0;
};

} // namespace orefront::viewer
