// The viewer shows what `orefront analyze` warns of: a scenario whose deposits name an
// unknown country puts a warning count in the menu bar; a click on it opens the Messages
// panel listing the warning with the file named; reloading the scenario once the file is
// fixed empties the list. Whole viewer UI on a headless context.
#include "small_scenario.hpp"
#include "ui/messages_window.hpp"
#include "ui_frames.hpp"

#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h>

using namespace orefront;
using namespace orefront::viewer;

namespace {

std::string deposits(const std::string &country) {
    using S = test::ScenarioDir;
    return S::point(37.2, 47.5, R"("name": "Near", "country": "UKR", "grade_treo_pct": 5)") + ",\n" +
           S::point(-30, 30, R"("name": "Far", "country": ")" + country + R"(", "grade_treo_pct": 5)");
}

bool mentions(const std::vector<std::string> &messages, const std::string &a, const std::string &b) {
    for (const auto &m : messages)
        if (m.find(a) != std::string::npos && m.find(b) != std::string::npos)
            return true;
    return false;
}

struct MessagesUi : test::ScenarioDir, test::AppFixture {
    MessagesUi() : ScenarioDir("messages", deposits("Atlantis")), AppFixture(scenario()) {}
    void click(ImVec2 at) {
        ImGui::GetIO().AddMousePosEvent(at.x, at.y);
        frame();
        ImGui::GetIO().AddMouseButtonEvent(ImGuiMouseButton_Left, true);
        frame();
        ImGui::GetIO().AddMouseButtonEvent(ImGuiMouseButton_Left, false);
        frame();
    }
};

} // namespace

TEST_CASE_METHOD(MessagesUi, "The viewer lists analyze's warnings: an unknown country", "[viewer][gl]") {
    REQUIRE(settle());
    REQUIRE(app->document().snapshot());
    REQUIRE(app->lastError().empty());
    frame();
    // The warning analyze prints, naming the deposits file and the value.
    const auto &messages = app->messagesWindow().messages();
    INFO((messages.empty() ? std::string("no messages") : messages.front()));
    CHECK(mentions(messages, "deps.geojson", "'Atlantis' 1"));
    CHECK(mentions(messages, "deps.geojson", "not an ISO 3166 country"));

    // Closed at first; the menu bar's count opens it.
    CHECK_FALSE(app->messagesShown());
    CHECK(ImGui::FindWindowByName(kMessagesWindow) == nullptr);
    const ImVec2 count = app->messagesCountCentre();
    REQUIRE(count.x >= 0);
    click(count);
    frame(); // a new window is sized on its first frame, shown from the next
    frame();
    CHECK(app->messagesShown());
    const ImGuiWindow *w = ImGui::FindWindowByName(kMessagesWindow);
    REQUIRE(w);
    CHECK(w->WasActive);
    CHECK_FALSE(w->Hidden);

    SECTION("a reload of the fixed file empties the list and the count") {
        write("deps.geojson", collection(deposits("USA")));
        app->openScenario(scenario());
        REQUIRE(settle());
        frame();
        CHECK_FALSE(mentions(app->messagesWindow().messages(), "deps.geojson", "Atlantis"));
        CHECK(app->messagesCountCentre().x < 0);
    }
}

namespace {

// A polygon crossing itself (a bow tie) written as `file`, its path returned: loading it warns
// that GEOS MakeValid repaired it.
std::string writeBowTie(const test::ScenarioDir &d, const std::string &file) {
    d.write(file, test::ScenarioDir::collection(
                      R"({"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", )"
                      R"("coordinates": [[[30, 50], [31, 49], [31, 50], [30, 49], [30, 50]]]}})"));
    return (d.dir / file).string();
}

} // namespace

TEST_CASE_METHOD(MessagesUi, "Layers added in the viewer put their warnings in Messages, naming the file",
                 "[viewer][gl]") {
    REQUIRE(settle());
    frame();
    const auto &messages = app->messagesWindow().messages();
    REQUIRE_FALSE(mentions(messages, "repaired", "bowtie"));

    const auto repaired = [&](const std::string &file) {
        REQUIRE(settle());
        frame();
        return mentions(messages, file, "repaired with GEOS MakeValid");
    };
    SECTION("File > Add layer, drawn only (basemap)") {
        app->addLayer(writeBowTie(*this, "borders_bowtie.geojson"), model::LayerRole::Basemap);
        CHECK(repaired("borders_bowtie.geojson"));
        // Still listed after the scenario is loaded again: the layer is still on the map.
        app->openScenario(scenario());
        CHECK(repaired("borders_bowtie.geojson"));
        CHECK(mentions(messages, "deps.geojson", "'Atlantis' 1"));
    }
    SECTION("File > Add layer, analysed (other)") {
        app->addLayer(writeBowTie(*this, "lakes_bowtie.geojson"), model::LayerRole::Other);
        CHECK(repaired("lakes_bowtie.geojson"));
    }
    SECTION("A dropped file, confirmed") {
        app->dropFiles({writeBowTie(*this, "countries_bowtie.geojson")});
        REQUIRE(settle());
        REQUIRE(app->pendingDrops().size() == 1);
        CHECK(app->pendingDrops()[0].role == model::LayerRole::Basemap); // drawn only
        app->confirmDrops();
        CHECK(repaired("countries_bowtie.geojson"));
    }
}
