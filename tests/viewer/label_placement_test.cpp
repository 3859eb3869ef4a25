// Label placement (label_placement.hpp, map_labels.hpp), GL-free: no two placed boxes
// intersect, the required (selected) label is always placed, labels that do not fit are
// dropped rather than stacked, priority decides who gets a contested spot, and the ring
// distance labels of the bundled scenario share the index with the deposit names.
#include "label_placement.hpp"
#include "map_labels.hpp"
#include "map_overlay.hpp"

#include "orefront/io/scenario_io.hpp"

#include <catch2/catch.hpp>

#include <time.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

using namespace orefront;
using namespace orefront::viewer;

namespace {

const ScreenBox kView{0, 0, 800, 600};

// Text of a fixed-width font: 7 px per byte, 15 px high.
LabelSize fixedWidth(std::string_view text) {
    return {7.0f * float(text.size()), 15.0f};
}

double threadCpuMs() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

void requireNoOverlap(const std::vector<ScreenBox> &boxes) {
    for (std::size_t i = 0; i < boxes.size(); ++i)
        for (std::size_t j = i + 1; j < boxes.size(); ++j) {
            INFO("boxes " << i << " and " << j << ": (" << boxes[i].x0 << "," << boxes[i].y0 << ")-("
                          << boxes[i].x1 << "," << boxes[i].y1 << ") and (" << boxes[j].x0 << ","
                          << boxes[j].y0 << ")-(" << boxes[j].x1 << "," << boxes[j].y1 << ")");
            REQUIRE_FALSE(boxes[i].intersects(boxes[j]));
        }
}

struct RandomScene {
    std::vector<LabelRequest> requests;
    std::vector<LabelSize> sizes;
    std::vector<ScreenBox> obstacles;
};

RandomScene randomScene(unsigned seed, int n, float spread) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> x(400 - spread / 2, 400 + spread / 2),
        y(300 - spread * 0.375f, 300 + spread * 0.375f);
    std::uniform_real_distribution<float> w(20, 160), gap(3, 15), prio(0, 100);
    RandomScene s;
    for (int i = 0; i < n; ++i) {
        LabelRequest r;
        r.id = std::uint32_t(i);
        r.x = x(rng);
        r.y = y(rng);
        r.gap = gap(rng);
        r.priority = std::floor(prio(rng)); // ties happen
        r.required = i == n / 2;
        s.requests.push_back(r);
        s.sizes.push_back({w(rng), 15});
    }
    s.obstacles = {{560, 10, 790, 250}, {10, 560, 240, 590}}; // a legend and a scale bar
    return s;
}

} // namespace

TEST_CASE("Dense random labels: no two placed boxes intersect, the required one is placed",
          "[viewer][labels]") {
    for (unsigned seed = 1; seed <= 20; ++seed) {
        const RandomScene s = randomScene(seed, 1500, 780);
        LabelPlacer placer(kView);
        for (const auto &o : s.obstacles)
            placer.addObstacle(o);
        const auto placed = placeLabels(placer, s.requests, [&](std::uint32_t id) { return s.sizes[id]; });
        INFO("seed " << seed << ": " << placed.size() << " of " << s.requests.size() << " placed");
        REQUIRE(!placed.empty());
        REQUIRE(placed.size() < s.requests.size()); // dense: most are dropped
        std::vector<ScreenBox> boxes;
        std::set<std::uint32_t> ids;
        for (const auto &p : placed) {
            boxes.push_back(p.box);
            REQUIRE(ids.insert(p.id).second); // one label per request
            const LabelRequest &r = s.requests[p.id];
            if (!r.required) {
                // The box is where the request's position puts it, at the measured size.
                REQUIRE(p.box == labelBoxAt(r, s.sizes[p.id], p.position));
                REQUIRE(p.box.inside(kView));
                for (const auto &o : s.obstacles)
                    REQUIRE_FALSE(p.box.intersects(o));
            }
        }
        requireNoOverlap(boxes);
        const std::uint32_t required = 1500 / 2;
        REQUIRE(ids.count(required) == 1);
        REQUIRE(placed.front().id == required); // placed first
    }
}

TEST_CASE("A dropped label lost every position to the map edge, an obstacle or a label placed before it",
          "[viewer][labels]") {
    // Priority: a label is dropped only where higher-priority labels (or ties earlier in the
    // list) took its room; it never loses its spot to a lower-priority one.
    const RandomScene s = randomScene(7, 600, 700);
    LabelPlacer placer(kView, 0.0f);
    for (const auto &o : s.obstacles)
        placer.addObstacle(o);
    const auto placed = placeLabels(placer, s.requests, [&](std::uint32_t id) { return s.sizes[id]; });
    std::vector<int> rank(s.requests.size(), -1);
    for (std::size_t k = 0; k < placed.size(); ++k)
        rank[placed[k].id] = int(k);
    for (const auto &r : s.requests) {
        if (rank[r.id] >= 0)
            continue;
        for (int bit = 0; bit < 8; ++bit) {
            const ScreenBox box = labelBoxAt(r, s.sizes[r.id], LabelPosition(1 << bit));
            bool blocked = !box.inside(kView);
            for (const auto &o : s.obstacles)
                blocked = blocked || box.intersects(o);
            for (const auto &p : placed) {
                const LabelRequest &q = s.requests[p.id];
                const bool before =
                    q.required || q.priority > r.priority || (q.priority == r.priority && q.id < r.id);
                blocked = blocked || (before && box.intersects(p.box));
            }
            INFO("request " << r.id << " (priority " << r.priority << "), position " << bit);
            REQUIRE(blocked);
        }
    }
}

TEST_CASE("Priority decides a contested spot", "[viewer][labels]") {
    // Three labels on one anchor, only to its right: one spot, the highest priority takes it.
    std::vector<LabelRequest> rs(3);
    const double priorities[] = {1, 3, 2};
    for (std::uint32_t i = 0; i < 3; ++i) {
        rs[i].id = i;
        rs[i].x = 100;
        rs[i].y = 100;
        rs[i].gap = 5;
        rs[i].priority = priorities[i];
        rs[i].positions = kRight;
    }
    LabelPlacer placer(kView);
    const auto placed = placeLabels(placer, rs, [](std::uint32_t) { return LabelSize{60, 15}; });
    REQUIRE(placed.size() == 1);
    CHECK(placed[0].id == 1);

    SECTION("the required label beats any priority, and goes over an obstacle if it must") {
        rs[0].required = true;
        LabelPlacer p2(kView);
        p2.addObstacle({0, 0, 800, 600}); // nowhere is free
        const auto placed2 = placeLabels(p2, rs, [](std::uint32_t) { return LabelSize{60, 15}; });
        REQUIRE(placed2.size() == 1);
        CHECK(placed2[0].id == 0);
    }
    SECTION("a required label near the edge is moved inside the map") {
        LabelRequest edge = rs[0];
        edge.required = true;
        edge.x = 795;
        LabelPlacer p3(kView);
        p3.addObstacle({0, 0, 800, 600});
        const auto p = p3.place(edge, {60, 15});
        REQUIRE(p);
        CHECK(p->box.inside(kView));
    }
}

TEST_CASE("Zoomed out, labels that do not fit are dropped, not stacked", "[viewer][labels]") {
    // The same 200 anchors seen at two zooms: spread over the view every label fits; shrunk
    // into 40 px (zoomed out 20x) only a few do, and those few still do not overlap.
    std::mt19937 rng(3);
    std::uniform_real_distribution<float> u(-1, 1);
    std::vector<std::pair<float, float>> at;
    for (int i = 0; i < 200; ++i)
        at.emplace_back(u(rng), u(rng));
    auto run = [&](float halfSpan, std::size_t &placedCount) {
        std::vector<LabelRequest> rs;
        for (std::uint32_t i = 0; i < at.size(); ++i) {
            LabelRequest r;
            r.id = i;
            r.x = 400 + at[i].first * halfSpan * 1.3f;
            r.y = 300 + at[i].second * halfSpan;
            r.gap = 4;
            r.priority = i;
            rs.push_back(r);
        }
        LabelPlacer placer(kView);
        const auto placed = placeLabels(placer, rs, [](std::uint32_t) { return LabelSize{8, 6}; });
        std::vector<ScreenBox> boxes;
        for (const auto &p : placed)
            boxes.push_back(p.box);
        requireNoOverlap(boxes);
        placedCount = placed.size();
    };
    std::size_t wide = 0, narrow = 0;
    run(280, wide);
    run(14, narrow);
    CHECK(wide > 190);
    CHECK(narrow < 30);
    CHECK(narrow > 0);
}

TEST_CASE("The grid finds boxes in every cell they cover, and boxes reaching outside the view",
          "[viewer][labels]") {
    CollisionGrid grid(kView, 48);
    grid.insert({90, 90, 300, 110}); // spans five cells
    CHECK(grid.collides({280, 100, 290, 105}));
    CHECK(grid.collides({95, 95, 96, 96}));
    CHECK_FALSE(grid.collides({300, 100, 320, 105})); // touching edges do not collide
    grid.insert({-50, -50, 10, 10});                  // clamped to the corner cell
    CHECK(grid.collides({0, 0, 5, 5}));
    CHECK_FALSE(grid.collides({20, 20, 30, 30}));
}

namespace {

struct BundledLabels {
    MapDocument doc;
    BundledLabels() {
        io::initGdal();
        doc.setScenario(loadScenarioSnapshot(OREFRONT_GEODATA_DIR "/scenario.toml", 0));
        doc.setRings(buildRingSet(*doc.snapshotPtr(), {20, 40, 80}));
    }
    static BundledLabels &get() {
        static BundledLabels b;
        return b;
    }
    // `render`'s default view (no margin), or the viewer's (MapController: 5 % margin).
    Camera theatre(int w, int h, double margin = 0.0) const {
        Camera c;
        c.width = w;
        c.height = h;
        c.fit(theatreBounds(*doc.snapshot()), margin);
        return c;
    }
};

std::vector<ScreenBox> boxesOf(const std::vector<MapLabel> &labels) {
    std::vector<ScreenBox> out;
    for (const auto &l : labels)
        out.push_back(l.box);
    return out;
}

} // namespace

TEST_CASE("Bundled scenario: ring labels and names never collide, every ring is labelled",
          "[viewer][labels]") {
    auto &b = BundledLabels::get();
    // Render sizes, and the viewer's map under its menu and status bars; the legend (470 x 330
    // px at the top right) in the way, as it is on every map.
    for (const auto &[w, h] : {std::pair{1280, 800}, std::pair{1920, 1080}, std::pair{1600, 1000},
                               std::pair{1280, 740}, std::pair{1920, 1020}}) {
        for (const double margin : {0.0, 0.05}) {
            const Camera camera = b.theatre(w, h, margin);
            MapLabelInputs in;
            in.obstacles = {{float(w) - 480, 10, float(w) - 10, 340}};
            const auto labels = layoutMapLabels(b.doc, camera, in, fixedWidth);
            INFO(w << "x" << h << " margin " << margin << ": " << labels.size() << " labels");
            requireNoOverlap(boxesOf(labels));
            std::set<std::string> rings;
            int deposits = 0;
            for (const auto &l : labels) {
                if (l.kind == MapLabel::Ring)
                    rings.insert(l.text);
                deposits += l.kind == MapLabel::Deposit;
            }
            // The old layout put "20 km" and "40 km" touching on one row at the default zoom.
            CHECK(rings == std::set<std::string>{"20 km", "40 km", "80 km"});
            CHECK(deposits >= 5);
        }
    }
}

TEST_CASE("Bundled scenario: the selected deposit is always labelled, whichever it is", "[viewer][labels]") {
    auto &b = BundledLabels::get();
    const Camera camera = b.theatre(1280, 800);
    // Zoomed out as far as the whole world: the clusters are tight, and still the selected
    // deposit's name is placed, with nothing over it.
    Camera world = camera;
    world.fit({-170, -60, 170, 75}, 0.0);
    const auto &deposits = b.doc.report().deposits;
    for (const Camera &c : {camera, world}) {
        for (std::size_t i = 0; i < deposits.size(); ++i) {
            double sx, sy;
            c.lonLatToScreen(b.doc.depositAnchor(int(i)), sx, sy);
            if (sx < 0 || sy < 0 || sx >= c.width || sy >= c.height)
                continue;
            MapLabelInputs in;
            in.selected = int(i);
            in.obstacles = {{float(c.width) - 420, 10, float(c.width) - 10, 300}}; // a legend
            const auto labels = layoutMapLabels(b.doc, c, in, fixedWidth);
            INFO("selected " << deposits[i].name);
            const auto it =
                std::find_if(labels.begin(), labels.end(), [](const MapLabel &l) { return l.selected; });
            REQUIRE(it != labels.end());
            CHECK(it->text == deposits[i].name);
            requireNoOverlap(boxesOf(labels));
        }
    }
}

TEST_CASE("Bundled scenario: labels follow severity, then tonnage, switches and fields apply",
          "[viewer][labels]") {
    auto &b = BundledLabels::get();
    const Camera camera = b.theatre(1280, 800);
    const auto &deposits = b.doc.report().deposits;
    MapLabelInputs in;
    in.rings = false;
    const auto labels = layoutMapLabels(b.doc, camera, in, fixedWidth);
    // Placement order is priority order: severity rank never rises along the list, and
    // within a verdict tonnage never rises.
    auto rank = [](rules::Verdict v) {
        return v == rules::Verdict::NotInvestable ? 4
               : v == rules::Verdict::Marginal    ? 3
               : v == rules::Verdict::Investable  ? 2
                                                  : 1;
    };
    std::vector<std::pair<int, double>> order;
    for (const auto &l : labels) {
        REQUIRE(l.kind == MapLabel::Deposit);
        const auto d =
            std::find_if(deposits.begin(), deposits.end(), [&](const auto &x) { return x.name == l.text; });
        REQUIRE(d != deposits.end());
        order.emplace_back(rank(d->verdict), d->tonnageMt.value_or(0.0));
    }
    REQUIRE(order.size() >= 5);
    for (std::size_t k = 1; k < order.size(); ++k) {
        CHECK(order[k].first <= order[k - 1].first);
        if (order[k].first == order[k - 1].first)
            CHECK(order[k].second <= order[k - 1].second);
    }

    SECTION("deposit labels switched off: none; ports switched on: port names") {
        in.settings[b.doc.depositsLayer()->id] = {false, ""};
        const MapLayer *ports = nullptr;
        for (const auto &l : b.doc.layers())
            if (l.role == model::LayerRole::Ports)
                ports = &l;
        REQUIRE(ports);
        in.settings[ports->id] = {true, ""};
        const auto only = layoutMapLabels(b.doc, camera, in, fixedWidth);
        REQUIRE(!only.empty());
        for (const auto &l : only)
            CHECK(l.kind == MapLabel::Feature);
        requireNoOverlap(boxesOf(only));
    }
    SECTION("a label field other than the name") {
        in.settings[b.doc.depositsLayer()->id] = {true, "country"};
        const auto byCountry = layoutMapLabels(b.doc, camera, in, fixedWidth);
        REQUIRE(!byCountry.empty());
        for (const auto &l : byCountry)
            CHECK(l.text.size() <= 3); // ISO codes
    }
}

TEST_CASE("100k deposits in view: the layout measures and tries a bounded number of labels",
          "[viewer][labels]") {
    // 100,000 deposits over 8 x 5 degrees, all in view: culling, ordering and the grid keep
    // the layout to a few milliseconds; only the highest-priority kMaxLabelTries are ever measured.
    const auto dir = std::filesystem::temp_directory_path() / "orefront-label-100k";
    std::filesystem::create_directories(dir);
    {
        std::ofstream json(dir / "deposits.geojson");
        json << R"({"type":"FeatureCollection","features":[)";
        for (int i = 0; i < 100000; ++i)
            json << (i ? "," : "") << R"({"type":"Feature","properties":{"name":"Deposit )" << i
                 << R"(","grade_treo_pct":)" << (i % 3 ? 0.5 : 5.0) << R"(,"tonnage_mt":)" << (i % 97)
                 << R"(},"geometry":{"type":"Point","coordinates":[)" << 30 + (i % 400) * 0.02 << ","
                 << 47 + (i / 400) * 0.02 << "]}}";
        json << "]}";
        std::ofstream toml(dir / "scenario.toml");
        toml << "name = \"100k\"\n[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = "
                "\"deposits.geojson\"\n";
    }
    io::initGdal();
    MapDocument doc;
    doc.setScenario(loadScenarioSnapshot((dir / "scenario.toml").string(), 0));
    REQUIRE(doc.report().deposits.size() == 100000);
    Camera camera;
    camera.width = 1280;
    camera.height = 800;
    camera.fit({29.9, 46.9, 38.1, 52.1}, 0.0);
    MapLabelInputs in;
    in.markerScale = doc.markerScaleAt(camera, 1.0f);
    in.selected = 54321;
    // The order is built once per rule evaluation (MapLabelLayer keeps it); a view change
    // only walks it.
    const auto t0 = std::chrono::steady_clock::now();
    const auto order = DepositLabelOrder::of(doc);
    const double orderMs =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    REQUIRE(order->points.size() == 100000);
    std::size_t measured = 0;
    std::vector<double> ms, cpuMs; // wall; this thread's CPU (the machine may be shared)
    std::vector<MapLabel> labels;
    for (int run = 0; run < 5; ++run) {
        measured = 0;
        const auto w0 = std::chrono::steady_clock::now();
        const double c0 = threadCpuMs();
        labels = layoutMapLabels(
            doc, camera, in,
            [&](std::string_view t) {
                ++measured;
                return fixedWidth(t);
            },
            order.get());
        cpuMs.push_back(threadCpuMs() - c0);
        ms.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - w0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::sort(cpuMs.begin(), cpuMs.end());
    WARN("label layout, 100k deposits in view at 1280x800: median "
         << ms[2] << " ms wall, " << cpuMs[2] << " ms CPU; " << labels.size()
         << " labels; priority order built in " << orderMs << " ms");
    CHECK(measured <= kMaxLabelTries + 1); // and the selected one
    CHECK(labels.size() > 20);             // a density map: the most important markers leave little room
    REQUIRE(std::any_of(labels.begin(), labels.end(), [](const MapLabel &l) { return l.selected; }));
    requireNoOverlap(boxesOf(labels));
}

TEST_CASE("HiDPI: at twice the font size, gaps and text double and labels still do not overlap",
          "[viewer][labels]") {
    auto &b = BundledLabels::get();
    const Camera camera = b.theatre(2560, 1600); // a 1280x800 window at 2x
    const auto doubled = [](std::string_view t) {
        const LabelSize s = fixedWidth(t);
        return LabelSize{2 * s.width, 2 * s.height};
    };
    MapLabelInputs in;
    in.rings = false;
    in.fontSize = 30.0f;
    in.markerScale = 2.0f;
    const auto labels = layoutMapLabels(b.doc, camera, in, doubled);
    REQUIRE(labels.size() >= 5);
    requireNoOverlap(boxesOf(labels));
    for (const auto &l : labels) {
        CHECK(l.box.height() == Approx(34.0f)); // 30 px text, 2 px of halo pill above and below
        // The box keeps clear of its marker by a gap that grew with the scale: at least the
        // marker's radius (2x) plus 6 px, on one axis or the other.
        const auto d = std::find_if(b.doc.report().deposits.begin(), b.doc.report().deposits.end(),
                                    [&](const auto &x) { return x.name == l.text; });
        REQUIRE(d != b.doc.report().deposits.end());
        double x, y;
        camera.lonLatToScreen(b.doc.depositAnchor(int(d - b.doc.report().deposits.begin())), x, y);
        const double r = markerDiameterPx(d->tonnageMt) * 2.0 / 2.0;
        const double dx = std::max({l.box.x0 - x, x - l.box.x1, 0.0});
        const double dy = std::max({l.box.y0 - y, y - l.box.y1, 0.0});
        INFO(l.text << ": dx " << dx << " dy " << dy << " r " << r);
        CHECK(std::max(dx, dy) >= r + 6.0 - 0.05);
    }
}

TEST_CASE("A new report's label order is the priority order, built from the last one's tonnage order",
          "[viewer][labels]") {
    io::initGdal();
    MapDocument doc;
    doc.setScenario(loadScenarioSnapshot(OREFRONT_GEODATA_DIR "/scenario.toml", 0));
    const auto before = DepositLabelOrder::of(doc);
    const auto verdictsBefore = doc.report().deposits;
    model::Thresholds t = doc.scenario()->thresholds;
    t.gradeCutoffPct = 0.05; // most deposits pass the grade rule now
    t.standoffKm = 5;
    REQUIRE(doc.applyRules(t, doc.scenario()->severities));
    int changed = 0;
    for (std::size_t i = 0; i < verdictsBefore.size(); ++i)
        changed += verdictsBefore[i].verdict != doc.report().deposits[i].verdict;
    REQUIRE(changed > 0); // else the order would not move

    const auto reused = DepositLabelOrder::of(doc, before.get());
    const auto fresh = DepositLabelOrder::of(doc);
    CHECK(reused->points == fresh->points);
    // Against a plain sort: verdict rank, then tonnage, ties in point order.
    const LayerMesh &mesh = *doc.depositsLayer()->mesh;
    const auto &deposits = doc.report().deposits;
    auto rank = [](rules::Verdict v) {
        return v == rules::Verdict::NotInvestable ? 4
               : v == rules::Verdict::Marginal    ? 3
               : v == rules::Verdict::Investable  ? 2
                                                  : 1;
    };
    std::vector<std::uint32_t> expected;
    std::vector<bool> seen(deposits.size(), false);
    for (std::uint32_t i = 0; i < mesh.points.size(); ++i)
        if (const auto f = mesh.pointFeature[i]; f < deposits.size() && !seen[f]) {
            seen[f] = true;
            expected.push_back(i);
        }
    auto priority = [&](std::uint32_t i) {
        const auto &d = deposits[mesh.pointFeature[i]];
        return rank(d.verdict) * 1e9 + std::min(d.tonnageMt.value_or(0.0), 1e8);
    };
    std::stable_sort(expected.begin(), expected.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return priority(a) > priority(b); });
    CHECK(reused->points == expected);
    CHECK(before->points != reused->points);
}
