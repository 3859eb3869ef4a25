#include "viewer_app.hpp"

#include "orefront/export/report_writer.hpp"
#include "orefront/model/error.hpp"

#include <imgui.h>

#include <cstdio>
#include <filesystem>

namespace orefront::viewer {

namespace {
std::string defaultScenario() {
    return OREFRONT_GEODATA_DIR "/scenario.toml";
}
} // namespace

ViewerApp::ViewerApp(Options options)
    : m_options(std::move(options)), m_renderer(std::make_unique<MapRenderer>()),
      m_workers(std::make_unique<WorkerPool>(std::max(1u, m_options.workers))),
      m_rulesWorker(std::make_unique<WorkerPool>(1)) {
    if (m_options.scenario.empty())
        m_options.scenario = defaultScenario();
    startLoad();
    startBasemap();
}

ViewerApp::~ViewerApp() {
    // Join before the document and queue go.
    m_rulesWorker.reset();
    m_workers.reset();
}

void ViewerApp::startLoad() {
    ++m_jobsInFlight;
    m_loading.emplace_back(std::filesystem::path(m_options.scenario).filename().string(),
                           std::chrono::steady_clock::now());
    const std::string path = m_options.scenario;
    m_workers->submit([this, path] {
        try {
            auto snap = loadScenarioSnapshot(path, 1);
            auto rings = buildRingSet(snap->project, snap->project->scenario.thresholds.ringsKm);
            // The first verdicts, here rather than on the UI thread.
            const auto &scenario = snap->project->scenario;
            auto initial = std::make_shared<MapDocument::RuleResult>();
            initial->report = rules::evaluate(scenario, snap->facts, snap->measurements, false);
            initial->markerColours = MapDocument::markerColoursFor(*snap, initial->report);
            m_ui.post([this, snap, rings, initial] {
                --m_jobsInFlight;
                std::erase_if(m_loading, [](const auto &l) { return l.first.ends_with(".toml"); });
                m_doc.setScenario(snap, std::move(*initial));
                m_doc.setRings(rings);
                m_edits.thresholds = snap->project->scenario.thresholds;
                m_edits.severities = snap->project->scenario.severities;
                m_controller.setFitBounds(theatreBounds(*snap));
                m_fitPending = true;
                m_error.clear();
            });
        } catch (const std::exception &e) {
            std::string what = e.what();
            m_ui.post([this, what] {
                --m_jobsInFlight;
                std::erase_if(m_loading, [](const auto &l) { return l.first.ends_with(".toml"); });
                m_error = "cannot load the scenario: " + what;
            });
        }
    });
}

void ViewerApp::startBasemap() {
    std::string source = m_options.basemap;
    if (source.empty()) {
        if (!std::filesystem::exists(OREFRONT_BASEMAP_DEFAULT)) {
            m_basemapNote = "No basemap: Natural Earth (npm world-atlas) is not installed; run `make deps`";
            return;
        }
        source = std::string(OREFRONT_BASEMAP_DEFAULT) + "|layername=countries";
    }
    ++m_jobsInFlight;
    m_loading.emplace_back("basemap", std::chrono::steady_clock::now());
    m_workers->submit([this, source] {
        try {
            auto loaded = std::make_shared<const LoadedLayer>(
                loadExtraLayer(source, model::LayerRole::Basemap, "Basemap"));
            m_ui.post([this, loaded] {
                --m_jobsInFlight;
                std::erase_if(m_loading, [](const auto &l) { return l.first == "basemap"; });
                MapLayer l;
                l.id = "basemap";
                l.name = "Borders and coastlines";
                l.role = model::LayerRole::Basemap;
                l.layer = loaded->layer;
                l.mesh = loaded->mesh;
                l.colour = palette::kBorder;
                m_doc.addLayer(std::move(l));
                m_basemapNote = "Borders: Natural Earth";
            });
        } catch (const std::exception &e) {
            std::string what = e.what();
            m_ui.post([this, what] {
                --m_jobsInFlight;
                std::erase_if(m_loading, [](const auto &l) { return l.first == "basemap"; });
                m_basemapNote = "No basemap: " + what;
            });
        }
    });
}

void ViewerApp::addLayer(const std::string &source, model::LayerRole role) {
    ++m_jobsInFlight;
    const std::string name = std::filesystem::path(source.substr(0, source.find('|'))).filename().string();
    m_loading.emplace_back(name, std::chrono::steady_clock::now());
    m_workers->submit([this, source, role, name] {
        try {
            auto loaded = std::make_shared<const LoadedLayer>(loadExtraLayer(source, role, name));
            m_ui.post([this, loaded, name, role] {
                --m_jobsInFlight;
                std::erase_if(m_loading, [&](const auto &l) { return l.first == name; });
                MapLayer l;
                l.id = "user:" + name;
                l.name = name;
                l.role = role;
                l.layer = loaded->layer;
                l.mesh = loaded->mesh;
                l.colour = defaultLayerColour(role);
                l.lineWidthPx = role == model::LayerRole::Front ? 2.5f : 1.5f;
                m_doc.addLayer(std::move(l));
                m_layersWindow.m_lastError.clear();
            });
        } catch (const std::exception &e) {
            std::string what = e.what();
            m_ui.post([this, what, name] {
                --m_jobsInFlight;
                std::erase_if(m_loading, [&](const auto &l) { return l.first == name; });
                m_layersWindow.m_lastError = what;
            });
        }
    });
}

void ViewerApp::startRings(std::vector<double> km) {
    const auto *snap = m_doc.snapshot();
    if (!snap)
        return;
    m_ringsInFlight = true;
    ++m_jobsInFlight;
    auto project = snap->project;
    auto previous = m_doc.ringSet(); // rings whose distance did not change are reused
    m_workers->submit([this, project, previous, km] {
        std::shared_ptr<const RingSet> rings;
        std::string error;
        try {
            rings = buildRingSet(project, km, previous.get());
        } catch (const std::exception &e) {
            error = e.what();
        }
        m_ui.post([this, rings, error, project] {
            --m_jobsInFlight;
            m_ringsInFlight = false;
            // A result for a scenario that was replaced meanwhile is dropped.
            if (rings && m_doc.snapshot() && m_doc.snapshot()->project == project)
                m_doc.setRings(rings);
            if (!error.empty())
                m_error = "cannot build the rings: " + error;
        });
    });
}

void ViewerApp::startRules() {
    m_rulesInFlight = true;
    ++m_jobsInFlight;
    auto snap = m_doc.snapshotPtr();
    model::Scenario scenario = *m_doc.scenario();
    scenario.thresholds = m_edits.thresholds;
    scenario.severities = m_edits.severities;
    m_rulesWorker->submit([this, snap, scenario] {
        auto result = std::make_shared<MapDocument::RuleResult>();
        std::string error;
        try {
            // Live: no human-readable details (the inspector asks for its one deposit).
            result->report = rules::evaluate(scenario, snap->facts, snap->measurements, false);
            result->markerColours = MapDocument::markerColoursFor(*snap, result->report);
        } catch (const std::exception &e) {
            error = e.what();
        }
        m_ui.post([this, snap, scenario, result, error] {
            --m_jobsInFlight;
            m_rulesInFlight = false;
            if (error.empty() && m_doc.snapshotPtr() == snap) {
                // The replaced report goes back to a worker to be freed.
                auto old = std::make_shared<MapDocument::RuleResult>(
                    m_doc.setReport(scenario.thresholds, scenario.severities, std::move(*result)));
                m_rulesWorker->submit([old] {});
            }
            if (!error.empty())
                m_error = "cannot evaluate the rules: " + error;
        });
    });
}

void ViewerApp::applyEdits() {
    const model::Scenario *applied = m_doc.scenario();
    if (!applied)
        return;
    // Verdicts and colours: on a worker (100k deposits take tens of milliseconds, more than
    // a frame); one job at a time, and the latest edit wins.
    if (!m_rulesInFlight && (!sameThresholds(m_edits.thresholds, applied->thresholds) ||
                             m_edits.severities != applied->severities))
        startRules();
    // Ring polygons: likewise.
    if (!m_ringsInFlight && m_doc.rings()) {
        std::vector<double> want = m_edits.thresholds.ringsKm;
        std::sort(want.begin(), want.end());
        want.erase(std::unique(want.begin(), want.end()), want.end());
        if (want != m_doc.rings()->km)
            startRings(want);
    }
}

std::string ViewerApp::statusText() const {
    std::string s;
    if (m_ringsInFlight)
        s += "rebuilding rings...  ";
    if (!m_message.empty())
        s += m_message + "  ";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f m/px", m_controller.camera().metresPerPixel);
    return s + buf;
}

void ViewerApp::drawMenu() {
    if (!ImGui::BeginMainMenuBar())
        return;
    if (ImGui::BeginMenu("File")) {
        ImGui::TextDisabled("Export the current view as PNG");
        ImGui::SetNextItemWidth(260);
        ImGui::InputText("##png", m_exportPath, sizeof m_exportPath);
        ImGui::SameLine();
        if (ImGui::Button("Export PNG"))
            m_exportPng = m_exportPath;
        ImGui::TextDisabled("Export the report (same schema as `orefront analyze`)");
        ImGui::SetNextItemWidth(260);
        ImGui::InputText("##report", m_reportPath, sizeof m_reportPath);
        ImGui::SameLine();
        if (ImGui::Button("Export report"))
            m_exportReport = m_reportPath;
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", "Ctrl+Q"))
            m_quit = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        ImGui::MenuItem("Layers", nullptr, &m_showLayers);
        ImGui::MenuItem("Deposits", nullptr, &m_showDeposits);
        ImGui::MenuItem("Rules", nullptr, &m_showRules);
        ImGui::MenuItem("Inspector", nullptr, &m_showInspector);
        ImGui::Separator();
        ImGui::MenuItem("Legend", nullptr, &m_settings.legend);
        ImGui::MenuItem("Scale bar", nullptr, &m_settings.scaleBar);
        ImGui::MenuItem("Graticule", nullptr, &m_settings.style.graticule);
        ImGui::MenuItem("Range rings", nullptr, &m_settings.style.rings);
        ImGui::MenuItem("Ring labels", nullptr, &m_settings.ringLabels);
        ImGui::SetNextItemWidth(120);
        ImGui::SliderFloat("Marker size", &m_settings.style.markerScale, 0.5f, 2.5f, "%.1fx");
        if (ImGui::MenuItem("Fit the theatre", "F"))
            m_controller.fit(m_controller.fitBounds());
        ImGui::EndMenu();
    }
    if (!m_error.empty()) {
        ImGui::TextColored({0.84f, 0.37f, 0.0f, 1.0f}, "%s", m_error.c_str());
    } else if (!m_loading.empty()) {
        ImGui::TextDisabled("loading %s...", m_loading.front().first.c_str());
    }
    ImGui::EndMainMenuBar();
}

void ViewerApp::draw(double dt) {
    m_ui.drain();
    applyEdits();
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_Q))
        m_quit = true;

    drawMenu();

    // The map fills the viewport under the menu bar, behind the other windows.
    const ImGuiViewport *vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0);
    // No background: the map image covers the window, and a second full-screen layer is
    // what a software renderer feels most.
    const ImGuiWindowFlags mapFlags =
        ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoBringToFrontOnFocus |
        ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground;
    ImGui::Begin("##map", nullptr, mapFlags);
    ImGui::PopStyleVar(2);
    m_mapOrigin = ImGui::GetCursorScreenPos();
    if (m_fitPending && m_doc.snapshot()) {
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        m_controller.resize(int(avail.x), int(avail.y - ImGui::GetFrameHeightWithSpacing()));
        m_controller.fit(m_controller.fitBounds());
        m_fitPending = false;
    }
    OverlayOptions overlay;
    overlay.legend = m_settings.legend;
    overlay.scaleBar = m_settings.scaleBar;
    overlay.ringLabels = m_settings.ringLabels;
    overlay.graticuleLabels = m_settings.graticuleLabels;
    overlay.basemapNote = m_basemapNote;
    m_mapWindow.Draw(m_doc, m_controller, *m_renderer, m_settings, overlay, m_selected, statusText(), dt);
    ImGui::End();

    const auto flyTo = [this](int i) { m_controller.flyTo(m_doc.depositAnchor(i)); };
    std::vector<std::pair<std::string, double>> loading;
    for (const auto &[label, start] : m_loading)
        loading.emplace_back(label,
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    if (m_showLayers)
        m_layersWindow.Draw("Layers", &m_showLayers, m_doc, m_settings.labels, loading,
                            [this](const std::string &s, model::LayerRole r) { addLayer(s, r); });
    if (m_showRules && m_doc.snapshot())
        m_rulesWindow.Draw("Rules", &m_showRules, m_edits, m_ringsInFlight);
    if (m_showDeposits)
        m_depositsWindow.Draw("Deposits", &m_showDeposits, m_doc, m_selected, flyTo);
    if (m_showInspector && m_selected >= 0)
        m_inspectorWindow.Draw("Inspector", &m_showInspector, m_doc, m_selected);
}

void ViewerApp::afterRender() {
    if (!m_exportPng.empty()) {
        const std::string path = std::exchange(m_exportPng, {});
        try {
            if (!m_composer)
                m_composer = std::make_unique<MapImageComposer>();
            OverlayOptions overlay;
            overlay.legend = m_settings.legend;
            overlay.scaleBar = m_settings.scaleBar;
            overlay.ringLabels = m_settings.ringLabels;
            overlay.basemapNote = m_basemapNote;
            overlay.labels = m_settings.labels;
            overlay.selectedDeposit = m_selected;
            writePng(
                m_composer->compose(*m_renderer, m_doc, m_controller.camera(), m_settings.style, overlay),
                path);
            m_message = "wrote " + path;
        } catch (const std::exception &e) {
            m_error = e.what();
        }
    }
    if (!m_exportReport.empty())
        exportReport(std::exchange(m_exportReport, {}));
}

void ViewerApp::exportReport(const std::string &path) {
    const auto *snap = m_doc.snapshot();
    if (!snap || snap->depositsLayer < 0) {
        m_error = "no deposits to report";
        return;
    }
    try {
        exporting::ReportInput in;
        in.scenario = m_doc.scenario();
        in.deposits = snap->project->layers[std::size_t(snap->depositsLayer)].get();
        in.measurements = &snap->measurements;
        in.report = &m_doc.report();
        const auto layers = exporting::layerProvenance(*snap->project); // provenance, as analyze writes it
        in.layers = &layers;
        exporting::writeReport(in, path, exporting::formatFrom("", path));
        m_message = "wrote " + path;
    } catch (const std::exception &e) {
        m_error = e.what();
    }
}

} // namespace orefront::viewer
