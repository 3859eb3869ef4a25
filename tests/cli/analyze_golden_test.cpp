// Golden summaries: tests/data/cli/golden/<ARGS>.summary.txt holds what `orefront analyze ARGS`
// prints, less its timing and report-path lines. ARGS is encoded in the file name: tokens
// joined by "__", "--flag=value" for a flag with a value, and "small" for the small
// fixture's three layers (--deposits/--hostile/--front). Set OREFRONT_UPDATE_GOLDEN=1 to
// rewrite the files from the current binary (then review the diff).
#include "cli/cli_support.hpp"

using namespace orefront::clitest;

namespace {

std::vector<std::string> argsFromName(const std::string &stem) {
    std::vector<std::string> args;
    std::size_t begin = 0;
    while (begin <= stem.size()) {
        std::size_t end = stem.find("__", begin);
        if (end == std::string::npos)
            end = stem.size();
        const std::string token = stem.substr(begin, end - begin);
        if (token == "small") {
            args = plus(args, smallLayers());
        } else if (const auto eq = token.find('='); eq != std::string::npos) {
            args.push_back(token.substr(0, eq));
            args.push_back(token.substr(eq + 1));
        } else if (!token.empty()) {
            args.push_back(token);
        }
        begin = end + 2;
    }
    return args;
}

// The summary without what changes from run to run.
std::string stable(const std::string &summary) {
    std::string out;
    for (const auto &l : lines(summary))
        if (l.rfind("time: ", 0) != 0 && l.rfind("report: ", 0) != 0)
            out += l + "\n";
    return out;
}

} // namespace

TEST_CASE_METHOD(CliFixture, "analyze ARGS prints the summary in tests/data/cli/golden/ARGS.summary.txt",
                 "[cli]") {
    const fs::path dir = fixture("golden");
    std::vector<fs::path> files;
    for (const auto &e : fs::directory_iterator(dir))
        if (e.path().string().size() > 12 &&
            e.path().string().compare(e.path().string().size() - 12, 12, ".summary.txt") == 0)
            files.push_back(e.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() >= 4);
    const bool update = std::getenv("OREFRONT_UPDATE_GOLDEN") != nullptr;
    for (const auto &file : files) {
        const std::string name = file.filename().string();
        const std::string stem = name.substr(0, name.size() - 12);
        SECTION(stem) {
            const Result r = analyze(plus(argsFromName(stem), {"-o", out("report.geojson").string()}));
            REQUIRE(r.code == 0);
            if (update)
                writeText(file, stable(r.out));
            CHECK(stable(r.out) == readText(file));
        }
    }
}
