#pragma once
// Rules window: every threshold as a slider or input, each rule's severity, and the range
// rings. Edits RuleEdits only; the app applies them (live) and rebuilds rings off-thread.
#include "view_settings.hpp"

namespace orefront::viewer {

struct RulesWindow {
    void Draw(const char *title, bool *p_open, RuleEdits &edits, bool ringsBuilding);
};

} // namespace orefront::viewer
