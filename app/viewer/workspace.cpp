#include "workspace.hpp"

#include "map_image.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <unistd.h>

namespace orefront::viewer {

namespace fs = std::filesystem;

void setupUiStyle(float scale) {
    ImGui::StyleColorsLight();
    ImGuiStyle &style = ImGui::GetStyle();
    style.ScaleAllSizes(scale);
    style.FontScaleDpi = scale;
    loadMapFont(ImGui::GetIO().Fonts, 15.0f);
}

std::string configDirectory() {
    fs::path dir;
    if (const char *xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg)
        dir = fs::path(xdg) / "orefront";
    else if (const char *home = std::getenv("HOME"); home && *home)
        dir = fs::path(home) / ".config" / "orefront";
    else
        return {};
    std::error_code ec;
    fs::create_directories(dir, ec);
    return fs::is_directory(dir, ec) ? dir.string() : std::string{};
}

RecentScenarios::RecentScenarios(std::string file) : m_file(std::move(file)) {
    if (m_file.empty())
        return;
    std::ifstream in(m_file);
    for (std::string line; std::getline(in, line) && m_paths.size() < kMax;)
        if (!line.empty())
            m_paths.push_back(line);
}

void RecentScenarios::add(const std::string &path) {
    std::error_code ec;
    const std::string abs = fs::absolute(path, ec).lexically_normal().string();
    std::erase(m_paths, abs);
    m_paths.insert(m_paths.begin(), abs);
    if (m_paths.size() > kMax)
        m_paths.resize(kMax);
    if (m_file.empty())
        return;
    // Written whole to a temporary file, then renamed: two viewers never leave half a list.
    const std::string tmp = m_file + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::trunc);
        for (const auto &p : m_paths)
            out << p << "\n";
        if (!out)
            return fs::remove(tmp, ec), void();
    }
    fs::rename(tmp, m_file, ec);
}

GeometryKind geometryKindOf(const model::Layer &layer) {
    bool points = false, lines = false, polygons = false;
    for (const auto &f : layer.features) {
        points = points || !f.geometry.points.empty();
        lines = lines || !f.geometry.lines.empty();
        polygons = polygons || !f.geometry.polygons.empty();
    }
    const int n = int(points) + int(lines) + int(polygons);
    if (n == 0)
        return GeometryKind::Empty;
    if (n > 1)
        return GeometryKind::Mixed;
    return points ? GeometryKind::Points : lines ? GeometryKind::Lines : GeometryKind::Polygons;
}

model::LayerRole guessRole(const std::string &fileName, GeometryKind kind) {
    std::string n = fs::path(fileName.substr(0, fileName.find('|'))).filename().string();
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return char(std::tolower(c)); });
    const auto has = [&](std::initializer_list<const char *> words) {
        return std::any_of(words.begin(), words.end(), [&](const char *w) { return n.find(w) != n.npos; });
    };
    using R = model::LayerRole;
    const bool areas = kind == GeometryKind::Polygons || kind == GeometryKind::Mixed;
    const bool lines = kind == GeometryKind::Lines || kind == GeometryKind::Mixed;
    const bool points = kind == GeometryKind::Points || kind == GeometryKind::Mixed;
    if (areas && has({"occupied", "deepstate", "hostile", "control", "russia"}))
        return R::Hostile;
    if (lines && has({"front", "contact", "deepstate", "border"}) && !has({"coast"}))
        return has({"border"}) && !has({"russia"}) ? R::Basemap : R::Front;
    if (points && has({"deposit", "mine", "ree", "mrds", "occurrence"}))
        return R::Deposits;
    if (points && has({"port", "harbour", "harbor"}))
        return R::Ports;
    if ((points || lines) && has({"rail", "station"}))
        return R::Rail;
    if (points && has({"power", "plant", "npp"}))
        return R::Power;
    if (has({"countr", "border", "coast", "admin", "ne_", "basemap", "world"}))
        return R::Basemap;
    return R::Other;
}

const std::vector<Shortcut> &shortcuts() {
    static const std::vector<Shortcut> table = {
        {Action::OpenScenario, ImGuiMod_Ctrl | ImGuiKey_O, "Ctrl+O", "Open a scenario"},
        {Action::AddLayer, ImGuiMod_Ctrl | ImGuiKey_L, "Ctrl+L", "Add a layer from a file"},
        {Action::SaveScenarioAs, ImGuiMod_Ctrl | ImGuiMod_Shift | ImGuiKey_S, "Ctrl+Shift+S",
         "Save the scenario, with the edited rules, as TOML"},
        {Action::ExportPng, ImGuiMod_Ctrl | ImGuiKey_E, "Ctrl+E", "Export the map view as PNG"},
        {Action::ExportReport, ImGuiMod_Ctrl | ImGuiMod_Shift | ImGuiKey_E, "Ctrl+Shift+E",
         "Export the report (GeoJSON, CSV or GeoPackage)"},
        {Action::Find, ImGuiMod_Ctrl | ImGuiKey_F, "Ctrl+F", "Find a deposit by name"},
        {Action::Fit, ImGuiKey_Home, "Home", "Fit the theatre"},
        {Action::ClearSelection, ImGuiKey_Escape, "Esc", "Clear the selection"},
        {Action::ResetLayout, ImGuiMod_Ctrl | ImGuiMod_Shift | ImGuiKey_R, "Ctrl+Shift+R",
         "Reset the window layout"},
        {Action::KeyboardHelp, ImGuiKey_F1, "F1", "This list"},
        {Action::Quit, ImGuiMod_Ctrl | ImGuiKey_Q, "Ctrl+Q", "Quit"},
        {Action::Undo, ImGuiMod_Ctrl | ImGuiKey_Z, "Ctrl+Z", "Undo the last annotation edit"},
        {Action::Redo, ImGuiMod_Ctrl | ImGuiKey_Y, "Ctrl+Y", "Redo"},
        {Action::Redo, ImGuiMod_Ctrl | ImGuiMod_Shift | ImGuiKey_Z, "Ctrl+Shift+Z", "Redo"},
        {Action::DeleteAnnotation, ImGuiKey_Delete, "Del", "Delete the selected annotation"},
        {Action::FinishDrawing, ImGuiKey_Enter, "Enter", "Finish the line or area being drawn"},
    };
    return table;
}

const char *shortcutKeys(Action action) {
    for (const auto &s : shortcuts())
        if (s.action == action)
            return s.keys;
    return "";
}

const std::vector<MapKey> &mapKeys() {
    static const std::vector<MapKey> keys = {
        {"Drag", "Pan the map"},
        {"Wheel", "Zoom around the cursor"},
        {"+ / -", "Zoom in / out (map focused)"},
        {"F", "Fit the theatre (map focused)"},
        {"Click", "Select the deposit or annotation under the cursor"},
        {"Drag an annotation", "Move it; drag a square handle to move one vertex"},
        {"Shift (drawing, dragging)", "Snap to deposits and annotation vertices"},
        {"Double-click", "Finish the line or area being drawn"},
    };
    return keys;
}

} // namespace orefront::viewer
