#include "map_overlay.hpp"

#include "map_legend.hpp"
#include "render/graticule.hpp"
#include "render/scale_bar.hpp"
#include "render/ui_compositor.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

namespace orefront::viewer {

namespace {

// The boxes of the title, the legend and the credits: opaque white.
constexpr ImU32 kPanel = IM_COL32(255, 255, 255, 255);

ImU32 col(Rgba c, float alphaScale = 1.0f) {
    return IM_COL32(c.r, c.g, c.b, int(c.a * alphaScale));
}

// Records a drawn box, relative to the map's top-left `o`, for the labels to keep clear of.
void occupy(std::vector<ScreenBox> *out, ImVec2 o, ImVec2 a, ImVec2 b) {
    if (out)
        out->push_back({a.x - o.x, a.y - o.y, b.x - o.x, b.y - o.y});
}

ImVec2 textEnd(ImVec2 p, const char *text) {
    const ImVec2 size = ImGui::CalcTextSize(text);
    return {p.x + size.x, p.y + size.y};
}

// `text` cut to `maxWidth` pixels with an ellipsis, at a UTF-8 character boundary.
std::string fitText(const std::string &text, float maxWidth) {
    if (ImGui::CalcTextSize(text.c_str()).x <= maxWidth)
        return text;
    std::string cut = text;
    while (!cut.empty()) {
        do
            cut.pop_back();
        while (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0xC0) == 0x80);
        if (!cut.empty() && (static_cast<unsigned char>(cut.back()) & 0x80))
            cut.pop_back(); // the lead byte of the character just cut
        const std::string candidate = cut + "\xE2\x80\xA6";
        if (ImGui::CalcTextSize(candidate.c_str()).x <= maxWidth)
            return candidate;
    }
    return "\xE2\x80\xA6";
}

// Leftmost x where the edges of `mesh` (its line segments, at the detail the zoom draws)
// cross the screen row y, or +inf. Mercator to screen is affine: no trigonometry per vertex.
double leftmostCrossing(const std::shared_ptr<const LayerMesh> &ring, const Camera &camera, double y) {
    const LayerMesh &mesh = *meshForResolution(ring, camera.metresPerPixel);
    const double scale = 1.0 / camera.metresPerPixel;
    const double ox = camera.width / 2.0 + (mesh.origin.x - camera.center.x) * scale;
    const double oy = camera.height / 2.0 - (mesh.origin.y - camera.center.y) * scale;
    double best = std::numeric_limits<double>::infinity();
    // Four vertices per segment; the first holds both ends.
    for (std::size_t i = 0; i < mesh.lineVertices.size(); i += 4) {
        const LineVertex &v = mesh.lineVertices[i];
        const double ay = oy - v.pos.y * scale, by = oy - v.other.y * scale;
        if ((ay < y) == (by < y) || ay == by)
            continue;
        const double ax = ox + v.pos.x * scale, bx = ox + v.other.x * scale;
        const double cx = ax + (y - ay) * (bx - ax) / (by - ay);
        if (cx >= 0 && cx < best)
            best = cx;
    }
    return best;
}

} // namespace

std::vector<RingLabel> ringLabelAnchors(const RingSet &rings, const Camera &camera) {
    std::vector<RingLabel> out;
    for (int step = 0; step <= 16; ++step) {
        // Rows 0, +5 %, -5 %, +10 % ... +-40 % of the height from the middle.
        const int k = (step + 1) / 2, sign = step % 2 ? 1 : -1;
        const double y = camera.height * (0.5 + sign * k * 0.05);
        for (std::size_t i = 0; i < rings.rings.size() && i < rings.meshes.size(); ++i) {
            const double x = leftmostCrossing(rings.meshes[i], camera, y);
            if (x > 4 && x < camera.width - 40)
                out.push_back({i, rings.rings[i].km, x, y});
        }
    }
    return out;
}

void drawMapOverlay(ImDrawList *dl, ImVec2 o, const Camera &camera, const MapDocument &doc,
                    const MapStyle &style, const OverlayOptions &opt, std::vector<ScreenBox> *occupied) {
    const float w = float(camera.width), h = float(camera.height);
    const ImU32 ink = IM_COL32(30, 30, 35, 255);
    const ImU32 faint = IM_COL32(90, 96, 110, 255);
    dl->PushClipRect(o, {o.x + w, o.y + h}, true);

    if (opt.graticuleLabels && style.graticule) {
        const double step = graticuleStep(camera);
        const model::BBox b = camera.visibleBounds();
        // Longitude labels go under the title row so the two never overlap.
        const float lonLabelY = opt.title ? 12.0f + 2.0f * ImGui::GetFontSize() : 2.0f;
        for (double lon = std::ceil(b.minLon / step) * step; lon <= b.maxLon; lon += step) {
            double x, y;
            camera.lonLatToScreen({lon, b.maxLat}, x, y);
            const std::string t = formatLon(lon, step);
            dl->AddText({o.x + float(x) + 3, o.y + lonLabelY}, faint, t.c_str());
            occupy(occupied, o, {o.x + float(x) + 3, o.y + lonLabelY},
                   textEnd({o.x + float(x) + 3, o.y + lonLabelY}, t.c_str()));
        }
        for (double lat = std::ceil(b.minLat / step) * step; lat <= b.maxLat; lat += step) {
            double x, y;
            camera.lonLatToScreen({b.minLon, lat}, x, y);
            const std::string t = formatLat(lat, step);
            const ImVec2 p{o.x + 3, o.y + float(y) - ImGui::GetFontSize() - 1};
            dl->AddText(p, faint, t.c_str());
            occupy(occupied, o, p, textEnd(p, t.c_str()));
        }
    }

    if (opt.title && doc.scenario()) {
        const auto &s = *doc.scenario();
        std::string title = s.name;
        if (s.date)
            title += "  \xE2\x80\x94  situation " + *s.date;
        // On a white box, as the legend and the credits (too thin to be worth keeping as an
        // opaque box: UiCompositor::fillOpaque).
        const ImVec2 p{o.x + 60, o.y + 8}, end = textEnd(p, title.c_str());
        dl->AddRectFilled({p.x - 3, p.y - 1}, {end.x + 3, end.y + 1}, kPanel, 3.0f);
        dl->AddText(p, ink, title.c_str());
        occupy(occupied, o, {o.x + 57, o.y + 7}, textEnd({o.x + 63, o.y + 9}, title.c_str()));
    }

    if (opt.scaleBar) {
        const double barY = h - 28;
        const double lat = camera.screenToLonLat(20, barY).lat;
        const ScaleBar bar = chooseScaleBar(camera, lat, std::min(220.0, w * 0.3));
        if (bar.pixels > 0) {
            const ImVec2 a{o.x + 20, o.y + float(barY)};
            const ImVec2 b{a.x + float(bar.pixels), a.y};
            char text[64];
            std::snprintf(text, sizeof text, "%s  (true at %.1f\xC2\xB0%c)", bar.label.c_str(), std::abs(lat),
                          lat >= 0 ? 'N' : 'S');
            const ImVec2 ts = ImGui::CalcTextSize(text);
            dl->AddRectFilled({a.x - 6, a.y - ts.y - 8}, {std::max(b.x, a.x + ts.x) + 8, a.y + 10},
                              IM_COL32(255, 255, 255, 200), 3.0f);
            occupy(occupied, o, {a.x - 6, a.y - ts.y - 8}, {std::max(b.x, a.x + ts.x) + 8, a.y + 10});
            dl->AddLine(a, b, ink, 3.0f);
            dl->AddLine({a.x, a.y - 5}, {a.x, a.y + 5}, ink, 2.0f);
            dl->AddLine({b.x, b.y - 5}, {b.x, b.y + 5}, ink, 2.0f);
            dl->AddText({a.x, a.y - ts.y - 5}, ink, text);
        }
    }

    // Credits of the visible layers and the basemap, small, at the bottom right: wrapped at the
    // " · " between credits into as many right-aligned lines as the map's width needs, so that
    // none is cut off at the edge.
    const std::string credits = opt.credits ? attributionLine(doc, opt.basemapNote) : std::string();
    if (!credits.empty()) {
        const std::string sep = " \xC2\xB7 ";
        std::vector<std::string> pieces;
        for (std::size_t at = 0;;) {
            const std::size_t next = credits.find(sep, at);
            pieces.push_back(credits.substr(at, next == std::string::npos ? std::string::npos : next - at));
            if (next == std::string::npos)
                break;
            at = next + sep.size();
        }
        // Clear of the scale bar at the bottom left.
        const float room = std::max(opt.scaleBar ? w - 260 : w - 16, 120.0f);
        // A smaller size than the map's text: credits are for whoever asks, not for reading first.
        ImFont *font = ImGui::GetFont();
        const float size = std::round(ImGui::GetFontSize() * 0.8f);
        const auto measure = [&](const std::string &t) {
            return font->CalcTextSizeA(size, FLT_MAX, 0, t.c_str());
        };
        std::vector<std::string> lines;
        for (const auto &piece : pieces) {
            const std::string joined = lines.empty() ? piece : lines.back() + sep + piece;
            if (!lines.empty() && measure(joined).x <= room)
                lines.back() = joined;
            else
                lines.push_back(piece);
        }
        // One opaque box behind all the lines, as wide as the widest.
        float widest = 0, tall = 0;
        for (const auto &line : lines) {
            const ImVec2 ts = measure(line);
            widest = std::max(widest, ts.x);
            tall += ts.y;
        }
        const float left = o.x + std::max(w - widest - 8, 8.0f);
        UiCompositor::fillOpaque(dl, {left - 4, o.y + h - 6 - tall - 2}, {o.x + w - 4, o.y + h - 4}, kPanel,
                                 2.0f);
        float y = o.y + h - 6;
        for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
            const ImVec2 ts = measure(*it);
            y -= ts.y;
            const float x = o.x + std::max(w - ts.x - 8, 8.0f);
            dl->AddText(font, size, {x, y}, faint, it->c_str());
            occupy(occupied, o, {x - 3, y - 1}, {o.x + w - 5, y + ts.y + 1});
        }
    }

    if (opt.legend) {
        std::vector<LegendEntry> entries = legendEntries(doc, camera, style.rings);
        entries.insert(entries.end(), opt.extraLegend.begin(), opt.extraLegend.end());
        const float line = ImGui::GetFontSize() + 5;
        // Long layer names are cut with an ellipsis, so that the legend never takes more than
        // about a third of the map's width (the Layers panel has the full names).
        const float maxText = std::max(160.0f, std::min(w * 0.3f, 420.0f));
        float width = 0;
        std::vector<std::string> texts;
        for (const auto &e : entries) {
            texts.push_back(fitText(e.text, maxText));
            width = std::max(width, ImGui::CalcTextSize(texts.back().c_str()).x);
        }
        const float boxW = width + 44, boxH = line * float(entries.size()) + 12;
        const ImVec2 p0{o.x + w - boxW - 10, o.y + 10};
        UiCompositor::fillOpaque(dl, p0, {p0.x + boxW, p0.y + boxH}, kPanel, 4.0f);
        dl->AddRect(p0, {p0.x + boxW, p0.y + boxH}, IM_COL32(150, 150, 150, 255), 4.0f);
        occupy(occupied, o, p0, {p0.x + boxW, p0.y + boxH});
        float y = p0.y + 6;
        for (std::size_t k = 0; k < entries.size(); ++k) {
            const LegendEntry &e = entries[k];
            const ImVec2 c{p0.x + 18, y + line / 2 - 2};
            const ImU32 ec = col(e.colour);
            switch (e.kind) {
            case LegendEntry::Disc:
                dl->AddCircleFilled(c, 6, ec);
                dl->AddCircle(c, 6, col(palette::kMarkerOutline), 0, 1.2f);
                break;
            case LegendEntry::Diamond:
                dl->AddQuadFilled({c.x, c.y - 6}, {c.x + 6, c.y}, {c.x, c.y + 6}, {c.x - 6, c.y}, ec);
                dl->AddQuad({c.x, c.y - 6}, {c.x + 6, c.y}, {c.x, c.y + 6}, {c.x - 6, c.y},
                            col(palette::kMarkerOutline));
                break;
            case LegendEntry::Square:
                dl->AddRectFilled({c.x - 4, c.y - 4}, {c.x + 4, c.y + 4}, ec);
                dl->AddRect({c.x - 4, c.y - 4}, {c.x + 4, c.y + 4}, col(palette::kMarkerOutline));
                break;
            case LegendEntry::Fill:
                // Over the land colour, as on the map.
                dl->AddRectFilled({c.x - 9, c.y - 6}, {c.x + 9, c.y + 6}, col(palette::kLand));
                dl->AddRectFilled({c.x - 9, c.y - 6}, {c.x + 9, c.y + 6}, ec);
                dl->AddRect({c.x - 9, c.y - 6}, {c.x + 9, c.y + 6}, IM_COL32(120, 120, 120, 255));
                break;
            case LegendEntry::Hatch:
                // Stripes as on the map (7 px apart, 2 px wide), over the land colour.
                dl->AddRectFilled({c.x - 9, c.y - 6}, {c.x + 9, c.y + 6}, col(palette::kLand));
                dl->PushClipRect({c.x - 9, c.y - 6}, {c.x + 9, c.y + 6}, true);
                for (float k = -24; k < 18; k += 7)
                    dl->AddLine({c.x - 9 + k, c.y - 6}, {c.x - 9 + k + 12, c.y + 6}, ec, 2.0f);
                dl->PopClipRect();
                dl->AddRect({c.x - 9, c.y - 6}, {c.x + 9, c.y + 6}, IM_COL32(120, 120, 120, 255));
                break;
            case LegendEntry::Line:
                dl->AddLine({c.x - 9, c.y}, {c.x + 9, c.y}, ec, e.widthPx);
                break;
            case LegendEntry::CasedLine: {
                const ClassLook look = classLook(MapClass::StateBorder);
                dl->AddLine({c.x - 10, c.y}, {c.x + 10, c.y}, col(look.casing), look.casingPx);
                dl->AddLine({c.x - 10, c.y}, {c.x + 10, c.y}, ec, e.widthPx);
                break;
            }
            case LegendEntry::DashedLine:
                for (const float x : {-10.0f, -2.0f, 6.0f})
                    dl->AddLine({c.x + x, c.y}, {c.x + x + 5, c.y}, ec, e.widthPx);
                break;
            case LegendEntry::Heading:
                break;
            }
            dl->AddText({p0.x + (e.kind == LegendEntry::Heading ? 8 : 34), y},
                        e.kind == LegendEntry::Heading ? faint : ink, texts[k].c_str());
            y += line;
        }
    }
    dl->PopClipRect();
}

} // namespace orefront::viewer
