// Dated series: the snapshot in force at a date, a scenario resolved at a date, the field
// forms, and each bad input named with its file.
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/scenario_writer.hpp"
#include "orefront/io/series_io.hpp"
#include "orefront/model/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace orefront;
using Catch::Contains;
using model::Date;

namespace {

namespace fs = std::filesystem;

Date day(const char *iso) {
    return *Date::parseIso(iso);
}

// A fresh directory per test, removed afterwards.
struct SeriesDir {
    fs::path dir;
    SeriesDir() {
        dir = fs::temp_directory_path() / ("orefront_series_" + std::to_string(::getpid()) + "_" +
                                           std::to_string(reinterpret_cast<std::uintptr_t>(this)));
        fs::remove_all(dir);
        fs::create_directories(dir);
    }
    ~SeriesDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
    void write(const std::string &name, const std::string &text) const { std::ofstream(dir / name) << text; }
    // A square hostile zone [lon0, lon0 + 1] x [50, 51], with `props` as its properties.
    static std::string square(double lon0, const std::string &props = "\"status\": \"occupied\"") {
        const std::string a = std::to_string(lon0), b = std::to_string(lon0 + 1);
        return "{\"type\": \"Feature\", \"properties\": {" + props +
               "}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[" + a + ", 50], [" + b +
               ", 50], [" + b + ", 51], [" + a + ", 51], [" + a + ", 50]]]}}";
    }
    static std::string collection(const std::vector<std::string> &features) {
        std::string out = "{\"type\": \"FeatureCollection\", \"features\": [";
        for (const auto &f : features)
            out += (&f == &features.front() ? "" : ", ") + f;
        return out + "]}";
    }
    // A scenario with one deposit at 35 E 50.5 N and one hostile layer (`hostile`: TOML keys).
    std::string scenario(const std::string &hostile, const std::string &date = "") const {
        write("deposits.geojson",
              collection({"{\"type\": \"Feature\", \"properties\": {\"name\": \"D\"}, \"geometry\": "
                          "{\"type\": \"Point\", \"coordinates\": [35.0, 50.5]}}"}));
        const fs::path p = dir / "scenario.toml";
        std::ofstream(p)
            << "name = \"series\"\n"
            << (date.empty() ? "" : "date = \"" + date + "\"\n")
            << "[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = \"deposits.geojson\"\n"
            << "[[layers]]\nid = \"occupied\"\nrole = \"hostile\"\n"
            << hostile;
        return p.string();
    }
    void snapshots() const {
        write("occ_2022-02-23.geojson", collection({square(36)}));
        write("occ_2022-03-25.geojson", collection({square(35)}));
        write("occ_2022-11-12.geojson", collection({square(36.5)}));
    }
};

const char *kSnapshots =
    "series = \"snapshots\"\nsource = \"occ_*.geojson\"\ndate_pattern = \"occ_%Y-%m-%d\"\n";

} // namespace

TEST_CASE("the snapshot in force is the latest on or before the date", "[gdal]") {
    SeriesDir d;
    d.snapshots();
    const model::Scenario s = io::loadScenario(d.scenario(kSnapshots));
    REQUIRE(s.layers[1].series == model::SeriesForm::Snapshots);
    const auto dates = io::seriesDates(s);
    REQUIRE(dates.size() == 3);
    CHECK(dates[0].iso() == "2022-02-23");
    CHECK(dates[2].iso() == "2022-11-12");

    const auto snaps = io::layerSnapshots(s.layers[1], s.baseDir);
    CHECK(io::snapshotAt(snaps, day("2022-02-23"), s.layers[1]).date.iso() == "2022-02-23"); // on
    CHECK(io::snapshotAt(snaps, day("2022-03-24"), s.layers[1]).date.iso() == "2022-02-23"); // between
    CHECK(io::snapshotAt(snaps, day("2022-03-25"), s.layers[1]).date.iso() == "2022-03-25"); // on
    CHECK(io::snapshotAt(snaps, day("2022-11-11"), s.layers[1]).date.iso() == "2022-03-25");
    CHECK(io::snapshotAt(snaps, day("2030-01-01"), s.layers[1]).date.iso() == "2022-11-12"); // after last
    CHECK_THROWS_WITH(io::snapshotAt(snaps, day("2022-02-22"), s.layers[1]),
                      Contains("2022-02-22 is before its first snapshot, 2022-02-23") &&
                          Contains("occ_2022-02-23.geojson"));

    const model::Scenario at = io::scenarioAt(s, day("2022-04-01"));
    CHECK(at.date == std::optional<std::string>("2022-04-01"));
    CHECK(at.layers[1].series == model::SeriesForm::None);
    CHECK(at.layers[1].date == std::optional<std::string>("2022-03-25"));
    CHECK(fs::path(at.layers[1].source).filename() == "occ_2022-03-25.geojson");
    // The deposit (35 E) is inside only the late-March extent.
    const model::Project p = io::loadProject(at);
    CHECK(p.layers[1]->features.front().geometry.polygons.front().rings.front().front().lon == Approx(35));
    CHECK_THROWS_WITH(io::scenarioAt(s, day("2021-01-01")), Contains("layer 'occupied'"));
}

TEST_CASE("loadProject resolves a series at the scenario's date, else at its latest snapshot", "[gdal]") {
    SeriesDir d;
    d.snapshots();
    const model::Project dated = io::loadProject(io::loadScenario(d.scenario(kSnapshots, "2022-03-30")));
    CHECK(dated.layers[1]->date == std::optional<std::string>("2022-03-25"));
    CHECK(dated.scenario.date == std::optional<std::string>("2022-03-30"));
    const model::Project latest = io::loadProject(io::loadScenario(d.scenario(kSnapshots)));
    CHECK(latest.layers[1]->date == std::optional<std::string>("2022-11-12"));
}

TEST_CASE("a date-field series keeps the features of the snapshot in force", "[gdal]") {
    SeriesDir d;
    d.write("occ.geojson", SeriesDir::collection({SeriesDir::square(36, "\"day\": \"2022-02-23\""),
                                                  SeriesDir::square(35, "\"day\": \"2022-03-25\""),
                                                  SeriesDir::square(34, "\"day\": \"2022-03-25\"")}));
    const auto s = io::loadScenario(
        d.scenario("series = \"date_field\"\nsource = \"occ.geojson\"\ndate_field = \"day\"\n"));
    const auto dates = io::seriesDates(s);
    REQUIRE(dates.size() == 2);
    CHECK(io::loadProject(io::scenarioAt(s, day("2022-03-01"))).layers[1]->features.size() == 1);
    const auto p = io::loadProject(io::scenarioAt(s, day("2022-04-01")));
    CHECK(p.layers[1]->features.size() == 2);
    CHECK(p.layers[1]->date == std::optional<std::string>("2022-03-25"));
    CHECK_THROWS_WITH(io::scenarioAt(s, day("2022-01-01")), Contains("before its first snapshot"));
}

TEST_CASE("a valid-range series keeps the features valid on the day, both ends inclusive", "[gdal]") {
    SeriesDir d;
    d.write("occ.geojson", SeriesDir::collection(
                               {SeriesDir::square(36, "\"from\": \"2014-03-18\", \"to\": null"),
                                SeriesDir::square(35, "\"from\": \"2022-02-24\", \"to\": \"2022-04-02\"")}));
    const auto s = io::loadScenario(d.scenario("series = \"valid_range\"\nsource = \"occ.geojson\"\n"
                                               "valid_from_field = \"from\"\nvalid_to_field = \"to\"\n"));
    const auto dates = io::seriesDates(s);
    REQUIRE(dates.size() == 3); // 2014-03-18, 2022-02-24, 2022-04-03 (the day after a valid-to)
    CHECK(dates[2].iso() == "2022-04-03");
    auto count = [&](const char *date) {
        return io::loadProject(io::scenarioAt(s, day(date))).layers[1]->features.size();
    };
    CHECK(count("2022-02-23") == 1);
    CHECK(count("2022-02-24") == 2);
    CHECK(count("2022-04-02") == 2);
    CHECK(count("2022-04-03") == 1);
}

TEST_CASE("bad series input is an InputError naming the file", "[gdal]") {
    SeriesDir d;
    SECTION("a glob matching nothing") {
        const auto s = io::loadScenario(d.scenario(kSnapshots));
        CHECK_THROWS_AS(io::seriesDates(s), InputError);
        CHECK_THROWS_WITH(io::seriesDates(s), Contains("occ_*.geojson") && Contains("matches no file"));
        CHECK_THROWS_WITH(io::loadProject(s), Contains("matches no file"));
    }
    SECTION("a file name without a parsable date") {
        d.snapshots();
        d.write("occ_latest.geojson", SeriesDir::collection({SeriesDir::square(36)}));
        const auto s = io::loadScenario(d.scenario(kSnapshots));
        CHECK_THROWS_WITH(io::seriesDates(s), Contains("occ_latest.geojson") && Contains("occ_%Y-%m-%d"));
    }
    SECTION("two snapshots with the same date") {
        d.snapshots();
        d.write("occ_2022-03-25b.geojson", SeriesDir::collection({SeriesDir::square(36)}));
        const auto s = io::loadScenario(d.scenario(kSnapshots));
        CHECK_THROWS_WITH(io::seriesDates(s), Contains("occ_2022-03-25.geojson") &&
                                                  Contains("occ_2022-03-25b.geojson") &&
                                                  Contains("same date, 2022-03-25"));
    }
    SECTION("a date field with an unparsable value") {
        d.write("occ.geojson", SeriesDir::collection({SeriesDir::square(36, "\"day\": \"2022-02-23\""),
                                                      SeriesDir::square(35, "\"day\": \"late March\"")}));
        const auto s = io::loadScenario(
            d.scenario("series = \"date_field\"\nsource = \"occ.geojson\"\ndate_field = \"day\"\n"));
        CHECK_THROWS_AS(io::seriesDates(s), InputError);
        CHECK_THROWS_WITH(io::seriesDates(s), Contains("occ.geojson") && Contains("feature 1") &&
                                                  Contains("'late March', which is not a date"));
    }
    SECTION("scenario keys") {
        CHECK_THROWS_WITH(
            io::loadScenario(d.scenario("series = \"snapshots\"\nsource = \"occ_*.geojson\"\n")),
            Contains("layers[1].date_pattern: missing"));
        CHECK_THROWS_WITH(io::loadScenario(d.scenario("series = \"weekly\"\nsource = \"o.geojson\"\n")),
                          Contains("unknown form 'weekly'"));
        CHECK_THROWS_WITH(io::loadScenario(d.scenario("source = \"o.geojson\"\ndate_field = \"day\"\n")),
                          Contains("layers[1].date_field: needs series"));
        CHECK_THROWS_WITH(io::loadScenario(d.scenario(std::string(kSnapshots) + "date = \"2022-01-01\"\n")),
                          Contains("layers[1].date: a series is dated by its snapshots"));
        CHECK_THROWS_WITH(io::loadScenario(d.scenario("series = \"snapshots\"\nsource = \"o_*.geojson\"\n"
                                                      "date_pattern = \"o_%Y%m\"\n")),
                          Contains("needs %Y, %m and %d"));
    }
}

TEST_CASE("series keys survive saveScenario and loadScenario", "[gdal]") {
    SeriesDir d;
    d.snapshots();
    const model::Scenario s = io::loadScenario(d.scenario(kSnapshots, "2022-04-01"));
    const fs::path saved = d.dir / "saved.toml";
    io::saveScenario(s, saved.string());
    const model::Scenario back = io::loadScenario(saved.string());
    REQUIRE(back.layers.size() == 2);
    CHECK(back.layers[1].series == model::SeriesForm::Snapshots);
    CHECK(back.layers[1].datePattern == "occ_%Y-%m-%d");
    CHECK(back.layers[1].source == "occ_*.geojson");
    CHECK_FALSE(back.layers[1].date);
    CHECK(io::seriesDates(back).size() == 3);

    d.write("occ.geojson", SeriesDir::collection(
                               {SeriesDir::square(36, "\"from\": \"2014-03-18\", \"to\": \"2022-01-01\"")}));
    const model::Scenario v =
        io::loadScenario(d.scenario("series = \"valid_range\"\nsource = \"occ.geojson\"\n"
                                    "valid_from_field = \"from\"\nvalid_to_field = \"to\"\n"));
    io::saveScenario(io::scenarioAt(v, day("2020-01-01")), saved.string()); // a resolved one, too
    const model::Scenario vb = io::loadScenario(saved.string());
    CHECK(vb.layers[1].series == model::SeriesForm::ValidRange);
    CHECK(vb.layers[1].validFromField == "from");
    CHECK(vb.layers[1].validToField == "to");
    CHECK_FALSE(vb.layers[1].date);
}
