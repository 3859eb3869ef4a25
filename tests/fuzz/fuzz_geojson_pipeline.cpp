// libFuzzer target: an arbitrary GeoJSON through the whole pipeline to a report, as
// `orefront analyze` runs it (cli::runAnalyze: load, reproject, repair, measure, rules, write).
// The input is written to /vsimem/; the other layers are small fixed ones, also in /vsimem/.
// The first byte chooses the input's role (b % 3: deposits, hostile, front) and the report
// format ((b / 3) % 2: CSV, GeoJSON); the rest is the file.
// Checked properties: the run ends in a report (exit 0) or a typed error (exit 1 to 4) with a
// message; never an internal error (exit 5), a crash or a sanitizer report; after an error no
// report and no temporary file is left.
#include "fuzz_support.hpp"

#include "orefront/cli/analyze.hpp"
#include "orefront/io/scenario_io.hpp"

#include <cpl_vsi.h>

#include <cstdio>
#include <sstream>

namespace {

namespace fs = std::filesystem;

const char *const kDeposits = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"In","country":"USA","grade_treo_pct":5.0},"geometry":{"type":"Point","coordinates":[36.5,47.5]}},
{"type":"Feature","properties":{"name":"Near","country":"USA","grade_treo_pct":3.5},"geometry":{"type":"Point","coordinates":[37.2,47.5]}},
{"type":"Feature","properties":{"name":"Far","country":"CAN","grade_treo_pct":1.5},"geometry":{"type":"Point","coordinates":[41.0,47.5]}}]})";

const char *const kHostile = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"status":"occupied"},"geometry":{"type":"Polygon","coordinates":[[[36,47],[37,47],[37,48],[36,48],[36,47]]]}}]})";

const char *const kBoundaries = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"iso_a3":"USA"},"geometry":{"type":"Polygon","coordinates":[[[30,44],[38.5,44],[38.5,51],[30,51],[30,44]]]}},
{"type":"Feature","properties":{"iso_a3":"CAN"},"geometry":{"type":"Polygon","coordinates":[[[38.5,44],[45,44],[45,51],[38.5,51],[38.5,44]]]}}]})";

void putVsimem(const std::string &path, const void *data, std::size_t size) {
    VSILFILE *f = VSIFOpenL(path.c_str(), "wb");
    if (!f || VSIFWriteL(data, 1, size, f) != size)
        std::abort();
    VSIFCloseL(f);
}

void putVsimem(const std::string &path, const char *text) {
    putVsimem(path, text, std::char_traits<char>::length(text));
}

struct Fixtures {
    std::string dir = "/vsimem/orefront-fuzz-" + std::to_string(::getpid());
    Fixtures() {
        orefront::io::initGdal();
        putVsimem(dir + "/deposits.geojson", kDeposits);
        putVsimem(dir + "/hostile.geojson", kHostile);
        putVsimem(dir + "/boundaries.geojson", kBoundaries);
    }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    static const Fixtures fx;
    if (size == 0)
        return 0;
    const std::string input = fx.dir + "/input.geojson";
    putVsimem(input, data + 1, size - 1);

    orefront::cli::AnalyzeOptions o;
    const int role = data[0] % 3;
    o.deposits = role == 0 ? input : fx.dir + "/deposits.geojson";
    o.hostile = {role == 1 ? input : fx.dir + "/hostile.geojson"};
    if (role == 2)
        o.front = {input};
    o.boundaries = fx.dir + "/boundaries.geojson";
    const fs::path report =
        orefront::fuzz::scratchDir() / ((data[0] / 3) % 2 ? "report.geojson" : "report.csv");
    o.output = report.string();
    o.quiet = true;
    o.threads = 1;

    std::ostringstream out, err;
    const int rc = orefront::cli::runAnalyze(o, out, err);
    VSIUnlink(input.c_str());
    if (rc == orefront::cli::kInternal || rc < 0 || rc > orefront::cli::kInternal ||
        (rc != orefront::cli::kOk && err.str().empty())) {
        std::fprintf(stderr, "exit %d: %s\n", rc, err.str().c_str());
        std::abort();
    }
    const bool left = !fs::is_empty(orefront::fuzz::scratchDir());
    if (rc != orefront::cli::kOk && left) {
        std::fprintf(stderr, "exit %d left output behind: %s\n", rc, err.str().c_str());
        std::abort();
    }
    std::error_code ec;
    for (const auto &e : fs::directory_iterator(orefront::fuzz::scratchDir()))
        fs::remove_all(e.path(), ec);
    return 0;
}
