#pragma once
// What-if fronts (README, What-if fronts): the scenario's hostile boundary moved on the
// ellipsoid, or a hypothetical front line (a ceasefire line) in place of the current one, and
// the verdicts of a what-if beside the real ones.
// Thread rules: every function is reentrant (its own GEOS/PROJ contexts and GDAL datasets);
// the projects must not change while one runs.
#include "orefront/analysis/analysis.hpp"
#include "orefront/model/annotation.hpp"
#include "orefront/model/project.hpp"
#include "orefront/rules/rules.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace orefront::analysis {

// The hostile territory of `zones` with its front moved by `km`: > 0 an advance (the
// territory and everything within km of the front), < 0 a withdrawal (the territory less
// everything within |km| of the front). The front is the lines of `fronts` (front-line
// layers) when it has any; otherwise the whole boundary of the territory moves, coasts and
// borders with the hostile state included. The buffers are built as buildRings() builds its
// rings, per 2-degree cell in a local azimuthal-equidistant projection, so the new front lies
// |km| from the old one on the WGS84 ellipsoid within 0.1 %, never a buffer in degrees.
// Contested zones are not part of the territory. km = 0: the territory unioned.
model::Geometry shiftControlArea(const std::vector<HostileInput> &zones, double km,
                                 const std::vector<HostileInput> &fronts = {});

// The project as the what-if `w` sees it; layers are shared with `real`, not copied.
//  - shift_km: the hostile area layers (role hostile, range_from, style not hostile_state)
//    are replaced by one layer "whatif" holding their territory with the front-line layers
//    (role front, style not state_border) moved by shift_km (status "occupied")
//    and their contested zones as they are (status "contested"); the front-line layers are
//    dropped, as the shifted boundary is the new front.
//  - front: that line layer is read (a source relative to the scenario) and replaces the
//    front-line layers; the hostile area layers still make a deposit occupied, but ranges are
//    measured from the hypothetical line (and state borders), no longer from their boundary.
//  - frontLine (a hypothetical-front annotation): as front, with the annotation's line.
// Throws InputError naming the what-if when a shift finds no hostile area layer, and the
// loader's InputError (file named) for a front that cannot be read. Appends to `warnings`.
model::Project applyWhatIf(const model::Project &real, const model::WhatIf &w,
                           std::vector<std::string> &warnings);

// A project's measurements and verdicts (no rule details).
struct Judged {
    Measurements measurements;
    rules::Report report;
};
Judged judge(const model::Project &p, const std::vector<rules::DepositFacts> &facts, unsigned threads = 0);

// The verdicts of a what-if beside the real ones, per deposit.
struct DepositDiff {
    std::string name;
    rules::Verdict real = rules::Verdict::Unknown, whatif = rules::Verdict::Unknown;
    bool occupiedReal = false, occupiedWhatif = false;
    std::optional<double> kmReal, kmWhatif; // distance to the front, km
    bool changed() const { return real != whatif; }
};
struct WhatIfDiff {
    std::vector<DepositDiff> deposits;                        // parallel to the deposits layer
    std::map<std::pair<std::string, std::string>, int> flips; // (from, to) verdict names -> deposits
    int changed = 0;
};
WhatIfDiff diffVerdicts(const Judged &real, const Judged &whatif);

// "+20 km (advance)", "-10 km (withdrawal)", "front 'ceasefire.geojson'" or
// "hypothetical front annotation 7".
std::string describeWhatIf(const model::WhatIf &w);

// The ceasefire what-ifs of the hypothetical-front annotations of `set`, in store order: each
// named by its label, else "hypothetical front <id>"; a name another what-if already has (a
// [[whatif]] table of `s`, or an earlier annotation) gets " (annotation <id>)" added.
std::vector<model::WhatIf> annotationWhatIfs(const model::AnnotationSet &set, const model::Scenario &s);

// Every named what-if: the scenario's [[whatif]] tables, then the hypothetical-front
// annotations of `set` (when given).
std::vector<model::WhatIf> namedWhatIfs(const model::Scenario &s, const model::AnnotationSet *set);

// The what-if called `name` in `all`. Throws InputError naming the scenario and the what-ifs
// it has ("it has 'advance 20 km', 'withdrawal 20 km'") when none is.
const model::WhatIf &findWhatIf(const std::vector<model::WhatIf> &all, const std::string &name,
                                const std::string &scenarioName);

} // namespace orefront::analysis
