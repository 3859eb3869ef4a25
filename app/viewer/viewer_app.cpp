#include "viewer_app.hpp"

#include "dock_layout.hpp"
#include "map_scene.hpp"

#include "orefront/analysis/history.hpp"
#include "orefront/analysis/whatif.hpp"
#include "orefront/export/report_writer.hpp"
#include "orefront/io/annotation_store.hpp"
#include "orefront/io/pg_source.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/scenario_writer.hpp"
#include "orefront/io/series_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/rules/warnings.hpp"

#include <imgui.h>
#include <imgui_internal.h>
#include <implot.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <stdexcept>

namespace orefront::viewer {

namespace fs = std::filesystem;

namespace {

// The calling thread's CPU time: what a step cost, whatever else the machine was running.
double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

std::string defaultScenario() {
    return OREFRONT_GEODATA_DIR "/scenario.toml";
}

// A file's name, or a database table's: never a connection string (it may hold a password).
std::string fileName(const std::string &source) {
    return io::sourceLabel(source);
}

// What each file dialog is for (FileDialog::m_purpose).
enum Purpose {
    kOpenScenario,
    kAddLayer,
    kSaveScenario,
    kExportPng,
    kExportReport,
    kAnnotationStore,
    kExportBriefing
};

// What tells two dates' scenarios apart: the files (and dates) their series layers read, and
// the rings drawn.
std::string snapshotKey(const model::Scenario &s) {
    std::string key;
    for (const auto &l : s.layers)
        key += l.source + "@" + l.date.value_or("") + "\n";
    for (double km : s.thresholds.ringsKm)
        key += std::to_string(km) + ",";
    return key + "contact " + std::to_string(s.thresholds.lineOfContactKm); // measured with it
}

const char *kRoleNames[] = {"deposits", "hostile", "front", "ports", "rail", "power", "basemap", "other"};

// A panel docked in the dock space paints no background of its own: the frame is cleared to
// WindowBg (viewer_cli.cpp), so the pixels are the same and llvmpipe blends a layer fewer. A
// floating panel, or one in a floating dock node over the map, keeps its background.
void dockedPanelBackground(const char *name, ImGuiID dockspace) {
    const ImGuiWindow *w = ImGui::FindWindowByName(name);
    if (w && w->DockNode && ImGui::DockNodeGetRootNode(w->DockNode)->ID == dockspace &&
        ImGui::GetStyleColorVec4(ImGuiCol_WindowBg).w >= 1.0f)
        ImGui::SetNextWindowBgAlpha(0.0f);
}

} // namespace

ViewerApp::ViewerApp(Options options)
    : m_options(std::move(options)), m_renderer(std::make_unique<MapRenderer>()),
      m_recent(m_options.configDir.empty()
                   ? std::string{}
                   : (fs::path(m_options.configDir) / "recent_scenarios.txt").string()),
      m_workers(std::make_unique<WorkerPool>(std::max(1u, m_options.workers))),
      m_rulesWorker(std::make_unique<WorkerPool>(1)) {
    m_plot = ImPlot::CreateContext();
    m_annotationEditor.m_author = model::currentUser();
    // The Deposits panel is short at 1280x800: a chart may be smaller than ImPlot's 150 px.
    ImPlot::GetStyle().PlotMinSize = {160, 60};
    openScenario(m_options.scenario.empty() ? defaultScenario() : m_options.scenario);
    startBasemap();
}

ViewerApp::~ViewerApp() {
    // Join before the document and queue go; the workers first, since a load hands the rules
    // worker a spare report.
    m_workers.reset();
    m_rulesWorker.reset();
    ImPlot::DestroyContext(m_plot);
}

void ViewerApp::runJob(std::string label, std::function<UiStep()> work,
                       std::function<void(const std::string &)> failed, WorkerPool *pool,
                       std::shared_ptr<const model::Progress> progress) {
    const std::uint64_t id = ++m_nextJob;
    m_jobs.push_back({id, std::move(label), std::chrono::steady_clock::now(), std::move(progress)});
    (pool ? pool : m_workers.get())->submit([this, id, work = std::move(work), failed = std::move(failed)] {
        UiStep done;
        std::string error;
        try {
            done = work();
        } catch (const std::exception &e) {
            error = *e.what() ? e.what() : "unknown error";
        }
        m_ui.post([this, id, done = std::move(done), failed, error] {
            std::erase_if(m_jobs, [id](const Job &j) { return j.id == id; });
            if (!error.empty()) {
                if (failed)
                    failed(error);
            } else if (done) {
                done();
            }
        });
    });
}

std::vector<LoadingJob> ViewerApp::loadingJobs() const {
    std::vector<LoadingJob> out;
    const auto now = std::chrono::steady_clock::now();
    for (const auto &j : m_jobs) {
        if (j.label.empty())
            continue;
        LoadingJob l;
        l.label = j.label;
        l.seconds = std::chrono::duration<double>(now - j.start).count();
        if (j.progress) {
            const auto p = j.progress->snapshot();
            l.stage = p.stage;
            l.done = p.done;
            l.total = p.total;
            if (p.total > 0)
                l.fraction = std::min(1.0, double(p.done) / double(p.total));
        }
        out.push_back(std::move(l));
    }
    return out;
}

void ViewerApp::openScenario(const std::string &path) {
    // Parsed here (small, and a bad file should say so at once); loaded on a worker.
    std::shared_ptr<const model::Scenario> scenario;
    try {
        scenario = std::make_shared<const model::Scenario>(io::loadScenario(path));
    } catch (const std::exception &e) {
        m_error = std::string("cannot open the scenario: ") + e.what();
        return;
    }
    m_scenarioPath = path;
    m_recent.add(path);
    openAnnotationStore(io::defaultAnnotationStore(path, scenario->annotations), false);
    startTimeline(scenario);
    loadScenario(std::move(scenario), fileName(path), true);
}

void ViewerApp::startTimeline(std::shared_ptr<const model::Scenario> base) {
    m_baseScenario = base;
    ++m_dateRequest; // drops a date of the previous scenario still in flight
    {
        std::lock_guard lock(m_preparedMutex);
        m_prepared.clear();
        m_preparedKeyOf.clear();
        ++m_preparedGeneration;
    }
    m_timelineWindow.snapshots.clear();
    m_timelineWindow.shown.reset();
    m_timelineWindow.requested.reset();
    m_timelineWindow.playing = false;
    m_timelineWindow.message.clear();
    m_timelineWindow.area = {};
    m_areaGeneration = ~0ull;
    stopCompare();
    runJob(
        "", // the dates: a glob, or a read of a date field
        [this, base]() -> UiStep {
            auto dates = io::seriesDates(*base);
            const auto situation = io::situationDate(*base);
            return [this, base, dates, situation] {
                if (base != m_baseScenario)
                    return;
                m_timelineWindow.snapshots = dates;
                m_timelineWindow.shown = situation;
                if (situation)
                    std::snprintf(m_timelineWindow.typed, sizeof m_timelineWindow.typed, "%s",
                                  situation->iso().c_str());
                prefetchSnapshots(base, dates);
            };
        },
        [this](const std::string &what) { m_timelineWindow.message = what; });
}

ViewerApp::PreparedDate ViewerApp::prepareDate(const model::Scenario &base, model::Date date,
                                               const model::Thresholds &thresholds,
                                               const std::map<std::string, model::Severity> &severities) {
    model::Scenario at = io::scenarioAt(base, date);
    at.thresholds = thresholds;
    at.severities = severities;
    const std::string key = snapshotKey(at);
    {
        std::lock_guard lock(m_preparedMutex);
        if (auto it = m_prepared.find(key); it != m_prepared.end()) {
            m_preparedKeyOf[date.days()] = key;
            return it->second;
        }
    }
    // Another date of the same scenario already prepared: its layers that are not series, the
    // deposits' facts and meshes are shared rather than read and built again.
    std::shared_ptr<const ScenarioSnapshot> other;
    {
        std::lock_guard lock(m_preparedMutex);
        if (!m_prepared.empty())
            other = m_prepared.begin()->second.snapshot;
    }
    PreparedDate p;
    p.snapshot = other ? loadScenarioSnapshotAt(*other, at, 1) : loadScenarioSnapshot(at, 1);
    p.rings = buildRingSet(*p.snapshot, thresholds.ringsKm);
    const auto report = rules::evaluate(at, p.snapshot->facts, p.snapshot->measurements, false);
    for (const auto &d : report.deposits)
        p.verdicts.push_back(d.verdict);
    p.occupiedKm2 = analysis::occupiedAreaKm2(p.snapshot->project->analysisInputs().hostile);
    std::lock_guard lock(m_preparedMutex);
    m_prepared[key] = p;
    m_preparedKeyOf[date.days()] = key;
    ++m_preparedGeneration;
    return p;
}

// Every snapshot prepared in the background, one after another, so that scrubbing finds them
// ready; a new scenario stops it (the base changes).
void ViewerApp::prefetchSnapshots(std::shared_ptr<const model::Scenario> base,
                                  std::vector<model::Date> dates) {
    if (dates.empty())
        return;
    const model::Date date = dates.front();
    dates.erase(dates.begin());
    const model::Thresholds thresholds = m_edits.thresholds;
    const auto severities = m_edits.severities;
    runJob(
        "",
        [this, base, date, thresholds, severities, dates]() -> UiStep {
            prepareDate(*base, date, thresholds, severities);
            return [this, base, dates] {
                if (base == m_baseScenario)
                    prefetchSnapshots(base, dates);
            };
        },
        [](const std::string &) {}); // a bad snapshot says so when the user asks for its date
}

void ViewerApp::updateDepositSeries() {
    std::lock_guard lock(m_preparedMutex);
    if (m_seriesSelected == m_selected && m_seriesGeneration == m_preparedGeneration)
        return;
    m_seriesSelected = m_selected;
    m_seriesGeneration = m_preparedGeneration;
    auto &s = m_timelineWindow.deposit;
    s = {};
    if (m_selected < 0 || m_selected >= int(m_doc.report().deposits.size()))
        return;
    s.name = m_doc.report().deposits[m_selected].name;
    s.standoffKm = m_edits.thresholds.standoffKm;
    s.ringsKm = m_edits.thresholds.ringsKm;
    for (const auto &date : m_timelineWindow.snapshots) {
        const auto key = m_preparedKeyOf.find(date.days());
        if (key == m_preparedKeyOf.end())
            continue;
        const auto it = m_prepared.find(key->second);
        if (it == m_prepared.end() || m_selected >= int(it->second.verdicts.size()))
            continue;
        const auto &m = it->second.snapshot->measurements.perDeposit[m_selected];
        s.days.push_back(double(date.days()));
        s.km.push_back(m.frontDistanceKm.value_or(std::nan("")));
        s.verdicts.push_back(it->second.verdicts[m_selected]);
    }
}

void ViewerApp::updateOccupiedArea() {
    std::lock_guard lock(m_preparedMutex);
    if (m_areaGeneration == m_preparedGeneration)
        return;
    m_areaGeneration = m_preparedGeneration;
    auto &a = m_timelineWindow.area;
    a = {};
    for (const auto &date : m_timelineWindow.snapshots) {
        const auto key = m_preparedKeyOf.find(date.days());
        if (key == m_preparedKeyOf.end())
            continue;
        if (const auto it = m_prepared.find(key->second); it != m_prepared.end()) {
            a.days.push_back(double(date.days()));
            a.km2.push_back(it->second.occupiedKm2);
        }
    }
}

void ViewerApp::requestCompare(model::Date a) {
    if (!m_baseScenario)
        return;
    const std::uint64_t id = ++m_compareRequest;
    m_timelineWindow.comparePreparing = true;
    m_timelineWindow.focusTab = TimelineWindow::CompareTab;
    m_timelineWindow.compareMessage.clear();
    std::snprintf(m_timelineWindow.compareTyped, sizeof m_timelineWindow.compareTyped, "%s", a.iso().c_str());
    auto base = m_baseScenario;
    const model::Thresholds thresholds = m_edits.thresholds;
    const auto severities = m_edits.severities;
    runJob(
        "",
        [this, base, a, id, thresholds, severities]() -> UiStep {
            const PreparedDate p = prepareDate(*base, a, thresholds, severities);
            model::Scenario s = p.snapshot->project->scenario;
            s.date = a.iso();
            s.thresholds = thresholds;
            s.severities = severities;
            auto result = std::make_shared<CompareDate>();
            result->date = a;
            // A's own map (Swipe, Side by side): its report and the marker colours it gives.
            auto map = std::make_shared<MapDocument::RuleResult>();
            map->report = rules::evaluate(s, p.snapshot->facts, p.snapshot->measurements, false);
            for (const auto &d : map->report.deposits)
                result->verdicts.push_back(d.verdict);
            map->markerColours = MapDocument::markerColoursFor(*p.snapshot, map->report);
            result->front = frontOutline(*p.snapshot->project, a);
            return [this, id, base, result = std::shared_ptr<const CompareDate>(result), map, p] {
                if (id != m_compareRequest || base != m_baseScenario)
                    return;
                m_compareA = result;
                m_compareMap.set(result->date, p.snapshot, std::move(*map), p.rings);
                m_timelineWindow.compareWith = result->date;
                m_timelineWindow.comparePreparing = false;
            };
        },
        [this, id](const std::string &what) {
            if (id != m_compareRequest)
                return;
            m_timelineWindow.comparePreparing = false;
            m_timelineWindow.compareMessage = what;
        });
}

void ViewerApp::stopCompare() {
    ++m_compareRequest;
    m_compareA.reset();
    m_compareMap.reset();
    m_compareChanged.clear();
    m_compareKey = {nullptr, 0, 0};
    m_timelineWindow.compareWith.reset();
    m_timelineWindow.comparePreparing = false;
    m_timelineWindow.changes.clear();
}

void ViewerApp::chooseWhatIf(const std::string &name) {
    m_whatIfWindow.chosen = name;
    m_whatIfWindow.message.clear();
    m_whatIfKey = {nullptr, 0, {}}; // judged again by updateWhatIf()
    if (name.empty()) {
        ++m_whatIfRequest;
        m_whatIfWindow.view.reset();
        m_whatIfWindow.computing = false;
    }
}

// The named what-ifs of the scenario shown and its annotations; the chosen one judged again
// on a worker when the snapshot, its report or the what-if itself (an annotation edited) changed.
void ViewerApp::updateWhatIf() {
    const ScenarioSnapshot *snap = m_doc.snapshot();
    m_whatIfWindow.whatifs =
        snap ? analysis::namedWhatIfs(*m_doc.scenario(), &m_annotations.set()) : std::vector<model::WhatIf>{};
    auto &win = m_whatIfWindow;
    if (win.chosen.empty() || !snap)
        return;
    const auto it = std::find_if(win.whatifs.begin(), win.whatifs.end(),
                                 [&](const model::WhatIf &w) { return w.name == win.chosen; });
    if (it == win.whatifs.end()) {
        const std::string gone = win.chosen;
        chooseWhatIf("");
        win.message = "no what-if named '" + gone + "' in this scenario any more";
        return;
    }
    std::tuple<const ScenarioSnapshot *, std::uint64_t, model::WhatIf> key{snap, m_doc.reportGeneration(),
                                                                           *it};
    if (key == m_whatIfKey)
        return;
    m_whatIfKey = std::move(key);
    const std::uint64_t id = ++m_whatIfRequest;
    win.computing = true;
    runJob(
        "What-if '" + it->name + "'",
        [this, id, shown = m_doc.snapshotPtr(), applied = *m_doc.scenario(), w = *it]() -> UiStep {
            auto view = std::make_shared<const WhatIfView>(computeWhatIf(*shown, applied, w));
            return [this, id, view] {
                if (id != m_whatIfRequest)
                    return; // another what-if, date or rule change since
                m_whatIfWindow.view = view;
                m_whatIfWindow.computing = false;
            };
        },
        [this, id](const std::string &what) {
            if (id != m_whatIfRequest)
                return;
            m_whatIfWindow.computing = false;
            m_whatIfWindow.view.reset();
            m_whatIfWindow.message = what;
        });
}

// The changes between A and the report shown, again whenever either changes.
void ViewerApp::updateCompare() {
    const std::tuple<const CompareDate *, std::uint64_t, std::uint64_t> key{
        m_compareA.get(), m_doc.revision(), m_doc.reportGeneration()};
    if (!m_compareA || key == m_compareKey)
        return;
    m_compareKey = key;
    m_compareChanged.clear();
    auto &changes = m_timelineWindow.changes;
    changes.clear();
    const auto &deposits = m_doc.report().deposits;
    if (deposits.size() != m_compareA->verdicts.size()) {
        m_timelineWindow.compareMessage = "the deposits differ between the two dates: nothing to compare";
        return;
    }
    for (std::size_t i = 0; i < deposits.size(); ++i)
        if (m_compareA->verdicts[i] != deposits[i].verdict) {
            m_compareChanged.push_back(int(i));
            changes.push_back({int(i), deposits[i].name, m_compareA->verdicts[i], deposits[i].verdict});
        }
}

void ViewerApp::requestDate(model::Date date) {
    if (!m_baseScenario)
        return;
    const std::uint64_t id = ++m_dateRequest;
    m_timelineWindow.requested = date;
    auto base = m_baseScenario;
    const model::Thresholds thresholds = m_edits.thresholds;
    const auto severities = m_edits.severities;
    runJob(
        "",
        [this, base, date, id, thresholds, severities]() -> UiStep {
            const PreparedDate p = prepareDate(*base, date, thresholds, severities);
            // The snapshot in force, shown as of `date` and judged with the thresholds as edited.
            auto project = std::make_shared<model::Project>(*p.snapshot->project);
            project->scenario.date = date.iso();
            project->scenario.thresholds = thresholds;
            project->scenario.severities = severities;
            auto shown = std::make_shared<ScenarioSnapshot>(*p.snapshot);
            shown->project = project;
            auto initial = std::make_shared<MapDocument::RuleResult>();
            initial->report = rules::evaluate(project->scenario, shown->facts, shown->measurements, false);
            initial->markerColours = MapDocument::markerColoursFor(*shown, initial->report);
            initial->views = computeReportViews(*shown, initial->report, project->scenario.thresholds);
            std::shared_ptr<const ScenarioSnapshot> frozen = shown;
            return [this, frozen, rings = p.rings, initial, id, date] {
                if (id != m_dateRequest)
                    return; // a later date was asked for meanwhile
                m_doc.setScenario(frozen, std::move(*initial));
                m_doc.setRings(rings);
                m_timelineWindow.shown = date;
                m_timelineWindow.requested.reset();
                std::snprintf(m_timelineWindow.typed, sizeof m_timelineWindow.typed, "%s",
                              date.iso().c_str());
                if (m_selected >= int(m_doc.report().deposits.size()))
                    m_selected = -1;
                m_error.clear();
            };
        },
        [this, id](const std::string &what) {
            if (id != m_dateRequest)
                return;
            m_timelineWindow.requested.reset();
            m_timelineWindow.playing = false;
            m_timelineWindow.message = what;
        });
}

void ViewerApp::loadScenario(std::shared_ptr<const model::Scenario> scenario, std::string label, bool fit) {
    // The counters `orefront analyze` advances (a stage per layer read, then the measurement).
    auto progress = std::make_shared<model::Progress>();
    runJob(
        std::move(label),
        [this, scenario, fit, progress]() -> UiStep {
            auto snap = loadScenarioSnapshot(*scenario, 1, progress.get());
            auto rings = buildRingSet(*snap, snap->project->scenario.thresholds.ringsKm);
            // The first verdicts, here rather than on the UI thread.
            const auto &s = snap->project->scenario;
            auto initial = std::make_shared<MapDocument::RuleResult>();
            initial->report = rules::evaluate(s, snap->facts, snap->measurements, false);
            initial->markerColours = MapDocument::markerColoursFor(*snap, initial->report);
            initial->views = computeReportViews(*snap, initial->report, s.thresholds);
            // A copy for the rules worker: the first edit brings it up to date too.
            keepSpareReport(snap, s.thresholds, std::make_shared<MapDocument::RuleResult>(*initial));
            return [this, snap, rings, initial, fit] {
                m_baseSnap = snap;
                showScenario(m_doc, snap, rings, std::move(*initial));
                m_edits.thresholds = snap->project->scenario.thresholds;
                m_edits.severities = snap->project->scenario.severities;
                if (m_selected >= int(m_doc.report().deposits.size()))
                    m_selected = -1;
                if (fit) {
                    m_selected = -1;
                    m_controller.setFitBounds(theatreBounds(*snap));
                    m_fitPending = true;
                }
                m_error.clear();
            };
        },
        [this](const std::string &what) { m_error = "cannot load the scenario: " + what; }, nullptr,
        progress);
}

void ViewerApp::startBasemap() {
    const std::string source = basemapSource(m_options.basemap);
    if (source.empty()) {
        m_basemapNote = std::string(kNoBasemapNote) + "; run `make deps`";
        return;
    }
    runJob(
        "basemap",
        [this, source]() -> UiStep {
            auto loaded = std::make_shared<const LoadedLayer>(
                loadExtraLayer(source, model::LayerRole::Basemap, "Basemap"));
            return [this, loaded] {
                m_doc.addLayer(basemapLayer(*loaded));
                m_basemapNote = "Borders: Natural Earth";
                addLayerWarnings(loaded->warnings);
            };
        },
        [this](const std::string &what) { m_basemapNote = "No basemap: " + what; });
}

model::Scenario ViewerApp::currentScenario() const {
    model::Scenario s = m_doc.scenario() ? *m_doc.scenario() : io::defaultScenario();
    s.thresholds = m_edits.thresholds;
    s.severities = m_edits.severities;
    // Hostile markings are a what-if, kept in the annotation store, not a scenario layer.
    std::erase_if(s.layers, [](const model::LayerSpec &l) { return l.id == kHostileAnnotationsLayer; });
    // A dated scenario shown at a date holds each series resolved to the snapshot in force:
    // saved, its series layers are the series as read (glob and date_pattern, or date fields),
    // and its date is the date shown.
    if (m_baseScenario && io::hasSeries(*m_baseScenario)) {
        for (auto &l : s.layers) {
            const auto it = std::find_if(m_baseScenario->layers.begin(), m_baseScenario->layers.end(),
                                         [&](const model::LayerSpec &b) { return b.id == l.id; });
            if (it != m_baseScenario->layers.end() && it->series != model::SeriesForm::None)
                l = *it;
        }
        if (m_timelineWindow.shown)
            s.date = m_timelineWindow.shown->iso();
    }
    return s;
}

void ViewerApp::addLayer(const std::string &source, model::LayerRole role) {
    const std::string name = fileName(source);
    const std::string absolute = io::resolveSource(source, fs::current_path().string());
    if (role == model::LayerRole::Basemap || !m_doc.scenario()) {
        // Drawn only: not part of the analysis.
        runJob(
            name,
            [this, absolute, role, name]() -> UiStep {
                auto loaded = std::make_shared<const LoadedLayer>(loadExtraLayer(absolute, role, name));
                return [this, loaded, name, role] {
                    MapLayer l;
                    l.id = "user:" + name;
                    l.name = name;
                    l.role = role;
                    l.layer = loaded->layer;
                    l.mesh = loaded->mesh;
                    l.colour = defaultLayerColour(role);
                    m_doc.addLayer(std::move(l));
                    m_layersWindow.m_lastError.clear();
                    addLayerWarnings(loaded->warnings);
                };
            },
            [this, name](const std::string &what) {
                m_layersWindow.m_lastError = m_error = "cannot add " + name + ": " + what;
            });
        return;
    }
    // An analysis layer: the scenario with it is loaded anew on a worker; the one shown
    // stays until that succeeds.
    auto scenario = std::make_shared<model::Scenario>(currentScenario());
    model::LayerSpec spec;
    spec.role = role;
    spec.source = absolute;
    spec.name = name;
    std::string id = fs::path(name).stem().string();
    for (int n = 2; std::any_of(scenario->layers.begin(), scenario->layers.end(),
                                [&](const auto &l) { return l.id == id; });
         ++n)
        id = fs::path(name).stem().string() + "_" + std::to_string(n);
    spec.id = id;
    scenario->layers.push_back(spec);
    runJob(
        name,
        [this, scenario]() -> UiStep {
            auto snap = loadScenarioSnapshot(*scenario, 1);
            auto rings = buildRingSet(*snap, snap->project->scenario.thresholds.ringsKm);
            return [this, snap, rings] {
                m_baseSnap = snap;
                showScenario(m_doc, snap, rings);
                if (m_selected >= int(m_doc.report().deposits.size()))
                    m_selected = -1;
                m_layersWindow.m_lastError.clear();
                m_message = "added " + snap->project->scenario.layers.back().name;
            };
        },
        [this, name](const std::string &what) {
            m_layersWindow.m_lastError = m_error = "cannot add " + name + ": " + what;
        });
}

void ViewerApp::dropFiles(const std::vector<std::string> &paths) {
    for (const auto &path : paths) {
        const std::string name = fileName(path);
        if (fs::path(name).extension() == ".toml") {
            openScenario(path);
            continue;
        }
        // Read once on a worker to see what it holds; the layer itself is read again when
        // added (as part of the scenario).
        runJob(
            name,
            [this, path, name]() -> UiStep {
                const LoadedLayer loaded = loadExtraLayer(path, model::LayerRole::Other, name);
                PendingDrop d;
                d.path = path;
                d.name = name;
                d.kind = geometryKindOf(*loaded.layer);
                d.role = guessRole(name, d.kind);
                d.features = loaded.layer->features.size();
                return [this, d] {
                    m_drops.push_back(d);
                    m_dropsPopup = true;
                };
            },
            [this, name](const std::string &what) { m_error = "cannot add " + name + ": " + what; });
    }
}

void ViewerApp::confirmDrops() {
    for (const auto &d : std::exchange(m_drops, {}))
        if (d.add)
            addLayer(d.path, d.role);
}

void ViewerApp::saveScenarioAs(const std::string &path) {
    if (!m_doc.scenario()) {
        m_error = "no scenario to save";
        return;
    }
    try {
        io::saveScenario(currentScenario(), path);
        m_recent.add(path);
        m_message = "saved " + path;
        m_error.clear();
    } catch (const std::exception &e) {
        m_error = e.what();
    }
}

void ViewerApp::exportReport(const std::string &path) {
    const auto snap = m_doc.snapshotPtr();
    if (!snap || snap->depositsLayer < 0) {
        m_error = "no deposits to report";
        return;
    }
    // GDAL writes on a worker, from copies of what the UI may replace meanwhile.
    auto scenario = std::make_shared<const model::Scenario>(*m_doc.scenario());
    auto report = std::make_shared<const rules::Report>(m_doc.report());
    runJob(
        "report " + fileName(path),
        [snap, scenario, report, path, this]() -> UiStep {
            exporting::ReportInput in;
            in.scenario = scenario.get();
            in.deposits = snap->project->layers[std::size_t(snap->depositsLayer)].get();
            in.measurements = &snap->measurements;
            in.report = report.get();
            // Provenance as analyze writes it.
            const auto layers = exporting::layerProvenance(*snap->project, {}, snap->boundaries.get());
            in.layers = &layers;
            exporting::writeReport(in, path, exporting::formatFrom("", path));
            return [this, path] { m_message = "wrote " + path; };
        },
        [this](const std::string &what) { m_error = what; });
}

void ViewerApp::exportBriefing(const std::string &path) {
    if (m_scenarioPath.empty() || !m_doc.snapshot()) {
        m_error = "open a scenario first: a briefing is drawn from the scenario's file";
        return;
    }
    // What the map shows now, within the world the sheet accepts.
    const model::BBox v = m_controller.camera().visibleBounds();
    char bbox[160];
    std::snprintf(bbox, sizeof bbox, "%.6f,%.6f,%.6f,%.6f", std::max(v.minLon, -180.0),
                  std::max(v.minLat, -85.0), std::min(v.maxLon, 180.0), std::min(v.maxLat, 85.0));
    auto quote = [](const std::string &s) {
        std::string q = "'";
        for (char c : s)
            q += c == '\'' ? std::string("'\\''") : std::string(1, c);
        return q + "'";
    };
    // `orefront brief` in a process of its own: the sheet's map renders through EGL, which must
    // not take this window's GL context, and a failure there cannot take the viewer down.
    std::error_code ec;
    const std::string self = fs::read_symlink("/proc/self/exe", ec).string();
    if (ec) {
        m_error = "cannot export the briefing: cannot find the orefront binary: " + ec.message();
        return;
    }
    const std::string cmd =
        quote(self) + " brief " + quote(m_scenarioPath) + " -o " + quote(path) + " --bbox " + bbox + " 2>&1";
    runJob(
        "briefing " + fileName(path),
        [cmd, path, this]() -> UiStep {
            std::string out;
            FILE *p = ::popen(cmd.c_str(), "r");
            if (!p)
                throw std::runtime_error("cannot start orefront brief");
            char buf[512];
            for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
                out.append(buf, n);
            if (::pclose(p) != 0) {
                const auto at = out.find("orefront brief: ");
                throw std::runtime_error(at == std::string::npos ? out : out.substr(at + 16));
            }
            return
                [this, path] { m_message = "wrote " + path + " (the scenario as saved, the current view)"; };
        },
        [this](const std::string &what) { m_error = "cannot export the briefing: " + what; });
}

void ViewerApp::startRings(std::vector<double> km) {
    const auto *snap = m_doc.snapshot();
    if (!snap)
        return;
    m_ringsInFlight = true;
    const auto submitted = std::chrono::steady_clock::now();
    auto snapshot = m_doc.snapshotPtr(); // its prepared ring boundary
    auto project = snap->project;
    auto previous = m_doc.ringSet(); // rings whose distance did not change are reused
    runJob(
        {},
        [this, snapshot, project, previous, km, submitted]() -> UiStep {
            JobTrace trace{submitted};
            trace.started = std::chrono::steady_clock::now();
            const double cpu = threadCpuMs();
            auto rings = buildRingSet(*snapshot, km, previous.get(), 0, &trace.computed);
            trace.finished = std::chrono::steady_clock::now();
            trace.cpuMs = threadCpuMs() - cpu;
            return [this, rings, project, trace] {
                m_ringsInFlight = false;
                // A result for a scenario that was replaced meanwhile is dropped.
                if (m_doc.snapshot() && m_doc.snapshot()->project == project) {
                    m_doc.setRings(rings);
                    m_ringsTrace = trace;
                    m_ringsTrace.applied = std::chrono::steady_clock::now();
                }
                runAfterRings();
            };
        },
        [this](const std::string &what) {
            m_ringsInFlight = false;
            m_error = "cannot build the rings: " + what;
            runAfterRings();
        });
}

void ViewerApp::startRules() {
    m_rulesInFlight = true;
    auto snap = m_doc.snapshotPtr();
    model::Scenario scenario = *m_doc.scenario();
    scenario.thresholds = m_edits.thresholds;
    scenario.severities = m_edits.severities;
    const auto submitted = std::chrono::steady_clock::now();
    // The Deposits table's rows are built with the report, for its filter and sort as they are now.
    const TableRowsFor table{m_depositsWindow.m_filter, m_depositsWindow.m_sort};
    runJob(
        {},
        [this, snap, scenario, submitted, table]() -> UiStep {
            JobTrace trace{submitted, std::chrono::steady_clock::now()};
            const double cpu = threadCpuMs();
            auto result = std::make_shared<MapDocument::RuleResult>();
            // The worker's spare report brought up to date where it can be (the rules whose
            // thresholds changed checked again), else evaluated anew. Live: no human-readable
            // details (the inspector asks for its one deposit).
            std::optional<SpareReport> spare = std::exchange(m_spareReport, std::nullopt);
            // The spare's views are its old report's: only a start for the new ones.
            std::shared_ptr<const ReportViews> previousViews;
            if (spare && spare->snapshot.lock() == snap)
                previousViews = std::exchange(spare->result.views, nullptr);
            const bool updated = m_options.rulesInPlace && spare && spare->snapshot.lock() == snap &&
                                 rules::update(spare->result.report, spare->thresholds, scenario, snap->facts,
                                               snap->measurements);
            if (updated)
                *result = std::move(spare->result);
            else
                result->report = rules::evaluate(scenario, snap->facts, snap->measurements, false);
            trace.computed = std::chrono::steady_clock::now();
            // The marker colours, and what the labels, legend, table and chart derive from the
            // report, here (two threads: the UI thread waits meanwhile) rather than on the
            // frame that shows it; both from the report's columns, read once.
            const DepositColumns columns = DepositColumns::of(result->report);
            MapDocument::markerColoursFor(*snap, columns.verdict, result->markerColours);
            result->views = computeReportViews(*snap, result->report, scenario.thresholds,
                                               previousViews.get(), 2, &columns, &table);
            trace.finished = std::chrono::steady_clock::now();
            trace.cpuMs = threadCpuMs() - cpu;
            return [this, snap, scenario, result, trace, updated] {
                // A ring distance edit also changes the verdicts: while its rings are still being
                // built, the verdicts wait for them, so that both show in one frame (one redraw
                // of the map, not two: at 100k deposits each costs 50-70 ms) and never the new
                // colours with the old rings.
                if (m_ringsInFlight) {
                    m_afterRings.push_back([this, snap, scenario, result, trace, updated] {
                        applyRules(snap, scenario, result, trace, updated);
                    });
                    return;
                }
                applyRules(snap, scenario, result, trace, updated);
            };
        },
        [this](const std::string &what) {
            m_rulesInFlight = false;
            m_error = "cannot evaluate the rules: " + what;
        },
        m_rulesWorker.get());
}

void ViewerApp::runAfterRings() {
    for (auto &step : std::exchange(m_afterRings, {}))
        step();
}

void ViewerApp::applyRules(const std::shared_ptr<const ScenarioSnapshot> &snap,
                           const model::Scenario &scenario,
                           const std::shared_ptr<MapDocument::RuleResult> &result, const JobTrace &trace,
                           bool updated) {
    m_rulesInFlight = false;
    if (m_doc.snapshotPtr() != snap)
        return;
    m_rulesUpdates += updated;
    // The replaced report (the document's is always evaluate() of its scenario, without
    // details) goes back to the rules worker as its spare, for the next edit.
    const model::Thresholds was = m_doc.scenario()->thresholds;
    auto old = std::make_shared<MapDocument::RuleResult>(
        m_doc.setReport(scenario.thresholds, scenario.severities, std::move(*result)));
    keepSpareReport(snap, was, std::move(old));
    m_rulesTrace = trace;
    m_rulesTrace.applied = std::chrono::steady_clock::now();
}

void ViewerApp::keepSpareReport(const std::shared_ptr<const ScenarioSnapshot> &snapshot,
                                const model::Thresholds &thresholds,
                                std::shared_ptr<MapDocument::RuleResult> result) {
    std::weak_ptr<const ScenarioSnapshot> of = snapshot;
    m_rulesWorker->submit([this, of, thresholds, result] {
        m_spareReport = SpareReport{of, thresholds, std::move(*result)};
    });
}

void ViewerApp::applyHostileMarkings() {
    if (!m_baseSnap || m_hostileInFlight)
        return;
    const std::uint64_t rev = m_annotations.hostileRevision();
    if (rev == m_hostileApplied && m_baseSnap == m_hostileBase)
        return;
    m_hostileApplied = rev;
    m_hostileBase = m_baseSnap;
    std::vector<model::Annotation> marked = m_annotations.hostileAnnotations();
    if (marked.empty() && m_doc.snapshotPtr() == m_baseSnap)
        return;
    // Measured again with the marked annotations among the hostile positions, on a worker; the
    // rings and verdicts on screen follow when it is done.
    m_hostileInFlight = true;
    auto base = m_baseSnap;
    const model::Thresholds thresholds = m_edits.thresholds;
    const auto severities = m_edits.severities;
    runJob(
        "hostile markings",
        [this, base, marked = std::move(marked), thresholds, severities]() -> UiStep {
            std::shared_ptr<const ScenarioSnapshot> snap = base;
            if (!marked.empty()) {
                auto edited = withHostileAnnotations(*base, marked);
                auto project = std::const_pointer_cast<model::Project>(edited->project);
                project->scenario.thresholds = thresholds;
                project->scenario.severities = severities;
                snap = edited;
            }
            auto rings = buildRingSet(*snap, thresholds.ringsKm);
            auto result = std::make_shared<MapDocument::RuleResult>();
            result->report = rules::evaluate(snap->project->scenario, snap->facts, snap->measurements, false);
            result->markerColours = MapDocument::markerColoursFor(*snap, result->report);
            // What the markings change: the same rules without them, deposit by deposit.
            std::vector<std::string> changes;
            if (snap != base) {
                model::Scenario without = base->project->scenario;
                without.thresholds = thresholds;
                without.severities = severities;
                const rules::Report before = rules::evaluate(without, base->facts, base->measurements, false);
                for (std::size_t i = 0; i < before.deposits.size() && i < result->report.deposits.size(); ++i)
                    if (before.deposits[i].verdict != result->report.deposits[i].verdict)
                        changes.push_back(before.deposits[i].name + ": " +
                                          verdictLabel(before.deposits[i].verdict) + " -> " +
                                          verdictLabel(result->report.deposits[i].verdict));
            }
            return [this, base, snap, rings, result, changes] {
                m_hostileInFlight = false;
                if (m_baseSnap != base)
                    return; // another scenario meanwhile
                m_whatIfChanges = changes;
                m_doc.setScenario(snap, std::move(*result));
                m_doc.setRings(rings);
                m_snapFor = nullptr; // snap points again
            };
        },
        [this](const std::string &what) {
            m_hostileInFlight = false;
            m_error = "cannot apply the hostile markings: " + what;
        });
}

void ViewerApp::applyEdits() {
    applyHostileMarkings();
    const model::Scenario *applied = m_doc.scenario();
    if (!applied)
        return;
    // The line-of-contact distance is a measurement input: the scenario is measured again
    // (loaded with the edits, the view kept), not only re-evaluated.
    const double contact = m_edits.thresholds.lineOfContactKm;
    if (m_baseSnap && contact != m_baseSnap->project->scenario.thresholds.lineOfContactKm &&
        contact != m_contactRequested) {
        m_contactRequested = contact;
        loadScenario(std::make_shared<const model::Scenario>(currentScenario()), "line of contact", false);
        return;
    }
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

void ViewerApp::openAnnotationStore(const std::string &source, bool keepCurrent) {
    // A store the user chose is created if missing; the scenario's default one is only opened.
    std::unique_ptr<io::AnnotationStore> store;
    try {
        store = io::openAnnotationStore(source, keepCurrent);
        if (store->readOnly()) {
            if (!keepCurrent)
                m_annotations.attachReadOnly(store.get());
            m_store.reset();
            m_annotations.attachKeeping(nullptr);
            m_storeOk = false;
            m_storeStatus = "In memory only: " + store->describe() +
                            " is read-only. Edits are not saved until you choose another store.";
            return;
        }
        if (keepCurrent)
            m_annotations.attachKeeping(store.get());
        else
            m_annotations.attach(store.get());
    } catch (const std::exception &e) {
        // Keep what is on screen, in memory.
        m_store.reset();
        m_annotations.attachKeeping(nullptr);
        m_storeOk = false;
        m_storeStatus = std::string("In memory only: ") + e.what() + ". Store... chooses where to keep them.";
        return;
    }
    m_store = std::move(store);
    m_storeFile = source;
    m_storeStamp = {};
    m_storeOk = true;
    m_storeStatus = "Saved to " + m_store->describe();
    m_lastStorePoll = std::chrono::steady_clock::now();
}

void ViewerApp::pollAnnotationStore() {
    if (!m_store)
        return;
    const auto now = std::chrono::steady_clock::now();
    if (now - m_lastStorePoll < std::chrono::seconds(1))
        return;
    m_lastStorePoll = now;
    // Asking the store for its revision opens it (tens of milliseconds on a loaded machine):
    // for a file, only when its time or size moved since the last look. Our own commits move it
    // too; the document knows their revisions and does not reload for them.
    if (std::error_code ec; fs::is_regular_file(m_storeFile, ec)) {
        const auto stamp = std::make_pair(fs::last_write_time(m_storeFile, ec).time_since_epoch().count(),
                                          std::int64_t(fs::file_size(m_storeFile, ec)));
        if (stamp == m_storeStamp)
            return;
        m_storeStamp = stamp;
    }
    // Another process committed: reload (every edit of ours is already committed, so nothing
    // of ours is lost, and nothing of theirs is overwritten).
    if (m_annotations.reloadIfChanged())
        m_message = "annotations reloaded: changed by another process";
}

void ViewerApp::select(int deposit) {
    m_selected = deposit;
    if (deposit >= 0 && m_doc.snapshot())
        m_controller.flyTo(m_doc.depositAnchor(deposit));
}

std::string ViewerApp::statusText() const {
    std::string s;
    if (m_ringsInFlight)
        s += "rebuilding rings...  ";
    if (m_hostileInFlight)
        s += "applying hostile markings...  ";
    else if (m_doc.snapshotPtr() && m_doc.snapshotPtr() != m_baseSnap)
        s += "what-if: annotations marked hostile are measured from  ";
    if (m_animation)
        s += "exporting the animation: " +
             (m_animation->prepared() ? std::to_string(m_animation->written()) + "/" +
                                            std::to_string(m_animation->total()) + " frames"
                                      : std::string("preparing the snapshots")) +
             "...  ";
    if (!m_message.empty())
        s += m_message + "  ";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.0f m/px", m_controller.camera().metresPerPixel);
    return s + buf;
}

void ViewerApp::chooseFile(int purpose) {
    const std::string here = m_scenarioPath.empty() ? fs::current_path().string()
                                                    : fs::path(m_scenarioPath).parent_path().string();
    using M = FileDialog::Mode;
    switch (purpose) {
    case kOpenScenario:
        m_fileDialog.open(purpose, "Open scenario", M::Open, {".toml"}, here);
        break;
    case kAddLayer:
        m_fileDialog.open(purpose, "Add layer", M::Open,
                          {".geojson", ".json", ".gpkg", ".shp", ".kml", ".fgb", ".gml", ".csv"}, here);
        break;
    case kSaveScenario:
        m_fileDialog.open(purpose, "Save scenario as", M::Save, {".toml"}, here + "/scenario-edited.toml");
        break;
    case kExportPng:
        m_fileDialog.open(purpose, "Export the map as PNG", M::Save, {".png"},
                          (fs::current_path() / "orefront-map.png").string());
        break;
    case kExportReport:
        m_fileDialog.open(purpose, "Export the report", M::Save, {".geojson", ".csv", ".gpkg"},
                          (fs::current_path() / "orefront-report.geojson").string());
        break;
    case kAnnotationStore:
        m_fileDialog.open(purpose, "Annotation store (GeoPackage)", M::Save, {".gpkg"},
                          here + "/annotations.gpkg");
        break;
    case kExportBriefing:
        m_fileDialog.open(purpose, "Export a briefing of the current view", M::Save, {".pdf", ".png"},
                          (fs::current_path() / "orefront-briefing.pdf").string());
        break;
    }
    // The desktop's own dialog when there is one; it blocks, so it runs on a worker.
    if (const std::string cmd = m_fileDialog.desktopCommand(); !cmd.empty()) {
        m_fileDialog.m_openRequested = false;
        runJob(
            {},
            [this, cmd, purpose]() -> UiStep {
                auto chosen = runDesktopDialog(cmd);
                if (!chosen)
                    return {};
                return [this, purpose, path = *chosen] { fileChosen(purpose, path); };
            },
            [this](const std::string &what) { m_error = "file dialog: " + what; });
    }
}

void ViewerApp::fileChosen(int purpose, const std::string &path) {
    switch (purpose) {
    case kOpenScenario:
        openScenario(path);
        break;
    case kAddLayer:
        dropFiles({path}); // the same confirmation as a dropped file
        break;
    case kSaveScenario:
        saveScenarioAs(path);
        break;
    case kExportPng:
        m_exportPng = path;
        break;
    case kExportReport:
        exportReport(path);
        break;
    case kAnnotationStore:
        openAnnotationStore(path, true);
        break;
    case kExportBriefing:
        exportBriefing(path);
        break;
    }
}

void ViewerApp::perform(Action action) {
    switch (action) {
    case Action::OpenScenario:
        return chooseFile(kOpenScenario);
    case Action::AddLayer:
        return chooseFile(kAddLayer);
    case Action::SaveScenarioAs:
        return chooseFile(kSaveScenario);
    case Action::ExportPng:
        return chooseFile(kExportPng);
    case Action::ExportReport:
        return chooseFile(kExportReport);
    case Action::Find:
        return m_search.focus();
    case Action::Fit:
        return m_controller.fit(m_controller.fitBounds());
    case Action::ClearSelection:
        if (m_annotationEditor.drawing()) {
            m_annotationEditor.cancel(); // Esc first drops what is being drawn
            return;
        }
        m_annotationEditor.select(0);
        m_selected = -1;
        return;
    case Action::Undo:
    case Action::Redo: {
        m_annotationEditor.cancel();
        // The selection follows the edit: an annotation an undo or redo brings back (with a new
        // id from the store) is selected; one it takes away is not.
        std::vector<std::int64_t> before;
        for (const auto &a : m_annotations.annotations())
            before.push_back(a.id);
        action == Action::Undo ? m_annotations.undo() : m_annotations.redo();
        for (const auto &a : m_annotations.annotations())
            if (std::find(before.begin(), before.end(), a.id) == before.end())
                m_annotationEditor.select(a.id);
        if (!m_annotations.find(m_annotationEditor.selected()))
            m_annotationEditor.select(0);
        return;
    }
    case Action::DeleteAnnotation:
        m_annotationEditor.deleteSelected(m_annotations);
        return;
    case Action::FinishDrawing:
        m_annotationEditor.finish(m_annotations);
        return;
    case Action::ResetLayout:
        m_resetLayout = true;
        return;
    case Action::KeyboardHelp:
        m_showKeyboard = true;
        return;
    case Action::Quit:
        m_quit = true;
        return;
    }
}

void ViewerApp::handleShortcuts() {
    for (const auto &s : shortcuts()) {
        // Plain keys (Esc, Home, F1, Del) only when no text field has the keyboard; nor undo and
        // redo, which a text field does for its own text.
        const bool textKey =
            !(s.chord & ImGuiMod_Mask_) || s.action == Action::Undo || s.action == Action::Redo;
        if (textKey && ImGui::GetIO().WantTextInput)
            continue;
        if (ImGui::IsKeyChordPressed(s.chord))
            perform(s.action);
    }
}

void ViewerApp::drawMenu() {
    if (!ImGui::BeginMainMenuBar())
        return;
    if (ImGui::BeginMenu("File")) {
        if (ImGui::MenuItem("Open scenario...", shortcutKeys(Action::OpenScenario)))
            perform(Action::OpenScenario);
        if (ImGui::BeginMenu("Recent scenarios", !m_recent.paths().empty())) {
            for (const auto &p : m_recent.paths())
                if (ImGui::MenuItem(p.c_str()))
                    openScenario(p);
            ImGui::EndMenu();
        }
        if (ImGui::MenuItem("Add layer...", shortcutKeys(Action::AddLayer)))
            perform(Action::AddLayer);
        if (ImGui::MenuItem("Save scenario as...", shortcutKeys(Action::SaveScenarioAs), false,
                            m_doc.scenario() != nullptr))
            perform(Action::SaveScenarioAs);
        if (ImGui::MenuItem("Annotation store..."))
            chooseFile(kAnnotationStore);
        ImGui::Separator();
        if (ImGui::MenuItem("Export map as PNG...", shortcutKeys(Action::ExportPng)))
            perform(Action::ExportPng);
        if (ImGui::MenuItem("Export report...", shortcutKeys(Action::ExportReport), false,
                            m_doc.snapshot() != nullptr))
            perform(Action::ExportReport);
        if (ImGui::MenuItem("Export briefing...", nullptr, false, m_doc.snapshot() != nullptr))
            chooseFile(kExportBriefing);
        if (ImGui::MenuItem("Export animation...", nullptr, false,
                            !m_timelineWindow.snapshots.empty() && !m_animation))
            m_animationDialog.open(m_timelineWindow.snapshots.front(), m_timelineWindow.snapshots.back(),
                                   fs::current_path().string());
        ImGui::Separator();
        if (ImGui::MenuItem("Quit", shortcutKeys(Action::Quit)))
            m_quit = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Edit")) {
        if (ImGui::MenuItem("Undo", shortcutKeys(Action::Undo), false, m_annotations.canUndo()))
            perform(Action::Undo);
        if (ImGui::MenuItem("Redo", shortcutKeys(Action::Redo), false, m_annotations.canRedo()))
            perform(Action::Redo);
        if (ImGui::MenuItem("Delete annotation", shortcutKeys(Action::DeleteAnnotation), false,
                            m_annotationEditor.selected() != 0))
            perform(Action::DeleteAnnotation);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        ImGui::MenuItem(kLayersWindow, nullptr, &m_showLayers);
        ImGui::MenuItem(kRulesWindow, nullptr, &m_showRules);
        ImGui::MenuItem(kDepositsWindow, nullptr, &m_showDeposits);
        ImGui::MenuItem(kInspectorWindow, nullptr, &m_showInspector);
        ImGui::MenuItem(kAnnotationsWindow, nullptr, &m_showAnnotations);
        ImGui::MenuItem(kTimelineWindow, nullptr, &m_showTimeline);
        ImGui::MenuItem(kWhatIfWindow, nullptr, &m_showWhatIf);
        ImGui::MenuItem(kMessagesWindow, nullptr, &m_showMessages);
        if (ImGui::MenuItem("Reset layout", shortcutKeys(Action::ResetLayout)))
            perform(Action::ResetLayout);
        ImGui::Separator();
        ImGui::MenuItem("Legend", nullptr, &m_settings.legend);
        ImGui::MenuItem("Scale bar", nullptr, &m_settings.scaleBar);
        ImGui::MenuItem("Graticule", nullptr, &m_settings.style.graticule);
        ImGui::MenuItem("Graticule labels", nullptr, &m_settings.graticuleLabels);
        ImGui::MenuItem("Range rings", nullptr, &m_settings.style.rings);
        ImGui::MenuItem("Ring labels", nullptr, &m_settings.ringLabels);
        ImGui::SetNextItemWidth(120);
        ImGui::SliderFloat("Marker size", &m_settings.style.markerScale, 0.5f, 2.5f, "%.1fx");
        if (ImGui::MenuItem("Fit the theatre", shortcutKeys(Action::Fit)))
            perform(Action::Fit);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        if (ImGui::MenuItem("Keyboard", shortcutKeys(Action::KeyboardHelp)))
            m_showKeyboard = true;
        ImGui::EndMenu();
    }
    ImGui::Spacing();
    m_search.Draw(m_doc, 220 * ImGui::GetStyle().FontScaleDpi, [this](int i) { select(i); });
    ImGui::Spacing();
    m_messagesCount = {-1, -1};
    if (const std::size_t n = m_messagesWindow.messages().size()) {
        // The count of analyze's warnings; a click opens the list (View > Messages).
        // Dark amber on light amber: a warning, readable on the menu bar.
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.50f, 0.22f, 0.0f, 1.0f));
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(1.0f, 0.86f, 0.62f, 1.0f));
        ImGui::PushStyleColor(ImGuiCol_ButtonHovered, ImVec4(1.0f, 0.78f, 0.45f, 1.0f));
        const std::string label = std::to_string(n) + (n == 1 ? " warning" : " warnings");
        if (ImGui::SmallButton(label.c_str())) {
            m_showMessages = true;
            ImGui::SetWindowFocus(kMessagesWindow);
        }
        ImGui::PopStyleColor(3);
        ImGui::SetItemTooltip("What analyze warns of for this scenario: click for the list");
        const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
        m_messagesCount = {(a.x + b.x) / 2, (a.y + b.y) / 2};
        ImGui::Spacing();
    }
    if (!m_error.empty()) {
        ImGui::TextColored({0.84f, 0.37f, 0.0f, 1.0f}, "%s", m_error.c_str());
        if (ImGui::IsItemClicked())
            m_error.clear();
        ImGui::SetItemTooltip("%s\n(click to dismiss)", m_error.c_str());
    } else {
        if (const auto loading = loadingJobs(); !loading.empty())
            ImGui::TextDisabled("%s", loadingText(loading.front()).c_str());
    }
    ImGui::EndMainMenuBar();
}

void ViewerApp::drawDockspace() {
    const ImGuiViewport *vp = ImGui::GetMainViewport();
    m_dockspace = ImGui::GetID("OrefrontDockSpace");
    // First start (no imgui.ini holds the node) or View > Reset layout.
    // A layout saved before some panels existed: they join it where the default puts them.
    if (!m_layoutChecked && !m_resetLayout && ImGui::DockBuilderGetNode(m_dockspace))
        m_resetLayout = !dockPanelsMissingFromLayout(m_dockspace);
    m_layoutChecked = true;
    if (m_resetLayout || !ImGui::DockBuilderGetNode(m_dockspace)) {
        buildDefaultLayout(m_dockspace, vp->WorkSize, ImGui::GetStyle().FontScaleDpi);
        m_resetLayout = false;
        m_showLayers = m_showRules = m_showDeposits = m_showInspector = m_showAnnotations = m_showTimeline =
            m_showWhatIf = true;
    }
    // Passthru: the host window paints no background under the central node; the map image
    // covers it, and a second full-window layer is what a software renderer feels most.
    // Passthru alone leaves a hole only while the central node is empty: with the map docked
    // there ImGui paints the whole dock space (the full window, blended) in WindowBg under the
    // map and the panels. The frame is cleared to WindowBg instead (viewer_cli.cpp), so the
    // dock space paints nothing: the same pixels, one full-window blended layer fewer.
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(0, 0, 0, 0));
    ImGui::DockSpaceOverViewport(m_dockspace, vp, ImGuiDockNodeFlags_PassthruCentralNode);
    ImGui::PopStyleColor();
}

void ViewerApp::drawMap(double dt) {
    // The map: the central node, no tab bar, nothing docked over it.
    ImGuiWindowClass mapClass;
    mapClass.DockNodeFlagsOverrideSet = ImGuiDockNodeFlags_NoTabBar | ImGuiDockNodeFlags_NoDockingOverMe;
    ImGui::SetNextWindowClass(&mapClass);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, {0, 0});
    // No background: the map image covers the window.
    const ImGuiWindowFlags mapFlags = ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse |
                                      ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoBackground;
    ImGui::Begin(kMapWindow, nullptr, mapFlags);
    ImGui::PopStyleVar();
    m_mapOrigin = ImGui::GetCursorScreenPos();
    m_mapSize = ImGui::GetContentRegionAvail();
    if (m_fitPending && m_doc.snapshot() && m_mapSize.x > 16) {
        m_controller.resize(int(m_mapSize.x), int(m_mapSize.y - ImGui::GetFrameHeightWithSpacing()));
        m_controller.fit(m_controller.fitBounds());
        m_fitPending = false;
    }
    // Built once, for the screen and for PNG export alike (afterRender).
    OverlayOptions overlay = overlayOptions();
    if (const auto &w = m_whatIfWindow.view) // the What-if panel's front: on the screen only
        for (auto &e : frontSketchEntries({}, w->whatif.name, kWhatIfFront))
            overlay.extraLegend.push_back(std::move(e));
    if (m_doc.snapshot() != m_snapFor) {
        // Shift snaps to the deposits of the scenario shown.
        m_snapFor = m_doc.snapshot();
        std::vector<model::LonLat> anchors;
        for (int i = 0; m_snapFor && i < int(m_doc.report().deposits.size()); ++i)
            anchors.push_back(m_doc.depositAnchor(i));
        m_annotationEditor.setSnapPoints(std::move(anchors));
    }
    // Compare's Swipe and Side by side: date A's own map beside B's (compare_view.hpp).
    const bool comparing = m_compareA && m_timelineWindow.shown && m_compareMap.ready();
    const int mode = comparing ? m_timelineWindow.compareMode : TimelineWindow::Overlay;
    const float statusHeight = ImGui::GetFrameHeightWithSpacing();
    m_compareOrigin = m_mapOrigin;
    if (mode == TimelineWindow::SideBySide) {
        m_compareOrigin =
            comparePaneInput(m_controller, m_compareMap.document(), m_mapWindow.m_markerScale, m_selected);
        m_mapOrigin = ImGui::GetCursorScreenPos();
        m_mapSize = ImGui::GetContentRegionAvail();
    } else if (mode == TimelineWindow::Swipe) {
        swipeDividerInput(m_mapOrigin, {m_mapSize.x, m_mapSize.y - statusHeight}, m_timelineWindow.swipeAt);
    }
    // Over the map image, under its labels and legend: A's half of a swipe, the what-if's front.
    const WhatIfView *whatIf = m_whatIfWindow.view.get();
    if (mode == TimelineWindow::Swipe || whatIf)
        m_mapWindow.m_underlay = [this, mode, whatIf](ImDrawList *dl, ImVec2 origin, ImVec2 size) {
            if (mode == TimelineWindow::Swipe)
                drawSwipeImage(dl, origin, size,
                               m_compareMap.render(m_doc, m_controller.camera(), m_settings.style),
                               m_timelineWindow.swipeAt);
            if (whatIf)
                drawWhatIfFront(dl, origin, m_controller.camera(), *whatIf);
        };
    if (mode == TimelineWindow::Swipe) // B's labels on B's side of the divider only
        m_mapWindow.m_labelsFromX = m_mapOrigin.x + swipeDividerX(m_mapSize.x, m_timelineWindow.swipeAt);
    const auto mapStart = std::chrono::steady_clock::now();
    m_mapWindow.Draw(m_doc, m_controller, *m_renderer, m_settings, overlay, m_selected, statusText(), dt,
                     {&m_annotations, &m_annotationEditor});
    m_mapWindowMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - mapStart).count();
    m_mapWindow.m_underlay = nullptr;
    m_mapWindow.m_labelsFromX.reset();
    ImDrawList *dl = ImGui::GetWindowDrawList();
    const ImVec2 mapSize{m_mapSize.x, m_mapSize.y - statusHeight};
    if (m_compareA && m_timelineWindow.shown)
        drawCompareOverlay(
            dl, m_mapOrigin, m_controller.camera(), m_doc,
            {m_compareA->date, *m_timelineWindow.shown, &m_compareChanged,
             mode == TimelineWindow::Overlay && m_timelineWindow.showFrontA ? &m_compareA->front : nullptr});
    if (mode == TimelineWindow::SideBySide) // after the overlay: B's date tag over its legend box
        drawSideBySide(dl, m_compareOrigin, m_mapOrigin, mapSize,
                       m_compareMap.render(m_doc, m_controller.camera(), m_settings.style), m_compareA->date,
                       *m_timelineWindow.shown);
    if (mode == TimelineWindow::Swipe)
        drawSwipeDivider(dl, m_mapOrigin, mapSize, m_timelineWindow.swipeAt, m_compareA->date,
                         *m_timelineWindow.shown);
    ImGui::End();
}

OverlayOptions ViewerApp::overlayOptions() const {
    OverlayOptions overlay;
    overlay.legend = m_settings.legend;
    overlay.scaleBar = m_settings.scaleBar;
    overlay.ringLabels = m_settings.ringLabels;
    overlay.graticuleLabels = m_settings.graticuleLabels;
    overlay.basemapNote = m_basemapNote;
    overlay.labels = m_settings.labels;
    overlay.selectedDeposit = m_selected;
    // The hypothetical fronts drawn (dashed violet) get a legend entry.
    std::vector<const model::Annotation *> shown;
    for (const auto &a : m_annotations.annotations())
        if (m_annotations.shown(a))
            shown.push_back(&a);
    overlay.extraLegend = frontSketchEntries(shown, "", {});
    return overlay;
}

std::vector<model::Annotation> ViewerApp::shownAnnotations() const {
    std::vector<model::Annotation> out;
    for (const auto &a : m_annotations.annotations())
        if (m_annotations.shown(a))
            out.push_back(a);
    return out;
}

void ViewerApp::drawDropPopup() {
    if (m_dropsPopup && !m_drops.empty()) {
        ImGui::OpenPopup("Add dropped files");
        m_dropsPopup = false;
    }
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, {0.5f, 0.5f});
    if (!ImGui::BeginPopupModal("Add dropped files", nullptr, ImGuiWindowFlags_AlwaysAutoResize))
        return;
    ImGui::TextDisabled("Roles are guessed from each file's geometry and name; check them.");
    static const char *kKinds[] = {"points", "lines", "polygons", "mixed", "empty"};
    for (std::size_t i = 0; i < m_drops.size(); ++i) {
        auto &d = m_drops[i];
        ImGui::PushID(int(i));
        ImGui::Checkbox("##add", &d.add);
        ImGui::SameLine();
        ImGui::Text("%s  (%zu %s)", d.name.c_str(), d.features, kKinds[int(d.kind)]);
        ImGui::SameLine(ImGui::GetContentRegionMax().x - 120);
        ImGui::SetNextItemWidth(120);
        int role = int(d.role);
        if (ImGui::Combo("##role", &role, kRoleNames, int(std::size(kRoleNames))))
            d.role = model::LayerRole(role);
        ImGui::PopID();
    }
    if (ImGui::Button("Add", {100, 0})) {
        confirmDrops();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel", {100, 0})) {
        m_drops.clear();
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void ViewerApp::drawKeyboardHelp() {
    if (!m_showKeyboard)
        return;
    ImGui::SetNextWindowPos(ImGui::GetMainViewport()->GetCenter(), ImGuiCond_Appearing, {0.5f, 0.5f});
    if (ImGui::Begin("Keyboard", &m_showKeyboard,
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoDocking |
                         ImGuiWindowFlags_NoCollapse)) {
        if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
            for (const auto &s : shortcuts()) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(s.keys);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(s.description);
            }
            for (const auto &k : mapKeys()) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k.keys);
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k.description);
            }
            ImGui::EndTable();
        }
    }
    ImGui::End();
}

void ViewerApp::draw(double dt) {
    const auto drawStart = std::chrono::steady_clock::now();
    const double drawCpu = threadCpuMs();
    m_ui.drain();
    pollAnnotationStore();
    applyEdits();
    updateMessages();
    handleShortcuts();
    updateCompare();
    updateWhatIf();

    drawMenu();
    drawDockspace();
    drawMap(dt);

    const auto flyTo = [this](int i) { m_controller.flyTo(m_doc.depositAnchor(i)); };
    const std::vector<LoadingJob> loading = loadingJobs();
    if (m_showLayers) {
        dockedPanelBackground(kLayersWindow, m_dockspace);
        m_layersWindow.Draw(kLayersWindow, &m_showLayers, m_doc, m_settings.labels, loading,
                            [this](const std::string &s, model::LayerRole r) { addLayer(s, r); });
    }
    if (m_showRules) {
        dockedPanelBackground(kRulesWindow, m_dockspace);
        m_rulesWindow.Draw(kRulesWindow, &m_showRules, m_edits, m_ringsInFlight);
    }
    if (m_showDeposits) {
        dockedPanelBackground(kDepositsWindow, m_dockspace);
        m_depositsWindow.Draw(kDepositsWindow, &m_showDeposits, m_doc, m_selected, flyTo, &m_annotations);
    }
    // Only while a deposit is selected: its dock node gives the map the room otherwise.
    if (m_showInspector && m_selected >= 0) {
        dockedPanelBackground(kInspectorWindow, m_dockspace);
        m_inspectorWindow.Draw(kInspectorWindow, &m_showInspector, m_doc, m_selected, &m_annotations,
                               m_annotationEditor.m_author);
    }
    if (m_showAnnotations) {
        dockedPanelBackground(kAnnotationsWindow, m_dockspace);
        m_annotationsWindow.Draw(
            kAnnotationsWindow, &m_showAnnotations, m_annotations, m_annotationEditor, m_storeStatus,
            m_storeOk, [this] { chooseFile(kAnnotationStore); }, m_whatIfChanges);
    }
    if (m_showTimeline) {
        updateDepositSeries();
        updateOccupiedArea();
        dockedPanelBackground(kTimelineWindow, m_dockspace);
        if (auto date = m_timelineWindow.Draw(kTimelineWindow, &m_showTimeline, dt))
            requestDate(*date);
        if (auto a = std::exchange(m_timelineWindow.askCompare, std::nullopt))
            requestCompare(*a);
        if (std::exchange(m_timelineWindow.askStopCompare, false))
            stopCompare();
        if (const int i = std::exchange(m_timelineWindow.askSelect, -1); i >= 0)
            select(i);
    }
    if (m_showWhatIf) {
        dockedPanelBackground(kWhatIfWindow, m_dockspace);
        m_whatIfWindow.Draw(kWhatIfWindow, &m_showWhatIf);
        if (auto name = std::exchange(m_whatIfWindow.askChoose, std::nullopt))
            chooseWhatIf(*name);
        if (const int i = std::exchange(m_whatIfWindow.askSelect, -1); i >= 0)
            select(i);
    }
    if (m_showMessages)
        m_messagesWindow.Draw(kMessagesWindow, &m_showMessages);
    drawKeyboardHelp();
    drawDropPopup();
    if (auto chosen = m_fileDialog.Draw())
        fileChosen(m_fileDialog.m_purpose, *chosen);
    if (auto request = m_animationDialog.Draw())
        exportAnimation(*request);
    m_drawMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - drawStart).count();
    m_drawCpuMs = threadCpuMs() - drawCpu;
}

void ViewerApp::exportAnimation(const AnimationExportRequest &request) {
    if (!m_baseScenario || m_animation) {
        m_error = m_animation ? "an animation is being exported already" : "no scenario to animate";
        return;
    }
    if (request.width < 16 || request.height < 16 || request.width > 8192 || request.height > 8192) {
        m_error = "animation " + request.path + ": the size must be 16 to 8192 pixels a side";
        return;
    }
    try {
        m_animation =
            std::make_unique<AnimationExport>(request, animationDates(*m_baseScenario, request.range));
    } catch (const std::exception &e) {
        m_error = std::string("cannot export the animation: ") + e.what();
        return;
    }
    auto base = m_baseScenario;
    const auto dates = m_animation->dates();
    const model::Thresholds thresholds = m_edits.thresholds;
    const auto severities = m_edits.severities;
    const AnimationExport *exporting = m_animation.get();
    // Annotations marked "counts as hostile" join each date's hostile positions, as on the map.
    std::vector<model::Annotation> marked = m_annotations.hostileAnnotations();
    runJob(
        "animation",
        [this, base, dates, thresholds, severities, exporting, marked = std::move(marked)]() -> UiStep {
            // Each snapshot prepared once (kept for the Timeline too) and judged with the
            // thresholds as edited.
            std::vector<AnimationExport::Frame> frames;
            std::map<const ScenarioSnapshot *, AnimationExport::Frame> judged;
            for (const auto &date : dates) {
                const PreparedDate p = prepareDate(*base, date, thresholds, severities);
                AnimationExport::Frame &f = judged[p.snapshot.get()];
                if (!f.snapshot) {
                    f.snapshot = p.snapshot;
                    f.rings = p.rings;
                    if (!marked.empty()) {
                        f.snapshot = withHostileAnnotations(*p.snapshot, marked);
                        f.rings = buildRingSet(*f.snapshot, thresholds.ringsKm);
                    }
                    model::Scenario s = f.snapshot->project->scenario;
                    s.thresholds = thresholds;
                    s.severities = severities;
                    auto r = std::make_shared<MapDocument::RuleResult>();
                    r->report = rules::evaluate(s, f.snapshot->facts, f.snapshot->measurements, false);
                    r->markerColours = MapDocument::markerColoursFor(*f.snapshot, r->report);
                    f.rules = r;
                }
                frames.push_back({date, f.snapshot, f.rings, f.rules});
            }
            return [this, exporting, frames = std::move(frames)]() mutable {
                if (m_animation.get() != exporting)
                    return;
                try {
                    m_animation->setFrames(std::move(frames));
                } catch (const std::exception &e) {
                    m_error = std::string("cannot export the animation: ") + e.what();
                    m_animation.reset();
                }
            };
        },
        [this, exporting](const std::string &what) {
            if (m_animation.get() != exporting)
                return;
            m_error = "cannot export the animation: " + what;
            m_animation.reset(); // removes what was written
        });
}

void ViewerApp::updateMessages() {
    const ScenarioSnapshot *snap = m_doc.snapshot();
    if (snap == m_messagesFor && m_doc.reportGeneration() == m_messagesGeneration &&
        m_layerWarnings.size() == m_messagesLayerWarnings)
        return;
    m_messagesFor = snap;
    m_messagesGeneration = m_doc.reportGeneration();
    m_messagesLayerWarnings = m_layerWarnings.size();
    std::vector<std::string> messages;
    if (snap) {
        messages = snap->warnings;
        if (snap->depositsLayer >= 0)
            if (auto w = rules::unresolvedCountriesWarning(
                    *snap->project->layers[std::size_t(snap->depositsLayer)], m_doc.report()))
                messages.push_back(std::move(*w));
    }
    messages.insert(messages.end(), m_layerWarnings.begin(), m_layerWarnings.end());
    m_messagesWindow.set(std::move(messages));
}

void ViewerApp::addLayerWarnings(const std::vector<std::string> &warnings) {
    // Kept apart from the scenario's: these layers stay on the map across scenario loads.
    m_layerWarnings.insert(m_layerWarnings.end(), warnings.begin(), warnings.end());
}

void ViewerApp::afterRender() {
    if (m_animation && m_animation->prepared()) {
        // A few frames per UI frame: the viewer stays live while the file is written.
        try {
            if (!m_composer)
                m_composer = std::make_unique<MapImageComposer>();
            const MapLayer *basemap = nullptr;
            for (const auto &l : m_doc.layers())
                if (l.role == model::LayerRole::Basemap)
                    basemap = &l;
            OverlayOptions overlay = overlayOptions();
            overlay.selectedDeposit = -1;
            overlay.annotations = shownAnnotations();
            if (m_animation->step(*m_renderer, *m_composer, basemap, overlay, 0.05)) {
                m_message =
                    "wrote " + m_animation->path() + " (" + std::to_string(m_animation->total()) + " frames)";
                m_error.clear();
                m_animation.reset();
            }
        } catch (const std::exception &e) {
            m_error = std::string("cannot export the animation: ") + e.what();
            m_animation.reset(); // removes what was written
        }
    }
    if (m_exportPng.empty())
        return;
    const std::string path = std::exchange(m_exportPng, {});
    try {
        if (!m_composer)
            m_composer = std::make_unique<MapImageComposer>();
        OverlayOptions overlay = overlayOptions();
        overlay.annotations = shownAnnotations();
        writePng(m_composer->compose(*m_renderer, m_doc, m_controller.camera(), m_settings.style, overlay),
                 path);
        m_message = "wrote " + path;
    } catch (const std::exception &e) {
        m_error = e.what();
    }
}

} // namespace orefront::viewer
