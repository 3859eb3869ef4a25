// GeoPackage point tables read through SQLite on several connections (gpkg_fast_reader.hpp).
#include "gpkg_fast_reader.hpp"

#include "gdal_util.hpp"
#include "orefront/model/bulk_allocator.hpp"
#include "orefront/model/error.hpp"
#include "sqlite_util.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <exception>
#include <limits>
#include <thread>

namespace orefront::io::detail {

namespace {

std::string quoteIdentifier(const std::string &name) {
    std::string out = "\"";
    for (char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::optional<GpkgColumn> columnKind(const OGRFieldDefn &d) {
    switch (d.GetType()) {
    case OFTInteger:
        if (d.GetSubType() == OFSTBoolean)
            return GpkgColumn::Boolean;
        return GpkgColumn::Int32;
    case OFTInteger64:
        if (d.GetSubType() == OFSTNone)
            return GpkgColumn::Int64;
        return std::nullopt;
    case OFTReal:
        return GpkgColumn::Real;
    case OFTString:
        return GpkgColumn::Text;
    default: // dates, times, binary, lists: OGR formats them; leave them to it
        return std::nullopt;
    }
}

template <class T> T readAs(const unsigned char *p, bool littleEndian) {
    T v;
    std::memcpy(&v, p, sizeof v);
    if (littleEndian != (std::endian::native == std::endian::little)) {
        unsigned char b[sizeof v];
        std::memcpy(b, &v, sizeof v);
        std::reverse(b, b + sizeof v);
        std::memcpy(&v, b, sizeof v);
    }
    return v;
}

// The point in a GeoPackage geometry blob (GeoPackage 1.3, 2.1.3), or nullopt for an empty one.
// Throws GpkgFastUnsupported for anything but a standard blob holding a WKB point.
struct RawPoint {
    double x, y, z;
};
std::optional<RawPoint> parsePointBlob(const unsigned char *b, int size, std::int64_t fid) {
    auto unsupported = [&](const std::string &why) {
        return GpkgFastUnsupported("feature " + std::to_string(fid) + ": " + why);
    };
    if (size < 8 || b[0] != 'G' || b[1] != 'P')
        throw unsupported("not a standard GeoPackage geometry blob");
    const unsigned flags = b[3];
    if (flags & 0x20)
        throw unsupported("an extended GeoPackage geometry");
    static constexpr int envelopeBytes[] = {0, 32, 48, 48, 64};
    const unsigned envelope = (flags >> 1) & 0x7;
    if (envelope > 4)
        throw unsupported("an invalid envelope indicator in the geometry blob");
    const int header = 8 + envelopeBytes[envelope];
    if (size < header + 5)
        throw unsupported("a truncated geometry blob");
    const unsigned char *wkb = b + header;
    const bool le = wkb[0] == 1;
    if (wkb[0] > 1)
        throw unsupported("a WKB byte order that is neither 0 nor 1");
    const std::uint32_t type = readAs<std::uint32_t>(wkb + 1, le);
    // ISO WKB (1001 Z, 2001 M, 3001 ZM) or the extended-WKB flags OGR accepts too.
    std::uint32_t base = type & 0x0fffffffu;
    int dims = 2 + ((type & 0x80000000u) != 0) + ((type & 0x40000000u) != 0);
    if (base >= 1000 && base < 4000) {
        dims = base >= 3000 ? 4 : 3;
        base %= 1000;
    }
    if (base != 1)
        throw unsupported("a geometry that is not a point (WKB type " + std::to_string(type) + ")");
    if (size < header + 5 + 8 * dims)
        throw unsupported("a truncated WKB point");
    RawPoint p{readAs<double>(wkb + 5, le), readAs<double>(wkb + 13, le), 0.0};
    // Z only when the point has one: M (type 2001) is not a height.
    const bool hasZ = (type & 0x80000000u) || (type >= 1000 && type < 2000) || (type >= 3000 && type < 4000);
    if (hasZ)
        p.z = readAs<double>(wkb + 21, le);
    if (flags & 0x10) // the empty flag: OGR reads POINT EMPTY whatever the WKB says
        return std::nullopt;
    if (std::isnan(p.x) && std::isnan(p.y)) // POINT EMPTY in WKB
        return std::nullopt;
    return p;
}

bool debugReader() {
    const char *v = std::getenv("OREFRONT_DEBUG_READER");
    return v && *v && std::string(v) != "0";
}

} // namespace

std::optional<GpkgTable> describeGpkgTable(GDALDataset &ds, OGRLayer &layer, const std::string &path,
                                           const std::string &subset, const std::string &where,
                                           bool geographic, const OGRCoordinateTransformation *ct,
                                           std::string &whyNot) {
    const auto no = [&](std::string why) -> std::optional<GpkgTable> {
        whyNot = std::move(why);
        return std::nullopt;
    };
    if (!EQUAL(ds.GetDriverName(), "GPKG"))
        return no(std::string("driver ") + ds.GetDriverName() + ", not GPKG");
    if (path.rfind("/vsi", 0) == 0)
        return no("a GDAL virtual file");
    if (!subset.empty())
        return no("a subset (left to OGR's SQL)");
    OGRFeatureDefn *defn = layer.GetLayerDefn();
    if (defn->GetGeomFieldCount() != 1)
        return no(std::to_string(defn->GetGeomFieldCount()) + " geometry columns");
    if (wkbFlatten(defn->GetGeomFieldDefn(0)->GetType()) != wkbPoint)
        return no(std::string("geometry type ") +
                  OGRGeometryTypeToName(defn->GetGeomFieldDefn(0)->GetType()));
    if (!layer.GetFIDColumn() || !*layer.GetFIDColumn())
        return no("no integer primary key");
    GpkgTable t;
    t.path = path;
    t.table = layer.GetName();
    t.fidColumn = layer.GetFIDColumn();
    t.geomColumn = layer.GetGeometryColumn();
    t.where = where;
    t.geographic = geographic;
    t.ct = ct;
    for (int i = 0; i < defn->GetFieldCount(); ++i) {
        const OGRFieldDefn &f = *defn->GetFieldDefn(i);
        const auto kind = columnKind(f);
        if (!kind)
            return no(std::string("field '") + f.GetNameRef() + "' of type " +
                      OGRFieldDefn::GetFieldTypeName(f.GetType()));
        t.columnNames.emplace_back(f.GetNameRef());
        t.columns.push_back(*kind);
    }
    return t;
}

struct GpkgFastReader::Impl {
    const GpkgTable &table;
    SqliteDb db;
    SqliteStatement range;
    std::unique_ptr<OGRCoordinateTransformation> ct;
    model::AttributeRow::Builder row;

    explicit Impl(const GpkgTable &t) : table(t) {
        if (sqlite3_open_v2(t.path.c_str(), &db.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) !=
            SQLITE_OK)
            throw GpkgFastUnsupported("SQLite cannot open the file: " +
                                      std::string(db.db ? sqlite3_errmsg(db.db) : "out of memory"));
        // A view has no rowid b-tree to split, and may compute its geometry: OGR reads it.
        {
            SqliteStatement isTable;
            if (sqlite3_prepare_v2(db.db, "SELECT type FROM sqlite_master WHERE lower(name) = lower(?1)", -1,
                                   &isTable.stmt, nullptr) != SQLITE_OK)
                throw GpkgFastUnsupported(sqlite3_errmsg(db.db));
            sqlite3_bind_text(isTable.stmt, 1, t.table.c_str(), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(isTable.stmt) != SQLITE_ROW ||
                std::strcmp(reinterpret_cast<const char *>(sqlite3_column_text(isTable.stmt, 0)), "table") !=
                    0)
                throw GpkgFastUnsupported("'" + t.table + "' is not a plain table");
        }
        std::string sql = "SELECT " + quoteIdentifier(t.fidColumn) + ", " + quoteIdentifier(t.geomColumn);
        for (const auto &c : t.columnNames)
            sql += ", " + quoteIdentifier(c);
        sql += " FROM " + quoteIdentifier(t.table) + " WHERE " + quoteIdentifier(t.fidColumn) +
               " BETWEEN ?1 AND ?2 ORDER BY " + quoteIdentifier(t.fidColumn);
        if (sqlite3_prepare_v2(db.db, sql.c_str(), -1, &range.stmt, nullptr) != SQLITE_OK)
            throw GpkgFastUnsupported("cannot prepare the read: " + std::string(sqlite3_errmsg(db.db)));
        if (t.ct) {
            ct.reset(t.ct->Clone());
            if (!ct)
                throw GpkgFastUnsupported("the transformation to WGS84 cannot be cloned");
        }
    }

    [[noreturn]] void fail(std::int64_t fid, const std::string &what) const {
        throw InputError(table.where + ", feature " + std::to_string(fid) + ": " + what);
    }

    const QuietGdalErrors *quiet = nullptr; // readRange's, on the reading thread

    model::LonLat point(std::int64_t fid) {
        if (sqlite3_column_type(range.stmt, 1) == SQLITE_NULL)
            fail(fid, "no geometry");
        const auto *blob = static_cast<const unsigned char *>(sqlite3_column_blob(range.stmt, 1));
        const auto raw = parsePointBlob(blob, sqlite3_column_bytes(range.stmt, 1), fid);
        if (!raw)
            fail(fid, "no geometry");
        model::LonLat p{raw->x, raw->y};
        if (table.geographic)
            checkLonLat(p, table.where, fid);
        if (ct) {
            double x = raw->x, y = raw->y, z = raw->z;
            if (!ct->Transform(1, &x, &y, &z))
                fail(fid, "cannot reproject to WGS84: " + quiet->last());
            p = {x, y};
            checkLonLat(p, table.where, fid);
        }
        return p;
    }

    void attributes(std::int64_t fid) {
        row.clear();
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const int col = static_cast<int>(i) + 2;
            if (sqlite3_column_type(range.stmt, col) == SQLITE_NULL) {
                row.addNull();
                continue;
            }
            switch (table.columns[i]) {
            case GpkgColumn::Int32:
                row.addInteger(sqlite3_column_int(range.stmt, col));
                break;
            case GpkgColumn::Int64:
                row.addInteger(sqlite3_column_int64(range.stmt, col));
                break;
            case GpkgColumn::Real:
                row.addReal(sqlite3_column_double(range.stmt, col));
                break;
            case GpkgColumn::Boolean:
                row.addBool(sqlite3_column_int(range.stmt, col) != 0);
                break;
            case GpkgColumn::Text: {
                // Up to the first NUL, as OGR's C string holds it.
                const char *text = reinterpret_cast<const char *>(sqlite3_column_text(range.stmt, col));
                checkUtf8(text ? text : "", table.where, fid, table.columnNames[i]);
                row.addString(text ? text : "");
                break;
            }
            }
        }
    }
};

GpkgFastReader::GpkgFastReader(const GpkgTable &table) : m_impl(std::make_unique<Impl>(table)) {}
GpkgFastReader::~GpkgFastReader() = default;

std::pair<std::int64_t, std::int64_t> GpkgFastReader::rowidBounds() {
    // Two subqueries: SQLite answers a lone min() or max() of the rowid from the B-tree's ends,
    // but "SELECT min(x), max(x)" scans the whole table (0.2 s of serial time at 1M rows).
    const std::string fid = quoteIdentifier(m_impl->table.fidColumn);
    const std::string table = quoteIdentifier(m_impl->table.table);
    const std::string sql =
        "SELECT (SELECT min(" + fid + ") FROM " + table + "), (SELECT max(" + fid + ") FROM " + table + ")";
    SqliteStatement s;
    if (sqlite3_prepare_v2(m_impl->db.db, sql.c_str(), -1, &s.stmt, nullptr) != SQLITE_OK ||
        sqlite3_step(s.stmt) != SQLITE_ROW)
        throw GpkgFastUnsupported("cannot read the rowid range: " +
                                  std::string(sqlite3_errmsg(m_impl->db.db)));
    if (sqlite3_column_type(s.stmt, 0) == SQLITE_NULL)
        return {1, 0};
    return {sqlite3_column_int64(s.stmt, 0), sqlite3_column_int64(s.stmt, 1)};
}

void GpkgFastReader::readRange(std::int64_t firstRowid, std::int64_t lastRowid,
                               std::vector<model::Feature> &out, GpkgReadStats &stats,
                               model::Progress *progress) {
    Impl &r = *m_impl;
    const QuietGdalErrors quiet; // GDAL's messages on this thread go into ours, as on the OGR path
    r.quiet = &quiet;
    sqlite3_reset(r.range.stmt);
    sqlite3_bind_int64(r.range.stmt, 1, firstRowid);
    sqlite3_bind_int64(r.range.stmt, 2, lastRowid);
    constexpr std::uint64_t kProgressStep = 4096; // one shared atomic add per block, not per row
    std::uint64_t pending = 0;
    int rc;
    while ((rc = sqlite3_step(r.range.stmt)) == SQLITE_ROW) {
        const std::int64_t fid = sqlite3_column_int64(r.range.stmt, 0);
        model::Feature f;
        f.fid = fid;
        model::LonLat p = r.point(fid);
        // loadLayer's rule for longitudes beyond ±180°: one shift by 360°.
        if (p.lon > 180.0 || p.lon < -180.0) {
            p.lon += p.lon > 180.0 ? -360.0 : 360.0;
            ++stats.wrapped;
        }
        f.geometry.points.push_back(p);
        r.attributes(fid);
        f.attributes = r.row.finish();
        out.push_back(std::move(f));
        if (++pending == kProgressStep) {
            model::advance(progress, pending);
            pending = 0;
        }
    }
    model::advance(progress, pending);
    if (rc != SQLITE_DONE)
        throw InputError(r.table.where + ": SQLite cannot read the table: " + sqlite3_errmsg(r.db.db));
}

void readGpkgTable(const GpkgTable &table, model::Layer &out, GpkgReadStats &stats, model::Progress *progress,
                   unsigned threads) {
    GpkgFastReader first(table);
    const auto [lo, hi] = first.rowidBounds();
    if (lo > hi)
        return;
    // Ranges of equal rowid span: rowids are dense in nearly every GeoPackage (gaps are deleted
    // rows), so equal spans are near-equal row counts.
    const std::uint64_t span = static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1;
    constexpr std::uint64_t kMinRowsPerRange = 8192; // below that a thread costs more than it saves
    const unsigned n =
        static_cast<unsigned>(std::clamp<std::uint64_t>(span / kMinRowsPerRange, 1, std::max(1u, threads)));
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    for (unsigned i = 0; i < n; ++i) {
        const std::int64_t a = lo + static_cast<std::int64_t>(span * i / n);
        const std::int64_t b = lo + static_cast<std::int64_t>(span * (i + 1) / n) - 1;
        ranges.emplace_back(a, b);
    }
    if (debugReader())
        std::fprintf(stderr, "orefront: %s: read through SQLite, rowids %lld..%lld on %u connection(s)\n",
                     table.where.c_str(), static_cast<long long>(lo), static_cast<long long>(hi), n);

    // Range 0 is read on this thread straight into the layer; the others into their own vectors,
    // appended after, in order.
    std::vector<std::vector<model::Feature>> parts(n - 1);
    std::vector<GpkgReadStats> partStats(n);
    std::vector<std::exception_ptr> errors(n);
    std::vector<std::thread> workers;
    for (unsigned i = 1; i < n; ++i)
        workers.emplace_back([&, i] {
            try {
                GpkgFastReader reader(table);
                parts[i - 1].reserve(static_cast<std::size_t>(ranges[i].second - ranges[i].first + 1));
                model::adviseHugePages(parts[i - 1].data(), parts[i - 1].capacity() * sizeof(model::Feature));
                reader.readRange(ranges[i].first, ranges[i].second, parts[i - 1], partStats[i], progress);
            } catch (...) {
                errors[i] = std::current_exception();
            }
        });
    try {
        first.readRange(ranges[0].first, ranges[0].second, out.features, partStats[0], progress);
    } catch (...) {
        errors[0] = std::current_exception();
    }
    for (auto &w : workers)
        w.join();
    // Anything this reader cannot read sends the whole layer to OGR; otherwise the first error
    // in rowid order is the one OGR's sequential read would have met first.
    for (const auto &e : errors)
        if (e)
            try {
                std::rethrow_exception(e);
            } catch (const GpkgFastUnsupported &) {
                throw;
            } catch (...) {
            }
    for (const auto &e : errors)
        if (e)
            std::rethrow_exception(e);
    for (auto &part : parts) {
        out.features.insert(out.features.end(), std::make_move_iterator(part.begin()),
                            std::make_move_iterator(part.end()));
        std::vector<model::Feature>().swap(part);
    }
    for (const auto &s : partStats)
        stats.wrapped += s.wrapped;
}

} // namespace orefront::io::detail
