#pragma once
// The viewer application: owns the document, the map controller, the renderer, the windows
// and the workers; draws one frame of UI per draw() call: a dock space over the viewport
// with the map as its central node (dock_layout.hpp). Window-system free: runView() drives
// it from GLFW, the tests from a headless context with synthetic ImGui input.
// Thread rule: construct, draw and destroy on the GL thread, with an ImGui context current.
#include "animation_export.hpp"
#include "annotation_document.hpp"
#include "annotation_editor.hpp"
#include "compare_overlay.hpp"
#include "compare_view.hpp"
#include "job_queue.hpp"
#include "map_controller.hpp"
#include "map_document.hpp"
#include "map_image.hpp"
#include "ui/animation_dialog.hpp"
#include "ui/annotations_window.hpp"
#include "ui/deposits_window.hpp"
#include "ui/file_dialog.hpp"
#include "ui/inspector_window.hpp"
#include "ui/layers_window.hpp"
#include "ui/map_window.hpp"
#include "ui/messages_window.hpp"
#include "ui/rules_window.hpp"
#include "ui/search_box.hpp"
#include "ui/timeline_window.hpp"
#include "ui/whatif_window.hpp"
#include "view_settings.hpp"
#include "workspace.hpp"

#include "orefront/model/progress.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <utility>

struct ImPlotContext;

namespace orefront::viewer {

class ViewerApp {
public:
    struct Options {
        std::string scenario; // path; empty = the bundled scenario
        std::string basemap;  // GDAL source; empty = the installed Natural Earth basemap
        unsigned workers = 2;
        // Where recent_scenarios.txt lives (beside imgui.ini); empty = nothing persisted.
        std::string configDir;
        // A rule edit brings the rules worker's spare report up to date (rules::update); false:
        // every edit is evaluated anew (`view --bench-full-rules`, to compare).
        bool rulesInPlace = true;
    };
    explicit ViewerApp(Options options);
    ~ViewerApp();
    ViewerApp(const ViewerApp &) = delete;
    ViewerApp &operator=(const ViewerApp &) = delete;

    // One frame of UI, between ImGui::NewFrame() and ImGui::Render(). `dt` in seconds.
    void draw(double dt);
    // After the frame is rendered: pending PNG exports.
    void afterRender();
    bool busy() const { return !m_jobs.empty() || m_animation; }
    bool quitRequested() const { return m_quit; }

    // What the File menu, the file dialog and dropped files end in; also for the tests.
    void openScenario(const std::string &path);
    // Files dropped on the window: each is read on a worker, its role guessed from its
    // geometry and name, and offered in a confirmation popup (confirmDrops()).
    void dropFiles(const std::vector<std::string> &paths);
    // Adds the dropped files waiting for confirmation, with their (possibly edited) roles.
    void confirmDrops();
    // Adds a layer: to the scenario (analysed, saved) for an analysis role; basemap layers
    // are drawn only. Loaded on a worker; a bad file leaves everything loaded as it was.
    void addLayer(const std::string &source, model::LayerRole role);
    void saveScenarioAs(const std::string &path);
    void exportReport(const std::string &path);
    // File > Export briefing...: `orefront brief` of the scenario file for the current view.
    void exportBriefing(const std::string &path);
    void requestExportPng(const std::string &path) { m_exportPng = path; }
    // File > Export animation...: the snapshots prepared on workers, then the frames composed
    // after each UI frame (afterRender) until the file is in place; lastMessage() names it.
    // A bad range, size or path is lastError(), and nothing is written.
    void exportAnimation(const AnimationExportRequest &request);
    bool animationExporting() const { return m_animation != nullptr; }
    // The scenario as the viewer applies it: the loaded one with the edited thresholds,
    // severities and the layers added since. What Save scenario as... writes.
    model::Scenario currentScenario() const;

    struct PendingDrop {
        std::string path, name;
        model::LayerRole role = model::LayerRole::Other;
        GeometryKind kind = GeometryKind::Empty;
        std::size_t features = 0;
        bool add = true;
    };
    const std::vector<PendingDrop> &pendingDrops() const { return m_drops; }

    // The Timeline (dated scenarios): shows the scenario at `date`, the snapshot in force
    // prepared on a worker (kept for the next visit); a later request drops the result of an
    // earlier one still in flight. Verdicts use the thresholds as edited.
    void requestDate(model::Date date);
    TimelineWindow &timeline() { return m_timelineWindow; }
    // Timeline > Compare: date A against the date shown. A is prepared on a worker (as a date
    // shown is); then the deposits whose verdict differs are listed, ringed on the map, and
    // A's front drawn over it. stopCompare() ends it.
    void requestCompare(model::Date a);
    void stopCompare();
    // The deposits whose verdict differs between A and the date shown (empty when not comparing).
    const std::vector<int> &compareChanged() const { return m_compareChanged; }
    // Date A's own map (Swipe and Side by side), and where its pane was drawn last frame (Side
    // by side; the map's origin otherwise).
    const CompareMap &compareMap() const { return m_compareMap; }
    ImVec2 compareOrigin() const { return m_compareOrigin; }

    // The What-if panel: shows the named what-if `name` (a [[whatif]] table or a
    // hypothetical-front annotation; "" for none): its front on the map and the verdicts it
    // flips against the scenario shown, judged on a worker, again when the date or the rules
    // change.
    void chooseWhatIf(const std::string &name);
    WhatIfWindow &whatIfWindow() { return m_whatIfWindow; }

    // For runView's --bench-frames, and the tests.
    MapController &controller() { return m_controller; }
    MapDocument &document() { return m_doc; }
    const MapDocument &document() const { return m_doc; }
    RuleEdits &ruleEdits() { return m_edits; }
    ViewSettings &settings() { return m_settings; }
    DepositsWindow &depositsWindow() { return m_depositsWindow; }
    int selected() const { return m_selected; }
    void select(int deposit); // selects and flies to it (search box, table)
    const std::string &lastError() const { return m_error; }
    const std::string &lastMessage() const { return m_message; }
    // What analyze warns of for the scenario shown (the Messages panel), and where the menu
    // bar's count of them was drawn last frame (a click opens the panel; none: x < 0).
    const MessagesWindow &messagesWindow() const { return m_messagesWindow; }
    bool messagesShown() const { return m_showMessages; }
    ImVec2 messagesCountCentre() const { return m_messagesCount; }
    bool ringsBuilding() const { return m_ringsInFlight; }
    bool rulesEvaluating() const { return m_rulesInFlight; }
    // How many rule edits reached the document through rules::update (the worker's spare
    // report brought up to date) rather than a fresh evaluation.
    std::size_t rulesUpdatedInPlace() const { return m_rulesUpdates; }
    bool hostileMarkingsApplying() const { return m_hostileInFlight; }
    // The deposits whose verdict the hostile-marked annotations change ("NAME: from -> to").
    const std::vector<std::string> &whatIfChanges() const { return m_whatIfChanges; }
    // Whether the map on screen shows the document as it is now (nothing applied since the
    // last map draw), and how many times the map has been drawn.
    bool mapUpToDate() const {
        return m_mapWindow.m_shown && m_mapWindow.m_shown->documentRevision == m_doc.revision() &&
               m_mapWindow.m_shown->reportGeneration == m_doc.reportGeneration();
    }
    std::size_t mapDraws() const { return m_renderer->renders(); }
    // When each step of the last rules (or rings) job happened, and how long the last frame's
    // draw() and its map window took: --bench-frames's rules script breaks a rule change's
    // latency down with them.
    struct JobTrace {
        std::chrono::steady_clock::time_point submitted, started, computed, finished, applied;
        double cpuMs = 0; // the job's thread CPU time (rings: not their parallel workers')
    };
    const JobTrace &rulesTrace() const { return m_rulesTrace; }
    const JobTrace &ringsTrace() const { return m_ringsTrace; }
    double lastDrawMs() const { return m_drawMs; }
    double lastDrawCpuMs() const { return m_drawCpuMs; }
    double lastMapWindowMs() const { return m_mapWindowMs; }
    // Draws the map again next frame even if nothing changed.
    void invalidateMap() { m_mapWindow.m_shown.reset(); }
    // Where the map was drawn last frame, in ImGui screen coordinates, and its size.
    ImVec2 mapOrigin() const { return m_mapOrigin; }
    ImVec2 mapSize() const { return m_mapSize; }
    // The dock space's id (its central node holds the map); the default layout is built
    // into it on the next frame after resetLayout(), and on a first start (no imgui.ini).
    unsigned dockspaceId() const { return m_dockspace; }
    void resetLayout() { m_resetLayout = true; }

    // Annotations: the document (edits, undo/redo, the store) and the mouse editor.
    AnnotationDocument &annotations() { return m_annotations; }
    AnnotationEditor &annotationEditor() { return m_annotationEditor; }
    const std::string &annotationStoreStatus() const { return m_storeStatus; }
    // Keeps annotations in `source` (a GeoPackage path, any writable GDAL vector source, PG:)
    // from now on; with `keepCurrent`, the annotations held now are written into it first (File >
    // Annotation store...). A store that cannot be opened or is read-only leaves them in memory,
    // with a message saying why.
    void openAnnotationStore(const std::string &source, bool keepCurrent);

private:
    // The one way to run background work: `work` runs on `pool` (the general workers when
    // null) and returns what to do with its result on the UI thread; if it throws, `failed`
    // gets the message on the UI thread instead. `label` (may be empty) is shown as loading
    // while it runs; busy() counts it.
    using UiStep = std::function<void()>;
    // `progress` (optional): the counters `work` advances, shown with the label.
    void runJob(std::string label, std::function<UiStep()> work,
                std::function<void(const std::string &)> failed, WorkerPool *pool = nullptr,
                std::shared_ptr<const model::Progress> progress = nullptr);
    std::vector<LoadingJob> loadingJobs() const; // the labelled jobs in flight, as shown
    void loadScenario(std::shared_ptr<const model::Scenario> scenario, std::string label, bool fit);
    void startRings(std::vector<double> km);
    void startRules();
    // A rules job's result onto the document (the UI thread).
    void applyRules(const std::shared_ptr<const ScenarioSnapshot> &snap, const model::Scenario &scenario,
                    const std::shared_ptr<MapDocument::RuleResult> &result, const JobTrace &trace,
                    bool updated);
    // What waited for the ring job in flight (applyRules), run when it is done or failed.
    void runAfterRings();
    // Hands `result` (evaluated for `snapshot` with `thresholds`) to the rules worker as its
    // spare report. Any thread.
    void keepSpareReport(const std::shared_ptr<const ScenarioSnapshot> &snapshot,
                         const model::Thresholds &thresholds,
                         std::shared_ptr<MapDocument::RuleResult> result);
    void startBasemap();
    void startTimeline(std::shared_ptr<const model::Scenario> base);
    struct PreparedDate;
    // The snapshot in force at `date` (read, measured and ringed once, then kept). Worker.
    PreparedDate prepareDate(const model::Scenario &base, model::Date date,
                             const model::Thresholds &thresholds,
                             const std::map<std::string, model::Severity> &severities);
    void prefetchSnapshots(std::shared_ptr<const model::Scenario> base, std::vector<model::Date> dates);
    void updateDepositSeries();
    void updateOccupiedArea();
    void updateCompare();
    void updateWhatIf(); // the named what-ifs, and the chosen one judged again when needed
    void applyEdits();
    void handleShortcuts();
    void perform(Action action);
    void chooseFile(int purpose);
    void fileChosen(int purpose, const std::string &path);
    void drawDockspace();
    void drawMap(double dt);
    OverlayOptions overlayOptions() const; // the one place overlay options are built
    // The annotations as the map shows them (visible, in a shown group): File > Export map and
    // File > Export animation draw these.
    std::vector<model::Annotation> shownAnnotations() const;
    void addLayerWarnings(const std::vector<std::string> &warnings);
    void drawMenu();
    void drawDropPopup();
    void drawKeyboardHelp();
    void pollAnnotationStore();
    // Verdicts and rings measured from the hostile-marked annotations too, when they change.
    void applyHostileMarkings(); // about once a second: reloads a change another process made
    void updateMessages();       // when the snapshot shown or its report changes
    std::string statusText() const;

    Options m_options;
    ViewSettings m_settings;
    RuleEdits m_edits;
    MapDocument m_doc;
    MapController m_controller;
    std::unique_ptr<MapRenderer> m_renderer;
    std::unique_ptr<MapImageComposer> m_composer; // created on first PNG export
    ImPlotContext *m_plot = nullptr;
    int m_selected = -1;
    std::string m_scenarioPath; // the file the scenario was read from

    bool m_showLayers = true;
    bool m_showDeposits = true;
    bool m_showRules = true;
    bool m_showInspector = true;
    bool m_showKeyboard = false;
    bool m_showAnnotations = true;
    bool m_showTimeline = true;
    bool m_showMessages = false; // the menu bar's warning count opens it
    bool m_showWhatIf = true;
    MapWindow m_mapWindow;
    LayersWindow m_layersWindow;
    DepositsWindow m_depositsWindow;
    RulesWindow m_rulesWindow;
    InspectorWindow m_inspectorWindow;
    AnnotationsWindow m_annotationsWindow;
    AnnotationDocument m_annotations;
    AnnotationEditor m_annotationEditor;
    std::string m_storeStatus = "In memory only: no annotation store";
    bool m_storeOk = false;
    std::unique_ptr<io::AnnotationStore> m_store;
    std::chrono::steady_clock::time_point m_lastStorePoll;
    std::string m_storeFile;                            // the store's source (a file, for most)
    std::pair<std::int64_t, std::int64_t> m_storeStamp; // its modification time and size
    const ScenarioSnapshot *m_snapFor = nullptr;        // the snapshot the editor's snap points are from
    SearchBox m_search;
    AnimationDialog m_animationDialog;
    std::unique_ptr<AnimationExport> m_animation; // the export under way
    TimelineWindow m_timelineWindow;
    WhatIfWindow m_whatIfWindow;
    std::uint64_t m_whatIfRequest = 0;
    // What the chosen what-if was last judged against: the snapshot, its report and the what-if.
    std::tuple<const ScenarioSnapshot *, std::uint64_t, model::WhatIf> m_whatIfKey{nullptr, 0, {}};
    MessagesWindow m_messagesWindow;
    const ScenarioSnapshot *m_messagesFor = nullptr; // the snapshot and report it lists
    std::uint64_t m_messagesGeneration = ~0ull;
    // What loading the layers drawn only (basemap, File > Add layer and dropped files outside
    // the analysis) warned of, each naming its file and layer: listed after the scenario's.
    std::vector<std::string> m_layerWarnings;
    std::size_t m_messagesLayerWarnings = 0;
    ImVec2 m_messagesCount{-1, -1};
    // The scenario as read (its series unresolved), and each date's snapshot once prepared,
    // by the files in force (workers read and fill it under the mutex).
    std::shared_ptr<const model::Scenario> m_baseScenario;
    std::uint64_t m_dateRequest = 0;
    struct PreparedDate {
        std::shared_ptr<const ScenarioSnapshot> snapshot;
        std::shared_ptr<const RingSet> rings;
        std::vector<rules::Verdict> verdicts; // with the thresholds of its preparation
        double occupiedKm2 = 0;               // analysis::occupiedAreaKm2, as `history --areas`
    };
    std::mutex m_preparedMutex;
    std::map<std::string, PreparedDate> m_prepared;
    std::map<long, std::string> m_preparedKeyOf; // snapshot date (days) -> m_prepared key
    std::uint64_t m_preparedGeneration = 0;      // bumped on every insertion
    std::uint64_t m_seriesGeneration = ~0ull;    // what the Timeline's deposit chart shows
    int m_seriesSelected = -2;
    std::uint64_t m_areaGeneration = ~0ull; // what the Timeline's area chart shows
    // Compare: date A's verdicts (thresholds as edited when asked) and front; the changes are
    // computed again whenever the report shown changes.
    struct CompareDate {
        model::Date date;
        std::vector<rules::Verdict> verdicts;
        FrontOutline front;
    };
    std::shared_ptr<const CompareDate> m_compareA;
    CompareMap m_compareMap; // A's snapshot, verdicts and rings, drawn for Swipe and Side by side
    std::uint64_t m_compareRequest = 0;
    std::vector<int> m_compareChanged;
    std::tuple<const CompareDate *, std::uint64_t, std::uint64_t> m_compareKey{nullptr, 0, 0};
    FileDialog m_fileDialog;
    RecentScenarios m_recent;
    std::vector<PendingDrop> m_drops;
    bool m_dropsPopup = false;

    std::string m_basemapNote;
    std::string m_error;   // the last failure, shown until the next success
    std::string m_message; // the last notice (export written, ...)
    std::string m_exportPng;
    bool m_quit = false;
    bool m_fitPending = true;
    bool m_resetLayout = false;
    bool m_layoutChecked = false; // dockPanelsMissingFromLayout() done (first frame)
    unsigned m_dockspace = 0;
    ImVec2 m_mapOrigin{0, 0}, m_mapSize{0, 0};
    ImVec2 m_compareOrigin{0, 0};

    struct Job {
        std::uint64_t id;
        std::string label;
        std::chrono::steady_clock::time_point start;
        std::shared_ptr<const model::Progress> progress;
    };
    std::vector<Job> m_jobs;
    std::uint64_t m_nextJob = 0;
    bool m_ringsInFlight = false;
    std::vector<std::function<void()>> m_afterRings;
    bool m_rulesInFlight = false;
    JobTrace m_rulesTrace, m_ringsTrace;
    // The rules worker's own (touched only on m_rulesWorker's one thread): the report the UI
    // last replaced (or a copy of a scenario's first), which the next edit for the same
    // snapshot brings up to date (rules::update: a grade change checks one rule again)
    // instead of evaluating anew.
    struct SpareReport {
        std::weak_ptr<const ScenarioSnapshot> snapshot;
        model::Thresholds thresholds; // what its report was evaluated with
        MapDocument::RuleResult result;
    };
    std::optional<SpareReport> m_spareReport;
    std::size_t m_rulesUpdates = 0;
    double m_drawMs = 0, m_drawCpuMs = 0, m_mapWindowMs = 0;
    bool m_hostileInFlight = false;
    // The scenario as loaded (no hostile markings); the document shows it, or it with them.
    std::shared_ptr<const ScenarioSnapshot> m_baseSnap, m_hostileBase;
    std::uint64_t m_hostileApplied = 0;
    std::vector<std::string> m_whatIfChanges;
    // The line-of-contact distance last asked for by a re-measure (Rules window): one at a
    // time, and not asked again when it failed.
    double m_contactRequested = -1;

    // Last: destroyed first, so no job outlives what it touches.
    UiQueue m_ui;
    std::unique_ptr<WorkerPool> m_workers;
    // Verdicts have a worker of their own: a slider never waits behind a ring build or a
    // layer load, and the memory of one report is there warm for the next.
    std::unique_ptr<WorkerPool> m_rulesWorker;
};

} // namespace orefront::viewer
