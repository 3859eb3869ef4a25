#pragma once
// Compare two dates on the map (Timeline > Compare): the deposits whose verdict changed between
// date A and the date shown (B) ringed in a halo of their own, A's front outlined over B's map,
// and a legend box naming both. Drawn with ImGui's draw list over the map image, as the
// annotations are. frontOutline() is GL- and ImGui-free (worker); the draw is UI thread only.
#include "map_document.hpp"
#include "render/mercator.hpp"

#include "orefront/model/project.hpp"
#include "orefront/model/series.hpp"

#include <imgui.h>

#include <vector>

namespace orefront::viewer {

// The halo's colour: a magenta that no verdict, layer or selection ring uses.
inline constexpr ImU32 kChangedHalo = IM_COL32(200, 0, 200, 255);
inline constexpr ImU32 kFrontA = IM_COL32(40, 40, 160, 255);

// A date's front as lines to draw: the rings of its occupied areas (hostile layers drawn as
// occupied territory, not a whole hostile state) and its front lines.
struct FrontOutline {
    model::Date date;
    std::vector<model::Path> paths;
};
FrontOutline frontOutline(const model::Project &project, model::Date date);

struct CompareView {
    model::Date a, b;
    const std::vector<int> *changed = nullptr; // deposit indices into doc's report
    const FrontOutline *frontA = nullptr;      // null: not drawn
};

// Draws the halos, A's outline and the legend box within the map whose top-left is `origin`
// and whose size is the camera's.
void drawCompareOverlay(ImDrawList *dl, ImVec2 origin, const Camera &camera, const MapDocument &doc,
                        const CompareView &view);

} // namespace orefront::viewer
