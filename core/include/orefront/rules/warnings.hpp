#pragma once
// What `orefront analyze` warns of about its input, as text naming the file, layer and
// feature: computed here once, so that the CLI prints the same lines the viewer's Messages
// panel lists. Pure functions of their arguments; any thread.
#include "orefront/model/layer.hpp"
#include "orefront/model/scenario.hpp"
#include "orefront/rules/rules.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace orefront::rules {

// "'Foo' 3, 'Bar' 1": values with their counts, most frequent first.
std::string jurisdictionCounts(const std::map<std::string, int> &counts);

// Names a deposits layer can be misread by: none at all (every deposit would be reported as
// "feature N"), the same name on several deposits (the summary cannot tell them apart), or a
// source field the report replaces with its own.
std::vector<std::string> depositWarnings(const model::Layer &deposits, const model::LayerSpec &spec);

// The country values of `report` that are neither an ISO 3166 country nor in the
// jurisdictions table, with their counts; nullopt when every value was placed.
std::optional<std::string> unresolvedCountriesWarning(const model::Layer &deposits, const Report &report);

} // namespace orefront::rules
