#include "render/ui_compositor.hpp"

#include <epoxy/gl.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <utility>

namespace orefront::viewer {

namespace {

using Rect = UiCompositor::Rect;

// Two damaged rectangles this close are painted as one: each rectangle costs a draw call per
// command that reaches into it, a few pixels more cost little.
constexpr int kMergeGap = 16;
// More rectangles than this are merged, the pairs whose union adds least first.
constexpr std::size_t kMaxRects = 8;
// More damaged rectangles than this are painted as their union (capRects).
constexpr std::size_t kManyRects = 24;
// A run of triangles redrawn in a damaged rectangle goes on through this many that miss it.
constexpr unsigned kRunGap = 8;
// Damage over this share of the frame is painted as a full frame.
constexpr double kFullShare = 0.75;

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    h ^= v;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 31);
}

std::uint64_t bitsOf(float a, float b) {
    std::uint32_t x, y;
    std::memcpy(&x, &a, 4);
    std::memcpy(&y, &b, 4);
    return (std::uint64_t(x) << 32) | y;
}

Rect intersect(const Rect &a, const Rect &b) {
    return {std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
}

Rect unite(const Rect &a, const Rect &b) {
    if (a.empty())
        return b;
    if (b.empty())
        return a;
    return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

bool near(const Rect &a, const Rect &b, int gap) {
    return a.x0 <= b.x1 + gap && b.x0 <= a.x1 + gap && a.y0 <= b.y1 + gap && b.y0 <= a.y1 + gap;
}

// The pixels ImGui's OpenGL3 backend lets a command touch: its glScissor box, computed as the
// backend computes it (display origin (0, 0), scale 1), turned top-down.
Rect scissorOf(const ImVec4 &c, int fbHeight) {
    if (c.z <= c.x || c.w <= c.y)
        return {};
    const int x = int(c.x), bottom = int(float(fbHeight) - c.w);
    const int w = int(c.z - c.x), h = int(c.w - c.y);
    return {x, fbHeight - (bottom + h), x + w, fbHeight - bottom};
}

// The clip rectangle for which the backend computes exactly the scissor box `r`.
ImVec4 clipFor(const Rect &r) {
    return {float(r.x0), float(r.y0), float(r.x1), float(r.y1)};
}

// A clip rectangle's pixels, rounded outward (what a callback given it may touch).
Rect outward(const ImVec4 &c) {
    if (!(c.z > c.x && c.w > c.y))
        return {};
    return {int(std::floor(c.x)), int(std::floor(c.y)), int(std::ceil(c.z)), int(std::ceil(c.w))};
}

// Pixels of the kept opaque boxes' insides that painting a and b as their union would repaint
// and neither of them repaints already (kept pixels painted for nothing).
long long keptPixelsAdded(const Rect &a, const Rect &b, const std::vector<Rect> &kept) {
    const Rect u = unite(a, b);
    long long added = 0;
    for (const Rect &k : kept)
        added += std::max(0LL, intersect(u, k).area() - intersect(a, k).area() - intersect(b, k).area());
    return added;
}

void addDamage(std::vector<Rect> &rects, Rect r, const std::vector<Rect> &kept) {
    if (r.empty())
        return;
    if (!rects.empty() && unite(rects.back(), r).area() == rects.back().area())
        return; // inside the last one: the common case, glyph after glyph
    for (bool merged = true; merged;) {
        merged = false;
        for (std::size_t i = 0; i < rects.size(); ++i)
            if (near(rects[i], r, kMergeGap) && keptPixelsAdded(rects[i], r, kept) == 0) {
                r = unite(r, rects[i]);
                rects.erase(rects.begin() + std::ptrdiff_t(i));
                merged = true;
                break;
            }
    }
    rects.push_back(r);
}

// `r` less `hole`: up to four rectangles (the bands above and below it, the parts beside it).
void subtract(const Rect &r, const Rect &hole, std::vector<Rect> &out) {
    const Rect h = intersect(r, hole);
    if (h.empty()) {
        out.push_back(r);
        return;
    }
    const Rect parts[] = {{r.x0, r.y0, r.x1, h.y0},
                          {r.x0, h.y1, r.x1, r.y1},
                          {r.x0, h.y0, h.x0, h.y1},
                          {h.x1, h.y0, r.x1, h.y1}};
    for (const Rect &p : parts)
        if (!p.empty())
            out.push_back(p);
}

// `pieces` less `hole` (`scratch`: reused storage).
void cutOut(std::vector<Rect> &pieces, const Rect &hole, std::vector<Rect> &scratch) {
    scratch.clear();
    for (const Rect &p : pieces)
        subtract(p, hole, scratch);
    pieces.swap(scratch);
}

// Fewer rectangles, each pass merging the two whose union adds the fewest pixels of the kept
// boxes' insides, then the fewest pixels. Many (text changed all over the window: a new
// report) are painted as their union, as the pairwise search would cost more than it saves.
void capRects(std::vector<Rect> &rects, std::size_t most, const std::vector<Rect> &kept) {
    if (rects.size() > kManyRects) {
        Rect all;
        for (const Rect &r : rects)
            all = unite(all, r);
        rects.assign(1, all);
        return;
    }
    while (rects.size() > most) {
        std::size_t bi = 0, bj = 1;
        std::pair<long long, long long> best{-1, -1};
        for (std::size_t i = 0; i < rects.size(); ++i)
            for (std::size_t j = i + 1; j < rects.size(); ++j) {
                const std::pair<long long, long long> cost{keptPixelsAdded(rects[i], rects[j], kept),
                                                           unite(rects[i], rects[j]).area() -
                                                               rects[i].area() - rects[j].area()};
                if (best.first < 0 || cost < best) {
                    best = cost;
                    bi = i;
                    bj = j;
                }
            }
        rects[bi] = unite(rects[bi], rects[bj]);
        rects.erase(rects.begin() + std::ptrdiff_t(bj));
    }
}

// An opaque box's marker (UiCompositor::fillOpaque): a callback that draws nothing, given the
// box, its colour and its rounding.
struct OpaqueBox {
    float x0, y0, x1, y1, rounding;
    ImU32 colour;
};
void opaqueMarker(const ImDrawList *, const ImDrawCmd *) {}

// A command that resets the backend's render state (AddCallback swaps
// ImDrawCallback_ResetRenderState for the backend's own).
bool resetsState(const ImDrawCmd &cmd) {
    const ImDrawCallback reset = ImGui::GetPlatformIO().DrawCallback_ResetRenderState;
    return cmd.UserCallback == ImDrawCallback_ResetRenderState || (reset && cmd.UserCallback == reset);
}

bool texturesPending(const ImDrawData &data) {
    if (data.Textures)
        for (const ImTextureData *t : *data.Textures)
            if (t->Status != ImTextureStatus_OK)
                return true;
    return false;
}

} // namespace

// Appends to `cmds` copies of `cmd` (its clip already cut to `r`) for the runs of its triangles
// that touch `r`; `boxes`: the command's triangles' elements, in order. A run goes on through
// gaps of a few triangles that miss `r`: a draw call costs more than a few triangles the
// scissor rejects.
void UiCompositor::addTriangleRuns(ImVector<ImDrawCmd> &cmds, const ImDrawCmd &cmd, const Element *boxes,
                                   const Rect &r) {
    const unsigned triangles = cmd.ElemCount / 3;
    ImDrawCmd copy = cmd;
    for (unsigned t = 0; t < triangles;) {
        if (intersect(boxes[t].box, r).empty()) {
            ++t;
            continue;
        }
        const unsigned start = t;
        unsigned end = t + 1;
        for (unsigned k = end, miss = 0; k < triangles && miss <= kRunGap; ++k) {
            if (intersect(boxes[k].box, r).empty()) {
                ++miss;
            } else {
                end = k + 1;
                miss = 0;
            }
        }
        copy.IdxOffset = cmd.IdxOffset + start * 3;
        copy.ElemCount = (end - start) * 3;
        cmds.push_back(copy);
        t = end;
    }
    if (triangles * 3 < cmd.ElemCount) { // a stray index or two, as the backend would draw them
        copy.IdxOffset = cmd.IdxOffset + triangles * 3;
        copy.ElemCount = cmd.ElemCount - triangles * 3;
        cmds.push_back(copy);
    }
}

void UiCompositor::readList(const ImDrawList &list, int fbHeight, ListFrame &out) const {
    out.list = &list;
    out.elements.clear();
    out.occluders.clear();
    out.cmdFirst.clear();
    out.bounds = {};
    const ImDrawVert *vtx = list.VtxBuffer.Data;
    const ImDrawIdx *idx = list.IdxBuffer.Data;
    for (const ImDrawCmd &cmd : list.CmdBuffer) {
        out.cmdFirst.push_back(out.elements.size());
        if (resetsState(cmd)) {
            out.elements.push_back({mix(1, 0), {}});
            continue;
        }
        const ImVec4 &c = cmd.ClipRect;
        std::uint64_t key = mix(mix(2, bitsOf(c.x, c.y)), bitsOf(c.z, c.w));
        if (cmd.UserCallback == opaqueMarker && cmd.UserCallbackDataSize == int(sizeof(OpaqueBox))) {
            OpaqueBox b;
            std::memcpy(&b, cmd.UserCallbackData, sizeof b);
            const std::uint64_t words[] = {bitsOf(b.x0, b.y0), bitsOf(b.x1, b.y1), bitsOf(b.rounding, 0),
                                           b.colour};
            for (const std::uint64_t w : words)
                key = mix(key, w);
            // Inside the rounded corners and the anti-aliased edge, and within the clip.
            const float inset = b.rounding + 1.0f;
            const Rect inside = intersect({int(std::ceil(b.x0 + inset)), int(std::ceil(b.y0 + inset)),
                                           int(std::floor(b.x1 - inset)), int(std::floor(b.y1 - inset))},
                                          scissorOf(c, fbHeight));
            if (!inside.empty())
                out.occluders.push_back({out.elements.size(), inside});
            out.elements.push_back({mix(key, 3), {}}); // it draws nothing
            continue;
        }
        if (cmd.UserCallback) {
            // What a callback draws is known only from the bytes it was given.
            key = mix(key, std::uint64_t(reinterpret_cast<std::uintptr_t>(cmd.UserCallback)));
            if (cmd.UserCallbackDataSize > 0) {
                const auto *bytes = static_cast<const unsigned char *>(cmd.UserCallbackData);
                for (int i = 0; i < cmd.UserCallbackDataSize; i += 8) {
                    std::uint64_t word = 0;
                    std::memcpy(&word, bytes + i, std::size_t(std::min(8, cmd.UserCallbackDataSize - i)));
                    key = mix(key, word);
                }
            } else {
                key = mix(key, m_frame); // no bytes: damage every frame
            }
            const Rect box = outward(c);
            out.elements.push_back({key, box});
            out.bounds = unite(out.bounds, box);
            continue;
        }
        key = mix(key, std::uint64_t(reinterpret_cast<std::uintptr_t>(cmd.TexRef._TexData)));
        key = mix(key, std::uint64_t(cmd.TexRef._TexID));
        if (!cmd.TexRef._TexData)
            key = mix(key, m_frame); // the application's texture: its pixels may change unseen
        const Rect clip = scissorOf(c, fbHeight);
        for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
            std::uint64_t h = key;
            float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
            for (unsigned k = 0; k < 3; ++k) {
                const ImDrawVert &v = vtx[cmd.VtxOffset + idx[cmd.IdxOffset + i + k]];
                h = mix(mix(mix(h, bitsOf(v.pos.x, v.pos.y)), bitsOf(v.uv.x, v.uv.y)), v.col);
                x0 = std::min(x0, v.pos.x);
                y0 = std::min(y0, v.pos.y);
                x1 = std::max(x1, v.pos.x);
                y1 = std::max(y1, v.pos.y);
            }
            Rect box = clip;
            if (x0 <= x1 && y0 <= y1 && x1 - x0 < 1e6f && y1 - y0 < 1e6f) // else (NaN, huge): its clip
                box = intersect(
                    clip, {int(std::floor(std::max(x0, -1e6f))) - 1, int(std::floor(std::max(y0, -1e6f))) - 1,
                           int(std::ceil(std::min(x1, 1e6f))) + 1, int(std::ceil(std::min(y1, 1e6f))) + 1});
            out.elements.push_back({h, box});
            out.bounds = unite(out.bounds, box);
        }
    }
}

std::vector<Rect> UiCompositor::damage(const std::vector<ListFrame> &now, bool &full) const {
    // Where an element is in the draw order: its list's place, then its own in the list.
    struct Pos {
        int list;
        std::size_t element;
        bool operator<(const Pos &o) const {
            return list < o.list || (list == o.list && element < o.element);
        }
    };
    // An opaque box that is in both frames, where it is in each.
    struct Kept {
        Rect inside;
        Pos now, old;
    };
    // Elements that changed in a list found in both frames: [old0, old1) of the last frame's,
    // [now0, now1) of this one's.
    struct Changed {
        int oldList, nowList;
        std::size_t old0, old1, now0, now1;
    };
    std::vector<Changed> changed;
    std::vector<Kept> kept;
    std::vector<int> appeared;
    std::vector<bool> matched(m_lists.size(), false);
    int lastOld = -1;
    for (std::size_t ni = 0; ni < now.size(); ++ni) {
        const ListFrame &n = now[ni];
        const auto it = std::find_if(m_lists.begin(), m_lists.end(),
                                     [&](const ListFrame &o) { return o.list == n.list; });
        if (it == m_lists.end()) {
            appeared.push_back(int(ni));
            continue;
        }
        const int at = int(it - m_lists.begin());
        if (at < lastOld) { // two windows changed places in the draw order
            full = true;
            return {};
        }
        lastOld = at;
        matched[std::size_t(at)] = true;
        const auto &a = it->elements, &b = n.elements;
        // The common head and tail of [a0, a1) and [b0, b1); what lies between them changed.
        const auto diff = [&](std::size_t a0, std::size_t a1, std::size_t b0, std::size_t b1) {
            while (a0 < a1 && b0 < b1 && a[a0].hash == b[b0].hash)
                ++a0, ++b0;
            while (a0 < a1 && b0 < b1 && a[a1 - 1].hash == b[b1 - 1].hash)
                --a1, --b1;
            if (a0 < a1 || b0 < b1)
                changed.push_back({at, int(ni), a0, a1, b0, b1});
        };
        // The opaque boxes found in both frames, in the same order, anchor the comparison:
        // each stretch between two of them is compared on its own, so that a change before
        // the legend (the map image) and one after it (the status bar's text) leave what lies
        // between (the legend's text) unchanged. Only what is drawn after a box shows over it.
        std::size_t a0 = 0, b0 = 0;
        for (const Occluder &o : n.occluders) {
            const auto same =
                std::find_if(it->occluders.begin(), it->occluders.end(), [&](const Occluder &p) {
                    return p.element >= a0 && a[p.element].hash == b[o.element].hash;
                });
            if (same == it->occluders.end())
                continue;
            diff(a0, same->element, b0, o.element);
            kept.push_back({o.inside, {int(ni), o.element}, {at, same->element}});
            a0 = same->element + 1;
            b0 = o.element + 1;
        }
        diff(a0, a.size(), b0, b.size());
    }
    std::vector<Rect> keptInside;
    for (const Kept &k : kept)
        keptInside.push_back(k.inside);

    std::vector<Rect> rects, pieces, next;
    // An element's box, less the inside of every kept opaque box drawn after it (in the frame
    // the element belongs to: `old` for the last one's).
    const auto add = [&](const Rect &box, Pos at, bool old) {
        pieces.assign(1, box);
        for (const Kept &k : kept)
            if (at < (old ? k.old : k.now) && !intersect(box, k.inside).empty())
                cutOut(pieces, k.inside, next);
        for (const Rect &p : pieces)
            addDamage(rects, p, keptInside);
    };
    for (const Changed &c : changed) {
        const auto &a = m_lists[std::size_t(c.oldList)].elements, &b = now[std::size_t(c.nowList)].elements;
        for (std::size_t i = c.old0; i < c.old1; ++i)
            add(a[i].box, {c.oldList, i}, true);
        for (std::size_t i = c.now0; i < c.now1; ++i)
            add(b[i].box, {c.nowList, i}, false);
    }
    for (const int ni : appeared) // windows that appeared
        for (std::size_t i = 0; i < now[std::size_t(ni)].elements.size(); ++i)
            add(now[std::size_t(ni)].elements[i].box, {ni, i}, false);
    for (std::size_t i = 0; i < m_lists.size(); ++i)
        if (!matched[i]) // a window that went away
            for (std::size_t e = 0; e < m_lists[i].elements.size(); ++e)
                add(m_lists[i].elements[e].box, {int(i), e}, true);

    const Rect frame{0, 0, m_width, m_height};
    for (Rect &r : rects)
        r = intersect(r, frame);
    std::erase_if(rects, [](const Rect &r) { return r.empty(); });
    capRects(rects, kMaxRects, keptInside);
    // Rectangles that do not overlap: each pixel is then painted once (repaint()'s one pass
    // would blend a translucent element twice where two overlapped).
    std::vector<Rect> apart;
    for (const Rect &r : rects) {
        pieces.assign(1, r);
        for (const Rect &q : apart)
            cutOut(pieces, q, next);
        apart.insert(apart.end(), pieces.begin(), pieces.end());
    }
    rects.swap(apart);
    long long area = 0;
    for (const Rect &r : rects)
        area += r.area();
    full = double(area) > kFullShare * double(frame.area());
    return rects;
}

void UiCompositor::repaint(ImDrawData &data, const std::vector<Rect> &rects,
                           const std::vector<ListFrame> &now, const ImVec4 &clear, const DrawFn &draw) {
    const int fbHeight = m_height;
    glEnable(GL_SCISSOR_TEST);
    glClearColor(clear.x, clear.y, clear.z, clear.w);
    for (const Rect &r : rects) {
        glScissor(r.x0, fbHeight - r.y1, r.x1 - r.x0, r.y1 - r.y0);
        glClear(GL_COLOR_BUFFER_BIT);
    }
    glDisable(GL_SCISSOR_TEST);

    // One pass over the lists that reach into the rectangles. For each rectangle in turn (they
    // do not overlap), each command that reaches into it is drawn again with its scissor cut to
    // it, and only the runs of its triangles that touch it: a big command (the map's labels,
    // all one texture) is not set up again whole for every rectangle.
    ImDrawData part = data;
    part.CmdLists.clear();
    part.TotalVtxCount = part.TotalIdxCount = 0;
    std::vector<std::pair<ImDrawList *, ImVector<ImDrawCmd>>> swapped;
    for (int i = 0; i < data.CmdLists.Size; ++i) {
        const ListFrame &lf = now[std::size_t(i)];
        ImDrawList *list = data.CmdLists[i];
        ImVector<ImDrawCmd> cmds;
        for (const Rect &r : rects) {
            if (intersect(lf.bounds, r).empty())
                continue;
            for (int c = 0; c < list->CmdBuffer.Size; ++c) {
                const ImDrawCmd &cmd = list->CmdBuffer[c];
                if (resetsState(cmd)) {
                    cmds.push_back(cmd);
                    continue;
                }
                const Rect cut = intersect(
                    cmd.UserCallback ? outward(cmd.ClipRect) : scissorOf(cmd.ClipRect, fbHeight), r);
                if (cut.empty())
                    continue;
                ImDrawCmd copy = cmd;
                copy.ClipRect = clipFor(cut);
                if (cmd.UserCallback) {
                    cmds.push_back(copy);
                    continue;
                }
                addTriangleRuns(cmds, copy, lf.elements.data() + lf.cmdFirst[std::size_t(c)], r);
            }
        }
        if (cmds.empty())
            continue;
        list->CmdBuffer.swap(cmds); // the list's own commands are put back after the draw
        swapped.emplace_back(list, ImVector<ImDrawCmd>());
        swapped.back().second.swap(cmds);
        part.CmdLists.push_back(list);
        part.TotalVtxCount += list->VtxBuffer.Size;
        part.TotalIdxCount += list->IdxBuffer.Size;
    }
    part.CmdListsCount = part.CmdLists.Size;
    if (part.CmdListsCount > 0)
        draw(&part);
    for (auto &[list, cmds] : swapped)
        list->CmdBuffer.swap(cmds);
}

void UiCompositor::render(ImDrawData &data, const ImVec4 &clear, const DrawFn &draw) {
    ++m_frame;
    const int w = int(data.DisplaySize.x * data.FramebufferScale.x);
    const int h = int(data.DisplaySize.y * data.FramebufferScale.y);
    if (w <= 0 || h <= 0)
        return;
    const bool resized = m_width != w || m_height != h;
    m_width = w;
    m_height = h;

    std::vector<ListFrame> now(std::size_t(data.CmdLists.Size));
    for (int i = 0; i < data.CmdLists.Size; ++i)
        readList(*data.CmdLists[i], h, now[std::size_t(i)]);
    // Damage is worked out for ImGui's usual single viewport at scale 1; anything else, and
    // anything the draw data cannot show (a texture changing), repaints all.
    const bool sameView = data.DisplayPos.x == 0 && data.DisplayPos.y == 0 && data.FramebufferScale.x == 1 &&
                          data.FramebufferScale.y == 1 && data.DisplayPos.x == m_displayPos.x &&
                          data.DisplayPos.y == m_displayPos.y && data.DisplaySize.x == m_displaySize.x &&
                          data.DisplaySize.y == m_displaySize.y && data.FramebufferScale.x == m_scale.x &&
                          data.FramebufferScale.y == m_scale.y;
    const bool sameClear =
        clear.x == m_clear.x && clear.y == m_clear.y && clear.z == m_clear.z && clear.w == m_clear.w;
    bool full = m_lists.empty() || resized || !sameView || !sameClear || texturesPending(data);
    std::vector<Rect> rects;
    if (!full)
        rects = damage(now, full);

    glViewport(0, 0, w, h);
    m_stats = {};
    if (full) {
        glDisable(GL_SCISSOR_TEST);
        glClearColor(clear.x, clear.y, clear.z, clear.w);
        glClear(GL_COLOR_BUFFER_BIT);
        draw(&data);
        m_stats.full = true;
        m_stats.rects = {{0, 0, w, h}};
        m_stats.pixels = (long long)w * h;
    } else {
        if (!rects.empty())
            repaint(data, rects, now, clear, draw);
        for (const Rect &r : rects)
            m_stats.pixels += r.area();
        m_stats.rects = std::move(rects);
    }
    glDisable(GL_SCISSOR_TEST);

    m_lists = std::move(now);
    m_displayPos = data.DisplayPos;
    m_displaySize = data.DisplaySize;
    m_scale = data.FramebufferScale;
    m_clear = clear;
}

void UiCompositor::fillOpaque(ImDrawList *dl, ImVec2 min, ImVec2 max, ImU32 colour, float rounding) {
    dl->AddRectFilled(min, max, colour, rounding);
    if (((colour >> IM_COL32_A_SHIFT) & 0xFF) != 0xFF)
        return;
    const OpaqueBox box{min.x, min.y, max.x, max.y, rounding, colour};
    dl->AddCallback(opaqueMarker, const_cast<OpaqueBox *>(&box), sizeof box);
}

} // namespace orefront::viewer
