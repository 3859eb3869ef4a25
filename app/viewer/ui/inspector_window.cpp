#include "ui/inspector_window.hpp"

#include <imgui.h>

#include <cstdio>

namespace orefront::viewer {

void InspectorWindow::drawNote(AnnotationDocument &notes, const std::string &deposit,
                               const std::string &author) {
    const model::DepositNote *n = notes.noteFor(deposit);
    // Reloaded when another deposit is selected, or the note changed elsewhere (undo, reload),
    // unless it is being typed in.
    const std::string stored = n ? n->text : std::string{};
    if (m_noteFor != deposit || (!m_typing && stored != m_note)) {
        m_noteFor = deposit;
        std::snprintf(m_note, sizeof m_note, "%s", stored.c_str());
    }
    ImGui::TextDisabled("Note");
    if (n)
        ImGui::SameLine(), ImGui::TextDisabled("(%s, %s)", n->author.c_str(), n->modifiedUtc.c_str());
    ImGui::InputTextMultiline("##note", m_note, sizeof m_note, {-1, ImGui::GetTextLineHeight() * 4});
    m_typing = ImGui::IsItemActive();
    if (ImGui::IsItemDeactivatedAfterEdit() && stored != m_note)
        notes.setNote(deposit, m_note, author);
}

void InspectorWindow::Draw(const char *title, bool *p_open, const MapDocument &doc, int selected,
                           AnnotationDocument *notes, const std::string &author) {
    ImGui::SetNextWindowSize({380, 420}, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos({890, 380}, ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(title, p_open)) {
        ImGui::End();
        return;
    }
    const auto *snap = doc.snapshot();
    if (!snap || selected < 0 || std::size_t(selected) >= doc.report().deposits.size()) {
        ImGui::TextDisabled("Click a deposit on the map or in the table.");
        ImGui::End();
        return;
    }
    const rules::DepositVerdict d = doc.details(selected);
    const Rgba c = verdictColour(d.verdict);
    ImGui::Text("%s", d.name.c_str());
    ImGui::SameLine();
    ImGui::TextColored(ImVec4(c.r / 255.f, c.g / 255.f, c.b / 255.f, 1), "%s", verdictLabel(d.verdict));
    const auto &m = snap->measurements.perDeposit[std::size_t(selected)];
    if (m.frontDistanceKm)
        ImGui::Text("%.1f km from hostile positions%s%s", *m.frontDistanceKm, m.occupied ? " (occupied)" : "",
                    m.contested ? " (contested)" : "");

    if (notes) {
        ImGui::Spacing();
        drawNote(*notes, d.name, author);
    }

    ImGui::Spacing();
    ImGui::TextDisabled("Rules");
    if (ImGui::BeginTable("rules", 3, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 40);
        ImGui::TableSetupColumn("Rule");
        ImGui::TableSetupColumn("Detail", ImGuiTableColumnFlags_WidthStretch);
        for (const auto &o : d.outcomes) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            if (!o.evaluated)
                ImGui::TextDisabled("n/a");
            else if (o.fired)
                ImGui::TextColored({0.84f, 0.37f, 0.0f, 1.0f}, "FAIL");
            else
                ImGui::TextColored({0.0f, 0.62f, 0.45f, 1.0f}, "pass");
            ImGui::TableNextColumn();
            ImGui::Text("%s", o.rule.c_str());
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%s (%s)", o.code.c_str(), model::severityName(o.severity));
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", o.detail.c_str());
        }
        ImGui::EndTable();
    }

    ImGui::Spacing();
    ImGui::TextDisabled("Attributes");
    const auto &layer = *snap->project->layers[std::size_t(snap->depositsLayer)];
    const auto &f = layer.features[std::size_t(selected)];
    if (ImGui::BeginTable("attrs", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV)) {
        for (std::size_t i = 0; i < layer.fields.size() && i < f.attributes.size(); ++i) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(layer.fields[i].name.c_str());
            ImGui::TableNextColumn();
            ImGui::TextWrapped("%s", model::toString(f.attributes[i]).c_str());
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

} // namespace orefront::viewer
