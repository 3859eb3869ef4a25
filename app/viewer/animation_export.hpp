#pragma once
// File > Export animation... in the viewer: the dates from..to by a step (render_animation.hpp's
// animationDates, as `orefront render --from --to --step` picks them), each drawn with the date
// burned in as the title, written as a GIF or an MP4 (exporting::AnimationWriter: a temporary
// file beside the path, renamed into place on finish, removed on failure: nothing partial).
// The snapshots are prepared on workers first (ViewerApp); the frames are then composed on the
// GL thread a few per UI frame, since the composer and ImGui's current context are not
// thread-safe, so the viewer stays live and shows progress.
// Thread rule: construct, step and destroy on the GL thread.
#include "map_document.hpp"
#include "map_overlay.hpp"
#include "render_animation.hpp"
#include "scenario_snapshot.hpp"

#include "orefront/export/animation_writer.hpp"
#include "orefront/model/series.hpp"

#include <memory>
#include <string>
#include <vector>

namespace orefront::viewer {

class MapImageComposer;
class MapRenderer;

struct AnimationExportRequest {
    std::string path; // .gif or .mp4
    AnimationRange range;
    int width = 1280, height = 800;
};

class AnimationExport {
public:
    // Opens the output. Throws OutputError naming the path (a directory that does not exist, no
    // permission), UsageError for another extension.
    AnimationExport(const AnimationExportRequest &request, std::vector<model::Date> dates);

    // One frame to draw: the snapshot in force at `date` with its verdicts.
    struct Frame {
        model::Date date;
        std::shared_ptr<const ScenarioSnapshot> snapshot;
        std::shared_ptr<const RingSet> rings;
        std::shared_ptr<const MapDocument::RuleResult> rules;
    };
    const std::vector<model::Date> &dates() const { return m_dates; }
    // The frames once prepared, parallel to dates().
    void setFrames(std::vector<Frame> frames);
    bool prepared() const { return !m_frames.empty(); }

    // Composes and writes frames for about `budgetSeconds` (at least one). Returns true once
    // every frame is written and the file is in place. Throws orefront::Error; the output is
    // then removed when this object goes.
    bool step(MapRenderer &renderer, MapImageComposer &composer, const MapLayer *basemap,
              const OverlayOptions &overlay, double budgetSeconds);

    int written() const { return m_next; }
    int total() const { return int(m_dates.size()); }
    const std::string &path() const { return m_request.path; }

private:
    AnimationExportRequest m_request;
    std::vector<model::Date> m_dates;
    std::vector<Frame> m_frames;
    exporting::AnimationWriter m_writer;
    Camera m_camera;
    int m_next = 0;
    bool m_finished = false;
};

} // namespace orefront::viewer
