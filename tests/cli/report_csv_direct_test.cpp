// Issue 11: a CSV report of point deposits is written directly rather than one OGRFeature per
// row through OGR's CSV driver. The file must be the one OGR writes, byte for byte, for every
// kind of value: quoting of delimiters, quotes, line breaks and numeric-looking text, nulls,
// integers, booleans, reals of every magnitude, lists, coordinates near zero, integral and on
// the antimeridian. With 40,000 rows the writer formats several blocks of rows on several
// threads: they must come out in order.
#include "cli/cli_support.hpp"

#include "orefront/analysis/analysis.hpp"
#include "orefront/export/report_writer.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/rules/rules.hpp"

#include <cmath>

using namespace orefront;
using namespace orefront::clitest;

namespace {

model::Layer trickyDeposits(std::size_t count) {
    model::Layer l;
    l.id = "deposits";
    l.name = "deposits";
    l.role = model::LayerRole::Deposits;
    l.fields = {{"id", model::FieldType::Integer},      {"name", model::FieldType::String},
                {"grade_pct", model::FieldType::Real},  {"open_pit", model::FieldType::Boolean},
                {"tags", model::FieldType::StringList}, {"country", model::FieldType::String},
                {"mixed", model::FieldType::Integer}};
    const std::vector<std::string> names = {
        "plain", "a,b",      "say \"hi\"", "line\nbreak", "semi;colon", "tab\there",
        "123",   "1e5",      "-0.5",       " 12",         "",           "Кременчук",
        "nan",   "inf",      "0x1A",       "12a",         "1.",         "carriage\rreturn",
        "   ",   "trailing,"};
    const std::vector<double> reals = {1.5,     0.1,  123456789.123456789, 1e21, -0.0, 2.5e-5,
                                       1.0 / 3, 1e-9, 99999.9999,          4.0,  -7.25};
    const std::vector<model::LonLat> points = {{30.123456789012345, 48.1},
                                               {-0.000001234, 1e-7},
                                               {179.99999999999997, -89.5},
                                               {1.0 / 3, 2.0 / 3},
                                               {100, -0.0},
                                               {12.3456789012345678, 45},
                                               {-180, 0.5},
                                               {0.5, -0.25},
                                               {36.0, 47.0},
                                               {-179.123, 89.99999},
                                               {36.5, 47.0},
                                               {45.25, 45.25},
                                               {-33.0, 0.0},
                                               {1.0, 2.000000000000001},
                                               {123.456789012345678, -12.5}};
    for (std::size_t i = 0; i < count; ++i) {
        model::Feature f;
        f.fid = static_cast<std::int64_t>(i + 1);
        f.geometry.points = {points[i % points.size()]};
        const bool null = i % 7 == 3;
        f.attributes = {
            model::Value(static_cast<std::int64_t>(i) * (i % 2 ? -1000003 : 1)),
            null ? model::Value() : model::Value(names[i % names.size()]),
            i % 5 == 4 ? model::Value() : model::Value(reals[i % reals.size()]),
            i % 3 == 2 ? model::Value() : model::Value(i % 2 == 0),
            model::Value(std::vector<std::string>{"a", i % 2 ? "b,c" : "d"}),
            model::Value(std::string(i % 4 == 0   ? "UA"
                                     : i % 4 == 1 ? "RU"
                                     : i % 4 == 2 ? ""
                                                  : "XX")),
            // a value of another type than its column's: converted as OGR converts it
            i % 2 ? model::Value(2.75 * static_cast<double>(i)) : model::Value(std::string("17")),
        };
        l.features.push_back(std::move(f));
    }
    l.computeBounds();
    return l;
}

} // namespace

TEST_CASE("a CSV report of points is the one OGR's CSV driver writes, byte for byte (issue 11)", "[cli]") {
    initGdal();
    const std::size_t count = GENERATE(60, 40000);
    INFO(count << " deposits");
    const model::Layer deposits = trickyDeposits(count);
    model::Scenario scenario = io::defaultScenario();
    model::LayerSpec spec;
    spec.id = "deposits";
    spec.role = model::LayerRole::Deposits;
    scenario.layers.push_back(spec);

    analysis::Measurements m;
    m.names = {"", "Port, \"Odesa\"", "Rail hub", "123"};
    m.perDeposit.resize(deposits.features.size());
    for (std::size_t i = 0; i < m.perDeposit.size(); ++i) {
        auto &x = m.perDeposit[i];
        x.occupied = i % 9 == 0;
        x.contested = i % 11 == 0;
        if (i % 13 != 5)
            x.frontDistanceKm = i % 9 == 0 ? 0.0 : 0.0007 * std::pow(3.1, static_cast<double>(i % 17));
        if (i % 4 != 1) {
            x.portKm = 12.3456 * static_cast<double>(i);
            x.portName = static_cast<std::uint32_t>(i % 4);
        }
        if (i % 6 == 0) {
            x.railKm = 0.0004 * static_cast<double>(i);
            x.railName = 2;
        }
    }
    const auto facts = rules::readFacts(deposits, spec);
    const rules::Report report = rules::evaluate(scenario, facts, m, false);
    exporting::ReportInput in{&scenario, &deposits, &m, &report, nullptr, nullptr};
    // With the store's deposit notes (a `note` column): one note with a comma, quotes and a
    // line break, one plain, the rest of the deposits without.
    model::AnnotationSet notes;
    notes.notes.push_back({report.deposits.at(1).name, "seen, \"twice\"\nby drone", "analyst", "", 1});
    notes.notes.push_back({report.deposits.at(4).name, "plain", "analyst", "", 1});
    const bool withNotes = GENERATE(false, true);
    if (withNotes)
        in.annotations = &notes;
    INFO("with notes: " << withNotes);

    const fs::path dir = fs::temp_directory_path() / ("orefront_csv_direct_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path direct = dir / "direct.csv", viaOgr = dir / "ogr.csv";
    exporting::writeReport(in, direct.string(), exporting::Format::Csv);
    exporting::detail::writeCsvThroughOgr(in, viaOgr.string());

    const std::string a = readText(direct), b = readText(viaOgr);
    CHECK(lines(a).size() > deposits.features.size()); // header + rows (a quoted break adds lines)
    CHECK(a.find("\"say \"\"hi\"\"\"") != std::string::npos);
    CHECK((a.find("\"seen, \"\"twice\"\"") != std::string::npos) == withNotes);
    if (a != b) { // the first differing line, for the log
        const auto la = lines(a), lb = lines(b);
        for (std::size_t i = 0; i < std::min(la.size(), lb.size()); ++i)
            if (la[i] != lb[i]) {
                INFO("line " << i + 1 << "\n direct: " << la[i] << "\n    OGR: " << lb[i]);
                CHECK(la[i] == lb[i]);
                break;
            }
    }
    CHECK(a == b);
    CHECK(readText(exporting::csvTypesPath(direct.string())) ==
          readText(exporting::csvTypesPath(viaOgr.string())));
    CHECK(readText(exporting::csvPrjPath(direct.string())) ==
          readText(exporting::csvPrjPath(viaOgr.string())));
    CHECK(fs::exists(exporting::csvMetadataPath(direct.string())));
    fs::remove_all(dir);
}
