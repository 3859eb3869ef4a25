// The Timeline window (issue 10) on a headless context: a dated scenario opens at its latest
// snapshot, and a date typed into the Timeline changes the verdict of a deposit the front
// reached on that date (tests/data/cli/timeline: the Kharkiv test deposit is inside the
// occupied box of 2022-03-25 only).
#include "animation_export.hpp"
#include "dock_layout.hpp"
#include "map_image.hpp"
#include "render/headless_gl.hpp"
#include "ui/timeline_window.hpp"
#include "ui_frames.hpp"
#include "viewer_app.hpp"

#include "render/gl_objects.hpp"

#include "orefront/analysis/history.hpp"
#include "orefront/cli/analyze.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/series_io.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/PolygonArea.hpp>
#include <backends/imgui_impl_opengl3.h>
#include <catch2/catch.hpp>
#include <epoxy/gl.h>
#include <gdal_priv.h>
#include <gif_lib.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <unistd.h>

using namespace orefront;
using namespace orefront::viewer;

namespace {

struct TimelineFixture : test::AppFixture {
    TimelineFixture() : AppFixture(OREFRONT_TEST_DATA_DIR "/../../data/cli/timeline/scenario.toml") {}

    // Types `text` into the Timeline's date field and presses Enter, as a user would.
    void typeDate(const std::string &text) {
        app->timeline().typed[0] = '\0';
        const ImGuiWindow *w = ImGui::FindWindowByName(kTimelineWindow);
        REQUIRE(w);
        ImGui::ActivateItemByID(const_cast<ImGuiWindow *>(w)->GetID("##date"));
        frame();
        frame();
        ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
        frame();
        ImGui::GetIO().AddKeyEvent(ImGuiKey_Enter, true);
        frame();
        ImGui::GetIO().AddKeyEvent(ImGuiKey_Enter, false);
        frame();
    }

    int depositNamed(const std::string &name) const {
        const auto &deposits = app->document().report().deposits;
        for (std::size_t i = 0; i < deposits.size(); ++i)
            if (deposits[i].name == name)
                return int(i);
        return -1;
    }
    rules::Verdict verdictOf(const std::string &name) const {
        const int i = depositNamed(name);
        REQUIRE(i >= 0);
        return app->document().report().deposits[i].verdict;
    }

    // One frame drawn into an offscreen framebuffer and read back (the context has no window).
    GlFramebuffer screen;
    std::vector<unsigned char> pixels;
    void frameRead() { test::drawUiFrameInto(*app, screen, 1280, 800, pixels); }
    // Whether the pixel at screen point (x, y), y down, is the compare halo's magenta.
    bool haloAt(float x, float y) const {
        const int px = int(x), py = 800 - 1 - int(y);
        const unsigned char *p = &pixels[(std::size_t(py) * 1280 + std::size_t(px)) * 4];
        const ImVec4 c = ImGui::ColorConvertU32ToFloat4(kChangedHalo);
        return std::abs(p[0] - c.x * 255) < 30 && std::abs(p[1] - c.y * 255) < 30 &&
               std::abs(p[2] - c.z * 255) < 30;
    }
    // Whether any pixel on the circle of radius 11 around the deposit's marker is the halo's.
    bool haloAround(const std::string &name) const {
        double sx, sy;
        app->controller().camera().lonLatToScreen(app->document().depositAnchor(depositNamed(name)), sx, sy);
        const float x = app->mapOrigin().x + float(sx), y = app->mapOrigin().y + float(sy);
        int hits = 0;
        for (int k = 0; k < 16; ++k) {
            const double a = k * 3.14159265358979 / 8;
            hits += haloAt(x + 11 * float(std::cos(a)), y + 11 * float(std::sin(a)));
        }
        return hits >= 12;
    }
};

// The verdict of each deposit in a report `orefront analyze` wrote, read back through GDAL.
std::map<std::string, std::string> verdictsIn(const std::string &path) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    REQUIRE(ds);
    std::map<std::string, std::string> out;
    for (auto &f : ds->GetLayer(0)) {
        if (f->GetFieldIndex("kind") >= 0 && std::string(f->GetFieldAsString("kind")) != "deposit")
            continue;
        out[f->GetFieldAsString("name")] = f->GetFieldAsString("verdict");
    }
    return out;
}

} // namespace

TEST_CASE_METHOD(TimelineFixture, "Timeline: a typed date changes the verdict of a deposit the front reached",
                 "[viewer][gl][timeline]") {
    REQUIRE(settle());
    frame();
    REQUIRE(app->lastError().empty());
    const TimelineWindow &t = app->timeline();
    REQUIRE(t.snapshots.size() == 3);
    REQUIRE(t.shown);
    CHECK(t.shown->iso() == "2022-11-11"); // no scenario date: the latest snapshot
    const rules::Verdict november = verdictOf("Kharkiv test deposit");
    CHECK(november != rules::Verdict::NotInvestable);

    typeDate("2022-03-30"); // between snapshots: the one of 2022-03-25 is in force
    REQUIRE(settle());
    frame();
    REQUIRE(t.shown);
    CHECK(t.shown->iso() == "2022-03-30");
    CHECK(t.message.empty());
    CHECK(verdictOf("Kharkiv test deposit") == rules::Verdict::NotInvestable);
    CHECK(verdictOf("Kyiv test deposit") != rules::Verdict::NotInvestable);
    const int kharkiv = depositNamed("Kharkiv test deposit");
    CHECK(app->document().snapshot()->measurements.perDeposit[kharkiv].occupied);
    REQUIRE(app->document().scenario());
    CHECK(app->document().scenario()->date == std::optional<std::string>("2022-03-30"));

    typeDate("2022-11-11"); // on a snapshot's date: back as it was
    REQUIRE(settle());
    frame();
    CHECK(verdictOf("Kharkiv test deposit") == november);

    typeDate("2021-06-01"); // before the first snapshot: said, and nothing changes
    REQUIRE(settle());
    frame();
    CHECK_THAT(t.message, Catch::Contains("before the first snapshot"));
    CHECK(t.shown->iso() == "2022-11-11");
}

TEST_CASE_METHOD(TimelineFixture, "Timeline: stepping by a month from the first snapshot",
                 "[viewer][gl][timeline]") {
    REQUIRE(settle());
    app->requestDate(app->timeline().snapshots.front());
    REQUIRE(settle());
    frame();
    CHECK(verdictOf("Kharkiv test deposit") != rules::Verdict::NotInvestable); // 2022-02-23
    app->timeline().step = TimelineWindow::Month;
    app->requestDate(app->timeline().stepFrom(*app->timeline().shown, 1));
    REQUIRE(settle());
    frame();
    CHECK(app->timeline().shown->iso() == "2022-03-23"); // before the largest extent
    CHECK(verdictOf("Kharkiv test deposit") != rules::Verdict::NotInvestable);
    app->requestDate(app->timeline().stepFrom(*app->timeline().shown, 1));
    REQUIRE(settle());
    frame();
    CHECK(app->timeline().shown->iso() == "2022-04-23");
    CHECK(verdictOf("Kharkiv test deposit") == rules::Verdict::NotInvestable);
}

TEST_CASE_METHOD(TimelineFixture, "Timeline: the occupied area per snapshot, on the ellipsoid",
                 "[viewer][gl][timeline]") {
    REQUIRE(settle()); // every snapshot prepared in the background
    frame();
    const TimelineWindow &t = app->timeline();
    REQUIRE(t.area.days.size() == t.snapshots.size());
    // Each snapshot is one box: its area by GeographicLib from the file's own vertices.
    const auto base = io::loadScenario(OREFRONT_TEST_DATA_DIR "/../../data/cli/timeline/scenario.toml");
    const auto snapshots = io::layerSnapshots(base.layers[1], base.baseDir);
    REQUIRE(snapshots.size() == 3);
    const GeographicLib::Geodesic &wgs84 = GeographicLib::Geodesic::WGS84();
    for (std::size_t i = 0; i < snapshots.size(); ++i) {
        CHECK(t.area.days[i] == double(snapshots[i].date.days()));
        const std::string file = io::resolveSource(snapshots[i].source, base.baseDir);
        GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR));
        REQUIRE(ds);
        GeographicLib::PolygonArea poly(wgs84);
        for (auto &f : ds->GetLayer(0)) {
            const OGRLinearRing *ring = f->GetGeometryRef()->toPolygon()->getExteriorRing();
            for (int k = 0; k + 1 < ring->getNumPoints(); ++k)
                poly.AddPoint(ring->getY(k), ring->getX(k));
        }
        double perimeter = 0, area = 0;
        poly.Compute(false, true, perimeter, area);
        INFO(snapshots[i].date.iso());
        CHECK(t.area.km2[i] == Approx(std::abs(area) / 1e6).epsilon(1e-6));
    }
    CHECK(t.area.km2[1] > t.area.km2[0]); // the largest extent of 2022-03-25
}

TEST_CASE_METHOD(TimelineFixture, "Timeline: comparing two dates lists and rings the verdicts that changed",
                 "[viewer][gl][timeline]") {
    REQUIRE(settle());
    frameRead();
    REQUIRE(app->timeline().shown->iso() == "2022-11-11");
    CHECK_FALSE(haloAround("Kharkiv test deposit"));

    // B = 2022-03-30 (the largest extent: Kharkiv occupied), A = 2022-02-23.
    app->requestDate(*model::Date::parseIso("2022-03-30"));
    REQUIRE(settle());
    app->requestCompare(*model::Date::parseIso("2022-02-23"));
    REQUIRE(settle());
    frame();
    frameRead();
    const TimelineWindow &t = app->timeline();
    REQUIRE(t.compareWith);
    CHECK(t.compareWith->iso() == "2022-02-23");
    REQUIRE(t.changes.size() == 1);
    CHECK(t.changes[0].name == "Kharkiv test deposit");
    CHECK(t.changes[0].a != rules::Verdict::NotInvestable);
    CHECK(t.changes[0].b == rules::Verdict::NotInvestable);
    CHECK(haloAround("Kharkiv test deposit"));
    CHECK_FALSE(haloAround("Kyiv test deposit"));

    // B moved back to A's situation: nothing differs, no halo.
    app->requestDate(*model::Date::parseIso("2022-03-01"));
    REQUIRE(settle());
    frame();
    frameRead();
    CHECK(app->timeline().changes.empty());
    CHECK_FALSE(haloAround("Kharkiv test deposit"));

    app->stopCompare();
    CHECK_FALSE(app->timeline().compareWith);
}

TEST_CASE_METHOD(TimelineFixture,
                 "Timeline: a scenario saved at a date keeps its series and analyzes the same",
                 "[viewer][gl][timeline]") {
    REQUIRE(settle());
    app->requestDate(*model::Date::parseIso("2022-03-30"));
    REQUIRE(settle());
    frame();
    const auto tmp =
        std::filesystem::temp_directory_path() / ("orefront-timeline-save-" + std::to_string(::getpid()));
    std::filesystem::create_directories(tmp);
    const std::string saved = (tmp / "saved.toml").string();
    app->saveScenarioAs(saved);
    REQUIRE(app->lastError().empty());

    // The series as a series (a glob and its date pattern), and the date shown.
    const auto back = io::loadScenario(saved);
    CHECK(back.date == std::optional<std::string>("2022-03-30"));
    const auto occupied = std::find_if(back.layers.begin(), back.layers.end(),
                                       [](const model::LayerSpec &l) { return l.id == "occupied"; });
    REQUIRE(occupied != back.layers.end());
    CHECK(occupied->series == model::SeriesForm::Snapshots);
    CHECK_THAT(occupied->source, Catch::Contains("occ_*.geojson"));
    CHECK(occupied->datePattern == "occ_%Y-%m-%d");
    CHECK(io::seriesDates(back).size() == 3);

    // `orefront analyze` of the saved file gives the verdicts the viewer shows.
    cli::AnalyzeOptions opts;
    opts.scenario = saved;
    opts.output = (tmp / "report.csv").string();
    opts.noAnnotations = true;
    opts.quiet = true;
    std::ostringstream out, err;
    REQUIRE(cli::runAnalyze(opts, out, err) == cli::kOk);
    const auto verdicts = verdictsIn(opts.output);
    REQUIRE(verdicts.size() == app->document().report().deposits.size());
    for (const auto &d : app->document().report().deposits) {
        INFO(d.name);
        REQUIRE(verdicts.count(d.name));
        CHECK(verdicts.at(d.name) == rules::verdictName(d.verdict));
    }
    CHECK(verdicts.at("Kharkiv test deposit") == "not_investable");
    std::error_code ec;
    std::filesystem::remove_all(tmp, ec);
}

TEST_CASE("Layout: panels an old imgui.ini does not mention dock where the default layout puts them",
          "[viewer][gl][timeline]") {
    const std::string scenario = OREFRONT_TEST_DATA_DIR "/../../data/cli/timeline/scenario.toml";
    std::string ini;
    {
        test::AppFixture first(scenario);
        first.frame();
        first.frame();
        ini = ImGui::SaveIniSettingsToMemory();
    }
    const std::string old = test::withoutWindows(ini, {kTimelineWindow, kAnnotationsWindow});
    REQUIRE(old.find("[Window][Timeline]") == std::string::npos);
    REQUIRE(old.find("[Window][Deposits]") != std::string::npos);

    test::AppFixture f(scenario);
    ImGui::LoadIniSettingsFromMemory(old.c_str(), old.size());
    f.frame();
    f.frame();
    f.frame();
    const auto docked = [&](const char *name) -> const ImGuiWindow * {
        const ImGuiWindow *w = ImGui::FindWindowByName(name);
        REQUIRE(w);
        INFO(name);
        REQUIRE(w->DockNode);
        CHECK(ImGui::DockNodeGetRootNode(w->DockNode)->ID == f.app->dockspaceId());
        return w;
    };
    const ImGuiWindow *timeline = docked(kTimelineWindow), *deposits = docked(kDepositsWindow);
    const ImGuiWindow *annotations = docked(kAnnotationsWindow), *layers = docked(kLayersWindow);
    // The Timeline in a node of its own right of the Deposits table, on the same row.
    CHECK(timeline->DockNode != deposits->DockNode);
    CHECK(timeline->Pos.x > deposits->Pos.x + deposits->Size.x * 0.5f);
    CHECK(std::abs(timeline->Pos.y - deposits->Pos.y) < 2.0f);
    // The Annotations as a tab beside the Layers.
    CHECK(annotations->DockNode == layers->DockNode);
}

TEST_CASE_METHOD(TimelineFixture, "Timeline: File > Export animation writes a GIF of one frame a date",
                 "[viewer][gl][timeline]") {
    REQUIRE(settle());
    const auto tmp =
        std::filesystem::temp_directory_path() / ("orefront-timeline-gif-" + std::to_string(::getpid()));
    std::filesystem::create_directories(tmp);
    // A store of the test's own (never one beside the scenario) with one magenta area over
    // 32-34 E, 48-49 N, between the deposits and clear of the occupied boxes: on every frame.
    const auto storeDir = std::filesystem::path(tmp.string() + "-store");
    std::filesystem::create_directories(storeDir);
    app->openAnnotationStore((storeDir / "annotations.gpkg").string(), true);
    model::Annotation area;
    area.kind = model::AnnotationKind::Area;
    area.vertices = {{32, 48}, {34, 48}, {34, 49}, {32, 49}};
    area.style.stroke = area.style.fill = {255, 0, 255, 255};
    app->annotations().add(area);
    AnimationExportRequest r;
    r.path = (tmp / "front.gif").string();
    r.range.from = "2022-02-23";
    r.range.to = "2022-04-23";
    r.range.step = "1m"; // 02-23, 03-23, 04-23
    r.width = 320;
    r.height = 200;
    app->exportAnimation(r);
    REQUIRE(app->lastError().empty());
    REQUIRE(app->animationExporting());
    REQUIRE(settle());
    CHECK_FALSE(app->animationExporting());
    CHECK(app->lastError().empty());
    CHECK_THAT(app->lastMessage(), Catch::Contains("front.gif (3 frames)"));

    int err = 0;
    GifFileType *gif = DGifOpenFileName(r.path.c_str(), &err);
    REQUIRE(gif);
    REQUIRE(DGifSlurp(gif) == GIF_OK);
    CHECK(gif->ImageCount == 3);
    CHECK(gif->SWidth == 320);
    CHECK(gif->SHeight == 200);
    for (int f = 0; f < gif->ImageCount; ++f) { // the annotation, as File > Export map draws it
        const SavedImage &img = gif->SavedImages[f];
        const ColorMapObject *map = img.ImageDesc.ColorMap ? img.ImageDesc.ColorMap : gif->SColorMap;
        int magenta = 0;
        for (int i = 0; i < img.ImageDesc.Width * img.ImageDesc.Height; ++i) {
            const GifColorType c = map->Colors[img.RasterBits[i]];
            magenta += c.Red > 230 && c.Green < 30 && c.Blue > 230;
        }
        INFO("frame " << f);
        CHECK(magenta > 100);
    }
    DGifCloseFile(gif, &err);
    GDALDatasetUniquePtr ds(GDALDataset::Open(r.path.c_str(), GDAL_OF_RASTER));
    REQUIRE(ds);
    CHECK(ds->GetRasterXSize() == 320);
    CHECK(ds->GetRasterYSize() == 200);
    ds.reset();

    // A directory that does not exist, a date before the first snapshot: said, nothing written.
    const auto nothingAt = [&](const std::filesystem::path &path) {
        app->exportAnimation(r);
        CHECK_FALSE(app->lastError().empty());
        REQUIRE(settle());
        CHECK_FALSE(app->animationExporting());
        CHECK_FALSE(std::filesystem::exists(path));
    };
    r.path = (tmp / "missing" / "front.gif").string();
    nothingAt(r.path);
    CHECK_THAT(app->lastError(), Catch::Contains("missing"));
    r.path = (tmp / "early.gif").string();
    r.range.from = "2021-01-01";
    nothingAt(r.path);
    CHECK_THAT(app->lastError(), Catch::Contains("before the first snapshot"));
    CHECK(std::distance(std::filesystem::directory_iterator(tmp), {}) == 1); // front.gif alone
    std::error_code ec;
    std::filesystem::remove_all(tmp, ec);
    app.reset(); // closes the store
    std::filesystem::remove_all(storeDir, ec);
}

// Not run by default ([.] hides it): the Timeline, its charts and the compare view on the
// bundled scenario at 1280x800 and 1920x1080, written as PNGs into $OREFRONT_SCREENSHOT_DIR,
// for a person to look at.
TEST_CASE("Timeline screenshots", "[.screenshots]") {
    const char *dir = std::getenv("OREFRONT_SCREENSHOT_DIR");
    if (!dir) {
        WARN("OREFRONT_SCREENSHOT_DIR is not set: no screenshots");
        return;
    }
    for (const auto &[w, h] : {std::pair{1280, 800}, std::pair{1920, 1080}}) {
        test::AppFixture f(OREFRONT_GEODATA_DIR "/scenario.toml", test::Look::App);
        ImGui::GetIO().DisplaySize = {float(w), float(h)};
        GlFramebuffer screen;
        screen.resize(w, h);
        const auto shot = [&](const std::string &name) {
            test::writeUiScreenshot(*f.app, screen, w, h,
                                    std::string(dir) + "/" + name + "-" + std::to_string(w) + "x" +
                                        std::to_string(h) + ".png");
        };
        REQUIRE(f.settle(600));
        f.frame();
        shot("timeline-area");
        int deposit = -1;
        const auto &deposits = f.app->document().report().deposits;
        for (std::size_t i = 0; i < deposits.size(); ++i)
            if (deposits[i].name.find("Novopoltavske") != std::string::npos)
                deposit = int(i);
        f.app->requestCompare(*model::Date::parseIso("2022-03-25"));
        REQUIRE(f.settle(600));
        f.frame();
        f.frame();
        shot("timeline-compare");
        if (deposit >= 0) {
            f.app->select(deposit);
            f.app->timeline().focusTab = TimelineWindow::DepositTab;
            REQUIRE(f.settle(600));
            for (int k = 0; k < 90; ++k) // the fly-to
                f.frame();
            shot("timeline-selected");
        }
    }
}

TEST_CASE_METHOD(TimelineFixture, "Timeline: a date typed into Compare, and a click on a changed deposit",
                 "[viewer][gl][timeline]") {
    REQUIRE(settle());
    app->requestDate(*model::Date::parseIso("2022-03-30"));
    REQUIRE(settle());
    app->timeline().focusTab = TimelineWindow::CompareTab;
    frame();
    frame();
    // The IDs ImGui gives the Compare tab's date field and the list's first row.
    ImGuiWindow *w = ImGui::FindWindowByName(kTimelineWindow);
    REQUIRE(w);
    const ImGuiID tab = ImHashStr("Compare###compare", 0, w->GetID("##timeline_tabs"));
    ImGui::ActivateItemByID(ImHashStr("##compare_date", 0, tab));
    frame();
    frame();
    ImGui::GetIO().AddInputCharactersUTF8("2022-02-23");
    frame();
    ImGui::GetIO().AddKeyEvent(ImGuiKey_Enter, true);
    frame();
    ImGui::GetIO().AddKeyEvent(ImGuiKey_Enter, false);
    frame();
    REQUIRE(settle());
    frame();
    const TimelineWindow &t = app->timeline();
    REQUIRE(t.compareWith);
    CHECK(t.compareWith->iso() == "2022-02-23");
    REQUIRE(t.changes.size() == 1);
    CHECK(t.changes[0].name == "Kharkiv test deposit");

    CHECK(app->selected() == -1);
    const int row = 0;
    const ImGuiID table = ImHashStr("##changes", 0, tab);
    ImGui::ActivateItemByID(ImHashStr("Kharkiv test deposit", 0, ImHashData(&row, sizeof row, table)));
    frame();
    frame();
    frame();
    CHECK(app->selected() == depositNamed("Kharkiv test deposit"));
}
