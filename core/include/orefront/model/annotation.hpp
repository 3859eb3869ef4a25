#pragma once
// Annotations an analyst draws on the map, and free-text notes on deposits. Plain values:
// stores (io/annotation_store.hpp) read and write them; the viewer edits copies; the analysis
// reads the ones marked "counts as hostile". Geometry is WGS84 lon/lat, as everywhere in model.
#include "orefront/model/geometry.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orefront::model {

// The kinds an analyst can draw. Names (annotationKindName) are the CLI's --kind values and
// the stores' `kind` field: marker, text, arrow, line, area, range_circle, measurement,
// hypothetical_front. A hypothetical front is a line: a drawn ceasefire line, each one a named
// what-if front (analysis::annotationWhatIfs) that `orefront whatif` and `analyze --whatif` run.
enum class AnnotationKind { Marker, Text, Arrow, Line, Area, RangeCircle, Measurement, HypotheticalFront };
const char *annotationKindName(AnnotationKind k);
std::optional<AnnotationKind> annotationKindFromName(const std::string &s);
// "marker, text, ..., hypothetical_front": every kind's name, for messages and help.
std::string annotationKindNames();

// RGBA, 0..255 each; "#rrggbb" / "#rrggbbaa" in stores (styleColorToHex / styleColorFromHex).
struct Rgba {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    bool operator==(const Rgba &) const = default;
};

struct AnnotationStyle {
    Rgba stroke{200, 30, 30, 255};
    Rgba fill{200, 30, 30, 64}; // areas and circles; a = 0 for no fill
    float widthPx = 2.0f;
    float textSizePt = 11.0f;
    bool operator==(const AnnotationStyle &) const = default;
};

// The style a new annotation of kind `k` starts with: red for the marks, and for a
// hypothetical front a violet (#7b2cbf) apart from the red front lines, drawn dashed.
AnnotationStyle defaultAnnotationStyle(AnnotationKind k);

struct Annotation {
    std::int64_t id = 0; // assigned by the store on add; 0 = not stored yet
    AnnotationKind kind = AnnotationKind::Marker;
    // Marker/Text/RangeCircle: one point (the centre). Arrow/Line/Measurement: a path
    // (an arrow points at its last vertex). Area, and a Measurement of an area: one ring, closed.
    std::vector<LonLat> vertices;
    bool closed = false; // a Measurement of an area (vertices form a ring) rather than a path
    double radiusKm = 0; // RangeCircle only: geodesic radius
    std::string label;
    AnnotationStyle style;
    std::string group = "default";
    bool visible = true;    // the group's visibility is the viewer's; this is per annotation
    std::string author;     // the OS user by default (currentUser()), editable
    std::string createdUtc; // ISO 8601, "2026-12-01T13:45:00Z"
    std::string modifiedUtc;
    // A what-if: this point/line/area joins the hostile positions the analysis measures from
    // (a reported artillery position, a captured village) until it is folded into a layer.
    bool countsAsHostile = false;
    std::int64_t version = 0; // bumped by the store on every write; a stale write is refused

    bool operator==(const Annotation &) const = default;
};

// A free-text note on a deposit, keyed by the deposit's name (the report's `name`).
struct DepositNote {
    std::string deposit;
    std::string text;
    std::string author;
    std::string modifiedUtc;
    std::int64_t version = 0;
    bool operator==(const DepositNote &) const = default;
};

// "#rrggbb" when opaque, else "#rrggbbaa" (lower case).
std::string styleColorToHex(Rgba c);
// "#rgb", "#rrggbb" or "#rrggbbaa" (case-insensitive, '#' optional); nullopt otherwise.
std::optional<Rgba> styleColorFromHex(const std::string &s);

// Why `a` is not a well-formed annotation of its kind, or "" when it is: vertex counts (one
// point for marker/text/range_circle, two or more for arrow/line/measurement, a ring of three
// or more distinct vertices for an area or a closed measurement), lon/lat in range and
// finite, a positive radius for a range circle and none for the other kinds.
std::string annotationProblem(const Annotation &a);

struct AnnotationSet {
    std::vector<Annotation> annotations;
    std::vector<DepositNote> notes;
    const DepositNote *noteFor(const std::string &deposit) const;

    // Pure edits for the viewer's undo stack: each returns a new set and leaves this one as it
    // was. find() returns nullptr when no annotation has the id.
    const Annotation *find(std::int64_t id) const;
    AnnotationSet withAnnotation(const Annotation &a) const; // replaces the one with a.id, else appends
    AnnotationSet withoutAnnotation(std::int64_t id) const;
    AnnotationSet withNote(const DepositNote &n) const; // empty text removes the deposit's note
};

// The OS user name ($OREFRONT_USER, $USER, $LOGNAME, else getpwuid), or "unknown".
std::string currentUser();
// Now, as ISO 8601 UTC with seconds ("2026-12-01T13:45:00Z").
std::string nowUtcIso();

} // namespace orefront::model
