// The line-of-contact distance in the viewer's Rules window: a change measures the scenario
// again, so that a port the wider line of contact takes in no longer serves the deposit; Save
// scenario as... keeps it. Whole viewer UI on a headless context.
#include "small_scenario.hpp"
#include "ui_frames.hpp"

#include "orefront/io/scenario_io.hpp"
#include "orefront/io/scenario_writer.hpp"

#include <catch2/catch.hpp>

using namespace orefront;
using namespace orefront::viewer;

namespace {

// A deposit east of the hostile square (east edge 37 E) and a port 0.05 degrees (about 3.8
// km) east of that edge, between the deposit and the square.
struct ContactUi : test::ScenarioDir, test::AppFixture {
    ContactUi()
        : ScenarioDir("contact",
                      point(37.3, 47.5, R"("name": "East", "country": "UKR", "grade_treo_pct": 5)"),
                      point(37.05, 47.5, R"("name": "Quay")")),
          AppFixture(scenario()) {}
};

} // namespace

TEST_CASE_METHOD(ContactUi, "The Rules window's line of contact measures the scenario again",
                 "[viewer][gl]") {
    REQUIRE(settle());
    REQUIRE(app->document().snapshot());
    REQUIRE(app->lastError().empty());
    // The default 2 km: the quay serves the deposit.
    CHECK(app->ruleEdits().thresholds.lineOfContactKm == 2.0);
    REQUIRE(app->document().snapshot()->measurements.perDeposit.size() == 1);
    CHECK(app->document().snapshot()->measurements.perDeposit[0].portKm.has_value());

    app->ruleEdits().thresholds.lineOfContactKm = 5.0;
    frame();
    REQUIRE(settle());
    const ScenarioSnapshot *snap = app->document().snapshot();
    REQUIRE(snap);
    CHECK(snap->project->scenario.thresholds.lineOfContactKm == 5.0);
    CHECK_FALSE(snap->measurements.perDeposit[0].portKm.has_value());
    REQUIRE(snap->measurements.excluded.size() == 1);
    CHECK(snap->measurements.excluded[0].name == "Quay");
    CHECK(app->ruleEdits().thresholds.lineOfContactKm == 5.0);
    // Measured once: a frame later nothing is loading again.
    frame();
    CHECK_FALSE(app->busy());

    // Save scenario as... writes it.
    const std::string saved = (dir / "saved.toml").string();
    io::saveScenario(app->currentScenario(), saved);
    CHECK(io::loadScenario(saved).thresholds.lineOfContactKm == 5.0);
}
