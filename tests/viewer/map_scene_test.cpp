// The scene set-up `orefront render` and `orefront brief` share (map_scene.hpp): with annotations
// marked "counts as hostile", the map shows core's what-if (rules::evaluateWithAnnotations), its
// measurements taken as core made them, not measured a second time in the viewer's step.
#include "map_scene.hpp"

#include "orefront/io/scenario_io.hpp"

#include <catch2/catch.hpp>

using namespace orefront;
using namespace orefront::viewer;

namespace {

// tests/data/cli: deposits on 47.5 N, a hostile square over 36-37 E; "Far Rich" at 40 E.
const char *const kSmall = OREFRONT_TEST_DATA_DIR "/../../data/cli/scenario_small.toml";

model::AnnotationSet markedAreaOverFarRich() {
    model::Annotation a;
    a.id = 7;
    a.kind = model::AnnotationKind::Area;
    a.vertices = {{39.5, 47}, {40.5, 47}, {40.5, 48}, {39.5, 48}};
    a.countsAsHostile = true;
    model::AnnotationSet set;
    set.annotations.push_back(a);
    return set;
}

int indexOf(const rules::Report &r, const std::string &name) {
    for (std::size_t i = 0; i < r.deposits.size(); ++i)
        if (r.deposits[i].name == name)
            return int(i);
    return -1;
}

} // namespace

TEST_CASE("applyHostileMarkings shows core's what-if, measured once", "[viewer][annotations]") {
    io::initGdal();
    MapDocument doc;
    const auto base = loadScenarioSnapshot(kSmall, 1);
    showScenario(doc, base, buildRingSet(*base, {20}));
    REQUIRE(doc.rings()->rings[0].area.bounds().maxLon < 40); // the square's ring alone
    const int farRich = indexOf(doc.report(), "Far Rich");
    REQUIRE(farRich >= 0);
    const rules::Verdict before = doc.report().deposits[std::size_t(farRich)].verdict;
    REQUIRE(before != rules::Verdict::NotInvestable);

    const rules::WhatIf w = applyHostileMarkings(doc, markedAreaOverFarRich());
    REQUIRE(w.marked == std::vector<std::int64_t>{7});
    const ScenarioSnapshot &shown = *doc.snapshot();
    CHECK(shown.project->layers.back()->id == kHostileAnnotationsLayer);
    // The verdict core gives, on the map.
    CHECK(w.report.deposits[std::size_t(farRich)].verdict == rules::Verdict::NotInvestable);
    CHECK(doc.report().deposits[std::size_t(farRich)].verdict == rules::Verdict::NotInvestable);
    // Core's measurements themselves: each measure() stamps its own wall time, so a second
    // measurement in the viewer's step would carry another.
    REQUIRE(shown.measurements.perDeposit.size() == w.measurements.perDeposit.size());
    CHECK(shown.measurements.seconds == w.measurements.seconds);
    CHECK(shown.measurements.seconds != base->measurements.seconds);
    for (std::size_t i = 0; i < w.measurements.perDeposit.size(); ++i) {
        CHECK(shown.measurements.perDeposit[i].occupied == w.measurements.perDeposit[i].occupied);
        CHECK(shown.measurements.perDeposit[i].frontDistanceKm ==
              w.measurements.perDeposit[i].frontDistanceKm);
    }
    CHECK(shown.measurements.perDeposit[std::size_t(farRich)].occupied);
    // The rings are built from the what-if's hostile positions: the marked area has its own.
    REQUIRE(doc.rings());
    REQUIRE_FALSE(doc.rings()->rings.empty());
    CHECK(doc.rings()->rings[0].area.bounds().maxLon > 40.5);
}

TEST_CASE("withHostileAnnotations takes the measurements it is given", "[viewer][annotations]") {
    io::initGdal();
    const auto base = loadScenarioSnapshot(kSmall, 1);
    const model::AnnotationSet set = markedAreaOverFarRich();
    analysis::Measurements given = base->measurements;
    given.seconds = -42; // no measure() writes this
    const auto edited = withHostileAnnotations(*base, set.annotations, 1, &given);
    CHECK(edited->measurements.seconds == -42);
    // Without them, it measures itself.
    const auto measured = withHostileAnnotations(*base, set.annotations, 1);
    CHECK(measured->measurements.seconds >= 0);
}
