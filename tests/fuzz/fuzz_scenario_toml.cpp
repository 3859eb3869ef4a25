// libFuzzer target: the scenario TOML reader, io::loadScenario(), on arbitrary bytes.
// Every input either parses or ends in InputError (the file, line or key named); any other
// exception, a crash or a sanitizer report is a finding.
#include "fuzz_support.hpp"

#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size) {
    static const std::string path = (orefront::fuzz::scratchDir() / "scenario.toml").string();
    orefront::fuzz::writeFile(path, data, size);
    try {
        const orefront::model::Scenario s = orefront::io::loadScenario(path);
        // What the rest of the pipeline relies on: the REE cut-off row exists.
        if (s.cutoffs.empty())
            std::abort();
    } catch (const orefront::InputError &e) {
        if (std::string(e.what()).find(path) == std::string::npos) {
            std::fprintf(stderr, "message does not name the file: %s\n", e.what());
            std::abort();
        }
    }
    return 0;
}
