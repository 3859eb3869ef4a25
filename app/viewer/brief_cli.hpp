#pragma once
// `orefront brief`: a briefing sheet of a scenario as PNG pages or a Geospatial PDF. Works with
// no display (EGL), like `orefront render`. Implemented in app/viewer (it draws the map with
// the viewer's renderer), called from app/main.cpp.
#include <string>

namespace CLI {
class App;
}

namespace orefront::viewer {

struct BriefOptions {
    std::string scenario; // empty = the bundled scenario
    std::string output;   // .pdf or .png
    std::string title;
    std::string classification = "UNCLASSIFIED";
    std::string bbox; // "minlon,minlat,maxlon,maxlat"; empty = the war theatre
    std::string paper = "A4";
    bool landscape = false;
    double dpi = 150;
    std::string basemap;
};

CLI::App *addBriefCommand(CLI::App &app, BriefOptions &opts);
// Returns an exit code: 2 (nothing written) for an unknown paper, a bbox outside the world,
// an output directory that does not exist or an output that is neither .pdf nor .png.
int runBrief(const BriefOptions &opts);

} // namespace orefront::viewer
