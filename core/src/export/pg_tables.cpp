#include "pg_tables.hpp"

#include "orefront/io/pg_source.hpp"
#include "orefront/model/error.hpp"

#include <ogrsf_frmts.h>

#include <algorithm>
#include <unistd.h>

namespace orefront::exporting::detail {

// GDAL's PostgreSQL driver loads rows with COPY when PG_USE_COPY is set (ogr2ogr sets it too);
// set on this thread for the write only.
PgTables::UseCopy::UseCopy() : had(CPLGetThreadLocalConfigOption("PG_USE_COPY", nullptr) != nullptr) {
    if (had)
        saved = CPLGetThreadLocalConfigOption("PG_USE_COPY", "");
    CPLSetThreadLocalConfigOption("PG_USE_COPY", "YES");
}

PgTables::UseCopy::~UseCopy() {
    CPLSetThreadLocalConfigOption("PG_USE_COPY", had ? saved.c_str() : nullptr);
}

PgTables::PgTables(const std::string &target, std::string where) : m_where(std::move(where)) {
    const char *const pgOnly[] = {"PostgreSQL", nullptr};
    m_ds.reset(GDALDataset::Open(target.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, pgOnly, nullptr, nullptr));
    if (!m_ds)
        fail("cannot connect");
    if (m_ds->StartTransaction() != OGRERR_NONE)
        fail("cannot start a transaction");
    m_open = true;
}

PgTables::~PgTables() {
    // Until the commit, a failure rolls everything back: the old tables stay as they were.
    if (m_open)
        m_ds->RollbackTransaction();
}

void PgTables::fail(const std::string &what) const {
    throw OutputError(m_where + ": " + what + ": " + m_errors.last());
}

OGRLayer &PgTables::create(const std::string &table, OGRSpatialReference *srs, OGRwkbGeometryType type,
                           CSLConstList options) {
    if (!io::isSqlIdentifier(table))
        throw OutputError(m_where + ": '" + table +
                          "' is not a table name (letters, digits and '_', optionally schema.table; at most "
                          "63 characters a part)");
    Table t;
    t.name = table;
    std::transform(t.name.begin(), t.name.end(), t.name.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    if (const auto dot = t.name.find('.'); dot != std::string::npos) {
        t.schema = t.name.substr(0, dot);
        t.name = t.name.substr(dot + 1);
    }
    for (const Table &other : m_tables)
        if (other.schema == t.schema && other.name == t.name)
            throw OutputError(m_where + ": table '" + table + "' would be written twice");
    if (!m_tables.empty() && m_tables.back().layer->SyncToDisk() != OGRERR_NONE) // ends its COPY
        fail("cannot load the rows of table '" + m_tables.back().name + "'");
    t.fresh = "orefront_new_" + std::to_string(getpid()) + "_" + std::to_string(m_tables.size());
    t.geometry = type != wkbNone;
    CPLStringList all(CSLDuplicate(options), TRUE);
    all.SetNameValue("GEOMETRY_NAME", "geom");
    all.SetNameValue("FID", "fid");
    all.SetNameValue("SPATIAL_INDEX", "NONE"); // built once after the rows, in commit()
    const std::string qualified = t.schema.empty() ? t.fresh : t.schema + "." + t.fresh;
    t.layer = m_ds->CreateLayer(qualified.c_str(), t.geometry ? srs : nullptr, type, all.List());
    if (!t.layer)
        fail("cannot create table '" + table + "'");
    m_tables.push_back(t);
    return *t.layer;
}

void PgTables::commit() {
    if (!m_tables.empty() && m_tables.back().layer->SyncToDisk() != OGRERR_NONE) // ends the COPY
        fail("cannot load the rows of table '" + m_tables.back().name + "'");
    const auto q = [](const std::string &id) { return "\"" + id + "\""; };
    for (const Table &t : m_tables) {
        const std::string prefix = t.schema.empty() ? "" : q(t.schema) + ".";
        std::vector<std::string> statements = {"DROP TABLE IF EXISTS " + prefix + q(t.name)};
        if (t.geometry)
            statements.push_back("CREATE INDEX " + q(t.name + "_geom_idx") + " ON " + prefix + q(t.fresh) +
                                 " USING GIST (geom)");
        statements.insert(
            statements.end(),
            {"ALTER TABLE " + prefix + q(t.fresh) + " RENAME TO " + q(t.name),
             "ALTER INDEX IF EXISTS " + prefix + q(t.fresh + "_pkey") + " RENAME TO " + q(t.name + "_pkey"),
             "ALTER SEQUENCE IF EXISTS " + prefix + q(t.fresh + "_fid_seq") + " RENAME TO " +
                 q(t.name + "_fid_seq"),
             // With the team store's roles (orefront db init): readers may read the table, and it
             // belongs to orefront_editor, so that any editor's next run may replace it.
             "DO $$ BEGIN IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'orefront_reader') THEN "
             "EXECUTE 'GRANT SELECT ON " +
                 prefix + q(t.name) +
                 " TO orefront_reader'; END IF; IF EXISTS (SELECT FROM pg_roles WHERE rolname = "
                 "'orefront_editor') AND pg_has_role('orefront_editor', 'MEMBER') THEN EXECUTE 'ALTER "
                 "TABLE " +
                 prefix + q(t.name) + " OWNER TO orefront_editor'; END IF; END $$"});
        for (const std::string &sql : statements) {
            CPLErrorReset();
            m_ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
            if (CPLGetLastErrorType() >= CE_Failure)
                fail(sql.substr(0, sql.find(' ', 6)) + " failed (table '" + t.name + "')");
        }
    }
    if (m_ds->CommitTransaction() != OGRERR_NONE)
        fail("cannot commit");
    m_open = false;
}

} // namespace orefront::exporting::detail
