#pragma once
// Private: annotations and deposit notes to and from OGR features, shared by the GDAL store
// (annotation_store.cpp) and the GeoJSON/KML/GeoPackage import and export
// (annotation_files.cpp). The one place that knows the field names of the schema.
#include "orefront/model/annotation.hpp"

#include <ogrsf_frmts.h>

#include <string>

namespace orefront::io::detail {

inline constexpr const char *kAnnotationsLayer = "annotations";
inline constexpr const char *kNotesLayer = "deposit_notes";
inline constexpr const char *kMetaLayer = "orefront_meta";

// Adds the annotation fields (id, kind, label, group, ... version) to `layer`, those it lacks.
// Throws OutputError naming `where` on failure.
void ensureAnnotationFields(OGRLayer &layer, const std::string &where);
void ensureNoteFields(OGRLayer &layer, const std::string &where);

// The annotation's geometry as OGR (EPSG:4326, lon/lat): a point, a line string or a polygon.
std::unique_ptr<OGRGeometry> annotationOgrGeometry(const model::Annotation &a);

// Sets every field of the schema that `feature`'s definition has, and the geometry, and the
// OGR style string (PEN/BRUSH/LABEL: what the LIBKML driver writes as a KML <Style>).
void annotationToFeature(const model::Annotation &a, OGRFeature &feature);

// Reads an annotation back. Fields the feature lacks take their defaults: the kind from the
// geometry (point: marker, line: line, polygon: area), the style from the OGR style string
// (a KML <Style>) when there are no stroke/fill fields. Throws InputError naming `where`
// (the file and layer) and the feature on a geometry or value the model cannot hold.
model::Annotation annotationFromFeature(OGRFeature &feature, const std::string &where);

void noteToFeature(const model::DepositNote &n, OGRFeature &feature);
model::DepositNote noteFromFeature(OGRFeature &feature);

// The OGR style string for a style, e.g. 'PEN(c:#c81e1eff,w:2px);BRUSH(fc:#c81e1e40)'.
std::string ogrStyleString(const model::Annotation &a);

} // namespace orefront::io::detail
