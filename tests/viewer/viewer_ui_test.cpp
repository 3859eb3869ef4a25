// A few frames of the whole viewer UI with synthetic input (queued ImGui io events), on a
// headless context: pan, zoom, threshold slider, ring distances.
#include "map_labels.hpp"
#include "map_legend.hpp"
#include "render/headless_gl.hpp"
#include "ui_frames.hpp"
#include "viewer_app.hpp"

#include "orefront/io/scenario_io.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <catch2/catch.hpp>
#include <imgui.h>

#include <chrono>
#include <functional>
#include <thread>

using namespace orefront;
using namespace orefront::viewer;

namespace {

struct UiFixture : test::AppFixture {
    UiFixture() : AppFixture(OREFRONT_GEODATA_DIR "/scenario.toml") {}
    void mouse(float x, float y, bool down) {
        ImGui::GetIO().AddMousePosEvent(x, y);
        ImGui::GetIO().AddMouseButtonEvent(ImGuiMouseButton_Left, down);
    }
};

} // namespace

TEST_CASE_METHOD(UiFixture, "The viewer pans, zooms and re-evaluates from UI input", "[viewer][gl]") {
    REQUIRE(settle());
    REQUIRE(app->document().snapshot());
    REQUIRE(app->lastError().empty());
    REQUIRE(app->document().rings());
    frame();
    const ImVec2 origin = app->mapOrigin();
    // The map starts on the theatre: Ukraine's front in view.
    const auto shown = app->controller().camera().visibleBounds();
    CHECK(shown.minLon < 30);
    CHECK(shown.maxLon > 40);

    SECTION("wheel zooms in around the cursor") {
        const float mx = 640, my = 400; // over the map, clear of the panels
        mouse(mx, my, false);
        frame();
        const auto before = app->controller().camera().screenToLonLat(mx - origin.x, my - origin.y);
        const double mpp = app->controller().camera().metresPerPixel;
        ImGui::GetIO().AddMouseWheelEvent(0, 1);
        frame();
        CHECK(app->controller().camera().metresPerPixel < mpp);
        const auto after = app->controller().camera().screenToLonLat(mx - origin.x, my - origin.y);
        CHECK(after.lon == Approx(before.lon).margin(1e-6));
        CHECK(after.lat == Approx(before.lat).margin(1e-6));
    }
    SECTION("dragging pans") {
        const auto centre = app->controller().camera().center;
        mouse(640, 400, false);
        frame();
        mouse(640, 400, true);
        frame();
        mouse(700, 430, true);
        frame();
        mouse(760, 460, true);
        frame();
        mouse(760, 460, false);
        frame();
        const auto moved = app->controller().camera().center;
        const double mpp = app->controller().camera().metresPerPixel;
        CHECK(moved.x == Approx(centre.x - 120 * mpp));
        CHECK(moved.y == Approx(centre.y + 60 * mpp));
    }
    SECTION("a threshold change re-evaluates on a worker, and only once") {
        const auto generation = app->document().reportGeneration();
        const auto investable = app->document().report().byVerdict;
        app->ruleEdits().thresholds.standoffKm = 0;
        app->ruleEdits().thresholds.gradeCutoffPct = 50;
        frame();
        CHECK(app->rulesEvaluating());
        REQUIRE(settle());
        CHECK(app->document().reportGeneration() == generation + 1);
        CHECK(app->document().scenario()->thresholds.gradeCutoffPct == 50);
        CHECK(app->document().report().byVerdict != investable);
        frame();
        CHECK_FALSE(app->rulesEvaluating());
        CHECK(app->document().reportGeneration() == generation + 1); // nothing new: no work
    }
    SECTION("new ring distances are rebuilt off the UI thread") {
        app->ruleEdits().thresholds.ringsKm = {20, 40, 120};
        frame();
        CHECK(app->ringsBuilding());
        REQUIRE(settle());
        REQUIRE(app->document().rings());
        CHECK(app->document().rings()->km == std::vector<double>{20, 40, 120});
        CHECK(app->document().rings()->rings.size() == 3);
    }
    SECTION("a ring distance's verdicts and rings show in the same frame") {
        app->ruleEdits().thresholds.ringsKm = {20, 40, 150};
        const auto generation = app->document().reportGeneration();
        bool ringsSeen = false, verdictsSeen = false;
        for (int i = 0; i < 2000 && !(ringsSeen && verdictsSeen); ++i) {
            frame();
            ringsSeen = app->document().rings()->km.back() == 150;
            verdictsSeen = app->document().reportGeneration() != generation;
            INFO("frame " << i);
            CHECK(ringsSeen == verdictsSeen); // never the new colours with the old rings
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        CHECK(ringsSeen);
        CHECK(app->document().scenario()->thresholds.ringsKm.back() == 150);
    }
}

TEST_CASE_METHOD(UiFixture, "Rule edits brought up to date in place give what a fresh evaluation gives",
                 "[viewer][gl]") {
    REQUIRE(settle());
    REQUIRE(app->document().snapshot());
    // Each edit updates the rules worker's spare report (the one before the report shown, or
    // a copy of the first) rather than evaluating anew: grade cut-offs, a ring, the standoff,
    // a severity, and back; each time the report shown must be evaluate()'s for the edits.
    auto &t = app->ruleEdits().thresholds;
    auto &severities = app->ruleEdits().severities;
    const std::function<void()> edits[] = {
        [&] { t.gradeCutoffPct = 3.0; },
        [&] { t.gradeCutoffPct = 0.5; },
        [&] {
            t.ringsKm = {20, 40, 120};
        },
        [&] { t.gradeCutoffPct = 2.5, t.standoffKm = 10; },
        [&] { severities["ring_exposure"] = model::Severity::Block; },
        [&] {
            t.ringsKm = {30, 60}, t.gradeCutoffPct = 1.0;
        },
        [&] { t.maxPowerDistanceKm = 5; }, // read with the grid: evaluated anew
        [&] { t = app->document().snapshot()->project->scenario.thresholds, severities.clear(); },
    };
    int n = 0;
    for (const auto &edit : edits) {
        INFO("edit " << n++);
        edit();
        frame();
        REQUIRE(settle());
        const ScenarioSnapshot &snap = *app->document().snapshot();
        model::Scenario fresh = snap.project->scenario;
        fresh.thresholds = t;
        fresh.severities = severities;
        CHECK(app->document().scenario()->thresholds == t);
        const rules::Report expected = rules::evaluate(fresh, snap.facts, snap.measurements, false);
        const rules::Report &shown = app->document().report();
        REQUIRE(shown.deposits.size() == expected.deposits.size());
        for (std::size_t i = 0; i < expected.deposits.size(); ++i) {
            INFO(expected.deposits[i].name);
            CHECK(shown.deposits[i].verdict == expected.deposits[i].verdict);
            CHECK(shown.deposits[i].reasons == expected.deposits[i].reasons);
            CHECK(shown.deposits[i].ringKm == expected.deposits[i].ringKm);
        }
        CHECK(shown.byVerdict == expected.byVerdict);
        CHECK(shown.byCountry == expected.byCountry);
        // The markers show those verdicts.
        CHECK(app->document().markerColours() == MapDocument::markerColoursFor(snap, expected));
        // What came with the report from the rules worker (the label order, the legend's counts,
        // the reason codes, the chart) is what the UI thread computes from the report shown,
        // not the last report's (each edit flips verdicts).
        const MapDocument &doc = app->document();
        const ReportViews *views = doc.reportViews();
        REQUIRE(views);
        REQUIRE(views->labelOrder);
        CHECK(views->labelOrder->points == DepositLabelOrder::of(doc)->points);
        CHECK(views->reasons == distinctReasons(shown));
        const HistogramBins bins = histogramBins(t);
        CHECK(views->histogramBins == bins);
        const DistanceHistogram h = frontDistanceHistogram(shown, snap.measurements, bins.binKm, bins.bins);
        for (int v = 0; v < 4; ++v)
            CHECK(views->histogram.counts[v] == h.counts[v]);
        // The table's rows (built with the report for the table's filter and sort).
        const DepositsWindow &table = app->depositsWindow();
        DepositRows rows;
        rows.update(shown, &snap.measurements, table.m_filter, table.m_sort, 1, snap.depositsByName);
        CHECK(table.m_rows.rows() == rows.rows());
        REQUIRE(views->cellCounts);
        const DepositCellCounts counts = depositCellCounts(*doc.depositsLayer()->mesh, doc.depositGrid(),
                                                           DepositColumns::of(shown).verdict);
        CHECK(views->cellCounts->totals.total == counts.totals.total);
        CHECK(views->cellCounts->grid == counts.grid);
        CellRange all{0, 0, counts.grid->columns(), counts.grid->rows()};
        CHECK(views->cellCounts->cells.sum(all) == counts.cells.sum(all));
        for (int x = 0; x < counts.grid->columns(); ++x) {
            const CellRange column{x, 0, x + 1, counts.grid->rows()};
            CHECK(views->cellCounts->cells.sum(column) == counts.cells.sum(column));
        }
    }
    // All but the power distance went through rules::update.
    CHECK(app->rulesUpdatedInPlace() == std::size(edits) - 1);
}

TEST_CASE_METHOD(UiFixture, "The map is drawn again only when what it shows changes", "[viewer][gl]") {
    REQUIRE(settle());
    frame();
    frame();
    CHECK(app->mapUpToDate());
    std::size_t draws = app->mapDraws();
    auto drawnSince = [&] {
        const std::size_t n = app->mapDraws() - draws;
        draws = app->mapDraws();
        return n;
    };

    // Idle frames, and the cursor moving over the map (hover picking): the image as it is.
    for (int i = 0; i < 5; ++i)
        frame();
    CHECK(drawnSince() == 0);
    for (int i = 0; i < 5; ++i) {
        mouse(600.0f + 7.0f * float(i), 420.0f, false);
        frame();
    }
    CHECK(drawnSince() == 0);

    // A pan: one draw per frame that moved the camera, none after.
    mouse(640, 400, false);
    frame();
    CHECK(drawnSince() == 0);
    mouse(640, 400, true);
    frame();
    mouse(660, 410, true);
    frame();
    mouse(680, 420, true);
    frame();
    mouse(680, 420, false);
    frame();
    CHECK(drawnSince() == 2);
    frame();
    CHECK(drawnSince() == 0);

    // A layer hidden from the Layers window, then shown again.
    auto &layers = app->document().layers();
    REQUIRE_FALSE(layers.empty());
    layers.front().visible = false;
    frame();
    CHECK(drawnSince() == 1);
    layers.front().visible = true;
    frame();
    frame();
    CHECK(drawnSince() == 1);

    // A rule edit: drawn when the worker's verdicts arrive, then idle again.
    app->ruleEdits().thresholds.gradeCutoffPct = 7.5;
    REQUIRE(settle());
    frame();
    CHECK(drawnSince() >= 1);
    CHECK(app->mapUpToDate());
    frame();
    frame();
    CHECK(drawnSince() == 0);

    // A smaller window.
    ImGui::GetIO().DisplaySize = {1000, 700};
    frame();
    CHECK(drawnSince() == 1);
    // The map is the dock space's central node: it follows the window, beside the panels.
    CHECK(app->controller().camera().width == int(app->mapSize().x));
    CHECK(app->controller().camera().width < 1000);
}

// The map image is copied onto the workspace by a framebuffer blit (MapWindow), not drawn as
// a textured quad: the map node must show the map as MapRenderer draws it, the right way up
// and at its place. Compared with a fresh renderer's image of the same view: most pixels
// (all but those under the labels, legend and credits: the legend alone covers about a
// quarter of the map at 1280x800) equal, and fewer when the comparison
// is shifted by a pixel or flipped, which a misplaced copy would turn round.
TEST_CASE_METHOD(UiFixture, "The map node shows the map image pixel for pixel", "[viewer][gl]") {
    REQUIRE(settle());
    GlFramebuffer ui;
    std::vector<unsigned char> shown;
    test::drawUiFrameInto(*app, ui, 1280, 800, shown);
    test::drawUiFrameInto(*app, ui, 1280, 800, shown);

    const Camera camera = app->controller().camera();
    MapRenderer renderer;
    GlFramebuffer fresh;
    renderer.render(app->document(), camera, app->settings().style, fresh);
    std::vector<unsigned char> map(std::size_t(camera.width) * camera.height * 4);
    glBindFramebuffer(GL_FRAMEBUFFER, fresh.id());
    glReadPixels(0, 0, camera.width, camera.height, GL_RGBA, GL_UNSIGNED_BYTE, map.data());
    glBindFramebuffer(GL_FRAMEBUFFER, 0);

    const int ox = int(app->mapOrigin().x), oy = int(app->mapOrigin().y);
    REQUIRE(ox + camera.width <= 1280);
    REQUIRE(oy + camera.height <= 800);
    // Share of the map's pixels equal to the UI's, the UI read `dx`, `dy` pixels off (and
    // upside down when `flip`). Both images' rows run bottom-up.
    auto matching = [&](int dx, int dy, bool flip) {
        std::size_t same = 0, total = 0;
        for (int y = 2; y < camera.height - 2; y += 2)
            for (int x = 2; x < camera.width - 2; x += 2) {
                const int my = flip ? camera.height - 1 - y : y;
                const int ux = ox + x + dx, uy = 800 - 1 - (oy + camera.height - 1 - y) + dy;
                const unsigned char *a = &map[(std::size_t(my) * camera.width + x) * 4];
                const unsigned char *b = &shown[(std::size_t(uy) * 1280 + ux) * 4];
                same += a[0] == b[0] && a[1] == b[1] && a[2] == b[2];
                ++total;
            }
        return double(same) / double(total);
    };
    const double exact = matching(0, 0, false);
    INFO("equal share " << exact);
    CHECK(exact > 0.6);
    for (auto [dx, dy] : {std::pair{1, 0}, {-1, 0}, {0, 1}, {0, -1}})
        CHECK(matching(dx, dy, false) < exact);
    CHECK(matching(0, 0, true) < exact - 0.1);
}
