#include "ui/timeline_window.hpp"

#include "render/style.hpp"

#include <imgui.h>
#include <implot.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

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
    ImGui::SameLine();
    ImGui::Text("%s%s", shown->iso().c_str(), requested ? "  (preparing " : "");
    if (requested) {
        ImGui::SameLine(0, 0);
        ImGui::Text("%s...)", requested->iso().c_str());
    }
    if (!message.empty()) {
        ImGui::SameLine();
        ImGui::TextColored({0.85f, 0.3f, 0.2f, 1}, "%s", message.c_str());
    }

    // The slider runs over the days of the series; the snapshot in force is the latest on or
    // before the date.
    int day = int(current - first);
    ImGui::SetNextItemWidth(-1);
    if (ImGui::SliderInt("##slider", &day, 0, int(last - first), current.iso().c_str()))
        ask = first.addDays(day);

    drawDepositChart(first, last, current);
    ImGui::End();
    return ask;
}

void TimelineWindow::drawDepositChart(model::Date first, model::Date last, model::Date current) const {
    if (deposit.days.empty()) {
        ImGui::TextDisabled("Select a deposit for its distance to the front over time.");
        return;
    }
    const std::string title = deposit.name + ": distance to the front##distance";
    if (!ImPlot::BeginPlot(title.c_str(), {-1, -1}))
        return;
    const double span = std::max(1.0, double(last - first));
    ImPlot::SetupAxes("days since the first snapshot", "km", ImPlotAxisFlags_None, ImPlotAxisFlags_AutoFit);
    ImPlot::SetupAxisLimits(ImAxis_X1, 0, span, ImPlotCond_Always);
    ImPlot::SetupLegend(ImPlotLocation_NorthEast);
    std::vector<double> x(deposit.days.size());
    for (std::size_t i = 0; i < x.size(); ++i)
        x[i] = deposit.days[i] - double(first.days());
    ImPlot::PlotStairs("distance", x.data(), deposit.km.data(), int(x.size()));
    // The verdict in force from each snapshot, as a band along the bottom of the plot.
    ImDrawList *dl = ImPlot::GetPlotDrawList();
    ImPlot::PushPlotClipRect();
    const float bottom = ImPlot::GetPlotPos().y + ImPlot::GetPlotSize().y;
    for (std::size_t i = 0; i < x.size(); ++i) {
        const double to = i + 1 < x.size() ? x[i + 1] : span;
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
    const double now = double(current - first);
    ImPlot::PlotInfLines("date", &now, 1);
    ImPlot::EndPlot();
}

} // namespace orefront::viewer
