#include "ui/layer_label_controls.hpp"

#include <imgui.h>

namespace orefront::viewer {

void drawLayerLabelControls(const MapLayer &layer, LabelSettings &settings) {
    if (!labelledRole(layer.role) || !layer.layer)
        return;
    LayerLabels labels = labelsFor(settings, layer);
    bool changed = ImGui::Checkbox("labels", &labels.on);
    ImGui::SameLine();
    // Deposits: the empty field is the scenario's name field; other layers: a guessed one.
    const bool deposits = layer.role == model::LayerRole::Deposits;
    const std::string fallback = deposits ? std::string("(deposit name)") : defaultLabelField(layer);
    const std::string shown = labels.field.empty() ? fallback : labels.field;
    ImGui::SetNextItemWidth(150);
    if (ImGui::BeginCombo("label field", shown.c_str())) {
        if (deposits && ImGui::Selectable("(deposit name)", labels.field.empty())) {
            labels.field.clear();
            changed = true;
        }
        for (const auto &f : layer.layer->fields) {
            if (ImGui::Selectable(f.name.c_str(), shown == f.name)) {
                labels.field = f.name;
                changed = true;
            }
        }
        ImGui::EndCombo();
    }
    if (changed)
        settings[layer.id] = labels;
}

} // namespace orefront::viewer
