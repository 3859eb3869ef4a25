#pragma once
// Label placement without overlap, GL-free and ImGui-free (tested): greedy placement by
// priority over a screen grid collision index, as MapLibre Native's CollisionIndex and
// GridIndex do. Each label tries a few candidate positions around its anchor (right, left,
// above, below, then the diagonals) and takes the first whose box is inside the map, clear of
// the obstacles (legend, scale bar) and clear of every label placed before it; a label with
// no free position is dropped, never stacked. A required label (the selected deposit) goes
// first and is placed even where only obstacles leave it no room.
// Thread rule: plain values; use an instance on one thread.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace orefront::viewer {

// An axis-aligned screen rectangle in pixels, y down; [x0, x1) x [y0, y1).
struct ScreenBox {
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool intersects(const ScreenBox &o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
    bool inside(const ScreenBox &o) const { return x0 >= o.x0 && y0 >= o.y0 && x1 <= o.x1 && y1 <= o.y1; }
    float width() const { return x1 - x0; }
    float height() const { return y1 - y0; }
    bool operator==(const ScreenBox &) const = default;
};

// Candidate positions of a label's box relative to its anchor, tried in this order.
enum LabelPosition : std::uint8_t {
    kRight = 1 << 0,
    kLeft = 1 << 1,
    kAbove = 1 << 2,
    kBelow = 1 << 3,
    kAboveRight = 1 << 4,
    kAboveLeft = 1 << 5,
    kBelowRight = 1 << 6,
    kBelowLeft = 1 << 7,
};
constexpr std::uint8_t kAllPositions = 0xFF;
constexpr std::uint8_t kSidePositions = kRight | kLeft;

struct LabelSize {
    float width = 0, height = 0;
};

struct LabelRequest {
    std::uint32_t id = 0;  // the caller's: a feature index, a ring index
    float x = 0, y = 0;    // anchor, screen pixels
    float gap = 0;         // from the anchor to the box (a marker's radius plus a margin)
    double priority = 0;   // higher is placed first
    bool required = false; // placed even if it must overlap an obstacle or another required label
    std::uint8_t positions = kAllPositions;
};

struct PlacedLabel {
    std::uint32_t id = 0;
    ScreenBox box;
    LabelPosition position = kRight;
};

// The box a label of `size` takes at `position` around the request's anchor.
ScreenBox labelBoxAt(const LabelRequest &r, LabelSize size, LabelPosition position);

// Screen grid of boxes: each box is listed in every cell it covers, so a test looks at the
// few cells a label covers and the few boxes in them, whatever the number of labels.
class CollisionGrid {
public:
    CollisionGrid(ScreenBox bounds, float cellPx = 48.0f);
    void insert(const ScreenBox &box);
    bool collides(const ScreenBox &box) const;
    std::size_t size() const { return m_boxes.size(); }

private:
    template <class Fn> void forCells(const ScreenBox &box, Fn &&fn) const;
    ScreenBox m_bounds;
    float m_cell;
    int m_cols, m_rows;
    std::vector<ScreenBox> m_boxes;
    std::vector<std::vector<std::uint32_t>> m_cells; // box indices per cell, row-major
};

// Places labels one at a time into a shared index, so several kinds (deposits, rings,
// infrastructure) never collide with one another.
class LabelPlacer {
public:
    // `bounds`: where label boxes must lie (the map's rectangle, in the anchors' pixels).
    explicit LabelPlacer(ScreenBox bounds, float padding = 2.0f);
    // A box no label may cover (legend, scale bar, title).
    void addObstacle(const ScreenBox &box);
    // A marker's box: no label covers it, but a required label may (as it may cover another
    // label). A label's own marker is one too: the request's gap keeps the label off it.
    void addMarker(const ScreenBox &box) { m_labels.insert(box); }
    // Tries the request's positions in order; on success records and returns the placement.
    std::optional<PlacedLabel> place(const LabelRequest &request, LabelSize size);
    const std::vector<PlacedLabel> &placed() const { return m_placed; }
    const ScreenBox &bounds() const { return m_bounds; }

private:
    bool fits(const ScreenBox &box) const;
    ScreenBox m_bounds;
    float m_padding;
    CollisionGrid m_obstacles, m_labels;
    std::vector<PlacedLabel> m_placed;
};

// Label size by request id (text measured by the caller's font), asked only for the labels
// actually tried, in priority order. An empty size: no text, the request is skipped.
using MeasureLabel = std::function<LabelSize(std::uint32_t id)>;

// Greedy placement: required requests first, then by descending priority (ties: request
// order). At most `maxTries` requests are measured and tried (the highest-priority ones):
// a 1280x800 map holds at most about 500 names, so the 100 000th candidate in view would
// never fit, and each try costs up to eight collision tests.
constexpr std::size_t kMaxLabelTries = 1500;
std::vector<PlacedLabel> placeLabels(LabelPlacer &placer, std::vector<LabelRequest> requests,
                                     const MeasureLabel &measure, std::size_t maxTries = kMaxLabelTries);

} // namespace orefront::viewer
