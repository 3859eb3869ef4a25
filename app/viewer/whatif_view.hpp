#pragma once
// What-if fronts in the viewer (the What-if panel, README: What-if fronts): a named what-if
// applied to the scenario shown and judged beside it with core's applyWhatIf, judge and
// diffVerdicts (what `orefront whatif` runs), and its front drawn over the map, dashed.
// computeWhatIf() is GL- and ImGui-free (a worker); the draw is UI thread only.
#include "render/mercator.hpp"
#include "render/style.hpp"
#include "scenario_snapshot.hpp"

#include "orefront/model/scenario.hpp"
#include "orefront/rules/rules.hpp"

#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

namespace orefront::viewer {

// The what-if front's look: a near-black dashed line on a white casing, apart from the solid
// red front lines, the violet hypothetical-front annotations and every verdict colour.
inline constexpr Rgba kWhatIfFront{25, 25, 25, 255};

// A deposit whose verdict the what-if flips.
struct WhatIfFlip {
    int deposit = -1; // index into the report shown
    std::string name;
    rules::Verdict real = rules::Verdict::Unknown, whatif = rules::Verdict::Unknown;
    std::string reason; // "front 120.4 -> 31.2 km; occupied", the rules fired or cleared
};

struct WhatIfView {
    model::WhatIf whatif;
    std::string description; // analysis::describeWhatIf
    // What the analysis measures from in the what-if: the shifted territory's boundary, or
    // the hypothetical front line (lon/lat paths).
    std::vector<model::Path> front;
    std::vector<WhatIfFlip> flips;
    std::size_t deposits = 0;
    std::vector<std::string> warnings;
};

// `w` applied to `shown` (the snapshot on screen) judged with `applied` (its scenario with
// the thresholds and severities as applied), beside the real verdicts. Heavy: a worker.
// Throws orefront::Error as analysis::applyWhatIf does (the what-if named).
WhatIfView computeWhatIf(const ScenarioSnapshot &shown, const model::Scenario &applied,
                         const model::WhatIf &w);

// The what-if's front within the map whose top-left is `origin`, dashed.
void drawWhatIfFront(ImDrawList *dl, ImVec2 origin, const Camera &camera, const WhatIfView &view);

} // namespace orefront::viewer
