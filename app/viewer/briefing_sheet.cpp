#include "briefing_sheet.hpp"

#include "map_document.hpp"
#include "map_overlay.hpp"
#include "render/graticule.hpp"
#include "render/scale_bar.hpp"
#include "render/style.hpp"

#include "orefront/model/error.hpp"
#include "orefront/proj/geodesic.hpp"

#include <cairo-pdf.h>
#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

namespace orefront::viewer {

namespace {

constexpr double kMm = 72.0 / 25.4;
constexpr const char *kFont = "DejaVu Sans"; // fonts-dejavu-core: Latin, Greek and Cyrillic
constexpr double kMargin = 12 * kMm;
constexpr double kBodyPt = 7.0; // table and notes
constexpr double kLinePt = 8.6; // their line height
constexpr double kLegendRow = 11.0;
constexpr double kNotePt = 6.5; // sources and rules
constexpr double kNoteLine = 7.8;

using CairoPtr = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

void setFont(cairo_t *cr, double size, bool bold = false) {
    cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

// The same metrics on image and PDF surfaces, so that the layout measured once holds for both.
void setFontOptions(cairo_t *cr) {
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
}

void rgb(cairo_t *cr, Rgba c) {
    cairo_set_source_rgba(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0, c.a / 255.0);
}

// `c` as it shows on white paper, opaque: legend swatches have exact colours to check.
Rgba onWhite(Rgba c) {
    auto mix = [&](std::uint8_t v) {
        return std::uint8_t(std::lround(v * (c.a / 255.0) + 255 * (1 - c.a / 255.0)));
    };
    return {mix(c.r), mix(c.g), mix(c.b), 255};
}

double textWidth(cairo_t *cr, const std::string &s) {
    cairo_text_extents_t e;
    cairo_text_extents(cr, s.c_str(), &e);
    return e.x_advance;
}

void text(cairo_t *cr, double x, double baseline, const std::string &s) {
    cairo_move_to(cr, x, baseline);
    cairo_show_text(cr, s.c_str());
}

// Byte length of the UTF-8 prefix of `s` of at most `n` bytes that ends on a character boundary.
std::size_t utf8Cut(const std::string &s, std::size_t n) {
    n = std::min(n, s.size());
    while (n > 0 && n < s.size() && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
        --n;
    return n;
}

// Greedy word wrap to `width`; a word wider than the width is cut at characters.
std::vector<std::string> wrap(cairo_t *cr, const std::string &s, double width) {
    std::vector<std::string> lines;
    std::string line;
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t j = s.find(' ', i);
        if (j == std::string::npos)
            j = s.size();
        std::string word = s.substr(i, j - i);
        i = j + 1;
        const std::string candidate = line.empty() ? word : line + " " + word;
        if (textWidth(cr, candidate) <= width) {
            line = candidate;
            continue;
        }
        if (!line.empty())
            lines.push_back(line);
        while (textWidth(cr, word) > width && word.size() > 1) {
            std::size_t n = word.size();
            while (n > 1 && textWidth(cr, word.substr(0, utf8Cut(word, n))) > width)
                n = utf8Cut(word, n - 1);
            n = std::max<std::size_t>(utf8Cut(word, n), 1);
            lines.push_back(word.substr(0, n));
            word = word.substr(n);
        }
        line = word;
    }
    if (!line.empty() || lines.empty())
        lines.push_back(line);
    return lines;
}

struct Column {
    const char *head;
    double fraction;
};
constexpr Column kColumns[] = {{"Deposit", 0.19}, {"Country", 0.08}, {"Verdict", 0.11}, {"To front", 0.08},
                               {"In ring", 0.06}, {"Reasons", 0.29}, {"Note", 0.19}};

std::vector<std::string> cells(const exporting::BriefingRow &r) {
    std::string ring = r.ringKm ? exporting::formatKm(r.ringKm) : std::string("-");
    return {r.name,
            r.country,
            verdictLabel(r.verdict),
            exporting::formatKm(r.frontKm),
            ring,
            r.reasons.empty() ? std::string("-") : r.reasons,
            r.note};
}

double rowHeight(cairo_t *cr, const exporting::BriefingRow &r, double tableWidth) {
    setFont(cr, kBodyPt);
    std::size_t lines = 1;
    const auto c = cells(r);
    for (std::size_t k = 0; k < c.size(); ++k)
        lines = std::max(lines, wrap(cr, c[k], kColumns[k].fraction * tableWidth - 4).size());
    return double(lines) * kLinePt + 3;
}

struct LegendEntry {
    enum Kind { Fill, Line, Marker } kind = Fill;
    Rgba colour, edge;
    bool hatch = false;
    std::string label;
};

std::vector<LegendEntry> legendEntries(const exporting::Briefing &b, const SheetMap &map) {
    std::vector<LegendEntry> out;
    const ScenarioSnapshot *snap = map.doc ? map.doc->snapshot() : nullptr;
    for (const auto &l : b.layers) {
        switch (l.role) {
        case model::LayerRole::Deposits:
            for (auto v : {rules::Verdict::Investable, rules::Verdict::Marginal,
                           rules::Verdict::NotInvestable, rules::Verdict::Unknown})
                if (auto n = b.counts.find(v); n != b.counts.end() && n->second > 0)
                    out.push_back({LegendEntry::Marker, verdictColour(v), palette::kMarkerOutline, false,
                                   std::string("Deposit: ") + verdictLabel(v) + " (" +
                                       std::to_string(n->second) + ")"});
            break;
        case model::LayerRole::Hostile: {
            const ClassLook look = classLook(mapClassOf(l.role, l.style));
            out.push_back({LegendEntry::Fill, look.fill, look.edge, look.hatchPx > 0, l.name});
            if (snap)
                for (std::size_t i = 0; i < snap->project->layers.size(); ++i)
                    if (snap->project->layers[i]->id == l.id && i < snap->contestedMeshes.size() &&
                        snap->contestedMeshes[i]) {
                        const ClassLook c = classLook(MapClass::Contested);
                        out.push_back({LegendEntry::Fill, c.fill, c.edge, true, c.legend});
                    }
            break;
        }
        case model::LayerRole::Front: {
            const ClassLook look = classLook(mapClassOf(l.role, l.style));
            out.push_back({LegendEntry::Line, look.fill, look.casing, false, l.name});
            break;
        }
        case model::LayerRole::Ports:
        case model::LayerRole::Rail:
        case model::LayerRole::Power:
            out.push_back(
                {LegendEntry::Marker, defaultLayerColour(l.role), palette::kMarkerOutline, false, l.name});
            break;
        default:
            out.push_back({LegendEntry::Line, defaultLayerColour(l.role), {}, false, l.name});
        }
    }
    const RingSet *rings = map.doc ? map.doc->rings() : nullptr;
    if (map.rings && rings && !rings->km.empty()) {
        std::string km;
        for (double k : rings->km) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%g", k);
            km += (km.empty() ? "" : ", ") + std::string(buf);
        }
        out.push_back({LegendEntry::Fill, ringColour(0, rings->km.size()), palette::kRingEdge, false,
                       "Range rings from hostile positions: " + km + " km"});
    }
    if (!b.annotations.empty()) {
        const auto &a = b.annotations.front();
        const Rgba stroke{a.style.stroke.r, a.style.stroke.g, a.style.stroke.b, 255};
        out.push_back({LegendEntry::Line,
                       stroke,
                       {},
                       false,
                       "Analyst annotations (" + std::to_string(b.annotations.size()) + ")"});
        const auto hostile = std::count_if(b.annotations.begin(), b.annotations.end(),
                                           [](const model::Annotation &x) { return x.countsAsHostile; });
        if (hostile > 0)
            out.push_back({LegendEntry::Line,
                           palette::kFront,
                           {},
                           false,
                           "Marked as hostile (what-if, " + std::to_string(hostile) + ")"});
    }
    if (map.doc && map.doc->basemap())
        out.push_back({LegendEntry::Line, palette::kBorder, {}, false, "Borders and coastlines"});
    return out;
}

} // namespace

SheetLayout layoutSheet(const exporting::Paper &paper, const exporting::Briefing &b, const SheetMap &map) {
    SheetLayout L;
    L.widthPt = paper.widthMm * kMm;
    L.heightPt = paper.heightMm * kMm;
    const double W = L.widthPt, H = L.heightPt, inner = W - 2 * kMargin;
    L.topBanner = {kMargin, 3.5 * kMm, inner, 6 * kMm};
    L.bottomBanner = {kMargin, H - 9.5 * kMm, inner, 6 * kMm};
    const double mapTop = 25 * kMm;
    const bool landscape = W > H;
    SurfacePtr scratch(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1), cairo_surface_destroy);
    CairoPtr cr(cairo_create(scratch.get()), cairo_destroy);
    setFontOptions(cr.get());

    // Under the map: the legend (two columns on a landscape page) beside the scale bar and
    // north arrow, then sources and rules across the page; the map takes what is left, up to
    // its preferred height.
    L.legendColumns = landscape ? 2 : 1;
    const std::size_t entries = legendEntries(b, map).size();
    const double legendRows = double((entries + L.legendColumns - 1) / L.legendColumns);
    const double legendH = 14 + legendRows * kLegendRow, scaleH = 50;
    setFont(cr.get(), kNotePt);
    std::size_t noteLines = 2;
    for (const auto &s : b.attribution)
        noteLines += wrap(cr.get(), s, inner).size();
    for (const auto &s : b.rules)
        noteLines += wrap(cr.get(), s, inner).size();
    if (!b.whatIf.empty())
        ++noteLines; // its heading
    for (const auto &s : b.whatIf)
        noteLines += wrap(cr.get(), s, inner).size();
    const double notesH = double(noteLines) * kNoteLine + 4;
    const double below = 8 * kMm + std::max(legendH, scaleH) + 2 * kMm + notesH;
    const double preferred = landscape ? H * 0.55 : std::min(H * 0.46, inner * 0.8);
    const double room = H - 15 * kMm - mapTop - below;
    const double mapH = std::max(H * 0.25, std::min(preferred, room));
    L.map = {kMargin, mapTop, inner, mapH};
    const double panelTop = L.map.y + L.map.h + 6 * kMm; // graticule labels above it
    L.legend = {kMargin, panelTop, inner * 0.62, legendH};
    L.scale = {kMargin + inner * 0.66, panelTop, inner * 0.34, scaleH};
    L.textTop = panelTop + std::max(legendH, scaleH) + 2 * kMm;
    const double firstTable = L.textTop + notesH + 3 * kMm;
    L.tableTop = firstTable;
    const double bottom = H - 14 * kMm, headRow = kLinePt + 4, titleRow = 12;
    std::size_t i = 0;
    double top = firstTable;
    do {
        const std::size_t first = i;
        double yy = top + titleRow + headRow;
        while (i < b.deposits.size()) {
            const double h = rowHeight(cr.get(), b.deposits[i], inner);
            if (yy + h > bottom && i > first)
                break;
            if (yy + h > bottom && top == firstTable && i == first)
                break; // no room on page 1: the table starts on page 2
            yy += h;
            ++i;
        }
        L.tableRows.push_back({first, i});
        top = mapTop;
    } while (i < b.deposits.size());
    return L;
}

namespace {

class SheetPainter {
public:
    SheetPainter(cairo_t *cr, const SheetLayout &L, const exporting::Briefing &b, const SheetMap &map)
        : m_cr(cr), m_L(L), m_b(b), m_map(map) {
        setFontOptions(cr);
    }

    void page(std::size_t index, ScaleBarPx *scale) {
        cairo_set_source_rgb(m_cr, 1, 1, 1);
        cairo_paint(m_cr);
        banner(m_L.topBanner);
        banner(m_L.bottomBanner);
        header(index);
        double top = 25 * kMm;
        if (index == 0) {
            mapFrame();
            legend();
            scaleAndNorth(scale);
            notes();
            top = m_L.tableTop;
        }
        table(index, top);
    }

private:
    void banner(const RectPt &r) {
        const auto c = exporting::bannerColours(m_b.classification);
        cairo_set_source_rgb(m_cr, c.fill[0] / 255.0, c.fill[1] / 255.0, c.fill[2] / 255.0);
        cairo_rectangle(m_cr, r.x, r.y, r.w, r.h);
        cairo_fill(m_cr);
        cairo_set_source_rgb(m_cr, c.text[0] / 255.0, c.text[1] / 255.0, c.text[2] / 255.0);
        setFont(m_cr, 9.5, true);
        const double w = textWidth(m_cr, m_b.classification);
        text(m_cr, r.x + (r.w - w) / 2, r.y + r.h / 2 + 3.4, m_b.classification);
    }

    void header(std::size_t index) {
        cairo_set_source_rgb(m_cr, 0.08, 0.08, 0.08);
        setFont(m_cr, 15, true);
        const std::string title = index == 0 ? m_b.title : m_b.title + " (continued)";
        const auto lines = wrap(m_cr, title, m_L.map.w);
        text(m_cr, kMargin, 15 * kMm, lines.front());
        setFont(m_cr, 8);
        cairo_set_source_rgb(m_cr, 0.25, 0.25, 0.25);
        text(m_cr, kMargin, 21 * kMm,
             "Situation as of " + m_b.situationDate + "    Prepared " + m_b.preparedAt);
        const std::string pageNo = "Page " + std::to_string(index + 1) + " of " + std::to_string(m_L.pages());
        text(m_cr, kMargin + m_L.map.w - textWidth(m_cr, pageNo), 21 * kMm, pageNo);
    }

    void mapFrame() {
        const RectPt &r = m_L.map;
        if (m_map.image && m_map.image->width > 0) {
            const Image &img = *m_map.image;
            SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_RGB24, img.width, img.height),
                         cairo_surface_destroy);
            cairo_surface_flush(s.get());
            unsigned char *data = cairo_image_surface_get_data(s.get());
            const int stride = cairo_image_surface_get_stride(s.get());
            for (int y = 0; y < img.height; ++y)
                for (int x = 0; x < img.width; ++x) {
                    const std::uint8_t *p = &img.rgba[(std::size_t(y) * img.width + x) * 4];
                    auto *q = reinterpret_cast<std::uint32_t *>(data + std::size_t(y) * stride) + x;
                    *q = 0xFF000000u | (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
                }
            cairo_surface_mark_dirty(s.get());
            cairo_save(m_cr);
            cairo_rectangle(m_cr, r.x, r.y, r.w, r.h);
            cairo_clip(m_cr);
            cairo_translate(m_cr, r.x, r.y);
            cairo_scale(m_cr, r.w / img.width, r.h / img.height);
            cairo_set_source_surface(m_cr, s.get(), 0, 0);
            cairo_pattern_set_filter(cairo_get_source(m_cr), CAIRO_FILTER_GOOD);
            cairo_paint(m_cr);
            cairo_restore(m_cr);
        }
        if (m_map.vectorLayers) {
            ringLabels();
            depositLabels();
        }
        annotations();
        cairo_set_source_rgb(m_cr, 0.1, 0.1, 0.1);
        cairo_set_line_width(m_cr, 0.8);
        cairo_rectangle(m_cr, r.x, r.y, r.w, r.h);
        cairo_stroke(m_cr);
        graticuleLabels();
    }

    // The map point of lon/lat, in page points.
    void toPage(model::LonLat p, double &x, double &y) const {
        const Camera &cam = m_map.camera;
        m_map.camera.lonLatToScreen(p, x, y);
        x = m_L.map.x + x * m_L.map.w / cam.width;
        y = m_L.map.y + y * m_L.map.h / cam.height;
    }

    void path(const model::Path &p) {
        for (std::size_t i = 0; i < p.size(); ++i) {
            double x, y;
            toPage(p[i], x, y);
            i == 0 ? cairo_move_to(m_cr, x, y) : cairo_line_to(m_cr, x, y);
        }
    }

    // The rings' distances at the anchors the map's own ring labels use (the PDF's rings are
    // vectors, so the map image has none).
    void ringLabels() {
        const RingSet *rings = m_map.doc ? m_map.doc->rings() : nullptr;
        if (!rings || !m_map.rings)
            return;
        cairo_save(m_cr);
        cairo_rectangle(m_cr, m_L.map.x, m_L.map.y, m_L.map.w, m_L.map.h);
        cairo_clip(m_cr);
        setFont(m_cr, 6.5, true);
        const double sx = m_L.map.w / m_map.camera.width, sy = m_L.map.h / m_map.camera.height;
        std::vector<std::size_t> done;
        std::vector<RectPt> placed;
        // Candidates come middle rows first; each ring takes the first that overlaps no other label.
        for (const RingLabel &l : ringLabelAnchors(*rings, m_map.camera)) {
            if (std::find(done.begin(), done.end(), l.ring) != done.end())
                continue;
            char buf[32];
            std::snprintf(buf, sizeof buf, "%g km", l.km);
            const double x = m_L.map.x + l.x * sx, y = m_L.map.y + l.y * sy, w = textWidth(m_cr, buf) + 3;
            const RectPt box{x - w / 2, y - 4.5, w, 8};
            if (std::any_of(placed.begin(), placed.end(), [&](const RectPt &o) {
                    return box.x < o.x + o.w + 2 && o.x < box.x + box.w + 2 && box.y < o.y + o.h + 2 &&
                           o.y < box.y + box.h + 2;
                }))
                continue;
            done.push_back(l.ring);
            placed.push_back(box);
            cairo_set_source_rgba(m_cr, 1, 1, 1, 0.85);
            cairo_rectangle(m_cr, box.x, box.y, box.w, box.h);
            cairo_fill(m_cr);
            rgb(m_cr, {palette::kRingEdge.r, palette::kRingEdge.g, palette::kRingEdge.b, 255});
            text(m_cr, box.x + 1.5, y + 2, buf);
        }
        cairo_restore(m_cr);
    }

    // Deposit names beside the PDF's vector markers, in table order (not investable first),
    // each where it overlaps no earlier label; text in the sheet, so a reader can search it.
    void depositLabels() {
        cairo_save(m_cr);
        cairo_rectangle(m_cr, m_L.map.x, m_L.map.y, m_L.map.w, m_L.map.h);
        cairo_clip(m_cr);
        setFont(m_cr, 6.5);
        std::vector<RectPt> placed;
        for (const auto &row : m_b.deposits) {
            double x, y;
            toPage(row.at, x, y);
            placed.push_back({x - 3.5, y - 3.5, 7, 7}); // the marker itself
        }
        for (std::size_t i = 0; i < m_b.deposits.size(); ++i) {
            const auto &row = m_b.deposits[i];
            const double w = textWidth(m_cr, row.name) + 3;
            const RectPt mk = placed[i];
            for (const RectPt box :
                 {RectPt{mk.x + 8.5, mk.y - 0.5, w, 8}, RectPt{mk.x - w - 1.5, mk.y - 0.5, w, 8},
                  RectPt{mk.x + 3.5 - w / 2, mk.y - 9, w, 8}}) {
                if (box.x < m_L.map.x || box.x + box.w > m_L.map.x + m_L.map.w || box.y < m_L.map.y ||
                    box.y + box.h > m_L.map.y + m_L.map.h)
                    continue;
                const bool clash = std::any_of(placed.begin(), placed.end(), [&](const RectPt &o) {
                    if (&o == &placed[i])
                        return false;
                    return box.x < o.x + o.w && o.x < box.x + box.w && box.y < o.y + o.h &&
                           o.y < box.y + box.h;
                });
                if (clash)
                    continue;
                cairo_set_source_rgba(m_cr, 1, 1, 1, 0.78);
                cairo_rectangle(m_cr, box.x, box.y, box.w, box.h);
                cairo_fill(m_cr);
                cairo_set_source_rgb(m_cr, 0.1, 0.1, 0.1);
                text(m_cr, box.x + 1.5, box.y + 6.2, row.name);
                placed.push_back(box);
                break;
            }
        }
        cairo_restore(m_cr);
    }

    // The analyst's annotations over the map, clipped to it: shapes (unless the PDF draws them
    // as a vector layer) and labels (always here: embedded fonts, selectable).
    void annotations() {
        if (m_b.annotations.empty() || m_map.camera.width <= 1)
            return;
        cairo_save(m_cr);
        cairo_rectangle(m_cr, m_L.map.x, m_L.map.y, m_L.map.w, m_L.map.h);
        cairo_clip(m_cr);
        const double ptPerPx = m_L.map.w / m_map.camera.width;
        for (const auto &a : m_b.annotations) {
            const model::Geometry g = exporting::annotationGeometry(a);
            const auto &st = a.style;
            const Rgba stroke{st.stroke.r, st.stroke.g, st.stroke.b, st.stroke.a};
            const Rgba fill{st.fill.r, st.fill.g, st.fill.b, st.fill.a};
            if (!m_map.vectorLayers) {
                cairo_set_line_width(m_cr, std::max(0.5, st.widthPx * ptPerPx * 1.5));
                for (const auto &poly : g.polygons) {
                    for (const auto &ring : poly.rings)
                        path(ring);
                    if (fill.a > 0) {
                        rgb(m_cr, fill);
                        cairo_fill_preserve(m_cr);
                    }
                    rgb(m_cr, stroke);
                    cairo_stroke(m_cr);
                }
                for (const auto &line : g.lines) {
                    path(line);
                    rgb(m_cr, stroke);
                    cairo_stroke(m_cr);
                    if (a.kind == model::AnnotationKind::Arrow && line.size() >= 2) {
                        double x0, y0, x1, y1;
                        toPage(line[line.size() - 2], x0, y0);
                        toPage(line.back(), x1, y1);
                        const double ang = std::atan2(y1 - y0, x1 - x0), len = 7;
                        cairo_move_to(m_cr, x1, y1);
                        cairo_line_to(m_cr, x1 - len * std::cos(ang - 0.45), y1 - len * std::sin(ang - 0.45));
                        cairo_line_to(m_cr, x1 - len * std::cos(ang + 0.45), y1 - len * std::sin(ang + 0.45));
                        cairo_close_path(m_cr);
                        cairo_fill(m_cr);
                    }
                }
                if (a.kind == model::AnnotationKind::Marker)
                    for (const auto &p : g.points) {
                        double x, y;
                        toPage(p, x, y);
                        cairo_move_to(m_cr, x, y);
                        cairo_line_to(m_cr, x - 3.5, y - 8);
                        cairo_line_to(m_cr, x + 3.5, y - 8);
                        cairo_close_path(m_cr);
                        rgb(m_cr, stroke);
                        cairo_fill(m_cr);
                    }
            }
            std::string label = a.label;
            if (a.kind == model::AnnotationKind::Measurement && a.vertices.size() >= 2) {
                double m = 0;
                for (std::size_t i = 1; i < a.vertices.size(); ++i)
                    m += proj::geodesicDistanceM(a.vertices[i - 1], a.vertices[i]);
                char buf[48];
                std::snprintf(buf, sizeof buf, "%s%.1f km", label.empty() ? "" : ": ", m / 1000.0);
                label += buf;
            }
            if (a.kind == model::AnnotationKind::RangeCircle) {
                char buf[48];
                std::snprintf(buf, sizeof buf, " (%g km)", a.radiusKm);
                label += buf;
            }
            if (a.countsAsHostile)
                label += " [hostile]";
            if (label.empty())
                continue;
            double x, y;
            toPage(a.kind == model::AnnotationKind::Arrow ? a.vertices.front() : g.anchor(), x, y);
            setFont(m_cr, std::clamp(double(st.textSizePt) * 0.7, 5.0, 14.0), true);
            const double w = textWidth(m_cr, label);
            cairo_set_source_rgba(m_cr, 1, 1, 1, 0.8);
            cairo_rectangle(m_cr, x + 3, y - 8, w + 3, 10);
            cairo_fill(m_cr);
            rgb(m_cr, {stroke.r, stroke.g, stroke.b, 255});
            text(m_cr, x + 4.5, y, label);
        }
        cairo_restore(m_cr);
    }

    // Degrees along the frame: longitudes under it, latitudes inside its left edge.
    void graticuleLabels() {
        const Camera &cam = m_map.camera;
        if (cam.width <= 1)
            return;
        const RectPt &r = m_L.map;
        const double sx = r.w / cam.width, sy = r.h / cam.height;
        const double step = graticuleStep(cam);
        const model::BBox box = cam.visibleBounds();
        setFont(m_cr, 6.5);
        cairo_set_line_width(m_cr, 0.5);
        for (double lon = std::ceil(box.minLon / step) * step; lon <= box.maxLon; lon += step) {
            double px, py;
            cam.lonLatToScreen({lon, box.center().lat}, px, py);
            const double x = r.x + px * sx;
            const std::string s = formatLon(lon, step);
            cairo_set_source_rgb(m_cr, 0.2, 0.2, 0.2);
            cairo_move_to(m_cr, x, r.y + r.h);
            cairo_line_to(m_cr, x, r.y + r.h + 2.5);
            cairo_stroke(m_cr);
            text(m_cr, x - textWidth(m_cr, s) / 2, r.y + r.h + 9, s);
        }
        for (double lat = std::ceil(box.minLat / step) * step; lat <= box.maxLat; lat += step) {
            double px, py;
            cam.lonLatToScreen({box.center().lon, lat}, px, py);
            const double y = r.y + py * sy;
            if (y < r.y + 6 || y > r.y + r.h - 4)
                continue;
            const std::string s = formatLat(lat, step);
            cairo_set_source_rgba(m_cr, 1, 1, 1, 0.85);
            cairo_rectangle(m_cr, r.x + 0.5, y - 4.5, textWidth(m_cr, s) + 4, 7.5);
            cairo_fill(m_cr);
            cairo_set_source_rgb(m_cr, 0.2, 0.2, 0.2);
            text(m_cr, r.x + 2.5, y + 2.3, s);
        }
    }

    void legend() {
        const RectPt &r = m_L.legend;
        cairo_set_source_rgb(m_cr, 0.08, 0.08, 0.08);
        setFont(m_cr, 8.5, true);
        text(m_cr, r.x, r.y + 8, "Legend (layers in view)");
        setFont(m_cr, kBodyPt);
        const auto entries = legendEntries(m_b, m_map);
        const std::size_t perColumn =
            (entries.size() + m_L.legendColumns - 1) / std::max<std::size_t>(m_L.legendColumns, 1);
        const double columnW = r.w / double(m_L.legendColumns);
        for (std::size_t k = 0; k < entries.size(); ++k) {
            const auto &e = entries[k];
            const double y = r.y + 14 + double(k % perColumn) * kLegendRow;
            const double sx = r.x + double(k / perColumn) * columnW, sy = y + 1.5, sw = 16, sh = 7.5;
            switch (e.kind) {
            case LegendEntry::Fill:
                if (e.hatch) {
                    // As the map draws the grey zone: diagonal stripes.
                    cairo_save(m_cr);
                    cairo_rectangle(m_cr, sx, sy, sw, sh);
                    cairo_clip(m_cr);
                    rgb(m_cr, e.colour);
                    cairo_set_line_width(m_cr, 0.8);
                    for (double t = -sh; t < sw; t += 3) {
                        cairo_move_to(m_cr, sx + t, sy + sh);
                        cairo_line_to(m_cr, sx + t + sh, sy);
                    }
                    cairo_stroke(m_cr);
                    cairo_restore(m_cr);
                } else {
                    rgb(m_cr, onWhite(e.colour));
                    cairo_rectangle(m_cr, sx, sy, sw, sh);
                    cairo_fill(m_cr);
                }
                rgb(m_cr, e.edge);
                cairo_set_line_width(m_cr, 0.7);
                cairo_rectangle(m_cr, sx, sy, sw, sh);
                cairo_stroke(m_cr);
                break;
            case LegendEntry::Line:
                if (e.edge.a > 0) {
                    rgb(m_cr, {0xC0, 0xC0, 0xC0});
                    cairo_set_line_width(m_cr, 3.2);
                    cairo_move_to(m_cr, sx, sy + sh / 2);
                    cairo_line_to(m_cr, sx + sw, sy + sh / 2);
                    cairo_stroke(m_cr);
                }
                rgb(m_cr, onWhite(e.colour));
                cairo_set_line_width(m_cr, 1.6);
                cairo_move_to(m_cr, sx, sy + sh / 2);
                cairo_line_to(m_cr, sx + sw, sy + sh / 2);
                cairo_stroke(m_cr);
                break;
            case LegendEntry::Marker:
                rgb(m_cr, onWhite(e.colour));
                cairo_new_sub_path(m_cr);
                cairo_arc(m_cr, sx + sw / 2, sy + sh / 2, 3.6, 0, 2 * M_PI);
                cairo_fill_preserve(m_cr);
                rgb(m_cr, e.edge);
                cairo_set_line_width(m_cr, 0.6);
                cairo_stroke(m_cr);
                break;
            }
            cairo_set_source_rgb(m_cr, 0.1, 0.1, 0.1);
            const auto lines = wrap(m_cr, e.label, columnW - sw - 10);
            text(m_cr, sx + sw + 5, y + 7.5, lines.front() + (lines.size() > 1 ? "\u2026" : ""));
        }
    }

    void scaleAndNorth(ScaleBarPx *out) {
        const Camera &cam = m_map.camera;
        const RectPt &r = m_L.scale;
        if (cam.width <= 1)
            return;
        const double ptPerPx = m_L.map.w / cam.width;
        const double lat = cam.screenToLonLat(cam.width / 2.0, cam.height / 2.0).lat;
        const ScaleBar bar = chooseScaleBar(cam, lat, (r.w - 40) / ptPerPx);
        const double len = bar.pixels * ptPerPx;
        const double paperMetresPerPx = ptPerPx / 72.0 * 0.0254;
        const double ratio = groundMetresPerPixel(cam, lat) / paperMetresPerPx;
        // Three significant figures: a ratio printed to the metre would claim a precision the
        // paper does not have.
        const double mag = std::pow(10.0, std::floor(std::log10(ratio)) - 2);
        const double rounded = std::round(ratio / mag) * mag;
        char ratioText[96];
        std::snprintf(ratioText, sizeof ratioText, "Scale 1:%s, true at %.1f\u00B0%s",
                      groupThousands(rounded).c_str(), std::fabs(lat), lat >= 0 ? "N" : "S");
        cairo_set_source_rgb(m_cr, 0.08, 0.08, 0.08);
        setFont(m_cr, 8.5, true);
        text(m_cr, r.x, r.y + 8, "Scale");
        setFont(m_cr, kBodyPt);
        text(m_cr, r.x, r.y + 18, ratioText);
        const double bx = r.x, by = r.y + 27;
        cairo_set_source_rgb(m_cr, 0, 0, 0);
        cairo_rectangle(m_cr, bx, by, len, 3.5);
        cairo_fill(m_cr);
        cairo_set_line_width(m_cr, 0.6);
        // Ticks inside the bar's ends, so that its ink is exactly its length.
        for (double tx : {bx + 0.3, bx + len / 2, bx + len - 0.3}) {
            cairo_move_to(m_cr, tx, by - 2);
            cairo_line_to(m_cr, tx, by + 5.5);
        }
        cairo_stroke(m_cr);
        text(m_cr, bx, by + 12.5, "0");
        text(m_cr, bx + len - textWidth(m_cr, bar.label) / 2, by + 12.5, bar.label);
        // North: Web Mercator keeps meridians vertical, so north is up everywhere on the map.
        const double nx = r.x + r.w - 12, ny = r.y + 6;
        cairo_move_to(m_cr, nx, ny);
        cairo_line_to(m_cr, nx + 6, ny + 22);
        cairo_line_to(m_cr, nx, ny + 17);
        cairo_close_path(m_cr);
        cairo_fill(m_cr);
        cairo_move_to(m_cr, nx, ny);
        cairo_line_to(m_cr, nx - 6, ny + 22);
        cairo_line_to(m_cr, nx, ny + 17);
        cairo_close_path(m_cr);
        cairo_set_line_width(m_cr, 0.7);
        cairo_stroke(m_cr);
        setFont(m_cr, 9, true);
        text(m_cr, nx - textWidth(m_cr, "N") / 2, ny + 32, "N");
        if (out) {
            out->metres = bar.metres;
            out->label = bar.label;
            out->x0 = bx;
            out->x1 = bx + len;
            out->y = by + 1.75;
            out->ratio = ratio;
        }
    }

    static std::string groupThousands(double v) {
        std::string digits = std::to_string(static_cast<long long>(std::llround(v)));
        std::string out;
        for (std::size_t i = 0; i < digits.size(); ++i) {
            if (i > 0 && (digits.size() - i) % 3 == 0)
                out += ' ';
            out += digits[i];
        }
        return out;
    }

    void notes() {
        const double x = kMargin, w = m_L.map.w;
        double y = m_L.textTop;
        auto block = [&](const char *head, const std::vector<std::string> &lines) {
            cairo_set_source_rgb(m_cr, 0.08, 0.08, 0.08);
            setFont(m_cr, kNotePt, true);
            text(m_cr, x, y + 6, head);
            y += kNoteLine;
            setFont(m_cr, kNotePt);
            cairo_set_source_rgb(m_cr, 0.2, 0.2, 0.2);
            for (const auto &s : lines)
                for (const auto &l : wrap(m_cr, s, w)) {
                    text(m_cr, x, y + 6, l);
                    y += kNoteLine;
                }
        };
        block("Sources", m_b.attribution);
        block("Thresholds and rules in force", m_b.rules);
        if (!m_b.whatIf.empty())
            block("What-if markings", m_b.whatIf);
    }

    void table(std::size_t index, double top) {
        if (index >= m_L.tableRows.size())
            return;
        const auto [first, last] = m_L.tableRows[index];
        if (first == last && !m_b.deposits.empty())
            return; // no room on this page: the table starts on the next
        const double x0 = kMargin, w = m_L.map.w;
        cairo_set_source_rgb(m_cr, 0.08, 0.08, 0.08);
        setFont(m_cr, 8.5, true);
        std::string head = "Deposits in view (" + std::to_string(m_b.deposits.size()) + ")";
        if (m_b.deposits.empty())
            head += ": none";
        else if (first > 0)
            head += ", continued: rows " + std::to_string(first + 1) + "-" + std::to_string(last);
        text(m_cr, x0, top + 8, head);
        double y = top + 12;
        if (m_b.deposits.empty())
            return;
        cairo_set_source_rgb(m_cr, 0.88, 0.88, 0.88);
        cairo_rectangle(m_cr, x0, y, w, kLinePt + 4);
        cairo_fill(m_cr);
        cairo_set_source_rgb(m_cr, 0.08, 0.08, 0.08);
        setFont(m_cr, kBodyPt, true);
        double cx = x0;
        for (const auto &c : kColumns) {
            text(m_cr, cx + 2, y + kLinePt, c.head);
            cx += c.fraction * w;
        }
        y += kLinePt + 4;
        for (std::size_t i = first; i < last; ++i) {
            const auto &row = m_b.deposits[i];
            const double h = rowHeight(m_cr, row, w);
            if ((i - first) % 2 == 1) {
                cairo_set_source_rgb(m_cr, 0.96, 0.96, 0.96);
                cairo_rectangle(m_cr, x0, y, w, h);
                cairo_fill(m_cr);
            }
            setFont(m_cr, kBodyPt);
            const auto c = cells(row);
            cx = x0;
            for (std::size_t k = 0; k < c.size(); ++k) {
                double tx = cx + 2;
                if (k == 2) {
                    rgb(m_cr, verdictColour(row.verdict));
                    cairo_new_sub_path(m_cr);
                    cairo_arc(m_cr, tx + 2.5, y + kLinePt - 2.4, 2.5, 0, 2 * M_PI);
                    cairo_fill(m_cr);
                    tx += 7;
                }
                cairo_set_source_rgb(m_cr, 0.1, 0.1, 0.1);
                double ly = y + kLinePt;
                for (const auto &l : wrap(m_cr, c[k], kColumns[k].fraction * w - 4 - (k == 2 ? 7 : 0))) {
                    text(m_cr, tx, ly, l);
                    ly += kLinePt;
                }
                cx += kColumns[k].fraction * w;
            }
            y += h;
        }
        cairo_set_source_rgb(m_cr, 0.6, 0.6, 0.6);
        cairo_set_line_width(m_cr, 0.5);
        cairo_move_to(m_cr, x0, y);
        cairo_line_to(m_cr, x0 + w, y);
        cairo_stroke(m_cr);
    }

    cairo_t *m_cr;
    const SheetLayout &m_L;
    const exporting::Briefing &m_b;
    const SheetMap &m_map;
};

} // namespace

std::vector<Image> drawSheetPng(const SheetLayout &layout, const exporting::Briefing &b, const SheetMap &map,
                                double dpi, ScaleBarPx *scale) {
    std::vector<Image> pages;
    const int w = mapPixels(layout.widthPt, dpi), h = mapPixels(layout.heightPt, dpi);
    for (std::size_t p = 0; p < layout.pages(); ++p) {
        SurfacePtr s(cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h), cairo_surface_destroy);
        CairoPtr cr(cairo_create(s.get()), cairo_destroy);
        cairo_scale(cr.get(), dpi / 72.0, dpi / 72.0);
        SheetPainter(cr.get(), layout, b, map).page(p, p == 0 ? scale : nullptr);
        cairo_surface_flush(s.get());
        if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
            throw OutputError(std::string("cannot draw the briefing sheet: ") +
                              cairo_status_to_string(cairo_status(cr.get())));
        Image img;
        img.width = w;
        img.height = h;
        img.rgba.resize(std::size_t(w) * h * 4);
        const unsigned char *data = cairo_image_surface_get_data(s.get());
        const int stride = cairo_image_surface_get_stride(s.get());
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < w; ++x) {
                const std::uint32_t v =
                    *(reinterpret_cast<const std::uint32_t *>(data + std::size_t(y) * stride) + x);
                std::uint8_t *q = &img.rgba[(std::size_t(y) * w + x) * 4];
                q[0] = std::uint8_t(v >> 16);
                q[1] = std::uint8_t(v >> 8);
                q[2] = std::uint8_t(v);
                q[3] = 255;
            }
        pages.push_back(std::move(img));
    }
    return pages;
}

void drawSheetPdfPages(const SheetLayout &layout, const exporting::Briefing &b, const SheetMap &map,
                       const std::vector<std::string> &paths) {
    for (std::size_t p = 0; p < layout.pages() && p < paths.size(); ++p) {
        SurfacePtr s(cairo_pdf_surface_create(paths[p].c_str(), layout.widthPt, layout.heightPt),
                     cairo_surface_destroy);
        {
            CairoPtr cr(cairo_create(s.get()), cairo_destroy);
            SheetPainter(cr.get(), layout, b, map).page(p, nullptr);
            if (cairo_status(cr.get()) != CAIRO_STATUS_SUCCESS)
                throw OutputError("cannot draw the briefing sheet into " + paths[p] + ": " +
                                  cairo_status_to_string(cairo_status(cr.get())));
        }
        cairo_surface_finish(s.get());
        if (cairo_surface_status(s.get()) != CAIRO_STATUS_SUCCESS)
            throw OutputError("cannot write " + paths[p] + ": " +
                              cairo_status_to_string(cairo_surface_status(s.get())));
    }
}

} // namespace orefront::viewer
