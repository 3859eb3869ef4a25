#pragma once
// File > Export animation...: from, to, step, GIF or MP4, size and path, in a modal. Draw()
// returns the request when the user presses Export; ViewerApp runs it (animation_export.hpp).
#include "animation_export.hpp"

#include "orefront/model/series.hpp"

#include <optional>
#include <string>

namespace orefront::viewer {

struct AnimationDialog {
    // Opens the modal over [first, last] (the scenario's snapshots), the path in `directory`.
    void open(model::Date first, model::Date last, const std::string &directory);
    std::optional<AnimationExportRequest> Draw();

    bool m_openRequested = false;
    char m_from[16] = "", m_to[16] = "";
    int m_step = 2;   // kSteps
    int m_format = 0; // 0 GIF, 1 MP4
    int m_size[2] = {1280, 800};
    char m_path[1024] = "";
    float m_fps = 4;
};

} // namespace orefront::viewer
