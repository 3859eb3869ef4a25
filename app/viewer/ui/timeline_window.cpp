#include "ui/timeline_window.hpp"

#include "render/style.hpp"

#include <imgui.h>
#include <implot.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace orefront::viewer {

model::Date TimelineWindow::stepFrom(model::Date d, int direction) const {
    switch (step) {
    case Day:
        return d.addDays(direction);
    case Week:
        return d.addDays(7 * direction);
    default:
        return d.addMonths(direction);
    }
}

std::optional<model::Date> TimelineWindow::Draw(const char *title, bool *p_open, double dt) {
    std::optional<model::Date> ask;
    if (!ImGui::Begin(title, p_open)) {
        ImGui::End();
        return ask;
    }
    if (snapshots.empty() || !shown) {
        ImGui::TextDisabled("This scenario has no dated layers (README, Dated layers).");
        if (!message.empty())
            ImGui::TextWrapped("%s", message.c_str());
        ImGui::End();
        return ask;
    }
    const model::Date first = snapshots.front(), last = snapshots.back();
    const model::Date current = requested.value_or(*shown);

    // Play: one step per playSeconds, the next only once the last is on screen.
    if (playing) {
        m_playClock += dt;
        if (!requested && m_playClock >= playSeconds) {
            m_playClock = 0;
            const model::Date next = stepFrom(*shown, 1);
            if (next > last)
                playing = false;
            else
                ask = next;
        }
    }

    if (ImGui::Button(playing ? "Pause" : "Play")) {
        playing = !playing;
        m_playClock = 0;
    }
    ImGui::SameLine();
    if (ImGui::ArrowButton("##back", ImGuiDir_Left))
        ask = std::max(first, stepFrom(current, -1));
    ImGui::SameLine();
    if (ImGui::ArrowButton("##forward", ImGuiDir_Right))
        ask = std::min(last, stepFrom(current, 1));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
    ImGui::Combo("##step", &step, "day\0week\0month\0");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    if (ImGui::InputTextWithHint("##date", "YYYY-MM-DD", typed, sizeof typed,
                                 ImGuiInputTextFlags_EnterReturnsTrue)) {
        const auto d = model::Date::parseIso(typed);
        if (!d)
            message = std::string("'") + typed + "' is not a date (YYYY-MM-DD)";
        else if (*d < first)
            message = "before the first snapshot (" + first.iso() + ")";
        else {
            message.clear();
            ask = *d;
        }
    }
    // The slider runs over the days of the series, on the same row (the panel is short at
    // 1280x800); the snapshot in force is the latest on or before the date.
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 8)
        ImGui::NewLine(); // too narrow (the Inspector open at 1280x800): a row of its own
    int day = int(current - first);
    const std::string label = requested ? "preparing " + requested->iso() + "..." : shown->iso();
    ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 6, ImGui::GetContentRegionAvail().x));
    if (ImGui::SliderInt("##slider", &day, 0, int(last - first), label.c_str()))
        ask = first.addDays(day);
    if (!message.empty())
        ImGui::TextColored({0.85f, 0.3f, 0.2f, 1}, "%s", message.c_str());

    if (ImGui::BeginTabBar("##timeline_tabs")) {
        const auto flags = [this](Tab t) {
            return focusTab == t ? ImGuiTabItemFlags_SetSelected : ImGuiTabItemFlags_None;
        };
        if (ImGui::BeginTabItem("Occupied area", nullptr, flags(AreaTab))) {
            drawAreaChart(first, last, current);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Deposit", nullptr, flags(DepositTab))) {
            drawDepositChart(first, last, current);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(compareWith ? "Compare (on)###compare" : "Compare###compare", nullptr,
                                flags(CompareTab))) {
            drawCompare(first, current);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
        focusTab = NoTab;
    }
    ImGui::End();
    return ask;
}

namespace {

constexpr double kSecondsPerDay = 86400.0;

// Both charts run over the whole series on a date axis (ImPlot's time scale, in seconds).
void setupDateAxis(model::Date first, model::Date last) {
    ImPlot::SetupAxisScale(ImAxis_X1, ImPlotScale_Time);
    const double span = std::max(1.0, double(last - first));
    ImPlot::SetupAxisLimits(ImAxis_X1, double(first.days()) * kSecondsPerDay,
                            (double(first.days()) + span) * kSecondsPerDay, ImPlotCond_Always);
}

void markDate(model::Date current) {
    const double now = double(current.days()) * kSecondsPerDay;
    ImPlotSpec line;
    line.LineColor = ImVec4(0.15f, 0.15f, 0.15f, 1);
    ImPlot::PlotInfLines("date", &now, 1, line);
}

} // namespace

void TimelineWindow::drawAreaChart(model::Date first, model::Date last, model::Date current) const {
    if (area.days.empty()) {
        ImGui::TextDisabled("Preparing the snapshots...");
        return;
    }
    if (!ImPlot::BeginPlot("##occupied_area", {-1, -1}, ImPlotFlags_NoTitle | ImPlotFlags_NoLegend))
        return;
    // Thousands of km², so that the ticks fit the short panel.
    ImPlot::SetupAxes(nullptr, "occupied, 10\xc2\xb3 km\xc2\xb2", ImPlotAxisFlags_None,
                      ImPlotAxisFlags_AutoFit);
    setupDateAxis(first, last);
    std::vector<double> x(area.days.size()), y(area.km2.size());
    for (std::size_t i = 0; i < x.size(); ++i) {
        x[i] = area.days[i] * kSecondsPerDay;
        y[i] = area.km2[i] / 1000.0;
    }
    ImPlotSpec spec;
    spec.LineColor = ImVec4(0.75f, 0.1f, 0.1f, 1);
    spec.Marker = ImPlotMarker_Circle;
    spec.MarkerSize = 3;
    spec.Flags = ImPlotStairsFlags_Shaded;
    spec.FillColor = ImVec4(0.75f, 0.1f, 0.1f, 1);
    spec.FillAlpha = 0.15f;
    // The snapshot in force holds until the next: a step, not a slope.
    ImPlot::PlotStairs("occupied (WGS84 ellipsoid)", x.data(), y.data(), int(x.size()), spec);
    markDate(current);
    ImPlot::EndPlot();
}

void TimelineWindow::drawDepositChart(model::Date first, model::Date last, model::Date current) const {
    if (deposit.days.empty()) {
        ImGui::TextDisabled("Select a deposit for its distance to the front over time.");
        return;
    }
    // No title and a legend in one row: the panel is short at 1280x800. The deposit's name is
    // the first legend entry.
    if (!ImPlot::BeginPlot("##distance", {-1, -1}, ImPlotFlags_NoTitle))
        return;
    ImPlot::SetupAxes(nullptr, "km to the front", ImPlotAxisFlags_None, ImPlotAxisFlags_AutoFit);
    setupDateAxis(first, last);
    ImPlot::SetupLegend(ImPlotLocation_North, ImPlotLegendFlags_Horizontal);
    std::vector<double> x(deposit.days.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = deposit.days[i] * kSecondsPerDay;
    ImPlot::PlotStairs((deposit.name + "##distance").c_str(), x.data(), deposit.km.data(), int(x.size()));
    // The verdict in force from each snapshot, as a band along the bottom of the plot.
    ImDrawList *dl = ImPlot::GetPlotDrawList();
    ImPlot::PushPlotClipRect();
    const float bottom = ImPlot::GetPlotPos().y + ImPlot::GetPlotSize().y;
    const double end = (double(first.days()) + std::max(1.0, double(last - first))) * kSecondsPerDay;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double to = i + 1 < x.size() ? x[i + 1] : end;
        const float x0 = ImPlot::PlotToPixels(x[i], 0).x, x1 = ImPlot::PlotToPixels(to, 0).x;
        const Rgba c = verdictColour(deposit.verdicts[i]);
        dl->AddRectFilled({x0, bottom - 10}, {x1, bottom}, IM_COL32(c.r, c.g, c.b, 230));
    }
    ImPlot::PopPlotClipRect();
    ImPlotSpec standoff;
    standoff.Flags = ImPlotInfLinesFlags_Horizontal;
    standoff.LineColor = ImVec4(0.84f, 0.37f, 0.0f, 1);
    ImPlot::PlotInfLines("standoff", &deposit.standoffKm, 1, standoff);
    if (!deposit.ringsKm.empty()) {
        ImPlotSpec rings;
        rings.Flags = ImPlotInfLinesFlags_Horizontal;
        rings.LineColor = ImVec4(0.5f, 0.5f, 0.55f, 1);
        ImPlot::PlotInfLines("rings", deposit.ringsKm.data(), int(deposit.ringsKm.size()), rings);
    }
    markDate(current);
    ImPlot::EndPlot();
}

void TimelineWindow::drawCompare(model::Date first, model::Date current) {
    // A is typed (or taken from the date shown, before moving B with the slider); B is the date shown.
    if (ImGui::Button("Compare with...")) {
        const auto d = model::Date::parseIso(compareTyped);
        if (!d)
            compareMessage = std::string("'") + compareTyped + "' is not a date (YYYY-MM-DD)";
        else if (*d < first)
            compareMessage = "before the first snapshot (" + first.iso() + ")";
        else {
            compareMessage.clear();
            askCompare = *d;
        }
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
    if (ImGui::InputTextWithHint("##compare_date", "A: YYYY-MM-DD", compareTyped, sizeof compareTyped,
                                 ImGuiInputTextFlags_EnterReturnsTrue)) {
        if (const auto d = model::Date::parseIso(compareTyped); d && !(*d < first)) {
            compareMessage.clear();
            askCompare = *d;
        } else {
            compareMessage = std::string("'") + compareTyped + "' is not a date on or after " + first.iso();
        }
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("A = shown"))
        std::snprintf(compareTyped, sizeof compareTyped, "%s", current.iso().c_str());
    if (compareWith) {
        ImGui::SameLine();
        if (ImGui::SmallButton("Stop"))
            askStopCompare = true;
        ImGui::SameLine();
        ImGui::RadioButton("Overlay", &compareMode, Overlay);
        ImGui::SameLine();
        ImGui::RadioButton("Swipe", &compareMode, Swipe);
        ImGui::SameLine();
        ImGui::RadioButton("Side by side", &compareMode, SideBySide);
        if (compareMode == Overlay) {
            ImGui::SameLine();
            ImGui::Checkbox("A's front", &showFrontA);
        } else if (compareMode == Swipe) {
            ImGui::SameLine();
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6);
            float pct = swipeAt * 100;
            if (ImGui::SliderFloat("##swipe", &pct, 0, 100, "divider %.0f %%"))
                swipeAt = pct / 100;
            ImGui::SetItemTooltip("Drag the divider on the map, or press [ and ] (Shift: finer)");
        }
    }
    if (!compareMessage.empty())
        ImGui::TextColored({0.85f, 0.3f, 0.2f, 1}, "%s", compareMessage.c_str());
    if (comparePreparing) {
        ImGui::TextDisabled("Preparing %s...", compareTyped);
        return;
    }
    if (!compareWith) {
        ImGui::TextDisabled("Type a date A: the deposits whose verdict differs from the date shown are "
                            "listed and ringed on the map.");
        return;
    }
    ImGui::Text("%zu verdict%s changed from %s (A) to %s (B)", changes.size(), changes.size() == 1 ? "" : "s",
                compareWith->iso().c_str(), current.iso().c_str());
    if (changes.empty() ||
        !ImGui::BeginTable("##changes", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY, {-1, -1}))
        return;
    ImGui::TableSetupColumn("Deposit", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("A -> B", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(int(changes.size()));
    while (clipper.Step())
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const Change &c = changes[std::size_t(row)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(row);
            if (ImGui::Selectable(c.name.c_str(), false, ImGuiSelectableFlags_SpanAllColumns))
                askSelect = c.deposit;
            ImGui::PopID();
            ImGui::TableNextColumn();
            const Rgba ca = verdictColour(c.a), cb = verdictColour(c.b);
            ImGui::TextColored(ImColor(ca.r, ca.g, ca.b), "%s", verdictLabel(c.a));
            ImGui::SameLine(0, 4);
            ImGui::TextUnformatted("->");
            ImGui::SameLine(0, 4);
            ImGui::TextColored(ImColor(cb.r, cb.g, cb.b), "%s", verdictLabel(c.b));
        }
    ImGui::EndTable();
}

} // namespace orefront::viewer
