#pragma once
// The viewer application: owns the document, the map controller, the renderer, the windows
// and the workers; draws one frame of UI per draw() call. Window-system free: runView()
// drives it from GLFW, the tests from a headless context with synthetic ImGui input.
// Thread rule: construct, draw and destroy on the GL thread, with an ImGui context current.
#include "job_queue.hpp"
#include "map_controller.hpp"
#include "map_document.hpp"
#include "map_image.hpp"
#include "ui/deposits_window.hpp"
#include "ui/inspector_window.hpp"
#include "ui/layers_window.hpp"
#include "ui/map_window.hpp"
#include "ui/rules_window.hpp"
#include "view_settings.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace orefront::viewer {

class ViewerApp {
public:
    struct Options {
        std::string scenario; // path; empty = the bundled scenario
        std::string basemap;  // GDAL source; empty = the installed Natural Earth basemap
        unsigned workers = 2;
    };
    explicit ViewerApp(Options options);
    ~ViewerApp();

    // One frame of UI, between ImGui::NewFrame() and ImGui::Render(). `dt` in seconds.
    void draw(double dt);
    // After the frame is rendered: pending PNG exports.
    void afterRender();
    bool busy() const { return m_jobsInFlight > 0; }
    bool quitRequested() const { return m_quit; }

    // For runView's --bench-frames, and the tests.
    MapController &controller() { return m_controller; }
    MapDocument &document() { return m_doc; }
    const MapDocument &document() const { return m_doc; }
    RuleEdits &ruleEdits() { return m_edits; }
    ViewSettings &settings() { return m_settings; }
    int selected() const { return m_selected; }
    const std::string &lastError() const { return m_error; }
    bool ringsBuilding() const { return m_ringsInFlight; }
    bool rulesEvaluating() const { return m_rulesInFlight; }
    // Whether the map on screen shows the document as it is now (nothing applied since the
    // last map draw), and how many times the map has been drawn.
    bool mapUpToDate() const {
        return m_mapWindow.m_shown && m_mapWindow.m_shown->documentRevision == m_doc.revision() &&
               m_mapWindow.m_shown->reportGeneration == m_doc.reportGeneration();
    }
    std::size_t mapDraws() const { return m_renderer->renders(); }
    // Draws the map again next frame even if nothing changed.
    void invalidateMap() { m_mapWindow.m_shown.reset(); }
    // Where the map was drawn last frame, in ImGui screen coordinates.
    ImVec2 mapOrigin() const { return m_mapOrigin; }
    void requestExportPng(const std::string &path) { m_exportPng = path; }

private:
    void startLoad();
    void startRings(std::vector<double> km);
    void startRules();
    void startBasemap();
    void addLayer(const std::string &source, model::LayerRole role);
    void applyEdits();
    void drawMenu();
    std::string statusText() const;
    void exportReport(const std::string &path);

    Options m_options;
    ViewSettings m_settings;
    RuleEdits m_edits;
    MapDocument m_doc;
    MapController m_controller;
    std::unique_ptr<MapRenderer> m_renderer;
    std::unique_ptr<MapImageComposer> m_composer; // created on first PNG export
    int m_selected = -1;

    bool m_showLayers = true;
    bool m_showDeposits = true;
    bool m_showRules = true;
    bool m_showInspector = true;
    MapWindow m_mapWindow;
    LayersWindow m_layersWindow;
    DepositsWindow m_depositsWindow;
    RulesWindow m_rulesWindow;
    InspectorWindow m_inspectorWindow;

    std::string m_basemapNote;
    std::string m_error;   // the last failure, shown until the next success
    std::string m_message; // the last notice (export written, ...)
    std::string m_exportPng, m_exportReport;
    char m_exportPath[512] = "orefront-map.png";
    char m_reportPath[512] = "orefront-report.geojson";
    bool m_quit = false;
    bool m_fitPending = true;
    ImVec2 m_mapOrigin{0, 0};

    int m_jobsInFlight = 0;
    bool m_ringsInFlight = false;
    bool m_rulesInFlight = false;
    std::vector<std::pair<std::string, std::chrono::steady_clock::time_point>> m_loading;

    // Last: destroyed first, so no job outlives what it touches.
    UiQueue m_ui;
    std::unique_ptr<WorkerPool> m_workers;
    // Verdicts have a worker of their own: a slider never waits behind a ring build or a
    // layer load, and the memory of one report is there warm for the next.
    std::unique_ptr<WorkerPool> m_rulesWorker;
};

} // namespace orefront::viewer
