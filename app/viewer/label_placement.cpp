#include "label_placement.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace orefront::viewer {

ScreenBox labelBoxAt(const LabelRequest &r, LabelSize s, LabelPosition position) {
    const float g = r.gap;
    // Diagonals: the gap along both axes, so the box clears a square marker box of the gap's size.
    const float d = g;
    float x = 0, y = 0; // top-left
    switch (position) {
    case kRight:
        x = r.x + g, y = r.y - s.height / 2;
        break;
    case kLeft:
        x = r.x - g - s.width, y = r.y - s.height / 2;
        break;
    case kAbove:
        x = r.x - s.width / 2, y = r.y - g - s.height;
        break;
    case kBelow:
        x = r.x - s.width / 2, y = r.y + g;
        break;
    case kAboveRight:
        x = r.x + d, y = r.y - d - s.height;
        break;
    case kAboveLeft:
        x = r.x - d - s.width, y = r.y - d - s.height;
        break;
    case kBelowRight:
        x = r.x + d, y = r.y + d;
        break;
    case kBelowLeft:
        x = r.x - d - s.width, y = r.y + d;
        break;
    }
    return {x, y, x + s.width, y + s.height};
}

CollisionGrid::CollisionGrid(ScreenBox bounds, float cellPx)
    : m_bounds(bounds), m_cell(std::max(cellPx, 1.0f)),
      m_cols(std::max(1, int(std::ceil(std::max(bounds.width(), 1.0f) / m_cell)))),
      m_rows(std::max(1, int(std::ceil(std::max(bounds.height(), 1.0f) / m_cell)))),
      m_cells(std::size_t(m_cols) * std::size_t(m_rows)) {}

template <class Fn> void CollisionGrid::forCells(const ScreenBox &box, Fn &&fn) const {
    // Boxes reaching outside the bounds are clamped to the edge cells: still found, never lost.
    auto cell = [&](float v, float origin, int n) {
        return std::clamp(int(std::floor((v - origin) / m_cell)), 0, n - 1);
    };
    const int c0 = cell(box.x0, m_bounds.x0, m_cols), c1 = cell(box.x1, m_bounds.x0, m_cols);
    const int r0 = cell(box.y0, m_bounds.y0, m_rows), r1 = cell(box.y1, m_bounds.y0, m_rows);
    for (int r = r0; r <= r1; ++r)
        for (int c = c0; c <= c1; ++c)
            if (fn(std::size_t(r) * std::size_t(m_cols) + std::size_t(c)))
                return;
}

void CollisionGrid::insert(const ScreenBox &box) {
    const auto index = std::uint32_t(m_boxes.size());
    m_boxes.push_back(box);
    forCells(box, [&](std::size_t c) {
        m_cells[c].push_back(index);
        return false;
    });
}

bool CollisionGrid::collides(const ScreenBox &box) const {
    bool hit = false;
    forCells(box, [&](std::size_t c) {
        for (const std::uint32_t i : m_cells[c])
            if (m_boxes[i].intersects(box))
                return hit = true;
        return false;
    });
    return hit;
}

LabelPlacer::LabelPlacer(ScreenBox bounds, float padding)
    : m_bounds(bounds), m_padding(padding), m_obstacles(bounds, 96.0f), m_labels(bounds) {}

void LabelPlacer::addObstacle(const ScreenBox &box) {
    m_obstacles.insert(box);
}

bool LabelPlacer::fits(const ScreenBox &box) const {
    const ScreenBox padded{box.x0 - m_padding, box.y0 - m_padding, box.x1 + m_padding, box.y1 + m_padding};
    return box.inside(m_bounds) && !m_obstacles.collides(padded) && !m_labels.collides(padded);
}

std::optional<PlacedLabel> LabelPlacer::place(const LabelRequest &r, LabelSize size) {
    std::optional<PlacedLabel> result;
    for (int bit = 0; bit < 8 && !result; ++bit) {
        const auto position = LabelPosition(1 << bit);
        if (!(r.positions & position))
            continue;
        const ScreenBox box = labelBoxAt(r, size, position);
        if (fits(box))
            result = PlacedLabel{r.id, box, position};
    }
    if (!result && r.required) {
        // Nothing free: the first allowed position, moved inside the map, over whatever
        // obstacle is there. Only other required labels can be under it, and there is one.
        LabelPosition first = kRight;
        for (int bit = 0; bit < 8; ++bit)
            if (r.positions & (1 << bit)) {
                first = LabelPosition(1 << bit);
                break;
            }
        ScreenBox box = labelBoxAt(r, size, first);
        const float dx = std::max(m_bounds.x0 - box.x0, std::min(0.0f, m_bounds.x1 - box.x1));
        const float dy = std::max(m_bounds.y0 - box.y0, std::min(0.0f, m_bounds.y1 - box.y1));
        box = {box.x0 + dx, box.y0 + dy, box.x1 + dx, box.y1 + dy};
        result = PlacedLabel{r.id, box, first};
    }
    if (result) {
        m_labels.insert(result->box);
        m_placed.push_back(*result);
    }
    return result;
}

std::vector<PlacedLabel> placeLabels(LabelPlacer &placer, std::vector<LabelRequest> requests,
                                     const MeasureLabel &measure, std::size_t maxTries) {
    std::vector<std::uint32_t> order(requests.size());
    std::iota(order.begin(), order.end(), 0u);
    const auto before = [&](std::uint32_t i, std::uint32_t j) {
        const LabelRequest &a = requests[i], &b = requests[j];
        if (a.required != b.required)
            return a.required;
        if (a.priority != b.priority)
            return a.priority > b.priority;
        return i < j;
    };
    // Only the first maxTries are tried: order just those.
    const std::size_t n = std::min(maxTries, requests.size());
    if (n < order.size())
        std::nth_element(order.begin(), order.begin() + std::ptrdiff_t(n), order.end(), before);
    std::sort(order.begin(), order.begin() + std::ptrdiff_t(n), before);
    std::vector<PlacedLabel> out;
    for (std::size_t k = 0; k < n; ++k) {
        const LabelRequest &r = requests[order[k]];
        const LabelSize size = measure(r.id);
        if (size.width <= 0 || size.height <= 0)
            continue; // nothing to show
        if (auto p = placer.place(r, size))
            out.push_back(*p);
    }
    return out;
}

} // namespace orefront::viewer
