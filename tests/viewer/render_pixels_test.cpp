// Pixels of the bundled scenario rendered headless (EGL, Mesa llvmpipe): a not-investable
// deposit's marker colour, the hostile tint, the 20-40 km ring band, the background, and the
// `orefront render` command end to end.
#include "map_image.hpp"
#include "render/headless_gl.hpp"
#include "viewer/viewer_cli.hpp"

#include "orefront/io/scenario_io.hpp"
#include "orefront/io/series_io.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

using namespace orefront;
using namespace orefront::viewer;

namespace {

// The bundled scenario, loaded and measured once for all the pixel tests.
struct BundledScene {
    std::shared_ptr<const ScenarioSnapshot> snap;
    MapDocument doc;
    BundledScene() {
        io::initGdal();
        snap = loadScenarioSnapshot(OREFRONT_GEODATA_DIR "/scenario.toml", 0);
        doc.setScenario(snap);
        doc.setRings(buildRingSet(*snap, {20, 40, 80}));
    }
    static BundledScene &get() {
        static BundledScene scene;
        return scene;
    }
    int depositNamed(const std::string &prefix) const {
        const auto &r = doc.report().deposits;
        for (std::size_t i = 0; i < r.size(); ++i)
            if (r[i].name.rfind(prefix, 0) == 0)
                return int(i);
        return -1;
    }
};

struct PixelFixture {
    BundledScene &scene = BundledScene::get();
    HeadlessGl gl;
    MapRenderer renderer;
    MapImageComposer composer;
    Camera camera;
    MapStyle style;
    Image image;

    PixelFixture() {
        camera.width = 1200;
        camera.height = 800;
        camera.fit({22, 44, 42, 53}, 0.0);
        style.graticule = false; // keep test pixels clear of grid lines
    }
    void render(bool overlay = false) {
        OverlayOptions o;
        o.legend = o.scaleBar = o.ringLabels = o.title = o.graticuleLabels = overlay;
        if (!overlay)
            o.labels[scene.doc.depositsLayer()->id] = {false, ""}; // names would cover the pixels under test
        image = composer.compose(renderer, scene.doc, camera, style, o);
    }
    Rgba at(model::LonLat p) const {
        double x, y;
        camera.lonLatToScreen(p, x, y);
        return image.at(int(x), int(y));
    }
};

// `over` blended with `c` as the map does (source alpha), alpha kept opaque.
Rgba blend(Rgba under, Rgba c) {
    const float a = c.a / 255.0f;
    auto mix = [&](std::uint8_t u, std::uint8_t v) { return std::uint8_t(u * (1 - a) + v * a + 0.5f); };
    return {mix(under.r, c.r), mix(under.g, c.g), mix(under.b, c.b), 255};
}

bool near(Rgba a, Rgba b, int tol = 3) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

// Even-odd point-in-polygon over every ring, in lon/lat (fine at these scales).
bool inside(const model::Geometry &g, model::LonLat p) {
    bool in = false;
    for (const auto &poly : g.polygons)
        for (const auto &ring : poly.rings)
            for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++)
                if ((ring[i].lat > p.lat) != (ring[j].lat > p.lat) &&
                    p.lon <
                        (ring[j].lon - ring[i].lon) * (p.lat - ring[i].lat) / (ring[j].lat - ring[i].lat) +
                            ring[i].lon)
                    in = !in;
    return in;
}

std::string str(Rgba c) {
    return "rgb(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

// The framebuffer's pixels, RGBA, GL's row order.
std::vector<std::uint8_t> readPixels(const GlFramebuffer &fb) {
    std::vector<std::uint8_t> px(std::size_t(fb.width()) * std::size_t(fb.height()) * 4);
    GLint prev = 0;
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev);
    glBindFramebuffer(GL_FRAMEBUFFER, fb.id());
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, fb.width(), fb.height(), GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    glBindFramebuffer(GL_FRAMEBUFFER, GLuint(prev));
    return px;
}

// Pixels of `a` and `b` (same size) differing by more than `tol` in a channel.
std::size_t differingPixels(const std::vector<std::uint8_t> &a, const std::vector<std::uint8_t> &b,
                            int tol = 2) {
    std::size_t n = 0;
    for (std::size_t i = 0; i + 3 < a.size() && i + 3 < b.size(); i += 4)
        for (std::size_t k = 0; k < 3; ++k)
            if (std::abs(int(a[i + k]) - int(b[i + k])) > tol) {
                ++n;
                break;
            }
    return n;
}

// Pans `camera` by each of `pans` (pixels) and checks that the frame `kept` draws from the
// image it keeps plus the uncovered strips is the frame a fresh renderer draws whole.
void checkPansMatchWholeFrames(const MapDocument &doc, Camera camera, const MapStyle &style,
                               const std::vector<std::pair<int, int>> &pans) {
    MapRenderer kept;
    GlFramebuffer shown;
    kept.render(doc, camera, style, shown, true);
    std::size_t panned = 0;
    for (const auto &[dx, dy] : pans) {
        camera.pan(dx, dy);
        kept.render(doc, camera, style, shown, true);
        CHECK(kept.panDraws() == ++panned);
        MapRenderer fresh;
        GlFramebuffer whole;
        fresh.render(doc, camera, style, whole);
        CHECK(fresh.panDraws() == 0);
        // Edges may land a rounding apart: a handful of pixels, not a seam along a strip.
        INFO("pan " << dx << ", " << dy);
        CHECK(differingPixels(readPixels(shown), readPixels(whole)) <=
              std::size_t(camera.width * camera.height / 2000));
    }
}

} // namespace

TEST_CASE_METHOD(PixelFixture, "Novopoltavske is drawn in the not-investable colour", "[viewer][gl]") {
    const int i = scene.depositNamed("Novopoltavske");
    REQUIRE(i >= 0);
    REQUIRE(scene.doc.report().deposits[std::size_t(i)].verdict == rules::Verdict::NotInvestable);
    render();
    const auto p = scene.doc.depositAnchor(i);
    CHECK(p.lon == Approx(36.25).margin(0.05));
    INFO("marker centre " << str(at(p)));
    CHECK(near(at(p), palette::kNotInvestable));
}

TEST_CASE_METHOD(PixelFixture, "Occupied territory is tinted", "[viewer][gl]") {
    render();
    // Central Crimea, inside the occupied area, away from markers and edges.
    const model::LonLat crimea{34.2, 45.3};
    REQUIRE(scene.snap->hostile->query(crimea).occupied);
    const Rgba expected = blend(palette::kSea, palette::kHostile);
    INFO("got " << str(at(crimea)) << ", expected " << str(expected));
    CHECK(near(at(crimea), expected));
}

TEST_CASE_METHOD(PixelFixture, "The 20-40 km band lies between 20 and 40 km from the front", "[viewer][gl]") {
    render();
    // Walk north-west from the front near Zaporizhzhia until 30 km from hostile positions.
    const auto &index = *scene.snap->hostile;
    std::optional<model::LonLat> at30;
    for (double t = 0; t < 3.0 && !at30; t += 0.002) {
        const model::LonLat p{35.9 - t, 47.5 + t * 0.6};
        const auto hit = index.query(p);
        if (!hit.occupied && hit.distanceKm && *hit.distanceKm >= 30.0)
            at30 = p;
    }
    REQUIRE(at30);
    const auto &rings = scene.doc.rings()->rings;
    REQUIRE(rings.size() == 3);
    INFO("point " << at30->lon << " " << at30->lat << " in 20 km ring: " << inside(rings[0].area, *at30)
                  << ", in 40 km ring: " << inside(rings[1].area, *at30));
    CHECK_FALSE(inside(rings[0].area, *at30));
    CHECK(inside(rings[1].area, *at30));
    const Rgba band = blend(palette::kSea, ringColour(1, 3));
    const Rgba inner = blend(palette::kSea, ringColour(0, 3));
    INFO("at 30 km " << str(at(*at30)) << ", expected " << str(band));
    CHECK(near(at(*at30), band));
    CHECK_FALSE(near(band, inner, 6)); // the bands are told apart
}

TEST_CASE_METHOD(PixelFixture, "Each ring band is filled once, in its colour, between its two rings",
                 "[viewer][gl]") {
    // The map with and without rings: away from every edge, a pixel in band k (inside ring k,
    // outside ring k-1, outside hostile territory) is the ringless pixel blended with band k's
    // colour once; a pixel in hostile territory or beyond the outer ring is untouched. A band
    // drawn twice, a stencil left set, or a band where the next one should be all fail it.
    style.rings = false;
    render();
    const Image plain = image;
    style.rings = true;
    render();
    const auto &rings = scene.doc.rings()->rings;
    REQUIRE(rings.size() == 3);
    const auto &hostile = *scene.snap->hostile;
    // Which band a screen point is in (0..2), 3 beyond the rings, -1 in hostile territory.
    auto bandAt = [&](double x, double y) {
        const model::LonLat p = camera.screenToLonLat(x, y);
        if (hostile.query(p).occupied)
            return -1;
        for (int k = 0; k < 3; ++k)
            if (inside(rings[std::size_t(k)].area, p))
                return k;
        return 3;
    };
    std::array<int, 5> checked{}, wrong{};
    std::ostringstream examples;
    for (int y = 8; y < camera.height - 8; y += 9)
        for (int x = 8; x < camera.width - 8; x += 9) {
            const int band = bandAt(x + 0.5, y + 0.5);
            // Away from ring edges (lines) and the hostile border, and from whatever is drawn over
            // the bands (markers, borders, the front line): 4 px either way.
            const Rgba under = plain.at(x, y);
            bool edge = false;
            for (const auto &[dx, dy] :
                 {std::pair{-4, 0}, {4, 0}, {0, -4}, {0, 4}, {-3, -3}, {3, 3}, {-3, 3}, {3, -3}})
                edge = edge || bandAt(x + dx + 0.5, y + dy + 0.5) != band ||
                       !near(plain.at(x + dx, y + dy), under, 0);
            if (edge)
                continue;
            Rgba expected = under;
            if (band >= 0 && band < 3) {
                const Rgba c = ringColour(std::size_t(band), 3);
                expected = blend(under, c.withAlpha(c.a / 255.0f * style.ringOpacity));
            }
            ++checked[std::size_t(band + 1)];
            if (!near(image.at(x, y), expected, 4)) {
                if (++wrong[std::size_t(band + 1)] <= 5)
                    examples << "band " << band << " at " << x << "," << y << ": " << str(image.at(x, y))
                             << ", expected " << str(expected) << " (without rings " << str(under) << ")\n";
            }
        }
    INFO(examples.str());
    for (int b = 0; b < 5; ++b) {
        INFO("band " << b - 1 << " (-1: hostile, 3: beyond the rings): " << wrong[std::size_t(b)] << " of "
                     << checked[std::size_t(b)] << " pixels wrong");
        CHECK(checked[std::size_t(b)] >= 80);
        CHECK(wrong[std::size_t(b)] * 200 <= checked[std::size_t(b)]);
    }
}

TEST_CASE_METHOD(PixelFixture, "Far from the war the map shows the background", "[viewer][gl]") {
    render();
    // Western Romania: > 80 km from any hostile position, no deposit or infrastructure.
    const model::LonLat far{22.6, 45.0};
    REQUIRE(*scene.snap->hostile->query(far).distanceKm > 150);
    INFO("got " << str(at(far)));
    CHECK(near(at(far), palette::kSea, 1));
}

TEST_CASE_METHOD(PixelFixture, "The overlay draws a legend box over the map", "[viewer][gl]") {
    render(false);
    const Rgba plain = image.at(camera.width - 40, 40);
    render(true);
    const Rgba legend = image.at(camera.width - 40, 40);
    CHECK_FALSE(near(plain, legend, 10));
    CHECK(legend.r > 230);
    CHECK(legend.g > 230); // the legend's white panel
}

TEST_CASE_METHOD(PixelFixture, "A rule change recolours markers with one colour upload", "[viewer][gl]") {
    const int mp = scene.depositNamed("Mountain Pass");
    REQUIRE(mp >= 0);
    camera.fit({-116.5, 34.5, -114.5, 36.5}, 0.0);
    render();
    const auto p = scene.doc.depositAnchor(mp);
    const auto before = scene.doc.report().deposits[std::size_t(mp)].verdict;
    INFO("before " << str(at(p)));
    CHECK(near(at(p), verdictColour(before)));
    const std::size_t uploads = renderer.colourUploads();

    MapDocument &doc = scene.doc;
    auto t = doc.scenario()->thresholds;
    const auto severities = doc.scenario()->severities;
    auto strict = t;
    strict.gradeCutoffPct = 50.0; // no deposit reaches 50 % TREO
    REQUIRE(doc.applyRules(strict, severities));
    const auto after = doc.report().deposits[std::size_t(mp)].verdict;
    CHECK(after != rules::Verdict::Investable);
    render();
    CHECK(renderer.colourUploads() == uploads + 1);
    INFO("after " << str(at(p)));
    CHECK(near(at(p), verdictColour(after)));
    doc.applyRules(t, severities); // leave the shared scene as it was
}

TEST_CASE_METHOD(PixelFixture, "A pan draws only the strips it uncovers, and the frame is the whole frame",
                 "[viewer][gl]") {
    style.graticule = true;
    checkPansMatchWholeFrames(scene.doc, camera, style, {{7, 0}, {0, -5}, {-3, 4}, {1, 1}});
    // Anything else that changed, or a pan by part of a pixel, draws the whole frame.
    MapRenderer r;
    GlFramebuffer fb;
    r.render(scene.doc, camera, style, fb, true);
    Camera zoomed = camera;
    zoomed.zoomAround(600, 400, 1.25);
    r.render(scene.doc, zoomed, style, fb, true);
    zoomed.pan(0.5, 0);
    r.render(scene.doc, zoomed, style, fb, true);
    MapStyle thinner = style;
    thinner.ringOpacity = 0.5f;
    zoomed.pan(2, 0);
    r.render(scene.doc, zoomed, thinner, fb, true);
    CHECK(r.panDraws() == 0);
    zoomed.pan(-30, 0);
    r.render(scene.doc, zoomed, thinner, fb, true);
    CHECK(r.panDraws() == 1);
}

TEST_CASE("orefront render writes a PNG, and exits 2 on a bad scenario", "[viewer][gl][cli]") {
    const auto dir = std::filesystem::temp_directory_path() / "orefront-viewer-test";
    std::filesystem::create_directories(dir);
    RenderOptions o;
    o.output = (dir / "map.png").string();
    o.size = "640x400";
    std::filesystem::remove(o.output);
    CHECK(runRender(o) == 0);
    CHECK(std::filesystem::file_size(o.output) > 10000);

    RenderOptions bad = o;
    bad.scenario = (dir / "missing.toml").string();
    bad.output = (dir / "bad.png").string();
    CHECK(runRender(bad) == 2);
    CHECK_FALSE(std::filesystem::exists(bad.output));

    RenderOptions badBox = o;
    badBox.bbox = "40,50,30";
    CHECK(runRender(badBox) != 0);
}

TEST_CASE("Changing one ring distance rebuilds that ring only", "[viewer]") {
    const BundledScene &scene = BundledScene::get();
    const RingSet &before = *scene.doc.rings();
    REQUIRE(before.km == std::vector<double>{20, 40, 80});
    const auto after = buildRingSet(*scene.snap, {20, 40, 100}, &before);
    REQUIRE(after->km == std::vector<double>{20, 40, 100});
    REQUIRE(after->meshes.size() == 3);
    CHECK(after->meshes[0] == before.meshes[0]); // the same mesh: no rebuild, no upload
    CHECK(after->meshes[1] == before.meshes[1]);
    CHECK(after->meshes[2] != before.meshes[2]);
    CHECK(after->rings[2].km == 100);
    // 90 km from the front: outside the old outer ring, inside the new one.
    std::optional<model::LonLat> at90;
    for (double t = 0; t < 4.0 && !at90; t += 0.002) {
        const model::LonLat p{35.9 - t, 47.5 + t * 0.6};
        const auto hit = scene.snap->hostile->query(p);
        if (!hit.occupied && hit.distanceKm && *hit.distanceKm >= 90.0)
            at90 = p;
    }
    REQUIRE(at90);
    CHECK_FALSE(inside(before.rings[2].area, *at90));
    CHECK(inside(after->rings[2].area, *at90));
}

TEST_CASE("Thousands of deposits are shrunk and drawn as a density", "[viewer][gl]") {
    // 20,000 deposits in a 4 x 3 degree box, written as GeoJSON with a scenario beside it.
    const auto dir = std::filesystem::temp_directory_path() / "orefront-dense-test";
    std::filesystem::create_directories(dir);
    {
        std::ofstream json(dir / "deposits.geojson");
        json << R"({"type":"FeatureCollection","features":[)";
        for (int i = 0; i < 20000; ++i)
            json << (i ? "," : "") << R"({"type":"Feature","properties":{"name":"d)" << i
                 << R"(","country":"UKR","grade_treo_pct":)" << (i % 3 ? 0.5 : 5.0)
                 << R"(,"tonnage_mt":10},"geometry":{"type":"Point","coordinates":[)" << 30 + (i % 200) * 0.02
                 << "," << 47 + (i / 200) * 0.03 << "]}}";
        json << "]}";
        std::ofstream toml(dir / "scenario.toml");
        toml << "name = \"dense\"\n[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = "
                "\"deposits.geojson\"\n";
    }
    io::initGdal();
    const auto snap = loadScenarioSnapshot((dir / "scenario.toml").string(), 0);
    MapDocument doc;
    doc.setScenario(snap);
    REQUIRE(doc.report().deposits.size() == 20000);

    HeadlessGl gl;
    MapRenderer renderer;
    MapImageComposer composer;
    Camera camera;
    camera.width = 800;
    camera.height = 600;
    camera.fit({29, 46, 35, 51}, 0.0);
    const float scale = doc.markerScaleAt(camera, 1.0f);
    CHECK(scale < 0.6f);
    CHECK(scale * markerDiameterPx(10.0) >= 2.9f); // still a visible disc
    OverlayOptions none;
    none.legend = none.scaleBar = none.ringLabels = none.title = none.graticuleLabels = false;
    MapStyle style;
    style.graticule = false;
    Image image = composer.compose(renderer, doc, camera, style, none);
    CHECK(renderer.denseDraws() == 1);
    // The last deposit drawn shows its verdict's colour; outside the box, the background.
    const int i = 19999; // grade 0.5 %: below the cut-off
    REQUIRE(doc.report().deposits[i].verdict != rules::Verdict::Investable);
    double x, y;
    camera.lonLatToScreen(doc.depositAnchor(i), x, y);
    INFO("got " << str(image.at(int(x), int(y))));
    CHECK(near(image.at(int(x), int(y)), verdictColour(doc.report().deposits[i].verdict), 0));
    camera.lonLatToScreen({32.01, 50.5}, x, y); // north of the box
    CHECK(near(image.at(int(x), int(y)), palette::kSea, 1));

    // A pan over the density keeps the image and splats only the uncovered strips.
    checkPansMatchWholeFrames(doc, camera, style, {{6, 0}, {-2, -9}});

    // Zoomed in on a few of them: full-size markers, drawn by the GPU.
    camera.fit({31.9, 48.4, 32.1, 48.6}, 0.0);
    CHECK(doc.markerScaleAt(camera, 1.0f) == 1.0f);
    composer.compose(renderer, doc, camera, style, none);
    CHECK(renderer.denseDraws() == 1);
}

TEST_CASE("A Timeline date derived from another shares what did not change and measures the same",
          "[viewer]") {
    io::initGdal();
    const model::Scenario base =
        io::loadScenario(OREFRONT_TEST_DATA_DIR "/../../data/cli/timeline/scenario.toml");
    const auto first = loadScenarioSnapshot(io::scenarioAt(base, *model::Date::parseIso("2022-02-23")), 1);
    const model::Scenario later = io::scenarioAt(base, *model::Date::parseIso("2022-03-25"));
    const auto derived = loadScenarioSnapshotAt(*first, later, 1);
    const auto fresh = loadScenarioSnapshot(later, 1);
    REQUIRE(derived->depositsLayer >= 0);
    const auto d = std::size_t(derived->depositsLayer);
    // The deposits are not a series: the same layer, facts, marker mesh and grid.
    CHECK(derived->project->layers[d] == first->project->layers[d]);
    CHECK(derived->meshes[d] == first->meshes[d]);
    CHECK(derived->depositGrid == first->depositGrid);
    // The hostile snapshot is the later one, measured again: as a fresh load measures it.
    CHECK(derived->project->layers[1] != first->project->layers[1]);
    CHECK(derived->project->layers[1]->date == fresh->project->layers[1]->date);
    REQUIRE(derived->measurements.perDeposit.size() == fresh->measurements.perDeposit.size());
    bool anyChanged = false;
    for (std::size_t i = 0; i < fresh->measurements.perDeposit.size(); ++i) {
        const auto &a = derived->measurements.perDeposit[i], &b = fresh->measurements.perDeposit[i];
        CHECK(a.occupied == b.occupied);
        CHECK(a.frontDistanceKm == b.frontDistanceKm);
        anyChanged |= a.occupied != first->measurements.perDeposit[i].occupied ||
                      a.frontDistanceKm != first->measurements.perDeposit[i].frontDistanceKm;
    }
    CHECK(anyChanged); // the largest extent reaches the Kharkiv deposit
    // Its rings come from its own prepared boundary: the same as a fresh load's.
    const auto rings = buildRingSet(*derived, {20});
    const auto freshRings = buildRingSet(*fresh, {20});
    REQUIRE(rings->rings.size() == 1);
    REQUIRE(freshRings->rings.size() == 1);
    CHECK(rings->rings[0].area.polygons.size() == freshRings->rings[0].area.polygons.size());
    CHECK(rings->rings[0].area.bounds().minLon == freshRings->rings[0].area.bounds().minLon);
}
