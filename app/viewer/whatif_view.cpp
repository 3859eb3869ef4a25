#include "whatif_view.hpp"

#include "annotation_draw.hpp"

#include "orefront/analysis/whatif.hpp"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <set>

namespace orefront::viewer {

namespace {

// The lines the what-if measures from: the layers applyWhatIf made (not shared with the real
// project) of the hostile and front roles; a shift's contested zones are as they were.
std::vector<model::Path> whatIfFront(const model::Project &real, const model::Project &alt) {
    std::vector<model::Path> out;
    for (std::size_t i = 0; i < alt.layers.size() && i < alt.scenario.layers.size(); ++i) {
        const auto &layer = alt.layers[i];
        const auto role = alt.scenario.layers[i].role;
        if (!layer || (role != model::LayerRole::Hostile && role != model::LayerRole::Front) ||
            std::find(real.layers.begin(), real.layers.end(), layer) != real.layers.end())
            continue;
        for (const auto &f : layer->features) {
            bool contested = false;
            for (std::size_t a = 0; a < f.attributes.size() && !contested; ++a)
                contested = f.attributes.stringAt(a) == std::optional<std::string_view>("contested");
            if (contested)
                continue;
            for (const auto &p : f.geometry.polygons)
                out.insert(out.end(), p.rings.begin(), p.rings.end());
            out.insert(out.end(), f.geometry.lines.begin(), f.geometry.lines.end());
        }
    }
    return out;
}

std::string kmText(const std::optional<double> &km) {
    if (!km)
        return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", *km);
    return buf;
}

// Why a verdict flipped: the distance to the front before and after, occupation, and the
// rules that fire only in one of the two.
std::string flipReason(const analysis::DepositDiff &d, const rules::DepositVerdict &real,
                       const rules::DepositVerdict &alt) {
    std::string out = "front " + kmText(d.kmReal) + " -> " + kmText(d.kmWhatif) + " km";
    if (d.occupiedReal != d.occupiedWhatif)
        out += d.occupiedWhatif ? "; occupied" : "; no longer occupied";
    const std::set<std::string_view> before(real.reasons.begin(), real.reasons.end()),
        after(alt.reasons.begin(), alt.reasons.end());
    for (const auto r : after)
        if (!before.count(r))
            out += "; +" + std::string(r);
    for (const auto r : before)
        if (!after.count(r))
            out += "; -" + std::string(r);
    return out;
}

} // namespace

WhatIfView computeWhatIf(const ScenarioSnapshot &shown, const model::Scenario &applied,
                         const model::WhatIf &w) {
    model::Project real = *shown.project; // layers shared, not copied
    real.scenario = applied;
    WhatIfView view;
    view.whatif = w;
    view.description = analysis::describeWhatIf(w);
    const model::Project alt = analysis::applyWhatIf(real, w, view.warnings);
    const analysis::Judged base = analysis::judge(real, shown.facts);
    const analysis::Judged judged = analysis::judge(alt, shown.facts);
    const analysis::WhatIfDiff diff = analysis::diffVerdicts(base, judged);
    view.deposits = diff.deposits.size();
    for (std::size_t i = 0; i < diff.deposits.size(); ++i) {
        const auto &d = diff.deposits[i];
        if (d.changed())
            view.flips.push_back({int(i), d.name, d.real, d.whatif,
                                  flipReason(d, base.report.deposits[i], judged.report.deposits[i])});
    }
    view.front = whatIfFront(real, alt);
    return view;
}

void drawWhatIfFront(ImDrawList *dl, ImVec2 origin, const Camera &camera, const WhatIfView &view) {
    dl->PushClipRect(origin, {origin.x + float(camera.width), origin.y + float(camera.height)}, true);
    std::vector<ImVec2> pts;
    for (const auto &path : view.front) {
        pts.clear();
        for (const auto &p : path) {
            double sx, sy;
            camera.lonLatToScreen(p, sx, sy);
            const ImVec2 v{origin.x + float(sx), origin.y + float(sy)};
            // Vertices within a pixel and a half of the last one kept add nothing at this zoom.
            if (!pts.empty() &&
                (v.x - pts.back().x) * (v.x - pts.back().x) + (v.y - pts.back().y) * (v.y - pts.back().y) <
                    2.25f)
                continue;
            pts.push_back(v);
        }
        if (pts.size() < 2)
            continue;
        dl->AddPolyline(pts.data(), int(pts.size()), IM_COL32(255, 255, 255, 200), ImDrawFlags_None, 5.0f);
        dashedPolyline(dl, pts, IM_COL32(kWhatIfFront.r, kWhatIfFront.g, kWhatIfFront.b, 255), 3.0f);
    }
    dl->PopClipRect();
}

} // namespace orefront::viewer
