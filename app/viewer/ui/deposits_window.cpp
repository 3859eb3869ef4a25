#include "ui/deposits_window.hpp"

#include <imgui.h>
#include <implot.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string_view>

#include <cstdio>

namespace orefront::viewer {

void DepositsWindow::Draw(const char *title, bool *p_open, const MapDocument &doc, int &selected,
                          const std::function<void(int)> &flyTo, const AnnotationDocument *notes) {
    // The table and the chart scroll and size themselves: the panel never scrolls.
    if (!ImGui::Begin(title, p_open, ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse)) {
        ImGui::End();
        return;
    }
    const auto *snap = doc.snapshot();
    if (!snap) {
        ImGui::TextDisabled("Loading the scenario...");
        ImGui::End();
        return;
    }
    const auto &report = doc.report();
    if (m_reasonsGeneration != doc.reportGeneration()) {
        m_reasonsGeneration = doc.reportGeneration();
        // Found with the report on the rules worker, when it came from there.
        const ReportViews *views = doc.reportViews();
        const auto seen = views ? views->reasons : distinctReasons(report);
        m_reasons.assign(seen.begin(), seen.end());
    }
    drawFilters(report);

    const float chartWidth = m_showChart ? std::max(260.0f, ImGui::GetContentRegionAvail().x * 0.36f) : 0.0f;
    const float tableWidth = m_showChart ? ImGui::GetContentRegionAvail().x - chartWidth - 8 : 0.0f;
    ImGui::BeginChild("##table", {tableWidth, 0});
    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable;
    if (ImGui::BeginTable("deposits", 8, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 0, int(DepositColumn::Name));
        ImGui::TableSetupColumn("Country", 0, 0, int(DepositColumn::Country));
        ImGui::TableSetupColumn("Verdict", ImGuiTableColumnFlags_DefaultSort, 0, int(DepositColumn::Verdict));
        ImGui::TableSetupColumn("Grade %", 0, 0, int(DepositColumn::Grade));
        ImGui::TableSetupColumn("Mt", 0, 0, int(DepositColumn::Tonnage));
        ImGui::TableSetupColumn("Front km", 0, 0, int(DepositColumn::FrontKm));
        ImGui::TableSetupColumn("Ring", 0, 0, int(DepositColumn::Ring));
        ImGui::TableSetupColumn("Note", ImGuiTableColumnFlags_NoSort | ImGuiTableColumnFlags_WidthStretch, 0,
                                100);
        ImGui::TableHeadersRow();
        if (ImGuiTableSortSpecs *specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
            m_sort.column = DepositColumn(specs->Specs[0].ColumnUserID);
            m_sort.ascending = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
        }
        // The rows the rules worker built with the report, if the filter and sort are still
        // those it was asked for; else built here.
        if (const ReportViews *views = doc.reportViews(); views && views->rows)
            m_rows.adopt(*views->rows, m_filter, m_sort, doc.reportGeneration(), snap->depositsByName);
        m_rows.update(report, &snap->measurements, m_filter, m_sort, doc.reportGeneration(),
                      snap->depositsByName);
        const auto &rows = m_rows.rows();

        ImGuiListClipper clipper;
        clipper.Begin(int(rows.size()));
        while (clipper.Step()) {
            for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
                const int i = int(rows[std::size_t(r)]);
                const auto &d = report.deposits[std::size_t(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(i);
                if (ImGui::Selectable(d.name.empty() ? "(unnamed)" : d.name.c_str(), selected == i,
                                      ImGuiSelectableFlags_SpanAllColumns)) {
                    selected = i;
                    flyTo(i);
                }
                ImGui::PopID();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(d.country.c_str());
                ImGui::TableNextColumn();
                const Rgba c = verdictColour(d.verdict);
                ImGui::TextColored(ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1), "%s",
                                   verdictLabel(d.verdict));
                ImGui::TableNextColumn();
                d.gradePct ? ImGui::Text("%.2f", *d.gradePct) : ImGui::TextDisabled("?");
                ImGui::TableNextColumn();
                d.tonnageMt ? ImGui::Text("%.1f", *d.tonnageMt) : ImGui::TextDisabled("?");
                ImGui::TableNextColumn();
                const auto &m = snap->measurements.perDeposit;
                if (std::size_t(i) < m.size() && m[std::size_t(i)].frontDistanceKm)
                    ImGui::Text("%.1f", *m[std::size_t(i)].frontDistanceKm);
                else
                    ImGui::TextDisabled("-");
                ImGui::TableNextColumn();
                d.ringKm ? ImGui::Text("%g", *d.ringKm) : ImGui::TextDisabled("-");
                ImGui::TableNextColumn();
                if (const auto *n = notes ? notes->noteFor(d.name) : nullptr) {
                    const std::size_t firstLine = std::min(n->text.find('\n'), n->text.size());
                    ImGui::TextUnformatted(n->text.c_str(), n->text.c_str() + firstLine);
                    ImGui::SetItemTooltip("%s\n\n%s, %s", n->text.c_str(), n->author.c_str(),
                                          n->modifiedUtc.c_str());
                }
            }
        }
        ImGui::EndTable();
    }
    ImGui::EndChild();
    if (m_showChart) {
        ImGui::SameLine();
        drawChart(doc);
    }
    ImGui::End();
}

void DepositsWindow::drawFilters(const rules::Report &report) {
    for (auto v : {rules::Verdict::Investable, rules::Verdict::Marginal, rules::Verdict::NotInvestable,
                   rules::Verdict::Unknown}) {
        const Rgba c = verdictColour(v);
        ImGui::PushStyleColor(ImGuiCol_CheckMark, IM_COL32(c.r, c.g, c.b, 255));
        ImGui::Checkbox(verdictLabel(v), &m_filter.verdicts[int(v)]);
        ImGui::PopStyleColor();
        ImGui::SameLine();
    }
    ImGui::SetNextItemWidth(90);
    if (ImGui::BeginCombo("##country",
                          m_filter.country.empty() ? "all countries" : m_filter.country.c_str())) {
        if (ImGui::Selectable("all countries", m_filter.country.empty()))
            m_filter.country.clear();
        for (const auto &[country, counts] : report.byCountry)
            if (ImGui::Selectable(country.c_str(), m_filter.country == country))
                m_filter.country = country;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(150);
    if (ImGui::BeginCombo("##reason", m_filter.reason.empty() ? "any reason" : m_filter.reason.c_str())) {
        if (ImGui::Selectable("any reason", m_filter.reason.empty()))
            m_filter.reason.clear();
        for (const auto &r : m_reasons)
            if (ImGui::Selectable(r.c_str(), m_filter.reason == r))
                m_filter.reason = r;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(160);
    if (ImGui::InputTextWithHint("##search", "name, country, reason", m_text, sizeof m_text))
        m_filter.text = m_text;
    if (m_filter.frontMaxKm > m_filter.frontMinKm) {
        ImGui::SameLine();
        char label[96];
        std::snprintf(label, sizeof label, "%g-%g km from the front  x", m_filter.frontMinKm,
                      m_filter.frontMaxKm);
        if (ImGui::SmallButton(label))
            m_filter.frontMinKm = m_filter.frontMaxKm = 0;
    }
    ImGui::SameLine();
    ImGui::Checkbox("Chart", &m_showChart);
}

void DepositsWindow::drawChart(const MapDocument &doc) {
    const auto *snap = doc.snapshot();
    const model::Thresholds &t = doc.scenario()->thresholds;
    // Bins of 10 km out to twice the widest of the standoff and the rings (at least 100 km).
    const HistogramBins shape = histogramBins(t);
    const double binKm = shape.binKm;
    const int bins = shape.bins;
    if (m_histogramGeneration != doc.reportGeneration() || m_histogram.bins != bins) {
        // Counted with the report on the rules worker, when it came from there for these bins.
        const ReportViews *views = doc.reportViews();
        m_histogram = views && views->histogramBins == shape
                          ? views->histogram
                          : frontDistanceHistogram(doc.report(), snap->measurements, binKm, bins);
        m_histogramGeneration = doc.reportGeneration();
    }
    const DistanceHistogram &h = m_histogram;
    // No title (the axis says what it is): the panel is short, the bars need the height.
    if (!ImPlot::BeginPlot("Deposits by distance to the front", {-1, -1},
                           ImPlotFlags_NoMenus | ImPlotFlags_NoTitle))
        return;
    ImPlot::SetupAxes("km from the front", "deposits", ImPlotAxisFlags_None, ImPlotAxisFlags_AutoFit);
    ImPlot::SetupAxisLimits(ImAxis_X1, 0, bins * binKm, ImPlotCond_Always);
    ImPlot::SetupLegend(ImPlotLocation_East, ImPlotLegendFlags_Outside); // beside: the panel is short
    // Stacked: each verdict's bars are drawn as the running total, tallest first, so the
    // shorter stacks paint over them.
    static const rules::Verdict kOrder[] = {rules::Verdict::NotInvestable, rules::Verdict::Marginal,
                                            rules::Verdict::Investable, rules::Verdict::Unknown};
    std::vector<double> xs(static_cast<std::size_t>(bins));
    std::vector<double> totals[4];
    for (int b = 0; b < bins; ++b)
        xs[std::size_t(b)] = (b + 0.5) * binKm;
    std::vector<double> running(std::size_t(bins), 0.0);
    for (int k = 0; k < 4; ++k) {
        for (int b = 0; b < bins; ++b)
            running[std::size_t(b)] += h.counts[int(kOrder[k])][std::size_t(b)];
        totals[k] = running;
    }
    for (int k = 3; k >= 0; --k) {
        const Rgba c = verdictColour(kOrder[k]);
        ImPlotSpec spec;
        spec.FillColor = ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1);
        spec.LineColor = ImVec4(0, 0, 0, 0.25f);
        ImPlot::PlotBars(verdictLabel(kOrder[k]), xs.data(), totals[k].data(), bins, binKm * 0.9, spec);
    }
    ImPlotSpec standoff;
    standoff.LineColor = ImVec4(0.8f, 0.1f, 0.1f, 1);
    standoff.LineWeight = 2;
    ImPlot::PlotInfLines("standoff", &t.standoffKm, 1, standoff);
    if (!t.ringsKm.empty()) {
        ImPlotSpec rings;
        rings.LineColor = ImVec4(0.3f, 0.3f, 0.3f, 1);
        ImPlot::PlotInfLines("rings", t.ringsKm.data(), int(t.ringsKm.size()), rings);
    }
    // A click on a bar: the table shows that band (a second click on it clears the filter).
    if (ImPlot::IsPlotHovered() && ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
        const double x = ImPlot::GetPlotMousePos().x;
        if (x >= 0 && x < bins * binKm) {
            const double lo = std::floor(x / binKm) * binKm;
            if (m_filter.frontMinKm == lo && m_filter.frontMaxKm == lo + binKm)
                m_filter.frontMinKm = m_filter.frontMaxKm = 0;
            else
                m_filter.frontMinKm = lo, m_filter.frontMaxKm = lo + binKm;
        }
    }
    ImPlot::EndPlot();
    if (h.beyond || h.unmeasured)
        ImGui::SetItemTooltip("%d further than %g km, %d with no distance", h.beyond, bins * binKm,
                              h.unmeasured);
}

void DepositsWindow::filterFrontBand(double minKm, double maxKm) {
    m_filter.frontMinKm = minKm;
    m_filter.frontMaxKm = maxKm;
}

} // namespace orefront::viewer
