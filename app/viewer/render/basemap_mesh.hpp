#pragma once
// A basemap's mesh. A world basemap's triangles and segments were the largest share of a full
// redraw on llvmpipe (Natural Earth's 241 countries: 100k fill indices and 180k segment indices
// in a view of Europe), so it is meshed as it is seen: the land is one fill, the union of the
// polygons, with no triangle along a border inside it; and each border is outlined once, not
// once for each country on either side. The look is the same: every polygon of a basemap is
// filled in one colour and outlined in one. GL-free, for worker threads.
#include "render/layer_mesh.hpp"

#include <string>

namespace orefront::viewer {

// The paths that outline `layer`'s polygon rings with each segment once: a segment that an
// earlier ring already has, walked either way, is left out, and so are edges along the
// antimeridian (cuts, not borders). Shared borders are found where both sides have the same
// coordinates, as in a topology (TopoJSON) or a clean coverage; elsewhere both are drawn.
std::vector<model::Path> uniqueOutlines(const model::Layer &layer);

// The basemap's mesh: the union of its polygons filled, uniqueOutlines() as lines, its lines
// and points as they are, with levels of detail. Where GEOS cannot union the polygons even
// after repairing them, the polygons are filled one by one as buildLayerMesh() does, and
// `note` (if given) says why.
LayerMesh buildBasemapMesh(const model::Layer &layer, std::string *note = nullptr);

} // namespace orefront::viewer
