#pragma once
// What the map's legend and attribution line say, computed without GL or ImGui (tested):
// one entry per class of area or line shown (occupied territory, hostile state territory,
// contested, front line, state border), the deposits in view per verdict beside the total,
// and the credits of the visible layers. drawMapOverlay() draws them.
#include "map_document.hpp"
#include "render/mercator.hpp"
#include "render/style.hpp"

#include "orefront/model/annotation.hpp"

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace orefront::viewer {

// Deposit markers whose centre is in view, per verdict (indexed by rules::Verdict), and
// every deposit. Through the deposit grid (MapDocument::depositGrid): whole cells in view add
// their counts, kept per report, and only the markers in the cells on the view's edges are
// tested; a view change at 100k deposits no longer scans them all.
struct DepositsInView {
    std::array<int, 4> inView{}, total{};
    int inViewAll = 0, totalAll = 0;
};
DepositsInView countDepositsInView(const MapDocument &doc, const Camera &camera);

// Deposits by verdict (indexed by rules::Verdict), summed over cells (CellSums).
struct VerdictCounts {
    std::array<std::int64_t, 4> n{};
    VerdictCounts operator+(const VerdictCounts &o) const;
    VerdictCounts operator-(const VerdictCounts &o) const;
    bool operator==(const VerdictCounts &) const = default;
};
// One report's deposits by verdict: in each cell of the deposit grid, and in all (the totals,
// nothing in view). What countDepositsInView adds up for a view; a new report computes it
// once, on the rules worker (ReportViews), or else on the first count.
struct DepositCellCounts {
    const PointGrid *grid = nullptr;
    CellSums<VerdictCounts> cells;
    DepositsInView totals;
};
// Over `grid` (built on `mesh`; null: the totals only). `verdicts`: parallel to the report's
// deposits (DepositColumns::verdict). `pointCell`: each marker's cell of `grid`, when the
// caller has them (DepositStatics::pointCell); else found here.
DepositCellCounts depositCellCounts(const LayerMesh &mesh, const PointGrid *grid,
                                    const std::vector<std::uint8_t> &verdicts,
                                    const std::vector<std::uint32_t> *pointCell = nullptr);

struct LegendEntry {
    enum Kind { Disc, Diamond, Square, Fill, Hatch, Line, CasedLine, DashedLine, Heading } kind = Heading;
    Rgba colour;
    std::string text;
    float widthPx = 1.0f; // lines
};
// Only what is shown: each visible layer (areas and lines grouped by class, in the order
// they are first met from the top) and the ring bands when `rings` are drawn.
std::vector<LegendEntry> legendEntries(const MapDocument &doc, const Camera &camera, bool rings);

// Fronts drawn over the map rather than as its layers, dashed: the hypothetical-front
// annotations among `annotations` (one entry, in the first one's colour; none when there is
// none) and the what-if front shown (`whatIfName`; empty: none).
std::vector<LegendEntry> frontSketchEntries(const std::vector<const model::Annotation *> &annotations,
                                            const std::string &whatIfName, Rgba whatIfColour);

// "© DeepState (deepstatemap.live) · USGS · Borders: Natural Earth": the `attribution` of each
// visible scenario layer, once each, then `basemapNote` when the basemap is shown (or when
// there is none: the note says why). Empty when there is nothing to credit.
std::string attributionLine(const MapDocument &doc, const std::string &basemapNote);

} // namespace orefront::viewer
