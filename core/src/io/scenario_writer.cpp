// model::Scenario -> TOML, the inverse of scenario_reader.cpp. One line per field, every
// LayerSpec field written (a field the reader gains must gain a line here, or a saved
// scenario silently loses it: the round-trip test in tests/io catches that for the fields
// it sets).
#include "orefront/io/scenario_writer.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <unistd.h>

namespace orefront::io {

namespace fs = std::filesystem;

namespace {

std::string quoted(const std::string &s) {
    std::string out = "\"";
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        switch (ch) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (c < 0x20 || c == 0x7f) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += ch;
            }
        }
    }
    return out + "\"";
}

// Shortest text that reads back as the same double (TOML accepts integers for numbers).
std::string number(double v) {
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string strings(const std::vector<std::string> &v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        out += (i ? ", " : "") + quoted(v[i]);
    return out + "]";
}

std::string numbers(const std::vector<double> &v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i)
        out += (i ? ", " : "") + number(v[i]);
    return out + "]";
}

const char *boolean(bool b) {
    return b ? "true" : "false";
}

bool isFilePath(const std::string &path) {
    return path.rfind("PG:", 0) != 0 && path.rfind("/vsi", 0) != 0 && path.find("://") == std::string::npos;
}

// `source` (relative to `baseDir`) made relative to `targetDir` where it is a file.
std::string relocate(const std::string &source, const std::string &baseDir, const std::string &targetDir) {
    const std::string resolved = resolveSource(source, baseDir);
    const std::size_t bar = resolved.find('|');
    const std::string path = resolved.substr(0, bar);
    const std::string rest = bar == std::string::npos ? "" : resolved.substr(bar);
    if (!isFilePath(path) || targetDir.empty() || fs::path(path).is_relative())
        return resolved;
    const fs::path rel = fs::path(path).lexically_relative(fs::absolute(targetDir).lexically_normal());
    return (rel.empty() ? path : rel.generic_string()) + rest;
}

void writeLayer(std::ostream &o, const model::LayerSpec &l, const model::Scenario &s,
                const std::string &dir) {
    using model::LayerRole;
    const bool control = l.role == LayerRole::Hostile || l.role == LayerRole::Front;
    const bool infra = l.role == LayerRole::Ports || l.role == LayerRole::Rail || l.role == LayerRole::Power;
    // The reader refuses keys that do not fit the role, so each is written only where it fits,
    // and an empty string (the default) is left out.
    const auto text = [&](const char *key, const std::string &value) {
        if (!value.empty())
            o << key << " = " << quoted(value) << "\n";
    };
    o << "\n[[layers]]\n";
    o << "id = " << quoted(l.id) << "\n";
    o << "name = " << quoted(l.name) << "\n";
    o << "role = " << quoted(model::roleName(l.role)) << "\n";
    o << "source = " << quoted(relocate(l.source, s.baseDir, dir)) << "\n";
    if (l.date && l.series == model::SeriesForm::None) // a series' date is its snapshot's
        o << "date = " << quoted(*l.date) << "\n";
    text("attribution", l.attribution);
    text("series", model::seriesFormName(l.series));
    text("date_pattern", l.datePattern);
    text("date_field", l.dateField);
    text("valid_from_field", l.validFromField);
    text("valid_to_field", l.validToField);
    if (control) {
        text("preset", l.preset);
        if (l.preset.empty()) {
            text("status_field", l.statusField);
            if (!l.statusField.empty()) {
                o << "hostile_statuses = " << strings(l.hostileStatuses) << "\n";
                o << "contested_statuses = " << strings(l.contestedStatuses) << "\n";
            }
        }
        o << "range_from = " << boolean(l.rangeFrom) << "\n";
        o << "allow_empty = " << boolean(l.allowEmpty) << "\n";
        text("style", l.style);
    }
    if (infra && !l.statusField.empty()) {
        text("status_field", l.statusField);
        o << "unusable_statuses = " << strings(l.unusableStatuses) << "\n";
    }
    text("name_field", l.nameField);
    text("country_field", l.countryField);
    text("grade_field", l.gradeField);
    text("tonnage_field", l.tonnageField);
    text("commodity_field", l.commodityField);
    text("iso_field", l.isoField);
}

bool sameFacts(const model::Jurisdiction &a, const model::Jurisdiction &b) {
    return a.name == b.name && a.sanctioned == b.sanctioned && a.propertyRightsRisk == b.propertyRightsRisk &&
           a.grid == b.grid && a.processingAccess == b.processingAccess && a.reservesMt == b.reservesMt &&
           a.aliases == b.aliases;
}

// Only the rows that differ from the built-in table: a saved scenario overrides what its author
// changed and keeps following the built-in table (and its sources) for the rest.
void writeJurisdiction(std::ostream &o, const model::Jurisdiction &j) {
    const auto &builtin = model::builtinJurisdictions();
    const auto it = builtin.find(j.code);
    if (it != builtin.end() && sameFacts(it->second, j))
        return;
    o << "\n[[jurisdictions]]\n";
    o << "code = " << quoted(j.code) << "\n";
    o << "name = " << quoted(j.name) << "\n";
    if (!j.aliases.empty())
        o << "aliases = " << strings(j.aliases) << "\n";
    o << "sanctioned = " << boolean(j.sanctioned) << "\n";
    o << "property_rights_risk = " << boolean(j.propertyRightsRisk) << "\n";
    o << "grid = " << quoted(j.grid) << "\n";
    o << "processing_access = " << boolean(j.processingAccess) << "\n";
    o << "reserves_mt = " << number(j.reservesMt) << "\n";
    if (it == builtin.end() && j.source != "scenario")
        o << "source = " << quoted(j.source) << "\n";
}

// `ree`: the first row, whose cut-off is thresholds.grade_cutoff_pct (written there, not here).
void writeCutoff(std::ostream &o, const model::Cutoff &c, bool ree) {
    for (const auto &b : model::builtinCutoffs())
        if (b.commodity == c.commodity && b.aliases == c.aliases && b.gradeField == c.gradeField &&
            b.unit == c.unit && (ree || b.cutoff == c.cutoff))
            return;
    o << "\n[[cutoffs]]\n";
    o << "commodity = " << quoted(c.commodity) << "\n";
    if (!c.aliases.empty())
        o << "aliases = " << strings(c.aliases) << "\n";
    o << "grade_field = " << quoted(c.gradeField) << "\n";
    o << "unit = " << quoted(c.unit) << "\n";
    if (!ree)
        o << "cutoff = " << number(c.cutoff) << "\n";
}

void writeWhatIf(std::ostream &o, const model::WhatIf &w, const model::Scenario &s, const std::string &dir) {
    o << "\n[[whatif]]\n";
    o << "name = " << quoted(w.name) << "\n";
    if (!w.description.empty())
        o << "description = " << quoted(w.description) << "\n";
    if (w.shiftKm)
        o << "shift_km = " << number(*w.shiftKm) << "\n";
    if (!w.front.empty())
        o << "front = " << quoted(relocate(w.front, s.baseDir, dir)) << "\n";
}

} // namespace

std::string scenarioToToml(const model::Scenario &s, const std::string &targetDir) {
    std::ostringstream o;
    o << "# Written by Orefront (Save scenario as...). Sources are relative to this file.\n";
    o << "name = " << quoted(s.name) << "\n";
    if (s.date)
        o << "date = " << quoted(*s.date) << "\n";
    o << "description = " << quoted(s.description) << "\n";
    if (!s.annotations.empty())
        o << "annotations = " << quoted(relocate(s.annotations, s.baseDir, targetDir)) << "\n";

    const model::Thresholds &t = s.thresholds;
    o << "\n[thresholds]\n";
    o << "grade_cutoff_pct = " << number(t.gradeCutoffPct) << "\n";
    o << "standoff_km = " << number(t.standoffKm) << "\n";
    o << "rings_km = " << numbers(t.ringsKm) << "\n";
    o << "max_port_distance_km = " << number(t.maxPortDistanceKm) << "\n";
    o << "max_rail_distance_km = " << number(t.maxRailDistanceKm) << "\n";
    o << "max_power_distance_km = " << number(t.maxPowerDistanceKm) << "\n";
    o << "capex_musd = " << number(t.capexMusd) << "\n";
    o << "basket_price_usd_per_kg = " << number(t.basketPriceUsdPerKg) << "\n";
    o << "recovery_pct = " << number(t.recoveryPct) << "\n";
    o << "capex_cover_ratio = " << number(t.capexCoverRatio) << "\n";
    o << "line_of_contact_km = " << number(t.lineOfContactKm) << "\n";

    o << "\n[severity]\n";
    for (const auto &[rule, sev] : s.severities)
        o << rule << " = " << quoted(model::severityName(sev)) << "\n";

    for (const auto &l : s.layers)
        writeLayer(o, l, s, targetDir);
    for (const auto &[code, j] : s.jurisdictions)
        writeJurisdiction(o, j);
    for (std::size_t i = 0; i < s.cutoffs.size(); ++i)
        writeCutoff(o, s.cutoffs[i], i == 0);
    for (const auto &w : s.whatifs)
        if (w.annotationId == 0) // a hypothetical-front annotation lives in the annotation store
            writeWhatIf(o, w, s, targetDir);
    return o.str();
}

void saveScenario(const model::Scenario &scenario, const std::string &path) {
    const fs::path target = fs::absolute(path);
    const std::string text = scenarioToToml(scenario, target.parent_path().string());
    const std::string tmp = target.string() + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out << text;
        out.flush();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw OutputError("cannot write scenario '" + path + "'");
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw OutputError("cannot write scenario '" + path + "': " + ec.message());
    }
}

} // namespace orefront::io
