#pragma once
// What a briefing sheet says, computed headless: title, the two dates, the layers in view
// (the legend lists only those), the credit of every source shown, the thresholds and rules
// in force, and the deposits in view with their verdicts. The drawing (app/viewer/briefing_*)
// and the Geospatial PDF writer (export/geospatial_pdf.hpp) read it; neither decides content.
// Pure data and functions of their arguments: thread-safe.
#include "orefront/analysis/analysis.hpp"
#include "orefront/model/annotation.hpp"
#include "orefront/model/project.hpp"
#include "orefront/rules/rules.hpp"
#include "orefront/rules/what_if.hpp"

#include <ctime>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace orefront::exporting {

struct Paper {
    std::string name; // "A4", "A3", "letter"
    double widthMm = 0, heightMm = 0;
};
// A4, A3 or letter (any case), portrait unless `landscape`; nullopt for any other name.
std::optional<Paper> paperByName(const std::string &name, bool landscape);
// "A4, A3, letter": for messages.
const char *paperNames();

// Parses "minlon,minlat,maxlon,maxlat". Throws InputError (exit 2) naming the text when it is
// not four numbers, or the box is empty or outside -180..180 / -90..90.
model::BBox parseBriefingBBox(const std::string &text);

// The classification banner's colours, by the level the text starts with (case-insensitive):
// UNCLASSIFIED green, CONFIDENTIAL blue, SECRET red, TOP SECRET orange, anything else a
// neutral grey; the text colour is chosen to read on it.
struct BannerColours {
    unsigned char fill[3];
    unsigned char text[3];
};
BannerColours bannerColours(const std::string &classification);

struct BriefingLayer {
    std::string id, name;
    model::LayerRole role = model::LayerRole::Other;
    std::string style;        // the scenario layer's style key (legend class)
    std::size_t features = 0; // features in view
};

struct BriefingRow {
    int deposit = -1; // index into the deposits layer
    std::string name, country;
    rules::Verdict verdict = rules::Verdict::Unknown;
    std::optional<double> frontKm; // ellipsoidal distance to the nearest hostile position
    std::optional<double> ringKm;  // the smallest range ring the deposit lies in
    std::string reasons;           // reason codes, comma-separated
    std::string note;              // the analyst's note on the deposit, if any
    model::LonLat at;
};

struct BriefingOptions {
    std::string title;          // empty: the scenario's name
    std::string classification; // empty: "UNCLASSIFIED"
    std::optional<model::BBox> bbox;
    std::time_t prepared = 0; // 0: now
    // The annotation store's content: visible annotations in view go on the map, deposit
    // notes (by deposit name) into the table. Null: none.
    const model::AnnotationSet *annotations = nullptr;
    // The verdicts with the annotations marked "counts as hostile" (rules::evaluateWithAnnotations
    // over `annotations`), when the report and measurements passed are its: the sheet lists
    // which marked annotation changed which verdict. Null or nothing marked: no such section.
    const rules::WhatIf *whatIf = nullptr;
};

struct Briefing {
    std::string title, classification;
    std::string situationDate;                  // the date the scenario describes, or "not stated"
    std::string preparedAt;                     // "2026-12-01 13:55 UTC"
    model::BBox bbox;                           // what the map shows (the caller's camera may widen it)
    std::vector<BriefingLayer> layers;          // scenario layers with features in view, draw order
    std::vector<std::string> attribution;       // one line per source shown
    std::vector<std::string> rules;             // thresholds and rule severities in force
    std::vector<BriefingRow> deposits;          // in view: not investable first, then by name
    std::map<rules::Verdict, int> counts;       // deposits in view by verdict
    std::vector<model::Annotation> annotations; // visible ones in view
    // "What-if markings": one line per marked annotation, "label (kind): deposit from -> to,
    // ..." for the verdicts it changes alone, or one line ending "none changed a verdict".
    // Empty when no annotation is marked.
    std::vector<std::string> whatIf;
};

// An annotation's shape on the map, lon/lat: a range circle as a geodesic polygon (PROJ's
// geod_direct, 180 vertices), an area (or a closed measurement) as a polygon, an arrow, line
// or measurement as a path, a marker or text as its point.
model::Geometry annotationGeometry(const model::Annotation &a);

// The sheet's content for `bbox` (opts.bbox, else the caller's) from a measured project and its
// report (parallel to the deposits layer). `extraCredits` are the credits of sources drawn
// that are not scenario layers (the basemap).
Briefing buildBriefing(const model::Project &project, const analysis::Measurements &measurements,
                       const rules::Report &report, const model::BBox &bbox, const BriefingOptions &opts,
                       const std::vector<std::string> &extraCredits = {});

// "12.3 km", "inside" for 0, "-" for none.
std::string formatKm(const std::optional<double> &km);

} // namespace orefront::exporting
