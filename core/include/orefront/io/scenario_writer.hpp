#pragma once
// Writing a scenario back to TOML, in the form io::loadScenario reads (the viewer's
// "Save scenario as..."). Thread rules: touches only the file it writes; any thread.
#include "orefront/model/scenario.hpp"

#include <string>

namespace orefront::io {

// The TOML text of `scenario`, as if written to a file in directory `targetDir`: file
// sources (relative to scenario.baseDir) are rewritten relative to `targetDir`; "PG:",
// "/vsi..." and URL sources are kept as they are. Every LayerSpec field is written, one
// line per field, so that loadScenario() of the text gives back the same scenario.
std::string scenarioToToml(const model::Scenario &scenario, const std::string &targetDir);

// Writes scenarioToToml(scenario, directory of `path`) to `path` atomically (a temporary
// file beside it, then a rename): a failed save leaves any existing file intact. Throws
// OutputError naming the file on failure.
void saveScenario(const model::Scenario &scenario, const std::string &path);

} // namespace orefront::io
