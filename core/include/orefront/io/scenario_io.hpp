#pragma once
// Reading scenarios (TOML) and layers (any GDAL vector source) into the model.
// Thread rules: every function opens, reads and closes its own GDAL datasets, so each may
// run on a worker thread; GDALAllRegister() must have been called once (io::initGdal()).
#include "orefront/model/progress.hpp"
#include "orefront/model/project.hpp"
#include "orefront/model/scenario.hpp"
#include "orefront/rules/rules.hpp"

#include <memory>
#include <string>
#include <vector>

namespace orefront::io {

// Registers GDAL drivers and sets PROJ/GDAL options once per process. Idempotent.
void initGdal();

// Parses a scenario TOML file. Throws InputError naming the file and key on bad content.
model::Scenario loadScenario(const std::string &path);

// A scenario with only the defaults (thresholds, the built-in jurisdictions and cut-offs);
// used when the command line gives the layers.
model::Scenario defaultScenario();

// The world boundaries layer the deposits' jurisdictions come from: the project's role =
// "boundaries" layer, or else the bundled Natural Earth admin-0 countries (de jure), read from
// analysis::bundledBoundariesPath(). Throws InputError when neither can be read.
// The facts of the project's deposits for rules::evaluate(): the scenario's cut-offs, and each
// deposit's country from location in boundariesLayer(). The one place the CLI and the viewer
// read them, so that both judge alike. Appends warnings (missing grade fields, ...).
// `boundariesUsed`, when given, receives the boundaries layer the lookup used (the bundled one
// when the scenario has none), for the report's provenance.
std::vector<rules::DepositFacts>
readDepositFacts(const model::Project &project, std::vector<std::string> &warnings,
                 std::shared_ptr<const model::Layer> *boundariesUsed = nullptr);

std::shared_ptr<const model::Layer> boundariesLayer(const model::Project &project,
                                                    std::vector<std::string> &warnings);

// Reads one layer: opens spec.source (relative to baseDir; "|layername=" and "|subset="
// suffixes as in QGIS), reprojects to WGS84 (traditional GIS order), repairs invalid
// polygons with GEOS MakeValid (a warning per feature in `warnings`), drops Z.
// Throws InputError (file, layer and feature named) on a missing/unreadable source, unknown
// layer, empty layer, no CRS, apparently swapped latitude/longitude.
// `progress` (optional): stage "load <id>", one count per feature read.
model::Layer loadLayer(const model::LayerSpec &spec, const std::string &baseDir,
                       std::vector<std::string> &warnings, model::Progress *progress = nullptr);

// Loads every layer of the scenario.
model::Project loadProject(const model::Scenario &scenario, model::Progress *progress = nullptr);

// A source with its secrets hidden, for messages and reports: "password=..." in a PG:
// connection string and the password of "scheme://user:password@host" become "***".
std::string redactSource(const std::string &source);

// The parts of a layer source string, "file.gpkg|layername=deposits|subset=grade > 1" as in
// QGIS: the path (or connection string), the layer name and the OGR SQL attribute filter.
struct SourceParts {
    std::string path;
    std::string layerName;
    std::string subset;
};

// Splits a source string; throws InputError on an unknown "|option" or a NUL character.
// Never touches the file.
SourceParts splitSource(const std::string &source);

// Resolves a source against a base directory, keeping "PG:" and "|..." suffixes intact.
std::string resolveSource(const std::string &source, const std::string &baseDir);

} // namespace orefront::io
