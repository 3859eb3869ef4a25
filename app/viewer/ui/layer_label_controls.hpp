#pragma once
// The Layers window's label controls for one layer: a "labels" checkbox and the field the
// labels show. Edits `settings` (ViewSettings::labels) in place.
#include "map_document.hpp"
#include "map_labels.hpp"

namespace orefront::viewer {

void drawLayerLabelControls(const MapLayer &layer, LabelSettings &settings);

} // namespace orefront::viewer
