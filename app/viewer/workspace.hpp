#pragma once
// The viewer as a workspace, outside any one window: where its files live (imgui.ini and the
// recent scenarios, under the user's config directory), the role a dropped file is guessed
// to play, and the keyboard shortcuts (one table: handled in ViewerApp, listed under
// Help > Keyboard). GL-free; tested in tests/viewer/workspace_test.cpp.
#include "orefront/model/layer.hpp"

#include <imgui.h>

#include <string>
#include <vector>

namespace orefront::viewer {

// The viewer's look at `scale` (the monitor's content scale, 2 on HiDPI): light style with
// every size scaled, and the UI font at 15 px x scale. ImGui 1.92 rasterises glyphs at the
// size they are drawn, so text is crisp at 2x, not a magnified bitmap. ImGui context current.
void setupUiStyle(float scale);

// $XDG_CONFIG_HOME/orefront, else $HOME/.config/orefront; created if missing. Empty when
// neither variable is set or the directory cannot be made (nothing is persisted then).
std::string configDirectory();

// Recently opened scenarios, most recent first, kept in `<configDir>/recent_scenarios.txt`
// (one path a line). add() moves a path to the front, keeps at most kMax and saves.
class RecentScenarios {
public:
    static constexpr std::size_t kMax = 8;
    explicit RecentScenarios(std::string file = {});
    void add(const std::string &path);
    const std::vector<std::string> &paths() const { return m_paths; }

private:
    std::string m_file;
    std::vector<std::string> m_paths;
};

// What a layer's features are, for guessing its role.
enum class GeometryKind { Points, Lines, Polygons, Mixed, Empty };
GeometryKind geometryKindOf(const model::Layer &layer);

// The role a file probably plays from its name and geometry: polygons named like
// occupied/deepstate/hostile/control -> hostile; lines named like front/contact -> front;
// points named like port -> ports, rail/station -> rail, power/plant -> power,
// deposit/mine/ree -> deposits; borders, countries, coastlines -> basemap; else other.
model::LayerRole guessRole(const std::string &fileName, GeometryKind kind);

enum class Action {
    OpenScenario,
    AddLayer,
    SaveScenarioAs,
    ExportPng,
    ExportReport,
    Find,
    Fit,
    ClearSelection,
    ResetLayout,
    KeyboardHelp,
    Quit,
    Undo,
    Redo,
    DeleteAnnotation,
    FinishDrawing,
};
struct Shortcut {
    Action action;
    ImGuiKeyChord chord;
    const char *keys;        // as shown in menus and Help > Keyboard
    const char *description; // what it does
};
// Every shortcut the viewer's code handles, in the order Help > Keyboard lists them.
const std::vector<Shortcut> &shortcuts();
const char *shortcutKeys(Action action); // "" for none
// Keys handled by the map itself (not chords), for Help > Keyboard.
struct MapKey {
    const char *keys;
    const char *description;
};
const std::vector<MapKey> &mapKeys();

} // namespace orefront::viewer
