#pragma once
// Annotations to and from files through GDAL: GeoJSON, KML (what Google Earth users hold) and
// GeoPackage. Styles survive a round trip: as fields (stroke, fill, width_px, text_size_pt) in
// every format, and for KML also as real KML <Style>s (OGR style strings through the LIBKML
// driver), which are what a KML from elsewhere carries and what import reads when the fields
// are absent. Thread rules: each call opens, uses and closes its own datasets.
#include "orefront/model/annotation.hpp"

#include <string>
#include <vector>

namespace orefront::io {

enum class AnnotationFileFormat { GeoJson, Kml, Gpkg };

// From the file's extension (.geojson/.json, .kml, .gpkg). Throws InputError naming the file
// otherwise.
AnnotationFileFormat annotationFileFormat(const std::string &path);

// Every feature of every layer of `path` (any GDAL vector source) as annotations, and the
// deposit notes of a `deposit_notes` table. Kinds, styles and the other fields come from the
// file where it has them (see annotation_ogr.hpp for the defaults). Ids and versions are the
// file's; a store assigns its own on add. Throws InputError naming the file, layer and feature.
model::AnnotationSet readAnnotationFile(const std::string &path);

// Writes `set` to `path` in the format of its extension: through a temporary file beside it,
// renamed into place, so a failure leaves no partial file. GeoPackage also gets the notes.
// Throws OutputError (InputError for an unknown extension or a missing directory).
void writeAnnotationFile(const model::AnnotationSet &set, const std::string &path);

// A WKT POINT, LINESTRING or POLYGON (one ring), lon/lat degrees, for `annotations add --wkt`.
struct WktShape {
    std::vector<model::LonLat> vertices; // a polygon's ring closed (first point repeated)
    int dimension = 0;                   // 0 point, 1 line, 2 polygon
};
// Throws InputError quoting the WKT when GDAL cannot read it or it is another type.
WktShape parseAnnotationWkt(const std::string &wkt);

} // namespace orefront::io
