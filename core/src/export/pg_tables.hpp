#pragma once
// Tables written into a PostgreSQL/PostGIS database ("PG:..."), all or nothing: each table is
// loaded with COPY (GDAL's PG_USE_COPY) into a new table `orefront_new_<pid>_<n>`, and commit()
// swaps every one in (drops the old table, builds the GiST index, renames the new one into
// place), in the one transaction that loaded them. Readers see the old tables or the new ones,
// never a part; a failure, or destruction before commit(), rolls everything back. The report
// (writeReport) and the history (HistoryWriter) write through it.
// Thread rules: one thread (it holds a GDAL dataset); PG_USE_COPY is set on that thread while
// the object lives.
#include "../io/gdal_util.hpp"

#include <gdal_priv.h>

#include <memory>
#include <string>
#include <vector>

namespace orefront::exporting::detail {

class PgTables {
public:
    // Connects to `target` and starts the transaction. `where` names the output in messages
    // and must already be redacted ("report 'PG:... password=***', table 'x'").
    // Throws OutputError.
    PgTables(const std::string &target, std::string where);
    ~PgTables(); // rolls back unless committed
    PgTables(const PgTables &) = delete;
    PgTables &operator=(const PgTables &) = delete;

    // A new, empty table to be swapped in as `table` (io::isSqlIdentifier, optionally
    // schema.table, else OutputError), with the primary key "fid" and, unless `type` is wkbNone,
    // the geometry "geom" in `srs`. `options`: more layer creation options (DESCRIPTION=...).
    // The layer is owned by this object; ends the COPY of the table created before.
    OGRLayer &create(const std::string &table, OGRSpatialReference *srs, OGRwkbGeometryType type,
                     CSLConstList options = nullptr);
    // Ends the last COPY, swaps every table in and commits. Throws OutputError (rolled back).
    void commit();

    [[noreturn]] void fail(const std::string &what) const;

private:
    struct Table {
        std::string schema, name, fresh; // lower case; fresh: the new table's name
        OGRLayer *layer;
        bool geometry;
    };
    // PG_USE_COPY=YES on this thread, the previous value restored on destruction (also when the
    // constructor throws).
    struct UseCopy {
        std::string saved;
        bool had;
        UseCopy();
        ~UseCopy();
    };
    std::string m_where;
    io::detail::QuietGdalErrors m_errors;
    UseCopy m_copy;
    GDALDatasetUniquePtr m_ds;
    std::vector<Table> m_tables;
    bool m_open = false; // a transaction to roll back
};

} // namespace orefront::exporting::detail
