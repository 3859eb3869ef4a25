#pragma once
// Dated hostile and front layers: listing a series' snapshots, and resolving a scenario at a
// situation date into an ordinary scenario that analyze, render and the viewer run unchanged.
// Thread rules: as scenario_io.hpp; every function opens and closes its own datasets.
#include "orefront/model/layer.hpp"
#include "orefront/model/scenario.hpp"
#include "orefront/model/series.hpp"

#include <string>
#include <vector>

namespace orefront::io {

// One dated snapshot of a series layer. For series = "snapshots" `source` is the file (relative
// to the scenario's directory when the glob is, with the layer's "|layername=..." suffix kept);
// for the field forms it is the layer's own source.
struct Snapshot {
    model::Date date;
    std::string source;
};

// Whether a spec is a series not yet resolved at a date (a glob source, or a field form with
// no date chosen).
bool isUnresolvedSeries(const model::LayerSpec &spec);
bool hasSeries(const model::Scenario &scenario);

// The snapshots of one series layer, by date ascending. "snapshots": globs the source and reads
// each file's date with date_pattern; the field forms read the layer (valid_range: every
// valid-from date, and the day after every valid-to). Throws InputError naming the layer and
// file: a glob that matches nothing, a file name without a date, two files with one date, a
// field value that is not a date.
std::vector<Snapshot> layerSnapshots(const model::LayerSpec &spec, const std::string &baseDir);

// The dates of the features of a field-form layer already loaded (all features, not filtered).
// Throws InputError naming the layer's file and the feature for a value that is not a date.
std::vector<Snapshot> featureSnapshots(const model::Layer &layer, const model::LayerSpec &spec);

// Every snapshot date of every series layer of the scenario, ascending, each once. Empty when
// the scenario has no series.
std::vector<model::Date> seriesDates(const model::Scenario &scenario);

// The snapshot in force at `date`: the latest on or before it. Throws InputError naming the
// layer and the first snapshot when `date` is before it.
const Snapshot &snapshotAt(const std::vector<Snapshot> &snapshots, model::Date date,
                           const model::LayerSpec &spec);

// The situation date: the scenario's `date`, else the latest snapshot date; nullopt when the
// scenario has neither.
std::optional<model::Date> situationDate(const model::Scenario &scenario);

// The scenario at `date`: each "snapshots" layer becomes an ordinary layer reading the file in
// force (its `date` that file's date); a field-form layer keeps its form and gets `date` = the
// date in force, which loadLayer() uses to keep only the features in force. The scenario's
// `date` becomes `date`. Throws InputError as layerSnapshots() and snapshotAt().
model::Scenario scenarioAt(const model::Scenario &scenario, model::Date date);

// Keeps only the features of a field-form layer in force at `date` (date_field: those whose
// date is `date`'s snapshot; valid_range: valid_from <= date <= valid_to, an empty valid_to
// meaning open-ended). Throws InputError as featureSnapshots().
void filterToDate(model::Layer &layer, const model::LayerSpec &spec, model::Date date);

} // namespace orefront::io
