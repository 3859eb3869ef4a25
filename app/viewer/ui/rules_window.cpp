#include "ui/rules_window.hpp"

#include "orefront/rules/rules.hpp"

#include <imgui.h>

#include <algorithm>

namespace orefront::viewer {

namespace {
void section(const char *text) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", text);
    ImGui::Separator();
}

bool sliderKm(const char *label, double &v, double lo, double hi, const char *fmt = "%.0f km") {
    float f = float(v);
    if (ImGui::SliderFloat(label, &f, float(lo), float(hi), fmt)) {
        v = f;
        return true;
    }
    return false;
}
} // namespace

void RulesWindow::Draw(const char *title, bool *p_open, RuleEdits &edits, bool ringsBuilding) {
    ImGui::SetNextWindowSize({360, 520}, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos({12, 380}, ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(title, p_open)) {
        ImGui::End();
        return;
    }
    auto &t = edits.thresholds;
    ImGui::TextDisabled("Verdicts and colours update as you drag.");
    section("War risk");
    sliderKm("Standoff", t.standoffKm, 0, 200);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("A deposit closer than this to hostile fire is blocked.");

    ImGui::Text("Range rings%s", ringsBuilding ? "  (rebuilding...)" : "");
    for (std::size_t i = 0; i < t.ringsKm.size(); ++i) {
        ImGui::PushID(int(i));
        float f = float(t.ringsKm[i]);
        ImGui::SetNextItemWidth(160);
        if (ImGui::DragFloat("##ring", &f, 0.5f, 1.0f, 500.0f, "%.0f km"))
            t.ringsKm[i] = std::max(1.0f, f);
        ImGui::SameLine();
        if (ImGui::SmallButton("remove") && t.ringsKm.size() > 1) {
            t.ringsKm.erase(t.ringsKm.begin() + long(i));
            ImGui::PopID();
            break;
        }
        ImGui::PopID();
    }
    if (ImGui::SmallButton("add ring"))
        t.ringsKm.push_back(t.ringsKm.empty() ? 20.0 : t.ringsKm.back() * 2);
    ImGui::SameLine();
    ImGui::TextDisabled("20/40/80 km: tube artillery, rockets, guided MLRS");

    section("Geology and economics");
    float grade = float(t.gradeCutoffPct);
    if (ImGui::SliderFloat("Grade cut-off", &grade, 0.0f, 10.0f, "%.2f %% TREO"))
        t.gradeCutoffPct = grade;
    float capex = float(t.capexMusd);
    if (ImGui::InputFloat("Capex (M USD)", &capex, 50.0f, 200.0f, "%.0f"))
        t.capexMusd = std::max(0.0f, capex);
    float price = float(t.basketPriceUsdPerKg);
    if (ImGui::SliderFloat("Basket price", &price, 1.0f, 100.0f, "%.1f USD/kg"))
        t.basketPriceUsdPerKg = price;
    float recovery = float(t.recoveryPct);
    if (ImGui::SliderFloat("Recovery", &recovery, 10.0f, 100.0f, "%.0f %%"))
        t.recoveryPct = recovery;
    float cover = float(t.capexCoverRatio);
    if (ImGui::SliderFloat("Value / capex", &cover, 0.5f, 10.0f, "%.1f x"))
        t.capexCoverRatio = cover;

    section("Logistics");
    sliderKm("Max to port", t.maxPortDistanceKm, 10, 3000);
    sliderKm("Max to rail", t.maxRailDistanceKm, 5, 1000);
    sliderKm("Max to power", t.maxPowerDistanceKm, 5, 1000);
    // A measurement input, not a rule: a change measures the scenario again (seconds, not a
    // frame), so it applies on Enter or a step, not per keystroke.
    double contact = t.lineOfContactKm;
    ImGui::SetNextItemWidth(ImGui::CalcItemWidth());
    if (ImGui::InputDouble("Line of contact", &contact, 0.5, 2.0, "%.1f km",
                           ImGuiInputTextFlags_EnterReturnsTrue))
        t.lineOfContactKm = std::clamp(contact, 0.0, 100.0);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Infrastructure this close to hostile territory or a front line cannot serve a "
                          "deposit.\nA change measures the scenario again.");

    section("Severity of each rule");
    static const char *kNames[] = {"block", "marginal", "info", "off"};
    for (const auto &[rule, def] : rules::ruleCatalogue()) {
        auto it = edits.severities.find(rule);
        int current = int(it == edits.severities.end() ? def : it->second);
        ImGui::SetNextItemWidth(110);
        if (ImGui::Combo(rule.c_str(), &current, kNames, 4))
            edits.severities[rule] = model::Severity(current);
    }
    ImGui::End();
}

} // namespace orefront::viewer
