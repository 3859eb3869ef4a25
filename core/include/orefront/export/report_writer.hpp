#pragma once
// Writing the analysis report through GDAL: GeoJSON (RFC 7946, 7 decimals, scenario name,
// date, thresholds and provenance as top-level members), CSV (with .csvt column types, .prj
// and the provenance in REPORT.csv.json) or GeoPackage (provenance as the deposits layer's
// metadata item `orefront_scenario`). Writes to temporary files beside the target and renames
// them, so a failure leaves no partial report.
// A "PG:" target is a PostgreSQL/PostGIS database: the report becomes the table
// ReportInput::table, loaded with COPY into a new table and swapped in, in one transaction
// (readers see the old table or the new one, never a part; a failed run leaves the old one).
// The metadata is the table's comment. Nothing is ever written to a file named after a
// connection string.
#include "orefront/analysis/analysis.hpp"
#include "orefront/export/provenance.hpp"
#include "orefront/model/annotation.hpp"
#include "orefront/model/progress.hpp"
#include "orefront/model/project.hpp"
#include "orefront/rules/rules.hpp"
#include "orefront/rules/what_if.hpp"

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace orefront::exporting {

enum class Format { GeoJson, Csv, Gpkg, Postgres };
// From "geojson", "csv", "gpkg"; or from the output file's extension when `name` is empty;
// Postgres for a "PG:" target (whatever `name` says: that is checked by writeReport).
Format formatFrom(const std::string &name, const std::string &path);

struct ReportInput {
    const model::Scenario *scenario = nullptr;
    const model::Layer *deposits = nullptr;
    const analysis::Measurements *measurements = nullptr;
    const rules::Report *report = nullptr;
    const std::vector<analysis::Ring> *rings = nullptr;   // optional: --with-rings
    const std::vector<LayerProvenance> *layers = nullptr; // optional: the layers in use
    // A "PG:" target's table (--layer), optionally schema-qualified; must pass
    // io::isSqlIdentifier. Unused for files.
    std::string table = "orefront_report";
    // Optional: the annotations, as features of kind "annotation" (GeoJSON: in the one layer,
    // beside the deposits; GeoPackage: layer `annotations`; CSV has no room for them), and the
    // deposit notes, as each deposit's `note`. The changes name the deposits each marked
    // annotation changed the verdict of (`changed_verdicts`).
    const model::AnnotationSet *annotations = nullptr;
    const std::vector<rules::AnnotationVerdictChange> *annotationChanges = nullptr;
    // Optional: the what-if front the report was judged against (analyze --whatif); the
    // metadata then has "whatif": {"name", "description"}.
    const model::WhatIf *whatif = nullptr;
};

// The report's metadata as one JSON object: scenario, date, thresholds, rules, generator,
// orefront_version, layers, jurisdictions, attributions. GeoJSON carries its members at the top
// level, CSV in REPORT.csv.json, GeoPackage as layer metadata.
std::string reportMetadataJson(const ReportInput &in);

// The fields the report adds to each deposit (lower case). A source field of the same name
// (compared case-insensitively) is left out of the report: the analysis's value wins.
const std::vector<std::string> &reportFieldNames();

// Where the sidecars of a CSV report go: REPORT.csvt (column types) and REPORT.prj (the X/Y
// columns' CRS), GDAL's conventions, and REPORT.csv.json (metadata).
std::string csvTypesPath(const std::string &csvPath);
std::string csvPrjPath(const std::string &csvPath);
std::string csvMetadataPath(const std::string &csvPath);

// Throws OutputError on failure (nothing is left at `path`; a PG: target keeps its old table).
// Messages name a PG: target with its password redacted.
void writeReport(const ReportInput &in, const std::string &path, Format format,
                 model::Progress *progress = nullptr);
// `progress` (optional): stage "write", one count per deposit.

// The same report written batch by batch (analyze streams its deposits: README, Streaming
// analyze), byte for byte what writeReport() writes when the batches' verdicts are those of
// in.report. `in` must outlive the stream; in.report is not read, and in.annotationChanges
// must be complete when the stream is made. The constructor creates the temporary file (or a
// PG: target's new table) with everything but the deposit rows; append() adds the rows of
// deposits [first, first + batch.deposits.size()) of in.deposits, their verdicts in `batch`,
// in order, no gap; finish() completes the report and moves it into place. Destroyed
// unfinished (an error in batch k), it leaves nothing at `path` (a PG: target keeps its old
// table). Throws OutputError as writeReport() does. One thread.
class ReportStream {
public:
    ReportStream(const ReportInput &in, const std::string &path, Format format,
                 model::Progress *progress = nullptr);
    ~ReportStream();
    ReportStream(const ReportStream &) = delete;
    ReportStream &operator=(const ReportStream &) = delete;
    void append(std::size_t first, const rules::Report &batch);
    void finish();

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

namespace detail {
// A CSV report written row by row through OGR's CSV driver, as before the direct writer that
// writeReport uses for point deposits (tests compare the two byte for byte). No sidecars moved:
// writes `path`, `path` .csvt and .prj only.
void writeCsvThroughOgr(const ReportInput &in, const std::string &path);
// A GeoPackage report written feature by feature through OGR's GeoPackage driver, as before the
// direct SQLite rows that writeReport uses for point deposits (tests compare the two through GDAL).
void writeGpkgThroughOgr(const ReportInput &in, const std::string &path);
} // namespace detail

} // namespace orefront::exporting
