#pragma once
// ImGui's frame repainted only in the rectangles where this frame's draw data differs from
// the last frame's (damage tracking, as a window compositor does), in a framebuffer that still
// holds the last frame: a window's back buffer that is never swapped but shown rectangle by
// rectangle (render/window_present.hpp), or an offscreen one.
//
// Why: on Mesa's llvmpipe, the rasterizer the viewer must run well on, every pixel painted
// costs, and so does every pixel copied into the window. Repainting every panel, its text
// and the map each frame, and swapping the whole window, was 15-20 ms of a 20 ms frame at
// 1280x800 while the cursor only moved a tooltip and the status bar's text.
//
// How the damage is found: each draw list is read as a sequence of elements, one per
// triangle (its three vertices, its command's clip rectangle and texture) and one per
// callback (its function and the bytes it was given). Lists are matched with the last
// frame's by identity; in each matched list the common head and tail are kept, and every
// element between them, old and new, is damage; a list that appeared or went away is damage
// over all its elements. So outside the damage each pixel is covered by the same elements, in
// the same order, as in the last frame, and keeping it is exact: the test compares every
// pixel with a full repaint. The damaged rectangles are cleared and drawn again from the new
// draw data, each command's scissor cut to them.
//
// Opaque boxes (fillOpaque): a box filled in an opaque colour hides what is drawn under it.
// While a box is in both frames in the same list (same place, colour and clip, so the same
// marker after its fill), damage from anything drawn before it in the draw order (in an
// earlier list, or earlier in its own, in that frame) is cut out of its inside, so the pixels
// there are kept. They are the box and what is drawn after it, and whatever of that changed
// is damage as usual. This is how the map's legend, title and credits stay unpainted while
// the map image under them is redrawn every frame of a zoom.
//
// Everything is repainted when the size, the display origin, the framebuffer scale or the
// clear colour changed, when a texture is being created or updated (the font atlas gaining
// glyphs), when two windows changed places in the draw order, or after invalidate(). A
// command with a texture of the application's own (ImGui::Image, AddImage) or a callback
// given no bytes is damage every frame: its pixels can change with nothing in the draw data
// saying so.
//
// Thread rule: GL thread only; ImGui's OpenGL3 backend must be initialised.
#include <imgui.h>

#include <cstdint>
#include <functional>
#include <vector>

namespace orefront::viewer {

class UiCompositor {
public:
    // Integer pixel rectangle, top-down, [x0, x1) x [y0, y1), in ImGui's display coordinates.
    struct Rect {
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        bool empty() const { return x1 <= x0 || y1 <= y0; }
        long long area() const { return empty() ? 0 : (long long)(x1 - x0) * (y1 - y0); }
    };
    // What the last render() repainted.
    struct Stats {
        bool full = false;       // the whole frame (then `rects` is that one rectangle)
        std::vector<Rect> rects; // what was repainted (none when nothing changed)
        long long pixels = 0;    // pixels repainted
    };
    using DrawFn = std::function<void(ImDrawData *)>;

    // Brings the framebuffer bound for drawing up to date with `data`, repainting (cleared to
    // `clear`) where it changed. That framebuffer must hold what the last render() left in it,
    // else call invalidate() first. `draw` renders draw data (ImGui_ImplOpenGL3_RenderDrawData,
    // or a profiling wrapper). The clip rectangles of `data`'s commands are changed while it
    // runs and restored before it returns.
    void render(ImDrawData &data, const ImVec4 &clear, const DrawFn &draw);
    // The next render() repaints everything.
    void invalidate() { m_lists.clear(); }
    // What the last render() repainted: what a presenter shows.
    const Stats &stats() const { return m_stats; }

    // Fills [min, max] on `dl` with `colour`, corners rounded by `rounding`, as AddRectFilled
    // does; when `colour` is opaque (alpha 255), also tells the compositor that the box's
    // inside (less the rounding and the anti-aliased edge) hides what is under it.
    static void fillOpaque(ImDrawList *dl, ImVec2 min, ImVec2 max, ImU32 colour, float rounding = 0.0f);

private:
    struct Element {
        std::uint64_t hash;
        Rect box; // pixels it may touch
    };
    // An opaque box's marker: the element it is, and the pixels it hides.
    struct Occluder {
        std::size_t element = 0;
        Rect inside;
    };
    struct ListFrame {
        const ImDrawList *list = nullptr;
        std::vector<Element> elements;
        std::vector<std::size_t> cmdFirst; // per command, its first element
        std::vector<Occluder> occluders;
        Rect bounds;
    };

    void readList(const ImDrawList &list, int fbHeight, ListFrame &out) const;
    // Copies of `cmd` (its clip cut to `r`) for the runs of its triangles that touch `r`.
    static void addTriangleRuns(ImVector<ImDrawCmd> &cmds, const ImDrawCmd &cmd, const Element *boxes,
                                const Rect &r);
    std::vector<Rect> damage(const std::vector<ListFrame> &now, bool &full) const;
    void repaint(ImDrawData &data, const std::vector<Rect> &rects, const std::vector<ListFrame> &now,
                 const ImVec4 &clear, const DrawFn &draw);

    int m_width = 0, m_height = 0;
    std::vector<ListFrame> m_lists; // the last frame's; empty: repaint all
    ImVec2 m_displayPos{-1, -1}, m_displaySize{0, 0}, m_scale{0, 0};
    ImVec4 m_clear{-1, -1, -1, -1};
    std::uint64_t m_frame = 0;
    Stats m_stats;
};

} // namespace orefront::viewer
