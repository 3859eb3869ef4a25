#include "orefront/export/report_writer.hpp"

#include "../io/gdal_util.hpp"
#include "orefront/model/error.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <set>
#include <sstream>
#include <unistd.h>

namespace orefront::exporting {

namespace fs = std::filesystem;

Format formatFrom(const std::string &name, const std::string &path) {
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

// The scenario members written at the top of the report (GeoJSON foreign members through
// the driver's NATIVE_DATA, GeoPackage layer metadata).
std::string scenarioJson(const model::Scenario &s) {
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
      << ", \"capex_cover_ratio\": " << jsonNumber(t.capexCoverRatio) << "}, \"rules\": {";
    bool first = true;
    for (const auto &[id, def] : rules::ruleCatalogue()) {
        o << (first ? "" : ", ") << jsonString(id) << ": "
          << jsonString(model::severityName(rules::severityOf(s, id)));
        first = false;
    }
    o << "}, \"generator\": \"orefront 0.1.0\"}";
    return o.str();
}

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
    Writer(const ReportInput &in, Format format) : m_in(in), m_format(format) {}

    void write(const std::string &tmp) {
        const char *driverName = m_format == Format::GeoJson ? "GeoJSON"
                                 : m_format == Format::Csv   ? "CSV"
                                                             : "GPKG";
        GDALDriver *driver = GetGDALDriverManager()->GetDriverByName(driverName);
        if (!driver)
            throw OutputError(std::string("GDAL has no ") + driverName + " driver");
        GDALDatasetUniquePtr ds(driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds)
            fail("cannot create");
        OGRSpatialReference wgs84;
        wgs84.importFromEPSG(4326);
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);

        const std::string native = scenarioJson(*m_in.scenario);
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
        }
        OGRLayer *layer = ds->CreateLayer("deposits", &wgs84, wkbUnknown, options.List());
        if (!layer)
            fail("cannot create the report layer");
        // One transaction: a GeoPackage otherwise commits (and syncs) every feature.
        const bool transaction = ds->StartTransaction() == OGRERR_NONE;
        if (m_format == Format::Gpkg)
            layer->SetMetadataItem("orefront_scenario", native.c_str());
        defineFields(*layer);
        writeDeposits(*layer);
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
        if (transaction && ds->CommitTransaction() != OGRERR_NONE)
            fail("cannot commit");
        ds->FlushCache();
        ds.reset(); // close before the rename; GDAL writes the GeoJSON tail on close
        if (CPLGetLastErrorType() == CE_Failure)
            fail("error while closing");
    }

private:
    [[noreturn]] void fail(const std::string &what) const {
        throw OutputError("report: " + what + ": " + m_errors.last());
    }

    bool allPoints() const {
        for (const auto &f : m_in.deposits->features)
            if (f.geometry.points.size() != 1 || !f.geometry.lines.empty() || !f.geometry.polygons.empty())
                return false;
        return true;
    }

    void addField(OGRLayer &layer, const char *name, OGRFieldType type, OGRFieldSubType sub = OFSTNone) {
        OGRFieldDefn def(name, type);
        def.SetSubType(sub);
        if (layer.CreateField(&def) != OGRERR_NONE)
            fail(std::string("cannot create field '") + name + "'");
    }

    void defineFields(OGRLayer &layer) {
        const model::Layer &dep = *m_in.deposits;
        // Fields the analysis writes win over source fields of the same name.
        const std::set<std::string> ours = {
            "verdict",           "reasons", "occupied",         "contested",
            "front_distance_km", "ring_km", "port_distance_km", "rail_distance_km",
            "power_distance_km", "kind",    "jurisdiction",     "country_from_location"};
        for (std::size_t i = 0; i < dep.fields.size(); ++i) {
            std::string lower = dep.fields[i].name;
            std::transform(lower.begin(), lower.end(), lower.begin(),
                           [](unsigned char c) { return std::tolower(c); });
            if (ours.count(lower))
                continue;
            OGRFieldSubType sub;
            OGRFieldType t = ogrType(dep.fields[i].type, &sub);
            if (m_format != Format::GeoJson && t == OFTStringList) {
                t = OFTString;
                sub = m_format == Format::Gpkg ? OFSTJSON : OFSTNone;
            }
            addField(layer, dep.fields[i].name.c_str(), t, sub);
            m_sourceFields.push_back(i);
        }
        if (m_in.rings && m_format == Format::GeoJson)
            addField(layer, "kind", OFTString);
        addField(layer, "verdict", OFTString);
        // GeoJSON: a native array. GeoPackage has no list type (GDAL would write "(3:a,b,c)"),
        // so a JSON array in a text column marked JSON; CSV: codes joined by ';'.
        if (m_format == Format::GeoJson)
            addField(layer, "reasons", OFTStringList);
        else
            addField(layer, "reasons", OFTString, m_format == Format::Gpkg ? OFSTJSON : OFSTNone);
        addField(layer, "occupied", OFTInteger, OFSTBoolean);
        addField(layer, "contested", OFTInteger, OFSTBoolean);
        addField(layer, "front_distance_km", OFTReal);
        addField(layer, "ring_km", OFTReal);
        // The jurisdiction the verdict used (location first) and the boundaries layer's country.
        addField(layer, "jurisdiction", OFTString);
        addField(layer, "country_from_location", OFTString);
        const auto &m = m_in.measurements->perDeposit;
        auto any = [&](auto member) {
            return std::any_of(m.begin(), m.end(),
                               [&](const analysis::Measurement &x) { return (x.*member).has_value(); });
        };
        m_port = any(&analysis::Measurement::portKm);
        m_rail = any(&analysis::Measurement::railKm);
        m_power = any(&analysis::Measurement::powerKm);
        if (m_port)
            addField(layer, "port_distance_km", OFTReal);
        if (m_rail)
            addField(layer, "rail_distance_km", OFTReal);
        if (m_power)
            addField(layer, "power_distance_km", OFTReal);
    }

    static void setOptional(OGRFeature &f, int idx, const std::optional<double> &v) {
        if (v)
            f.SetField(idx, std::round(*v * 1000.0) / 1000.0); // metre precision in km
        else
            f.SetFieldNull(idx);
    }

    void writeDeposits(OGRLayer &layer) {
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
                  jurisdiction = defn->GetFieldIndex("jurisdiction"),
                  fromLocation = defn->GetFieldIndex("country_from_location");
        for (std::size_t i = 0; i < dep.features.size(); ++i) {
            const model::Feature &src = dep.features[i];
            const rules::DepositVerdict &v = m_in.report->deposits[i];
            const analysis::Measurement &m = m_in.measurements->perDeposit[i];
            OGRFeature f(layer.GetLayerDefn());
            int out = 0;
            for (std::size_t fi : m_sourceFields) {
                setValue(f, out++, src.attributes[fi]);
            }
            if (m_in.rings && m_format == Format::GeoJson)
                f.SetField(kind, "deposit");
            f.SetField(verdict, rules::verdictName(v.verdict));
            if (m_format == Format::Csv) {
                std::string joined;
                for (const auto &r : v.reasons)
                    (joined += joined.empty() ? "" : ";") += r;
                f.SetField(reasons, joined.c_str());
            } else if (m_format == Format::Gpkg) {
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
            if (m_port)
                setOptional(f, port, m.portKm);
            if (m_rail)
                setOptional(f, rail, m.railKm);
            if (m_power)
                setOptional(f, power, m.powerKm);
            f.SetGeometryDirectly(toOgr(src.geometry));
            if (layer.CreateFeature(&f) != OGRERR_NONE)
                fail("cannot write feature " + std::to_string(src.fid));
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

    const ReportInput &m_in;
    Format m_format;
    io::detail::QuietGdalErrors m_errors;
    std::vector<std::size_t> m_sourceFields;
    bool m_port = false, m_rail = false, m_power = false;
};

} // namespace

void writeReport(const ReportInput &in, const std::string &path, Format format) {
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    if (!fs::is_directory(dir))
        throw OutputError("report '" + path + "': directory '" + dir.string() + "' does not exist");
    TempFile tmp{(dir / ("." + target.filename().string() + ".tmp" + std::to_string(getpid()) +
                         target.extension().string()))
                     .string()};
    Writer(in, format).write(tmp.path);
    std::error_code ec;
    fs::rename(tmp.path, target, ec);
    if (ec)
        throw OutputError("report '" + path +
                          "': cannot move the finished report into place: " + ec.message());
    tmp.keep = true;
}

} // namespace orefront::exporting
