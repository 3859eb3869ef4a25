// The control classification (analysis/control.hpp): normalisation, precedence, the DeepState
// presets over every raw snapshot in ../shared/refdata, the load-time checks, and
// infrastructure that cannot serve a deposit.
#include "analysis/reference.hpp"
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/control.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>

using namespace orefront;
using analysis::Control;
using analysis::ControlReader;
using model::FieldType;
using model::LayerRole;
using model::LonLat;
using testing::makeLayer;

namespace {

model::LayerSpec spec(const std::string &id, LayerRole role) {
    model::LayerSpec s;
    s.id = id;
    s.name = id;
    s.role = role;
    return s;
}

const char *kSquare = "POLYGON ((35 47, 36 47, 36 48, 35 48, 35 47))";

model::Layer statusLayer(const std::vector<std::string> &statuses) {
    std::vector<testing::Row> rows;
    for (const auto &s : statuses)
        rows.push_back({kSquare, {s}});
    return makeLayer("zones", LayerRole::Hostile, {{"status", FieldType::String}}, rows);
}

const std::string kRawDir = "frontline/deepstate_raw_2022_2025";

// The raw snapshots by date (YYYYMMDD), loaded once.
const std::map<std::string, model::Layer> &rawSnapshots() {
    static const std::map<std::string, model::Layer> snapshots = [] {
        std::map<std::string, model::Layer> out;
        io::initGdal();
        for (const auto &e : std::filesystem::directory_iterator(testing::refdata(kRawDir))) {
            auto s = spec("deepstate", LayerRole::Hostile);
            s.source = e.path().string();
            std::vector<std::string> warnings;
            out.emplace(e.path().filename().string().substr(10, 8), io::loadLayer(s, "", warnings));
        }
        return out;
    }();
    return snapshots;
}

model::LayerSpec rawSpec() {
    auto s = spec("deepstate", LayerRole::Hostile);
    s.preset = "deepstate-raw";
    return s;
}

} // namespace

TEST_CASE("normalizeStatus: case, Cyrillic case, newlines and no-break spaces", "[analysis]") {
    CHECK(analysis::normalizeStatus("  Окуповано /// Occupied\u00a0/// geoJSON.status.occupied\n") ==
          "окуповано /// occupied /// geojson.status.occupied");
    CHECK(analysis::normalizeStatus("ЄІЇҐ\n\n\tABC") == "єіїґ abc");
    CHECK(analysis::normalizeStatus("") == "");
    CHECK(analysis::statusMatches("Звільнено\u00a0/// Liberated", {"звільнено /// liberated"}));
    CHECK_FALSE(analysis::statusMatches("anything", {""}));
}

TEST_CASE("ControlReader: contested before hostile, others ignored, no field = all hostile", "[analysis]") {
    const auto layer =
        statusLayer({"Occupied", "partially OCCUPIED (contested)", "liberated", "Occupied\u00a0\n"});
    auto s = spec("zones", LayerRole::Hostile);
    s.statusField = "STATUS";
    s.hostileStatuses = {"occupied"};
    s.contestedStatuses = {"contested"};
    const ControlReader r(layer, s);
    CHECK(r.classify(layer.features[0]) == Control::Hostile);
    CHECK(r.classify(layer.features[1]) == Control::Contested); // matches both lists
    CHECK(r.classify(layer.features[2]) == Control::Other);
    CHECK(r.classify(layer.features[3]) == Control::Hostile);

    const ControlReader all(layer, spec("zones", LayerRole::Hostile));
    for (const auto &f : layer.features)
        CHECK(all.classify(f) == Control::Hostile);

    s.statusField = "control";
    CHECK_THROWS_WITH(ControlReader(layer, s),
                      Catch::Contains("'control'") && Catch::Contains("status_field"));
    auto bad = spec("zones", LayerRole::Hostile);
    bad.preset = "deepstate-wrong";
    CHECK_THROWS_WITH(ControlReader(layer, bad), Catch::Contains("unknown preset 'deepstate-wrong'") &&
                                                     Catch::Contains("deepstate-raw"));
}

TEST_CASE("checkControlLayer: no hostile feature after the filter is an error listing the values",
          "[analysis]") {
    const auto layer = statusLayer({"Окуповано", "Окуповано", "Звільнено 26.03"});
    auto s = spec("zones", LayerRole::Hostile);
    s.statusField = "status";
    s.hostileStatuses = {"occupied"}; // the README's old advice: English only
    std::vector<std::string> warnings;
    CHECK_THROWS_AS(analysis::checkControlLayer(layer, s, warnings), InputError);
    CHECK_THROWS_WITH(analysis::checkControlLayer(layer, s, warnings),
                      Catch::Contains("layer 'zones'") && Catch::Contains("no hostile feature") &&
                          Catch::Contains("'окуповано' (2)") && Catch::Contains("'звільнено 26.03' (1)") &&
                          Catch::Contains("allow_empty"));
    s.allowEmpty = true;
    CHECK_NOTHROW(analysis::checkControlLayer(layer, s, warnings));
    CHECK(warnings.empty());
}

TEST_CASE("checkControlLayer: a status-like field with no filter is refused, naming the field",
          "[analysis]") {
    std::vector<std::string> warnings;
    const auto layer = statusLayer({"occupied", "liberated"});
    CHECK_THROWS_WITH(analysis::checkControlLayer(layer, spec("zones", LayerRole::Hostile), warnings),
                      Catch::Contains("layer 'zones'") && Catch::Contains("field 'status'") &&
                          Catch::Contains("deepstate-raw"));
    // DeepState vocabulary in `name`, and the daily preset (which counts every polygon) on it.
    const auto raw = makeLayer(
        "raw", LayerRole::Hostile, {{"name", FieldType::String}},
        {{kSquare, {std::string("Окуповано")}}, {kSquare, {std::string("Звільнено /// Liberated\n")}}});
    CHECK_THROWS_WITH(analysis::checkControlLayer(raw, spec("raw", LayerRole::Hostile), warnings),
                      Catch::Contains("field 'name'") && Catch::Contains("liberated areas included"));
    auto daily = spec("raw", LayerRole::Hostile);
    daily.preset = "deepstate-daily";
    CHECK_THROWS_WITH(analysis::checkControlLayer(raw, daily, warnings),
                      Catch::Contains("field 'name'") && Catch::Contains("preset 'deepstate-daily'"));
    auto preset = rawSpec();
    preset.id = "raw";
    CHECK_NOTHROW(analysis::checkControlLayer(raw, preset, warnings));
    // One status value for every feature (the bundled Russia layer's "hostile_state") sorts nothing.
    const auto one = statusLayer({"hostile_state", "Hostile_State\n"});
    CHECK_NOTHROW(analysis::checkControlLayer(one, spec("zones", LayerRole::Hostile), warnings));
    // A plain name (Natural Earth's Russia) is no status.
    const auto plain = makeLayer("russia", LayerRole::Hostile, {{"NAME", FieldType::String}},
                                 {{kSquare, {std::string("Russia")}}});
    CHECK_NOTHROW(analysis::checkControlLayer(plain, spec("russia", LayerRole::Hostile), warnings));
    CHECK(warnings.empty());
}

TEST_CASE("deepstate-raw: a name it cannot place is a warning with its count, and counts as contested",
          "[analysis]") {
    const auto layer = makeLayer("raw", LayerRole::Hostile, {{"name", FieldType::String}},
                                 {{kSquare, {std::string("Окуповано")}},
                                  {kSquare, {std::string("Something new")}},
                                  {kSquare, {std::string("Something new\n")}}});
    auto s = rawSpec();
    std::vector<std::string> warnings;
    analysis::checkControlLayer(layer, s, warnings);
    REQUIRE(warnings.size() == 1);
    CHECK_THAT(warnings[0],
               Catch::Contains("cannot place 2 feature(s)") && Catch::Contains("'something new' (2)"));
    const ControlReader r(layer, s);
    CHECK(r.classify(layer.features[1]) == Control::Contested);
    CHECK_FALSE(r.read(layer.features[1]).placed);
}

TEST_CASE("deepstate-raw places every polygon of the 10 raw snapshots 2022-2025",
          "[analysis][gdal][refdata]") {
    OREFRONT_REQUIRE_REFDATA(kRawDir);
    const auto &snapshots = rawSnapshots();
    REQUIRE(snapshots.size() == 10);
    for (const auto &[date, layer] : snapshots) {
        INFO("snapshot " << date);
        const auto s = rawSpec();
        const auto c = analysis::controlCensus(layer, s);
        std::string unplaced;
        for (const auto &[v, n] : c.unplaced)
            unplaced += "'" + v + "' ";
        INFO("unplaced: " << unplaced);
        CHECK(c.unplaced.empty());
        CHECK(c.hostile >= 8);
        CHECK(c.liberated >= 30);
        CHECK(c.hostile + c.contested + c.liberated + c.other == layer.features.size());
        std::vector<std::string> warnings;
        CHECK_NOTHROW(analysis::checkControlLayer(layer, s, warnings));
        CHECK(warnings.empty());
    }
}

TEST_CASE("deepstate-raw: known places occupied and liberated on each snapshot",
          "[analysis][gdal][refdata]") {
    OREFRONT_REQUIRE_REFDATA(kRawDir);
    const auto &snapshots = rawSnapshots();
    REQUIRE(snapshots.size() == 10);
    const auto s = rawSpec();
    const LonLat simferopol{34.10, 44.95}, donetsk{37.80, 48.00}, luhansk{39.31, 48.57},
        horlivka{38.05, 48.30}, kherson{32.62, 46.64}, bucha{30.21, 50.54}, izium{37.26, 49.21},
        kyiv{30.52, 50.45}, tiraspol{29.63, 46.84};
    for (const auto &[date, layer] : snapshots) {
        INFO("snapshot " << date);
        const analysis::HostileIndex idx({{&layer, &s}});
        // Occupied since 2014, on every snapshot (on 2022-04-03 named only "Крим" and "ОРДЛО").
        CHECK(idx.occupies(simferopol));
        CHECK(idx.occupies(donetsk));
        CHECK(idx.occupies(luhansk));
        CHECK(idx.occupies(horlivka));
        // Bucha was liberated on 31 March 2022; Kyiv was never taken.
        CHECK_FALSE(idx.occupies(bucha));
        CHECK_FALSE(idx.occupies(kyiv));
        // Transnistria is Moldova's, not occupied Ukraine: never counted.
        CHECK_FALSE(idx.occupies(tiraspol));
        // Kherson: occupied 2 March - 11 November 2022. Izium: occupied 1 April - 10 September 2022.
        CHECK(idx.occupies(kherson) == (date < "20221111"));
        CHECK(idx.occupies(izium) == (date >= "20220403" && date < "20220910"));
    }
}

TEST_CASE("deepstate-daily: every polygon of a daily occupied-area file is hostile",
          "[analysis][gdal][refdata]") {
    const std::string rel = "frontline/deepstate_cyterat_daily/deepstatemap_data_20250801.geojson";
    OREFRONT_REQUIRE_REFDATA(rel);
    auto s = spec("daily", LayerRole::Hostile);
    s.preset = "deepstate-daily";
    s.source = testing::refdata(rel);
    std::vector<std::string> warnings;
    io::initGdal();
    const auto layer = io::loadLayer(s, "", warnings);
    CHECK_NOTHROW(analysis::checkControlLayer(layer, s, warnings));
    const auto c = analysis::controlCensus(layer, s);
    CHECK(c.hostile == layer.features.size());
    const analysis::HostileIndex idx({{&layer, &s}});
    CHECK(idx.occupies({34.10, 44.95}));       // Simferopol
    CHECK(idx.occupies({37.24, 47.99}));       // Kurakhove TPP, occupied January 2025
    CHECK_FALSE(idx.occupies({32.62, 46.64})); // Kherson
}

// --------------------------------------------------------------------------- infrastructure

TEST_CASE("measure(): infrastructure in hostile territory or marked unusable serves no deposit",
          "[analysis]") {
    const auto zone = makeLayer("zone", LayerRole::Hostile, {}, {{kSquare, {}}});
    const auto zoneSpec = spec("zone", LayerRole::Hostile);
    const auto deposits = makeLayer("deposits", LayerRole::Deposits, {{"name", FieldType::String}},
                                    {{"POINT (36.5 47.5)", {std::string("east of the zone")}},
                                     {"POLYGON ((36.4 47.4, 36.6 47.4, 36.6 47.6, 36.4 47.6, 36.4 47.4))",
                                      {std::string("area deposit")}}});
    const auto power =
        makeLayer("power", LayerRole::Power, {{"name", FieldType::String}, {"status", FieldType::String}},
                  {{"POINT (35.9 47.5)", {std::string("Inside TPP"), std::string("operating")}},
                   {"POINT (36.7 47.5)", {std::string("Ruined TPP"), std::string("Destroyed\n")}},
                   {"POINT (37.5 47.5)", {std::string("Far TPP"), model::Value{}}}});
    auto powerSpec = spec("power", LayerRole::Power);
    powerSpec.statusField = "status";
    powerSpec.unusableStatuses = {"destroyed"};
    // A rail line that runs through the zone: only the part outside it is usable.
    const auto rail = makeLayer(
        "rail", LayerRole::Rail, {{"name", FieldType::String}},
        {{"LINESTRING (35.2 47.5, 35.5 47.5, 35.8 47.5, 36.2 47.9, 36.8 47.9)", {std::string("Line")}}});

    analysis::Inputs in;
    in.deposits = &deposits;
    in.hostile = {{&zone, &zoneSpec}};
    in.power = &power;
    in.powerSpec = &powerSpec;
    in.rail = &rail;
    const auto m = analysis::measure(in, 1);
    REQUIRE(m.perDeposit.size() == 2);
    for (const auto &d : m.perDeposit) {
        CHECK(m.name(d.powerName) == "Far TPP");
        REQUIRE(d.powerKm);
        CHECK(m.name(d.railName) == "Line");
    }
    const auto &pt = m.perDeposit[0];
    CHECK(*pt.powerKm == Approx(testing::geodesicM({36.5, 47.5}, {37.5, 47.5}) / 1000).epsilon(1e-6));
    // the nearest usable rail is the 36.2 47.9 - 36.8 47.9 run, not the part inside the zone
    REQUIRE(pt.railKm);
    CHECK(*pt.railKm > 40);
    REQUIRE(m.excluded.size() == 2);
    CHECK(m.excluded[0].name == "Inside TPP");
    CHECK(m.excluded[0].reason == "in hostile-controlled territory");
    CHECK(m.excluded[1].name == "Ruined TPP");
    CHECK_THAT(m.excluded[1].reason, Catch::Contains("Destroyed"));
}

TEST_CASE("The bundled scenario declares the power plants' status and loads its hostile layers cleanly",
          "[analysis][gdal]") {
    io::initGdal();
    const auto scenario = io::loadScenario(std::string(OREFRONT_GEODATA_DIR) + "/scenario.toml");
    const model::LayerSpec *power = nullptr;
    for (const auto &l : scenario.layers)
        if (l.role == LayerRole::Power)
            power = &l;
    REQUIRE(power);
    CHECK(power->statusField == "status");
    CHECK(analysis::statusMatches("destroyed", power->unusableStatuses));
    CHECK_FALSE(analysis::statusMatches("damaged", power->unusableStatuses));
    const auto project = io::loadProject(scenario); // runs checkControlLayer on every hostile layer
    for (const auto &w : project.warnings)
        CHECK_THAT(w, !Catch::Contains("preset"));
}
