#pragma once
// Inspector: everything about the selected deposit: its attributes, measurements and each
// rule's pass/fail with the threshold it was held to.
#include "map_document.hpp"

namespace orefront::viewer {

struct InspectorWindow {
    void Draw(const char *title, bool *p_open, const MapDocument &doc, int selected);
};

} // namespace orefront::viewer
