// Issue 9: what a briefing sheet says, in process (core/export/briefing): paper sizes, the bbox
// and banner rules, the deposits in view with their verdicts and notes, the layers the legend
// may list, and a range circle's shape against GeographicLib.
#include "cli/cli_support.hpp"

#include "orefront/export/briefing.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <GeographicLib/Geodesic.hpp>

#include <algorithm>

using namespace orefront;

namespace {

struct Loaded {
    model::Project project;
    analysis::Measurements measurements;
    rules::Report report;
};

Loaded loadBundled() {
    io::initGdal();
    Loaded l;
    l.project = io::loadProject(io::loadScenario(clitest::geodata("scenario.toml")));
    std::vector<std::string> warnings;
    const auto facts = io::readDepositFacts(l.project, warnings);
    l.measurements = analysis::measure(l.project.analysisInputs(), 1);
    l.report = rules::evaluate(l.project.scenario, facts, l.measurements);
    return l;
}

} // namespace

TEST_CASE("issue 9: briefing paper sizes, bbox and banner rules", "[brief]") {
    const auto a4 = exporting::paperByName("a4", false);
    REQUIRE(a4);
    CHECK(a4->widthMm == 210.0);
    CHECK(a4->heightMm == 297.0);
    const auto letter = exporting::paperByName("LETTER", true);
    REQUIRE(letter);
    CHECK(letter->widthMm == Approx(279.4));
    CHECK(letter->heightMm == Approx(215.9));
    CHECK_FALSE(exporting::paperByName("A5", false));

    const model::BBox b = exporting::parseBriefingBBox("30,45,40.5,52");
    CHECK(b.minLon == 30.0);
    CHECK(b.maxLon == 40.5);
    CHECK_THROWS_AS(exporting::parseBriefingBBox("170,10,190,20"), InputError);
    CHECK_THROWS_AS(exporting::parseBriefingBBox("10,-95,20,0"), InputError);
    CHECK_THROWS_AS(exporting::parseBriefingBBox("40,45,30,52"), InputError);
    CHECK_THROWS_AS(exporting::parseBriefingBBox("30,45,40"), InputError);
    CHECK_THROWS_AS(exporting::parseBriefingBBox("30,45,40,nan"), InputError);

    auto fill = [](const std::string &c) {
        const auto b = exporting::bannerColours(c);
        return std::vector<int>{b.fill[0], b.fill[1], b.fill[2]};
    };
    CHECK(fill("UNCLASSIFIED") == std::vector<int>{0x00, 0x7A, 0x33});
    CHECK(fill("confidential") == std::vector<int>{0x00, 0x33, 0xA0});
    CHECK(fill("SECRET//REL TO UKR") == std::vector<int>{0xC8, 0x10, 0x2E});
    CHECK(fill("TOP SECRET//SI") == std::vector<int>{0xFF, 0x8C, 0x00}); // not SECRET's red
    CHECK(fill("OFFICIAL-SENSITIVE") == std::vector<int>{0x5A, 0x5A, 0x5A});
}

TEST_CASE("issue 9: a briefing lists the deposits and layers in view, notes included", "[brief]") {
    const Loaded l = loadBundled();
    model::AnnotationSet set;
    set.notes.push_back({"Dobra", "Licence tender postponed", "analyst1", "", 1});
    exporting::BriefingOptions opts;
    opts.classification = "  SECRET ";
    opts.annotations = &set;
    opts.prepared = 1764597600; // 2025-12-01 14:00 UTC
    const model::BBox ukraine{22, 44, 41, 53};
    const exporting::Briefing b =
        exporting::buildBriefing(l.project, l.measurements, l.report, ukraine, opts);
    CHECK(b.title == l.project.scenario.name);
    CHECK(b.classification == "SECRET");
    CHECK(b.situationDate == "2025-08-01");
    CHECK(b.preparedAt == "2025-12-01 14:00 UTC");
    // Every deposit inside the box, from the layer itself; none outside.
    const model::Layer *deposits = l.project.firstOfRole(model::LayerRole::Deposits);
    std::size_t inside = 0;
    for (const auto &f : deposits->features)
        inside += ukraine.contains(f.geometry.anchor());
    REQUIRE(inside >= 5);
    CHECK(b.deposits.size() == inside);
    for (const auto &row : b.deposits)
        CHECK(ukraine.contains(row.at));
    // Not investable first.
    CHECK(std::is_sorted(b.deposits.begin(), b.deposits.end(), [](const auto &x, const auto &y) {
        return (x.verdict == rules::Verdict::NotInvestable) > (y.verdict == rules::Verdict::NotInvestable);
    }));
    const auto dobra =
        std::find_if(b.deposits.begin(), b.deposits.end(), [](const auto &r) { return r.name == "Dobra"; });
    REQUIRE(dobra != b.deposits.end());
    CHECK(dobra->note == "Licence tender postponed (analyst1)");
    CHECK(dobra->frontKm.has_value());
    const auto hasLayer = [&](const exporting::Briefing &x, model::LayerRole role) {
        return std::any_of(x.layers.begin(), x.layers.end(), [&](const auto &ly) { return ly.role == role; });
    };
    CHECK(hasLayer(b, model::LayerRole::Hostile));
    CHECK(hasLayer(b, model::LayerRole::Front));
    CHECK(std::find(b.rules.begin(), b.rules.end(),
                    "Standoff from hostile fire 40 km; range rings 20, 40, 80 km") != b.rules.end());

    // Over Australia: no hostile layer, no front, no Ukrainian deposit; the legend has none of them.
    const exporting::Briefing far =
        exporting::buildBriefing(l.project, l.measurements, l.report, {112, -40, 155, -10}, opts);
    CHECK_FALSE(hasLayer(far, model::LayerRole::Hostile));
    CHECK_FALSE(hasLayer(far, model::LayerRole::Front));
    for (const auto &row : far.deposits)
        CHECK(row.at.lon > 112);
}

TEST_CASE("issue 9: a range circle on the sheet is a geodesic circle (GeographicLib)", "[brief]") {
    model::Annotation a;
    a.kind = model::AnnotationKind::RangeCircle;
    a.vertices = {{37.8, 48.0}};
    a.radiusKm = 120;
    const model::Geometry g = exporting::annotationGeometry(a);
    REQUIRE(g.polygons.size() == 1);
    const auto &ring = g.polygons[0].rings[0];
    REQUIRE(ring.size() > 100);
    CHECK(ring.front().lon == ring.back().lon);
    const auto &geod = GeographicLib::Geodesic::WGS84();
    for (const auto &p : ring) {
        double s = 0;
        geod.Inverse(48.0, 37.8, p.lat, p.lon, s);
        CHECK(s == Approx(120000.0).margin(0.01)); // 1 cm
    }
    model::Annotation area;
    area.kind = model::AnnotationKind::Area;
    area.vertices = {{30, 48}, {31, 48}, {31, 49}};
    const model::Geometry ga = exporting::annotationGeometry(area);
    REQUIRE(ga.polygons.size() == 1);
    CHECK(ga.polygons[0].rings[0].size() == 4); // closed
    model::Annotation line;
    line.kind = model::AnnotationKind::Measurement;
    line.vertices = {{30, 48}, {31, 48}};
    CHECK(exporting::annotationGeometry(line).lines.size() == 1);
}
