// Reading any GDAL vector source into a model::Layer in WGS84.
#include "gdal_util.hpp"
#include "gpkg_fast_reader.hpp"
#include "orefront/geos/geos_context.hpp"
#include "orefront/io/pg_source.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/series_io.hpp"
#include "orefront/model/antimeridian.hpp"
#include "orefront/model/bulk_allocator.hpp"
#include "orefront/model/error.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

namespace orefront::io {

namespace fs = std::filesystem;

void initGdal() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
        // Our model is lon/lat: make every OGRSpatialReference default to GIS axis order.
        CPLSetConfigOption("OSR_DEFAULT_AXIS_MAPPING_STRATEGY", "TRADITIONAL_GIS_ORDER");
    });
}

// "file.gpkg|layername=deposits|subset=grade > 1" as in QGIS.
SourceParts splitSource(const std::string &source) {
    // A TOML string may hold "\u0000": GDAL would read the path only up to it.
    if (const std::size_t nul = source.find('\0'); nul != std::string::npos)
        throw InputError("source '" + redactSource(source.substr(0, nul)) + "': a NUL character at byte " +
                         std::to_string(nul));
    SourceParts out;
    std::size_t bar = source.find('|');
    out.path = source.substr(0, bar);
    while (bar != std::string::npos) {
        std::size_t next = source.find('|', bar + 1);
        std::string part =
            source.substr(bar + 1, next == std::string::npos ? std::string::npos : next - bar - 1);
        if (part.rfind("layername=", 0) == 0)
            out.layerName = part.substr(10);
        else if (part.rfind("subset=", 0) == 0)
            out.subset = part.substr(7);
        else if (!part.empty())
            throw InputError("source '" + redactSource(source) + "': unknown option '" + part +
                             "' (expected |layername=NAME or |subset=WHERE)");
        bar = next;
    }
    return out;
}

namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

// Replaces the value after every "password=" (libpq keyword/value syntax: up to the next
// blank, or a quoted value).
std::string redactKeyword(std::string s) {
    const std::string key = "password=";
    for (std::size_t at = lower(s).find(key); at != std::string::npos; at = lower(s).find(key, at + 1)) {
        const std::size_t begin = at + key.size();
        std::size_t end = begin;
        if (end < s.size() && s[end] == '\'') {
            for (++end; end < s.size() && s[end] != '\''; ++end)
                if (s[end] == '\\')
                    ++end;
            end = std::min(end + 1, s.size());
        } else {
            while (end < s.size() && !std::isspace(static_cast<unsigned char>(s[end])) && s[end] != '|' &&
                   s[end] != '&')
                ++end;
        }
        s.replace(begin, end - begin, "***");
    }
    return s;
}

// "scheme://user:secret@host" -> "scheme://user:***@host".
std::string redactUrl(std::string s) {
    const std::size_t scheme = s.find("://");
    if (scheme == std::string::npos)
        return s;
    const std::size_t start = scheme + 3;
    const std::size_t at = s.find('@', start);
    const std::size_t slash = s.find('/', start);
    if (at == std::string::npos || (slash != std::string::npos && slash < at))
        return s;
    const std::size_t colon = s.find(':', start);
    if (colon == std::string::npos || colon > at)
        return s;
    return s.replace(colon + 1, at - colon - 1, "***");
}

// Collects CE_Failure messages into the std::string given as the handler's user data, and
// keeps them quiet. GDAL may reset its last-error state before Open returns.
void CPL_STDCALL collectFailures(CPLErr type, CPLErrorNum, const char *message) {
    auto *out = static_cast<std::string *>(CPLGetErrorHandlerUserData());
    if (type >= CE_Failure && out && message)
        out->append(out->empty() ? "" : "; ").append(message);
}

bool isFilePath(const std::string &path) {
    return !isPgSource(path) && path.rfind("/vsi", 0) != 0 && path.find("://") == std::string::npos;
}

// A subset is one WHERE expression. GDAL's PostgreSQL driver pastes it into its SQL as it is,
// so a statement separator or a comment outside a quoted literal ("1=1; DROP TABLE deposits")
// is refused here, before any driver sees it.
void checkSubset(const std::string &subset, const std::string &where) {
    char quote = 0;
    for (std::size_t i = 0; i < subset.size(); ++i) {
        const char c = subset[i];
        if (quote) {
            if (c == quote)
                quote = 0;
            continue;
        }
        if (c == '\'' || c == '"') {
            quote = c;
            continue;
        }
        const char next = i + 1 < subset.size() ? subset[i + 1] : 0;
        if (c == ';' || (c == '-' && next == '-') || (c == '/' && next == '*'))
            throw InputError(where + ": subset '" + subset + "' is refused: '" + std::string(1, c) +
                             (c == ';' ? "" : std::string(1, next)) +
                             "' outside a quoted value (a subset is one WHERE expression, not SQL statements "
                             "or comments)");
    }
    if (quote)
        throw InputError(where + ": subset '" + subset + "' is refused: an unterminated " +
                         (quote == '\'' ? "string" : "identifier") + " quote");
}

struct Converter {
    const std::string &where; // "file 'x', layer 'y'" for messages

    model::Path path(const OGRSimpleCurve &c) const {
        model::Path out;
        out.reserve(c.getNumPoints());
        for (int i = 0; i < c.getNumPoints(); ++i)
            out.push_back({c.getX(i), c.getY(i)});
        return out;
    }

    void add(const OGRGeometry *g, model::Geometry &out) const {
        if (!g || g->IsEmpty())
            return;
        switch (wkbFlatten(g->getGeometryType())) {
        case wkbPoint: {
            auto *p = g->toPoint();
            out.points.push_back({p->getX(), p->getY()});
            break;
        }
        case wkbLineString:
            out.lines.push_back(path(*g->toLineString()));
            break;
        case wkbPolygon: {
            model::Polygon poly;
            for (const auto *ring : *g->toPolygon())
                poly.rings.push_back(path(*ring));
            out.polygons.push_back(std::move(poly));
            break;
        }
        case wkbMultiPoint:
        case wkbMultiLineString:
        case wkbMultiPolygon:
        case wkbGeometryCollection:
            for (const auto *part : *g->toGeometryCollection())
                add(part, out);
            break;
        default: {
            // Curves and surfaces: approximate with straight segments.
            std::unique_ptr<OGRGeometry> lin(g->getLinearGeometry());
            if (lin && wkbFlatten(lin->getGeometryType()) != wkbFlatten(g->getGeometryType()))
                add(lin.get(), out);
        }
        }
    }
};

using detail::checkUtf8;

// Appends field `i` of `f` to the row being built, straight from GDAL's buffers (no Value, no
// std::string per value).
void readValue(OGRFeature &f, int i, const model::Field &field, model::AttributeRow::Builder &row,
               const std::string &where) {
    if (!f.IsFieldSetAndNotNull(i))
        return row.addNull();
    switch (field.type) {
    case model::FieldType::Integer:
        return row.addInteger(static_cast<std::int64_t>(f.GetFieldAsInteger64(i)));
    case model::FieldType::Real:
        return row.addReal(f.GetFieldAsDouble(i));
    case model::FieldType::Boolean:
        return row.addBool(f.GetFieldAsInteger(i) != 0);
    case model::FieldType::StringList: {
        std::vector<std::string> out;
        if (char **list = f.GetFieldAsStringList(i))
            for (; *list; ++list) {
                checkUtf8(*list, where, f.GetFID(), field.name);
                out.emplace_back(*list);
            }
        return row.addStringList(out);
    }
    case model::FieldType::String:
        break;
    }
    const char *text = f.GetFieldAsString(i);
    checkUtf8(text, where, f.GetFID(), field.name);
    row.addString(text);
}

model::FieldType fieldType(const OGRFieldDefn &d) {
    switch (d.GetType()) {
    case OFTInteger:
    case OFTInteger64:
        return d.GetSubType() == OFSTBoolean ? model::FieldType::Boolean : model::FieldType::Integer;
    case OFTReal:
        return model::FieldType::Real;
    case OFTStringList:
        return model::FieldType::StringList;
    default:
        return model::FieldType::String;
    }
}

// Geographic coordinates out of range: say whether it looks like swapped axes.
void checkGeographic(const model::Geometry &g, const std::string &where, GIntBig fid) {
    auto check = [&](model::LonLat p) { detail::checkLonLat(p, where, fid); };
    for (const auto &p : g.points)
        check(p);
    for (const auto &l : g.lines)
        for (const auto &p : l)
            check(p);
    for (const auto &poly : g.polygons)
        for (const auto &r : poly.rings)
            for (const auto &p : r)
                check(p);
}

// Longitudes beyond ±180° (a 0-360° data set, or -323.5 for 36.5 E) are legal in GDAL but
// the spatial indexes expect [-180, 180]: a deposit at 396.5 would not be found inside the
// hostile polygon around 36.5. A part wholly beyond ±180° is moved by 360°; one that straddles
// ±180° cannot be moved without being cut, and is kept as it is, with a warning.
enum class Wrap { None, Moved, Straddles };

Wrap wrapPart(std::vector<model::LonLat> &pts) {
    if (pts.empty())
        return Wrap::None;
    double lo = pts.front().lon, hi = lo;
    for (const auto &p : pts)
        lo = std::min(lo, p.lon), hi = std::max(hi, p.lon);
    if (lo >= -180.0 && hi <= 180.0)
        return Wrap::None;
    const double shift = lo > 180.0 ? -360.0 : hi < -180.0 ? 360.0 : 0.0;
    if (shift == 0.0)
        return Wrap::Straddles;
    for (auto &p : pts)
        p.lon += shift;
    return Wrap::Moved;
}

Wrap wrapLongitudes(model::Geometry &g) {
    Wrap out = Wrap::None;
    auto note = [&](Wrap w) { out = std::max(out, w); };
    for (auto &p : g.points) {
        std::vector<model::LonLat> one{p};
        note(wrapPart(one));
        p = one.front();
    }
    for (auto &l : g.lines)
        note(wrapPart(l));
    for (auto &poly : g.polygons) {
        if (poly.rings.empty())
            continue;
        // The rings of a polygon move together, by the exterior ring's shift.
        const std::vector<model::LonLat> before = poly.rings.front();
        const Wrap w = wrapPart(poly.rings.front());
        if (w == Wrap::Moved) {
            const double shift = poly.rings.front().front().lon - before.front().lon;
            for (std::size_t r = 1; r < poly.rings.size(); ++r)
                for (auto &p : poly.rings[r])
                    p.lon += shift;
        }
        note(w);
    }
    return out;
}

struct WrapCount {
    std::size_t moved = 0, straddling = 0;
    void add(Wrap w) {
        moved += w == Wrap::Moved;
        straddling += w == Wrap::Straddles;
    }
    void warn(const std::string &where, std::vector<std::string> &warnings) const {
        if (moved)
            warnings.push_back(where + ": " + std::to_string(moved) +
                               " features have longitudes beyond ±180°; moved by 360° into [-180, 180]");
        if (straddling)
            warnings.push_back(
                where + ": " + std::to_string(straddling) +
                " features cross ±180° in 0-360° longitudes and are kept as they are; cut them "
                "at the antimeridian (ogr2ogr -wrapdateline) for exact distances near it");
    }
};

// Points in a hostile layer are firing positions: ranges are measured from them, but no deposit
// can be inside one. A layer of points given as hostile territory is most likely a mistake.
void warnPointsAsHostile(const model::Layer &layer, const std::string &where,
                         std::vector<std::string> &warnings) {
    if (layer.role != model::LayerRole::Hostile)
        return;
    std::size_t points = 0, areas = 0;
    for (const auto &f : layer.features) {
        points += !f.geometry.points.empty();
        areas += !f.geometry.polygons.empty();
    }
    if (points == 0)
        return;
    warnings.push_back(
        where + ": " + std::to_string(points) + " of " + std::to_string(layer.features.size()) +
        " hostile features are points: they count as firing positions (ranges are measured from " +
        "them), not as territory" + (areas == 0 ? "; this layer marks no deposit as occupied" : ""));
}

// Reads a GeoPackage point table through SQLite on several connections (gpkg_fast_reader.hpp)
// and returns true, or returns false when that reader does not handle the layer (OGR reads it).
// OREFRONT_GPKG_READER=ogr always reads through OGR; =fast refuses to fall back and throws the
// reason (for tests that must know which path ran); OREFRONT_DEBUG_READER=1 says which path a
// layer took on stderr.
bool readFast(GDALDataset &ds, OGRLayer &ogr, const SourceParts &src, const std::string &where,
              bool geographic, const OGRCoordinateTransformation *ct, model::Layer &layer, WrapCount &wrap,
              model::Progress *progress) {
    const char *env = std::getenv("OREFRONT_GPKG_READER");
    const std::string mode = env ? env : "";
    const char *debugEnv = std::getenv("OREFRONT_DEBUG_READER");
    const bool debug = debugEnv && *debugEnv && std::string(debugEnv) != "0";
    if (mode == "ogr")
        return false;
    std::string whyNot;
    try {
        const auto table =
            detail::describeGpkgTable(ds, ogr, src.path, src.subset, where, geographic, ct, whyNot);
        if (table) {
            detail::GpkgReadStats stats;
            // One connection (and thread) per core, at most 8 open on the file at once.
            const unsigned threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
            detail::readGpkgTable(*table, layer, stats, progress, threads);
            wrap.moved += stats.wrapped;
            return true;
        }
    } catch (const detail::GpkgFastUnsupported &e) {
        whyNot = e.what();
        layer.features.clear();
    }
    if (mode == "fast")
        throw InputError(where + ": the fast GeoPackage reader cannot read it: " + whyNot);
    if (debug)
        std::fprintf(stderr, "orefront: %s: read through OGR: %s\n", where.c_str(), whyNot.c_str());
    return false;
}

} // namespace

namespace detail {

// Text must be UTF-8 (GeoJSON and GeoPackage say so, and the reports are written as UTF-8); a
// Latin-1 byte would otherwise be mangled or dropped by the writers.
void checkUtf8(const char *s, const std::string &where, std::int64_t fid, const std::string &field) {
    if (!CPLIsUTF8(s, -1))
        throw InputError(where + ", feature " + std::to_string(fid) + ": field '" + field +
                         "' is not valid UTF-8 (re-encode the file, e.g. iconv -f latin1 -t utf-8)");
}

void checkLonLat(model::LonLat p, const std::string &where, std::int64_t fid) {
    if (std::abs(p.lat) <= 90.0 && std::abs(p.lon) <= 360.0)
        return;
    if (!std::isfinite(p.lon) || !std::isfinite(p.lat)) // NaN or infinite: no place at all
        throw InputError(where + ", feature " + std::to_string(fid) + ": coordinate (" +
                         std::to_string(p.lon) + ", " + std::to_string(p.lat) + ") is not a finite number");
    std::string msg = where + ", feature " + std::to_string(fid) + ": coordinate (" + std::to_string(p.lon) +
                      ", " + std::to_string(p.lat) + ") is outside longitude/latitude range";
    if (std::abs(p.lat) > 90.0 && std::abs(p.lon) <= 90.0)
        msg += "; latitude and longitude appear to be swapped (the file must be in lon/lat order, "
               "or declare a CRS whose axis order says otherwise)";
    throw InputError(msg);
}

} // namespace detail

std::string redactSource(const std::string &source) {
    return redactUrl(redactKeyword(source));
}

std::string resolveSource(const std::string &source, const std::string &baseDir) {
    const std::size_t bar = source.find('|');
    std::string path = source.substr(0, bar);
    const std::string rest = bar == std::string::npos ? "" : source.substr(bar);
    if (isFilePath(path) && !baseDir.empty() && fs::path(path).is_relative())
        path = (fs::path(baseDir) / path).lexically_normal().string();
    return path + rest;
}

model::Layer loadLayer(const model::LayerSpec &spec, const std::string &baseDir,
                       std::vector<std::string> &warnings, model::Progress *progress) {
    initGdal();
    if (spec.series == model::SeriesForm::Snapshots)
        throw InputError("layer '" + spec.id + "': a series of dated snapshots ('" + spec.source +
                         "'); resolve it at a date first (io::scenarioAt)");
    detail::QuietGdalErrors quiet;
    const SourceParts src = splitSource(resolveSource(spec.source, baseDir));
    const std::string file = "'" + redactSource(src.path) + "'"; // messages never show a password
    if (isFilePath(src.path) && !fs::exists(src.path))
        throw InputError("layer '" + spec.id + "': file " + file + " does not exist");

    // A "PG:" source opens the database only: a stray file named like the connection string
    // (left by an old build's report) must not be read instead.
    const char *const pgOnly[] = {"PostgreSQL", nullptr};
    std::string openFailures; // errors GDAL reports while the dataset still opens
    GDALDatasetUniquePtr ds;
    {
        const CPLErrorHandlerPusher collect(collectFailures, &openFailures);
        ds.reset(GDALDataset::Open(src.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                   isPgSource(src.path) ? pgOnly : nullptr, nullptr, nullptr));
    }
    if (!ds)
        throw InputError("layer '" + spec.id + "': cannot open " + file +
                         " as a vector data source: " + quiet.last());
    if (ds->GetLayerCount() == 0)
        throw InputError("layer '" + spec.id + "': " + file + " has no vector layers");
    // A CRS that PROJ cannot resolve (GeoJSON "crs": "EPSG::999999") is an error to GDAL, yet
    // the layer still opens, as WGS84: never measure in an assumed CRS.
    if (lower(openFailures).find("crs") != std::string::npos)
        throw InputError("layer '" + spec.id + "': " + file +
                         " declares a coordinate reference system that cannot be read: " + openFailures);

    OGRLayer *ogr = nullptr;
    if (!src.layerName.empty()) {
        ogr = ds->GetLayerByName(src.layerName.c_str());
        if (!ogr) {
            std::string names;
            for (auto *l : ds->GetLayers())
                names += (names.empty() ? "" : ", ") + std::string(l->GetName());
            throw InputError("layer '" + spec.id + "': " + file + " has no layer named '" + src.layerName +
                             "' (it has: " + names + ")");
        }
    } else {
        ogr = ds->GetLayer(0);
        // A GeoPackage or VRT with several layers: taking the first one silently could read the
        // ports as deposits. Say which one was taken and how to choose.
        if (ds->GetLayerCount() > 1) {
            std::string names;
            for (auto *l : ds->GetLayers())
                names += (names.empty() ? "" : ", ") + std::string(l->GetName());
            warnings.push_back("layer '" + spec.id + "': " + file + " has " +
                               std::to_string(ds->GetLayerCount()) + " layers (" + names +
                               "); reading the first, '" + ogr->GetName() +
                               "' (add |layername=NAME to the source to choose)");
        }
    }
    const std::string where =
        "file " + file + ", layer '" + ogr->GetName() + "'" +
        (spec.id == ogr->GetName() ? std::string() : " (scenario layer '" + spec.id + "')");
    if (!src.subset.empty())
        checkSubset(src.subset, where);
    if (!src.subset.empty() && ogr->SetAttributeFilter(src.subset.c_str()) != OGRERR_NONE)
        throw InputError(where + ": bad subset '" + src.subset + "': " + quiet.last());

    // TopoJSON carries no CRS member; like GeoJSON its coordinates are longitude/latitude on
    // WGS84 (world-atlas, the basemap we install, relies on it).
    OGRSpatialReference topoJsonCrs;
    const OGRSpatialReference *srs = ogr->GetSpatialRef();
    if (!srs && EQUAL(ds->GetDriverName(), "TopoJSON")) {
        topoJsonCrs.importFromEPSG(4326);
        srs = &topoJsonCrs;
    }
    if (!srs)
        throw InputError(where +
                         ": no coordinate reference system (add a .prj, or declare the CRS, e.g. with "
                         "ogr2ogr -a_srs EPSG:4326)");
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference source(*srs);
    source.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    const char *isWgs84Options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", "CRITERION=EQUIVALENT",
                                    nullptr};
    std::unique_ptr<OGRCoordinateTransformation> ct;
    if (!source.IsSame(&wgs84, isWgs84Options)) {
        ct.reset(OGRCreateCoordinateTransformation(&source, &wgs84));
        if (!ct)
            throw InputError(where + ": no transformation from its CRS to WGS84: " + quiet.last());
    }

    model::Layer layer;
    layer.id = spec.id;
    layer.name = spec.name.empty() ? spec.id : spec.name;
    layer.source = spec.source;
    layer.location = where;
    layer.role = spec.role;
    layer.date = spec.date;
    {
        const char *auth = source.GetAuthorityName(nullptr);
        const char *code = source.GetAuthorityCode(nullptr);
        layer.sourceCrs = auth && code ? std::string(auth) + ":" + code : std::string(source.GetName());
    }
    OGRFeatureDefn *defn = ogr->GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        layer.fields.push_back({defn->GetFieldDefn(i)->GetNameRef(), fieldType(*defn->GetFieldDefn(i))});

    const bool geographic = source.IsGeographic();
    const Converter conv{where};
    WrapCount wrap;
    geos::GeosContext geosCtx;
    model::AttributeRow::Builder row; // reused: one allocation per feature, the row itself
    const GIntBig count = ogr->GetFeatureCount(FALSE);
    if (count > 0) {
        layer.features.reserve(static_cast<std::size_t>(count));
        // 88 MB at 1M: huge pages make its first touch 512x fewer page faults (issue 11).
        model::adviseHugePages(layer.features.data(), layer.features.capacity() * sizeof(model::Feature));
    }
    model::startStage(progress, "load " + spec.id, count > 0 ? static_cast<std::uint64_t>(count) : 0);
    if (!readFast(*ds, *ogr, src, where, geographic, ct.get(), layer, wrap, progress)) {
        ogr->ResetReading();
        for (auto &f : *ogr) {
            model::advance(progress);
            const GIntBig fid = f->GetFID();
            OGRGeometry *g = f->GetGeometryRef();
            if (!g || g->IsEmpty())
                throw InputError(where + ", feature " + std::to_string(fid) + ": no geometry");
            model::Feature feature;
            feature.fid = fid;
            // Lon/lat in the source CRS are checked as read (swapped axes, NaN); a source in WGS84
            // (ct null) is then converted only once.
            if (geographic) {
                conv.add(g, feature.geometry);
                checkGeographic(feature.geometry, where, fid);
            }
            if (ct) {
                if (g->transform(ct.get()) != OGRERR_NONE)
                    throw InputError(where + ", feature " + std::to_string(fid) +
                                     ": cannot reproject to WGS84: " + quiet.last());
                feature.geometry = model::Geometry{};
                conv.add(g, feature.geometry);
                checkGeographic(feature.geometry, where, fid); // also a NaN that reprojection carried through
            }
            wrap.add(wrapLongitudes(feature.geometry));
            if (!feature.geometry.polygons.empty()) {
                // An edge from +179.9 to -180 is the short way across the antimeridian; read as
                // planar lon/lat it spans the world, and MakeValid would make a band of it.
                std::vector<model::Polygon> cut;
                for (const auto &poly : feature.geometry.polygons)
                    for (auto &part : model::splitPolygonAtAntimeridian(poly))
                        cut.push_back(std::move(part));
                feature.geometry.polygons = std::move(cut);
                model::Geometry areas;
                areas.polygons = feature.geometry.polygons;
                auto gg = geos::toGeos(geosCtx, areas);
                std::string reason;
                if (!geos::isValid(geosCtx, gg.get(), &reason)) {
                    auto fixed = geos::makeValidPolygonal(geosCtx, gg.get());
                    feature.geometry.polygons = geos::fromGeos(geosCtx, fixed.get()).polygons;
                    warnings.push_back(where + ", feature " + std::to_string(fid) + ": invalid polygon (" +
                                       reason + "), repaired with GEOS MakeValid");
                }
            }
            row.clear();
            for (int i = 0; i < static_cast<int>(layer.fields.size()); ++i)
                readValue(*f, i, layer.fields[i], row, where);
            feature.attributes = row.finish();
            layer.features.push_back(std::move(feature));
        }
    }
    model::finishStage(progress);
    if (layer.features.empty())
        throw InputError(where + ": no features" +
                         (src.subset.empty() ? "" : " match subset '" + src.subset + "'"));
    warnPointsAsHostile(layer, where, warnings);
    wrap.warn(where, warnings);
    layer.computeBounds();
    // A date_field/valid_range series resolved at a date (io::scenarioAt): its features then.
    if (spec.series != model::SeriesForm::None && spec.date)
        if (const auto date = model::Date::parseIso(*spec.date))
            filterToDate(layer, spec, *date);
    return layer;
}

} // namespace orefront::io
