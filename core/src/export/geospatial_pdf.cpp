#include "orefront/export/geospatial_pdf.hpp"

#include "../io/gdal_util.hpp"
#include "orefront/model/error.hpp"

#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <system_error>

#include <unistd.h>

namespace orefront::exporting {

namespace fs = std::filesystem;

namespace {

constexpr double kMercatorRadius = 6378137.0; // EPSG:3857 uses the WGS84 semi-major axis
constexpr double kPi = 3.14159265358979323846;

double mercX(double lon) {
    return kMercatorRadius * lon * kPi / 180.0;
}
double mercY(double lat) {
    return kMercatorRadius * std::log(std::tan(kPi / 4 + lat * kPi / 360.0));
}

std::string xmlEscape(const std::string &s) {
    std::string out;
    for (char c : s) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string num(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}

std::unique_ptr<OGRGeometry> toOgr(const model::Geometry &g) {
    auto collection = std::make_unique<OGRGeometryCollection>();
    for (const auto &p : g.points)
        collection->addGeometryDirectly(new OGRPoint(p.lon, p.lat));
    for (const auto &line : g.lines) {
        auto *ls = new OGRLineString;
        for (const auto &p : line)
            ls->addPoint(p.lon, p.lat);
        collection->addGeometryDirectly(ls);
    }
    for (const auto &poly : g.polygons) {
        auto *pg = new OGRPolygon;
        for (const auto &ring : poly.rings) {
            auto *lr = new OGRLinearRing;
            for (const auto &p : ring)
                lr->addPoint(p.lon, p.lat);
            lr->closeRings();
            pg->addRingDirectly(lr);
        }
        collection->addGeometryDirectly(pg);
    }
    if (collection->getNumGeometries() == 1)
        return std::unique_ptr<OGRGeometry>(collection->getGeometryRef(0)->clone());
    return collection;
}

// Scratch files of one write, removed on every path out.
struct ScratchDir {
    fs::path dir;
    ScratchDir() {
        static std::atomic<int> counter{0};
        dir = fs::temp_directory_path() /
              ("orefront-pdf-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(dir);
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

// The vector layers, clipped to the map and in Web Mercator, as one GeoPackage.
void writeVectors(const GeospatialPdf &pdf, const std::string &gpkg, const std::string &path) {
    io::detail::QuietGdalErrors quiet;
    GDALDriver *driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver)
        throw OutputError("cannot write " + path + ": GDAL has no GPKG driver for the PDF's vector layers");
    GDALDatasetUniquePtr ds(driver->Create(gpkg.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        throw OutputError("cannot write " + path + ": " + quiet.last());
    OGRSpatialReference wgs84, merc;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    merc.importFromEPSG(3857);
    merc.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&wgs84, &merc));
    if (!ct)
        throw OutputError("cannot write " + path +
                          ": no WGS84 to Web Mercator transformation: " + quiet.last());
    const model::BBox &b = pdf.mapBounds;
    OGRPolygon frame;
    {
        auto *ring = new OGRLinearRing;
        ring->addPoint(b.minLon, b.minLat);
        ring->addPoint(b.maxLon, b.minLat);
        ring->addPoint(b.maxLon, b.maxLat);
        ring->addPoint(b.minLon, b.maxLat);
        ring->closeRings();
        frame.addRingDirectly(ring);
    }
    for (const auto &toggle : pdf.toggles)
        for (const auto &layer : toggle.layers) {
            OGRLayer *out = ds->CreateLayer(layer.id.c_str(), &merc, wkbUnknown, nullptr);
            if (!out)
                throw OutputError("cannot write " + path + ": layer " + layer.id + ": " + quiet.last());
            OGRFieldDefn nameField("name", OFTString);
            if (out->CreateField(&nameField) != OGRERR_NONE || out->StartTransaction() != OGRERR_NONE)
                throw OutputError("cannot write " + path + ": layer " + layer.id + ": " + quiet.last());
            for (const auto &f : layer.features) {
                std::unique_ptr<OGRGeometry> g = toOgr(f.geometry);
                // Clipped here: the writer draws what it is given, over the sheet's margins too.
                if (!g->Intersects(&frame))
                    continue;
                if (!frame.Contains(g.get()))
                    g.reset(g->Intersection(&frame));
                if (!g || g->IsEmpty() || g->transform(ct.get()) != OGRERR_NONE)
                    continue;
                OGRFeature feature(out->GetLayerDefn());
                feature.SetField(0, f.name.c_str());
                feature.SetGeometryDirectly(g.release());
                if (out->CreateFeature(&feature) != OGRERR_NONE)
                    throw OutputError("cannot write " + path + ": layer " + layer.id + ": " + quiet.last());
            }
            if (out->CommitTransaction() != OGRERR_NONE)
                throw OutputError("cannot write " + path + ": layer " + layer.id + ": " + quiet.last());
        }
}

std::string compositionXml(const GeospatialPdf &pdf, const std::string &gpkg) {
    std::string x = "<PDFComposition>\n<Metadata><Title>" + xmlEscape(pdf.title) + "</Title><Subject>" +
                    xmlEscape(pdf.subject) + "</Subject><Creator>orefront</Creator></Metadata>\n";
    x += "<LayerTree>\n";
    for (const auto &t : pdf.toggles)
        x += "  <Layer id=\"" + xmlEscape(t.id) + "\" name=\"" + xmlEscape(t.name) + "\"/>\n";
    x += "</LayerTree>\n";
    const model::BBox &b = pdf.mapBounds;
    for (std::size_t page = 0; page < pdf.pagePdfs.size(); ++page) {
        x += "<Page id=\"page" + std::to_string(page + 1) + "\">\n<DPI>72</DPI><Width>" +
             num(pdf.pageWidthPt) + "</Width><Height>" + num(pdf.pageHeightPt) + "</Height>\n";
        if (page == 0) {
            x += "<Georeferencing id=\"map\" ISO32000ExtensionFormat=\"true\" "
                 "OGCBestPracticeFormat=\"false\">\n"
                 "  <SRS dataAxisToSRSAxisMapping=\"1,2\">EPSG:3857</SRS>\n"
                 "  <BoundingBox x1=\"" +
                 num(pdf.mapX1) + "\" y1=\"" + num(pdf.mapY1) + "\" x2=\"" + num(pdf.mapX2) + "\" y2=\"" +
                 num(pdf.mapY2) + "\"/>\n";
            const double xs[2] = {pdf.mapX1, pdf.mapX2}, ys[2] = {pdf.mapY1, pdf.mapY2};
            const double gx[2] = {mercX(b.minLon), mercX(b.maxLon)},
                         gy[2] = {mercY(b.minLat), mercY(b.maxLat)};
            for (int i = 0; i < 2; ++i)
                for (int j = 0; j < 2; ++j)
                    x += "  <ControlPoint x=\"" + num(xs[i]) + "\" y=\"" + num(ys[j]) + "\" GeoX=\"" +
                         num(gx[i]) + "\" GeoY=\"" + num(gy[j]) + "\"/>\n";
            x += "</Georeferencing>\n";
        }
        x += "<Content>\n  <PDF dataset=\"" + xmlEscape(pdf.pagePdfs[page]) + "\"/>\n";
        if (page == 0)
            for (const auto &t : pdf.toggles) {
                x += "  <IfLayerOn layerId=\"" + xmlEscape(t.id) + "\">\n";
                for (const auto &l : t.layers)
                    x += "    <Vector dataset=\"" + xmlEscape(gpkg) + "\" layer=\"" + xmlEscape(l.id) +
                         "\" georeferencingId=\"map\" ogrStyleString=\"" + xmlEscape(l.style) +
                         "\">\n      <LogicalStructure displayLayerName=\"" + xmlEscape(l.name) +
                         "\" fieldToDisplay=\"name\"><IncludeField>name</IncludeField></LogicalStructure>\n"
                         "    </Vector>\n";
                x += "  </IfLayerOn>\n";
            }
        x += "</Content>\n</Page>\n";
    }
    return x + "</PDFComposition>\n";
}

} // namespace

void writeGeospatialPdf(const GeospatialPdf &pdf, const std::string &path) {
    if (pdf.pagePdfs.empty())
        throw OutputError("cannot write " + path + ": the briefing has no page");
    ScratchDir scratch;
    const std::string gpkg = (scratch.dir / "layers.gpkg").string();
    writeVectors(pdf, gpkg, path);
    const std::string xmlPath = (scratch.dir / "composition.xml").string();
    {
        std::ofstream xml(xmlPath, std::ios::binary);
        xml << compositionXml(pdf, gpkg);
        if (!xml)
            throw OutputError("cannot write " + path + ": cannot write the PDF composition to " + xmlPath);
    }
    io::detail::QuietGdalErrors quiet;
    GDALDriver *driver = GetGDALDriverManager()->GetDriverByName("PDF");
    if (!driver)
        throw OutputError("cannot write " + path + ": GDAL has no PDF driver");
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    CPLStringList options;
    options.SetNameValue("COMPOSITION_FILE", xmlPath.c_str());
    std::error_code ec;
    {
        CPLConfigOptionSetter noPam("GDAL_PAM_ENABLED", "NO", false);
        GDALDatasetUniquePtr out(driver->Create(tmp.c_str(), 0, 0, 0, GDT_Unknown, options.List()));
        const bool failed = CPLGetLastErrorType() >= CE_Failure;
        out.reset();
        if (failed || !fs::exists(tmp)) {
            fs::remove(tmp, ec);
            throw OutputError("cannot write " + path + " (Geospatial PDF): " + quiet.last());
        }
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw OutputError("cannot write " + path + ": " + ec.message());
    }
}

} // namespace orefront::exporting
