#pragma once
// A Geospatial PDF through GDAL's PDF composition (GDAL >= 3.0): pages drawn elsewhere (single-
// page PDFs, e.g. by Cairo, with embedded fonts and selectable text) placed as they are, the
// first page's map area georeferenced (ISO 32000 extension, Web Mercator), and vector layers
// drawn over it, each under an optional-content group the reader can toggle and listed in the
// logical structure (so GDAL/QGIS read them back as vector layers).
// Thread rule: any thread, but GDAL must be initialised; not reentrant with itself on one path.
#include "orefront/model/geometry.hpp"

#include <string>
#include <vector>

namespace orefront::exporting {

struct PdfFeature {
    model::Geometry geometry; // lon/lat WGS84
    std::string name;
};

// One OGR layer of features drawn with one OGR feature style string, e.g.
// "SYMBOL(id:ogr-sym-3,c:#D55E00,s:7pt)" or "PEN(c:#5C0A2E,w:2pt)".
struct PdfVectorLayer {
    std::string id;   // OGR layer name: [a-z0-9_]
    std::string name; // shown by readers (logical structure)
    std::string style;
    std::vector<PdfFeature> features;
};

// A toggle in the reader's layer panel, over one or more vector layers.
struct PdfToggle {
    std::string id, name;
    std::vector<PdfVectorLayer> layers;
};

struct GeospatialPdf {
    double pageWidthPt = 0, pageHeightPt = 0;
    // One single-page PDF per output page, in order, drawn first (under the vectors).
    std::vector<std::string> pagePdfs;
    // The map on the first page: its frame in PDF points from the page's bottom-left corner,
    // and the lon/lat box it shows in Web Mercator (its corners are the control points).
    double mapX1 = 0, mapY1 = 0, mapX2 = 0, mapY2 = 0;
    model::BBox mapBounds;
    std::vector<PdfToggle> toggles; // drawn over the map in order, clipped to mapBounds
    std::string title, subject;
};

// Writes `pdf` to a temporary file beside `path`, then renames it: nothing is left at `path`
// on failure. Scratch files go to the system temporary directory and are removed. Throws
// OutputError naming the path and GDAL's message.
void writeGeospatialPdf(const GeospatialPdf &pdf, const std::string &path);

} // namespace orefront::exporting
