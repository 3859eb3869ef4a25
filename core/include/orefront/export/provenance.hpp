#pragma once
// What a report records about how it was made: the tool's version, each layer's source, date,
// feature count and attribution. Pure data and string helpers; no GDAL. Thread-safe.
#include "orefront/model/project.hpp"

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace orefront::exporting {

// This build's version, from CMake's project(orefront VERSION ...): the one place it is set.
const char *toolVersion();

struct LayerProvenance {
    std::string id;
    std::string role;
    std::string source; // as the user wrote it (relative to the scenario), io::redactSource()d
    std::optional<std::string> date;
    std::size_t featureCount = 0;
    std::string crs; // the CRS it was read in, e.g. "EPSG:4326"
    std::string attribution;
};

// One entry per loaded layer, in scenario order. `typedSources` maps a layer id to the source
// as typed on the command line (those layers' specs hold the resolved path); the others use
// the scenario's text.
// `boundaries`: the boundaries layer the jurisdiction lookup used when the project has none of
// its own (the bundled one, io::readDepositFacts), appended as one more layer in use.
std::vector<LayerProvenance> layerProvenance(const model::Project &project,
                                             const std::map<std::string, std::string> &typedSources = {},
                                             const model::Layer *boundaries = nullptr);

// The distinct non-empty attributions of `layers`, in layer order.
std::vector<std::string> attributions(const std::vector<LayerProvenance> &layers);

} // namespace orefront::exporting
