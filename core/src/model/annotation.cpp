#include "orefront/model/annotation.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <pwd.h>
#include <unistd.h>

namespace orefront::model {

namespace {
constexpr std::array<std::pair<AnnotationKind, const char *>, 8> kKinds = {{
    {AnnotationKind::Marker, "marker"},
    {AnnotationKind::Text, "text"},
    {AnnotationKind::Arrow, "arrow"},
    {AnnotationKind::Line, "line"},
    {AnnotationKind::Area, "area"},
    {AnnotationKind::RangeCircle, "range_circle"},
    {AnnotationKind::Measurement, "measurement"},
    {AnnotationKind::HypotheticalFront, "hypothetical_front"},
}};

int hexDigit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
} // namespace

const char *annotationKindName(AnnotationKind k) {
    for (const auto &[kind, name] : kKinds)
        if (kind == k)
            return name;
    return "marker";
}

std::optional<AnnotationKind> annotationKindFromName(const std::string &s) {
    for (const auto &[kind, name] : kKinds)
        if (s == name)
            return kind;
    return std::nullopt;
}

std::string annotationKindNames() {
    std::string out;
    for (const auto &[kind, name] : kKinds)
        out.append(out.empty() ? "" : ", ").append(name);
    return out;
}

AnnotationStyle defaultAnnotationStyle(AnnotationKind k) {
    AnnotationStyle s;
    if (k == AnnotationKind::HypotheticalFront) {
        s.stroke = {0x7b, 0x2c, 0xbf, 255};
        s.fill = {0x7b, 0x2c, 0xbf, 0};
        s.widthPx = 3.0f;
    }
    return s;
}

std::string styleColorToHex(Rgba c) {
    char buf[16];
    if (c.a == 255)
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
    else
        std::snprintf(buf, sizeof buf, "#%02x%02x%02x%02x", c.r, c.g, c.b, c.a);
    return buf;
}

std::optional<Rgba> styleColorFromHex(const std::string &text) {
    std::string s = text;
    if (!s.empty() && s[0] == '#')
        s.erase(0, 1);
    if (s.size() == 3) // "#rgb" -> "#rrggbb"
        s = std::string{s[0], s[0], s[1], s[1], s[2], s[2]};
    if (s.size() != 6 && s.size() != 8)
        return std::nullopt;
    std::array<std::uint8_t, 4> v{0, 0, 0, 255};
    for (std::size_t i = 0; i < s.size(); i += 2) {
        const int hi = hexDigit(s[i]), lo = hexDigit(s[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        v[i / 2] = static_cast<std::uint8_t>(hi * 16 + lo);
    }
    return Rgba{v[0], v[1], v[2], v[3]};
}

std::string annotationProblem(const Annotation &a) {
    const std::string kind = annotationKindName(a.kind);
    for (const auto &p : a.vertices)
        if (!std::isfinite(p.lon) || !std::isfinite(p.lat) || p.lon < -180 || p.lon > 180 || p.lat < -90 ||
            p.lat > 90)
            return kind + ": vertex (" + std::to_string(p.lon) + ", " + std::to_string(p.lat) +
                   ") is not a longitude, latitude in degrees (-180..180, -90..90)";
    const std::size_t n = a.vertices.size();
    const bool ring = a.kind == AnnotationKind::Area || (a.kind == AnnotationKind::Measurement && a.closed);
    switch (a.kind) {
    case AnnotationKind::Marker:
    case AnnotationKind::Text:
    case AnnotationKind::RangeCircle:
        if (n != 1)
            return kind + ": needs exactly one point, got " + std::to_string(n) + " vertices";
        break;
    case AnnotationKind::Arrow:
    case AnnotationKind::Line:
    case AnnotationKind::Measurement:
    case AnnotationKind::Area:
    case AnnotationKind::HypotheticalFront:
        if (!ring && n < 2)
            return kind + ": needs a line of two or more vertices, got " + std::to_string(n);
        break;
    }
    if (ring) {
        std::vector<LonLat> distinct = a.vertices;
        if (distinct.size() > 1 && distinct.front() == distinct.back())
            distinct.pop_back();
        if (distinct.size() < 3)
            return kind + ": needs a polygon of three or more distinct vertices, got " +
                   std::to_string(distinct.size());
    }
    if (a.kind == AnnotationKind::RangeCircle && !(std::isfinite(a.radiusKm) && a.radiusKm > 0))
        return "range_circle: needs a radius in km greater than 0";
    if (a.kind != AnnotationKind::RangeCircle && a.radiusKm != 0)
        return kind + ": a radius is only for a range_circle";
    if (a.closed && a.kind != AnnotationKind::Measurement && a.kind != AnnotationKind::Area)
        return kind + ": only an area or a measurement can be closed";
    // A hypothetical front is a what-if of its own (the front replaced by the line), never a
    // hostile position added to the real front.
    if (a.kind == AnnotationKind::HypotheticalFront && a.countsAsHostile)
        return kind + ": is a what-if front of its own (orefront whatif); it cannot also count as hostile";
    return "";
}

const DepositNote *AnnotationSet::noteFor(const std::string &deposit) const {
    for (const auto &n : notes)
        if (n.deposit == deposit)
            return &n;
    return nullptr;
}

const Annotation *AnnotationSet::find(std::int64_t id) const {
    for (const auto &a : annotations)
        if (a.id == id)
            return &a;
    return nullptr;
}

AnnotationSet AnnotationSet::withAnnotation(const Annotation &a) const {
    AnnotationSet out = *this;
    for (auto &x : out.annotations)
        if (x.id == a.id) {
            x = a;
            return out;
        }
    out.annotations.push_back(a);
    return out;
}

AnnotationSet AnnotationSet::withoutAnnotation(std::int64_t id) const {
    AnnotationSet out = *this;
    std::erase_if(out.annotations, [&](const Annotation &a) { return a.id == id; });
    return out;
}

AnnotationSet AnnotationSet::withNote(const DepositNote &n) const {
    AnnotationSet out = *this;
    std::erase_if(out.notes, [&](const DepositNote &x) { return x.deposit == n.deposit; });
    if (!n.text.empty())
        out.notes.push_back(n);
    return out;
}

std::string currentUser() {
    for (const char *var : {"OREFRONT_USER", "USER", "LOGNAME"})
        if (const char *v = std::getenv(var); v && *v)
            return v;
    if (const passwd *pw = getpwuid(getuid()); pw && pw->pw_name && *pw->pw_name)
        return pw->pw_name;
    return "unknown";
}

std::string nowUtcIso() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

} // namespace orefront::model
