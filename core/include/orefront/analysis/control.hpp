#pragma once
// Reading a hostile (or front) layer's features as control zones: which are hostile-controlled,
// contested, liberated or something else. One classification, used by the analysis, the
// infrastructure filter and the viewer's tint, so that they can never disagree.
//
// Precedence, for a layer with `status_field`:
//  1. `contested_statuses` first: a contested status is usually a qualified form of an occupied
//     one ("partially occupied", "occupied?"), so the narrower list wins;
//  2. then `hostile_statuses` (an empty list: every other feature is hostile);
//  3. anything else is Other and ignored.
// With no status field and no preset, every feature is hostile. A named preset (`preset =
// "deepstate-raw"`) brings its own vocabulary and reports the values it cannot place.
// Matching is a substring match after normalizeStatus() on both sides.
//
// Thread rules: pure functions over immutable layers; a ControlReader is const after
// construction and may be shared between threads.
#include "orefront/model/layer.hpp"
#include "orefront/model/scenario.hpp"

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace orefront::analysis {

enum class Control { Hostile, Contested, Liberated, Other };
const char *controlName(Control c); // "hostile", "contested", "liberated", "other"

// Lower-cases ASCII and Cyrillic letters, turns every run of whitespace (newlines and
// no-break spaces included) into one space, and trims.
std::string normalizeStatus(std::string_view value);

// Whether `value` contains any of `patterns`, both normalised (empty patterns never match).
bool statusMatches(std::string_view value, const std::vector<std::string> &patterns);

// The named source presets, with a line each for messages and --help.
struct PresetInfo {
    const char *name;
    const char *description;
};
const std::vector<PresetInfo> &controlPresets();
bool isControlPreset(const std::string &name);
std::string controlPresetNames(); // "deepstate-raw, deepstate-daily"

// Classifies the features of one layer by its spec. Holds a reference to the layer, which must
// outlive it, and its own copy of the spec (a temporary spec is fine).
class ControlReader {
public:
    // Throws InputError naming the layer when the spec's status field (or the field its
    // preset reads) is missing, or the preset is unknown.
    ControlReader(const model::Layer &layer, const model::LayerSpec &spec);

    struct Reading {
        Control control = Control::Other;
        bool placed = true; // false: a preset could not read the status (counted as contested)
    };
    Reading read(const model::Feature &f) const;
    Control classify(const model::Feature &f) const { return read(f).control; }
    // The status text a reading is based on, as written (for messages); "" when none.
    std::string statusOf(const model::Feature &f) const;

private:
    const model::Layer &m_layer;
    const model::LayerSpec m_spec;
    int m_status = -1; // field index of the status, or -1
    int m_fill = -1;   // deepstate-raw: the style colour, read when the name says nothing
};

// What a layer's filter made of it.
struct ControlCensus {
    std::size_t hostile = 0, contested = 0, liberated = 0, other = 0;
    std::map<std::string, std::size_t> seen;     // normalised status value -> features
    std::map<std::string, std::size_t> unplaced; // values a preset could not place -> features
};
ControlCensus controlCensus(const model::Layer &layer, const model::LayerSpec &spec);

// The checks every hostile/front layer passes when a project is loaded:
//  - no hostile feature after the filter: InputError naming the layer and listing the status
//    values seen, with counts, unless the spec says allow_empty;
//  - no filter, but a field whose values read as a control status (a `status`-like field, or
//    DeepState vocabulary in `name`): InputError naming the layer and the field;
//  - values a preset cannot place: a warning with their counts, appended to `warnings`.
void checkControlLayer(const model::Layer &layer, const model::LayerSpec &spec,
                       std::vector<std::string> &warnings);

// Infrastructure (ports, rail, power): whether a feature is marked unusable by the spec's
// status field and unusable_statuses. False when the spec declares none.
class UsabilityReader {
public:
    // Throws InputError naming the layer when status_field or name_field is missing.
    UsabilityReader(const model::Layer &layer, const model::LayerSpec *spec);
    bool unusable(const model::Feature &f) const;
    std::string statusOf(const model::Feature &f) const; // "" without a status field
    std::string nameOf(const model::Feature &f) const;   // "" when the layer has no name field

private:
    const model::LayerSpec *m_spec;
    int m_status = -1;
    int m_name = -1;
};

} // namespace orefront::analysis
