#pragma once
// The workspace's default dock layout: Layers and Rules as tabs on the left, the Inspector
// on the right, the Deposits panel at the bottom (the What-if panel a tab behind it) with the
// Timeline beside it, the map in
// the central node. Sizes in pixels of the UI scale, so that at 1280x800 the map keeps at
// least 60 % of the window (the Inspector's node takes space only while it shows a deposit).
#include <imgui.h>

namespace orefront::viewer {

inline constexpr const char *kMapWindow = "Map";
inline constexpr const char *kLayersWindow = "Layers";
inline constexpr const char *kRulesWindow = "Rules";
inline constexpr const char *kInspectorWindow = "Inspector";
inline constexpr const char *kDepositsWindow = "Deposits";
inline constexpr const char *kAnnotationsWindow = "Annotations";

// Replaces whatever layout `dockspace` has with the default one, over `size` (the
// viewport's work area). Returns the central node's id.
ImGuiID buildDefaultLayout(ImGuiID dockspace, ImVec2 size, float uiScale);

// A layout saved (imgui.ini) before some panels existed leaves them floating. Call once, after
// the saved settings are loaded and before the panels' first Begin(): each panel the settings do
// not mention is docked where the default layout puts it, beside the panel it shares a row with
// there (the Timeline right of the Deposits table, the Annotations as a tab beside the Layers).
// Returns false when a panel's neighbour is not in the saved layout either: then reset the layout.
bool dockPanelsMissingFromLayout(ImGuiID dockspace);

} // namespace orefront::viewer
