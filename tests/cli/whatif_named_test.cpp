// Named what-if fronts end to end through the real binary: the bundled scenario's [[whatif]]
// tables (`orefront whatif` with no argument), `orefront analyze --whatif NAME` (the report
// judged against the what-if, and saying so), and a hypothetical-front annotation added with
// `orefront annotations add --kind hypothetical_front` run as a ceasefire what-if.
#include "cli/cli_support.hpp"

using namespace orefront::clitest;
using Catch::Contains;

namespace {

// name -> row of a diff CSV, for one what-if.
std::map<std::string, const OGRFeature *> rowsOf(const std::vector<OGRFeatureUniquePtr> &rows,
                                                 const std::string &whatif) {
    std::map<std::string, const OGRFeature *> out;
    for (const auto &r : rows)
        if (str(*r, "whatif") == whatif)
            out[str(*r, "name")] = r.get();
    return out;
}

const char *kAdvance = "advance 30 km";
const char *kWithdrawal = "withdrawal 100 km";
const char *kCeasefire = "ceasefire, November 2025 draft";

} // namespace

TEST_CASE_METHOD(CliFixture, "whatif with no argument runs the bundled scenario's three what-ifs",
                 "[cli][whatif]") {
    const Result r = run("whatif", {geodata("scenario.toml"), "-o", out("diff.csv").string()});
    REQUIRE(r.code == 0);
    for (const char *name : {kAdvance, kWithdrawal, kCeasefire})
        CHECK_THAT(r.out, Contains(std::string("what-if '") + name + "'"));
    auto diff = openVector(out("diff.csv"));
    const auto rows = allFeatures(*diff->GetLayer(0));
    const auto advance = rowsOf(rows, kAdvance), withdrawal = rowsOf(rows, kWithdrawal),
               ceasefire = rowsOf(rows, kCeasefire);
    REQUIRE(advance.size() == 35);
    REQUIRE(withdrawal.size() == 35);
    REQUIRE(ceasefire.size() == 35);
    // The withdrawal frees the three occupied deposits of Zaporizhzhia and Donetsk oblasts far
    // enough (beyond the 40 km standoff, inside the 80 km ring): not investable -> marginal.
    for (const char *name : {"Kruta Balka", "Shevchenkivske", "Novopoltavske (Chernihivka carbonatite)"}) {
        INFO(name);
        const OGRFeature &row = *withdrawal.at(name);
        CHECK(str(row, "changed") == "true");
        CHECK(str(row, "verdict") == "not_investable");
        CHECK(str(row, "whatif_verdict") == "marginal");
        CHECK(str(row, "occupied") == "true");
        CHECK(str(row, "whatif_occupied") == "false");
        CHECK(real(row, "whatif_front_distance_km") > 40);
        CHECK(real(row, "whatif_front_distance_km") < 80);
    }
    // Every what-if's real verdicts are the same (one real run).
    for (const auto &[name, row] : advance)
        CHECK(str(*row, "verdict") == str(*withdrawal.at(name), "verdict"));
    CHECK_THAT(r.out,
               Contains("what-if 'withdrawal 100 km' (-100 km (withdrawal)): 3 of 35 verdicts change"));
}

TEST_CASE_METHOD(CliFixture, "analyze --whatif NAME: the report judged against that what-if, and saying so",
                 "[cli][whatif]") {
    const Result real = analyze({geodata("scenario.toml"), "-o", out("real.geojson").string(), "-q"});
    REQUIRE(real.code == 0);
    const Result w =
        analyze({geodata("scenario.toml"), "--whatif", kWithdrawal, "-o", out("w.geojson").string()});
    REQUIRE(w.code == 0);
    CHECK_THAT(w.out, Contains("whatif: withdrawal 100 km (-100 km (withdrawal))"));
    const Result d =
        run("whatif", {geodata("scenario.toml"), "--name", kWithdrawal, "-o", out("d.csv").string()});
    REQUIRE(d.code == 0);

    auto realDs = openVector(out("real.geojson"));
    auto whatDs = openVector(out("w.geojson"));
    auto diffDs = openVector(out("d.csv"));
    const auto realFeatures = allFeatures(*realDs->GetLayer(0));
    const auto realRows = byNames(realFeatures);
    const auto whatFeatures = allFeatures(*whatDs->GetLayer(0));
    const auto whatRows = byNames(whatFeatures);
    const auto diffFeatures = allFeatures(*diffDs->GetLayer(0));
    const auto diffRows = rowsOf(diffFeatures, kWithdrawal);
    REQUIRE(whatRows.size() == 35);
    int changed = 0;
    for (const auto &[name, f] : whatRows) {
        INFO(name);
        // The same report fields as the real report, and the what-if's verdicts as whatif's diff.
        CHECK(f->GetDefnRef()->GetFieldCount() == realRows.at(name)->GetDefnRef()->GetFieldCount());
        CHECK(str(*f, "verdict") == str(*diffRows.at(name), "whatif_verdict"));
        CHECK(str(*realRows.at(name), "verdict") == str(*diffRows.at(name), "verdict"));
        changed += str(*f, "verdict") != str(*realRows.at(name), "verdict");
    }
    CHECK(changed == 3);
    CHECK(str(*whatRows.at("Kruta Balka"), "verdict") == "marginal");
    CHECK(str(*realRows.at("Kruta Balka"), "verdict") == "not_investable");
    // The provenance names the what-if; the real report has none.
    CHECK_THAT(
        readText(out("w.geojson")),
        Contains(
            "\"whatif\": { \"name\": \"withdrawal 100 km\", \"description\": \"-100 km (withdrawal)\" }"));
    CHECK_THAT(readText(out("real.geojson")), !Contains("\"whatif\""));
}

TEST_CASE_METHOD(CliFixture,
                 "analyze --whatif with an unknown name: exit 2 naming the available ones, no report",
                 "[cli][whatif]") {
    const Result r =
        analyze({geodata("scenario.toml"), "--whatif", "freeze", "-o", out("report.geojson").string()});
    CHECK(r.code == 2);
    CHECK_THAT(r.err, Contains("no what-if named 'freeze'") &&
                          Contains("'advance 30 km', 'withdrawal 100 km', 'ceasefire, November 2025 draft'"));
    CHECK(fs::is_empty(outDir()));
}

TEST_CASE_METHOD(
    CliFixture,
    "a hypothetical_front annotation is a named ceasefire what-if for whatif and analyze --whatif",
    "[cli][whatif]") {
    const fs::path store = out("notes.gpkg");
    const Result add =
        run("annotations add", {"--store", store.string(), "--kind", "hypothetical_front", "--label",
                                "Line south of Dobra", "--wkt", "LINESTRING (31.3 48.15, 31.9 48.2)"});
    REQUIRE(add.code == 0);
    const Result added = run("annotations add", {"--store", store.string(), "--kind", "hypothetical_front",
                                                 "--label", "", "--wkt", "LINESTRING (20 60, 21 61)"});
    REQUIRE(added.code == 0);
    const std::string unnamed =
        "hypothetical front " + std::string(added.out.substr(0, added.out.find('\n')));

    const Result r = run("whatif", {geodata("scenario.toml"), "--annotations", store.string(), "-o",
                                    out("diff.csv").string()});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Contains("what-if 'Line south of Dobra' (hypothetical front annotation 1)"));
    CHECK_THAT(r.out, Contains("what-if '" + unnamed + "'"));
    auto diff = openVector(out("diff.csv"));
    const auto rows = allFeatures(*diff->GetLayer(0));
    const auto line = rowsOf(rows, "Line south of Dobra");
    REQUIRE(line.size() == 35);
    CHECK(rowsOf(rows, kAdvance).size() == 35); // beside the scenario's tables
    const OGRFeature &flip = *line.at("Dobra");
    CHECK(str(flip, "changed") == "true");
    CHECK(str(flip, "verdict") == "marginal");
    CHECK(str(flip, "whatif_verdict") == "not_investable");
    CHECK(real(flip, "whatif_front_distance_km") < 40);

    const Result a = analyze({geodata("scenario.toml"), "--annotations", store.string(), "--whatif",
                              "Line south of Dobra", "-o", out("r.geojson").string()});
    REQUIRE(a.code == 0);
    auto report = openVector(out("r.geojson"));
    const auto features = allFeatures(*report->GetLayer(0));
    // (the annotation is in the report too, its label naming Dobra: look the deposit up by its name)
    CHECK(str(*byNames(features).at("Dobra"), "verdict") == "not_investable");
}
