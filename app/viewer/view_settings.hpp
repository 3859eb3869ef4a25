#pragma once
// The viewer's persistent options, as plain data (Tracy's ViewData): what the map shows and
// how. Windows read and write it directly; nothing else mirrors it.
#include "map_labels.hpp"
#include "render/map_renderer.hpp"

#include "orefront/model/scenario.hpp"

#include <map>
#include <string>

namespace orefront::viewer {

struct ViewSettings {
    MapStyle style;
    bool legend = true;
    bool scaleBar = true;
    bool ringLabels = true;
    bool graticuleLabels = true;
    LabelSettings labels; // per layer id: labels on or off, and the field shown
};

// What the Rules window edits. The app applies it when it differs from what the map shows:
// thresholds re-evaluate the rules on the rules worker, ring distances rebuild the rings on
// a worker; the map shows the results in the frame after they arrive.
struct RuleEdits {
    model::Thresholds thresholds;
    std::map<std::string, model::Severity> severities;
};

} // namespace orefront::viewer
