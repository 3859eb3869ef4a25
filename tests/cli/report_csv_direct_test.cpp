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
#include <cstdio>
#include <cstring>
#include <random>

using namespace orefront;
using namespace orefront::clitest;

namespace {

// The direct CSV writer's text `a` is OGR's `b`; else the first line that differs, for the log.
void checkSameText(const std::string &a, const std::string &b) {
    if (a != b) {
        const auto la = lines(a), lb = lines(b);
        for (std::size_t i = 0; i < std::min(la.size(), lb.size()); ++i)
            if (la[i] != lb[i]) {
                INFO("line " << i + 1 << "\n direct: " << la[i] << "\n    OGR: " << lb[i]);
                CHECK(la[i] == lb[i]);
                break;
            }
    }
    CHECK(a == b);
}

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
        "plain", "a,b",       "say \"hi\"", "line\nbreak", "semi;colon", "tab\there",
        "123",   "1e5",       "-0.5",       " 12",         "",           "Кременчук",
        "nan",   "inf",       "0x1A",       "12a",         "1.",         "carriage\rreturn",
        "   ",   "trailing,", "+5",         ".5",          "\v7",        "\f8",
        "e5",    "D5",        "+",          "-",           "5 ",         "Deposit 1",
        "-inf"};
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

// A report of `count` tricky deposits: measurements with names to quote, nulls and every
// magnitude of distance, the rules' verdicts, and (withNotes) two deposit notes.
struct TrickyReport {
    model::Layer deposits;
    model::Scenario scenario = io::defaultScenario();
    analysis::Measurements m;
    rules::Report report;
    model::AnnotationSet notes;
    exporting::ReportInput in;

    TrickyReport(std::size_t count, bool withNotes) : deposits(trickyDeposits(count)) {
        model::LayerSpec spec;
        spec.id = "deposits";
        spec.role = model::LayerRole::Deposits;
        scenario.layers.push_back(spec);
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
        report = rules::evaluate(scenario, facts, m, false);
        in = exporting::ReportInput{&scenario, &deposits, &m, &report, nullptr, nullptr};
        // With the store's deposit notes (a `note` column): one note with a comma, quotes and a
        // line break, one plain, the rest of the deposits without.
        if (count > 4) {
            notes.notes.push_back(
                {report.deposits.at(1).name, "seen, \"twice\"\nby drone", "analyst", "", 1});
            notes.notes.push_back({report.deposits.at(4).name, "plain", "analyst", "", 1});
        }
        if (withNotes)
            in.annotations = &notes;
    }
};

} // namespace

TEST_CASE("a CSV report of points is the one OGR's CSV driver writes, byte for byte (issue 11)", "[cli]") {
    initGdal();
    const std::size_t count = GENERATE(60, 40000);
    INFO(count << " deposits");
    const bool withNotes = GENERATE(false, true);
    INFO("with notes: " << withNotes);
    const TrickyReport t(count, withNotes);
    const model::Layer &deposits = t.deposits;
    const exporting::ReportInput &in = t.in;

    const fs::path dir = fs::temp_directory_path() / ("orefront_csv_direct_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path direct = dir / "direct.csv", viaOgr = dir / "ogr.csv";
    exporting::writeReport(in, direct.string(), exporting::Format::Csv);
    exporting::detail::writeCsvThroughOgr(in, viaOgr.string());

    const std::string a = readText(direct), b = readText(viaOgr);
    CHECK(lines(a).size() > deposits.features.size()); // header + rows (a quoted break adds lines)
    CHECK(a.find("\"say \"\"hi\"\"\"") != std::string::npos);
    CHECK((a.find("\"seen, \"\"twice\"\"") != std::string::npos) == withNotes);
    checkSameText(a, b);
    CHECK(readText(exporting::csvTypesPath(direct.string())) ==
          readText(exporting::csvTypesPath(viaOgr.string())));
    CHECK(readText(exporting::csvPrjPath(direct.string())) ==
          readText(exporting::csvPrjPath(viaOgr.string())));
    CHECK(fs::exists(exporting::csvMetadataPath(direct.string())));
    fs::remove_all(dir);
}

// Issue 11: reals in a CSV report (coordinates, attributes, distances) are formatted from their
// shortest round-trip digits rather than by printf; they must still be printf's %.15g, as OGR's
// CSV driver writes them. 30,000 rows of random doubles of every magnitude, integral ones,
// subnormals and values whose shortest digits end exactly half way past the 15th, checked
// against OGR's file and each against snprintf("%.15g").
TEST_CASE("CSV report reals are printf's %.15g for random doubles of every magnitude (issue 11)", "[cli]") {
    initGdal();
    TrickyReport t(30000, false);
    std::mt19937_64 rng(11);
    auto randomReal = [&](std::size_t i) -> double {
        char text[48];
        switch (i % 6) {
        case 0: { // any bit pattern that is a finite number (subnormals included)
            double v = std::numeric_limits<double>::quiet_NaN();
            while (!std::isfinite(v)) {
                const std::uint64_t bits = rng();
                std::memcpy(&v, &bits, sizeof v);
            }
            return v;
        }
        case 1: // 16 significant digits ending in 5: a tie in the shortest digits
            std::snprintf(text, sizeof text, "%015llu5e%d",
                          static_cast<unsigned long long>(rng() % 1000000000000000ULL),
                          static_cast<int>(rng() % 40) - 25);
            return std::strtod(text, nullptr);
        case 2: // integral, up to 17 digits
            return static_cast<double>(rng() % 100000000000000000ULL);
        case 3: // metres in km, as distances are written
            return std::round(std::ldexp(static_cast<double>(rng() >> 11), -53) * 3000.0 * 1000.0) / 1000.0;
        default: // uniform mantissa, exponent 1e-20 .. 1e20, either sign
            return (rng() % 2 ? -1.0 : 1.0) * std::ldexp(static_cast<double>(rng() >> 11), -53) *
                   std::pow(10.0, static_cast<int>(rng() % 41) - 20);
        }
    };
    // Distances, written to the metre: every magnitude either side of the 15 digits a metre count
    // keeps, half metres, values that round to -0.
    auto randomKm = [&](std::size_t i) -> double {
        const double u = std::ldexp(static_cast<double>(rng() >> 11), -53);
        switch (i % 5) {
        case 0:
            return u * 4000.0;
        case 1:
            return u * std::pow(10.0, static_cast<int>(rng() % 36) - 18);
        case 2:
            return std::round(u * 4e6) / 1000.0 + 0.0005;
        case 3:
            return -u * 1e-4;
        default:
            return static_cast<double>(rng() % 100000000000000000ULL) / 1000.0 * (rng() % 2 ? 1.0 : -1.0);
        }
    };
    std::vector<double> written;
    for (std::size_t i = 0; i < t.deposits.features.size(); ++i) {
        model::Feature &f = t.deposits.features[i];
        const double grade = randomReal(i);
        f.attributes.set(1, model::Value("deposit " + std::to_string(i))); // no line breaks: one line a row
        f.attributes.set(2, model::Value(grade));
        written.push_back(grade);
        f.geometry.points[0] = {
            (i % 3 ? 1.0 : 1e-3) * std::ldexp(static_cast<double>(rng() >> 11), -53) * 360 - 180,
            std::ldexp(static_cast<double>(rng() >> 11), -53) * 180 - 90};
        t.m.perDeposit[i].frontDistanceKm = randomKm(i);
    }
    const fs::path dir = fs::temp_directory_path() / ("orefront_csv_reals_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path direct = dir / "direct.csv", viaOgr = dir / "ogr.csv";
    exporting::writeReport(t.in, direct.string(), exporting::Format::Csv);
    exporting::detail::writeCsvThroughOgr(t.in, viaOgr.string());
    const std::string a = readText(direct), b = readText(viaOgr);
    checkSameText(a, b);
    // Each grade as printf writes it (the column follows X, Y, id and name).
    const auto rows = lines(a);
    std::size_t found = 0;
    for (std::size_t i = 0; i < written.size(); ++i) {
        char expect[48];
        std::snprintf(expect, sizeof expect, ",%.15g,", written[i]);
        found += rows.at(i + 1).find(expect) != std::string::npos;
    }
    CHECK(found == written.size());
    fs::remove_all(dir);
}

// Issue 11: a GeoPackage report of point deposits gets its rows through SQLite's API rather than
// one OGRFeature per row. Read back through GDAL, it must be the one OGR's driver writes: the
// same columns, types, values and nulls, geometries to the bit, FIDs, feature count, extent,
// metadata and SQLite schema (GDAL's feature-count triggers included).
TEST_CASE("a GeoPackage report of points reads back through GDAL as the one OGR's driver writes (issue 11)",
          "[cli][gdal]") {
    initGdal();
    const std::size_t count = GENERATE(60, 10000);
    INFO(count << " deposits");
    const bool withNotes = GENERATE(false, true);
    INFO("with notes: " << withNotes);
    const TrickyReport t(count, withNotes);

    const fs::path dir = fs::temp_directory_path() / ("orefront_gpkg_direct_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path direct = dir / "direct.gpkg", viaOgr = dir / "ogr.gpkg";
    exporting::writeReport(t.in, direct.string(), exporting::Format::Gpkg);
    exporting::detail::writeGpkgThroughOgr(t.in, viaOgr.string());
    {
        auto a = openVector(direct), b = openVector(viaOgr);
        REQUIRE(a);
        REQUIRE(b);
        CHECK(a->GetLayerCount() == b->GetLayerCount());
        OGRLayer *la = a->GetLayerByName("deposits"), *lb = b->GetLayerByName("deposits");
        REQUIRE(la);
        REQUIRE(lb);
        CHECK(la->GetGeomType() == wkbPoint);
        CHECK(la->GetGeomType() == lb->GetGeomType());
        CHECK(la->GetFeatureCount(FALSE) == static_cast<GIntBig>(count)); // gpkg_ogr_contents
        CHECK(la->GetFeatureCount(FALSE) == lb->GetFeatureCount(FALSE));
        OGREnvelope ea, eb;
        REQUIRE(la->GetExtent(&ea, FALSE) == OGRERR_NONE);
        REQUIRE(lb->GetExtent(&eb, FALSE) == OGRERR_NONE);
        CHECK(ea.MinX == eb.MinX);
        CHECK(ea.MinY == eb.MinY);
        CHECK(ea.MaxX == eb.MaxX);
        CHECK(ea.MaxY == eb.MaxY);
        REQUIRE(la->GetMetadataItem("orefront_scenario"));
        CHECK(std::string(la->GetMetadataItem("orefront_scenario")) ==
              lb->GetMetadataItem("orefront_scenario"));
        OGRFeatureDefn *da = la->GetLayerDefn(), *db = lb->GetLayerDefn();
        REQUIRE(da->GetFieldCount() == db->GetFieldCount());
        CHECK((da->GetFieldIndex("note") >= 0) == withNotes);
        for (int i = 0; i < da->GetFieldCount(); ++i) {
            INFO("field " << db->GetFieldDefn(i)->GetNameRef());
            CHECK(std::string(da->GetFieldDefn(i)->GetNameRef()) == db->GetFieldDefn(i)->GetNameRef());
            CHECK(da->GetFieldDefn(i)->GetType() == db->GetFieldDefn(i)->GetType());
            CHECK(da->GetFieldDefn(i)->GetSubType() == db->GetFieldDefn(i)->GetSubType());
        }
        const auto fa = allFeatures(*la), fb = allFeatures(*lb);
        REQUIRE(fa.size() == count);
        REQUIRE(fa.size() == fb.size());
        std::size_t differing = 0, nulls = 0;
        for (std::size_t k = 0; k < fa.size(); ++k) {
            const OGRFeature &x = *fa[k], &y = *fb[k];
            bool same = x.GetFID() == y.GetFID() && x.GetFID() == static_cast<GIntBig>(k + 1);
            const OGRGeometry *gx = x.GetGeometryRef(), *gy = y.GetGeometryRef();
            same = same && gx && gy && wkbFlatten(gx->getGeometryType()) == wkbPoint &&
                   gx->toPoint()->getX() == gy->toPoint()->getX() &&
                   gx->toPoint()->getY() == gy->toPoint()->getY();
            for (int i = 0; i < da->GetFieldCount(); ++i) {
                nulls += x.IsFieldNull(i);
                same = same && x.IsFieldNull(i) == y.IsFieldNull(i) && x.IsFieldSet(i) == y.IsFieldSet(i) &&
                       std::string(x.GetFieldAsString(i)) == y.GetFieldAsString(i);
                if (da->GetFieldDefn(i)->GetType() == OFTReal && !x.IsFieldNull(i))
                    same = same && x.GetFieldAsDouble(i) == y.GetFieldAsDouble(i);
            }
            if (!same && differing++ == 0) {
                auto dump = [&](const OGRFeature &f) {
                    std::string out = std::to_string(f.GetFID());
                    if (f.GetGeometryRef())
                        out += " " + f.GetGeometryRef()->exportToWkt();
                    for (int i = 0; i < da->GetFieldCount(); ++i)
                        out += std::string(" ") + da->GetFieldDefn(i)->GetNameRef() + "=" +
                               (f.IsFieldNull(i) ? "NULL" : f.GetFieldAsString(i));
                    return out;
                };
                INFO("feature " << k << "\n direct: " << dump(x) << "\n    OGR: " << dump(y));
                CHECK(same);
            }
        }
        CHECK(differing == 0);
        CHECK(nulls > 0); // the fixture's nulls came through as nulls
        // The SQLite side: the same schema (the feature-count triggers recreated), rows and extent.
        auto sql = [](GDALDataset &ds, const char *query) {
            std::vector<std::string> rows;
            OGRLayer *r = ds.ExecuteSQL(query, nullptr, nullptr);
            REQUIRE(r);
            for (auto &f : *r) {
                std::string row;
                for (int i = 0; i < f->GetFieldCount(); ++i)
                    row += std::string(i ? "|" : "") + f->GetFieldAsString(i);
                rows.push_back(row);
            }
            ds.ReleaseResultSet(r);
            return rows;
        };
        const char *schema = "SELECT type, name, sql FROM sqlite_master ORDER BY name";
        CHECK(sql(*a, schema) == sql(*b, schema));
        CHECK(anyStartsWith(sql(*a, schema), "trigger|trigger_insert_feature_count_deposits"));
        const char *extent =
            "SELECT table_name, min_x, min_y, max_x, max_y FROM gpkg_contents ORDER BY table_name";
        CHECK(sql(*a, extent) == sql(*b, extent));
        const char *rowCount = "SELECT feature_count FROM gpkg_ogr_contents WHERE table_name = 'deposits'";
        CHECK(sql(*a, rowCount) == std::vector<std::string>{std::to_string(count)});
    }
    fs::remove_all(dir);
}

// No deposits at all (every one of none is a point): the direct path inserts no row and leaves
// GDAL's empty layer as it is.
TEST_CASE("a GeoPackage report of zero point deposits has an empty deposits layer (issue 11)",
          "[cli][gdal]") {
    initGdal();
    const TrickyReport t(0, false);
    const fs::path dir = fs::temp_directory_path() / ("orefront_gpkg_empty_" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path out = dir / "empty.gpkg";
    exporting::writeReport(t.in, out.string(), exporting::Format::Gpkg);
    {
        auto ds = openVector(out);
        REQUIRE(ds);
        OGRLayer *l = ds->GetLayerByName("deposits");
        REQUIRE(l);
        CHECK(l->GetFeatureCount(TRUE) == 0);
    }
    fs::remove_all(dir);
}
