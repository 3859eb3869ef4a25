#pragma once
// The menu bar's search box: type part of a deposit's name, pick it from the list (click,
// or Enter for the first), and the map flies there and selects it.
#include "map_document.hpp"

#include <functional>
#include <string>
#include <vector>

namespace orefront::viewer {

// Deposits whose name contains `needle` (case-insensitive, UTF-8 bytes): names that start
// with it first, then by name; at most `limit`. GL-free.
std::vector<int> searchDeposits(const rules::Report &report, const std::string &needle, std::size_t limit);

struct SearchBox {
    char m_text[128] = "";
    std::vector<int> m_matches;
    std::uint64_t m_generation = ~std::uint64_t{0};
    std::string m_searched;
    bool m_focusRequested = false;
    bool m_listHovered = false; // the results list was under the mouse last frame

    void focus() { m_focusRequested = true; }
    // `onPick(i)`: the user chose deposit i.
    void Draw(const MapDocument &doc, float width, const std::function<void(int)> &onPick);
};

} // namespace orefront::viewer
