// What-if fronts: the shifted boundary against GeographicLib distances, the project a what-if
// builds (shift and hypothetical front), the verdict diff, and the [[whatif]] scenario keys.
#include "analysis/reference.hpp"
#include "orefront/analysis/whatif.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/scenario_writer.hpp"
#include "orefront/model/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <memory>
#include <unistd.h>

using namespace orefront;
using model::FieldType;
using model::LayerRole;
using model::LonLat;
using testing::BruteForce;
using testing::directDeg;
using testing::geodesicM;
using testing::makeLayer;

namespace {

// A 2 x 2 degree square of hostile territory in eastern Ukraine.
const char *kSquare = "POLYGON ((36 47, 38 47, 38 49, 36 49, 36 47))";

struct SquareFixture {
    model::Layer zone = makeLayer("zone", LayerRole::Hostile, {}, {{kSquare, {}}});
    model::LayerSpec spec = [] {
        model::LayerSpec s;
        s.id = "zone";
        s.role = LayerRole::Hostile;
        return s;
    }();
    std::vector<analysis::HostileInput> inputs() const { return {{&zone, &spec}}; }
};

// Every vertex of `area` lies `km` from the square's boundary, on the ellipsoid (GeographicLib).
void checkBoundaryAt(const model::Geometry &area, const model::Polygon &original, double km) {
    BruteForce ref;
    for (const auto &r : original.rings)
        ref.addPath(r);
    std::size_t checked = 0;
    double worst = 0;
    for (const auto &poly : area.polygons)
        for (const auto &ring : poly.rings)
            for (std::size_t i = 0; i < ring.size(); i += 7, ++checked)
                worst = std::max(worst, std::abs(ref.distanceM(ring[i]) - km * 1000.0));
    INFO("vertices checked " << checked << ", worst error " << worst << " m");
    CHECK(checked > 20);
    CHECK(worst < 0.001 * km * 1000.0 + 25.0); // 0.1 % and the simplification's 20 m
}

bool inside(const model::Geometry &g, LonLat p) {
    model::Layer l;
    l.id = "g";
    l.role = LayerRole::Hostile;
    l.features.push_back({0, g, {}});
    model::LayerSpec s;
    s.id = "g";
    s.role = LayerRole::Hostile;
    return analysis::HostileIndex({{&l, &s}}).occupies(p);
}

} // namespace

TEST_CASE_METHOD(SquareFixture, "shiftControlArea: an advance lies X km outside the old boundary",
                 "[whatif][proj]") {
    const auto area = analysis::shiftControlArea(inputs(), 20.0);
    REQUIRE(area.polygons.size() == 1);
    CHECK(area.polygons.front().rings.size() == 1); // no hole: the territory is kept
    checkBoundaryAt(area, testing::wktPolygon(kSquare), 20.0);
    // East of the square's east edge at 48N: 15 km is now inside, 25 km is not.
    CHECK(inside(area, directDeg({38, 48}, 90, 15000)));
    CHECK_FALSE(inside(area, directDeg({38, 48}, 90, 25000)));
    CHECK(inside(area, {37, 48}));
}

TEST_CASE_METHOD(SquareFixture, "shiftControlArea: a withdrawal lies X km inside the old boundary",
                 "[whatif][proj]") {
    const auto area = analysis::shiftControlArea(inputs(), -30.0);
    REQUIRE(area.polygons.size() == 1);
    checkBoundaryAt(area, testing::wktPolygon(kSquare), 30.0);
    CHECK_FALSE(inside(area, directDeg({38, 48}, 270, 25000)));
    CHECK(inside(area, directDeg({38, 48}, 270, 35000)));
    CHECK_FALSE(inside(area, directDeg({38, 48}, 90, 1000)));
}

TEST_CASE_METHOD(SquareFixture, "shiftControlArea: with a front line, only the front moves",
                 "[whatif][proj]") {
    // The front is the square's east edge: a withdrawal of 30 km leaves the west edge (a border
    // or a coast) where it was.
    const model::Layer line =
        makeLayer("front", LayerRole::Front, {}, {{"LINESTRING (38 46.5, 38 49.5)", {}}});
    model::LayerSpec lineSpec;
    lineSpec.id = "front";
    lineSpec.role = LayerRole::Front;
    const auto area = analysis::shiftControlArea(inputs(), -30.0, {{&line, &lineSpec}});
    CHECK(inside(area, directDeg({36, 48}, 90, 5000)));
    CHECK(inside(area, directDeg({38, 48}, 270, 35000)));
    CHECK_FALSE(inside(area, directDeg({38, 48}, 270, 25000)));
    BruteForce ref;
    ref.addPath(line.features.front().geometry.lines.front());
    // Every vertex east of 37.2E is on the new front, 30 km from the old one.
    double worst = 0;
    for (const auto &ring : area.polygons.front().rings)
        for (const auto &p : ring)
            if (p.lon > 37.2 && p.lat > 47.05 && p.lat < 48.95)
                worst = std::max(worst, std::abs(ref.distanceM(p) - 30000.0));
    CHECK(worst < 0.001 * 30000.0 + 25.0);
}

TEST_CASE_METHOD(SquareFixture, "shiftControlArea: a withdrawal deeper than the territory leaves nothing",
                 "[whatif]") {
    // The square is about 149 km across east-west at 48N: 120 km from each side leaves nothing.
    CHECK(analysis::shiftControlArea(inputs(), -120.0).polygons.empty());
}

namespace {

// A project in memory: the square (range_from), a front line along its east edge, and three
// deposits east of it at 10, 30 and 60 km from the edge, at 48N.
struct ProjectFixture {
    model::Project project;
    std::vector<rules::DepositFacts> facts;
    std::vector<LonLat> sites = {directDeg({38, 48}, 90, 10000), directDeg({38, 48}, 90, 30000),
                                 directDeg({38, 48}, 90, 60000)};
    std::filesystem::path dir =
        std::filesystem::temp_directory_path() / ("orefront_whatif_" + std::to_string(::getpid()));

    ProjectFixture() {
        std::filesystem::create_directories(dir);
        project.scenario.baseDir = dir.string();
        project.scenario.thresholds.standoffKm = 25;
        project.scenario.thresholds.ringsKm = {20};
        auto add = [&](model::Layer l, model::LayerSpec s) {
            project.scenario.layers.push_back(std::move(s));
            project.layers.push_back(std::make_shared<const model::Layer>(std::move(l)));
        };
        model::LayerSpec zone;
        zone.id = "zone";
        zone.role = LayerRole::Hostile;
        add(makeLayer("zone", LayerRole::Hostile, {}, {{kSquare, {}}}), zone);
        model::LayerSpec front;
        front.id = "front";
        front.role = LayerRole::Front;
        add(makeLayer("front", LayerRole::Front, {}, {{"LINESTRING (38 47, 38 49)", {}}}), front);
        std::vector<testing::Row> rows;
        for (std::size_t i = 0; i < sites.size(); ++i) {
            char wkt[96];
            std::snprintf(wkt, sizeof wkt, "POINT (%.10f %.10f)", sites[i].lon, sites[i].lat);
            rows.push_back({wkt, {std::string("D") + std::to_string(i), std::string("UKR"), 5.0}});
        }
        model::LayerSpec deposits;
        deposits.id = "deposits";
        deposits.role = LayerRole::Deposits;
        add(makeLayer("deposits", LayerRole::Deposits,
                      {{"name", FieldType::String},
                       {"country", FieldType::String},
                       {"grade_treo_pct", FieldType::Real}},
                      rows),
            deposits);
        facts = rules::readFacts(*project.layers.back(), project.scenario.layers.back());
    }
    ~ProjectFixture() {
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

} // namespace

TEST_CASE_METHOD(ProjectFixture, "applyWhatIf: an advance of 20 km brings the front 20 km closer",
                 "[whatif]") {
    model::WhatIf w{"advance", "", 20.0, ""};
    std::vector<std::string> warnings;
    const model::Project alt = analysis::applyWhatIf(project, w, warnings);
    // The square and the front line are replaced by the one shifted layer.
    REQUIRE(alt.layers.size() == 2);
    CHECK(alt.scenario.layers.back().id == "whatif");
    const auto real = analysis::judge(project, facts, 1);
    const auto diff = analysis::diffVerdicts(real, analysis::judge(alt, facts, 1));
    REQUIRE(diff.deposits.size() == 3);
    CHECK(diff.deposits[0].occupiedWhatif); // 10 km out: now behind the line
    CHECK_FALSE(diff.deposits[0].occupiedReal);
    for (std::size_t i = 1; i < 3; ++i) {
        const double expected = geodesicM(sites[i], {38, 48}) / 1000.0 - 20.0;
        REQUIRE(diff.deposits[i].kmWhatif);
        CHECK(*diff.deposits[i].kmWhatif == Approx(expected).margin(0.05));
    }
    // 30 km -> 10 km crosses the 25 km standoff: that deposit's verdict flips to not_investable.
    CHECK(diff.deposits[1].real != rules::Verdict::NotInvestable);
    CHECK(diff.deposits[1].whatif == rules::Verdict::NotInvestable);
    CHECK(diff.deposits[2].real == diff.deposits[2].whatif); // 60 -> 40 km: still clear
    CHECK(diff.changed >= 1);
    CHECK(diff.flips.count({rules::verdictName(diff.deposits[1].real), "not_investable"}) == 1);
}

TEST_CASE_METHOD(ProjectFixture, "applyWhatIf: a ceasefire line replaces the front line", "[whatif][gdal]") {
    io::initGdal();
    // A line 50 km east of the square's edge, as a GeoJSON file next to the scenario.
    const LonLat a = directDeg({38, 47}, 90, 50000), b = directDeg({38, 49}, 90, 50000);
    {
        std::ofstream f(dir / "ceasefire.geojson");
        f << "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
             "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[["
          << std::setprecision(12) << a.lon << "," << a.lat << "],[" << b.lon << "," << b.lat << "]]}}]}";
    }
    model::WhatIf w{"ceasefire", "", std::nullopt, "ceasefire.geojson"};
    std::vector<std::string> warnings;
    const model::Project alt = analysis::applyWhatIf(project, w, warnings);
    const auto real = analysis::judge(project, facts, 1);
    const auto diff = analysis::diffVerdicts(real, analysis::judge(alt, facts, 1));
    // The deposit 60 km east of the square is now 10 km from the line (within a few hundred
    // metres: the line is a geodesic, not a meridian); the one at 10 km is no longer measured
    // from the square's edge but from the line 40 km away.
    REQUIRE(diff.deposits[2].kmWhatif);
    CHECK(*diff.deposits[2].kmWhatif == Approx(10.0).margin(0.5));
    REQUIRE(diff.deposits[0].kmWhatif);
    CHECK(*diff.deposits[0].kmWhatif == Approx(40.0).margin(0.5));
    CHECK(diff.deposits[2].whatif == rules::Verdict::NotInvestable);

    model::WhatIf missing{"nowhere", "", std::nullopt, "no_such_line.geojson"};
    CHECK_THROWS_AS(analysis::applyWhatIf(project, missing, warnings), InputError);
}

TEST_CASE_METHOD(ProjectFixture,
                 "applyWhatIf: a hypothetical-front annotation's line replaces the front line", "[whatif]") {
    // The same line as the ceasefire file above, drawn as an annotation: no file involved.
    model::AnnotationSet set;
    model::Annotation line;
    line.id = 4;
    line.kind = model::AnnotationKind::HypotheticalFront;
    line.vertices = {directDeg({38, 47}, 90, 50000), directDeg({38, 49}, 90, 50000)};
    line.label = "50 km east";
    set.annotations.push_back(line);
    const auto whatifs = analysis::annotationWhatIfs(set, project.scenario);
    REQUIRE(whatifs.size() == 1);
    CHECK(whatifs[0].name == "50 km east");
    CHECK(whatifs[0].annotationId == 4);
    CHECK(analysis::describeWhatIf(whatifs[0]) == "hypothetical front annotation 4");
    std::vector<std::string> warnings;
    const model::Project alt = analysis::applyWhatIf(project, whatifs[0], warnings);
    CHECK(alt.scenario.layers.back().role == LayerRole::Front);
    const auto diff =
        analysis::diffVerdicts(analysis::judge(project, facts, 1), analysis::judge(alt, facts, 1));
    REQUIRE(diff.deposits[2].kmWhatif);
    CHECK(*diff.deposits[2].kmWhatif == Approx(10.0).margin(0.5));
    REQUIRE(diff.deposits[0].kmWhatif);
    CHECK(*diff.deposits[0].kmWhatif == Approx(40.0).margin(0.5));
    CHECK(diff.deposits[2].real != rules::Verdict::NotInvestable);
    CHECK(diff.deposits[2].whatif == rules::Verdict::NotInvestable);
}

TEST_CASE("namedWhatIfs: tables, then hypothetical fronts named by label, else by id; clashes get the id",
          "[whatif]") {
    model::Scenario s;
    s.name = "S";
    s.whatifs.push_back({"Dnipro line", "", 10.0, ""});
    model::AnnotationSet set;
    auto add = [&](std::int64_t id, model::AnnotationKind kind, const std::string &label) {
        model::Annotation a;
        a.id = id;
        a.kind = kind;
        a.label = label;
        a.vertices = {{35, 47}, {36, 48}};
        set.annotations.push_back(a);
    };
    add(3, model::AnnotationKind::HypotheticalFront, "Dnipro line");
    add(5, model::AnnotationKind::HypotheticalFront, "");
    add(6, model::AnnotationKind::Line, "a road"); // not a what-if
    add(7, model::AnnotationKind::HypotheticalFront, "Zaporizhzhia");
    add(8, model::AnnotationKind::HypotheticalFront, "Zaporizhzhia");
    const auto all = analysis::namedWhatIfs(s, &set);
    std::vector<std::string> names;
    for (const auto &w : all)
        names.push_back(w.name);
    CHECK(names == std::vector<std::string>{"Dnipro line", "Dnipro line (annotation 3)",
                                            "hypothetical front 5", "Zaporizhzhia",
                                            "Zaporizhzhia (annotation 8)"});
    CHECK(analysis::namedWhatIfs(s, nullptr).size() == 1);
    CHECK(analysis::findWhatIf(all, "hypothetical front 5", "S").annotationId == 5);
    CHECK_THROWS_WITH(analysis::findWhatIf(all, "freeze", "S"),
                      Catch::Contains("no what-if named 'freeze'") &&
                          Catch::Contains("it has 'Dnipro line', 'Dnipro line (annotation 3)'"));
    CHECK_THROWS_WITH(analysis::findWhatIf({}, "freeze", "S"), Catch::Contains("it has none"));
    // Saved scenarios keep the tables, never the annotations' what-ifs (they live in the store).
    model::Scenario both = s;
    both.whatifs = all;
    const std::string toml = io::scenarioToToml(both, "/");
    CHECK(toml.find("Dnipro line") != std::string::npos);
    CHECK(toml.find("Zaporizhzhia") == std::string::npos);
}

TEST_CASE_METHOD(ProjectFixture, "applyWhatIf: a shift needs a hostile area layer", "[whatif]") {
    project.scenario.layers.erase(project.scenario.layers.begin());
    project.layers.erase(project.layers.begin());
    std::vector<std::string> warnings;
    CHECK_THROWS_WITH(analysis::applyWhatIf(project, {"advance", "", 10.0, ""}, warnings),
                      Catch::Contains("what-if 'advance'") && Catch::Contains("no"));
}

TEST_CASE("[[whatif]] tables: read, written and read back", "[whatif][io]") {
    namespace fs = std::filesystem;
    const fs::path dir = fs::temp_directory_path() / ("orefront_whatif_toml_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const auto write = [&](const std::string &name, const std::string &text) {
        std::ofstream(dir / name) << text;
        return (dir / name).string();
    };
    const std::string ok =
        write("ok.toml", "name = \"w\"\n"
                         "[[whatif]]\nname = \"advance 20 km\"\nshift_km = 20\n"
                         "[[whatif]]\nname = \"withdrawal\"\nshift_km = -15.5\n"
                         "description = \"a counter-offensive\"\n"
                         "[[whatif]]\nname = \"ceasefire\"\nfront = \"lines/ceasefire.geojson\"\n");
    const model::Scenario s = io::loadScenario(ok);
    REQUIRE(s.whatifs.size() == 3);
    CHECK(s.whatifs[0] == model::WhatIf{"advance 20 km", "", 20.0, ""});
    CHECK(s.whatifs[1] == model::WhatIf{"withdrawal", "a counter-offensive", -15.5, ""});
    CHECK(s.whatifs[2] == model::WhatIf{"ceasefire", "", std::nullopt, "lines/ceasefire.geojson"});
    const std::string saved = (dir / "saved.toml").string();
    io::saveScenario(s, saved);
    CHECK(io::loadScenario(saved).whatifs == s.whatifs);

    for (const auto &[text, message] : std::vector<std::pair<std::string, std::string>>{
             {"[[whatif]]\nname = \"x\"\n", "either shift_km"},
             {"[[whatif]]\nname = \"x\"\nshift_km = 5\nfront = \"a.geojson\"\n", "either shift_km"},
             {"[[whatif]]\nshift_km = 5\n", "name"},
             {"[[whatif]]\nname = \"x\"\nshift_km = 0\n", "not 0"},
             {"[[whatif]]\nname = \"x\"\nshift_km = \"5\"\n", "expected a number"},
             {"[[whatif]]\nname = \"x\"\nshift = 5\n", "unknown key"},
             {"[[whatif]]\nname = \"x\"\nshift_km = 5\n[[whatif]]\nname = \"x\"\nshift_km = 6\n",
              "duplicate"},
         }) {
        const std::string bad = write("bad.toml", text);
        CHECK_THROWS_WITH(io::loadScenario(bad), Catch::Contains(message) && Catch::Contains("bad.toml"));
    }
    fs::remove_all(dir);
}
