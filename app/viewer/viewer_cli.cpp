#include "viewer/viewer_cli.hpp"

#include "frame_bench.hpp"
#include "map_image.hpp"
#include "map_scene.hpp"
#include "render/gl_objects.hpp"
#include "render/headless_gl.hpp"
#include "render/pass_profile.hpp"
#include "render/ui_compositor.hpp"
#include "render/window_present.hpp"
#include "render_animation.hpp"
#include "viewer_app.hpp"
#include "workspace.hpp"

#include "orefront/cli/analyze.hpp"
#include "orefront/export/animation_writer.hpp"
#include "orefront/export/image_writer.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <CLI/CLI.hpp>
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <malloc.h>
#include <memory>
#include <sstream>
#include <thread>
#include <utility>

namespace orefront::viewer {

namespace {

bool parseSize(const std::string &s, int &w, int &h) {
    return std::sscanf(s.c_str(), "%dx%d", &w, &h) == 2 && w >= 16 && h >= 16 && w <= 16384 && h <= 16384;
}

bool parseBBox(const std::string &s, model::BBox &b) {
    double v[4];
    char tail = 0;
    if (std::sscanf(s.c_str(), "%lf,%lf,%lf,%lf%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4)
        return false;
    b = {v[0], v[1], v[2], v[3]};
    return v[0] < v[2] && v[1] < v[3] && v[0] >= -180 && v[2] <= 180 && v[1] >= -90 && v[3] <= 90;
}

std::string scenarioOrDefault(const std::string &s) {
    return s.empty() ? OREFRONT_GEODATA_DIR "/scenario.toml" : s;
}

int render(const RenderOptions &o) {
    int w = 0, h = 0;
    if (!parseSize(o.size, w, h)) {
        std::cerr << "orefront render: --size must be WxH (16..16384), got '" << o.size << "'\n";
        return cli::kUsage;
    }
    model::BBox bbox;
    if (!o.bbox.empty() && !parseBBox(o.bbox, bbox)) {
        std::cerr << "orefront render: --bbox must be minlon,minlat,maxlon,maxlat in degrees, got '" << o.bbox
                  << "'\n";
        return cli::kUsage;
    }
    const bool animation = exporting::animationFormatFor(o.output).has_value();
    if (!animation && (!o.from.empty() || !o.to.empty() || o.step != "snapshots")) {
        std::cerr << "orefront render: --from, --to and --step make an animation: write it as .gif or .mp4\n";
        return cli::kUsage;
    }
    // Refused before the work: a .pdf must not get PNG bytes, nor wait for the map first.
    std::string why;
    if (!animation && !exporting::imageFormatFor(o.output, &why)) {
        std::cerr << "orefront render: " << why << "\n";
        return cli::kUsage;
    }
    io::initGdal();
    OverlayOptions overlay;
    if (animation) {
        const Basemap basemap = loadBasemap(o.basemap, "render");
        overlay.basemapNote = basemap.note;
        // The annotations on every frame, as `render` draws them on one (unless --no-annotations).
        std::optional<model::AnnotationSet> set;
        if (!o.noAnnotations) {
            const std::string path = scenarioOrDefault(o.scenario);
            set = loadScenarioAnnotations(path, io::loadScenario(path).annotations);
            overlay.annotations = set->annotations;
        }
        const AnimationStats st =
            renderAnimation(scenarioOrDefault(o.scenario), {o.from, o.to, o.step, o.fps}, o.output, w, h,
                            o.bbox.empty() ? nullptr : &bbox, basemap.layer ? &*basemap.layer : nullptr,
                            overlay, set ? &*set : nullptr);
        std::printf("orefront: wrote %s (%d frames %s to %s, %dx%d, %d snapshots, %.1f s)\n",
                    o.output.c_str(), st.frames, st.first.c_str(), st.last.c_str(), w, h, st.snapshots,
                    st.seconds);
        return cli::kOk;
    }
    MapDocument doc;
    overlay.basemapNote = loadMapScene(doc, scenarioOrDefault(o.scenario), o.basemap, "render");
    const auto snap = doc.snapshotPtr(); // the view fits the scenario, not the what-if
    if (!o.noAnnotations) {
        // As the map shows them, and as `orefront brief` reads them (map_scene.hpp).
        const model::AnnotationSet set =
            loadScenarioAnnotations(scenarioOrDefault(o.scenario), snap->project->scenario.annotations);
        applyHostileMarkings(doc, set);
        overlay.annotations = set.annotations;
    }

    HeadlessGl gl;
    MapRenderer renderer;
    MapImageComposer composer;
    Camera camera;
    camera.width = w;
    camera.height = h;
    camera.fit(o.bbox.empty() ? theatreBounds(*snap) : bbox, o.bbox.empty() ? 0.0 : 0.02);
    writeImage(composer.compose(renderer, doc, camera, MapStyle{}, overlay), o.output);
    const model::BBox shown = camera.visibleBounds();
    std::printf("orefront: wrote %s (%dx%d, %.2f,%.2f,%.2f,%.2f)\n", o.output.c_str(), w, h, shown.minLon,
                shown.minLat, shown.maxLon, shown.maxLat);
    return cli::kOk;
}

// --bench-timeline N: how long a new date takes to reach the screen. First every snapshot is
// visited once (read and measured on a worker: the first-visit figure), then N date changes
// among the prepared snapshots are timed from the request to the frame that shows the date's
// colours (drawn and finished).
class TimelineBench {
public:
    explicit TimelineBench(int changes) : m_changes(changes) {}
    bool done() const { return m_done; }

    // After each frame, once it is on screen.
    void afterFrame(ViewerApp &app) {
        const auto now = std::chrono::steady_clock::now();
        TimelineWindow &t = app.timeline();
        if (!m_started) {
            if (app.busy() || t.snapshots.size() < 2 || !t.shown)
                return;
            m_started = true;
        } else if (t.requested || !t.shown || *t.shown != m_want || !app.mapUpToDate() || app.busy()) {
            if (!t.message.empty()) {
                std::fprintf(stderr, "orefront view: --bench-timeline: %s\n", t.message.c_str());
                m_done = true;
            }
            return;
        } else {
            const double ms = std::chrono::duration<double, std::milli>(now - m_asked).count();
            (m_step <= int(t.snapshots.size()) ? m_first : m_timed).push_back(ms);
        }
        if (m_step >= int(t.snapshots.size()) + m_changes) {
            m_done = true;
            return;
        }
        // Visit each snapshot once, then go back and forth among them.
        const int n = int(t.snapshots.size());
        const int k = m_step < n ? m_step : (m_step * 7 + 3) % n;
        m_want = t.snapshots[k] == *t.shown ? t.snapshots[(k + 1) % n] : t.snapshots[k];
        ++m_step;
        m_asked = std::chrono::steady_clock::now();
        app.requestDate(m_want);
    }

    void print(std::FILE *out, std::size_t deposits) {
        auto stats = [](std::vector<double> v, const char *what, std::FILE *o) {
            if (v.empty())
                return;
            std::sort(v.begin(), v.end());
            std::fprintf(o, "timeline %s: %zu changes, median %.0f ms, max %.0f ms\n", what, v.size(),
                         v[v.size() / 2], v.back());
        };
        std::fprintf(out, "timeline: %zu deposits\n", deposits);
        stats(m_first, "first visit (snapshot read and measured on a worker)", out);
        stats(m_timed, "date change to new colours on screen", out);
    }

private:
    int m_changes;
    int m_step = 0;
    bool m_started = false, m_done = false;
    model::Date m_want;
    std::chrono::steady_clock::time_point m_asked;
    std::vector<double> m_first, m_timed;
};

// Errors are translated to messages and exit codes once, here.
template <class Fn> int guardedRun(const char *command, Fn &&fn) {
    try {
        return fn();
    } catch (const UsageError &e) {
        std::cerr << "orefront " << command << ": " << e.what() << "\n";
        return cli::kUsage;
    } catch (const InputError &e) {
        std::cerr << "orefront " << command << ": " << e.what() << "\n";
        return cli::kBadInput;
    } catch (const GeometryError &e) {
        std::cerr << "orefront " << command << ": geometry error: " << e.what() << "\n";
        return cli::kGeometry;
    } catch (const OutputError &e) {
        std::cerr << "orefront " << command << ": " << e.what() << "\n";
        return cli::kOutput;
    } catch (const std::exception &e) {
        std::cerr << "orefront " << command << ": " << e.what() << "\n";
        return cli::kInternal;
    }
}

void glfwError(int code, const char *text) {
    std::fprintf(stderr, "orefront view: GLFW error %d: %s\n", code, text);
}

namespace {
// OREFRONT_PASS_PROFILE: ImGui's draw lists one at a time, each timed as a pass of its own
// ("imgui: <window>"), to see which panel costs the rasterizer what.
void renderDrawDataByWindow(ImDrawData *all) {
    ImVector<ImDrawList *> lists = all->CmdLists;
    for (ImDrawList *list : lists) {
        ImDrawData one = *all;
        one.CmdLists.clear();
        one.CmdLists.push_back(list);
        one.CmdListsCount = 1;
        one.TotalVtxCount = list->VtxBuffer.Size;
        one.TotalIdxCount = list->IdxBuffer.Size;
        static std::vector<std::string> names; // PassTimer keeps the name's pointer
        std::string name = std::string("imgui: ") + (list->_OwnerName ? list->_OwnerName : "?");
        name = name.substr(0, name.find("##"));
        auto it = std::find(names.begin(), names.end(), name);
        if (it == names.end()) {
            names.reserve(64);
            it = names.insert(names.end(), name);
        }
        PassTimer t(it->c_str());
        ImGui_ImplOpenGL3_RenderDrawData(&one);
    }
}
} // namespace

int view(const ViewOptions &o) {
    // Every slider move builds a new report (100k deposits: about 20 MB) and frees the old
    // one. glibc would hand such blocks back to the kernel and fault fresh pages in for the
    // next report, which on a virtual machine costs five times the evaluation; one arena
    // (a worker thread's own is capped at 64 MB) and no trimming keep them for reuse.
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_THRESHOLD, 512 << 20);
    mallopt(M_TRIM_THRESHOLD, 1024 << 20);
    glfwSetErrorCallback(glfwError);
    if (!glfwInit()) {
        std::cerr << "orefront view: no display (try `orefront render`)\n";
        return cli::kUsage;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
    glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
    glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
    glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE); // --width/--height in screen units on HiDPI
    GLFWwindow *window = glfwCreateWindow(o.width, o.height, "Orefront", nullptr, nullptr);
    if (!window) {
        glfwTerminate();
        std::cerr << "orefront view: cannot open an OpenGL 3.3 window\n";
        return cli::kUsage;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(o.benchFrames > 0 || o.benchTimeline > 0 ? 0 : 1);
    markGlThread();

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO &io = ImGui::GetIO();
    io.ConfigFlags |= ImGuiConfigFlags_DockingEnable;
    // The layout persists under the user's config directory, never the working directory.
    // A benchmark starts from the default layout and leaves the user's files alone.
    const std::string configDir =
        o.benchFrames > 0 || o.benchTimeline > 0 ? std::string{} : configDirectory();
    const std::string iniPath = configDir.empty() ? std::string{} : configDir + "/imgui.ini";
    io.IniFilename = iniPath.empty() ? nullptr : iniPath.c_str();
    float xscale = 1, yscale = 1;
    glfwGetWindowContentScale(window, &xscale, &yscale);
    setupUiStyle(o.uiScale > 0 ? o.uiScale : std::max(1.0f, xscale));
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 330 core");

    int rc = cli::kOk;
    {
        io::initGdal();
        ViewerApp app({scenarioOrDefault(o.scenario), o.basemap, 2, configDir, !o.fullRules});
        // Files dropped on the window become layers (after a confirmation in the viewer).
        static ViewerApp *dropTarget = nullptr;
        dropTarget = &app;
        glfwSetDropCallback(window, [](GLFWwindow *, int count, const char **paths) {
            if (dropTarget)
                dropTarget->dropFiles(std::vector<std::string>(paths, paths + count));
        });
        FrameBench bench(o.benchFrames, o.benchRules    ? BenchMode::Rules
                                        : o.benchRedraw ? BenchMode::Redraw
                                        : o.benchZoom   ? BenchMode::Zoom
                                                        : BenchMode::Hover);
        TimelineBench timelineBench(o.benchTimeline);
        // Where the window can be shown rectangle by rectangle (render/window_present.hpp),
        // the UI is kept offscreen in `kept` and repainted only where it changed
        // (render/ui_compositor.hpp). OREFRONT_PRESENT=swap paints and swaps whole frames.
        std::unique_ptr<WindowPresenter> presenter = WindowPresenter::create(window);
        UiCompositor compositor;
        GlFramebuffer kept;
        static bool exposed = false; // the window system lost what it showed: show all again
        glfwSetWindowRefreshCallback(window, [](GLFWwindow *) { exposed = true; });
        GLFWmonitor *monitor = glfwGetPrimaryMonitor();
        const GLFWvidmode *mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        const auto frameInterval =
            std::chrono::duration<double>(1.0 / (mode && mode->refreshRate > 0 ? mode->refreshRate : 60));
        std::vector<double> repainted; // share of the window repainted, per benchmark frame
        const auto benchStart = std::chrono::steady_clock::now();
        auto last = std::chrono::steady_clock::now();
        while (!glfwWindowShouldClose(window) && !app.quitRequested()) {
            glfwPollEvents();
            const auto start = std::chrono::steady_clock::now();
            ImGui_ImplOpenGL3_NewFrame();
            ImGui_ImplGlfw_NewFrame();
            if (o.benchFrames > 0)
                bench.beforeFrame(app);
            ImGui::NewFrame();
            {
                PassTimer t("frame: UI and map (CPU + GL)");
                app.draw(std::chrono::duration<double>(start - last).count());
            }
            last = start;
            ImGui::Render();
            int fbw, fbh;
            glfwGetFramebufferSize(window, &fbw, &fbh);
            glViewport(0, 0, fbw, fbh);
            // WindowBg: what shows between the docked panels (the dock space paints no
            // background of its own; ViewerApp::drawDockspace).
            const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
            {
                PassTimer t("frame: ImGui draw lists (GL)");
                const UiCompositor::DrawFn draw =
                    PassTimer::enabled() ? renderDrawDataByWindow : ImGui_ImplOpenGL3_RenderDrawData;
                if (presenter) {
                    kept.resize(fbw, fbh); // a new size: new storage, and a full repaint
                    glBindFramebuffer(GL_FRAMEBUFFER, kept.id());
                    compositor.render(*ImGui::GetDrawData(), {bg.x, bg.y, bg.z, 1.0f}, draw);
                    glBindFramebuffer(GL_FRAMEBUFFER, 0);
                    if (o.benchFrames > 0)
                        repainted.push_back(double(compositor.stats().pixels) / (double(fbw) * fbh));
                } else {
                    glClearColor(bg.x, bg.y, bg.z, 1.0f);
                    glClear(GL_COLOR_BUFFER_BIT);
                    draw(ImGui::GetDrawData());
                }
            }
            app.afterRender();
            if (presenter) {
                PassTimer t("frame: present");
                const auto &shown = compositor.stats();
                if (std::exchange(exposed, false))
                    presenter->present(kept.id(), {{0, 0, fbw, fbh}}, fbw, fbh);
                else
                    presenter->present(kept.id(), shown.rects, fbw, fbh);
                // No swap, so no vsync: a frame at most every refresh interval.
                if (o.benchFrames == 0 && o.benchTimeline == 0)
                    std::this_thread::sleep_until(
                        start +
                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(frameInterval));
            } else {
                PassTimer t("frame: swap");
                glfwSwapBuffers(window);
            }

            if (o.benchTimeline > 0) {
                glFinish();
                timelineBench.afterFrame(app);
                if (timelineBench.done())
                    break;
                if (std::chrono::steady_clock::now() - benchStart > std::chrono::minutes(10)) {
                    std::cerr << "orefront view: --bench-timeline did not finish within 10 minutes\n";
                    rc = cli::kInternal;
                    break;
                }
            }
            if (o.benchFrames > 0) {
                glFinish(); // the frame is on screen, not just queued
                bench.afterFrame(
                    app, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                             .count());
                if (bench.done())
                    break;
                if (!bench.timing() &&
                    std::chrono::steady_clock::now() - benchStart > std::chrono::minutes(5)) {
                    std::cerr << "orefront view: the scenario did not load within 5 minutes\n";
                    rc = cli::kInternal;
                    break;
                }
            }
        }
        if (o.benchTimeline > 0 && timelineBench.done())
            timelineBench.print(stdout, app.document().report().deposits.size());
        if (o.benchFrames > 0 && bench.timing())
            bench.print(stdout, reinterpret_cast<const char *>(glGetString(GL_RENDERER)), o.width, o.height);
        if (o.benchFrames > 0 && bench.timing() && !repainted.empty()) {
            std::vector<double> timed(
                repainted.end() - std::min<std::ptrdiff_t>(o.benchFrames, repainted.size()), repainted.end());
            std::sort(timed.begin(), timed.end());
            std::printf(
                "orefront view: UI repainted where it changed: median %.1f %% of the window per frame\n",
                100.0 * timed[timed.size() / 2]);
        }
        if (!app.lastError().empty()) {
            std::cerr << "orefront view: " << app.lastError() << "\n";
            if (o.benchFrames > 0)
                rc = cli::kBadInput;
        }
    }
    glfwSetDropCallback(window, nullptr);
    glfwSetWindowRefreshCallback(window, nullptr);
    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return rc;
}

} // namespace

CLI::App *addViewCommand(CLI::App &app, ViewOptions &opts) {
    auto *cmd = app.add_subcommand("view", "Open the map viewer (GLFW window, OpenGL 3.3)");
    cmd->add_option("scenario", opts.scenario, "Scenario TOML (default: the bundled scenario)");
    cmd->add_option("--basemap", opts.basemap, "Basemap: any GDAL vector source (default: Natural Earth)");
    cmd->add_option("--bench-frames", opts.benchFrames,
                    "Render N frames once loaded (the cursor sweeping the map), print the median and "
                    "95th-percentile frame time, exit")
        ->check(CLI::NonNegativeNumber);
    cmd->add_flag("--bench-redraw", opts.benchRedraw,
                  "With --bench-frames: pan a pixel a frame (dragging): the last image moves and the "
                  "uncovered strip is "
                  "drawn");
    cmd->add_flag(
        "--bench-zoom", opts.benchZoom,
        "With --bench-frames: zoom in and out by 0.2 % a frame, so that every frame draws the whole "
        "map from scratch (a pan keeps the last image and draws only the uncovered strip)");
    cmd->add_flag("--bench-full-rules", opts.fullRules,
                  "With --bench-rules: evaluate every rule edit anew, as before rules::update (the "
                  "before of an A/B run)");
    cmd->add_flag("--bench-rules", opts.benchRules,
                  "With --bench-frames: change the grade cut-off and a ring distance, print how long until "
                  "the new colours and rings are on screen and the longest frame meanwhile");
    cmd->add_option(
           "--bench-timeline", opts.benchTimeline,
           "Dated scenarios: visit every snapshot, then change the Timeline's date N times; print how "
           "long until each new date's colours are on screen, and exit")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--ui-scale", opts.uiScale,
                    "UI and font scale (default: the monitor's content scale, e.g. 2 on HiDPI)")
        ->check(CLI::Range(0.5, 4.0));
    cmd->add_option("--width", opts.width, "Window width")->check(CLI::Range(320, 8192));
    cmd->add_option("--height", opts.height, "Window height")->check(CLI::Range(240, 8192));
    return cmd;
}

CLI::App *addRenderCommand(CLI::App &app, RenderOptions &opts) {
    auto *cmd = app.add_subcommand("render", "Render the map to PNG, JPEG or WebP without a display (EGL)");
    cmd->add_option("scenario", opts.scenario, "Scenario TOML (default: the bundled scenario)");
    cmd->add_option(
           "-o,--output", opts.output,
           "Image to write: .png, .jpg (.jpeg) or .webp; an animation of the dated scenario: .gif or .mp4")
        ->required();
    cmd->add_option("--size", opts.size, "Image size WxH")->capture_default_str();
    cmd->add_option("--bbox", opts.bbox, "minlon,minlat,maxlon,maxlat (default: the war theatre)");
    cmd->add_option("--basemap", opts.basemap, "Basemap: any GDAL vector source (default: Natural Earth)");
    cmd->add_option("--from", opts.from, "Animation: first date, YYYY-MM-DD (default: the first snapshot)");
    cmd->add_option("--to", opts.to, "Animation: last date, YYYY-MM-DD (default: the last snapshot)");
    cmd->add_option("--step", opts.step, "Animation: 1d, 7d, 2w, 1m ... or snapshots")->capture_default_str();
    cmd->add_option("--fps", opts.fps, "Animation: frames a second")
        ->check(CLI::Range(0.1, 60.0))
        ->capture_default_str();
    cmd->add_flag("--no-annotations", opts.noAnnotations,
                  "Leave the scenario's annotations (and their what-if hostile markings) off the image");
    return cmd;
}

int runRender(const RenderOptions &opts) {
    return guardedRun("render", [&] { return render(opts); });
}

int runView(const ViewOptions &opts) {
    return guardedRun("view", [&] { return view(opts); });
}

} // namespace orefront::viewer
