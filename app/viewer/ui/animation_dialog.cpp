#include "ui/animation_dialog.hpp"

#include <imgui.h>

#include <cstdio>
#include <filesystem>
#include <iterator>

namespace orefront::viewer {

namespace {

constexpr const char *kSteps[] = {"snapshots", "1d", "7d", "1m"};
constexpr const char *kTitle = "Export animation";

} // namespace

void AnimationDialog::open(model::Date first, model::Date last, const std::string &directory) {
    std::snprintf(m_from, sizeof m_from, "%s", first.iso().c_str());
    std::snprintf(m_to, sizeof m_to, "%s", last.iso().c_str());
    if (!*m_path)
        std::snprintf(m_path, sizeof m_path, "%s",
                      (std::filesystem::path(directory) / "orefront-animation.gif").string().c_str());
    m_openRequested = true;
}

std::optional<AnimationExportRequest> AnimationDialog::Draw() {
    if (std::exchange(m_openRequested, false))
        ImGui::OpenPopup(kTitle);
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, {0.5f, 0.5f});
    if (!ImGui::BeginPopupModal(kTitle, nullptr, ImGuiWindowFlags_AlwaysAutoResize))
        return std::nullopt;
    const float field = ImGui::GetFontSize() * 8;
    ImGui::SetNextItemWidth(field);
    ImGui::InputText("From", m_from, sizeof m_from);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field);
    ImGui::InputText("To", m_to, sizeof m_to);
    ImGui::SetNextItemWidth(field);
    ImGui::Combo("Step", &m_step, kSteps, int(std::size(kSteps)));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field);
    ImGui::SliderFloat("Frames/s", &m_fps, 1, 25, "%.0f");
    // The format follows the path's extension; choosing one rewrites it.
    if (ImGui::RadioButton("GIF", &m_format, 0) |
        (ImGui::SameLine(), ImGui::RadioButton("MP4", &m_format, 1))) {
        std::filesystem::path p(m_path);
        p.replace_extension(m_format == 0 ? ".gif" : ".mp4");
        std::snprintf(m_path, sizeof m_path, "%s", p.string().c_str());
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field);
    ImGui::InputInt2("Size (px)", m_size);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 30);
    ImGui::InputText("Path", m_path, sizeof m_path);
    std::optional<AnimationExportRequest> out;
    if (ImGui::Button("Export", {100, 0})) {
        AnimationExportRequest r;
        r.path = m_path;
        r.range.from = m_from;
        r.range.to = m_to;
        r.range.step = kSteps[m_step];
        r.range.fps = m_fps;
        r.width = m_size[0];
        r.height = m_size[1];
        out = r;
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", {100, 0}))
        ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
    return out;
}

} // namespace orefront::viewer
