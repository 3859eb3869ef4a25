#include "dock_layout.hpp"

#include "ui/timeline_window.hpp"
#include "ui/whatif_window.hpp"

#include <imgui_internal.h>

#include <algorithm>
#include <tuple>

namespace orefront::viewer {

ImGuiID buildDefaultLayout(ImGuiID dockspace, ImVec2 size, float uiScale) {
    ImGui::DockBuilderRemoveNode(dockspace);
    ImGui::DockBuilderAddNode(dockspace, ImGuiDockNodeFlags_DockSpace);
    ImGui::DockBuilderSetNodeSize(dockspace, size);
    // Panel widths: a fifth of the window, within what their controls need.
    const float side = std::clamp(size.x * 0.2f, 250.0f * uiScale, 360.0f * uiScale);
    const float bottom = std::clamp(size.y * 0.2f, 150.0f * uiScale, 280.0f * uiScale);
    ImGuiID centre = dockspace;
    const ImGuiID left = ImGui::DockBuilderSplitNode(centre, ImGuiDir_Left, side / size.x, nullptr, &centre);
    const ImGuiID right =
        ImGui::DockBuilderSplitNode(centre, ImGuiDir_Right, side / (size.x - side), nullptr, &centre);
    ImGuiID down = ImGui::DockBuilderSplitNode(centre, ImGuiDir_Down, bottom / size.y, nullptr, &centre);
    ImGui::DockBuilderDockWindow(kLayersWindow, left);
    ImGui::DockBuilderDockWindow(kRulesWindow, left);
    ImGui::DockBuilderDockWindow(kAnnotationsWindow, left);
    ImGui::DockBuilderDockWindow(kInspectorWindow, right);
    // The Timeline beside the Deposits table: 40 % of the bottom row, for its controls and chart.
    const ImGuiID timeline = ImGui::DockBuilderSplitNode(down, ImGuiDir_Right, 0.4f, nullptr, &down);
    ImGui::DockBuilderDockWindow(kDepositsWindow, down);
    ImGui::DockBuilderDockWindow(kWhatIfWindow, down); // a tab behind the table: its flips are a table too
    ImGui::DockBuilderDockWindow(kTimelineWindow, timeline);
    ImGui::DockBuilderDockWindow(kMapWindow, centre);
    ImGui::DockBuilderFinish(dockspace);
    return centre;
}

bool dockPanelsMissingFromLayout(ImGuiID dockspace) {
    const auto dockOf = [](const char *window) -> ImGuiID {
        const ImGuiWindowSettings *s = ImGui::FindWindowSettingsByID(ImHashStr(window));
        return s && s->DockId && ImGui::DockBuilderGetNode(s->DockId) ? s->DockId : 0;
    };
    const auto missing = [](const char *window) {
        return !ImGui::FindWindowSettingsByID(ImHashStr(window)) && !ImGui::FindWindowByName(window);
    };
    bool changed = false;
    for (const char *panel : {kLayersWindow, kRulesWindow, kAnnotationsWindow}) {
        if (!missing(panel))
            continue;
        ImGuiID node = 0;
        for (const char *beside : {kLayersWindow, kRulesWindow, kAnnotationsWindow})
            if (!node && beside != panel)
                node = dockOf(beside);
        if (!node)
            return false;
        ImGui::DockBuilderDockWindow(panel, node); // a tab beside them
        changed = true;
    }
    for (const auto &[panel, beside, dir] : {std::tuple{kTimelineWindow, kDepositsWindow, ImGuiDir_Right},
                                             std::tuple{kDepositsWindow, kTimelineWindow, ImGuiDir_Left}}) {
        if (!missing(panel))
            continue;
        ImGuiID node = dockOf(beside);
        if (!node)
            return false;
        // Its own node beside the other's, as in the default layout (40 % for the Timeline).
        const ImGuiID own =
            ImGui::DockBuilderSplitNode(node, dir, dir == ImGuiDir_Right ? 0.4f : 0.6f, nullptr, &node);
        ImGui::DockBuilderDockWindow(panel, own);
        changed = true;
    }
    if (missing(kWhatIfWindow)) {
        const ImGuiID node = dockOf(kDepositsWindow);
        if (!node)
            return false;
        ImGui::DockBuilderDockWindow(kWhatIfWindow, node); // a tab behind the Deposits table
        changed = true;
    }
    if (changed)
        ImGui::DockBuilderFinish(dockspace);
    return true;
}

} // namespace orefront::viewer
