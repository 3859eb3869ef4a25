#pragma once
// The briefing sheet drawn with Cairo: classification banners, title, dates, the map image
// with graticule labels, legend, geodesic scale bar with its ratio, north arrow, sources,
// rules in force and the deposits table continued over further pages. The same drawing goes
// to PNG pages (image surfaces at the chosen DPI) and to PDF pages (vector, with the text in
// embedded DejaVu Sans: selectable, searchable, Cyrillic included). GL-free; any one thread.
#include "map_image.hpp"
#include "render/mercator.hpp"

#include "orefront/export/briefing.hpp"

#include <string>
#include <vector>

namespace orefront::viewer {

struct RectPt {
    double x = 0, y = 0, w = 0, h = 0; // points (1/72 inch) from the page's top-left corner
};

// Where things go on the sheet. Computed once per sheet from the paper and the content.
struct SheetLayout {
    double widthPt = 0, heightPt = 0;
    RectPt topBanner, bottomBanner;
    RectPt map;    // the map image's frame
    RectPt legend; // the legend's box on the first page
    std::size_t legendColumns = 1;
    RectPt scale;        // scale bar, ratio and north arrow
    double textTop = 0;  // sources and rules start here on page 1 (beside the legend)
    double tableTop = 0; // the deposits table starts here on page 1
    // Rows of the deposits table on each page, as [first, last) into Briefing::deposits.
    std::vector<std::pair<std::size_t, std::size_t>> tableRows;
    std::size_t pages() const { return tableRows.size(); }
};

// The map image's size in pixels for a map frame drawn at `dpi`.
inline int mapPixels(double pt, double dpi) {
    return int(pt / 72.0 * dpi + 0.5);
}

// What the map shows and how its legend reads.
struct SheetMap {
    const Image *image = nullptr; // the map (drawn at the frame's size)
    Camera camera;                // the camera the image was rendered with
    const MapDocument *doc = nullptr;
    bool rings = true; // range rings shown
    // The PDF draws deposits, front lines, rings and annotation shapes as vector layers over
    // the sheet; the sheet then draws their labels (the map image has none of them).
    bool vectorLayers = false;
};

// Lays the sheet out for `paper`. Throws nothing.
SheetLayout layoutSheet(const exporting::Paper &paper, const exporting::Briefing &b, const SheetMap &map);

struct ScaleBarPx {
    double metres = 0;
    std::string label;            // "100 km"
    double x0 = 0, x1 = 0, y = 0; // points on the page
    double ratio = 0;             // 1:ratio at the map's centre latitude
};

// Renders every page into PNG images at `dpi` (one Image per page).
std::vector<Image> drawSheetPng(const SheetLayout &layout, const exporting::Briefing &b, const SheetMap &map,
                                double dpi, ScaleBarPx *scale = nullptr);

// Writes every page as its own single-page PDF (`pathFor(page)`), for the Geospatial PDF
// composition. Throws OutputError when Cairo cannot write.
void drawSheetPdfPages(const SheetLayout &layout, const exporting::Briefing &b, const SheetMap &map,
                       const std::vector<std::string> &paths);

} // namespace orefront::viewer
