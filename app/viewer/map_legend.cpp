#include "map_legend.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>

namespace orefront::viewer {

namespace {

const model::LayerSpec *specOf(const MapDocument &doc, const MapLayer &l) {
    if (!doc.scenario() || l.id.rfind("scenario:", 0) != 0)
        return nullptr;
    std::string id = l.id.substr(9);
    if (l.mapClass == MapClass::Contested && id.size() > 11 && id.ends_with(":contested"))
        id.resize(id.size() - 10);
    for (const auto &spec : doc.scenario()->layers)
        if (spec.id == id)
            return &spec;
    return nullptr;
}

std::string joined(const std::vector<std::string> &parts, const char *sep) {
    std::string out;
    for (const auto &p : parts)
        out += (out.empty() ? "" : sep) + p;
    return out;
}

void addDepositEntries(const MapDocument &doc, const Camera &camera, const MapLayer &l,
                       std::vector<LegendEntry> &entries) {
    const DepositsInView n = countDepositsInView(doc, camera);
    entries.push_back({LegendEntry::Heading,
                       {},
                       // The count first: a long layer name is what the legend's width cuts.
                       "Deposits in view: " + std::to_string(n.inViewAll) + " of " +
                           std::to_string(n.totalAll) + " (" + l.name + ")"});
    for (auto v : {rules::Verdict::Investable, rules::Verdict::Marginal, rules::Verdict::NotInvestable,
                   rules::Verdict::Unknown}) {
        const auto k = std::size_t(v);
        if (v == rules::Verdict::Unknown && n.total[k] == 0)
            continue;
        entries.push_back({LegendEntry::Disc, verdictColour(v),
                           std::string(verdictLabel(v)) + "  " + std::to_string(n.inView[k]) + " of " +
                               std::to_string(n.total[k])});
    }
    entries.push_back({LegendEntry::Heading, {}, "  marker area grows with ore tonnage"});
}

constexpr std::size_t kVerdicts = std::tuple_size_v<decltype(DepositsInView::inView)>;
static_assert(kVerdicts == std::tuple_size_v<decltype(VerdictCounts::n)>);
using CellCounts = CellSums<VerdictCounts>;

// Counts the markers of `layer` in view, by verdict, into `n` (which holds the totals). With
// `grid` and its `cells` (cellCounts), the cells inside the view add their counts and only
// the cells on its edges are scanned.
DepositsInView countDepositsInViewUncached(DepositsInView n, const MapLayer *layer, const rules::Report &rep,
                                           const Camera &camera, const PointGrid *grid,
                                           const CellCounts *cells) {
    const auto &report = rep.deposits;
    if (!layer || !layer->mesh)
        return n;
    const LayerMesh &mesh = *layer->mesh;
    const double halfW = camera.width * camera.metresPerPixel / 2,
                 halfH = camera.height * camera.metresPerPixel / 2;
    const double x0 = camera.center.x - halfW - mesh.origin.x, x1 = camera.center.x + halfW - mesh.origin.x;
    const double y0 = camera.center.y - halfH - mesh.origin.y, y1 = camera.center.y + halfH - mesh.origin.y;
    const auto addPoint = [&](std::size_t i) {
        const Vec2f p = mesh.points[i];
        const std::uint32_t f = mesh.pointFeature[i];
        if (p.x < x0 || p.x > x1 || p.y < y0 || p.y > y1 || f >= report.size())
            return;
        ++n.inView[std::size_t(report[f].verdict)];
        ++n.inViewAll;
    };
    if (grid && cells && !cells->empty() && mesh.pointFeature.size() == mesh.points.size()) {
        grid->visitRect(
            x0, y0, x1, y1,
            [&](const CellRange &inside) {
                const VerdictCounts sum = cells->sum(inside);
                for (std::size_t v = 0; v < kVerdicts; ++v) {
                    n.inView[v] += int(sum.n[v]);
                    n.inViewAll += int(sum.n[v]);
                }
            },
            addPoint);
        return n;
    }
    for (std::size_t i = 0; i < mesh.points.size() && i < mesh.pointFeature.size(); ++i)
        addPoint(i);
    return n;
}

} // namespace

VerdictCounts VerdictCounts::operator+(const VerdictCounts &o) const {
    VerdictCounts r;
    for (std::size_t v = 0; v < kVerdicts; ++v)
        r.n[v] = n[v] + o.n[v];
    return r;
}

VerdictCounts VerdictCounts::operator-(const VerdictCounts &o) const {
    VerdictCounts r;
    for (std::size_t v = 0; v < kVerdicts; ++v)
        r.n[v] = n[v] - o.n[v];
    return r;
}

DepositCellCounts depositCellCounts(const LayerMesh &mesh, const PointGrid *grid,
                                    const std::vector<std::uint8_t> &verdicts,
                                    const std::vector<std::uint32_t> *pointCell) {
    DepositCellCounts out;
    for (const std::uint8_t v : verdicts) {
        ++out.totals.total[v & 3];
        ++out.totals.totalAll;
    }
    if (!grid)
        return out;
    std::vector<VerdictCounts> counts(grid->cellCount());
    if (pointCell && pointCell->size() != mesh.points.size())
        pointCell = nullptr; // not this mesh's
    for (std::size_t i = 0; i < mesh.points.size() && i < mesh.pointFeature.size(); ++i) {
        const std::uint32_t f = mesh.pointFeature[i];
        if (f < verdicts.size())
            ++counts[pointCell ? (*pointCell)[i] : grid->cellOf(mesh.points[i])].n[verdicts[f] & 3];
    }
    out.grid = grid;
    out.cells = CellCounts(*grid, counts);
    return out;
}

DepositsInView countDepositsInView(const MapDocument &doc, const Camera &camera) {
    const MapLayer *layer = doc.depositsLayer();
    const auto &report = doc.report().deposits;
    // The legend asks every frame, and a frame that only hovers moves no deposit: with 100k
    // deposits the count is a scan of them all, so the last one is kept while its document,
    // report, mesh and view are the same.
    struct Cached {
        const MapDocument *doc = nullptr;
        std::uint64_t generation = 0;
        const void *report = nullptr;
        std::size_t reportSize = 0;
        std::weak_ptr<const LayerMesh> mesh;
        bool hasMesh = false;
        Camera camera;
        DepositsInView n;
        // This report's totals and, over the grid, its cells' counts: from the rules worker
        // with the report (ReportViews), or counted here once.
        std::shared_ptr<const DepositCellCounts> counts;
    };
    thread_local Cached cached;
    const std::shared_ptr<const LayerMesh> mesh = layer ? layer->mesh : nullptr;
    const bool sameReport = cached.doc == &doc && cached.generation == doc.reportGeneration() &&
                            cached.report == report.data() && cached.reportSize == report.size() &&
                            cached.hasMesh == bool(mesh) && (!mesh || cached.mesh.lock() == mesh);
    if (sameReport && cached.camera == camera)
        return cached.n;
    // A view change (zoom) counts again, through the grid: the totals and the cells' counts are
    // kept while the report and mesh are the same.
    const PointGrid *grid = mesh ? doc.depositGrid() : nullptr;
    if (!sameReport || !cached.counts || cached.counts->grid != grid) {
        const ReportViews *views = doc.reportViews();
        if (views && views->cellCounts && views->mesh == mesh.get() && views->cellCounts->grid == grid)
            cached.counts = views->cellCounts;
        else {
            static const LayerMesh kNoMarkers; // the totals only
            cached.counts = std::make_shared<const DepositCellCounts>(
                depositCellCounts(mesh ? *mesh : kNoMarkers, grid, DepositColumns::of(doc.report()).verdict));
        }
    }
    const DepositCellCounts &counts = *cached.counts;
    DepositsInView n = countDepositsInViewUncached(counts.totals, layer, doc.report(), camera, counts.grid,
                                                   counts.grid ? &counts.cells : nullptr);
    cached.doc = &doc;
    cached.generation = doc.reportGeneration();
    cached.report = report.data();
    cached.reportSize = report.size();
    cached.mesh = mesh;
    cached.hasMesh = bool(mesh);
    cached.camera = camera;
    cached.n = n;
    return n;
}

std::vector<LegendEntry> legendEntries(const MapDocument &doc, const Camera &camera, bool rings) {
    std::vector<LegendEntry> entries;
    // Layers of each class, top first, for one entry per class.
    std::map<MapClass, std::vector<std::string>> names;
    for (auto it = doc.layers().rbegin(); it != doc.layers().rend(); ++it)
        if (it->visible && it->mapClass != MapClass::Default && it->mesh && !it->mesh->empty())
            names[it->mapClass].push_back(it->name);
    for (auto it = doc.layers().rbegin(); it != doc.layers().rend(); ++it) {
        const MapLayer &l = *it;
        if (!l.visible)
            continue;
        if (l.mapClass != MapClass::Default) {
            const auto found = names.find(l.mapClass);
            if (found == names.end())
                continue; // already listed, or nothing of it drawn
            const ClassLook look = classLook(l.mapClass);
            const bool line = l.mapClass == MapClass::FrontLine || l.mapClass == MapClass::StateBorder;
            const LegendEntry::Kind kind = l.mapClass == MapClass::Contested     ? LegendEntry::Hatch
                                           : l.mapClass == MapClass::StateBorder ? LegendEntry::CasedLine
                                           : line                                ? LegendEntry::Line
                                                                                 : LegendEntry::Fill;
            entries.push_back({kind, line ? l.colour : look.fill,
                               std::string(look.legend) + ": " + joined(found->second, ", "), look.widthPx});
            names.erase(found);
            continue;
        }
        switch (l.role) {
        case model::LayerRole::Deposits:
            addDepositEntries(doc, camera, l, entries);
            break;
        case model::LayerRole::Hostile:
            entries.push_back({LegendEntry::Fill, l.colour, "Hostile-controlled: " + l.name});
            break;
        case model::LayerRole::Front:
            entries.push_back({LegendEntry::Line, l.colour, "Front line: " + l.name, 2.5f});
            break;
        case model::LayerRole::Ports:
            entries.push_back({LegendEntry::Diamond, l.colour, l.name});
            break;
        case model::LayerRole::Rail:
        case model::LayerRole::Power:
            entries.push_back({LegendEntry::Square, l.colour, l.name});
            break;
        case model::LayerRole::Other:
            entries.push_back({LegendEntry::Fill, l.colour.withAlpha(0.35f), l.name});
            break;
        case model::LayerRole::Basemap:
        case model::LayerRole::Boundaries: // reference lines, not a class of the analysis
            break;
        }
    }
    if (rings && doc.rings() && !doc.rings()->rings.empty()) {
        entries.push_back({LegendEntry::Heading, {}, "Within range of hostile fire"});
        const auto &km = doc.rings()->km;
        for (std::size_t i = 0; i < doc.rings()->rings.size(); ++i) {
            char text[64];
            std::snprintf(text, sizeof text, "%s%g km", i == 0 ? "\xE2\x89\xA4 " : "",
                          doc.rings()->rings[i].km);
            std::string t = text;
            if (i > 0)
                t = std::to_string(int(km[i - 1])) + "\xE2\x80\x93" + t;
            entries.push_back({LegendEntry::Fill, ringColour(i, doc.rings()->rings.size()), t});
        }
    }
    return entries;
}

std::string attributionLine(const MapDocument &doc, const std::string &basemapNote) {
    std::vector<std::string> credits;
    bool basemapShown = doc.basemap() == nullptr; // none: the note says why
    for (auto it = doc.layers().rbegin(); it != doc.layers().rend(); ++it) {
        if (!it->visible)
            continue;
        if (it->role == model::LayerRole::Basemap) {
            basemapShown = true;
            continue;
        }
        const model::LayerSpec *spec = specOf(doc, *it);
        if (spec && !spec->attribution.empty() &&
            std::find(credits.begin(), credits.end(), spec->attribution) == credits.end())
            credits.push_back(spec->attribution);
    }
    std::string line = credits.empty() ? std::string() : "\xC2\xA9 " + joined(credits, " \xC2\xB7 ");
    if (basemapShown && !basemapNote.empty())
        line += (line.empty() ? "" : " \xC2\xB7 ") + basemapNote;
    return line;
}

std::vector<LegendEntry> frontSketchEntries(const std::vector<const model::Annotation *> &annotations,
                                            const std::string &whatIfName, Rgba whatIfColour) {
    std::vector<LegendEntry> out;
    for (const auto *a : annotations)
        if (a->kind == model::AnnotationKind::HypotheticalFront && a->vertices.size() >= 2) {
            const model::Rgba &c = a->style.stroke;
            out.push_back(
                {LegendEntry::DashedLine, {c.r, c.g, c.b, c.a}, "Hypothetical front (annotation)", 3.0f});
            break;
        }
    if (!whatIfName.empty())
        out.push_back({LegendEntry::DashedLine, whatIfColour, "What-if front: " + whatIfName, 3.0f});
    return out;
}

} // namespace orefront::viewer
