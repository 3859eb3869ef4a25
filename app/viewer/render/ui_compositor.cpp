#include "render/ui_compositor.hpp"

#include <epoxy/gl.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace orefront::viewer {

namespace {

using Rect = UiCompositor::Rect;

// Two damaged rectangles this close are painted as one: a scissored pass costs a walk over
// every draw list, a few pixels more cost little.
constexpr int kMergeGap = 16;
// More rectangles than this are painted as their union.
constexpr std::size_t kMaxRects = 6;
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

void addDamage(std::vector<Rect> &rects, Rect r) {
    if (r.empty())
        return;
    if (!rects.empty() && unite(rects.back(), r).area() == rects.back().area())
        return; // inside the last one: the common case, glyph after glyph
    for (bool merged = true; merged;) {
        merged = false;
        for (std::size_t i = 0; i < rects.size(); ++i)
            if (near(rects[i], r, kMergeGap)) {
                r = unite(r, rects[i]);
                rects.erase(rects.begin() + std::ptrdiff_t(i));
                merged = true;
                break;
            }
    }
    rects.push_back(r);
}

bool texturesPending(const ImDrawData &data) {
    if (data.Textures)
        for (const ImTextureData *t : *data.Textures)
            if (t->Status != ImTextureStatus_OK)
                return true;
    return false;
}

} // namespace

void UiCompositor::readList(const ImDrawList &list, int fbHeight, ListFrame &out) const {
    out.list = &list;
    out.elements.clear();
    out.bounds = {};
    const ImDrawVert *vtx = list.VtxBuffer.Data;
    const ImDrawIdx *idx = list.IdxBuffer.Data;
    // AddCallback swaps ImDrawCallback_ResetRenderState for the backend's own.
    const ImDrawCallback reset = ImGui::GetPlatformIO().DrawCallback_ResetRenderState;
    for (const ImDrawCmd &cmd : list.CmdBuffer) {
        if (cmd.UserCallback == ImDrawCallback_ResetRenderState || (reset && cmd.UserCallback == reset)) {
            out.elements.push_back({mix(1, 0), {}});
            continue;
        }
        const ImVec4 &c = cmd.ClipRect;
        std::uint64_t key = mix(mix(2, bitsOf(c.x, c.y)), bitsOf(c.z, c.w));
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
    std::vector<Rect> rects;
    std::vector<bool> matched(m_lists.size(), false);
    int lastOld = -1;
    for (const ListFrame &n : now) {
        const auto it = std::find_if(m_lists.begin(), m_lists.end(),
                                     [&](const ListFrame &o) { return o.list == n.list; });
        if (it == m_lists.end()) { // a window that appeared
            for (const Element &e : n.elements)
                addDamage(rects, e.box);
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
        std::size_t head = 0;
        while (head < a.size() && head < b.size() && a[head].hash == b[head].hash)
            ++head;
        std::size_t tail = 0;
        while (tail < a.size() - head && tail < b.size() - head &&
               a[a.size() - 1 - tail].hash == b[b.size() - 1 - tail].hash)
            ++tail;
        for (std::size_t i = head; i < a.size() - tail; ++i)
            addDamage(rects, a[i].box);
        for (std::size_t i = head; i < b.size() - tail; ++i)
            addDamage(rects, b[i].box);
    }
    for (std::size_t i = 0; i < m_lists.size(); ++i)
        if (!matched[i]) // a window that went away
            for (const Element &e : m_lists[i].elements)
                addDamage(rects, e.box);

    const Rect frame{0, 0, m_width, m_height};
    Rect all;
    for (Rect &r : rects) {
        r = intersect(r, frame);
        all = unite(all, r);
    }
    std::erase_if(rects, [](const Rect &r) { return r.empty(); });
    if (rects.size() > kMaxRects)
        rects = {all};
    long long area = 0;
    for (const Rect &r : rects)
        area += r.area();
    full = double(area) > kFullShare * double(frame.area());
    return rects;
}

void UiCompositor::repaint(ImDrawData &data, const Rect &r, const std::vector<ListFrame> &now,
                           const ImVec4 &clear, const DrawFn &draw) {
    const int fbHeight = m_height;
    glEnable(GL_SCISSOR_TEST);
    glScissor(r.x0, fbHeight - r.y1, r.x1 - r.x0, r.y1 - r.y0);
    glClearColor(clear.x, clear.y, clear.z, clear.w);
    glClear(GL_COLOR_BUFFER_BIT);
    glDisable(GL_SCISSOR_TEST);

    // Only the lists that reach into `r`, each command's scissor cut to it.
    ImDrawData part = data;
    part.CmdLists.clear();
    part.TotalVtxCount = part.TotalIdxCount = 0;
    std::vector<ImVec4> saved;
    for (int i = 0; i < data.CmdLists.Size; ++i) {
        if (intersect(now[std::size_t(i)].bounds, r).empty())
            continue;
        ImDrawList *list = data.CmdLists[i];
        part.CmdLists.push_back(list);
        part.TotalVtxCount += list->VtxBuffer.Size;
        part.TotalIdxCount += list->IdxBuffer.Size;
        for (ImDrawCmd &cmd : list->CmdBuffer) {
            saved.push_back(cmd.ClipRect);
            const Rect cut =
                intersect(cmd.UserCallback ? outward(cmd.ClipRect) : scissorOf(cmd.ClipRect, fbHeight), r);
            cmd.ClipRect = cut.empty() ? ImVec4(0, 0, 0, 0) : clipFor(cut);
        }
    }
    part.CmdListsCount = part.CmdLists.Size;
    if (part.CmdListsCount > 0)
        draw(&part);
    std::size_t k = 0;
    for (ImDrawList *list : part.CmdLists)
        for (ImDrawCmd &cmd : list->CmdBuffer)
            cmd.ClipRect = saved[k++];
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
        for (const Rect &r : rects) {
            repaint(data, r, now, clear, draw);
            m_stats.pixels += r.area();
        }
        m_stats.rects = std::move(rects);
    }
    glDisable(GL_SCISSOR_TEST);

    m_lists = std::move(now);
    m_displayPos = data.DisplayPos;
    m_displaySize = data.DisplaySize;
    m_scale = data.FramebufferScale;
    m_clear = clear;
}

} // namespace orefront::viewer
