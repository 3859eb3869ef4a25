// Issue 7: each kind of area and line on the map has its own look and legend entry. The
// bundled Pokrovsk grey zone (status "contested") was not drawn at all; occupied Ukraine and
// Russia proper shared one fill; the front line and the state border shared one symbol; the
// legend counted every deposit, not those in view; layers had no credit line. Pixels of the
// bundled scenario rendered headless, and the legend and credits GL-free.
#include "map_image.hpp"
#include "map_legend.hpp"
#include "render/headless_gl.hpp"

#include "orefront/io/scenario_io.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace orefront;
using namespace orefront::viewer;

namespace {

struct Scene {
    std::shared_ptr<const ScenarioSnapshot> snap;
    MapDocument doc;
    Scene() {
        io::initGdal();
        snap = loadScenarioSnapshot(OREFRONT_GEODATA_DIR "/scenario.toml", 0);
        doc.setScenario(snap);
    }
    static Scene &get() {
        static Scene scene;
        return scene;
    }
};

struct ClassFixture {
    Scene &scene = Scene::get();
    HeadlessGl gl;
    MapRenderer renderer;
    MapImageComposer composer;
    Camera camera;
    MapStyle style;
    Image image;
    ClassFixture() {
        camera.width = 1200;
        camera.height = 800;
        style.graticule = false;
        style.rings = false; // the sea colour under every area: exact expected colours
    }
    void render(const model::BBox &box) {
        camera.fit(box, 0.0);
        OverlayOptions none;
        none.legend = none.scaleBar = none.ringLabels = none.title = none.graticuleLabels = false;
        image = composer.compose(renderer, scene.doc, camera, style, none);
    }
    void screen(model::LonLat p, int &x, int &y) const {
        double sx, sy;
        camera.lonLatToScreen(p, sx, sy);
        x = int(sx);
        y = int(sy);
    }
    Rgba at(model::LonLat p) const {
        int x, y;
        screen(p, x, y);
        return image.at(x, y);
    }
    // Whether a pixel within `r` pixels of p is near `c`.
    bool anyNear(model::LonLat p, Rgba c, int r = 6, int tol = 12) const {
        int x, y;
        screen(p, x, y);
        for (int dy = -r; dy <= r; ++dy)
            for (int dx = -r; dx <= r; ++dx) {
                const Rgba q = image.at(x + dx, y + dy);
                if (std::abs(q.r - c.r) <= tol && std::abs(q.g - c.g) <= tol && std::abs(q.b - c.b) <= tol)
                    return true;
            }
        return false;
    }
};

Rgba blend(Rgba under, Rgba c) {
    const float a = c.a / 255.0f;
    auto mix = [&](std::uint8_t u, std::uint8_t v) { return std::uint8_t(u * (1 - a) + v * a + 0.5f); };
    return {mix(under.r, c.r), mix(under.g, c.g), mix(under.b, c.b), 255};
}

bool near(Rgba a, Rgba b, int tol = 3) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

std::string str(Rgba c) {
    return "rgb(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

const LegendEntry *entryStarting(const std::vector<LegendEntry> &entries, const std::string &prefix,
                                 int *count) {
    const LegendEntry *found = nullptr;
    *count = 0;
    for (const auto &e : entries)
        if (e.text.rfind(prefix, 0) == 0) {
            found = &e;
            ++*count;
        }
    return found;
}

} // namespace

TEST_CASE_METHOD(ClassFixture, "issue 7: the contested grey zone at Pokrovsk is drawn hatched",
                 "[viewer][gl][issue7]") {
    render({36.8, 48.1, 37.5, 48.45});
    // A block inside the grey zone (37.0-37.3 E, 48.22-48.36 N): stripes and gaps.
    int cx, cy;
    screen({37.12, 48.265}, cx, cy);
    const Rgba stripe = blend(palette::kSea, palette::kContested);
    int stripes = 0, gaps = 0, other = 0;
    for (int y = cy - 10; y <= cy + 10; ++y)
        for (int x = cx - 10; x <= cx + 10; ++x) {
            const Rgba c = image.at(x, y);
            if (near(c, stripe))
                ++stripes;
            else if (near(c, palette::kSea))
                ++gaps;
            else
                ++other;
        }
    INFO("stripes " << stripes << ", gaps " << gaps << ", other " << other << "; stripe colour "
                    << str(stripe));
    CHECK(stripes > 441 / 7); // 2 px in every 7
    CHECK(gaps > 441 / 2);    // the rest shows through
    CHECK(other < 441 / 10);  // edges of the stripes, antialiasing
    // Outside it, no stripes: the sea west of it (still on the free side of the front).
    CHECK(near(at({36.9, 48.4}), palette::kSea));
}

TEST_CASE_METHOD(ClassFixture, "issue 7: occupied Ukraine and Russia proper have different fills",
                 "[viewer][gl][issue7]") {
    render({22, 44, 42, 53});
    const Rgba occupied = blend(palette::kSea, palette::kHostile);
    const Rgba russia = blend(palette::kSea, palette::kHostileState);
    INFO("Crimea " << str(at({34.2, 45.3})) << ", Russia " << str(at({40.0, 52.0})));
    CHECK(near(at({34.2, 45.3}), occupied));
    CHECK(near(at({40.0, 52.0}), russia));
    CHECK_FALSE(near(occupied, russia, 30));
}

TEST_CASE_METHOD(ClassFixture, "issue 7: the front line and the state border have different symbols",
                 "[viewer][gl][issue7]") {
    render({30, 45, 36, 53});
    // The Russia-Ukraine border north of Sumy: a dark line on a white casing, no front colour.
    const model::LonLat border{32.875, 52.31};
    CHECK(anyNear(border, palette::kStateBorder, 4, 40));
    CHECK(anyNear(border, Rgba{0xFF, 0xFF, 0xFF}, 4, 12));
    CHECK_FALSE(anyNear(border, palette::kFront, 4, 12));
    // The front on the Dnipro below Kherson: the front colour, no casing.
    const model::LonLat front{33.21, 46.745};
    CHECK(anyNear(front, palette::kFront, 4, 12));
    CHECK_FALSE(anyNear(front, Rgba{0xFF, 0xFF, 0xFF}, 4, 12));
}

TEST_CASE("issue 7: the legend has one entry per class shown and counts the deposits in view",
          "[viewer][issue7]") {
    Scene &scene = Scene::get();
    Camera camera;
    camera.width = 1200;
    camera.height = 800;
    camera.fit({22, 44, 42, 53}, 0.0);
    const auto entries = legendEntries(scene.doc, camera, false);
    int n = 0;
    const struct {
        const char *prefix;
        LegendEntry::Kind kind;
    } classes[] = {{"Occupied territory", LegendEntry::Fill},
                   {"Hostile state territory", LegendEntry::Fill},
                   {"Contested (grey zone)", LegendEntry::Hatch},
                   {"Front line: Front line", LegendEntry::Line},
                   {"State border: Russia", LegendEntry::CasedLine}};
    for (const auto &c : classes) {
        INFO(c.prefix);
        const LegendEntry *e = entryStarting(entries, c.prefix, &n);
        REQUIRE(e);
        CHECK(n == 1);
        CHECK(e->kind == c.kind);
    }
    CHECK(entryStarting(entries, "Hostile-controlled", &n) == nullptr);

    // Deposits in view, counted from their anchors (the deposits' own coordinates).
    const model::BBox shown = camera.visibleBounds();
    const auto &report = scene.doc.report().deposits;
    int inView = 0, notInvestableInView = 0, notInvestable = 0;
    for (std::size_t i = 0; i < report.size(); ++i) {
        const bool in = shown.contains(scene.doc.depositAnchor(int(i)));
        inView += in;
        notInvestable += report[i].verdict == rules::Verdict::NotInvestable;
        notInvestableInView += in && report[i].verdict == rules::Verdict::NotInvestable;
    }
    REQUIRE(report.size() == 35);
    REQUIRE(inView > 0);
    REQUIRE(inView < 35);
    CHECK(entryStarting(entries,
                        "Deposits in view: " + std::to_string(inView) +
                            " of 35 (Rare-earth and critical-mineral deposits)",
                        &n));
    CHECK(entryStarting(entries,
                        "Not investable  " + std::to_string(notInvestableInView) + " of " +
                            std::to_string(notInvestable),
                        &n));

    // Only classes present: with Russia hidden, no hostile-state entry.
    MapDocument doc;
    doc.setScenario(scene.snap);
    for (auto &l : doc.layers())
        if (l.mapClass == MapClass::HostileState)
            l.visible = false;
    CHECK(entryStarting(legendEntries(doc, camera, false), "Hostile state territory", &n) == nullptr);
}

TEST_CASE("issue 7: the credit line names the visible layers' attributions and the basemap",
          "[viewer][issue7]") {
    io::initGdal();
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("orefront_credits_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const std::string g = OREFRONT_GEODATA_DIR;
    {
        std::ofstream toml(dir / "scenario.toml");
        toml << "name = \"credits\"\n"
             << "[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = \"" << g
             << "/deposits.geojson\"\n"
             << "attribution = \"USGS\"\n"
             << "[[layers]]\nid = \"occupied\"\nrole = \"hostile\"\nsource = \"" << g
             << "/occupied_2025-08.geojson\"\nattribution = \"DeepState (deepstatemap.live)\"\n"
             << "status_field = \"status\"\nhostile_statuses = [\"occupied\"]\ncontested_statuses = "
                "[\"contested\"]\n"
             << "[[layers]]\nid = \"front\"\nrole = \"front\"\nsource = \"" << g
             << "/front_2025-08.geojson\"\nattribution = \"DeepState (deepstatemap.live)\"\n";
    }
    MapDocument doc;
    doc.setScenario(loadScenarioSnapshot((dir / "scenario.toml").string(), 0));
    fs::remove_all(dir);
    CHECK(attributionLine(doc, "Borders: Natural Earth") ==
          "\xC2\xA9 USGS \xC2\xB7 DeepState (deepstatemap.live) \xC2\xB7 Borders: Natural Earth");
    for (auto &l : doc.layers())
        if (l.role == model::LayerRole::Deposits)
            l.visible = false;
    CHECK(attributionLine(doc, "Borders: Natural Earth") ==
          "\xC2\xA9 DeepState (deepstatemap.live) \xC2\xB7 Borders: Natural Earth");
    for (auto &l : doc.layers())
        l.visible = false;
    CHECK(attributionLine(doc, "Borders: Natural Earth") ==
          "Borders: Natural Earth"); // no basemap layer: the note
}
