// `orefront render --from D1 --to D2 --step 7d -o front.gif|front.mp4`: the map at each date
// of a dated scenario, the date burned in, written as an animation (export/animation_writer).
#include "render_animation.hpp"

#include "map_image.hpp"
#include "map_scene.hpp"
#include "render/headless_gl.hpp"
#include "scenario_snapshot.hpp"
#include "view_fit.hpp"

#include "orefront/export/animation_writer.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/series_io.hpp"
#include "orefront/model/error.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

namespace orefront::viewer {

namespace {

std::optional<model::Date> parseDate(const std::string &text, const char *option) {
    if (text.empty())
        return std::nullopt;
    const auto d = model::Date::parseIso(text);
    if (!d)
        throw UsageError(std::string(option) + ": '" + text + "' is not a date (YYYY-MM-DD)");
    return d;
}

// What tells two dates' scenarios apart: the sources (and dates) of their series layers.
std::string snapshotKey(const model::Scenario &s) {
    std::string key;
    for (const auto &l : s.layers)
        key += l.source + "@" + l.date.value_or("") + "\n";
    return key;
}

} // namespace

std::vector<model::Date> animationDates(const model::Scenario &scenario, const AnimationRange &range) {
    const auto snapshots = io::seriesDates(scenario);
    if (snapshots.empty())
        throw InputError("scenario '" + scenario.name +
                         "' has no dated series (README, Dated layers): an animation needs one");
    const model::Date from = parseDate(range.from, "--from").value_or(snapshots.front());
    const model::Date to = parseDate(range.to, "--to").value_or(snapshots.back());
    if (to < from)
        throw UsageError("--to " + to.iso() + " is before --from " + from.iso());
    if (from < snapshots.front())
        throw InputError("--from " + from.iso() + " is before the first snapshot (" +
                         snapshots.front().iso() + ") of scenario '" + scenario.name + "'");
    std::vector<model::Date> out;
    if (range.step == "snapshots") {
        out.push_back(from);
        for (const auto &d : snapshots)
            if (d > from && d <= to)
                out.push_back(d);
        return out;
    }
    // "7d", "2w", "1m": a count and a unit.
    int n = 0;
    char unit = 0, tail = 0;
    if (std::sscanf(range.step.c_str(), "%d%c%c", &n, &unit, &tail) != 2 || n < 1 ||
        (unit != 'd' && unit != 'w' && unit != 'm'))
        throw UsageError("--step: '" + range.step + "' is not a step (1d, 7d, 2w, 1m or snapshots)");
    for (int k = 0;; ++k) {
        const model::Date d =
            unit == 'm' ? from.addMonths(k * n) : from.addDays(long(k) * n * (unit == 'w' ? 7 : 1));
        if (d > to)
            break;
        out.push_back(d);
        if (out.size() > 10000)
            throw UsageError("--step " + range.step + ": more than 10000 frames from " + from.iso() + " to " +
                             to.iso());
    }
    return out;
}

AnimationStats renderAnimation(const std::string &scenarioPath, const AnimationRange &range,
                               const std::string &output, int width, int height, const model::BBox *bbox,
                               const MapLayer *basemap, const OverlayOptions &overlay,
                               const model::AnnotationSet *annotations) {
    const auto t0 = std::chrono::steady_clock::now();
    const model::Scenario base = io::loadScenario(scenarioPath);
    const auto dates = animationDates(base, range);
    exporting::AnimationWriter writer(output, width, height, range.fps);

    HeadlessGl gl;
    MapRenderer renderer;
    MapImageComposer composer;
    Camera camera;
    camera.width = width;
    camera.height = height;

    // Prepared once per distinct snapshot: a weekly run over six snapshots measures six times.
    // With annotations marked "counts as hostile", each is judged with them, as `render` does.
    struct Prepared {
        std::shared_ptr<const ScenarioSnapshot> snapshot;
        std::shared_ptr<const RingSet> rings;
        std::optional<MapDocument::RuleResult> rules;
    };
    const bool marked =
        annotations && std::any_of(annotations->annotations.begin(), annotations->annotations.end(),
                                   [](const model::Annotation &a) { return a.countsAsHostile; });
    std::map<std::string, Prepared> prepared;
    std::shared_ptr<const ScenarioSnapshot> first;
    AnimationStats stats;
    bool fitted = false;
    for (const model::Date &date : dates) {
        const model::Scenario at = io::scenarioAt(base, date);
        auto &p = prepared[snapshotKey(at)];
        if (!p.snapshot) {
            // After the first, only the series layers are read again (loadScenarioSnapshotAt).
            p.snapshot = first ? loadScenarioSnapshotAt(*first, at, 0) : loadScenarioSnapshot(at, 0);
            if (!first)
                first = p.snapshot;
            p.rings = buildRingSet(*p.snapshot, p.snapshot->project->scenario.thresholds.ringsKm);
            if (marked) {
                MapDocument judged;
                showScenario(judged, p.snapshot, p.rings);
                applyHostileMarkings(judged, *annotations);
                p.snapshot = judged.snapshotPtr();
                p.rings = judged.ringSet();
                p.rules = MapDocument::RuleResult{judged.report(), judged.markerColours()};
            }
            ++stats.snapshots;
        }
        MapDocument doc;
        showAnimationFrame(doc, basemap, *p.snapshot, date, p.rings, p.rules);
        if (!fitted) {
            // The view fits the scenario, not the what-if (as `render` fits it).
            camera.fit(bbox ? *bbox : theatreBounds(*first), bbox ? 0.02 : 0.0);
            fitted = true;
        }
        const Image image = composer.compose(renderer, doc, camera, MapStyle{}, overlay);
        writer.addFrame(image.rgba.data());
    }
    writer.finish();
    stats.frames = writer.frames();
    stats.first = dates.front().iso();
    stats.last = dates.back().iso();
    stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return stats;
}

} // namespace orefront::viewer
