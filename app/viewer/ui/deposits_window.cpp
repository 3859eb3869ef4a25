#include "ui/deposits_window.hpp"

#include <imgui.h>

#include <cstdio>

namespace orefront::viewer {

void DepositsWindow::Draw(const char *title, bool *p_open, const MapDocument &doc, int &selected,
                          const std::function<void(int)> &flyTo) {
    ImGui::SetNextWindowSize({560, 340}, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos({12, 440}, ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(title, p_open)) {
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

    for (auto v : {rules::Verdict::Investable, rules::Verdict::Marginal, rules::Verdict::NotInvestable,
                   rules::Verdict::Unknown}) {
        const Rgba c = verdictColour(v);
        ImGui::PushStyleColor(ImGuiCol_CheckMark, IM_COL32(c.r, c.g, c.b, 255));
        ImGui::Checkbox(verdictLabel(v), &m_filter.verdicts[int(v)]);
        ImGui::PopStyleColor();
        ImGui::SameLine();
    }
    ImGui::NewLine();
    ImGui::SetNextItemWidth(110);
    if (ImGui::BeginCombo("Country", m_filter.country.empty() ? "all" : m_filter.country.c_str())) {
        if (ImGui::Selectable("all", m_filter.country.empty()))
            m_filter.country.clear();
        for (const auto &[country, counts] : report.byCountry)
            if (ImGui::Selectable(country.c_str(), m_filter.country == country))
                m_filter.country = country;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(200);
    if (ImGui::InputTextWithHint("##search", "search name, country, reason", m_text, sizeof m_text))
        m_filter.text = m_text;

    const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_Resizable;
    if (ImGui::BeginTable("deposits", 7, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("Name", ImGuiTableColumnFlags_WidthStretch, 0, int(DepositColumn::Name));
        ImGui::TableSetupColumn("Country", 0, 0, int(DepositColumn::Country));
        ImGui::TableSetupColumn("Verdict", ImGuiTableColumnFlags_DefaultSort, 0, int(DepositColumn::Verdict));
        ImGui::TableSetupColumn("Grade %", 0, 0, int(DepositColumn::Grade));
        ImGui::TableSetupColumn("Mt", 0, 0, int(DepositColumn::Tonnage));
        ImGui::TableSetupColumn("Front km", 0, 0, int(DepositColumn::FrontKm));
        ImGui::TableSetupColumn("Ring", 0, 0, int(DepositColumn::Ring));
        ImGui::TableHeadersRow();
        if (ImGuiTableSortSpecs *specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
            m_sort.column = DepositColumn(specs->Specs[0].ColumnUserID);
            m_sort.ascending = specs->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
        }
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
            }
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

} // namespace orefront::viewer
