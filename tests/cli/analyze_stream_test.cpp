// Issue 11, streaming analyze: the deposits go through facts, rules (with the annotation what-if
// and the baseline at the default thresholds) and the write in batches. The report must not
// depend on the batch size: the same scenario written with batches of 1 and 7 deposits and in one
// batch gives the same CSV byte for byte (and its sidecars), the same GeoJSON text and a GeoPackage
// that reads back through GDAL value by value and geometry bit for bit; the same summary and the
// same warnings, which count every batch. A failure in a later batch leaves no partial report.
#include "cli/cli_support.hpp"

#include "orefront/export/report_writer.hpp"
#include "orefront/io/annotation_store.hpp"
#include "orefront/io/scenario_io.hpp"

#include <cstdlib>
#include <sstream>

using namespace orefront::clitest;

namespace {

// `count` deposits on a grid over Ukraine, western Russia and the Black Sea, with what the
// rules warn of and count: repeated names, unnamed deposits, country values that are codes,
// names, "NA" and unknown, commodities without a cut-off, missing grades and tonnages.
// `badAt` (when < count): that deposit's grade is text, which the rules refuse.
std::string manyDeposits(std::size_t count, std::size_t badAt = SIZE_MAX) {
    const char *countries[] = {"UA", "Ukraine", "RU", "NA", "Atlantis", "", "UKR", "Moldova"};
    const char *commodities[] = {"", "REE", "lithium", "unobtainium", "REE"};
    std::ostringstream o;
    o.precision(17);
    o << "{\"type\": \"FeatureCollection\", \"features\": [\n";
    for (std::size_t i = 0; i < count; ++i) {
        const double lon = 22.0 + static_cast<double>(i % 61) * 0.37;
        const double lat = 44.0 + static_cast<double>((i / 61) % 53) * 0.19 + static_cast<double>(i) * 1e-6;
        o << (i ? ",\n" : "") << "{\"type\": \"Feature\", \"properties\": {\"name\": ";
        if (i % 97 == 5)
            o << "null";
        else if (i % 31 == 0)
            o << "\"Twin " << i % 4 << "\"";
        else
            o << "\"Deposit " << i << "\"";
        o << ", \"country\": \"" << countries[i % 8] << "\", \"commodity\": \"" << commodities[i % 5] << "\"";
        if (i == badAt)
            o << ", \"grade_treo_pct\": \"rich\"";
        else if (i % 6 != 2)
            o << ", \"grade_treo_pct\": " << 0.3 + static_cast<double>(i % 23) * 0.17;
        if (i % 4 != 3)
            o << ", \"tonnage_mt\": " << 0.5 + static_cast<double>(i % 13) * 3.1;
        o << "}, \"geometry\": {\"type\": \"Point\", \"coordinates\": [" << lon << ", " << lat << "]}}";
    }
    o << "\n]}\n";
    return o.str();
}

// Two markers that count as hostile (each changes some verdicts alone), one that does not, and
// notes on two deposits, in the scenario's default store.
void addAnnotations(const fs::path &scenario) {
    orefront::io::initGdal();
    const std::string store = orefront::io::defaultAnnotationStore(scenario.string(), "");
    auto s = orefront::io::openAnnotationStore(store, true);
    auto marker = [&](double lon, double lat, const char *label, bool hostile) {
        orefront::model::Annotation a;
        a.kind = orefront::model::AnnotationKind::Marker;
        a.vertices = {{lon, lat}};
        a.label = label;
        a.countsAsHostile = hostile;
        s->add(a);
    };
    marker(24.2, 49.5, "Battery west", true);
    marker(27.9, 46.2, "Battery south", true);
    marker(30.0, 50.0, "Observation post", false);
    s->putNote({"Deposit 100", "seen, \"twice\"\nby drone", "analyst", "", 0});
    s->putNote({"Twin 1", "which twin?", "analyst", "", 0});
}

// Runs analyze with OREFRONT_ANALYZE_BATCH=batch.
Result analyzeInBatches(CliFixture &fx, std::size_t batch, const std::vector<std::string> &args) {
    ::setenv("OREFRONT_ANALYZE_BATCH", std::to_string(batch).c_str(), 1);
    Result r = fx.analyze(args);
    ::unsetenv("OREFRONT_ANALYZE_BATCH");
    return r;
}

// The summary without its timing line.
std::string withoutTiming(const std::string &text) {
    std::string out;
    for (const auto &l : lines(text))
        if (l.rfind("time: ", 0) != 0 && l.rfind("report: ", 0) != 0)
            out += l + "\n";
    return out;
}

// Every layer of two GeoPackages, read back through GDAL: the same layers, fields, FIDs, values,
// geometries (as WKB, to the bit) and metadata.
void checkSameGpkg(const fs::path &a, const fs::path &b) {
    auto da = openVector(a), db = openVector(b);
    REQUIRE(da);
    REQUIRE(db);
    REQUIRE(da->GetLayerCount() == db->GetLayerCount());
    for (int l = 0; l < da->GetLayerCount(); ++l) {
        OGRLayer *la = da->GetLayer(l), *lb = db->GetLayer(l);
        INFO("layer " << la->GetName());
        CHECK(std::string(la->GetName()) == lb->GetName());
        CHECK(la->GetGeomType() == lb->GetGeomType());
        CHECK(la->GetFeatureCount(FALSE) == lb->GetFeatureCount(FALSE));
        const char *ma = la->GetMetadataItem("orefront_scenario"),
                   *mb = lb->GetMetadataItem("orefront_scenario");
        CHECK(std::string(ma ? ma : "") == (mb ? mb : ""));
        OGREnvelope ea, eb;
        if (la->GetExtent(&ea, FALSE) == OGRERR_NONE && lb->GetExtent(&eb, FALSE) == OGRERR_NONE) {
            CHECK(ea.MinX == eb.MinX);
            CHECK(ea.MaxY == eb.MaxY);
        }
        OGRFeatureDefn *fa = la->GetLayerDefn(), *fb = lb->GetLayerDefn();
        REQUIRE(fa->GetFieldCount() == fb->GetFieldCount());
        for (int i = 0; i < fa->GetFieldCount(); ++i) {
            CHECK(std::string(fa->GetFieldDefn(i)->GetNameRef()) == fb->GetFieldDefn(i)->GetNameRef());
            CHECK(fa->GetFieldDefn(i)->GetType() == fb->GetFieldDefn(i)->GetType());
        }
        const auto xs = allFeatures(*la), ys = allFeatures(*lb);
        REQUIRE(xs.size() == ys.size());
        std::size_t differing = 0;
        for (std::size_t k = 0; k < xs.size(); ++k) {
            const OGRFeature &x = *xs[k], &y = *ys[k];
            bool same = x.GetFID() == y.GetFID();
            const OGRGeometry *gx = x.GetGeometryRef(), *gy = y.GetGeometryRef();
            same = same && (gx == nullptr) == (gy == nullptr);
            if (gx && gy) {
                std::vector<unsigned char> wx(gx->WkbSize()), wy(gy->WkbSize());
                gx->exportToWkb(wkbNDR, wx.data(), wkbVariantIso);
                gy->exportToWkb(wkbNDR, wy.data(), wkbVariantIso);
                same = same && wx == wy;
            }
            for (int i = 0; i < fa->GetFieldCount(); ++i) {
                same = same && x.IsFieldNull(i) == y.IsFieldNull(i) &&
                       std::string(x.GetFieldAsString(i)) == y.GetFieldAsString(i);
                if (fa->GetFieldDefn(i)->GetType() == OFTReal && !x.IsFieldNull(i))
                    same = same && x.GetFieldAsDouble(i) == y.GetFieldAsDouble(i);
            }
            if (!same && differing++ == 0) {
                INFO("feature " << k << " differs");
                CHECK(same);
            }
        }
        CHECK(differing == 0);
    }
}

} // namespace

TEST_CASE_METHOD(CliFixture,
                 "issue 11: analyze writes the same report, summary and warnings whatever the batch size",
                 "[cli][stream]") {
    initGdal();
    copyBundledScenario(in(""));
    const std::size_t count = 3000;
    writeText(in("many.geojson"), manyDeposits(count));
    addAnnotations(in("scenario.toml"));
    const std::vector<std::string> common = {in("scenario.toml").string(),
                                             "--deposits",
                                             in("many.geojson").string(),
                                             "--whatif",
                                             "withdrawal 100 km",
                                             "--standoff",
                                             "35",
                                             "--grade-cutoff",
                                             "1.5",
                                             "--rings",
                                             "15,35,70"};
    const std::vector<std::size_t> batches = {1000000, 7, 1}; // the first: one batch
    for (const std::string ext : {"csv", "geojson", "gpkg"}) {
        INFO("format " << ext);
        std::vector<Result> runs;
        for (const std::size_t batch : batches) {
            const std::string out = this->out("b" + std::to_string(batch) + "." + ext).string();
            std::vector<std::string> args = plus(common, {"-o", out});
            if (ext != "csv")
                args.push_back("--with-rings");
            runs.push_back(analyzeInBatches(*this, batch, args));
            REQUIRE(runs.back().code == 0);
        }
        const Result &whole = runs[0];
        // What the fixture is for: annotations changed verdicts, the thresholds changed others,
        // and the warnings count deposits of every batch.
        CHECK(whole.out.find("deposits: 3000\n") != std::string::npos);
        CHECK(whole.out.find("counted as hostile (what-if): 2") != std::string::npos);
        CHECK(lineStarting(whole.out, "changed verdict by the what-if annotations: ") !=
              "changed verdict by the what-if annotations: 0");
        CHECK(whole.out.find("(by annotation ") != std::string::npos);
        CHECK(whole.out.find("... and ") != std::string::npos); // more than 50 changed by thresholds
        CHECK(whole.err.find("country value 'NA' (375 deposit(s))") != std::string::npos);
        CHECK(whole.err.find("deposit names are used more than once") != std::string::npos);
        for (std::size_t k = 1; k < runs.size(); ++k) {
            INFO("batch " << batches[k] << " against one batch");
            CHECK(withoutTiming(runs[k].out) == withoutTiming(whole.out));
            CHECK(runs[k].err == whole.err);
            const fs::path a = out("b" + std::to_string(batches[0]) + "." + ext),
                           b = out("b" + std::to_string(batches[k]) + "." + ext);
            if (ext == "gpkg") {
                checkSameGpkg(a, b);
            } else {
                CHECK(readText(a) == readText(b));
            }
            if (ext == "csv") {
                for (auto side : {&orefront::exporting::csvTypesPath, &orefront::exporting::csvPrjPath,
                                  &orefront::exporting::csvMetadataPath})
                    CHECK(readText(side(a.string())) == readText(side(b.string())));
                CHECK(lines(readText(a)).size() > count);
            }
        }
    }
    // Only the reports and their sidecars: no temporary file left behind.
    for (const auto &name : outEntries())
        CHECK(name[0] != '.');
}

TEST_CASE_METHOD(CliFixture,
                 "issue 11: a bad deposit in a later batch leaves no partial report and names the feature",
                 "[cli][stream]") {
    initGdal();
    writeText(in("bad.geojson"), manyDeposits(500, 400));
    for (const std::string ext : {"csv", "geojson", "gpkg"}) {
        INFO("format " << ext);
        const Result r = analyzeInBatches(
            *this, 7,
            {"--deposits", in("bad.geojson").string(), "--hostile", fixture("hostile_square.geojson"),
             "--front", fixture("front_meridian.geojson"), "-o", out("r." + ext).string()});
        CHECK(r.code == 2);
        CHECK(r.err.find("('Deposit 400')") != std::string::npos);
        CHECK(r.err.find("grade 'rich' is not a number") != std::string::npos);
        CHECK(outEntries().empty());
    }
}

TEST_CASE_METHOD(CliFixture,
                 "issue 11: a run whose write fails shows the input's warnings before its error, and no "
                 "partial report",
                 "[cli][stream]") {
    initGdal();
    writeText(in("many.geojson"), manyDeposits(500)); // "NA" countries, repeated names, "Atlantis"
    const std::vector<std::string> layers = {"--deposits", in("many.geojson").string(),
                                             "--hostile",  fixture("hostile_square.geojson"),
                                             "--front",    fixture("front_meridian.geojson")};
    const Result ok = analyzeInBatches(*this, 7, plus(layers, {"-o", out("ok.csv").string()}));
    REQUIRE(ok.code == 0);
    const std::vector<std::string> warnings = lines(ok.err);
    REQUIRE(warnings.size() >= 3);
    for (const auto &w : warnings)
        REQUIRE(w.rfind("orefront analyze: warning: ", 0) == 0);
    // The batches' own (the country values no table resolves) is the last.
    REQUIRE(warnings.back().find("country value(s) are not an ISO 3166 country") != std::string::npos);
    CHECK(ok.err.find("country value 'NA' (") < ok.err.find("deposit names are used more than once"));
    fs::remove(out("ok.csv"));
    for (auto side : {&orefront::exporting::csvTypesPath, &orefront::exporting::csvPrjPath,
                      &orefront::exporting::csvMetadataPath})
        fs::remove(side(out("ok.csv").string()));
    REQUIRE(outEntries().empty());

    SECTION("the report cannot be created: the warnings known before the write, then the error") {
        for (const std::string ext : {"csv", "geojson", "gpkg"}) {
            INFO("format " << ext);
            const fs::path target = out("no_such_dir") / ("r." + ext);
            const Result r = analyzeInBatches(*this, 7, plus(layers, {"-o", target.string()}));
            CHECK(r.code == 4);
            std::vector<std::string> expected(warnings.begin(), warnings.end() - 1);
            expected.push_back(lineStarting(r.err, "orefront analyze: error: "));
            CHECK(lines(r.err) == expected);
            CHECK(r.err.find(out("no_such_dir").string()) != std::string::npos);
            CHECK(r.out.empty());
            CHECK(outEntries().empty());
        }
    }
    SECTION("the report cannot be moved into place: every warning, then the error") {
        fs::create_directories(out("taken.csv") / "inside");
        const Result r = analyzeInBatches(*this, 7, plus(layers, {"-o", out("taken.csv").string()}));
        CHECK(r.code == 4);
        std::vector<std::string> expected = warnings;
        expected.push_back(lineStarting(r.err, "orefront analyze: error: "));
        CHECK(lines(r.err) == expected);
        CHECK(r.out.empty());
        CHECK(outEntries() == std::vector<std::string>{"taken.csv"}); // no temporary file, no sidecar
        CHECK(fs::is_directory(out("taken.csv") / "inside"));
    }
}
