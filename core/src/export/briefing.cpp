#include "orefront/export/briefing.hpp"

#include "orefront/model/error.hpp"
#include "orefront/proj/geodesic.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace orefront::exporting {

namespace {

std::string upper(std::string s) {
    for (char &c : s)
        c = char(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string trimmed(const std::string &s) {
    const auto b = s.find_first_not_of(" \t");
    const auto e = s.find_last_not_of(" \t");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

bool overlaps(const model::BBox &a, const model::BBox &b) {
    return !a.empty() && !b.empty() && a.minLon <= b.maxLon && b.minLon <= a.maxLon && a.minLat <= b.maxLat &&
           b.minLat <= a.maxLat;
}

int verdictRank(rules::Verdict v) {
    switch (v) {
    case rules::Verdict::NotInvestable:
        return 0;
    case rules::Verdict::Marginal:
        return 1;
    case rules::Verdict::Investable:
        return 2;
    default:
        return 3;
    }
}

std::vector<std::string> rulesInForce(const model::Scenario &s) {
    const auto &t = s.thresholds;
    std::vector<std::string> out;
    std::string cutoffs;
    for (std::size_t i = 0; i < s.cutoffs.size(); ++i) {
        const auto &c = s.cutoffs[i];
        const double value = i == 0 ? t.gradeCutoffPct : c.cutoff;
        cutoffs += (cutoffs.empty() ? "" : "; ") + c.commodity + " " + number(value) + " " + c.unit;
    }
    out.push_back("Grade cut-offs: " + cutoffs);
    std::string rings;
    for (double km : t.ringsKm)
        rings += (rings.empty() ? "" : ", ") + number(km);
    out.push_back("Standoff from hostile fire " + number(t.standoffKm) + " km; range rings " + rings + " km");
    out.push_back("Infrastructure within: port " + number(t.maxPortDistanceKm) + " km, rail " +
                  number(t.maxRailDistanceKm) + " km, power " + number(t.maxPowerDistanceKm) +
                  " km; none used within " + number(t.lineOfContactKm) + " km of hostile ground or a front");
    out.push_back("Economics: capex " + number(t.capexMusd) + " M USD, basket " +
                  number(t.basketPriceUsdPerKg) + " USD/kg, recovery " + number(t.recoveryPct) +
                  " %, value/capex >= " + number(t.capexCoverRatio));
    std::map<model::Severity, std::string> bySeverity;
    for (const auto &rule : rules::ruleTable()) {
        std::string &line = bySeverity[rules::severityOf(s, rule.id)];
        line += (line.empty() ? "" : ", ") + std::string(rule.id);
    }
    const std::pair<model::Severity, const char *> kinds[] = {{model::Severity::Block, "Blocking rules"},
                                                              {model::Severity::Marginal, "Marginal rules"},
                                                              {model::Severity::Info, "Informational"},
                                                              {model::Severity::Off, "Switched off"}};
    for (const auto &[sev, label] : kinds)
        if (bySeverity.count(sev))
            out.push_back(std::string(label) + ": " + bySeverity[sev]);
    return out;
}

// The "What-if markings" lines: which marked annotation changed which verdict (all deposits,
// not only those in view: a what-if acts on the whole scenario).
std::vector<std::string> whatIfLines(const rules::WhatIf &w, const model::AnnotationSet *set) {
    std::vector<std::string> out;
    auto name = [&](std::int64_t id) {
        const model::Annotation *a = set ? set->find(id) : nullptr;
        const std::string label = a && !a->label.empty() ? a->label : "annotation " + std::to_string(id);
        return a ? label + " (" + model::annotationKindName(a->kind) + ")" : label;
    };
    auto change = [](const rules::AnnotationVerdictChange &c) {
        return c.name + " " + rules::verdictName(c.before) + " -> " + rules::verdictName(c.after);
    };
    if (w.changes.empty()) {
        std::string marked;
        for (const std::int64_t id : w.marked)
            marked += (marked.empty() ? "" : ", ") + name(id);
        if (!marked.empty())
            out.push_back(marked + ": none changed a verdict");
        return out;
    }
    for (const std::int64_t id : w.marked) {
        std::string changed;
        for (const auto &c : w.changes)
            if (std::find(c.annotationIds.begin(), c.annotationIds.end(), id) != c.annotationIds.end())
                changed += (changed.empty() ? "" : ", ") + change(c);
        out.push_back(name(id) + ": " + (changed.empty() ? "changed no verdict alone" : changed));
    }
    std::string together;
    for (const auto &c : w.changes)
        if (c.annotationIds.empty())
            together += (together.empty() ? "" : ", ") + change(c);
    if (!together.empty())
        out.push_back("Only the marked annotations together: " + together);
    return out;
}

std::string utcStamp(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
    return buf;
}

} // namespace

std::optional<Paper> paperByName(const std::string &name, bool landscape) {
    const std::string n = upper(name);
    Paper p;
    if (n == "A4")
        p = {"A4", 210.0, 297.0};
    else if (n == "A3")
        p = {"A3", 297.0, 420.0};
    else if (n == "LETTER")
        p = {"letter", 215.9, 279.4};
    else
        return std::nullopt;
    if (landscape)
        std::swap(p.widthMm, p.heightMm);
    return p;
}

const char *paperNames() {
    return "A4, A3, letter";
}

model::BBox parseBriefingBBox(const std::string &text) {
    double v[4];
    char tail = 0;
    if (std::sscanf(text.c_str(), "%lf,%lf,%lf,%lf%c", &v[0], &v[1], &v[2], &v[3], &tail) != 4)
        throw InputError("--bbox must be minlon,minlat,maxlon,maxlat in degrees, got '" + text + "'");
    for (double x : v)
        if (!std::isfinite(x))
            throw InputError("--bbox '" + text + "' has a value that is not a number");
    if (v[0] < -180 || v[2] > 180 || v[1] < -90 || v[3] > 90)
        throw InputError("--bbox '" + text +
                         "' is outside the world (longitude -180..180, latitude -90..90 degrees)");
    if (!(v[0] < v[2] && v[1] < v[3]))
        throw InputError("--bbox '" + text +
                         "' is empty: minlon must be below maxlon and minlat below maxlat");
    return {v[0], v[1], v[2], v[3]};
}

BannerColours bannerColours(const std::string &classification) {
    const std::string c = upper(trimmed(classification));
    auto starts = [&](const char *p) { return c.rfind(p, 0) == 0; };
    // Conventional marking colours (US CAPCO banner practice, which NATO sheets also follow).
    if (starts("TOP SECRET"))
        return {{0xFF, 0x8C, 0x00}, {0x00, 0x00, 0x00}};
    if (starts("SECRET"))
        return {{0xC8, 0x10, 0x2E}, {0xFF, 0xFF, 0xFF}};
    if (starts("CONFIDENTIAL"))
        return {{0x00, 0x33, 0xA0}, {0xFF, 0xFF, 0xFF}};
    if (starts("UNCLASSIFIED"))
        return {{0x00, 0x7A, 0x33}, {0xFF, 0xFF, 0xFF}};
    return {{0x5A, 0x5A, 0x5A}, {0xFF, 0xFF, 0xFF}};
}

model::Geometry annotationGeometry(const model::Annotation &a) {
    model::Geometry g;
    if (a.vertices.empty())
        return g;
    switch (a.kind) {
    case model::AnnotationKind::Marker:
    case model::AnnotationKind::Text:
        g.points.push_back(a.vertices.front());
        break;
    case model::AnnotationKind::RangeCircle: {
        model::Path ring;
        constexpr int kVertices = 180;
        for (int k = 0; k <= kVertices; ++k)
            ring.push_back(proj::geodesicDirect(a.vertices.front(), 360.0 * (k % kVertices) / kVertices,
                                                a.radiusKm * 1000.0));
        g.polygons.push_back({{ring}});
        break;
    }
    case model::AnnotationKind::Area:
    case model::AnnotationKind::Measurement:
        if (a.kind == model::AnnotationKind::Area || a.closed) {
            model::Path ring = a.vertices;
            if (!(ring.front().lon == ring.back().lon && ring.front().lat == ring.back().lat))
                ring.push_back(ring.front());
            g.polygons.push_back({{ring}});
            break;
        }
        [[fallthrough]];
    default:
        g.lines.push_back(a.vertices);
    }
    return g;
}

std::string formatKm(const std::optional<double> &km) {
    if (!km)
        return "-";
    if (*km <= 0)
        return "inside";
    char buf[32];
    std::snprintf(buf, sizeof buf, *km < 10 ? "%.1f km" : "%.0f km", *km);
    return buf;
}

Briefing buildBriefing(const model::Project &project, const analysis::Measurements &measurements,
                       const rules::Report &report, const model::BBox &bbox, const BriefingOptions &opts,
                       const std::vector<std::string> &extraCredits) {
    const model::Scenario &s = project.scenario;
    Briefing b;
    b.title = opts.title.empty() ? s.name : opts.title;
    b.classification = trimmed(opts.classification).empty() ? "UNCLASSIFIED" : trimmed(opts.classification);
    b.situationDate = s.date ? *s.date : "not stated";
    b.preparedAt = utcStamp(opts.prepared ? opts.prepared : std::time(nullptr));
    b.bbox = bbox;

    std::vector<std::string> credits;
    auto credit = [&](const std::string &c) {
        if (!c.empty() && std::find(credits.begin(), credits.end(), c) == credits.end())
            credits.push_back(c);
    };
    for (std::size_t i = 0; i < project.layers.size() && i < s.layers.size(); ++i) {
        const model::Layer &layer = *project.layers[i];
        if (layer.role == model::LayerRole::Boundaries || !overlaps(layer.bounds, bbox))
            continue;
        std::size_t n = 0;
        for (const auto &f : layer.features)
            if (layer.role == model::LayerRole::Deposits ? bbox.contains(f.geometry.anchor())
                                                         : overlaps(f.geometry.bounds(), bbox))
                ++n;
        if (n == 0)
            continue;
        b.layers.push_back({s.layers[i].id, s.layers[i].name, layer.role, s.layers[i].style, n});
        credit(s.layers[i].attribution);
    }
    for (const auto &c : extraCredits)
        credit(c);
    b.attribution = std::move(credits);
    b.rules = rulesInForce(s);

    const model::Layer *deposits = project.firstOfRole(model::LayerRole::Deposits);
    if (deposits) {
        for (std::size_t i = 0; i < deposits->features.size() && i < report.deposits.size(); ++i) {
            const model::LonLat at = deposits->features[i].geometry.anchor();
            if (!bbox.contains(at))
                continue;
            const rules::DepositVerdict &v = report.deposits[i];
            BriefingRow row;
            row.deposit = int(i);
            row.name = v.name;
            row.country = v.jurisdiction.empty() ? v.country : v.jurisdiction;
            row.verdict = v.verdict;
            if (i < measurements.perDeposit.size())
                row.frontKm = measurements.perDeposit[i].frontDistanceKm;
            row.ringKm = v.ringKm;
            for (const auto code : v.reasons)
                row.reasons += (row.reasons.empty() ? "" : ", ") + std::string(code);
            if (opts.annotations)
                for (const auto &n : opts.annotations->notes)
                    if (n.deposit == v.name && !n.text.empty())
                        row.note = n.author.empty() ? n.text : n.text + " (" + n.author + ")";
            row.at = at;
            ++b.counts[v.verdict];
            b.deposits.push_back(std::move(row));
        }
    }
    if (opts.annotations)
        for (const auto &a : opts.annotations->annotations)
            if (a.visible && overlaps(annotationGeometry(a).bounds(), bbox))
                b.annotations.push_back(a);
    if (opts.whatIf)
        b.whatIf = whatIfLines(*opts.whatIf, opts.annotations);
    std::stable_sort(b.deposits.begin(), b.deposits.end(), [](const BriefingRow &x, const BriefingRow &y) {
        const int rx = verdictRank(x.verdict), ry = verdictRank(y.verdict);
        return rx != ry ? rx < ry : x.name < y.name;
    });
    return b;
}

} // namespace orefront::exporting
