#pragma once
// What the bad-input tests share: analyze_bad_input_test.cpp (issue 2) and bad_input_test.cpp
// (issue 11) run the real binary on inputs it must refuse.
#include "cli/cli_support.hpp"

#include <string>
#include <vector>

namespace orefront::clitest {

// The hostile layer every bad deposits input is analysed against.
inline const std::vector<std::string> kHostile = {"--hostile", fixture("hostile_square.geojson")};

// The checks every rejected input shares: its exit code, an error line, no summary, and no
// report nor temporary file left.
inline void checkRejected(const CliFixture &fx, const Result &r, int code = 2) {
    CHECK(r.code == code);
    CHECK_THAT(r.err, Catch::Matchers::Contains("orefront analyze: error: "));
    CHECK(r.out.empty()); // no summary
    CHECK(fx.outEntries().empty());
}

// The error names each of `parts` (the file, the layer, the feature, the value refused).
inline void checkMentions(const Result &r, const std::vector<std::string> &parts) {
    for (const auto &part : parts)
        CHECK_THAT(r.err, Catch::Matchers::Contains(part));
}

} // namespace orefront::clitest
