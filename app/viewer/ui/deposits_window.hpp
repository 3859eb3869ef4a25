#pragma once
// Deposits panel: the table, sortable, filtered by verdict, country, reason and text; rows
// are cached indices (DepositRows) drawn with ImGuiListClipper; a click selects the deposit
// and flies to it. Beside it an ImPlot chart of the deposits by distance to the front,
// stacked by verdict, with the standoff and the rings as lines: a click on a bar filters the
// table to that distance band.
#include "annotation_document.hpp"
#include "deposit_rows.hpp"
#include "map_document.hpp"

#include <functional>

namespace orefront::viewer {

struct DepositsWindow {
    DepositFilter m_filter;
    DepositSort m_sort;
    DepositRows m_rows;
    char m_text[128] = "";
    DistanceHistogram m_histogram;
    std::uint64_t m_histogramGeneration = ~std::uint64_t{0};
    std::vector<std::string> m_reasons; // reason codes that occur in the report
    std::uint64_t m_reasonsGeneration = ~std::uint64_t{0};
    bool m_showChart = true;

    // What a click on a chart bar does (also for the tests).
    void filterFrontBand(double minKm, double maxKm);
    void drawFilters(const rules::Report &report);
    void drawChart(const MapDocument &doc);

    // `selected`: index of the selected deposit, -1 for none. `flyTo` is called on a click.
    // `notes`, if given, fills the Note column (deposit notes, by name).
    void Draw(const char *title, bool *p_open, const MapDocument &doc, int &selected,
              const std::function<void(int)> &flyTo, const AnnotationDocument *notes = nullptr);
};

} // namespace orefront::viewer
