#pragma once
// `orefront view --bench-frames N`: N scripted frames once the scenario is loaded, timed by
// the main loop, and what they measure. Three scripts:
//   Hover  - the cursor sweeps over the map (hover picking, tooltips, status bar); the map
//            image is drawn once and then shown as it is, as when an analyst reads it.
//   Redraw - the view pans one pixel a frame, so every frame draws the map again (dragging):
//            since the pan keeps the last image (MapRenderer), the moved image and the strip.
//   Zoom   - the view zooms in and out by 0.2 % a frame about its centre: every frame draws the
//            whole map from scratch (nothing of the last image can be kept), the full redraw.
//   Rules  - as Hover, and the grade cut-off, then one ring distance, change every so often;
//            prints how long until the new colours / rings are on screen and the longest
//            frame meanwhile. Runs at least N frames and until the script is through.
// Thread rule: UI thread, with the app's ImGui context current.
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace orefront::viewer {

class ViewerApp;

enum class BenchMode { Hover, Redraw, Rules, Zoom };

class FrameBench {
public:
    FrameBench(int frames, BenchMode mode) : m_frames(frames), m_mode(mode) {}

    // Before ImGui::NewFrame() (after the platform backend's NewFrame): starts timing once
    // the scenario is in and no job runs, and applies this frame's scripted input.
    void beforeFrame(ViewerApp &app);
    // After the frame is on screen (swapped and finished): `ms` is its wall time.
    void afterFrame(ViewerApp &app, double ms);
    bool timing() const { return m_timing; }
    bool done() const;
    // Medians, 95th percentiles and latencies, one line each, to `out`.
    void print(std::FILE *out, const std::string &renderer, int width, int height) const;

private:
    struct Edit {
        const char *what; // "grade cut-off", "ring distance"
        double grade = 0; // > 0: set the grade cut-off to this
        std::vector<double> rings;
    };
    struct Latency {
        const char *what;
        double ms = 0;         // edit to the end of the frame that first shows its result
        double maxFrameMs = 0; // the longest frame from the edit to then
        // Where the time went (ViewerApp::JobTrace): edit to job submitted, waiting for the
        // worker, the job's two steps (rules: evaluate, marker colours; rings: build, mesh),
        // job done to applied on the UI thread, applied to on screen; and the showing
        // frame's draw() and map window.
        double submit = 0, queue = 0, compute = 0, finish = 0, toUi = 0, frame = 0, drawMs = 0, mapMs = 0;
        double jobCpu = 0, drawCpu = 0; // CPU time of the job's thread and of that frame's draw()
    };
    void startEdit(ViewerApp &app);
    bool editShown(const ViewerApp &app) const;

    using Clock = std::chrono::steady_clock;
    int m_frames;
    BenchMode m_mode;
    bool m_timing = false;
    std::size_t m_drawsAtStart = 0, m_draws = 0;
    std::vector<double> m_frameMs;

    // Rules: the script, the edit in flight and the results.
    std::vector<Edit> m_script;
    std::size_t m_next = 0;
    int m_idleFrames = 0;
    bool m_waiting = false;
    Clock::time_point m_editStart;
    double m_editMaxFrame = 0;
    std::vector<Latency> m_latencies;
};

} // namespace orefront::viewer
