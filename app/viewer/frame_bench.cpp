#include "frame_bench.hpp"

#include "render/pass_profile.hpp"
#include "viewer_app.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

namespace orefront::viewer {

namespace {

constexpr int kSettleFrames = 10; // frames between a result on screen and the next edit

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[std::min(v.size() - 1, std::size_t(p * double(v.size() - 1) + 0.5))];
}

} // namespace

void FrameBench::beforeFrame(ViewerApp &app) {
    if (!m_timing) {
        if (app.busy() || !app.document().snapshot())
            return;
        m_timing = true;
        PassTimer::reset();  // the passes of the timed frames only
        app.invalidateMap(); // the first timed frame draws the map
        m_drawsAtStart = app.mapDraws();
        if (m_mode == BenchMode::Rules) {
            const auto &t = app.document().scenario()->thresholds;
            const double g = t.gradeCutoffPct;
            for (double grade : {g + 1.0, g - 0.5, g + 0.5, g})
                m_script.push_back({"grade cut-off", grade, {}});
            std::vector<double> rings = t.ringsKm;
            if (!rings.empty()) {
                const double outer = rings.back();
                for (double last : {outer * 1.25, outer * 1.5, outer}) {
                    rings.back() = last;
                    m_script.push_back({"ring distance", 0, rings});
                }
            }
        }
    }
    const int frame = int(m_frameMs.size());
    if (m_mode == BenchMode::Redraw) {
        app.controller().camera().pan(frame % 200 < 100 ? 1 : -1, 0);
    } else if (m_mode == BenchMode::Zoom) {
        auto &camera = app.controller().camera();
        camera.zoomAround(camera.width / 2.0, camera.height / 2.0, frame % 200 < 100 ? 1.002 : 1 / 1.002);
    } else {
        // The cursor wanders over the map in a Lissajous figure, a few pixels a frame.
        const ImVec2 o = app.mapOrigin();
        const auto &c = app.controller().camera();
        const double t = frame * 0.02;
        ImGui::GetIO().AddMousePosEvent(o.x + float(c.width * (0.5 + 0.45 * std::sin(t * 1.3))),
                                        o.y + float(c.height * (0.5 + 0.45 * std::sin(t * 1.9 + 0.5))));
    }
    if (m_mode == BenchMode::Rules && !m_waiting && ++m_idleFrames > kSettleFrames &&
        m_next < m_script.size())
        startEdit(app);
}

void FrameBench::startEdit(ViewerApp &app) {
    const Edit &e = m_script[m_next];
    if (e.grade > 0)
        app.ruleEdits().thresholds.gradeCutoffPct = e.grade;
    else
        app.ruleEdits().thresholds.ringsKm = e.rings;
    m_waiting = true;
    m_editStart = Clock::now();
    m_editMaxFrame = 0;
}

bool FrameBench::editShown(const ViewerApp &app) const {
    const Edit &e = m_script[m_next];
    const MapDocument &doc = app.document();
    const bool applied = e.grade > 0 ? doc.scenario()->thresholds.gradeCutoffPct == e.grade
                                     : doc.rings() && doc.rings()->km == e.rings;
    return applied && app.mapUpToDate();
}

void FrameBench::afterFrame(ViewerApp &app, double ms) {
    if (!m_timing)
        return;
    m_frameMs.push_back(ms);
    m_draws = app.mapDraws() - m_drawsAtStart;
    if (!m_waiting)
        return;
    m_editMaxFrame = std::max(m_editMaxFrame, ms);
    if (editShown(app)) {
        const Clock::time_point now = Clock::now();
        const auto ms = [](Clock::time_point a, Clock::time_point b) {
            return a.time_since_epoch().count() && b.time_since_epoch().count()
                       ? std::chrono::duration<double, std::milli>(b - a).count()
                       : 0.0;
        };
        const ViewerApp::JobTrace &t = m_script[m_next].grade > 0 ? app.rulesTrace() : app.ringsTrace();
        Latency l{m_script[m_next].what, ms(m_editStart, now), m_editMaxFrame};
        l.submit = ms(m_editStart, t.submitted);
        l.queue = ms(t.submitted, t.started);
        l.compute = ms(t.started, t.computed);
        l.finish = ms(t.computed, t.finished);
        l.toUi = ms(t.finished, t.applied);
        l.frame = ms(t.applied, now);
        l.drawMs = app.lastDrawMs();
        l.mapMs = app.lastMapWindowMs();
        l.jobCpu = t.cpuMs;
        l.drawCpu = app.lastDrawCpuMs();
        m_latencies.push_back(l);
        m_waiting = false;
        m_idleFrames = 0;
        ++m_next;
    }
}

bool FrameBench::done() const {
    const int frames = int(m_frameMs.size());
    // Rules: at least N frames and the whole script, but not for ever if a job never ends.
    if (m_mode == BenchMode::Rules && frames < 20 * m_frames)
        return frames >= m_frames && m_next == m_script.size() && m_idleFrames >= kSettleFrames;
    return frames >= m_frames;
}

void FrameBench::print(std::FILE *out, const std::string &renderer, int width, int height) const {
    static const char *const kNames[] = {"hover", "redraw", "rules", "zoom"};
    std::fprintf(out,
                 "orefront view: %zu frames (%s, map drawn %zu times) at %dx%d on %s: median %.2f ms, p95 "
                 "%.2f ms, max %.2f ms\n",
                 m_frameMs.size(), kNames[int(m_mode)], m_draws, width, height, renderer.c_str(),
                 percentile(m_frameMs, 0.5), percentile(m_frameMs, 0.95), percentile(m_frameMs, 1.0));
    for (const char *what : {"grade cut-off", "ring distance"}) {
        std::vector<double> ms;
        double worstFrame = 0;
        std::vector<Latency> of;
        for (const auto &l : m_latencies)
            if (std::string(l.what) == what) {
                ms.push_back(l.ms);
                worstFrame = std::max(worstFrame, l.maxFrameMs);
                of.push_back(l);
            }
        if (ms.empty())
            continue;
        std::fprintf(out,
                     "orefront view: %s changed %zu times: on screen after median %.1f ms, max %.1f ms; "
                     "longest frame meanwhile %.1f ms\n",
                     what, ms.size(), percentile(ms, 0.5), percentile(ms, 1.0), worstFrame);
        const auto median = [&](double Latency::*field) {
            std::vector<double> v;
            for (const auto &l : of)
                v.push_back(l.*field);
            return percentile(v, 0.5);
        };
        const bool rings = std::string(what) == "ring distance";
        std::fprintf(out,
                     "orefront view: %s, medians: to the job %.1f ms, worker wait %.1f, %s %.1f, %s %.1f "
                     "(job CPU %.1f), to the UI thread %.1f, applied to on screen %.1f (that frame's draw() "
                     "%.1f, CPU %.1f, map window %.1f)\n",
                     what, median(&Latency::submit), median(&Latency::queue),
                     rings ? "ring build" : "evaluate", median(&Latency::compute), rings ? "mesh" : "colours",
                     median(&Latency::finish), median(&Latency::jobCpu), median(&Latency::toUi),
                     median(&Latency::frame), median(&Latency::drawMs), median(&Latency::drawCpu),
                     median(&Latency::mapMs));
    }
    PassTimer::print(out); // with OREFRONT_PASS_PROFILE=1
    if (m_mode == BenchMode::Rules && m_next < m_script.size())
        std::fprintf(out, "orefront view: only %zu of %zu rule edits reached the screen\n", m_next,
                     m_script.size());
}

} // namespace orefront::viewer
