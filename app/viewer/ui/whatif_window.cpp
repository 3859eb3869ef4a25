#include "ui/whatif_window.hpp"

#include "render/style.hpp"

#include "orefront/analysis/whatif.hpp"

#include <imgui.h>

namespace orefront::viewer {

namespace {

void verdictText(rules::Verdict v) {
    const Rgba c = verdictColour(v);
    ImGui::TextColored(ImColor(c.r, c.g, c.b), "%s", verdictLabel(v));
}

} // namespace

void WhatIfWindow::Draw(const char *title, bool *p_open) {
    // Not focused when it first appears: it is a tab behind the Deposits table, which stays in front.
    if (!ImGui::Begin(title, p_open, ImGuiWindowFlags_NoFocusOnAppearing)) {
        ImGui::End();
        return;
    }
    if (whatifs.empty()) {
        ImGui::TextWrapped("This scenario has no what-if fronts. Add a [[whatif]] table to the scenario file "
                           "(shift_km = -20, or front = \"line.geojson\"), or draw a Hypothetical front "
                           "annotation.");
        ImGui::End();
        return;
    }
    // A combo rather than a list: the bottom row is short, and the flips table needs the room.
    const auto label = [](const model::WhatIf &w) { return w.name + ": " + analysis::describeWhatIf(w); };
    std::string preview = "(none: the real front)";
    for (const auto &w : whatifs)
        if (w.name == chosen)
            preview = label(w);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("What-if");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1);
    if (ImGui::BeginCombo("##whatif", preview.c_str())) {
        if (ImGui::Selectable("(none: the real front)", chosen.empty()))
            askChoose = std::string();
        for (std::size_t i = 0; i < whatifs.size(); ++i) {
            const auto &w = whatifs[i];
            ImGui::PushID(int(i));
            if (ImGui::Selectable(label(w).c_str(), w.name == chosen))
                askChoose = w.name;
            if (!w.description.empty())
                ImGui::SetItemTooltip("%s", w.description.c_str());
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    if (!message.empty())
        ImGui::TextColored({0.85f, 0.3f, 0.2f, 1}, "%s", message.c_str());
    if (chosen.empty()) {
        ImGui::TextDisabled(
            "Choose one: its front is drawn dashed on the map, and the verdicts it flips listed.");
        ImGui::End();
        return;
    }
    if (computing || !view || view->whatif.name != chosen) {
        ImGui::TextDisabled("Judging '%s'...", chosen.c_str());
        ImGui::End();
        return;
    }
    ImGui::Text("'%s' (%s): %zu of %zu verdicts change", chosen.c_str(), view->description.c_str(),
                view->flips.size(), view->deposits);
    for (const auto &w : view->warnings)
        ImGui::TextColored({0.75f, 0.5f, 0.1f, 1}, "%s", w.c_str());
    if (view->flips.empty() ||
        !ImGui::BeginTable("##flips", 3,
                           ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_Resizable,
                           {-1, -1})) {
        ImGui::End();
        return;
    }
    ImGui::TableSetupColumn("Deposit", ImGuiTableColumnFlags_WidthStretch, 1.0f);
    ImGui::TableSetupColumn("Real -> what-if", ImGuiTableColumnFlags_WidthStretch, 1.2f);
    ImGui::TableSetupColumn("Why", ImGuiTableColumnFlags_WidthStretch, 1.6f);
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableHeadersRow();
    ImGuiListClipper clipper;
    clipper.Begin(int(view->flips.size()));
    while (clipper.Step())
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const WhatIfFlip &f = view->flips[std::size_t(row)];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(row);
            if (ImGui::Selectable(f.name.empty() ? "(unnamed)" : f.name.c_str(), false,
                                  ImGuiSelectableFlags_SpanAllColumns))
                askSelect = f.deposit;
            ImGui::PopID();
            ImGui::TableNextColumn();
            verdictText(f.real);
            ImGui::SameLine(0, 4);
            ImGui::TextUnformatted("->");
            ImGui::SameLine(0, 4);
            verdictText(f.whatif);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(f.reason.c_str());
        }
    ImGui::EndTable();
    ImGui::End();
}

} // namespace orefront::viewer
