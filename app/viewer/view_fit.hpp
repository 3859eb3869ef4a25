#pragma once
// View fitting: which part of the world the map opens on.
#include "scenario_snapshot.hpp"

#include "orefront/model/geometry.hpp"

namespace orefront::viewer {

// The default view: the war theatre (front lines, occupied areas and the deposits of the
// attacked country), not the whole world a hostile state or a worldwide deposit list spans.
model::BBox theatreBounds(const ScenarioSnapshot &snapshot);

} // namespace orefront::viewer
