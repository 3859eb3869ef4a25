// The viewer as a docked workspace (issue 8), on a headless context: the default layout at
// first start, dropped files (a bad one changes nothing), Save scenario as... round-tripped
// through the real `orefront analyze`, the search box, the chart's filter and HiDPI fonts.
#include "dock_layout.hpp"
#include "render/headless_gl.hpp"
#include "ui_frames.hpp"
#include "viewer_app.hpp"
#include "workspace.hpp"

#include "orefront/io/scenario_io.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <unistd.h>

using namespace orefront;
using namespace orefront::viewer;
namespace fs = std::filesystem;

namespace {

std::string readText(const fs::path &p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// A report's text without its "source" members: the provenance names each layer's source as
// written in the scenario, which differs between a scenario and its copy elsewhere.
std::string withoutSources(const std::string &text) {
    static const std::regex source(R"re("source": "(\\.|[^"\\])*")re");
    return std::regex_replace(text, source, "\"source\": \"\"");
}

struct Workspace {
    HeadlessGl gl;
    ImGuiContext *context = nullptr;
    std::unique_ptr<ViewerApp> app;
    fs::path tmp;

    explicit Workspace(ImVec2 size = {1280, 800}, float scale = 1.0f) {
        io::initGdal();
        context = ImGui::CreateContext();
        ImGuiIO &io = ImGui::GetIO();
        io.IniFilename = nullptr; // a first start: no saved layout
        io.ConfigFlags |= ImGuiConfigFlags_DockingEnable;
        io.DisplaySize = size;
        setupUiStyle(scale);
        ImGui_ImplOpenGL3_Init("#version 330 core");
        tmp = fs::temp_directory_path() / ("orefront-workspace-" + std::to_string(::getpid()));
        fs::create_directories(tmp);
        app = std::make_unique<ViewerApp>(
            ViewerApp::Options{OREFRONT_GEODATA_DIR "/scenario.toml", "", 2, tmp.string()});
    }
    ~Workspace() {
        app.reset();
        ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(context);
        std::error_code ec;
        fs::remove_all(tmp, ec);
    }
    void frame() { test::drawUiFrame(*app); }
    bool settle(double seconds = 120) { return test::settleUi(*app, seconds); }
};

ImRect windowRect(const char *name) {
    const ImGuiWindow *w = ImGui::FindWindowByName(name);
    return w && w->Active ? w->Rect() : ImRect();
}

bool overlaps(const ImRect &a, const ImRect &b) {
    // Shared edges (docked neighbours) are not an overlap.
    return a.Min.x + 1 < b.Max.x && b.Min.x + 1 < a.Max.x && a.Min.y + 1 < b.Max.y && b.Min.y + 1 < a.Max.y;
}

void checkFirstStartLayout(ImVec2 size) {
    Workspace w(size);
    REQUIRE(w.settle());
    w.frame();
    w.frame();
    const ImGuiDockNode *central = ImGui::DockBuilderGetCentralNode(w.app->dockspaceId());
    REQUIRE(central);
    const double share = double(central->Size.x) * central->Size.y / (double(size.x) * size.y);
    INFO("window " << size.x << "x" << size.y << ": map node " << central->Size.x << "x" << central->Size.y);
    CHECK(share >= 0.60);
    // The map window is the central node; every panel is docked beside it, none over it.
    const ImRect map = windowRect(kMapWindow);
    CHECK(map.GetWidth() == Approx(central->Size.x));
    CHECK(map.GetHeight() == Approx(central->Size.y));
    for (const char *panel : {kLayersWindow, kRulesWindow, kDepositsWindow}) {
        const ImGuiWindow *p = ImGui::FindWindowByName(panel);
        INFO(panel);
        REQUIRE(p);
        CHECK(p->DockIsActive);
        CHECK_FALSE(overlaps(windowRect(panel), map));
    }
    // Layers and Rules share the left node as tabs; Deposits is below the map.
    CHECK(ImGui::FindWindowByName(kLayersWindow)->DockNode ==
          ImGui::FindWindowByName(kRulesWindow)->DockNode);
    CHECK(windowRect(kLayersWindow).Max.x <= map.Min.x + 1);
    CHECK(windowRect(kDepositsWindow).Min.y >= map.Max.y - 1);

    // A selection shows the Inspector on the right, still beside the map.
    w.app->select(0);
    w.frame();
    w.frame();
    const ImRect inspector = windowRect(kInspectorWindow);
    const ImRect map2 = windowRect(kMapWindow);
    CHECK(inspector.GetWidth() > 100);
    CHECK(inspector.Min.x >= map2.Max.x - 1);
    CHECK_FALSE(overlaps(inspector, map2));
    // The map's overlays are drawn inside the map node (origin and size are the node's).
    CHECK(w.app->mapOrigin().x == Approx(map2.Min.x));
    CHECK(w.app->mapOrigin().x + w.app->mapSize().x <= map2.Max.x + 1);
}

} // namespace

TEST_CASE("At first start the dock layout leaves the map at least 60 % of 1280x800", "[viewer][gl]") {
    checkFirstStartLayout({1280, 800});
}

TEST_CASE("At first start the dock layout leaves the map at least 60 % of 1920x1080", "[viewer][gl]") {
    checkFirstStartLayout({1920, 1080});
}

TEST_CASE("View > Reset layout restores the default after a panel is moved", "[viewer][gl]") {
    Workspace w;
    REQUIRE(w.settle());
    w.frame();
    const ImVec2 before = ImGui::DockBuilderGetCentralNode(w.app->dockspaceId())->Size;
    ImGui::DockBuilderDockWindow(kDepositsWindow, ImGui::DockBuilderGetCentralNode(w.app->dockspaceId())->ID);
    ImGui::DockBuilderDockWindow(kLayersWindow, 0);
    w.frame();
    w.app->resetLayout();
    w.frame();
    w.frame();
    const ImVec2 after = ImGui::DockBuilderGetCentralNode(w.app->dockspaceId())->Size;
    CHECK(after.x == Approx(before.x).margin(8));
    CHECK(after.y == Approx(before.y).margin(8));
}

TEST_CASE("A dropped bad file is a message naming it, and the loaded scenario stays", "[viewer][gl]") {
    Workspace w;
    REQUIRE(w.settle());
    const auto *snapshot = w.app->document().snapshot();
    const auto layers = w.app->document().layers().size();
    const auto generation = w.app->document().reportGeneration();
    const fs::path bad = w.tmp / "broken_front.geojson";
    std::ofstream(bad) << "{ this is not GeoJSON";
    w.app->dropFiles({bad.string()});
    REQUIRE(w.settle());
    CHECK_THAT(w.app->lastError(), Catch::Contains("broken_front.geojson"));
    CHECK(w.app->pendingDrops().empty());
    CHECK(w.app->document().snapshot() == snapshot);
    CHECK(w.app->document().layers().size() == layers);
    CHECK(w.app->document().reportGeneration() == generation);

    // A bad scenario, opened: likewise.
    const fs::path badToml = w.tmp / "bad.toml";
    std::ofstream(badToml) << "[thresholds]\nstandoff_km = \"far\"\n";
    w.app->openScenario(badToml.string());
    REQUIRE(w.settle());
    CHECK_THAT(w.app->lastError(), Catch::Contains("bad.toml") && Catch::Contains("standoff_km"));
    CHECK(w.app->document().snapshot() == snapshot);
}

TEST_CASE("A dropped front line is offered as a front and, confirmed, joins the analysis", "[viewer][gl]") {
    Workspace w;
    REQUIRE(w.settle());
    const auto layersBefore = w.app->document().scenario()->layers.size();
    const fs::path front = w.tmp / "front_line_test.geojson";
    std::ofstream(front) << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},)"
                         << R"("geometry":{"type":"LineString","coordinates":[[30.0,50.0],[30.5,50.5]]}}]})";
    w.app->dropFiles({front.string()});
    REQUIRE(w.settle());
    REQUIRE(w.app->pendingDrops().size() == 1);
    CHECK(w.app->pendingDrops()[0].role == model::LayerRole::Front);
    CHECK(w.app->pendingDrops()[0].kind == GeometryKind::Lines);
    w.app->confirmDrops();
    REQUIRE(w.settle());
    CHECK(w.app->lastError().empty());
    const auto &layers = w.app->document().scenario()->layers;
    REQUIRE(layers.size() == layersBefore + 1);
    CHECK(layers.back().role == model::LayerRole::Front);
    CHECK(layers.back().id == "front_line_test");
}

TEST_CASE("Save scenario as... is a TOML that analyze turns into the report the viewer shows",
          "[viewer][gl]") {
    Workspace w;
    REQUIRE(w.settle());
    // Edits: thresholds, rings and a severity.
    w.app->ruleEdits().thresholds.standoffKm = 55;
    w.app->ruleEdits().thresholds.gradeCutoffPct = 1.5;
    w.app->ruleEdits().thresholds.ringsKm = {25, 50, 100};
    w.app->ruleEdits().severities["no_processing_access"] = model::Severity::Info;
    REQUIRE(w.settle());
    REQUIRE(w.settle()); // rings after rules
    REQUIRE(w.app->document().scenario()->thresholds.standoffKm == 55);

    fs::create_directories(w.tmp / "elsewhere");
    const fs::path saved = w.tmp / "elsewhere" / "edited.toml";
    w.app->saveScenarioAs(saved.string());
    REQUIRE(w.app->lastError().empty());
    const fs::path viewerReport = w.tmp / "viewer.geojson";
    w.app->exportReport(viewerReport.string());
    REQUIRE(w.settle());
    REQUIRE(w.app->lastError().empty());
    REQUIRE(fs::exists(viewerReport));

    const fs::path cliReport = w.tmp / "cli.geojson";
    const std::string cmd = std::string("'") + OREFRONT_BINARY + "' analyze '" + saved.string() + "' -o '" +
                            cliReport.string() + "' --quiet >/dev/null 2>&1";
    REQUIRE(std::system(cmd.c_str()) == 0);
    CHECK(withoutSources(readText(cliReport)) == withoutSources(readText(viewerReport)));
}

TEST_CASE("The search box's pick selects the deposit and flies the map there", "[viewer][gl]") {
    Workspace w;
    REQUIRE(w.settle());
    w.frame();
    const auto &report = w.app->document().report();
    REQUIRE(report.deposits.size() > 3);
    const std::string name = report.deposits[2].name;
    const auto hits = searchDeposits(report, name.substr(1, 5), 12);
    REQUIRE_FALSE(hits.empty());
    CHECK(std::find(hits.begin(), hits.end(), 2) != hits.end());
    w.app->select(2);
    for (int i = 0; i < 120; ++i)
        w.frame(); // the fly animation
    CHECK(w.app->selected() == 2);
    double sx, sy;
    w.app->controller().camera().lonLatToScreen(w.app->document().depositAnchor(2), sx, sy);
    CHECK(sx == Approx(w.app->controller().camera().width / 2.0).margin(2));
    CHECK(sy == Approx(w.app->controller().camera().height / 2.0).margin(2));
}

TEST_CASE("HiDPI: at 2x the font is rasterised at twice the size, not magnified", "[viewer][gl]") {
    Workspace w({1280, 800}, 2.0f);
    w.frame();
    ImGui_ImplOpenGL3_NewFrame();
    ImGui::NewFrame();
    ImGui::Begin("probe");
    const float size = ImGui::GetFontSize();
    const float baked = ImGui::GetFontBaked()->Size;
    const float textHeight = ImGui::CalcTextSize("Novopoltavske").y;
    ImGui::End();
    ImGui::Render();
    CHECK(size == Approx(30.0f));
    CHECK(baked == Approx(30.0f));
    CHECK(textHeight >= 30.0f);
    CHECK(ImGui::GetStyle().FramePadding.y >= 5.0f); // 3 px at 1x
}
