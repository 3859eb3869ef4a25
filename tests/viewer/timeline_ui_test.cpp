// The Timeline window (issue 10) on a headless context: a dated scenario opens at its latest
// snapshot, and a date typed into the Timeline changes the verdict of a deposit the front
// reached on that date (tests/data/cli/timeline: the Kharkiv test deposit is inside the
// occupied box of 2022-03-25 only).
#include "dock_layout.hpp"
#include "render/headless_gl.hpp"
#include "ui/timeline_window.hpp"
#include "ui_frames.hpp"
#include "viewer_app.hpp"

#include "orefront/io/scenario_io.hpp"

#include <backends/imgui_impl_opengl3.h>
#include <catch2/catch.hpp>
#include <imgui.h>
#include <imgui_internal.h>

#include <string>

using namespace orefront;
using namespace orefront::viewer;

namespace {

struct TimelineFixture : test::AppFixture {
    TimelineFixture() : AppFixture(OREFRONT_TEST_DATA_DIR "/../../data/cli/timeline/scenario.toml") {}

    // Types `text` into the Timeline's date field and presses Enter, as a user would.
    void typeDate(const std::string &text) {
        app->timeline().typed[0] = '\0';
        const ImGuiWindow *w = ImGui::FindWindowByName(kTimelineWindow);
        REQUIRE(w);
        ImGui::ActivateItemByID(const_cast<ImGuiWindow *>(w)->GetID("##date"));
        frame();
        frame();
        ImGui::GetIO().AddInputCharactersUTF8(text.c_str());
        frame();
        ImGui::GetIO().AddKeyEvent(ImGuiKey_Enter, true);
        frame();
        ImGui::GetIO().AddKeyEvent(ImGuiKey_Enter, false);
        frame();
    }

    int depositNamed(const std::string &name) const {
        const auto &deposits = app->document().report().deposits;
        for (std::size_t i = 0; i < deposits.size(); ++i)
            if (deposits[i].name == name)
                return int(i);
        return -1;
    }
    rules::Verdict verdictOf(const std::string &name) const {
        const int i = depositNamed(name);
        REQUIRE(i >= 0);
        return app->document().report().deposits[i].verdict;
    }
};

} // namespace

TEST_CASE_METHOD(TimelineFixture, "Timeline: a typed date changes the verdict of a deposit the front reached",
                 "[viewer][gl][timeline]") {
    REQUIRE(settle());
    frame();
    REQUIRE(app->lastError().empty());
    const TimelineWindow &t = app->timeline();
    REQUIRE(t.snapshots.size() == 3);
    REQUIRE(t.shown);
    CHECK(t.shown->iso() == "2022-11-11"); // no scenario date: the latest snapshot
    const rules::Verdict november = verdictOf("Kharkiv test deposit");
    CHECK(november != rules::Verdict::NotInvestable);

    typeDate("2022-03-30"); // between snapshots: the one of 2022-03-25 is in force
    REQUIRE(settle());
    frame();
    REQUIRE(t.shown);
    CHECK(t.shown->iso() == "2022-03-30");
    CHECK(t.message.empty());
    CHECK(verdictOf("Kharkiv test deposit") == rules::Verdict::NotInvestable);
    CHECK(verdictOf("Kyiv test deposit") != rules::Verdict::NotInvestable);
    const int kharkiv = depositNamed("Kharkiv test deposit");
    CHECK(app->document().snapshot()->measurements.perDeposit[kharkiv].occupied);
    REQUIRE(app->document().scenario());
    CHECK(app->document().scenario()->date == std::optional<std::string>("2022-03-30"));

    typeDate("2022-11-11"); // on a snapshot's date: back as it was
    REQUIRE(settle());
    frame();
    CHECK(verdictOf("Kharkiv test deposit") == november);

    typeDate("2021-06-01"); // before the first snapshot: said, and nothing changes
    REQUIRE(settle());
    frame();
    CHECK_THAT(t.message, Catch::Contains("before the first snapshot"));
    CHECK(t.shown->iso() == "2022-11-11");
}

TEST_CASE_METHOD(TimelineFixture, "Timeline: stepping by a month from the first snapshot",
                 "[viewer][gl][timeline]") {
    REQUIRE(settle());
    app->requestDate(app->timeline().snapshots.front());
    REQUIRE(settle());
    frame();
    CHECK(verdictOf("Kharkiv test deposit") != rules::Verdict::NotInvestable); // 2022-02-23
    app->timeline().step = TimelineWindow::Month;
    app->requestDate(app->timeline().stepFrom(*app->timeline().shown, 1));
    REQUIRE(settle());
    frame();
    CHECK(app->timeline().shown->iso() == "2022-03-23"); // before the largest extent
    CHECK(verdictOf("Kharkiv test deposit") != rules::Verdict::NotInvestable);
    app->requestDate(app->timeline().stepFrom(*app->timeline().shown, 1));
    REQUIRE(settle());
    frame();
    CHECK(app->timeline().shown->iso() == "2022-04-23");
    CHECK(verdictOf("Kharkiv test deposit") == rules::Verdict::NotInvestable);
}
