#pragma once
// Animations of a dated scenario: the map at each date of a range, the date burned in, as a
// GIF or an MP4 (exporting::AnimationWriter). Headless (EGL); GL thread only.
#include "map_document.hpp"
#include "map_overlay.hpp"

#include "orefront/model/annotation.hpp"
#include "orefront/model/scenario.hpp"
#include "orefront/model/series.hpp"

#include <string>
#include <vector>

namespace orefront::viewer {

struct AnimationRange {
    std::string from, to;           // YYYY-MM-DD; empty: the first / last snapshot
    std::string step = "snapshots"; // Nd, Nm or snapshots (analysis::parseHistoryStep)
    double fps = 4;
};

// The dates an animation draws. Throws UsageError for a bad date or step, InputError for a
// scenario with no dated series.
std::vector<model::Date> animationDates(const model::Scenario &scenario, const AnimationRange &range);

struct AnimationStats {
    int frames = 0;
    int snapshots = 0; // distinct snapshots measured
    std::string first, last;
    double seconds = 0;
};

// Renders and writes the animation; nothing is left at `output` on failure. `basemap`, when
// given, is drawn under every frame; `overlay.annotations` over every frame. `annotations`, when
// given, are the scenario's: those marked "counts as hostile" join each snapshot's hostile
// positions (map_scene's applyHostileMarkings), as `orefront render` judges one date. Throws
// orefront::Error.
AnimationStats renderAnimation(const std::string &scenarioPath, const AnimationRange &range,
                               const std::string &output, int width, int height, const model::BBox *bbox,
                               const MapLayer *basemap, const OverlayOptions &overlay,
                               const model::AnnotationSet *annotations = nullptr);

} // namespace orefront::viewer
