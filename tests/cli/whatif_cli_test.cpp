// `orefront whatif`: what-if fronts on the bundled scenario end to end, the diff read back
// through GDAL and checked against `orefront analyze` (the real verdicts) and what a
// withdrawal can do (never bring the front closer, never occupy new ground).
#include "cli/cli_support.hpp"

#include <cmath>

using namespace orefront::clitest;

TEST_CASE_METHOD(CliFixture,
                 "whatif --shift-km -150 on the bundled scenario: real verdicts as analyze's, flips listed",
                 "[cli][whatif]") {
    const Result r = run("whatif", {geodata("scenario.toml"), "--shift-km", "-150", "--name",
                                    "withdrawal 150", "-o", out("diff.csv").string()});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("what-if 'withdrawal 150' (-150 km (withdrawal))"));
    const Result a = analyze({geodata("scenario.toml"), "-o", out("report.geojson").string(), "-q"});
    REQUIRE(a.code == 0);
    auto report = openVector(out("report.geojson"));
    const auto judged = allFeatures(*report->GetLayer(0));
    auto diff = openVector(out("diff.csv"));
    const auto rows = allFeatures(*diff->GetLayer(0));
    REQUIRE(rows.size() == judged.size());
    int changed = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const OGRFeature &row = *rows[i];
        INFO(str(row, "name"));
        CHECK(str(row, "whatif") == "withdrawal 150");
        CHECK(str(row, "name") == str(*judged[i], "name"));
        CHECK(str(row, "verdict") == str(*judged[i], "verdict"));
        CHECK((str(row, "changed") == "true") == (str(row, "verdict") != str(row, "whatif_verdict")));
        changed += str(row, "changed") == "true";
        if (!isNull(row, "front_distance_km") && !isNull(row, "whatif_front_distance_km")) {
            const double before = real(row, "front_distance_km"),
                         after = real(row, "whatif_front_distance_km");
            CHECK(after >= before - 0.05); // a withdrawal never brings the front closer
        }
        if (str(row, "whatif_occupied") == "true")
            CHECK(str(row, "occupied") == "true"); // nor takes new ground
    }
    CHECK(changed > 0);
    CHECK_THAT(r.out, Catch::Contains(std::to_string(changed) + " of " + std::to_string(rows.size()) +
                                      " verdicts change"));
}

TEST_CASE_METHOD(CliFixture, "whatif: bad input is a clear message, exit 2 or 1, and no diff written",
                 "[cli][whatif]") {
    const Result missing = run("whatif", {geodata("scenario.toml"), "--front", in("nowhere.geojson").string(),
                                          "-o", out("d.csv").string()});
    CHECK(missing.code == 2);
    CHECK_THAT(missing.err, Catch::Contains("nowhere.geojson"));
    const Result unknown =
        run("whatif", {geodata("scenario.toml"), "--name", "no such what-if", "-o", out("d.csv").string()});
    CHECK(unknown.code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("no what-if named 'no such what-if'"));
    const Result format =
        run("whatif", {geodata("scenario.toml"), "--shift-km", "10", "-o", out("d.geojson").string()});
    CHECK(format.code == 1);
    CHECK_THAT(format.err, Catch::Contains(".csv"));
    const Result zero =
        run("whatif", {geodata("scenario.toml"), "--shift-km", "0", "-o", out("d.csv").string()});
    CHECK(zero.code == 1);
    CHECK(fs::is_empty(outDir()));
}
