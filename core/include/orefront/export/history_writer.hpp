#pragma once
// Writing `orefront history`: one row per deposit and date, a per-deposit summary, and the
// occupied area per date. Rows are streamed as each date is measured (memory does not grow
// with the number of dates); everything goes to temporary files that are moved into place
// only by commit(), so a failed run leaves nothing partial behind.
//
// Files, by the extension of the output:
//   .csv      OUT.csv (rows), OUT_summary.csv (summary); areas only with an areas CSV
//   .geojson  OUT.geojson (rows, points), OUT_summary.geojson; areas only with an areas CSV
//   .gpkg     layers "history", "summary" and "areas" in one GeoPackage
//   PG:...    tables TABLE, TABLE_summary and TABLE_areas, loaded with COPY into new tables and
//             swapped in by commit(), in one transaction, as the report is (writeReport); never
//             a file. Messages show the connection string redacted.
// Thread rules: one thread; GDAL datasets are opened and closed on it.
#include "orefront/analysis/history.hpp"

#include <memory>
#include <string>
#include <vector>

namespace orefront::exporting {

// OUT_summary.csv / OUT_summary.geojson beside OUT; "" for a GeoPackage or a PG: database.
std::string historySummaryPath(const std::string &path);

// The row columns, in order: name, date, occupied, front_distance_km, ring_km, verdict.
const std::vector<std::string> &historyFieldNames();

class HistoryWriter {
public:
    // `path`: .csv, .geojson, .gpkg or "PG:..." (UsageError otherwise); `areasCsv`: "" or a
    // .csv path; `table`: a PG: output's table (io::isSqlIdentifier), unused for files.
    // Throws OutputError when the directory does not exist, a file cannot be created, or the
    // database cannot be reached or `table` is no table name.
    HistoryWriter(const std::string &path, const std::string &areasCsv, const model::Layer &deposits,
                  const std::vector<double> &ringsKm, const std::string &table = "orefront_history");
    ~HistoryWriter(); // removes the temporary files (rolls back the tables) unless committed
    HistoryWriter(const HistoryWriter &) = delete;
    HistoryWriter &operator=(const HistoryWriter &) = delete;

    void writeDate(const analysis::HistoryDate &date);
    // Writes the summary and the areas, closes every file and moves them into place (a
    // database: swaps the tables in).
    void commit(const analysis::HistoryResult &result);
    // The final paths written (valid after commit()); a database's tables as
    // "PG:... password=***, table NAME".
    std::vector<std::string> files() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace orefront::exporting
