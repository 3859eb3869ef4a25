// GL-free parts of the workspace (issue 8): the role guessed for a dropped file, the config
// directory and the recent scenarios, the file dialog's listing, the search, the distance
// histogram and the table's reason and distance-band filters; the load progress shown.
#include "deposit_rows.hpp"
#include "scenario_snapshot.hpp"
#include "ui/file_dialog.hpp"
#include "ui/layers_window.hpp"
#include "ui/search_box.hpp"
#include "workspace.hpp"

#include "orefront/io/scenario_io.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

using namespace orefront;
using namespace orefront::viewer;
namespace fs = std::filesystem;
using R = model::LayerRole;

namespace {
struct TempDir {
    fs::path path = fs::temp_directory_path() / ("orefront-ws-" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

rules::DepositVerdict deposit(std::string name, rules::Verdict v, bool firstRuleFired = false) {
    rules::DepositVerdict d;
    d.name = std::move(name);
    d.verdict = v;
    if (firstRuleFired)
        d.reasons.push_back(rules::internReason("occupied"));
    return d;
}
} // namespace

TEST_CASE("The role of a dropped file is guessed from its geometry and name", "[viewer]") {
    CHECK(guessRole("/data/occupied_2025-08.geojson", GeometryKind::Polygons) == R::Hostile);
    CHECK(guessRole("deepstate-map-2025-08-01.geojson", GeometryKind::Polygons) == R::Hostile);
    CHECK(guessRole("deepstate-map-2025-08-01.geojson", GeometryKind::Lines) == R::Front);
    CHECK(guessRole("Front_2025-08.geojson", GeometryKind::Lines) == R::Front);
    CHECK(guessRole("ports.gpkg|layername=x", GeometryKind::Points) == R::Ports);
    CHECK(guessRole("rail_hubs.geojson", GeometryKind::Points) == R::Rail);
    CHECK(guessRole("power_plants.geojson", GeometryKind::Points) == R::Power);
    CHECK(guessRole("ree_deposits.csv", GeometryKind::Points) == R::Deposits);
    CHECK(guessRole("ne_50m_admin_0_countries.shp", GeometryKind::Polygons) == R::Basemap);
    // A name that says "front" on polygons is not a front line; an unknown name is "other".
    CHECK(guessRole("front.geojson", GeometryKind::Polygons) == R::Other);
    CHECK(guessRole("survey.geojson", GeometryKind::Points) == R::Other);
}

TEST_CASE("The config directory follows XDG_CONFIG_HOME, and recent scenarios persist there", "[viewer]") {
    TempDir tmp;
    const char *old = std::getenv("XDG_CONFIG_HOME");
    const std::string saved = old ? old : "";
    ::setenv("XDG_CONFIG_HOME", tmp.path.c_str(), 1);
    const std::string dir = configDirectory();
    if (old)
        ::setenv("XDG_CONFIG_HOME", saved.c_str(), 1);
    else
        ::unsetenv("XDG_CONFIG_HOME");
    CHECK(dir == (tmp.path / "orefront").string());
    CHECK(fs::is_directory(dir));

    const std::string file = dir + "/recent_scenarios.txt";
    {
        RecentScenarios r(file);
        for (int i = 0; i < 10; ++i)
            r.add((tmp.path / ("s" + std::to_string(i) + ".toml")).string());
        r.add((tmp.path / "s5.toml").string()); // again: to the front, not twice
    }
    RecentScenarios back(file);
    REQUIRE(back.paths().size() == RecentScenarios::kMax);
    CHECK(back.paths()[0] == (tmp.path / "s5.toml").string());
    CHECK(back.paths()[1] == (tmp.path / "s9.toml").string());
    CHECK(std::count(back.paths().begin(), back.paths().end(), (tmp.path / "s5.toml").string()) == 1);
}

TEST_CASE("The file dialog lists directories first, then files with the extensions asked for", "[viewer]") {
    TempDir tmp;
    fs::create_directories(tmp.path / "zeta");
    fs::create_directories(tmp.path / ".hidden");
    std::ofstream(tmp.path / "b.TOML");
    std::ofstream(tmp.path / "a.toml");
    std::ofstream(tmp.path / "c.geojson");
    const auto toml = listDirectory(tmp.path, {".toml"});
    REQUIRE(toml.size() == 3);
    CHECK((toml[0].name == "zeta" && toml[0].directory));
    CHECK(toml[1].name == "a.toml");
    CHECK(toml[2].name == "b.TOML");
    CHECK(listDirectory(tmp.path, {}).size() == 4);
}

TEST_CASE("Search: names containing the text, those starting with it first", "[viewer]") {
    rules::Report r;
    r.deposits.push_back(deposit("Novopoltavske", rules::Verdict::NotInvestable));
    r.deposits.push_back(deposit("Polokhivske", rules::Verdict::Investable));
    r.deposits.push_back(deposit("Mountain Pass", rules::Verdict::Investable));
    r.deposits.push_back(deposit("Полохівське", rules::Verdict::Investable));
    CHECK(searchDeposits(r, "pol", 10) == std::vector<int>{1, 0});
    CHECK(searchDeposits(r, "PASS", 10) == std::vector<int>{2});
    CHECK(searchDeposits(r, "Полох", 10) == std::vector<int>{3});
    CHECK(searchDeposits(r, "pol", 1) == std::vector<int>{1});
    CHECK(searchDeposits(r, "", 10).empty());
}

TEST_CASE("Distance histogram and the table's reason and distance-band filters", "[viewer]") {
    rules::Report r;
    analysis::Measurements m;
    const double km[] = {5, 12, 18, 35, 400};
    const rules::Verdict v[] = {rules::Verdict::NotInvestable, rules::Verdict::NotInvestable,
                                rules::Verdict::Marginal, rules::Verdict::Investable,
                                rules::Verdict::Investable};
    for (int i = 0; i < 5; ++i) {
        r.deposits.push_back(deposit("d" + std::to_string(i), v[i], i < 2));
        m.perDeposit.emplace_back();
        m.perDeposit.back().frontDistanceKm = km[i];
    }
    r.deposits.push_back(deposit("far away", rules::Verdict::Unknown));
    m.perDeposit.emplace_back(); // no distance

    const DistanceHistogram h = frontDistanceHistogram(r, m, 10, 10);
    CHECK(h.counts[int(rules::Verdict::NotInvestable)][0] == 1);
    CHECK(h.counts[int(rules::Verdict::NotInvestable)][1] == 1);
    CHECK(h.counts[int(rules::Verdict::Marginal)][1] == 1);
    CHECK(h.counts[int(rules::Verdict::Investable)][3] == 1);
    CHECK(h.beyond == 1);
    CHECK(h.unmeasured == 1);

    DepositRows rows;
    DepositFilter f;
    f.frontMinKm = 10;
    f.frontMaxKm = 20; // the bar a click picked
    rows.update(r, &m, f, {DepositColumn::Name, true}, 1);
    CHECK(rows.rows() == std::vector<std::uint32_t>{1, 2});
    f = {};
    f.reason = "occupied";
    rows.update(r, &m, f, {DepositColumn::Name, true}, 1);
    CHECK(rows.rows() == std::vector<std::uint32_t>{0, 1});
}

TEST_CASE("The table's reason filter offers each code that fired once, in order", "[viewer]") {
    rules::Report r;
    const char *fired[][3] = {{"within_range_40km", "occupied", ""},
                              {"occupied", "", ""},
                              {"grid_damaged", "within_range_40km", "sanctions"},
                              {"", "", ""},
                              {"sanctions", "within_range_80km", "grid_damaged"}};
    for (const auto &codes : fired) {
        r.deposits.push_back(deposit("d", rules::Verdict::NotInvestable));
        for (const char *c : codes)
            if (*c)
                r.deposits.back().reasons.push_back(rules::internReason(c));
    }
    const auto codes = distinctReasons(r);
    CHECK(std::vector<std::string>(codes.begin(), codes.end()) ==
          std::vector<std::string>{"grid_damaged", "occupied", "sanctions", "within_range_40km",
                                   "within_range_80km"});
    CHECK(distinctReasons(rules::Report{}).empty());
}

TEST_CASE("A scenario load advances the shared progress counters, as analyze does", "[viewer]") {
    io::initGdal();
    model::Progress progress;
    const auto snap =
        loadScenarioSnapshot(io::loadScenario(OREFRONT_GEODATA_DIR "/scenario.toml"), 1, &progress);
    const auto p = progress.snapshot();
    // The last stage is the measurement: one count per deposit, out of all of them.
    CHECK(p.stage == "measure");
    const auto deposits = snap->measurements.perDeposit.size();
    REQUIRE(deposits > 0);
    CHECK(p.done == deposits);
    CHECK(p.total == deposits);
}

TEST_CASE("A load in flight reads as its stage and counts", "[viewer]") {
    LoadingJob job;
    job.label = "scenario.toml";
    job.seconds = 3.25;
    CHECK(loadingText(job) == "loading scenario.toml (3.2 s)");
    job.stage = "measure";
    job.done = 40000;
    job.total = 1000000;
    CHECK(loadingText(job) == "loading scenario.toml: measure 40,000 of 1,000,000 (3.2 s)");
    job.stage = "load deposits";
    job.total = 0;
    job.done = 512;
    CHECK(loadingText(job) == "loading scenario.toml: load deposits 512 (3.2 s)");
}
