// Reading any GDAL vector source into a model::Layer in WGS84.
#include "gdal_util.hpp"
#include "orefront/geos/geos_context.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/antimeridian.hpp"
#include "orefront/model/error.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <filesystem>
#include <mutex>

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

namespace {

struct SourceParts {
    std::string path;
    std::string layerName;
    std::string subset;
};

// "file.gpkg|layername=deposits|subset=grade > 1" as in QGIS.
SourceParts splitSource(const std::string &source) {
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
            throw InputError("source '" + source + "': unknown option '" + part +
                             "' (expected |layername=NAME or |subset=WHERE)");
        bar = next;
    }
    return out;
}

bool isFilePath(const std::string &path) {
    return path.rfind("PG:", 0) != 0 && path.rfind("/vsi", 0) != 0 && path.find("://") == std::string::npos;
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

model::Value readValue(OGRFeature &f, int i, model::FieldType t) {
    if (!f.IsFieldSetAndNotNull(i))
        return std::monostate{};
    switch (t) {
    case model::FieldType::Integer:
        return static_cast<std::int64_t>(f.GetFieldAsInteger64(i));
    case model::FieldType::Real:
        return f.GetFieldAsDouble(i);
    case model::FieldType::Boolean:
        return f.GetFieldAsInteger(i) != 0;
    case model::FieldType::StringList: {
        std::vector<std::string> out;
        if (char **list = f.GetFieldAsStringList(i))
            for (; *list; ++list)
                out.emplace_back(*list);
        return out;
    }
    case model::FieldType::String:
        break;
    }
    return std::string(f.GetFieldAsString(i));
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
    auto check = [&](model::LonLat p) {
        if (std::abs(p.lat) <= 90.0 && std::abs(p.lon) <= 360.0)
            return;
        std::string msg = where + ", feature " + std::to_string(fid) + ": coordinate (" +
                          std::to_string(p.lon) + ", " + std::to_string(p.lat) +
                          ") is outside longitude/latitude range";
        if (std::abs(p.lat) > 90.0 && std::abs(p.lon) <= 90.0)
            msg += "; latitude and longitude appear to be swapped (the file must be in lon/lat order, "
                   "or declare a CRS whose axis order says otherwise)";
        throw InputError(msg);
    };
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

} // namespace

std::string resolveSource(const std::string &source, const std::string &baseDir) {
    const std::size_t bar = source.find('|');
    std::string path = source.substr(0, bar);
    const std::string rest = bar == std::string::npos ? "" : source.substr(bar);
    if (isFilePath(path) && !baseDir.empty() && fs::path(path).is_relative())
        path = (fs::path(baseDir) / path).lexically_normal().string();
    return path + rest;
}

model::Layer loadLayer(const model::LayerSpec &spec, const std::string &baseDir,
                       std::vector<std::string> &warnings) {
    initGdal();
    detail::QuietGdalErrors quiet;
    const SourceParts src = splitSource(resolveSource(spec.source, baseDir));
    const std::string file = "'" + src.path + "'";
    if (isFilePath(src.path) && !fs::exists(src.path))
        throw InputError("layer '" + spec.id + "': file " + file + " does not exist");

    GDALDatasetUniquePtr ds(
        GDALDataset::Open(src.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!ds)
        throw InputError("layer '" + spec.id + "': cannot open " + file +
                         " as a vector data source: " + quiet.last());
    if (ds->GetLayerCount() == 0)
        throw InputError("layer '" + spec.id + "': " + file + " has no vector layers");

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
    }
    const std::string where =
        "file " + file + ", layer '" + ogr->GetName() + "'" +
        (spec.id == ogr->GetName() ? std::string() : " (scenario layer '" + spec.id + "')");
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
    geos::GeosContext geosCtx;
    const GIntBig count = ogr->GetFeatureCount(FALSE);
    if (count > 0)
        layer.features.reserve(static_cast<std::size_t>(count));
    ogr->ResetReading();
    for (auto &f : *ogr) {
        const GIntBig fid = f->GetFID();
        OGRGeometry *g = f->GetGeometryRef();
        if (!g || g->IsEmpty())
            throw InputError(where + ", feature " + std::to_string(fid) + ": no geometry");
        model::Feature feature;
        feature.fid = fid;
        if (geographic) {
            model::Geometry raw;
            conv.add(g, raw);
            checkGeographic(raw, where, fid);
        }
        if (ct && g->transform(ct.get()) != OGRERR_NONE)
            throw InputError(where + ", feature " + std::to_string(fid) +
                             ": cannot reproject to WGS84: " + quiet.last());
        conv.add(g, feature.geometry);
        if (!ct && !geographic)
            checkGeographic(feature.geometry, where, fid);
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
        feature.attributes.reserve(layer.fields.size());
        for (int i = 0; i < static_cast<int>(layer.fields.size()); ++i)
            feature.attributes.push_back(readValue(*f, i, layer.fields[i].type));
        layer.features.push_back(std::move(feature));
    }
    if (layer.features.empty())
        throw InputError(where + ": no features" +
                         (src.subset.empty() ? "" : " match subset '" + src.subset + "'"));
    layer.computeBounds();
    return layer;
}

} // namespace orefront::io
