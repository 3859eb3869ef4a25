#pragma once
// Reading a GeoPackage point table straight through SQLite's C API, below OGR (issue 11).
//
// OGR's GetNextFeature costs about 2.3 s for a million deposits where SQLite scans the same
// table in 1.3 s, and GDAL 3.6 datasets cannot be shared between threads. This reader opens the
// file read-only on its own SQLite connections and reads rowid ranges on several of them at
// once, producing the model::Layer features the OGR path of loadLayer produces: the same FIDs,
// attribute values (field types, NULLs, UTF-8 bytes), geometry and errors naming file, layer and
// feature. It handles only what it can read exactly: a table (not a view) with an integer
// primary key, one geometry column of points in standard GeoPackage blobs, and integer, real,
// boolean and text fields. loadLayer asks describeGpkgTable() first and falls back to OGR
// otherwise (OREFRONT_DEBUG_READER=1 prints which path a layer took, and why).
//
// Private to core/src/io: the caller owns the GDAL objects it passes in.
#include "orefront/model/layer.hpp"
#include "orefront/model/progress.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

class GDALDataset;
class OGRLayer;
class OGRCoordinateTransformation;
struct sqlite3;
struct sqlite3_stmt;

namespace orefront::io::detail {

// The table is not something this reader reads exactly (a non-point row, a blob that is not a
// standard GeoPackage geometry, ...): the caller reads it through OGR instead.
struct GpkgFastUnsupported : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// How one attribute column is read: as OGR's GeoPackage driver reads a field of that type.
enum class GpkgColumn { Int32, Int64, Real, Boolean, Text };

struct GpkgTable {
    std::string path;  // the .gpkg file
    std::string table; // the feature table
    std::string fidColumn, geomColumn;
    std::vector<std::string> columnNames; // parallel to the layer's fields
    std::vector<GpkgColumn> columns;
    std::string where;      // "file 'x', layer 'y'" for messages
    bool geographic = true; // coordinates checked as lon/lat as read
    // To WGS84, or null when the source is WGS84. Not owned; each reader clones it (a transform
    // is not thread-safe).
    const OGRCoordinateTransformation *ct = nullptr;
};

// The table behind `layer` of `ds`, when this reader handles it; nullopt otherwise, with the
// reason in `whyNot`. `path` is the file as opened, `subset` the source's subset (a subset is
// left to OGR's SQL).
std::optional<GpkgTable> describeGpkgTable(GDALDataset &ds, OGRLayer &layer, const std::string &path,
                                           const std::string &subset, const std::string &where,
                                           bool geographic, const OGRCoordinateTransformation *ct,
                                           std::string &whyNot);

// What a read counted besides the features.
struct GpkgReadStats {
    std::size_t wrapped = 0; // points moved by 360° into [-180, 180] (loadLayer's warning)
};

// One read-only SQLite connection to the table. Not thread-safe: one reader per thread; any
// number of readers may read the same file at once.
class GpkgFastReader {
public:
    // Throws GpkgFastUnsupported when the file cannot be opened or the table read this way.
    explicit GpkgFastReader(const GpkgTable &table);
    ~GpkgFastReader();
    GpkgFastReader(const GpkgFastReader &) = delete;
    GpkgFastReader &operator=(const GpkgFastReader &) = delete;

    // The smallest and largest rowid in the table; first > last when it is empty.
    std::pair<std::int64_t, std::int64_t> rowidBounds();
    // Appends the features whose rowid is in [firstRowid, lastRowid] to `out`, in rowid order (the
    // order OGR reads them in). Throws InputError for a row the OGR path refuses too (no
    // geometry, a coordinate that is not finite or out of range, text that is not UTF-8), naming
    // the feature, and GpkgFastUnsupported for one this reader cannot read. `progress` is
    // advanced as rows are read (may be null).
    void readRange(std::int64_t firstRowid, std::int64_t lastRowid, std::vector<model::Feature> &out,
                   GpkgReadStats &stats, model::Progress *progress = nullptr);
    void readRange(std::int64_t firstRowid, std::int64_t lastRowid, model::Layer &out, GpkgReadStats &stats,
                   model::Progress *progress = nullptr) {
        readRange(firstRowid, lastRowid, out.features, stats, progress);
    }

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

// Reads the whole table into `out.features` on up to `threads` connections over consecutive
// rowid ranges in parallel; the features come out in rowid order. The first error in rowid order
// is thrown, as the OGR path would throw it.
void readGpkgTable(const GpkgTable &table, model::Layer &out, GpkgReadStats &stats, model::Progress *progress,
                   unsigned threads);

} // namespace orefront::io::detail
