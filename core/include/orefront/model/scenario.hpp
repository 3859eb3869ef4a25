#pragma once
// A scenario: which layers play which role, the jurisdictions table, range rings, rule
// thresholds and the date it describes. Read from TOML (io/scenario_io.hpp) and overridable
// from the command line; pure data.
#include "orefront/model/layer.hpp"
#include "orefront/model/series.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace orefront::model {

// How a rule's firing affects the verdict.
enum class Severity { Block, Marginal, Info, Off };
const char *severityName(Severity s);
std::optional<Severity> severityFromName(const std::string &s);

struct LayerSpec {
    std::string id;
    std::string name;
    std::string source; // GDAL source; may carry "|layername=NAME" and "|subset=WHERE"
    LayerRole role = LayerRole::Other;
    std::optional<std::string> date;
    std::string attribution; // credit line for maps and reports, e.g. "DeepState (deepstatemap.live)"

    // Hostile/control-zone layers: which values of `statusField` count as hostile or
    // contested. With no status field every feature is hostile.
    std::string statusField;
    std::vector<std::string> hostileStatuses;   // case-insensitive substring match
    std::vector<std::string> contestedStatuses; // likewise
    // Whether artillery ranges are measured from this layer (true for front lines and
    // control zones); false makes a zone count only for `occupied`.
    bool rangeFrom = true;
    // A named source preset (analysis/control.hpp: "deepstate-raw", "deepstate-daily") that
    // brings its own status field and vocabulary; exclusive with the three keys above.
    std::string preset;
    // A hostile/front layer that contributes no hostile feature is an error unless this is set.
    bool allowEmpty = false;

    // Ports, rail and power layers: features whose `statusField` value matches one of these
    // (case-insensitive substring) cannot serve a deposit, e.g. "destroyed", "out of service".
    std::vector<std::string> unusableStatuses;

    // Deposits: attribute names, matched case-insensitively. Empty means the default name
    // (name, country, grade_treo_pct, tonnage_mt), used if the layer has it; a name given
    // explicitly must exist. Infrastructure layers use nameField too (default "name").
    std::string nameField;
    std::string countryField;   // any ISO 3166-1 code or name, or a jurisdiction's name or alias
    std::string gradeField;     // TREO grade, % (the REE cut-off's grade field)
    std::string commodityField; // default "commodity"; no field means every deposit is REE

    // Boundaries layers: the field holding each polygon's ISO 3166-1 alpha-3 code (default
    // ISO_A3, then ADM0_A3, ISO_A3_EH for Natural Earth's -99 rows).
    std::string isoField;
    std::string tonnageField; // ore tonnage, million tonnes

    // Hostile/front layers as a time series (model/series.hpp). Snapshots: `source` is a glob
    // and `datePattern` reads each file's date from its name; DateField: `dateField` holds
    // each feature's snapshot date; ValidRange: `validFromField`..`validToField` (inclusive).
    // io::scenarioAt() resolves a series at a date; its `date` is then the snapshot's date.
    SeriesForm series = SeriesForm::None;
    std::string datePattern;                  // "deepstatemap_data_%Y%m%d"
    std::string dateField;                    // series = "date_field"
    std::string validFromField, validToField; // series = "valid_range"

    // How the map draws the layer (its legend class): "occupied" or "hostile_state" for a
    // hostile layer, "front_line" or "state_border" for a front layer. Empty: from the role
    // (occupied, front_line). Contested features of a hostile layer have their own class.
    std::string style;
};

struct Jurisdiction {
    std::string code; // ISO 3166-1 alpha-3
    std::string name;
    bool sanctioned = false;
    bool propertyRightsRisk = false;
    std::string grid = "ok"; // "ok", "damaged" or "none"
    bool processingAccess = true;
    double reservesMt = 0;            // national REO reserves, for the briefing; not a rule input
    std::vector<std::string> aliases; // other names a country field may use ("Russia")
    std::string source;               // where the row's facts come from, for reports and docs
};

// The built-in jurisdictions table (core/src/model/jurisdictions.cpp, each fact cited there and
// in the README), by upper-case ISO 3166-1 alpha-3 code. Every scenario starts from it; its
// [[jurisdictions]] rows override or extend it by code.
const std::map<std::string, Jurisdiction> &builtinJurisdictions();

// A grade cut-off for one commodity: deposits whose commodity names `commodity` are judged
// by the grade in `gradeField` (in `unit`) against `cutoff`.
struct Cutoff {
    std::string commodity;            // "REE", "Li"; matched against the deposit's commodity
    std::vector<std::string> aliases; // other names of the commodity ("lithium")
    std::string gradeField;           // "grade_treo_pct"
    std::string unit;                 // "TREO %"
    double cutoff = 0;
    std::string source; // citation

    bool operator==(const Cutoff &) const = default;
};

// The built-in cut-offs (REE as TREO %, lithium as Li2O %), cited in
// core/src/model/jurisdictions.cpp and the README. The REE row's cut-off is
// Thresholds::gradeCutoffPct (--grade-cutoff, grade_cutoff_pct).
std::vector<Cutoff> builtinCutoffs();

struct Thresholds {
    double gradeCutoffPct = 2.0; // commercial TREO cut-off
    double standoffKm = 40.0;    // a deposit closer than this to hostile fire is blocked
    std::vector<double> ringsKm = {20, 40, 80};
    double maxPortDistanceKm = 500.0; // beyond this a deposit is remote from trade routes
    double maxRailDistanceKm = 200.0;
    double maxPowerDistanceKm = 100.0; // no plant this close: the project must build its own
    double capexMusd = 600.0;          // initial capital of a mine
    double basketPriceUsdPerKg = 10.0; // TREO basket price
    double recoveryPct = 60.0;         // mining and separation recovery
    double capexCoverRatio = 2.0;      // recoverable value must exceed capex by this factor
    // Infrastructure this close to hostile-controlled territory or a front line is on the line
    // of contact and cannot serve a deposit (analysis::measure; a geometry input, so a change
    // measures again rather than only re-evaluating).
    double lineOfContactKm = 2.0;

    bool operator==(const Thresholds &) const = default;
};

// A named what-if front (README, What-if fronts): the hostile boundary shifted by shiftKm
// (+ an advance, - a withdrawal, measured on the ellipsoid), or a hypothetical front line
// (a ceasefire line, a line layer source relative to the scenario) that replaces the current
// front lines. Exactly one of the two. Saved as a [[whatif]] table.
// A "hypothetical front" annotation is a ceasefire what-if too (analysis::annotationWhatIfs):
// its line is in frontLine instead of a source, and it lives in the annotation store, never
// in the scenario file.
struct WhatIf {
    std::string name;
    std::string description;
    std::optional<double> shiftKm;
    std::string front;
    std::vector<LonLat> frontLine; // a hypothetical-front annotation's line (WGS84)
    std::int64_t annotationId = 0; // that annotation's id; 0 for a [[whatif]] table

    bool operator==(const WhatIf &) const = default;
};

struct Scenario {
    std::string name = "untitled";
    std::optional<std::string> date;
    std::string description;
    std::string baseDir; // directory the scenario file lives in; sources are relative to it
    // The annotation store (TOML `annotations`): a GDAL source relative to baseDir, or "PG:...".
    // Empty: "<scenario>.annotations.gpkg" beside the scenario (io::defaultAnnotationStore).
    std::string annotations;
    std::vector<LayerSpec> layers;
    std::map<std::string, Jurisdiction> jurisdictions = builtinJurisdictions(); // by upper-case code
    // Per-commodity grade cut-offs; the first is REE, whose cut-off is thresholds.gradeCutoffPct.
    std::vector<Cutoff> cutoffs = builtinCutoffs();
    Thresholds thresholds;
    std::map<std::string, Severity> severities; // rule id -> severity, overriding defaults
    std::vector<WhatIf> whatifs;                // named what-if fronts, in file order

    // The jurisdiction of a country value: a table code, any ISO 3166-1 code or name
    // (iso3166::resolve), or a table row's name or alias, case- and accent-insensitively.
    const Jurisdiction *jurisdiction(const std::string &value) const;
    // The code a country value stands for (a table code, else its ISO alpha-3), or "".
    std::string countryCode(const std::string &value) const;
};

} // namespace orefront::model
