// HistoryWriter: CSV rows by hand (millions of rows; GDAL's CSV driver is several times
// slower), GeoJSON and GeoPackage through GDAL, a PG: database as tables through PgTables.
#include "orefront/export/history_writer.hpp"

#include "../io/gdal_util.hpp"
#include "orefront/io/pg_source.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"
#include "pg_tables.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <unistd.h>

namespace orefront::exporting {

namespace fs = std::filesystem;

namespace {

enum class Kind { Csv, GeoJson, Gpkg, Postgres };

std::string lower(std::string s) {
    for (auto &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

Kind kindOf(const std::string &path) {
    if (io::isPgSource(path))
        return Kind::Postgres; // never a file, whatever its "extension"
    const std::string ext = lower(fs::path(path).extension().string());
    if (ext == ".csv")
        return Kind::Csv;
    if (ext == ".geojson" || ext == ".json")
        return Kind::GeoJson;
    if (ext == ".gpkg")
        return Kind::Gpkg;
    throw UsageError("-o " + path + ": the history is written as .csv, .geojson, .gpkg or to a PG: database");
}

// "20" for 20, "12.5" for 12.5: ring distances in column names.
std::string kmText(double km) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", km);
    return buf;
}

std::string ringColumn(double km) {
    return "first_in_ring_" + kmText(km) + "km";
}

// A file written under a temporary name beside its final one.
struct Staged {
    std::string final, tmp;
    bool placed = false;
    Staged() = default;
    explicit Staged(const std::string &path) : final(path) {
        const fs::path p(path);
        const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
        if (!fs::is_directory(dir))
            throw OutputError("'" + path + "': directory '" + dir.string() + "' does not exist");
        tmp = (dir /
               ("." + p.filename().string() + ".tmp" + std::to_string(::getpid()) + p.extension().string()))
                  .string();
    }
    void discard() const {
        if (tmp.empty() || placed)
            return;
        std::error_code ec;
        for (const char *suffix : {"", "-wal", "-shm", "-journal"})
            fs::remove(tmp + suffix, ec);
    }
};

class CsvFile {
public:
    explicit CsvFile(const std::string &path) : m_path(path), m_f(std::fopen(path.c_str(), "wb")) {
        if (!m_f)
            throw OutputError("cannot create '" + path + "'");
        std::setvbuf(m_f, nullptr, _IOFBF, 1 << 20);
    }
    ~CsvFile() {
        if (m_f)
            std::fclose(m_f);
    }
    void text(const std::string &s) { std::fwrite(s.data(), 1, s.size(), m_f); }
    // A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
    void field(const std::string &s, bool last = false);
    void number(std::optional<double> v, const char *format, bool last = false) {
        if (v)
            std::fprintf(m_f, format, *v);
        std::fputc(last ? '\n' : ',', m_f);
    }
    void close() {
        const bool bad = std::ferror(m_f) != 0;
        const int rc = std::fclose(m_f);
        m_f = nullptr;
        if (bad || rc != 0)
            throw OutputError("cannot write '" + m_path + "' (disk full?)");
    }

private:
    std::string m_path;
    std::FILE *m_f;
};

// A CSV field: quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string csvField(const std::string &s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string q = "\"";
    for (char c : s)
        q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
}

std::string dateText(const std::optional<model::Date> &d) {
    return d ? d->iso() : std::string();
}

void CsvFile::field(const std::string &s, bool last) {
    text(csvField(s));
    std::fputc(last ? '\n' : ',', m_f);
}

} // namespace

std::string historySummaryPath(const std::string &path) {
    if (kindOf(path) == Kind::Gpkg || kindOf(path) == Kind::Postgres)
        return "";
    const fs::path p(path);
    return (p.parent_path() / (p.stem().string() + "_summary" + p.extension().string())).string();
}

const std::vector<std::string> &historyFieldNames() {
    static const std::vector<std::string> names = {"name",    "date",   "occupied", "front_distance_km",
                                                   "ring_km", "verdict"};
    return names;
}

struct HistoryWriter::Impl {
    Kind kind;
    const model::Layer &deposits;
    std::vector<double> rings;
    std::string where;                    // "history 'OUT'", the source redacted for a database
    std::string target, table;            // a PG: output and its table (--layer)
    std::unique_ptr<detail::PgTables> db; // a PG: output's tables, swapped in by commit()
    Staged rows, summary, areas;
    std::unique_ptr<CsvFile> rowsCsv, areasCsv;
    GDALDatasetUniquePtr rowsDs; // GeoJSON rows, or the GeoPackage
    OGRLayer *rowsLayer = nullptr;
    std::vector<std::pair<std::string, double>> areaRows;
    std::vector<std::string> quotedNames; // CSV rows: each deposit's name as a CSV field
    io::detail::QuietGdalErrors quiet;
    bool committed = false;

    Impl(Kind k, const model::Layer &d, std::vector<double> r) : kind(k), deposits(d), rings(std::move(r)) {}

    [[noreturn]] void fail(const std::string &what) const {
        throw OutputError(where + ": " + what + ": " + quiet.last());
    }

    GDALDatasetUniquePtr create(const std::string &path) const {
        GDALDriver *driver = GetGDALDriverManager()->GetDriverByName(kind == Kind::Gpkg ? "GPKG" : "GeoJSON");
        if (!driver)
            throw OutputError("GDAL has no GeoPackage/GeoJSON driver");
        GDALDatasetUniquePtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds)
            fail("cannot create '" + path + "'");
        return ds;
    }

    // Layer `name` ("history", "summary", "areas") of `ds`; in a database the table `table`,
    // `table`_summary, `table`_areas.
    OGRLayer *createLayer(GDALDataset *ds, const std::string &name, bool points) const {
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        if (db)
            return &db->create(name == "history" ? table : table + "_" + name, &wgs84,
                               points ? wkbPoint : wkbNone);
        OGRLayer *layer =
            ds->CreateLayer(name.c_str(), points ? &wgs84 : nullptr, points ? wkbPoint : wkbNone, nullptr);
        if (!layer)
            fail("cannot create layer '" + name + "'");
        return layer;
    }

    void addField(OGRLayer &layer, const std::string &name, OGRFieldType type,
                  OGRFieldSubType sub = OFSTNone) const {
        OGRFieldDefn f(name.c_str(), type);
        f.SetSubType(sub);
        if (layer.CreateField(&f) != OGRERR_NONE)
            fail("cannot create field '" + name + "'");
    }

    void setPoint(OGRFeature &f, std::size_t i) const {
        const model::LonLat p = deposits.features[i].geometry.anchor();
        OGRPoint pt(p.lon, p.lat);
        f.SetGeometry(&pt);
    }

    static void setDate(OGRFeature &f, const char *field, const std::optional<model::Date> &d) {
        if (d)
            f.SetField(field, d->year(), d->month(), d->day());
        else
            f.SetFieldNull(f.GetFieldIndex(field));
    }
};

HistoryWriter::HistoryWriter(const std::string &path, const std::string &areasCsv,
                             const model::Layer &deposits, const std::vector<double> &ringsKm,
                             const std::string &table)
    : m_impl(std::make_unique<Impl>(kindOf(path), deposits, ringsKm)) {
    Impl &w = *m_impl;
    if (!areasCsv.empty() && lower(fs::path(areasCsv).extension().string()) != ".csv")
        throw UsageError("--areas " + areasCsv + ": the areas are written as CSV (.csv)");
    w.where = "history '" + io::redactSource(path) + "'";
    if (w.kind == Kind::Postgres) {
        w.target = path;
        w.table = table;
        w.where += ", table '" + table + "'";
        w.db = std::make_unique<detail::PgTables>(path, w.where);
    } else
        w.rows = Staged(path);
    if (w.kind != Kind::Gpkg && w.kind != Kind::Postgres)
        w.summary = Staged(historySummaryPath(path));
    if (!areasCsv.empty())
        w.areas = Staged(areasCsv);
    for (const Staged *a : {&w.rows, &w.summary, &w.areas})
        for (const Staged *b : {&w.rows, &w.summary, &w.areas})
            if (a != b && !a->final.empty() && !b->final.empty() &&
                fs::absolute(a->final) == fs::absolute(b->final))
                throw UsageError("'" + a->final + "' would be written twice (choose another --areas)");
    if (w.kind == Kind::Csv) {
        w.rowsCsv = std::make_unique<CsvFile>(w.rows.tmp);
        w.rowsCsv->text("name,date,occupied,front_distance_km,ring_km,verdict\n");
    } else {
        if (w.kind != Kind::Postgres)
            w.rowsDs = w.create(w.rows.tmp);
        w.rowsLayer = w.createLayer(w.rowsDs.get(), "history", true);
        w.addField(*w.rowsLayer, "name", OFTString);
        w.addField(*w.rowsLayer, "date", OFTDate);
        w.addField(*w.rowsLayer, "occupied", OFTInteger, OFSTBoolean);
        w.addField(*w.rowsLayer, "front_distance_km", OFTReal);
        w.addField(*w.rowsLayer, "ring_km", OFTReal);
        w.addField(*w.rowsLayer, "verdict", OFTString);
        if (w.kind == Kind::Gpkg && w.rowsDs->StartTransaction() != OGRERR_NONE)
            w.fail("cannot start a transaction");
    }
}

HistoryWriter::~HistoryWriter() {
    Impl &w = *m_impl;
    w.rowsCsv.reset();
    w.areasCsv.reset();
    w.rowsDs.reset();
    w.db.reset(); // rolls back unless committed
    for (const Staged *s : {&w.rows, &w.summary, &w.areas})
        s->discard();
}

void HistoryWriter::writeDate(const analysis::HistoryDate &d) {
    Impl &w = *m_impl;
    w.areaRows.emplace_back(d.date.iso(), d.occupiedKm2);
    const auto &m = d.measurements->perDeposit;
    const auto &r = d.report->deposits;
    const std::string date = d.date.iso();
    if (w.rowsCsv) {
        // Millions of rows: each line built in one buffer with std::to_chars, names quoted once.
        if (w.quotedNames.size() != m.size()) {
            w.quotedNames.clear();
            for (std::size_t i = 0; i < m.size(); ++i)
                w.quotedNames.push_back(csvField(r[i].name));
        }
        std::string line;
        for (std::size_t i = 0; i < m.size(); ++i) {
            line.assign(w.quotedNames[i]).append(",").append(date).append(m[i].occupied ? ",1," : ",0,");
            char buf[64];
            if (m[i].frontDistanceKm)
                line.append(buf, std::to_chars(buf, buf + sizeof buf, *m[i].frontDistanceKm,
                                               std::chars_format::fixed, 3)
                                     .ptr);
            line.append(",");
            if (r[i].ringKm)
                line.append(buf, std::to_chars(buf, buf + sizeof buf, *r[i].ringKm).ptr);
            line.append(",").append(rules::verdictName(r[i].verdict)).append("\n");
            w.rowsCsv->text(line);
        }
        return;
    }
    OGRFeatureDefn *defn = w.rowsLayer->GetLayerDefn();
    for (std::size_t i = 0; i < m.size(); ++i) {
        OGRFeature f(defn);
        w.setPoint(f, i);
        f.SetField(0, r[i].name.c_str());
        f.SetField(1, d.date.year(), d.date.month(), d.date.day());
        f.SetField(2, m[i].occupied ? 1 : 0);
        if (m[i].frontDistanceKm)
            f.SetField(3, std::round(*m[i].frontDistanceKm * 1000) / 1000);
        else
            f.SetFieldNull(3);
        if (r[i].ringKm)
            f.SetField(4, *r[i].ringKm);
        else
            f.SetFieldNull(4);
        f.SetField(5, rules::verdictName(r[i].verdict));
        if (w.rowsLayer->CreateFeature(&f) != OGRERR_NONE)
            w.fail("cannot write a row");
    }
}

void HistoryWriter::commit(const analysis::HistoryResult &res) {
    Impl &w = *m_impl;
    const auto &per = res.perDeposit;
    // Summary.
    if (w.kind == Kind::Csv) {
        w.rowsCsv->close();
        w.rowsCsv.reset();
        CsvFile s(w.summary.tmp);
        s.text("name");
        for (double km : w.rings)
            s.text("," + ringColumn(km));
        s.text(",first_occupied,days_in_range,last_verdict_change,verdict,trend_km_per_30d\n");
        for (std::size_t i = 0; i < per.size(); ++i) {
            s.field(res.names[i]);
            for (const auto &d : per[i].firstInRing)
                s.field(dateText(d));
            s.field(dateText(per[i].firstOccupied));
            s.text(std::to_string(per[i].daysInRange) + ",");
            s.field(dateText(per[i].lastVerdictChange));
            s.field(rules::verdictName(per[i].verdict));
            s.number(per[i].trendKmPer30Days, "%.3f", true);
        }
        s.close();
    } else {
        GDALDatasetUniquePtr own;
        GDALDataset *ds = w.rowsDs.get();
        if (w.kind == Kind::GeoJson) {
            w.rowsDs.reset(); // closes and flushes the rows file
            own = w.create(w.summary.tmp);
            ds = own.get();
        }
        OGRLayer *layer = w.createLayer(ds, "summary", true);
        w.addField(*layer, "name", OFTString);
        for (double km : w.rings)
            w.addField(*layer, ringColumn(km), OFTDate);
        w.addField(*layer, "first_occupied", OFTDate);
        w.addField(*layer, "days_in_range", OFTInteger);
        w.addField(*layer, "last_verdict_change", OFTDate);
        w.addField(*layer, "verdict", OFTString);
        w.addField(*layer, "trend_km_per_30d", OFTReal);
        for (std::size_t i = 0; i < per.size(); ++i) {
            OGRFeature f(layer->GetLayerDefn());
            w.setPoint(f, i);
            f.SetField("name", res.names[i].c_str());
            for (std::size_t k = 0; k < w.rings.size(); ++k)
                Impl::setDate(f, ringColumn(w.rings[k]).c_str(), per[i].firstInRing[k]);
            Impl::setDate(f, "first_occupied", per[i].firstOccupied);
            f.SetField("days_in_range", static_cast<int>(per[i].daysInRange));
            Impl::setDate(f, "last_verdict_change", per[i].lastVerdictChange);
            f.SetField("verdict", rules::verdictName(per[i].verdict));
            if (per[i].trendKmPer30Days)
                f.SetField("trend_km_per_30d", std::round(*per[i].trendKmPer30Days * 1000) / 1000);
            else
                f.SetFieldNull(f.GetFieldIndex("trend_km_per_30d"));
            if (layer->CreateFeature(&f) != OGRERR_NONE)
                w.fail("cannot write a summary row");
        }
        if (w.kind == Kind::Gpkg || w.kind == Kind::Postgres) {
            OGRLayer *areas = w.createLayer(ds, "areas", false);
            w.addField(*areas, "date", OFTDate);
            w.addField(*areas, "occupied_km2", OFTReal);
            for (const auto &[date, km2] : w.areaRows) {
                OGRFeature f(areas->GetLayerDefn());
                const auto d = *model::Date::parseIso(date);
                f.SetField(0, d.year(), d.month(), d.day());
                f.SetField(1, std::round(km2 * 1000) / 1000);
                if (areas->CreateFeature(&f) != OGRERR_NONE)
                    w.fail("cannot write an area row");
            }
            if (w.kind == Kind::Gpkg && ds->CommitTransaction() != OGRERR_NONE)
                w.fail("cannot commit");
        }
        own.reset();
        w.rowsDs.reset();
    }
    if (!w.areas.final.empty()) {
        CsvFile a(w.areas.tmp);
        a.text("date,occupied_km2\n");
        for (const auto &[date, km2] : w.areaRows) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s,%.3f\n", date.c_str(), km2);
            a.text(buf);
        }
        a.close();
    }
    // Sidecars first, the main file last.
    for (Staged *s : {&w.areas, &w.summary, &w.rows}) {
        if (s->final.empty())
            continue;
        std::error_code ec;
        fs::rename(s->tmp, s->final, ec);
        if (ec) {
            for (const Staged *p : {&w.areas, &w.summary, &w.rows})
                if (p->placed)
                    fs::remove(p->final, ec); // all or nothing
            throw OutputError("cannot move '" + s->final + "' into place: " + ec.message());
        }
        s->placed = true;
    }
    if (w.db) {
        try {
            w.db->commit(); // the tables last: the --areas file is in place, or nothing is
        } catch (...) {
            std::error_code ec;
            if (w.areas.placed)
                fs::remove(w.areas.final, ec);
            throw;
        }
    }
    w.committed = true;
}

std::vector<std::string> HistoryWriter::files() const {
    std::vector<std::string> out;
    const Impl &w = *m_impl;
    if (w.db)
        for (const char *suffix : {"", "_summary", "_areas"})
            out.push_back(io::redactSource(w.target) + ", table " + w.table + suffix);
    for (const Staged *s : {&m_impl->rows, &m_impl->summary, &m_impl->areas})
        if (!s->final.empty())
            out.push_back(s->final);
    return out;
}

} // namespace orefront::exporting
