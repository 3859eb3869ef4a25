// Annotations in the whole viewer UI on a headless context (issue 9): each drawn kind appears
// on screen where its coordinates are; a marker placed with the toolbar's tool and the mouse
// goes with Ctrl+Z and comes back with Ctrl+Y; Del deletes the selection. Pixels are read from
// the frame ImGui drew (into an offscreen framebuffer: the context has no window).
#include "dock_layout.hpp"
#include "map_image.hpp"
#include "render/gl_objects.hpp"
#include "render/headless_gl.hpp"
#include "ui_frames.hpp"
#include "viewer_app.hpp"

#include "orefront/io/annotation_store.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/proj/geodesic.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <catch2/catch.hpp>
#include <epoxy/gl.h>
#include <imgui.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include <unistd.h>

using namespace orefront;
using namespace orefront::viewer;
using model::Annotation;
using model::AnnotationKind;

namespace {

struct Rgb {
    int r, g, b;
};

struct AnnotationUi {
    HeadlessGl gl;
    ImGuiContext *context = nullptr;
    std::unique_ptr<ViewerApp> app;
    GlFramebuffer screen;
    std::filesystem::path tmp;
    std::vector<unsigned char> pixels;
    static constexpr int kW = 1280, kH = 800;

    AnnotationUi() {
        io::initGdal();
        context = ImGui::CreateContext();
        ImGuiIO &io = ImGui::GetIO();
        io.IniFilename = nullptr;
        io.ConfigFlags |= ImGuiConfigFlags_DockingEnable;
        io.DisplaySize = {float(kW), float(kH)};
        ImGui_ImplOpenGL3_Init("#version 330 core");
        screen.resize(kW, kH);
        app = std::make_unique<ViewerApp>(ViewerApp::Options{OREFRONT_GEODATA_DIR "/scenario.toml", "", 2});
        tmp = std::filesystem::temp_directory_path() / ("orefront-annotui-" + std::to_string(::getpid()));
        std::filesystem::create_directories(tmp);
        // A store of the test's own, never one beside the bundled scenario.
        app->openAnnotationStore(store(), true);
    }
    ~AnnotationUi() {
        app.reset();
        std::error_code ec;
        std::filesystem::remove_all(tmp, ec);
        ImGui_ImplOpenGL3_Shutdown();
        ImGui::DestroyContext(context);
    }
    std::string store() const { return (tmp / "annotations.gpkg").string(); }
    // What the store on disk holds now, read by a second connection.
    std::size_t stored() const { return io::openAnnotationStore(store(), false)->load().annotations.size(); }
    // One frame, drawn into `screen` and read back.
    void frame() { test::drawUiFrameInto(*app, screen, kW, kH, pixels); }
    bool settle(double seconds = 120) {
        const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
        do {
            frame();
            if (!app->busy())
                return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        } while (std::chrono::steady_clock::now() < end);
        return false;
    }
    // The colour at screen point (x, y), y down.
    Rgb at(double x, double y) const {
        const int px = int(x), py = kH - 1 - int(y);
        const unsigned char *p = &pixels[(std::size_t(py) * kW + std::size_t(px)) * 4];
        return {p[0], p[1], p[2]};
    }
    // Where (lon, lat) is on screen.
    ImVec2 screenOf(model::LonLat p) const {
        double x, y;
        app->controller().camera().lonLatToScreen(p, x, y);
        return {app->mapOrigin().x + float(x), app->mapOrigin().y + float(y)};
    }
    model::LonLat lonLatOf(float sx, float sy) const {
        return app->controller().camera().screenToLonLat(sx - app->mapOrigin().x, sy - app->mapOrigin().y);
    }
    ImVec2 mapCentre() const {
        return {app->mapOrigin().x + app->mapSize().x / 2, app->mapOrigin().y + app->mapSize().y / 2};
    }
    void mouse(float x, float y, bool down) {
        ImGui::GetIO().AddMousePosEvent(x, y);
        ImGui::GetIO().AddMouseButtonEvent(ImGuiMouseButton_Left, down);
    }
    void chord(ImGuiKey key, bool ctrl) {
        ImGuiIO &io = ImGui::GetIO();
        if (ctrl)
            io.AddKeyEvent(ImGuiMod_Ctrl, true);
        io.AddKeyEvent(key, true);
        frame();
        io.AddKeyEvent(key, false);
        if (ctrl)
            io.AddKeyEvent(ImGuiMod_Ctrl, false);
        frame();
    }
};

bool near(Rgb c, Rgb want, int tol = 40) {
    return std::abs(c.r - want.r) <= tol && std::abs(c.g - want.g) <= tol && std::abs(c.b - want.b) <= tol;
}

// Whether a pixel within `r` of (x, y) has colour `want`: lines are antialiased and a few
// pixels wide, so the exact centre pixel may be a blend.
bool anyNear(const AnnotationUi &u, ImVec2 p, Rgb want, int r = 2) {
    for (int dy = -r; dy <= r; ++dy)
        for (int dx = -r; dx <= r; ++dx)
            if (near(u.at(p.x + dx, p.y + dy), want))
                return true;
    return false;
}

Annotation shape(AnnotationKind kind, std::vector<model::LonLat> v, Rgb colour) {
    Annotation a;
    a.kind = kind;
    a.vertices = std::move(v);
    a.label = "";
    a.style.stroke = {std::uint8_t(colour.r), std::uint8_t(colour.g), std::uint8_t(colour.b), 255};
    a.style.fill = {std::uint8_t(colour.r), std::uint8_t(colour.g), std::uint8_t(colour.b), 255};
    a.style.widthPx = 5;
    return a;
}

void saveShot(const AnnotationUi &u, const char *name) {
    // For looking at (OREFRONT_SHOTS=dir); not part of what is asserted.
    const char *dir = std::getenv("OREFRONT_SHOTS");
    if (!dir)
        return;
    Image img;
    img.width = AnnotationUi::kW;
    img.height = AnnotationUi::kH;
    img.rgba.resize(u.pixels.size());
    for (int y = 0; y < img.height; ++y)
        std::copy_n(&u.pixels[std::size_t(img.height - 1 - y) * img.width * 4], img.width * 4,
                    &img.rgba[std::size_t(y) * img.width * 4]);
    writePng(img, (std::filesystem::path(dir) / name).string());
}

} // namespace

TEST_CASE_METHOD(AnnotationUi, "Each drawn annotation kind appears where its coordinates are",
                 "[viewer][gl][annotations]") {
    REQUIRE(settle());
    frame();
    const ImVec2 c = mapCentre();
    const Rgb magenta{255, 0, 255}, cyan{0, 200, 255}, green{0, 220, 0}, orange{255, 140, 0},
        blue{30, 30, 255}, purple{140, 0, 200};
    auto &doc = app->annotations();
    doc.add(shape(AnnotationKind::Marker, {lonLatOf(c.x - 150, c.y - 100)}, magenta));
    doc.add(shape(AnnotationKind::Line, {lonLatOf(c.x - 150, c.y), lonLatOf(c.x - 50, c.y)}, cyan));
    doc.add(shape(AnnotationKind::Area,
                  {lonLatOf(c.x + 50, c.y - 40), lonLatOf(c.x + 130, c.y - 40), lonLatOf(c.x + 130, c.y + 40),
                   lonLatOf(c.x + 50, c.y + 40)},
                  green));
    doc.add(shape(AnnotationKind::Arrow, {lonLatOf(c.x - 150, c.y + 100), lonLatOf(c.x - 50, c.y + 100)},
                  orange));
    Annotation circle = shape(AnnotationKind::RangeCircle, {lonLatOf(c.x + 100, c.y + 120)}, blue);
    circle.style.fill.a = 0;
    circle.radiusKm = 30;
    doc.add(circle);
    doc.add(shape(AnnotationKind::Measurement,
                  {lonLatOf(c.x - 150, c.y - 180), lonLatOf(c.x + 50, c.y - 180)}, purple));
    REQUIRE(doc.annotations().size() == 6);
    frame();
    frame();
    saveShot(*this, "annotation_kinds.png");

    CHECK(anyNear(*this, screenOf(doc.annotations()[0].vertices[0]), magenta));
    CHECK(anyNear(*this, {c.x - 100, c.y}, cyan));
    CHECK(anyNear(*this, {c.x + 90, c.y}, green, 0)); // filled inside
    CHECK(anyNear(*this, {c.x - 100, c.y + 100}, orange));
    // The arrow's head: wider than the shaft just before its tip.
    CHECK(anyNear(*this, {c.x - 58, c.y + 100 - 5}, orange, 1));
    CHECK_FALSE(anyNear(*this, {c.x - 100, c.y + 100 - 8}, orange, 1));
    // The circle's edge: 30 km north of its centre (geodesic), drawn there; its inside unfilled.
    const model::LonLat centre = doc.annotations()[4].vertices[0];
    CHECK(anyNear(*this, screenOf(proj::geodesicDirect(centre, 0, 30000)), blue, 3));
    CHECK(anyNear(*this, screenOf(proj::geodesicDirect(centre, 90, 30000)), blue, 3));
    CHECK(anyNear(*this, {c.x - 50, c.y - 180}, purple));

    // A hidden group is not drawn.
    doc.setGroupVisible("default", false);
    frame();
    CHECK_FALSE(anyNear(*this, {c.x + 90, c.y}, green, 0));
}

TEST_CASE_METHOD(AnnotationUi, "A hypothetical front is drawn dashed, in its own violet",
                 "[viewer][gl][annotations]") {
    REQUIRE(settle());
    frame();
    const ImVec2 c = mapCentre();
    Annotation front;
    front.kind = AnnotationKind::HypotheticalFront;
    front.style = model::defaultAnnotationStyle(AnnotationKind::HypotheticalFront);
    // Both ends at one latitude: a horizontal segment on the Mercator map.
    front.vertices = {lonLatOf(c.x - 150, c.y + 60), lonLatOf(c.x + 150, c.y + 60)};
    app->annotations().add(front);
    frame();
    frame();
    saveShot(*this, "hypothetical_front.png");
    const Rgb violet{front.style.stroke.r, front.style.stroke.g, front.style.stroke.b};
    int on = 0, off = 0;
    for (float x = c.x - 140; x <= c.x + 140; x += 1) {
        bool hit = false;
        for (int dy = -3; dy <= 3; ++dy) // drawn along the geodesic: it bows north a pixel or two
            hit = hit || near(at(x, c.y + 60 + dy), violet, 30);
        (hit ? on : off) += 1;
    }
    // 14 px dashes and 8 px gaps: about 64 % drawn, and the gaps are real.
    INFO("drawn " << on << ", gaps " << off);
    CHECK(on > 130);
    CHECK(off > 60);
}

TEST_CASE_METHOD(AnnotationUi, "A marker drawn with the mouse goes with Ctrl+Z and returns with Ctrl+Y",
                 "[viewer][gl][annotations]") {
    REQUIRE(settle());
    frame();
    const ImVec2 c = mapCentre();
    const ImVec2 p{c.x + 40, c.y - 60};
    const Rgb red{200, 30, 30}; // the default stroke
    CHECK_FALSE(anyNear(*this, p, red, 0));

    app->annotationEditor().setTool(AnnotationEditor::Tool::Marker);
    mouse(p.x, p.y, false);
    frame();
    mouse(p.x, p.y, true);
    frame();
    mouse(p.x, p.y, false);
    frame();
    frame();
    REQUIRE(app->annotations().annotations().size() == 1);
    CHECK(app->annotations().annotations()[0].author == model::currentUser());
    CHECK(anyNear(*this, p, red, 1));
    // Committed before it was shown: another connection reads it from the file.
    CHECK(app->annotationStoreStatus().rfind("Saved to", 0) == 0);
    CHECK(stored() == 1);
    saveShot(*this, "annotation_marker.png");
    // The click placed a marker; it did not select a deposit.
    CHECK(app->selected() == -1);

    chord(ImGuiKey_Z, true);
    CHECK(app->annotations().annotations().empty());
    CHECK_FALSE(anyNear(*this, p, red, 1));
    CHECK(stored() == 0);

    chord(ImGuiKey_Y, true);
    REQUIRE(app->annotations().annotations().size() == 1);
    CHECK(anyNear(*this, p, red, 1));
    CHECK(stored() == 1);

    // Del deletes the selection (the marker, selected when it was placed).
    mouse(p.x, p.y, false); // the keyboard goes to the map, not a text field
    chord(ImGuiKey_Delete, false);
    CHECK(app->annotations().annotations().empty());
    CHECK(stored() == 0);
}

TEST_CASE_METHOD(AnnotationUi, "A change another process commits is reloaded and drawn",
                 "[viewer][gl][annotations]") {
    REQUIRE(settle());
    frame();
    const ImVec2 c = mapCentre();
    const ImVec2 p{c.x - 60, c.y + 40};
    Annotation a;
    a.kind = AnnotationKind::Marker;
    a.vertices = {lonLatOf(p.x, p.y)};
    a.label = "reported by another analyst";
    a.style.stroke = {0, 160, 255, 255};
    {
        auto other = io::openAnnotationStore(store(), false);
        other->add(a);
    }
    // Polled about once a second.
    const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (app->annotations().annotations().empty() && std::chrono::steady_clock::now() < end) {
        frame();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(app->annotations().annotations().size() == 1);
    frame();
    CHECK(anyNear(*this, p, {0, 160, 255}, 1));
}

TEST_CASE("A missing or read-only annotation store leaves the viewer editing in memory",
          "[viewer][gl][annotations]") {
    HeadlessGl gl;
    io::initGdal();
    ImGuiContext *context = ImGui::CreateContext();
    ImGui::GetIO().IniFilename = nullptr;
    ImGui::GetIO().DisplaySize = {1280, 800};
    ImGui_ImplOpenGL3_Init("#version 330 core");
    {
        ViewerApp app(ViewerApp::Options{OREFRONT_GEODATA_DIR "/scenario.toml", "", 2});
        const auto missingDir = std::filesystem::temp_directory_path() /
                                ("orefront-no-such-dir-" + std::to_string(::getpid())) / "annotations.gpkg";
        app.openAnnotationStore(missingDir.string(), true);
        CHECK(app.annotationStoreStatus().rfind("In memory only:", 0) == 0);
        CHECK(app.annotationStoreStatus().find("orefront-no-such-dir") != std::string::npos);
        Annotation a;
        a.kind = AnnotationKind::Marker;
        a.vertices = {{35, 48}};
        CHECK(app.annotations().add(a) != 0);
        CHECK(app.annotations().annotations().size() == 1);
        CHECK_FALSE(app.annotations().saved());
    }
    ImGui_ImplOpenGL3_Shutdown();
    ImGui::DestroyContext(context);
}

TEST_CASE_METHOD(
    AnnotationUi,
    "A hostile-marked annotation flips a deposit's verdict and its colour, and removing it restores both",
    "[viewer][gl][annotations]") {
    REQUIRE(settle());
    frame();
    const auto &report = app->document().report();
    // A deposit judged investable, looked at closely (5 km is a few pixels in the theatre view).
    int target = -1;
    for (std::size_t i = 0; i < report.deposits.size() && target < 0; ++i)
        if (report.deposits[i].verdict == rules::Verdict::Investable)
            target = int(i);
    REQUIRE(target >= 0);
    const std::string name = report.deposits[std::size_t(target)].name;
    const model::LonLat at = app->document().depositAnchor(target);
    app->controller().camera().center = toMercator(at);
    app->controller().camera().metresPerPixel = 300;
    frame();
    frame();
    const ImVec2 marker = screenOf(at);
    const Rgba investable = verdictColour(rules::Verdict::Investable);
    CHECK(anyNear(*this, marker, {investable.r, investable.g, investable.b}, 1));

    // A reported artillery position 5 km north of it, well inside any standoff.
    Annotation a;
    a.kind = AnnotationKind::Marker;
    a.label = "reported artillery";
    a.vertices = {proj::geodesicDirect(at, 0, 5000)};
    a.countsAsHostile = true;
    const auto id = app->annotations().add(a);
    REQUIRE(id != 0);
    REQUIRE(settle());
    frame();
    const auto &flipped = app->document().report().deposits[std::size_t(target)];
    INFO(name);
    CHECK(flipped.verdict == rules::Verdict::NotInvestable);
    REQUIRE(app->document().snapshot()->measurements.perDeposit[std::size_t(target)].frontDistanceKm);
    CHECK(*app->document().snapshot()->measurements.perDeposit[std::size_t(target)].frontDistanceKm ==
          Approx(5.0).margin(0.01));
    const Rgba notInvestable = verdictColour(rules::Verdict::NotInvestable);
    CHECK(anyNear(*this, marker, {notInvestable.r, notInvestable.g, notInvestable.b}, 1));
    saveShot(*this, "annotation_hostile.png");
    // The panel lists the verdict the marking changed.
    bool listed = false;
    for (const auto &c : app->whatIfChanges())
        listed |= c.rfind(name + ": ", 0) == 0;
    CHECK(listed);

    // Removing the marking (undo) restores the verdict and the colour.
    REQUIRE(app->annotations().undo());
    REQUIRE(settle());
    frame();
    CHECK(app->document().report().deposits[std::size_t(target)].verdict == rules::Verdict::Investable);
    CHECK(app->whatIfChanges().empty());
    CHECK(anyNear(*this, marker, {investable.r, investable.g, investable.b}, 1));
}
