#pragma once
// `orefront view` and `orefront render`: implemented in app/viewer, called from app/main.cpp.
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace orefront::viewer {

struct ViewOptions {
    std::string scenario;     // empty = the bundled scenario
    std::string basemap;      // empty = the installed Natural Earth basemap, if any
    int benchFrames = 0;      // >0: render N frames, print median/p95 frame time, exit
    bool benchZoom = false;   // the bench zooms 0.2 % a frame: every frame draws the whole map
    bool benchRedraw = false; // the bench pans a pixel a frame: every frame draws the map
    bool benchRules = false;  // the bench changes the grade cut-off and a ring distance
    bool fullRules = false;   // every rule edit evaluated anew (no rules::update): A/B benchmarks
    int benchTimeline = 0; // >0: change the Timeline's date N times, print how long until each is on screen
    int width = 1280, height = 800;
    float uiScale = 0; // 0 = the monitor's content scale
};

struct RenderOptions {
    std::string scenario; // empty = the bundled scenario
    std::string output;   // image path: .png, .jpg/.jpeg or .webp
    std::string size = "1600x1000";
    std::string bbox; // "minlon,minlat,maxlon,maxlat"; empty = fit the scenario
    std::string basemap;
    // An animation (-o front.gif|front.mp4) of a dated scenario: README, Animations.
    std::string from, to;           // YYYY-MM-DD; empty: the first / last snapshot
    std::string step = "snapshots"; // Nd, Nw, Nm or snapshots
    double fps = 4;
    // Still images draw the scenario's annotations (its store, as analyze and brief read it)
    // and judge by the ones marked hostile; --no-annotations leaves them out.
    bool noAnnotations = false;
};

CLI::App *addViewCommand(CLI::App &app, ViewOptions &opts);
CLI::App *addRenderCommand(CLI::App &app, RenderOptions &opts);
int runView(const ViewOptions &opts);     // returns an exit code
int runRender(const RenderOptions &opts); // returns an exit code; works with no display

} // namespace orefront::viewer
