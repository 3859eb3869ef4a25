#include "ui/layers_window.hpp"

#include "ui/layer_label_controls.hpp"

#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <utility>

namespace orefront::viewer {

std::string loadingText(const LoadingJob &job) {
    // Thousands grouped with commas: "100,000" reads at a glance, "100000" does not.
    const auto grouped = [](std::uint64_t n) {
        std::string s = std::to_string(n);
        for (int i = int(s.size()) - 3; i > 0; i -= 3)
            s.insert(std::size_t(i), ",");
        return s;
    };
    std::string text = "loading " + job.label;
    if (!job.stage.empty())
        text += ": " + job.stage;
    if (job.total > 0)
        text += " " + grouped(job.done) + " of " + grouped(job.total);
    else if (job.done > 0)
        text += " " + grouped(job.done);
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, " (%.1f s)", job.seconds);
    return text + seconds;
}

namespace {
constexpr model::LayerRole kRoles[] = {
    model::LayerRole::Other, model::LayerRole::Hostile, model::LayerRole::Front,  model::LayerRole::Ports,
    model::LayerRole::Rail,  model::LayerRole::Power,   model::LayerRole::Basemap};
constexpr const char *kRoleNames[] = {"other", "hostile", "front", "ports", "rail", "power", "basemap"};
} // namespace

void LayersWindow::Draw(const char *title, bool *p_open, MapDocument &doc, LabelSettings &labels,
                        const std::vector<LoadingJob> &loading,
                        const std::function<void(const std::string &, model::LayerRole)> &onAdd) {
    ImGui::SetNextWindowSize({360, 330}, ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowPos({12, 40}, ImGuiCond_FirstUseEver);
    if (!ImGui::Begin(title, p_open)) {
        ImGui::End();
        return;
    }
    auto &layers = doc.layers();
    int moveFrom = -1, moveTo = -1;
    // Top of the list is drawn last (on top), as in every GIS.
    for (int i = int(layers.size()) - 1; i >= 0; --i) {
        MapLayer &l = layers[std::size_t(i)];
        ImGui::PushID(i);
        ImGui::Checkbox("##visible", &l.visible);
        ImGui::SameLine();
        float c[4] = {l.colour.r / 255.f, l.colour.g / 255.f, l.colour.b / 255.f, l.colour.a / 255.f};
        if (ImGui::ColorEdit4("##colour", c,
                              ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_AlphaPreviewHalf))
            l.colour = {std::uint8_t(c[0] * 255), std::uint8_t(c[1] * 255), std::uint8_t(c[2] * 255),
                        std::uint8_t(c[3] * 255)};
        ImGui::SameLine();
        if (ImGui::ArrowButton("##up", ImGuiDir_Up) && i + 1 < int(layers.size())) {
            moveFrom = i;
            moveTo = i + 1;
        }
        ImGui::SameLine();
        if (ImGui::ArrowButton("##down", ImGuiDir_Down) && i > 0) {
            moveFrom = i;
            moveTo = i - 1;
        }
        ImGui::SameLine();
        ImGui::Text("%s", l.name.c_str());
        ImGui::SameLine();
        ImGui::TextDisabled("(%s, %zu)", model::roleName(l.role), l.layer ? l.layer->features.size() : 0);
        ImGui::SetNextItemWidth(150);
        ImGui::Indent(28);
        ImGui::SliderFloat("opacity", &l.opacity, 0.0f, 1.0f, "%.2f");
        drawLayerLabelControls(l, labels);
        ImGui::Unindent(28);
        ImGui::PopID();
    }
    if (moveFrom >= 0)
        std::swap(layers[std::size_t(moveFrom)], layers[std::size_t(moveTo)]);

    ImGui::Separator();
    ImGui::TextDisabled("Add a layer (any GDAL source: file, PG:, |layername=)");
    ImGui::SetNextItemWidth(-90);
    const bool enter = ImGui::InputTextWithHint("##path", "path/to/layer.gpkg", m_path, sizeof m_path,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80);
    ImGui::Combo("##role", &m_role, kRoleNames, int(std::size(kRoleNames)));
    if ((ImGui::Button("Add layer") || enter) && m_path[0])
        onAdd(m_path, kRoles[m_role]);
    for (const auto &job : loading) {
        // A stage of unknown size (or a job with no counters) sweeps while the worker runs.
        const float f = job.fraction >= 0 ? float(job.fraction) : float(std::fmod(job.seconds, 1.5) / 1.5);
        ImGui::ProgressBar(f, {-1, 0}, loadingText(job).c_str());
    }
    if (!m_lastError.empty())
        ImGui::TextColored({0.84f, 0.37f, 0.0f, 1.0f}, "%s", m_lastError.c_str());
    ImGui::End();
}

} // namespace orefront::viewer
