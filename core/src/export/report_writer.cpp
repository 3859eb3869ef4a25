#include "orefront/export/report_writer.hpp"
#include "orefront/analysis/whatif.hpp"

#include "../io/gdal_util.hpp"
#include "../io/sqlite_util.hpp"
#include "orefront/analysis/annotations.hpp"
#include "orefront/io/pg_source.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"
#include "pg_tables.hpp"

#include <gdal_priv.h>
#include <ogr_p.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>
#include <unistd.h>

namespace orefront::exporting {

namespace fs = std::filesystem;
using detail::PgTables;
using io::detail::SqliteDb;
using io::detail::SqliteStatement;

Format formatFrom(const std::string &name, const std::string &path) {
    if (io::isPgSource(path))
        return Format::Postgres;
    std::string n = name;
    if (n.empty()) {
        n = fs::path(path).extension().string();
        if (!n.empty())
            n = n.substr(1);
    }
    std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return std::tolower(c); });
    if (n == "csv")
        return Format::Csv;
    if (n == "gpkg")
        return Format::Gpkg;
    if (n == "geojson" || n == "json" || n.empty())
        return Format::GeoJson;
    throw InputError("unknown report format '" + n + "' (geojson, csv or gpkg)");
}

namespace {

std::string jsonString(const std::string &s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"' || c == '\\')
            out += '\\', out += static_cast<char>(c);
        else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else
            out += static_cast<char>(c);
    }
    return out + "\"";
}

std::string jsonNumber(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.10g", v);
    return buf;
}

std::string jsonBool(bool b) {
    return b ? "true" : "false";
}

std::string jsonOptional(const std::optional<std::string> &s) {
    return s ? jsonString(*s) : "null";
}

// Every field of a jurisdiction entry: adding one to model::Jurisdiction is one line here.
std::string jurisdictionJson(const model::Jurisdiction &j) {
    std::ostringstream o;
    o << "{\"code\": " << jsonString(j.code) << ", \"name\": " << jsonString(j.name)
      << ", \"sanctioned\": " << jsonBool(j.sanctioned)
      << ", \"property_rights_risk\": " << jsonBool(j.propertyRightsRisk)
      << ", \"grid\": " << jsonString(j.grid) << ", \"processing_access\": " << jsonBool(j.processingAccess)
      << ", \"reserves_mt\": " << jsonNumber(j.reservesMt) << "}";
    return o.str();
}

std::string layerJson(const LayerProvenance &l) {
    std::ostringstream o;
    o << "{\"id\": " << jsonString(l.id) << ", \"role\": " << jsonString(l.role)
      << ", \"source\": " << jsonString(l.source) << ", \"date\": " << jsonOptional(l.date)
      << ", \"feature_count\": " << l.featureCount << ", \"source_crs\": " << jsonString(l.crs)
      << ", \"attribution\": " << (l.attribution.empty() ? "null" : jsonString(l.attribution)) << "}";
    return o.str();
}

template <class Items, class Fn> std::string jsonList(const Items &items, Fn each) {
    std::string out = "[";
    for (const auto &item : items)
        out += (out.size() > 1 ? ", " : "") + each(item);
    return out + "]";
}

} // namespace

std::string reportMetadataJson(const ReportInput &in) {
    const model::Scenario &s = *in.scenario;
    const model::Thresholds &t = s.thresholds;
    std::ostringstream o;
    std::string rings;
    for (double r : t.ringsKm)
        rings += (rings.empty() ? "" : ", ") + jsonNumber(r);
    o << "{\"scenario\": " << jsonString(s.name) << ", \"date\": " << (s.date ? jsonString(*s.date) : "null")
      << ", \"thresholds\": {\"grade_cutoff_pct\": " << jsonNumber(t.gradeCutoffPct)
      << ", \"standoff_km\": " << jsonNumber(t.standoffKm) << ", \"rings_km\": [" << rings << "]"
      << ", \"max_port_distance_km\": " << jsonNumber(t.maxPortDistanceKm)
      << ", \"max_rail_distance_km\": " << jsonNumber(t.maxRailDistanceKm)
      << ", \"max_power_distance_km\": " << jsonNumber(t.maxPowerDistanceKm)
      << ", \"capex_musd\": " << jsonNumber(t.capexMusd)
      << ", \"basket_price_usd_per_kg\": " << jsonNumber(t.basketPriceUsdPerKg)
      << ", \"recovery_pct\": " << jsonNumber(t.recoveryPct)
      << ", \"capex_cover_ratio\": " << jsonNumber(t.capexCoverRatio)
      << ", \"line_of_contact_km\": " << jsonNumber(t.lineOfContactKm) << "}, \"rules\": {";
    bool first = true;
    for (const auto &[id, def] : rules::ruleCatalogue()) {
        o << (first ? "" : ", ") << jsonString(id) << ": "
          << jsonString(model::severityName(rules::severityOf(s, id)));
        first = false;
    }
    const std::vector<LayerProvenance> none;
    const auto &layers = in.layers ? *in.layers : none;
    o << "}, \"generator\": " << jsonString(std::string("orefront ") + toolVersion())
      << ", \"orefront_version\": " << jsonString(toolVersion())
      << ", \"layers\": " << jsonList(layers, layerJson) << ", \"jurisdictions\": "
      << jsonList(s.jurisdictions, [](const auto &entry) { return jurisdictionJson(entry.second); })
      << ", \"attributions\": " << jsonList(attributions(layers), jsonString);
    if (in.whatif) // analyze --whatif: the front the verdicts were judged against
        o << ", \"whatif\": {\"name\": " << jsonString(in.whatif->name)
          << ", \"description\": " << jsonString(analysis::describeWhatIf(*in.whatif)) << "}";
    o << "}";
    return o.str();
}

const std::vector<std::string> &reportFieldNames() {
    static const std::vector<std::string> names = {
        "verdict",   "reasons",          "occupied",         "contested",         "front_distance_km",
        "ring_km",   "port_distance_km", "rail_distance_km", "power_distance_km", "kind",
        "port_name", "rail_name",        "power_name",       "jurisdiction",      "country_from_location"};
    return names;
}

std::string csvTypesPath(const std::string &csvPath) {
    return fs::path(csvPath).replace_extension(".csvt").string();
}

std::string csvPrjPath(const std::string &csvPath) {
    return fs::path(csvPath).replace_extension(".prj").string();
}

std::string csvMetadataPath(const std::string &csvPath) {
    return csvPath + ".json";
}

namespace {

OGRGeometry *toOgr(const model::Geometry &g) {
    auto polygon = [](const model::Polygon &p) {
        auto *poly = new OGRPolygon();
        for (const auto &r : p.rings) {
            auto *ring = new OGRLinearRing();
            for (const auto &v : r)
                ring->addPoint(v.lon, v.lat);
            ring->closeRings();
            poly->addRingDirectly(ring);
        }
        return poly;
    };
    auto line = [](const model::Path &l) {
        auto *ls = new OGRLineString();
        for (const auto &v : l)
            ls->addPoint(v.lon, v.lat);
        return ls;
    };
    const std::size_t kinds = !g.points.empty() + !g.lines.empty() + !g.polygons.empty();
    if (kinds == 1 && g.points.size() == 1)
        return new OGRPoint(g.points[0].lon, g.points[0].lat);
    if (kinds == 1 && g.lines.size() == 1)
        return line(g.lines[0]);
    if (kinds == 1 && g.polygons.size() == 1)
        return polygon(g.polygons[0]);
    if (kinds == 1 && !g.polygons.empty()) {
        auto *mp = new OGRMultiPolygon();
        for (const auto &p : g.polygons)
            mp->addGeometryDirectly(polygon(p));
        return mp;
    }
    if (kinds == 1 && !g.lines.empty()) {
        auto *ml = new OGRMultiLineString();
        for (const auto &l : g.lines)
            ml->addGeometryDirectly(line(l));
        return ml;
    }
    if (kinds == 1) {
        auto *mp = new OGRMultiPoint();
        for (const auto &p : g.points)
            mp->addGeometryDirectly(new OGRPoint(p.lon, p.lat));
        return mp;
    }
    auto *gc = new OGRGeometryCollection();
    for (const auto &p : g.points)
        gc->addGeometryDirectly(new OGRPoint(p.lon, p.lat));
    for (const auto &l : g.lines)
        gc->addGeometryDirectly(line(l));
    for (const auto &p : g.polygons)
        gc->addGeometryDirectly(polygon(p));
    return gc;
}

// A JSON array of strings, escaped as RFC 8259 requires.
template <class Strings> std::string jsonArray(const Strings &items) {
    std::string out = "[";
    for (const auto &item : items) {
        if (out.size() > 1)
            out += ',';
        out += '"';
        for (const char c : std::string_view(item)) {
            if (c == '"' || c == '\\') {
                out += '\\';
                out += c;
            } else if (static_cast<unsigned char>(c) < 0x20) {
                char esc[8];
                std::snprintf(esc, sizeof esc, "\\u%04x", c);
                out += esc;
            } else {
                out += c;
            }
        }
        out += '"';
    }
    return out + ']';
}

OGRFieldType ogrType(model::FieldType t, OGRFieldSubType *sub) {
    *sub = OFSTNone;
    switch (t) {
    case model::FieldType::Integer:
        return OFTInteger64;
    case model::FieldType::Real:
        return OFTReal;
    case model::FieldType::Boolean:
        *sub = OFSTBoolean;
        return OFTInteger;
    case model::FieldType::StringList:
        return OFTStringList;
    case model::FieldType::String:
        break;
    }
    return OFTString;
}

// Removes the temporary file (and a GeoPackage's sidecars) unless released.
struct TempFile {
    explicit TempFile(std::string p) : path(std::move(p)) {} // clang 14 has no T(args) for aggregates
    TempFile(const TempFile &) = delete;
    TempFile &operator=(const TempFile &) = delete;
    std::string path;
    bool keep = false;
    ~TempFile() {
        if (keep)
            return;
        std::error_code ec;
        for (const char *suffix : {"", "-wal", "-shm", "-journal"})
            fs::remove(path + suffix, ec);
    }
};

class Writer {
public:
    Writer(const ReportInput &in, Format format, model::Progress *progress)
        : m_in(in), m_format(format), m_progress(progress) {}
    // Unfinished (an error in a batch): what is open is closed while GDAL's errors are still
    // captured (m_errors); a PG: table is rolled back.
    ~Writer() {
        m_inserts.clear();
        m_layer = nullptr;
        m_ds.reset();
        m_pg.reset();
    }
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    // A CSV of point deposits: GDAL writes the header and the .csvt/.prj sidecars (a layer with
    // no features), then the rows are appended here in GDAL's own format, byte for byte, at a
    // fraction of the cost of one OGRFeature per row (issue 11: 7.5 s for 1M rows through OGR).
    bool directCsv() const { return m_format == Format::Csv && !m_throughOgr && allPoints(); }
    // A GeoPackage of point deposits: GDAL creates the file, the tables, their fields, metadata,
    // annotations and rings; the deposit rows go in through SQLite's own API, with one prepared
    // statement (issue 11: 7.6 s for 1M rows through OGR, most of it per-feature overhead).
    bool directGpkg() const {
        return m_format == Format::Gpkg && !m_throughOgr && allPoints() && shape().allFinitePoints;
    }
    void throughOgr() { m_throughOgr = true; }

    // The whole report at once: the deposits' rows from m_in.report.
    void write(const std::string &tmp) {
        begin(tmp);
        appendRows(0, *m_in.report);
        finish();
    }

    // The report's file at `tmp` with everything but the deposit rows, which appendRows() adds
    // batch by batch, in order, and finish() completes. What is written before the rows (the
    // direct paths: annotations and rings through GDAL) reads m_in.annotationChanges now.
    void begin(const std::string &tmp) {
        m_tmp = tmp;
        const bool gpkgRows = directGpkg();
        const bool direct = directCsv() || gpkgRows;
        m_direct = direct ? (gpkgRows ? Direct::Gpkg : Direct::Csv) : Direct::None;
        const char *driverName = m_format == Format::GeoJson ? "GeoJSON"
                                 : m_format == Format::Csv   ? "CSV"
                                                             : "GPKG";
        GDALDriver *driver = GetGDALDriverManager()->GetDriverByName(driverName);
        if (!driver)
            throw OutputError(std::string("GDAL has no ") + driverName + " driver");
        // The report goes to a temporary file that is renamed into place only once complete, and
        // removed on failure: SQLite's journal and fsyncs protect nothing here (issue 11). Pages
        // of 64 kB (set before GDAL creates the first table): a sixth less CPU for 1M rows.
        CPLConfigOptionSetter pragmas("OGR_SQLITE_PRAGMA", "page_size=65536,journal_mode=OFF,synchronous=OFF",
                                      true);
        m_ds.reset(driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!m_ds)
            fail("cannot create");
        GDALDataset *ds = m_ds.get();
        const std::string native = reportMetadataJson(m_in);
        CPLStringList options;
        if (m_format == Format::Gpkg) {
            // GDAL 3.6 builds a GeoPackage R-tree ten times slower than it writes the rows
            // (48 s for 1M points here); a report is read whole, so it goes without one.
            options.SetNameValue("SPATIAL_INDEX", "NO");
        } else if (m_format == Format::GeoJson) {
            options.SetNameValue("RFC7946", "YES");
            options.SetNameValue("COORDINATE_PRECISION", "7");
            options.SetNameValue("WRITE_NAME", "NO");
            options.SetNameValue("NATIVE_DATA", native.c_str());
            options.SetNameValue("NATIVE_MEDIA_TYPE", "application/vnd.geo+json");
        } else if (m_format == Format::Csv) {
            options.SetNameValue("GEOMETRY", allPoints() ? "AS_XY" : "AS_WKT");
            // Column types in REPORT.csvt, so that numbers read back as numbers.
            options.SetNameValue("CREATE_CSVT", "YES");
        }
        // A GeoPackage declares its geometry type: Point for all-point deposits, not Unknown.
        m_geometryType = m_format == Format::Gpkg ? commonType() : wkbUnknown;
        OGRSpatialReference wgs84 = lonLatWgs84();
        OGRLayer *layer = ds->CreateLayer("deposits", &wgs84, m_geometryType, options.List());
        if (!layer)
            fail("cannot create the report layer");
        // One transaction: a GeoPackage otherwise commits (and syncs) every feature.
        m_transaction = ds->StartTransaction() == OGRERR_NONE;
        if (m_format == Format::Gpkg)
            layer->SetMetadataItem("orefront_scenario", native.c_str());
        defineFields(*layer);
        m_layer = layer;
        if (direct) {
            m_defn.reset(layer->GetLayerDefn()->Clone());
            m_defn->Reference(); // ours; the scratch feature takes and drops its own
            m_table = layer->GetName();
            m_geomColumn = layer->GetGeometryColumn();
            writeAfterDeposits();
            closeDataset();
            if (gpkgRows)
                beginGpkgRows();
            else
                beginCsvRows();
        }
    }

    // Deposits [first, first + batch.deposits.size()) of the layer, their verdicts in `batch`.
    void appendRows(std::size_t first, const rules::Report &batch) {
        m_batch = &batch;
        m_first = first;
        const std::size_t end = first + batch.deposits.size();
        if (m_direct == Direct::Gpkg)
            appendGpkgRows(first, end);
        else if (m_direct == Direct::Csv)
            appendCsvRows(first, end);
        else
            writeDeposits(*m_layer, first, end); // through OGR, a PG: table's COPY among them
        m_batch = nullptr;
    }

    void finish() {
        if (m_pg) {
            m_pg->commit();
            return;
        }
        if (m_direct == Direct::Gpkg) {
            finishGpkgRows();
        } else if (m_direct == Direct::Csv) {
            finishCsvRows();
        } else {
            writeAfterDeposits();
            closeDataset();
        }
    }

private:
    enum class Direct { None, Csv, Gpkg };

    // The annotations and the rings, and the transaction's commit (GDAL's dataset open).
    void writeAfterDeposits() {
        GDALDataset *ds = m_ds.get();
        OGRLayer *layer = m_layer;
        CPLStringList options; // of the annotations layer, as of the deposits layer
        if (m_format == Format::Gpkg)
            options.SetNameValue("SPATIAL_INDEX", "NO");
        OGRSpatialReference wgs84 = lonLatWgs84();
        if (m_in.annotations && !m_in.annotations->annotations.empty() && m_format != Format::Csv) {
            OGRLayer *annLayer = layer;
            if (m_format == Format::Gpkg) {
                annLayer = ds->CreateLayer("annotations", &wgs84, wkbUnknown, options.List());
                if (!annLayer)
                    fail("cannot create the annotations layer");
                addField(*annLayer, "kind", OFTString);
                addField(*annLayer, "name", OFTString);
            }
            defineAnnotationFields(*annLayer);
            writeAnnotations(*annLayer);
        }
        if (m_in.rings) {
            OGRLayer *ringLayer = layer;
            if (m_format == Format::Gpkg) {
                ringLayer = ds->CreateLayer("range_rings", &wgs84, wkbMultiPolygon, nullptr);
                if (!ringLayer)
                    fail("cannot create the range_rings layer");
                OGRFieldDefn kind("kind", OFTString);
                OGRFieldDefn ring("ring_km", OFTReal);
                ringLayer->CreateField(&kind);
                ringLayer->CreateField(&ring);
            }
            if (m_format != Format::Csv)
                writeRings(*ringLayer);
        }
        if (m_transaction && ds->CommitTransaction() != OGRERR_NONE)
            fail("cannot commit");
    }

    void closeDataset() {
        m_ds->FlushCache();
        m_layer = nullptr;
        m_ds.reset(); // close before the rename; GDAL writes the GeoJSON tail on close
        if (CPLGetLastErrorType() == CE_Failure)
            fail("error while closing");
    }

public:
    // The report as the table `table` of the database `target` ("PG:..."), swapped in whole
    // (PgTables: COPY into a new table, then drop the old one and rename, in one transaction).
    void writePostgres(const std::string &target) {
        beginPostgres(target);
        appendRows(0, *m_in.report);
        finish();
    }

    // A new table, filled by appendRows() and swapped in by finish(); rolled back if unfinished.
    void beginPostgres(const std::string &target) {
        m_where = "report '" + io::redactSource(target) + "', table '" + m_in.table + "'";
        m_pg = std::make_unique<PgTables>(target, m_where);
        CPLStringList options;
        options.SetNameValue("DESCRIPTION", reportMetadataJson(m_in).c_str());
        m_geometryType = commonType();
        OGRSpatialReference wgs84 = lonLatWgs84();
        m_layer = &m_pg->create(m_in.table, &wgs84, m_geometryType, options.List());
        defineFields(*m_layer);
    }

private:
    [[noreturn]] void fail(const std::string &what) const {
        throw OutputError((m_where.empty() ? std::string("report") : m_where) + ": " + what + ": " +
                          m_errors.last());
    }

    static OGRSpatialReference lonLatWgs84() {
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        return wgs84;
    }

    // What the deposits' geometries are, found in one pass and kept: begin() asked four times,
    // each a pass over a million features that missed the caches on the writer's thread.
    struct Shape {
        // The one OGR type every deposit geometry has, or can be promoted to (Polygon and
        // MultiPolygon: MultiPolygon); wkbUnknown when the kinds are mixed.
        OGRwkbGeometryType common = wkbUnknown;
        bool allPoints = true;       // every deposit one point (true for none)
        bool allFinitePoints = true; // every point deposit's coordinates finite
    };
    const Shape &shape() const {
        if (m_shape)
            return *m_shape;
        Shape s;
        OGRwkbGeometryType common = wkbNone;
        bool mixed = false;
        for (const auto &f : m_in.deposits->features) {
            const model::Geometry &g = f.geometry;
            const bool point = g.points.size() == 1 && g.lines.empty() && g.polygons.empty();
            s.allPoints = s.allPoints && point;
            if (point)
                s.allFinitePoints =
                    s.allFinitePoints && std::isfinite(g.points[0].lon) && std::isfinite(g.points[0].lat);
            if (mixed)
                continue;
            const std::size_t kinds = !g.points.empty() + !g.lines.empty() + !g.polygons.empty();
            if (kinds != 1) {
                mixed = true;
                continue;
            }
            OGRwkbGeometryType t = !g.points.empty() ? (g.points.size() == 1 ? wkbPoint : wkbMultiPoint)
                                   : !g.lines.empty()
                                       ? (g.lines.size() == 1 ? wkbLineString : wkbMultiLineString)
                                       : (g.polygons.size() == 1 ? wkbPolygon : wkbMultiPolygon);
            if (common == wkbNone || common == t)
                common = t;
            else if (OGR_GT_GetCollection(common) == t || OGR_GT_GetCollection(t) == common)
                common = OGR_GT_GetCollection(common) == t ? t : common;
            else
                mixed = true;
        }
        s.common = mixed || common == wkbNone ? wkbUnknown : common;
        return *(m_shape = s);
    }
    OGRwkbGeometryType commonType() const { return shape().common; }
    bool allPoints() const { return shape().allPoints; }

    void addField(OGRLayer &layer, const char *name, OGRFieldType type, OGRFieldSubType sub = OFSTNone) {
        OGRFieldDefn def(name, type);
        def.SetSubType(sub);
        if (layer.CreateField(&def) != OGRERR_NONE)
            fail(std::string("cannot create field '") + name + "'");
    }

    void defineFields(OGRLayer &layer) {
        const model::Layer &dep = *m_in.deposits;
        // Fields the analysis writes win over source fields of the same name.
        const auto &names = reportFieldNames();
        const std::set<std::string> ours(names.begin(), names.end());
        for (std::size_t i = 0; i < dep.fields.size(); ++i) {
            std::string lower = dep.fields[i].name;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            if (ours.count(lower) || (m_in.annotations && lower == "note"))
                continue;
            OGRFieldSubType sub;
            OGRFieldType t = ogrType(dep.fields[i].type, &sub);
            if (m_format != Format::GeoJson && t == OFTStringList) {
                t = OFTString;
                sub = m_format == Format::Gpkg || m_format == Format::Postgres ? OFSTJSON : OFSTNone;
            }
            addField(layer, dep.fields[i].name.c_str(), t, sub);
            m_sourceFields.push_back(i);
        }
        if (mixedKinds())
            addField(layer, "kind", OFTString);
        if (m_in.annotations)
            addField(layer, "note", OFTString);
        addField(layer, "verdict", OFTString);
        // GeoJSON: a native array. GeoPackage has no list type (GDAL would write "(3:a,b,c)"),
        // so a JSON array in a text column marked JSON; CSV: codes joined by ';'.
        if (m_format == Format::GeoJson)
            addField(layer, "reasons", OFTStringList);
        else
            addField(layer, "reasons", OFTString,
                     m_format == Format::Gpkg || m_format == Format::Postgres ? OFSTJSON : OFSTNone);
        addField(layer, "occupied", OFTInteger, OFSTBoolean);
        addField(layer, "contested", OFTInteger, OFSTBoolean);
        addField(layer, "front_distance_km", OFTReal);
        addField(layer, "ring_km", OFTReal);
        // The jurisdiction the verdict used (location first) and the boundaries layer's country.
        addField(layer, "jurisdiction", OFTString);
        addField(layer, "country_from_location", OFTString);
        // From the measurement's flags when it set them: analyze lays out the report while the
        // deposits are still being measured. Measurements made otherwise (a test's, a viewer's
        // copy of one deposit) have no flags and are read; measure() never writes a distance to
        // a layer it lacks, so that reading cannot race it.
        const analysis::Measurements &meas = *m_in.measurements;
        auto any = [&](bool measured, auto member) {
            return measured ||
                   std::any_of(meas.perDeposit.begin(), meas.perDeposit.end(),
                               [&](const analysis::Measurement &x) { return (x.*member).has_value(); });
        };
        m_port = any(meas.hasPorts, &analysis::Measurement::portKm);
        m_rail = any(meas.hasRail, &analysis::Measurement::railKm);
        m_power = any(meas.hasPower, &analysis::Measurement::powerKm);
        // The nearest usable one's name beside each distance.
        if (m_port) {
            addField(layer, "port_distance_km", OFTReal);
            addField(layer, "port_name", OFTString);
        }
        if (m_rail) {
            addField(layer, "rail_distance_km", OFTReal);
            addField(layer, "rail_name", OFTString);
        }
        if (m_power) {
            addField(layer, "power_distance_km", OFTReal);
            addField(layer, "power_name", OFTString);
        }
    }

    void setName(OGRFeature &f, int idx, std::uint32_t ref) const {
        if (ref)
            f.SetField(idx, m_in.measurements->name(ref).c_str());
        else
            f.SetFieldNull(idx);
    }

    static void setOptional(OGRFeature &f, int idx, const std::optional<double> &v) {
        if (v)
            f.SetField(idx, std::round(*v * 1000.0) / 1000.0); // metre precision in km
        else
            f.SetFieldNull(idx);
    }

    // The verdict of deposit i, from the batch appendRows() is adding.
    const rules::DepositVerdict &verdictOf(std::size_t i) const { return m_batch->deposits[i - m_first]; }

    void writeDeposits(OGRLayer &layer, std::size_t begin, std::size_t end) {
        const model::Layer &dep = *m_in.deposits;
        // Field indexes once: a lookup by name scans every field for every feature.
        OGRFeatureDefn *defn = layer.GetLayerDefn();
        const int kind = defn->GetFieldIndex("kind"), verdict = defn->GetFieldIndex("verdict"),
                  reasons = defn->GetFieldIndex("reasons"), occupied = defn->GetFieldIndex("occupied"),
                  contested = defn->GetFieldIndex("contested"),
                  front = defn->GetFieldIndex("front_distance_km"), ring = defn->GetFieldIndex("ring_km"),
                  port = defn->GetFieldIndex("port_distance_km"),
                  rail = defn->GetFieldIndex("rail_distance_km"),
                  power = defn->GetFieldIndex("power_distance_km"),
                  portName = defn->GetFieldIndex("port_name"), railName = defn->GetFieldIndex("rail_name"),
                  powerName = defn->GetFieldIndex("power_name"),
                  jurisdiction = defn->GetFieldIndex("jurisdiction"),
                  fromLocation = defn->GetFieldIndex("country_from_location"),
                  note = defn->GetFieldIndex("note");
        // One feature for every row: each row sets or nulls every field a deposit has, and the
        // FID that CreateFeature assigned is cleared, so nothing carries over from the row before.
        OGRFeature f(layer.GetLayerDefn());
        const bool kinds = mixedKinds();
        for (std::size_t i = begin; i < end; ++i) {
            const model::Feature &src = dep.features[i];
            const rules::DepositVerdict &v = verdictOf(i);
            const analysis::Measurement &m = m_in.measurements->perDeposit[i];
            f.SetFID(OGRNullFID);
            int out = 0;
            for (std::size_t fi : m_sourceFields) {
                setValue(f, out++, src.attributes[fi]);
            }
            if (kinds)
                f.SetField(kind, "deposit");
            if (m_in.annotations) {
                const model::DepositNote *n = m_in.annotations->noteFor(v.name);
                if (n)
                    f.SetField(note, n->text.c_str());
                else
                    f.SetFieldNull(note);
            }
            f.SetField(verdict, rules::verdictName(v.verdict));
            if (m_format == Format::Csv) {
                std::string joined;
                for (const auto &r : v.reasons)
                    (joined += joined.empty() ? "" : ";") += r;
                f.SetField(reasons, joined.c_str());
            } else if (m_format == Format::Gpkg || m_format == Format::Postgres) {
                f.SetField(reasons, jsonArray(v.reasons).c_str());
            } else {
                CPLStringList list;
                for (const auto &r : v.reasons)
                    list.AddString(std::string(r).c_str());
                f.SetField(reasons, list.List());
            }
            f.SetField(occupied, m.occupied ? 1 : 0);
            f.SetField(contested, m.contested ? 1 : 0);
            setOptional(f, front, m.frontDistanceKm);
            setOptional(f, ring, v.ringKm);
            for (auto [idx, text] :
                 {std::pair{jurisdiction, &v.jurisdiction}, {fromLocation, &v.countryFromLocation}})
                if (text->empty())
                    f.SetFieldNull(idx);
                else
                    f.SetField(idx, text->c_str());
            if (m_port) {
                setOptional(f, port, m.portKm);
                setName(f, portName, m.portName);
            }
            if (m_rail) {
                setOptional(f, rail, m.railKm);
                setName(f, railName, m.railName);
            }
            if (m_power) {
                setOptional(f, power, m.powerKm);
                setName(f, powerName, m.powerName);
            }
            OGRGeometry *geom = toOgr(src.geometry);
            if (m_geometryType != wkbUnknown && geom->getGeometryType() != m_geometryType)
                geom = OGRGeometryFactory::forceTo(geom, m_geometryType);
            f.SetGeometryDirectly(geom);
            if (layer.CreateFeature(&f) != OGRERR_NONE)
                fail("cannot write feature " + std::to_string(src.fid));
            if ((++m_written & 4095) == 0)
                model::advance(m_progress, 4096);
        }
    }

    // GeoJSON holds deposits, rings and annotations in one layer, told apart by `kind`.
    bool mixedKinds() const {
        return m_format == Format::GeoJson &&
               (m_in.rings || (m_in.annotations && !m_in.annotations->annotations.empty()));
    }

    void defineAnnotationFields(OGRLayer &layer) {
        auto ensure = [&](const char *name, OGRFieldType t, OGRFieldSubType sub = OFSTNone) {
            if (layer.GetLayerDefn()->GetFieldIndex(name) < 0)
                addField(layer, name, t, sub);
        };
        ensure("annotation_id", OFTInteger64);
        ensure("annotation_kind", OFTString);
        ensure("label", OFTString);
        ensure("group", OFTString);
        ensure("author", OFTString);
        ensure("created", OFTString);
        ensure("modified", OFTString);
        ensure("counts_as_hostile", OFTInteger, OFSTBoolean);
        ensure("visible", OFTInteger, OFSTBoolean);
        ensure("stroke", OFTString);
        ensure("fill", OFTString);
        ensure("width_px", OFTReal);
        ensure("text_size_pt", OFTReal);
        ensure("radius_km", OFTReal);
        if (m_format == Format::GeoJson)
            ensure("changed_verdicts", OFTStringList);
        else
            ensure("changed_verdicts", OFTString, OFSTJSON);
    }

    void writeAnnotations(OGRLayer &layer) {
        for (const auto &a : m_in.annotations->annotations) {
            OGRFeature f(layer.GetLayerDefn());
            auto set = [&](const char *name, auto value) {
                const int i = f.GetFieldIndex(name);
                if (i >= 0)
                    f.SetField(i, value);
            };
            set("kind", "annotation");
            set("name", a.label.c_str());
            set("annotation_id", static_cast<GIntBig>(a.id));
            set("annotation_kind", model::annotationKindName(a.kind));
            set("label", a.label.c_str());
            set("group", a.group.c_str());
            set("author", a.author.c_str());
            set("created", a.createdUtc.c_str());
            set("modified", a.modifiedUtc.c_str());
            set("counts_as_hostile", a.countsAsHostile ? 1 : 0);
            set("visible", a.visible ? 1 : 0);
            set("stroke", model::styleColorToHex(a.style.stroke).c_str());
            set("fill", model::styleColorToHex(a.style.fill).c_str());
            set("width_px", static_cast<double>(a.style.widthPx));
            set("text_size_pt", static_cast<double>(a.style.textSizePt));
            if (a.kind == model::AnnotationKind::RangeCircle)
                set("radius_km", a.radiusKm);
            std::vector<std::string> changed;
            if (m_in.annotationChanges)
                for (const auto &c : *m_in.annotationChanges)
                    if (std::find(c.annotationIds.begin(), c.annotationIds.end(), a.id) !=
                        c.annotationIds.end())
                        changed.push_back(c.name + ": " + rules::verdictName(c.before) + " -> " +
                                          rules::verdictName(c.after));
            const int idx = f.GetFieldIndex("changed_verdicts");
            if (m_format == Format::GeoJson) {
                CPLStringList list;
                for (const auto &c : changed)
                    list.AddString(c.c_str());
                f.SetField(idx, list.List());
            } else {
                f.SetField(idx, jsonArray(changed).c_str());
            }
            if (const int r = f.GetFieldIndex("reasons"); r >= 0 && m_format == Format::GeoJson)
                f.SetFieldNull(r);
            // Drawn as the analyst drew it; a range circle as its geodesic polygon.
            const model::Geometry g = analysis::hostileGeometry(a);
            if (!g.empty())
                f.SetGeometryDirectly(toOgr(g));
            if (layer.CreateFeature(&f) != OGRERR_NONE)
                fail("cannot write annotation " + std::to_string(a.id));
        }
    }

    void writeRings(OGRLayer &layer) {
        for (const auto &ring : *m_in.rings) {
            OGRFeature f(layer.GetLayerDefn());
            f.SetField("kind", "range_ring");
            f.SetField("ring_km", ring.km);
            if (m_format == Format::GeoJson)
                f.SetFieldNull(f.GetFieldIndex("reasons"));
            model::Geometry g;
            g.polygons = ring.area.polygons;
            OGRGeometry *geom = toOgr(g);
            if (wkbFlatten(geom->getGeometryType()) == wkbPolygon)
                geom = OGRGeometryFactory::forceToMultiPolygon(geom);
            f.SetGeometryDirectly(geom);
            if (layer.CreateFeature(&f) != OGRERR_NONE)
                fail("cannot write the " + std::to_string(ring.km) + " km ring");
        }
    }

    static void setValue(OGRFeature &f, int idx, const model::Value &v) {
        std::visit(
            [&](const auto &x) {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_same_v<T, std::monostate>)
                    f.SetFieldNull(idx);
                else if constexpr (std::is_same_v<T, std::int64_t>)
                    f.SetField(idx, static_cast<GIntBig>(x));
                else if constexpr (std::is_same_v<T, double>)
                    f.SetField(idx, x);
                else if constexpr (std::is_same_v<T, std::string>)
                    f.SetField(idx, x.c_str());
                else if constexpr (std::is_same_v<T, bool>)
                    f.SetField(idx, x ? 1 : 0);
                else {
                    if (f.GetFieldDefnRef(idx)->GetSubType() == OFSTJSON) {
                        f.SetField(idx, jsonArray(x).c_str());
                    } else if (f.GetFieldDefnRef(idx)->GetType() == OFTStringList) {
                        CPLStringList list;
                        for (const auto &s : x)
                            list.AddString(s.c_str());
                        f.SetField(idx, list.List());
                    } else {
                        f.SetField(idx, model::toString(v).c_str());
                    }
                }
            },
            v);
    }

    // CPLGetValueType() reads a number only from a value that starts, after spaces, with a sign,
    // a dot or a digit: any other first byte is text without the call (and without the
    // NUL-terminated copy it needs). Checked against GDAL on millions of random strings of
    // number-like bytes; the CSV tests compare the whole file with OGR's.
    static bool mayReadAsNumber(std::string_view v) {
        static constexpr auto kStart = [] {
            std::array<bool, 256> t{};
            for (const unsigned char c : std::string_view(" +-.0123456789\t\n\v\f\r"))
                t[c] = true;
            return t;
        }();
        if (v.empty() || !kStart[static_cast<unsigned char>(v[0])])
            return false;
        thread_local std::string text; // NUL-terminated for GDAL, reused
        text.assign(v);
        return CPLGetValueType(text.c_str()) != CPL_VALUE_STRING;
    }

    // GDAL's CSV quoting (STRING_QUOTING=IF_AMBIGUOUS): CPLES_CSV quotes a value holding a
    // delimiter, quote or line break, doubling its quotes; a value that would read back as a
    // number is quoted too.
    static void csvString(std::string &out, std::string_view v) {
        // One pass over the bytes, a table lookup each (find_first_of runs memchr over the set
        // for every byte): bit 1 a byte that makes the value quoted, bit 2 a quote to double.
        static constexpr auto kClass = [] {
            std::array<unsigned char, 256> t{};
            for (const unsigned char c : {',', ';', '\t', '\n', '\r'})
                t[c] = 1;
            t[static_cast<unsigned char>('"')] = 3;
            return t;
        }();
        unsigned bits = 0;
        for (const char c : v)
            bits |= kClass[static_cast<unsigned char>(c)];
        const bool special = bits & 1, quote = bits & 2;
        if (special) {
            out += '"';
            if (!quote)
                out.append(v);
            else
                for (const char c : v)
                    (c == '"' ? out.append("\"\"", 2) : out += c);
            out += '"';
            return;
        }
        const bool ambiguous = mayReadAsNumber(v);
        if (ambiguous)
            out += '"';
        out.append(v);
        if (ambiguous)
            out += '"';
    }

    // printf's %.15g of a finite double into `p` (32 bytes), returning the end, or nullptr where
    // printf's own rounding must decide. The shortest digits that read back as `v` (std::to_chars
    // without a precision: several times faster than with one) are the correctly rounded
    // 15 digits when there are at most 15 of them (DBL_DIG: a 15-digit decimal survives the
    // round trip through a double), and rounded to 15 they are unless the digits past the 15th
    // are exactly a half: a 16-digit midpoint lying between them and `v` would itself read back
    // as `v` and be closer, or shorter, which the shortest digits are not.
    static char *formatG15(char *p, double v) {
        char sci[40];
        const auto r = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
        const char *q = sci;
        if (*q == '-')
            *p++ = *q++;
        char digits[24];
        int nd = 0;
        for (; q < r.ptr && *q != 'e'; ++q)
            if (*q != '.')
                digits[nd++] = *q;
        int exp10 = 0;
        std::from_chars(q + 1 + (q[1] == '+'), r.ptr, exp10);
        if (nd > 15) {
            if (digits[15] == '5' && std::all_of(digits + 16, digits + nd, [](char c) { return c == '0'; }))
                return nullptr; // exactly half way in these digits: not necessarily in `v`
            const bool up = digits[15] >= '5';
            nd = 15;
            if (up) {
                int i = 14;
                for (; i >= 0 && digits[i] == '9'; --i)
                    digits[i] = '0';
                if (i >= 0) {
                    ++digits[i];
                } else {
                    digits[0] = '1';
                    ++exp10;
                }
            }
        }
        while (nd > 1 && digits[nd - 1] == '0')
            --nd;
        if (exp10 >= -4 && exp10 < 15) { // %g's fixed notation, trailing zeros dropped
            if (exp10 < 0) {
                *p++ = '0';
                *p++ = '.';
                for (int i = -1; i > exp10; --i)
                    *p++ = '0';
                p = std::copy(digits, digits + nd, p);
            } else {
                for (int i = 0; i <= exp10; ++i)
                    *p++ = i < nd ? digits[i] : '0';
                if (nd > exp10 + 1) {
                    *p++ = '.';
                    p = std::copy(digits + exp10 + 1, digits + nd, p);
                }
            }
            return p;
        }
        *p++ = digits[0]; // %g's exponent notation: d.ddde+XX, at least two exponent digits
        if (nd > 1) {
            *p++ = '.';
            p = std::copy(digits + 1, digits + nd, p);
        }
        *p++ = 'e';
        *p++ = exp10 < 0 ? '-' : '+';
        const int e = std::abs(exp10);
        if (e < 10)
            *p++ = '0';
        return std::to_chars(p, p + 4, e).ptr;
    }

    // %.15g, in `buf` (40 bytes); returns the end. Subnormals carry fewer than 15 digits of
    // precision (DBL_DIG does not hold): printf's path.
    static char *formatReal(char *buf, double v) {
        if (v == 0 || std::isnormal(v))
            if (char *end = formatG15(buf, v))
                return end;
        return std::to_chars(buf, buf + 40, v, std::chars_format::general, 15).ptr;
    }

    // OGRFeature::GetFieldAsString of a Real field without width: %.15g.
    static void csvReal(std::string &out, double v) {
        char buf[40];
        out.append(buf, formatReal(buf, v));
    }

    // OGRMakeWktCoordinate(x, y, 2) with the space made the delimiter, as the CSV driver writes
    // AS_XY: "%d %d" when both are integers, else each as OGRFormatDouble (%.15G for |v| >= 1,
    // with ".0" added to an integral one). Values under 1 (fixed notation, trimmed) go through
    // GDAL itself.
    static void csvCoordinates(std::string &out, double x, double y) {
        auto isInt = [](double v) { return v >= INT_MIN && v <= INT_MAX && static_cast<int>(v) == v; };
        auto general = [](double v) { return std::abs(v) >= 1 && std::abs(v) < 1e15; };
        if (isInt(x) && isInt(y)) {
            out += std::to_string(static_cast<int>(x));
            out += ',';
            out += std::to_string(static_cast<int>(y));
            return;
        }
        if (!general(x) || !general(y)) {
            char coord[128];
            OGRMakeWktCoordinate(coord, x, y, 0, 2);
            for (char *c = coord; *c; ++c)
                out += *c == ' ' ? ',' : *c;
            return;
        }
        for (int k = 0; k < 2; ++k) {
            char buf[40];
            char *end = formatReal(buf, k ? y : x);
            out.append(buf, end);
            if (std::find(buf, end, '.') == end && std::find(buf, end, 'e') == end)
                out += ".0";
            if (k == 0)
                out += ',';
        }
    }

    static void csvInteger(std::string &out, long long v) { // numeric, so quoted
        char buf[32];
        buf[0] = '"';
        char *end = std::to_chars(buf + 1, buf + sizeof buf - 1, v).ptr;
        *end++ = '"';
        out.append(buf, end);
    }

    // %.15g of round(km * 1000) / 1000 (metre precision in km), without printf: below 1e15
    // metres the value's decimal k / 1000 has at most 15 significant digits, so %.15g gives it
    // back exactly (DBL_DIG), in fixed notation (1e-3 <= |v| < 1e15), trailing zeros dropped.
    static void csvKm(std::string &out, double km) {
        const double k = std::round(km * 1000.0);
        if (!(std::abs(k) < 1e15)) // NaN and infinities too
            return csvReal(out, k / 1000.0);
        char buf[32];
        char *p = buf;
        if (std::signbit(k)) // -0 too, as printf writes it
            *p++ = '-';
        const auto metres = static_cast<std::uint64_t>(std::abs(k));
        p = std::to_chars(p, buf + sizeof buf, metres / 1000).ptr;
        if (auto frac = static_cast<unsigned>(metres % 1000)) {
            *p++ = '.';
            *p++ = static_cast<char>('0' + frac / 100);
            if ((frac %= 100) != 0) {
                *p++ = static_cast<char>('0' + frac / 10);
                if (frac % 10)
                    *p++ = static_cast<char>('0' + frac % 10);
            }
        }
        out.append(buf, p);
    }

    static void csvOptional(std::string &out, const std::optional<double> &v) {
        if (v)
            csvKm(out, *v);
    }

    void csvName(std::string &out, std::uint32_t ref) const {
        if (ref)
            csvString(out, m_in.measurements->name(ref));
    }

    // A source attribute as GDAL would write it into column `idx` of m_defn, of type `t`: the
    // common cases directly, anything else (a value whose type differs from its column's)
    // through OGR.
    void csvValue(std::string &out, int idx, OGRFieldType t, const model::Value &v,
                  OGRFeature &scratch) const {
        if (std::holds_alternative<std::monostate>(v))
            return;
        if (const auto *i = std::get_if<std::int64_t>(&v); i && t == OFTInteger64)
            return csvInteger(out, static_cast<long long>(*i));
        if (const auto *b = std::get_if<bool>(&v); b && t == OFTInteger)
            return csvInteger(out, *b ? 1 : 0);
        if (const auto *d = std::get_if<double>(&v); d && t == OFTReal && std::isfinite(*d))
            return csvReal(out, *d);
        if (const auto *str = std::get_if<std::string>(&v); str && t == OFTString)
            return csvString(out, *str);
        setValue(scratch, idx, v);
        if (!scratch.IsFieldSetAndNotNull(idx))
            return;
        const char *text = scratch.GetFieldAsString(idx);
        if (t == OFTReal)
            out += text;
        else
            csvString(out, text);
    }

    // Rows [begin, end) of the deposits, formatted into `out`. Reads only: several threads
    // format blocks at once, each with its own `scratch` feature.
    void formatCsvRows(std::size_t begin, std::size_t end, std::string &out, OGRFeature &scratch) const {
        const model::Layer &dep = *m_in.deposits;
        std::string joined;
        std::vector<OGRFieldType> types; // of the source columns, looked up once a block
        for (std::size_t idx = 0; idx < m_sourceFields.size(); ++idx)
            types.push_back(m_defn->GetFieldDefn(static_cast<int>(idx))->GetType());
        for (std::size_t i = begin; i < end; ++i) {
            const model::Feature &src = dep.features[i];
            const rules::DepositVerdict &v = verdictOf(i);
            const analysis::Measurement &m = m_in.measurements->perDeposit[i];
            csvCoordinates(out, src.geometry.points[0].lon, src.geometry.points[0].lat);
            int idx = 0;
            for (std::size_t fi : m_sourceFields) {
                out += ',';
                // A string straight from the feature's packed row: no decoded copy per value.
                const OGRFieldType type = types[static_cast<std::size_t>(idx)];
                if (const auto text = src.attributes.stringAt(fi); text && type == OFTString) {
                    csvString(out, *text);
                    ++idx;
                    continue;
                }
                csvValue(out, idx, type, src.attributes[fi], scratch);
                ++idx;
            }
            if (m_in.annotations) { // the deposit's note, as writeDeposits() writes it
                out += ',';
                if (const model::DepositNote *n = m_in.annotations->noteFor(v.name))
                    csvString(out, n->text);
            }
            out += ',';
            csvString(out, rules::verdictName(v.verdict));
            out += ',';
            joined.clear();
            for (const auto &r : v.reasons)
                (joined += joined.empty() ? "" : ";") += r;
            csvString(out, joined);
            out += ',';
            csvInteger(out, m.occupied ? 1 : 0);
            out += ',';
            csvInteger(out, m.contested ? 1 : 0);
            out += ',';
            csvOptional(out, m.frontDistanceKm);
            out += ',';
            csvOptional(out, v.ringKm);
            out += ',';
            csvString(out, v.jurisdiction);
            out += ',';
            csvString(out, v.countryFromLocation);
            for (auto [present, km, name] : {std::tuple{m_port, &m.portKm, m.portName},
                                             {m_rail, &m.railKm, m.railName},
                                             {m_power, &m.powerKm, m.powerName}}) {
                if (!present)
                    continue;
                out += ',';
                csvOptional(out, *km);
                out += ',';
                csvName(out, name);
            }
            out += '\n';
        }
    }

    // The rows are formatted in blocks, one block per core at a time, and written in order
    // (issue 11: formatting is most of the write, 2.3 s of CPU for 1M rows on one core). While
    // the cores format a round of blocks, this thread writes the round before it (two sets of
    // blocks, kept from batch to batch: their memory is faulted in once, not every batch).
    void beginCsvRows() {
        m_csv.reset(std::fopen(m_tmp.c_str(), "ab"));
        if (!m_csv)
            throw OutputError("report: cannot append to '" + m_tmp + "'");
    }

    void finishCsvRows() {
        writeCsvRound(m_csvRound[m_csvPending]);
        std::FILE *file = m_csv.get();
        if (std::fflush(file) != 0 || std::ferror(file))
            throw OutputError("report: cannot write '" + m_tmp + "'");
        if (std::fclose(m_csv.release()) != 0)
            throw OutputError("report: cannot write '" + m_tmp + "'");
    }

    // A round of formatted blocks and the rows they hold; rows == 0: nothing to write.
    struct CsvRound {
        std::vector<std::string> blocks;
        std::size_t rows = 0;
    };

    // Writes `round`'s blocks in order and empties it; false when a write failed.
    bool writeCsvRoundNoThrow(CsvRound &round) {
        bool ok = true;
        for (std::string &b : round.blocks) {
            ok = ok && (b.empty() || std::fwrite(b.data(), 1, b.size(), m_csv.get()) == b.size());
            b.clear(); // keeps its capacity for the next round
        }
        return ok;
    }

    void writeCsvRound(CsvRound &round) {
        const std::size_t rows = round.rows;
        round.rows = 0;
        if (!writeCsvRoundNoThrow(round))
            throw OutputError("report: cannot write '" + m_tmp + "'");
        model::advance(m_progress, rows);
    }

    void appendCsvRows(std::size_t from, std::size_t n) {
        constexpr std::size_t kBlock = 8192; // rows: about 1.8 MB of text
        const std::size_t workers = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1,
                                                            std::max<std::size_t>(1, (n - from) / kBlock));
        while (m_csvScratch.size() < workers)
            m_csvScratch.push_back(std::make_unique<OGRFeature>(m_defn.get()));
        for (std::size_t round = from; round < n; round += kBlock * workers) {
            CsvRound &next = m_csvRound[m_csvPending ^ 1];
            if (next.blocks.size() < workers)
                next.blocks.resize(workers);
            next.rows = std::min(n, round + kBlock * workers) - round;
            std::vector<std::exception_ptr> errors(workers);
            auto format = [&](std::size_t w) {
                const std::size_t begin = std::min(n, round + w * kBlock), end = std::min(n, begin + kBlock);
                try {
                    formatCsvRows(begin, end, next.blocks[w], *m_csvScratch[w]);
                } catch (...) {
                    errors[w] = std::current_exception();
                }
            };
            std::vector<std::thread> pool;
            for (std::size_t w = 0; w < workers; ++w)
                pool.emplace_back(format, w);
            CsvRound &previous = m_csvRound[m_csvPending];
            const std::size_t written = previous.rows;
            previous.rows = 0;
            const bool ok = writeCsvRoundNoThrow(previous);
            for (auto &t : pool)
                t.join();
            if (!ok)
                throw OutputError("report: cannot write '" + m_tmp + "'");
            model::advance(m_progress, written);
            for (const auto &e : errors)
                if (e)
                    std::rethrow_exception(e);
            m_csvPending ^= 1;
        }
    }

    // ---------------------------------------------------------------- GeoPackage rows via SQLite

    [[noreturn]] void failSqlite(const std::string &path, sqlite3 *db, const std::string &what) const {
        throw OutputError("report '" + path + "': " + what + ": " +
                          (db ? sqlite3_errmsg(db) : "out of memory"));
    }

    static std::string quoted(const std::string &identifier) {
        std::string out = "\"";
        for (const char c : identifier)
            (c == '"' ? out += "\"\"" : out += c);
        return out + "\"";
    }

    // A source attribute bound as GDAL's GeoPackage driver binds it into column `idx` of m_defn
    // (parameter `param`): the common cases directly, a value of another type than its column's
    // through an OGRFeature, as OGR converts it.
    void bindValue(sqlite3_stmt *st, int param, int idx, const model::Value &v, OGRFeature &scratch) const {
        const OGRFieldType t = m_columnTypes[idx];
        if (std::holds_alternative<std::monostate>(v)) {
            sqlite3_bind_null(st, param);
            return;
        }
        if (const auto *i = std::get_if<std::int64_t>(&v); i && t == OFTInteger64) {
            sqlite3_bind_int64(st, param, *i);
            return;
        }
        if (const auto *b = std::get_if<bool>(&v); b && t == OFTInteger) {
            sqlite3_bind_int(st, param, *b ? 1 : 0);
            return;
        }
        if (const auto *d = std::get_if<double>(&v); d && t == OFTReal) {
            sqlite3_bind_double(st, param, *d);
            return;
        }
        if (const auto *str = std::get_if<std::string>(&v); str && t == OFTString) {
            sqlite3_bind_text(st, param, str->c_str(), -1, SQLITE_TRANSIENT); // v may be a temporary
            return;
        }
        setValue(scratch, idx, v);
        if (!scratch.IsFieldSetAndNotNull(idx))
            sqlite3_bind_null(st, param);
        else if (t == OFTInteger || t == OFTInteger64)
            sqlite3_bind_int64(st, param, scratch.GetFieldAsInteger64(idx));
        else if (t == OFTReal)
            sqlite3_bind_double(st, param, scratch.GetFieldAsDouble(idx));
        else
            sqlite3_bind_text(st, param, scratch.GetFieldAsString(idx), -1, SQLITE_TRANSIENT);
    }

    static void bindOptional(sqlite3_stmt *st, int param, const std::optional<double> &v) {
        if (v)
            sqlite3_bind_double(st, param, std::round(*v * 1000.0) / 1000.0); // metre precision in km
        else
            sqlite3_bind_null(st, param);
    }

    static void bindText(sqlite3_stmt *st, int param, std::string_view text) {
        if (text.empty())
            sqlite3_bind_null(st, param);
        else
            sqlite3_bind_text(st, param, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    }

    void execSql(const std::string &sql) {
        if (sqlite3_exec(m_db.db, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
            failSqlite(m_tmp, m_db.db, "SQL '" + sql.substr(0, 80) + "' failed");
    }
    void prepareSql(const std::string &sql, SqliteStatement &s) {
        if (sqlite3_prepare_v2(m_db.db, sql.c_str(), -1, &s.stmt, nullptr) != SQLITE_OK)
            failSqlite(m_tmp, m_db.db, "cannot prepare '" + sql.substr(0, 80) + "'");
    }

    // The INSERT of `rows` rows at once, prepared once per row count.
    sqlite3_stmt *insertStatement(std::size_t rows) {
        auto &s = m_inserts[rows];
        if (s.stmt)
            return s.stmt;
        const int columns = m_defn->GetFieldCount() + 1;
        std::string sql = "INSERT INTO " + quoted(m_table) + " (" + quoted(m_geomColumn);
        for (int i = 0; i < m_defn->GetFieldCount(); ++i)
            sql += ", " + quoted(m_defn->GetFieldDefn(i)->GetNameRef());
        sql += ") VALUES ";
        std::string row = "(?";
        for (int i = 1; i < columns; ++i)
            row += ",?";
        row += ")";
        for (std::size_t r = 0; r < rows; ++r)
            sql += (r ? "," : "") + row;
        prepareSql(sql, s);
        return s.stmt;
    }

    // The reasons' JSON: a million deposits share a few dozen reason lists, each list's JSON is
    // made once.
    const std::string &reasonsJsonOf(const rules::ReasonList &list, std::string &spare) {
        if (m_lastReasons && m_lastReasons->first == list)
            return m_lastReasons->second;
        for (const auto &e : m_distinctReasons)
            if (e.first == list)
                return (m_lastReasons = &e)->second;
        if (m_distinctReasons.size() < 256)
            return (m_lastReasons = &m_distinctReasons.emplace_back(list, jsonArray(list)))->second;
        return spare = jsonArray(list); // beyond 256 lists: made row by row
    }

    // The deposit rows of a GeoPackage that GDAL created with an empty deposits table: one
    // prepared INSERT, bound row by row, in one transaction, the values exactly as writeDeposits()
    // sets them through OGR. GDAL's per-row feature-count triggers are dropped for the insert and
    // recreated after it with the count set once; the layer's extent goes into gpkg_contents, as
    // GDAL writes it on close. Geometries are GeoPackage point blobs as GDAL writes them: header
    // "GP", version 0, flags 1 (little-endian, no envelope), srs_id, then ISO WKB.
    void beginGpkgRows() {
        const std::string &path = m_tmp;
        if (sqlite3_open_v2(path.c_str(), &m_db.db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr) !=
            SQLITE_OK)
            failSqlite(path, m_db.db, "cannot open the GeoPackage GDAL created");
        // The file is a temporary one, renamed into place only when complete: no journal, no syncs.
        // 8 MB of page cache: rows appended in rowid order touch few pages, and the write now runs
        // beside the measurement's indexes (peak RSS; README, Analyze, fourth round).
        execSql("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-8192; BEGIN");
        SqliteStatement q;
        prepareSql(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND lower(tbl_name) = lower(?) "
            "AND name LIKE 'trigger_%_feature_count_%'",
            q);
        sqlite3_bind_text(q.stmt, 1, m_table.c_str(), -1, SQLITE_TRANSIENT);
        std::vector<std::string> names;
        while (sqlite3_step(q.stmt) == SQLITE_ROW) {
            names.emplace_back(reinterpret_cast<const char *>(sqlite3_column_text(q.stmt, 0)));
            m_triggers.emplace_back(reinterpret_cast<const char *>(sqlite3_column_text(q.stmt, 1)));
        }
        for (const auto &name : names)
            execSql("DROP TRIGGER " + quoted(name));
        // Many rows a statement: SQLite's per-statement work (AUTOINCREMENT's sqlite_sequence
        // read and write among it) is paid once per batch, not once per row.
        const int columns = m_defn->GetFieldCount() + 1;
        m_rowsPerInsert = static_cast<std::size_t>(std::max(1, std::min(64, 32766 / columns)));
        const std::int32_t srsId = 4326;
        const std::uint32_t wkbPointType = 1;
        m_blobs.resize(m_rowsPerInsert);
        m_reasonsJson.resize(m_rowsPerInsert);
        for (auto &blob : m_blobs) {
            blob = {'G', 'P', 0, 1};
            std::memcpy(&blob[4], &srsId, 4);
            blob[8] = 1; // WKB little-endian (as the header's flags say; x86 and ARM are)
            std::memcpy(&blob[9], &wkbPointType, 4);
        }
        m_scratch = std::make_unique<OGRFeature>(m_defn.get());
        // Column types once, not one GetFieldDefn() per value (1 % of the writer's time at 1M).
        for (int i = 0; i < m_defn->GetFieldCount(); ++i)
            m_columnTypes.push_back(m_defn->GetFieldDefn(i)->GetType());
    }

    // Rows [begin, end): INSERTs of m_rowsPerInsert rows, the batch's last one shorter.
    void appendGpkgRows(std::size_t begin, std::size_t end) {
        const std::string &path = m_tmp;
        const model::Layer &dep = *m_in.deposits;
        // Parameter of each report column within a row (1 is the geometry): field index + 2.
        auto param = [&](const char *name) { return m_defn->GetFieldIndex(name) + 2; };
        const int columns = m_defn->GetFieldCount() + 1;
        const int verdict = param("verdict"), reasons = param("reasons"), occupied = param("occupied"),
                  contested = param("contested"), front = param("front_distance_km"), ring = param("ring_km"),
                  jurisdiction = param("jurisdiction"), fromLocation = param("country_from_location"),
                  note = param("note");
        const std::array<int, 3> kmParam = {param("port_distance_km"), param("rail_distance_km"),
                                            param("power_distance_km")},
                                 nameParam = {param("port_name"), param("rail_name"), param("power_name")};
        const std::array<bool, 3> present = {m_port, m_rail, m_power};
        OGRFeature &scratch = *m_scratch;
        auto &blobs = m_blobs;
        for (std::size_t first = begin; first < end; first += m_rowsPerInsert) {
            const std::size_t rows = std::min(m_rowsPerInsert, end - first);
            sqlite3_stmt *st = insertStatement(rows);
            for (std::size_t r = 0; r < rows; ++r) {
                const std::size_t i = first + r;
                const int base = static_cast<int>(r) * columns; // parameter k of this row: base + k
                const model::Feature &src = dep.features[i];
                const rules::DepositVerdict &v = verdictOf(i);
                const analysis::Measurement &m = m_in.measurements->perDeposit[i];
                const model::LonLat p = src.geometry.points[0];
                m_extent.expand(p);
                std::memcpy(&blobs[r][13], &p.lon, 8);
                std::memcpy(&blobs[r][21], &p.lat, 8);
                sqlite3_bind_blob(st, base + 1, blobs[r].data(), static_cast<int>(blobs[r].size()),
                                  SQLITE_STATIC);
                // The row's values in one pass; the common cases bound as bindValue() binds them,
                // a string as a view into the feature's row (which outlives the statement's step).
                m_views.resize(src.attributes.size());
                src.attributes.views(m_views.data());
                int idx = 0;
                for (std::size_t fi : m_sourceFields) {
                    using Kind = model::AttributeRow::View::Kind;
                    const model::AttributeRow::View &a = m_views[fi];
                    const OGRFieldType t = m_columnTypes[idx];
                    const int at = base + idx + 2;
                    if (a.kind == Kind::Null)
                        sqlite3_bind_null(st, at);
                    else if (a.kind == Kind::String && t == OFTString)
                        sqlite3_bind_text(st, at, a.text.data(), static_cast<int>(a.text.size()),
                                          SQLITE_STATIC);
                    else if (a.kind == Kind::Integer && t == OFTInteger64)
                        sqlite3_bind_int64(st, at, a.integer);
                    else if (a.kind == Kind::Real && t == OFTReal)
                        sqlite3_bind_double(st, at, a.real);
                    else if (a.kind == Kind::Bool && t == OFTInteger)
                        sqlite3_bind_int(st, at, a.boolean ? 1 : 0);
                    else
                        bindValue(st, at, idx, src.attributes[fi], scratch);
                    ++idx;
                }
                if (m_in.annotations) {
                    const model::DepositNote *dn = m_in.annotations->noteFor(v.name);
                    if (dn)
                        sqlite3_bind_text(st, base + note, dn->text.c_str(), -1, SQLITE_STATIC);
                    else
                        sqlite3_bind_null(st, base + note);
                }
                sqlite3_bind_text(st, base + verdict, rules::verdictName(v.verdict), -1, SQLITE_STATIC);
                const std::string &json = reasonsJsonOf(v.reasons, m_reasonsJson[r]);
                sqlite3_bind_text(st, base + reasons, json.c_str(), static_cast<int>(json.size()),
                                  SQLITE_STATIC);
                sqlite3_bind_int(st, base + occupied, m.occupied ? 1 : 0);
                sqlite3_bind_int(st, base + contested, m.contested ? 1 : 0);
                bindOptional(st, base + front, m.frontDistanceKm);
                bindOptional(st, base + ring, v.ringKm);
                bindText(st, base + jurisdiction, v.jurisdiction);
                bindText(st, base + fromLocation, v.countryFromLocation);
                const std::array<std::optional<double>, 3> km = {m.portKm, m.railKm, m.powerKm};
                const std::array<std::uint32_t, 3> names = {m.portName, m.railName, m.powerName};
                for (std::size_t k = 0; k < 3; ++k) {
                    if (!present[k])
                        continue;
                    bindOptional(st, base + kmParam[k], km[k]);
                    if (names[k])
                        bindText(st, base + nameParam[k], m_in.measurements->name(names[k]));
                    else
                        sqlite3_bind_null(st, base + nameParam[k]);
                }
            }
            if (sqlite3_step(st) != SQLITE_DONE)
                failSqlite(path, m_db.db,
                           "cannot write features " + std::to_string(dep.features[first].fid) + " to " +
                               std::to_string(dep.features[first + rows - 1].fid));
            sqlite3_reset(st);
            m_written += rows;
            model::advance(m_progress, rows);
        }
    }

    void finishGpkgRows() {
        const std::string &path = m_tmp;
        m_inserts.clear();
        for (const auto &t : m_triggers)
            execSql(t);
        {
            SqliteStatement count;
            prepareSql("UPDATE gpkg_ogr_contents SET feature_count = ? WHERE lower(table_name) = lower(?)",
                       count);
            sqlite3_bind_int64(count.stmt, 1, static_cast<sqlite3_int64>(m_written));
            sqlite3_bind_text(count.stmt, 2, m_table.c_str(), -1, SQLITE_TRANSIENT);
            if (sqlite3_step(count.stmt) != SQLITE_DONE)
                failSqlite(path, m_db.db, "cannot update the feature count");
        }
        if (m_written > 0) {
            // Formatted as GDAL formats it (SQLite's %.18g), so that the extent reads back the same.
            std::unique_ptr<char, void (*)(void *)> update(
                sqlite3_mprintf(
                    "UPDATE gpkg_contents SET min_x = %.18g, min_y = %.18g, max_x = %.18g, max_y = "
                    "%.18g, last_change = strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ','now') WHERE "
                    "lower(table_name) = lower('%q')",
                    m_extent.minLon, m_extent.minLat, m_extent.maxLon, m_extent.maxLat, m_table.c_str()),
                sqlite3_free);
            if (!update)
                failSqlite(path, nullptr, "cannot update the layer extent");
            execSql(update.get());
        }
        execSql("COMMIT");
        if (sqlite3_close(m_db.db) != SQLITE_OK)
            failSqlite(path, m_db.db, "cannot close");
        m_db.db = nullptr;
    }

    const ReportInput &m_in;
    Format m_format;
    model::Progress *m_progress;
    bool m_throughOgr = false;
    std::string m_tmp;                      // the file being written
    Direct m_direct = Direct::None;         // the deposit rows go in below GDAL
    GDALDatasetUniquePtr m_ds;              // open between begin() and finish() (OGR rows)
    OGRLayer *m_layer = nullptr;            // the deposits layer of m_ds (or of m_pg)
    bool m_transaction = false;             // m_ds is in one transaction
    std::unique_ptr<PgTables> m_pg;         // a PG: target
    const rules::Report *m_batch = nullptr; // the verdicts appendRows() is writing
    std::size_t m_first = 0;                // the first deposit of m_batch
    std::size_t m_written = 0;              // deposit rows written so far
    std::unique_ptr<std::FILE, int (*)(std::FILE *)> m_csv{nullptr, &std::fclose};
    std::array<CsvRound, 2> m_csvRound; // m_csvRound[m_csvPending]: formatted, not yet written
    int m_csvPending = 0;
    std::vector<std::unique_ptr<OGRFeature>> m_csvScratch; // one per formatting thread
    SqliteDb m_db;
    std::map<std::size_t, SqliteStatement> m_inserts; // by rows per INSERT
    std::vector<std::string> m_triggers;
    std::size_t m_rowsPerInsert = 1;
    std::vector<std::array<unsigned char, 29>> m_blobs; // per row of an INSERT, bound without a copy
    std::vector<std::string> m_reasonsJson;
    std::deque<std::pair<rules::ReasonList, std::string>> m_distinctReasons;
    const std::pair<rules::ReasonList, std::string> *m_lastReasons = nullptr;
    std::unique_ptr<OGRFeature> m_scratch;
    std::vector<OGRFieldType> m_columnTypes;        // of m_defn's fields, for the direct GeoPackage rows
    std::vector<model::AttributeRow::View> m_views; // one row's, reused
    model::BBox m_extent;
    std::unique_ptr<OGRFeatureDefn, void (*)(OGRFeatureDefn *)> m_defn{nullptr, [](OGRFeatureDefn *d) {
                                                                           if (d)
                                                                               d->Release();
                                                                       }};
    std::string m_table, m_geomColumn; // the deposits table, for the direct GeoPackage rows
    io::detail::QuietGdalErrors m_errors;
    std::string m_where; // "report 'PG:... password=***', table 'x'" for a database target
    std::vector<std::size_t> m_sourceFields;
    bool m_port = false, m_rail = false, m_power = false;
    OGRwkbGeometryType m_geometryType = wkbUnknown;
    mutable std::optional<Shape> m_shape; // shape(), once
};

} // namespace

namespace detail {
void writeCsvThroughOgr(const ReportInput &in, const std::string &path) {
    Writer w(in, Format::Csv, nullptr);
    w.throughOgr();
    w.write(path);
}
void writeGpkgThroughOgr(const ReportInput &in, const std::string &path) {
    Writer w(in, Format::Gpkg, nullptr);
    w.throughOgr();
    w.write(path);
}
} // namespace detail

struct ReportStream::Impl {
    Impl(const ReportInput &in, const std::string &path, Format format, model::Progress *progress)
        : in(in), path(path), format(format), progress(progress) {}
    ReportInput in;
    std::string path;
    Format format;
    model::Progress *progress;
    // The temporary files outlive the writer: it closes what it wrote before they are removed.
    std::optional<TempFile> tmp, types, prj, metadata;
    std::optional<Writer> writer;
    bool finished = false;
};

ReportStream::ReportStream(const ReportInput &in, const std::string &path, Format format,
                           model::Progress *progress)
    : m_impl(std::make_unique<Impl>(in, path, format, progress)) {
    Impl &s = *m_impl;
    s.in.report = nullptr; // the rows' verdicts come with append()
    if (io::isPgSource(path) || format == Format::Postgres) {
        if (!io::isPgSource(path) || format != Format::Postgres)
            throw OutputError("report '" + io::redactSource(path) +
                              "': a database report needs a PG: target, and a PG: target is written as "
                              "a table (no --format)");
        s.writer.emplace(s.in, format, progress);
        s.writer->beginPostgres(path);
        return;
    }
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir))
        throw OutputError("report '" + path + "': directory '" + dir.string() + "' does not exist");
    // GDAL's CSV driver writes a directory unless the name ends in .csv.
    const std::string extension = format == Format::Csv ? ".csv" : target.extension().string();
    s.tmp.emplace(
        (dir / ("." + target.filename().string() + ".tmp" + std::to_string(getpid()) + extension)).string());
    s.types.emplace(csvTypesPath(s.tmp->path));
    s.prj.emplace(csvPrjPath(s.tmp->path));
    s.metadata.emplace(csvMetadataPath(s.tmp->path));
    model::startStage(progress, "write", in.deposits->features.size());
    s.writer.emplace(s.in, format, progress);
    s.writer->begin(s.tmp->path);
}

ReportStream::~ReportStream() = default;

void ReportStream::append(std::size_t first, const rules::Report &batch) {
    m_impl->writer->appendRows(first, batch);
}

void ReportStream::finish() {
    Impl &s = *m_impl;
    if (s.finished)
        return;
    s.finished = true;
    s.writer->finish();
    if (!s.tmp)
        return; // a PG: table, swapped in
    model::finishStage(s.progress);
    const std::string &path = s.path;
    std::vector<std::pair<TempFile *, std::string>> moves;
    // Temporary file -> final name; the sidecars first, the report itself last.
    if (s.format == Format::Csv) {
        std::ofstream json(s.metadata->path, std::ios::binary);
        json << reportMetadataJson(s.in) << "\n";
        json.close();
        if (!json)
            throw OutputError("report '" + path + "': cannot write '" + s.metadata->path + "'");
        if (!fs::exists(s.types->path))
            throw OutputError("report '" + path + "': GDAL wrote no column types file '" + s.types->path +
                              "'");
        moves.emplace_back(&*s.types, csvTypesPath(path));
        if (fs::exists(s.prj->path)) // GDAL writes the X/Y columns' CRS with the .csvt
            moves.emplace_back(&*s.prj, csvPrjPath(path));
        moves.emplace_back(&*s.metadata, csvMetadataPath(path));
    }
    moves.emplace_back(&*s.tmp, path);
    std::vector<std::string> placed;
    for (auto &[file, final] : moves) {
        std::error_code ec;
        fs::rename(file->path, final, ec);
        if (ec) {
            for (const auto &p : placed)
                fs::remove(p, ec);
            throw OutputError("report '" + path + "': cannot move '" + final +
                              "' into place: " + ec.message());
        }
        file->keep = true;
        placed.push_back(final);
    }
}

void writeReport(const ReportInput &in, const std::string &path, Format format, model::Progress *progress) {
    ReportStream stream(in, path, format, progress);
    stream.append(0, *in.report);
    stream.finish();
}

} // namespace orefront::exporting
