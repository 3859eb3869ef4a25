#pragma once
// Writing the analysis report through GDAL: GeoJSON (RFC 7946, 7 decimals, scenario name,
// date and thresholds as top-level members), CSV or GeoPackage. Writes to a temporary file
// beside the target and renames it, so a failure leaves no partial report.
#include "orefront/analysis/analysis.hpp"
#include "orefront/model/project.hpp"
#include "orefront/rules/rules.hpp"

#include <string>
#include <vector>

namespace orefront::exporting {

enum class Format { GeoJson, Csv, Gpkg };
// From "geojson", "csv", "gpkg"; or from the output file's extension when `name` is empty.
Format formatFrom(const std::string &name, const std::string &path);

struct ReportInput {
    const model::Scenario *scenario = nullptr;
    const model::Layer *deposits = nullptr;
    const analysis::Measurements *measurements = nullptr;
    const rules::Report *report = nullptr;
    const std::vector<analysis::Ring> *rings = nullptr; // optional: --with-rings
};

// Throws OutputError on failure (nothing is left at `path`).
void writeReport(const ReportInput &in, const std::string &path, Format format);

} // namespace orefront::exporting
