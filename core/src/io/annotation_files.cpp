#include "orefront/io/annotation_files.hpp"

#include "annotation_ogr.hpp"
#include "gdal_util.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <cstring>
#include <filesystem>
#include <unistd.h>

namespace orefront::io {

namespace fs = std::filesystem;

AnnotationFileFormat annotationFileFormat(const std::string &path) {
    std::string e = fs::path(path).extension().string();
    for (auto &c : e)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (e == ".geojson" || e == ".json")
        return AnnotationFileFormat::GeoJson;
    if (e == ".kml")
        return AnnotationFileFormat::Kml;
    if (e == ".gpkg")
        return AnnotationFileFormat::Gpkg;
    throw InputError("'" + path + "': unknown annotation file type '" + e +
                     "' (use .geojson, .kml or .gpkg)");
}

model::AnnotationSet readAnnotationFile(const std::string &path) {
    initGdal();
    detail::QuietGdalErrors quiet;
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
    if (!ds)
        throw InputError("annotation file '" + redactSource(path) + "' cannot be opened: " + quiet.last());
    model::AnnotationSet set;
    for (OGRLayer *l : ds->GetLayers()) {
        const std::string name = l->GetName();
        const std::string where = "file '" + redactSource(path) + "', layer '" + name + "'";
        if (name == detail::kMetaLayer)
            continue;
        l->ResetReading();
        if (name == detail::kNotesLayer) {
            for (auto &f : *l)
                set.notes.push_back(detail::noteFromFeature(*f));
            continue;
        }
        // Bring any CRS to WGS84 lon/lat, as every other layer is read.
        const OGRSpatialReference *srs = l->GetSpatialRef();
        OGRSpatialReference wgs84;
        wgs84.SetWellKnownGeogCS("WGS84");
        wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        std::unique_ptr<OGRCoordinateTransformation> ct;
        if (srs && !srs->IsSame(&wgs84))
            ct.reset(OGRCreateCoordinateTransformation(srs, &wgs84));
        for (auto &f : *l) {
            if (ct && f->GetGeometryRef() && f->GetGeometryRef()->transform(ct.get()) != OGRERR_NONE)
                throw InputError(where + ", feature " + std::to_string(f->GetFID()) +
                                 ": cannot be transformed to WGS84");
            set.annotations.push_back(detail::annotationFromFeature(*f, where));
        }
    }
    return set;
}

namespace {

GDALDriver *driverFor(AnnotationFileFormat f) {
    const char *names[] = {"GeoJSON", "LIBKML", "GPKG"};
    GDALDriver *drv = GetGDALDriverManager()->GetDriverByName(names[static_cast<int>(f)]);
    if (!drv && f == AnnotationFileFormat::Kml)
        drv = GetGDALDriverManager()->GetDriverByName("KML");
    if (!drv)
        throw OutputError(std::string("GDAL has no ") + names[static_cast<int>(f)] + " driver");
    return drv;
}

void writeTo(GDALDataset &ds, const model::AnnotationSet &set, AnnotationFileFormat format,
             const std::string &where) {
    OGRSpatialReference wgs84;
    wgs84.SetWellKnownGeogCS("WGS84");
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    char **options = nullptr;
    if (format == AnnotationFileFormat::GeoJson)
        options = CSLSetNameValue(options, "RFC7946", "YES");
    OGRLayer *l = ds.CreateLayer(detail::kAnnotationsLayer, &wgs84, wkbUnknown, options);
    CSLDestroy(options);
    if (!l)
        throw OutputError(where + ": cannot create layer 'annotations': " + CPLGetLastErrorMsg());
    if (format == AnnotationFileFormat::Kml) {
        OGRFieldDefn name("name", OFTString); // the placemark's <name>: what Google Earth shows
        l->CreateField(&name);
    }
    detail::ensureAnnotationFields(*l, where);
    for (const auto &a : set.annotations) {
        OGRFeature f(l->GetLayerDefn());
        detail::annotationToFeature(a, f);
        if (l->CreateFeature(&f) != OGRERR_NONE)
            throw OutputError(where + ": cannot write annotation " + std::to_string(a.id) + ": " +
                              CPLGetLastErrorMsg());
    }
    if (format != AnnotationFileFormat::Gpkg)
        return;
    OGRLayer *n = ds.CreateLayer(detail::kNotesLayer, nullptr, wkbNone, nullptr);
    if (!n)
        throw OutputError(where + ": cannot create table 'deposit_notes': " + CPLGetLastErrorMsg());
    detail::ensureNoteFields(*n, where);
    for (const auto &note : set.notes) {
        OGRFeature f(n->GetLayerDefn());
        detail::noteToFeature(note, f);
        if (n->CreateFeature(&f) != OGRERR_NONE)
            throw OutputError(where + ": cannot write the note on '" + note.deposit + "'");
    }
}

} // namespace

void writeAnnotationFile(const model::AnnotationSet &set, const std::string &path) {
    initGdal();
    const AnnotationFileFormat format = annotationFileFormat(path);
    const fs::path target = fs::absolute(path);
    if (!fs::is_directory(target.parent_path()))
        throw InputError("'" + path + "': directory '" + target.parent_path().string() + "' does not exist");
    const fs::path tmp = target.parent_path() / ("." + target.stem().string() + ".tmp-" +
                                                 std::to_string(::getpid()) + target.extension().string());
    const std::string where = "annotation file '" + path + "'";
    detail::QuietGdalErrors quiet;
    try {
        fs::remove(tmp);
        GDALDatasetUniquePtr ds(driverFor(format)->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        if (!ds)
            throw OutputError(where + " cannot be created: " + quiet.last());
        writeTo(*ds, set, format, where);
        ds.reset(); // close: the driver writes the file out
        if (CPLGetLastErrorType() == CE_Failure)
            throw OutputError(where + ": " + quiet.last());
        fs::rename(tmp, target);
    } catch (const fs::filesystem_error &e) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw OutputError(where + ": " + e.what());
    } catch (...) {
        std::error_code ec;
        fs::remove(tmp, ec);
        throw;
    }
}

WktShape parseAnnotationWkt(const std::string &wkt) {
    initGdal();
    OGRGeometry *raw = nullptr;
    const char *text = wkt.c_str();
    const std::string quoted = "--wkt '" + (wkt.size() > 80 ? wkt.substr(0, 80) + "..." : wkt) + "'";
    if (OGRGeometryFactory::createFromWkt(text, nullptr, &raw) != OGRERR_NONE || !raw)
        throw InputError(quoted + ": not valid WKT (e.g. POINT (37.8 48.0), LINESTRING (37 47, 38 48), "
                                  "POLYGON ((36 47, 37 47, 37 48, 36 47)))");
    std::unique_ptr<OGRGeometry> g(raw);
    WktShape out;
    switch (wkbFlatten(g->getGeometryType())) {
    case wkbPoint:
        out.vertices = {{g->toPoint()->getX(), g->toPoint()->getY()}};
        out.dimension = 0;
        break;
    case wkbLineString:
        for (const auto &p : *g->toLineString())
            out.vertices.push_back({p.getX(), p.getY()});
        out.dimension = 1;
        break;
    case wkbPolygon:
        if (g->toPolygon()->getNumInteriorRings() > 0)
            throw InputError(quoted + ": a polygon with holes; an area annotation is one ring");
        if (g->IsEmpty())
            throw InputError(quoted + ": an empty polygon");
        for (const auto &p : *g->toPolygon()->getExteriorRing())
            out.vertices.push_back({p.getX(), p.getY()});
        out.dimension = 2;
        break;
    default:
        throw InputError(quoted + ": a " + OGRGeometryTypeToName(g->getGeometryType()) +
                         "; an annotation is a POINT, a LINESTRING or a POLYGON");
    }
    if (out.vertices.empty())
        throw InputError(quoted + ": an empty geometry");
    return out;
}

} // namespace orefront::io
