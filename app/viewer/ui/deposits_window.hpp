#pragma once
// Deposits table: sortable, filtered by verdict, country and text; rows are cached indices
// (DepositRows) drawn with ImGuiListClipper. A click selects the deposit and flies to it.
#include "deposit_rows.hpp"
#include "map_document.hpp"

#include <functional>

namespace orefront::viewer {

struct DepositsWindow {
    DepositFilter m_filter;
    DepositSort m_sort;
    DepositRows m_rows;
    char m_text[128] = "";

    // `selected`: index of the selected deposit, -1 for none. `flyTo` is called on a click.
    void Draw(const char *title, bool *p_open, const MapDocument &doc, int &selected,
              const std::function<void(int)> &flyTo);
};

} // namespace orefront::viewer
