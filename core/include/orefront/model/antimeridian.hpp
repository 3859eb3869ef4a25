#pragma once
// Geometry that crosses the antimeridian, cut for a flat map. Natural Earth as world-atlas
// ships it stores Chukotka, Wrangel Island, Fiji and Antarctica with edges from +179.9 to
// -180. Read as planar lon/lat, such an edge spans the whole world: GEOS calls the polygon
// invalid and MakeValid turns it into a band round the Arctic; a map draws a line across
// the map and fills the band. The loader cuts polygons as it reads them (io::loadLayer);
// the viewer cuts what it meshes. Pure functions of lon/lat values; any thread.
#include "orefront/model/geometry.hpp"

#include <vector>

namespace orefront::model {

// Whether an edge from `a` to `b` jumps across the antimeridian: the stored longitudes differ
// by more than 180 degrees (the short way round spans it), and the edge does not lie along
// the antimeridian itself (-180 to +180 at one latitude is a cut, as in a world box).
bool crossesAntimeridian(LonLat a, LonLat b);

// Whether an edge lies on the antimeridian itself (both ends at longitude +-180): where a
// polygon was cut to fit the map, not a border to draw.
bool isAntimeridianCut(LonLat a, LonLat b);

// `path` cut where it crosses the antimeridian: the pieces end and start at +-180 (the
// crossing latitude interpolated). A path that does not cross comes back whole.
std::vector<Path> splitPathAtAntimeridian(const Path &path);

// `polygon` cut at the antimeridian into polygons within [-180, 180]: each ring's longitudes
// are made continuous, a ring that circles a pole (Antarctica) is closed along that pole,
// and the result is clipped to each world copy it covers and moved back by 360 degrees.
// A ring circling a pole within 0.01 degrees of it encloses nothing a map can show and is
// dropped; the exterior it was (world-atlas's Antarctica: a cap round the pole, the coast
// as its "hole") gives way to the polygon's first other ring that circles the pole.
// Rings come back closed (first point repeated). A polygon that crosses nothing comes back
// as is; the cut edges lie on +-180 (isAntimeridianCut).
std::vector<Polygon> splitPolygonAtAntimeridian(const Polygon &polygon);

} // namespace orefront::model
