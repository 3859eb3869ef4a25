#pragma once
// The scene set-up the viewer, `orefront render` and `orefront brief` share: which basemap,
// the basemap as a map layer, and a loaded scenario with its rings put into a MapDocument.
// One sequence, so that a sheet, an exported image and the screen show the same map.
#include "map_document.hpp"
#include "scenario_snapshot.hpp"

#include "orefront/model/annotation.hpp"
#include "orefront/model/series.hpp"
#include "orefront/rules/what_if.hpp"

#include <memory>
#include <optional>
#include <string>

namespace orefront::viewer {

inline constexpr const char *kNoBasemapNote = "No basemap: Natural Earth (npm world-atlas) is not installed";

// The basemap source: `user`'s if given, else the installed Natural Earth countries; empty
// when there is neither.
std::string basemapSource(const std::string &user);

// A loaded basemap as the bottom map layer, in the border colour.
MapLayer basemapLayer(const LoadedLayer &loaded);

// Headless (render, brief, animations): the basemap (`basemap`'s source, else the installed
// Natural Earth) loaded as a map layer, and its credit line; with neither, no layer and why
// (also warned on stderr, prefixed by `command`). Throws orefront::Error as loading does.
struct Basemap {
    std::optional<MapLayer> layer;
    std::string note; // "Borders: Natural Earth", "Basemap: SRC" or kNoBasemapNote
};
Basemap loadBasemap(const std::string &basemap, const char *command);

// Shows `snapshot` with `rings` in `doc` (with `initial` as its report, else evaluated here).
void showScenario(MapDocument &doc, std::shared_ptr<const ScenarioSnapshot> snapshot,
                  std::shared_ptr<const RingSet> rings,
                  std::optional<MapDocument::RuleResult> initial = std::nullopt);

// Headless, all at once (render, brief): loads the scenario at `scenarioPath` and its rings and
// the basemap into `doc`; returns the basemap's credit line, or why there is none (also
// warned on stderr, prefixed by `command`). Throws orefront::Error as loading does.
std::string loadMapScene(MapDocument &doc, const std::string &scenarioPath, const std::string &basemap,
                         const char *command);

// The scenario's annotations and deposit notes, from its store (render, brief): `declared` (the
// scenario's `annotations` key), else the one beside the scenario, as `orefront analyze` finds
// it. No store file yet means none; a store that cannot be read is an error (InputError), not
// a map silently without them.
model::AnnotationSet loadScenarioAnnotations(const std::string &scenarioPath, const std::string &declared);

// The annotations marked "counts as hostile" join the hostile positions, judged as `orefront
// analyze` judges them (rules::evaluateWithAnnotations): `doc` then shows those verdicts, with
// the marked annotations drawn as a hostile layer and inside the rings. Nothing marked: `doc`
// is left as it is and the result holds its report.
rules::WhatIf applyHostileMarkings(MapDocument &doc, const model::AnnotationSet &set);

// One frame of an animation (`orefront render --from --to`, File > Export animation): `doc`
// holds `basemap` (when given) under `snapshot` shown at `date` (the title burns the date in),
// with `rings` and `rules` as its verdicts (else evaluated here). One sequence for both.
void showAnimationFrame(MapDocument &doc, const MapLayer *basemap, const ScenarioSnapshot &snapshot,
                        const model::Date &date, std::shared_ptr<const RingSet> rings,
                        std::optional<MapDocument::RuleResult> rules = std::nullopt);

} // namespace orefront::viewer
