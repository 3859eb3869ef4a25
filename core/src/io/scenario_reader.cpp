// Scenario TOML -> model::Scenario, and loading every layer of a scenario.
#include "orefront/analysis/control.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/series_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/rules/rules.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>
#include <strings.h>
#include <utility>

namespace orefront::io {

namespace fs = std::filesystem;

namespace {

class Reader {
public:
    explicit Reader(std::string file) : m_file(std::move(file)) {}

    [[noreturn]] void fail(const std::string &key, const std::string &what) const {
        throw InputError("scenario '" + m_file + "': " + key + ": " + what);
    }

    void checkKeys(const toml::table &t, const std::string &where, const std::set<std::string> &known) const {
        for (const auto &[k, v] : t)
            if (!known.count(std::string(k.str())))
                fail(where + std::string(k.str()), "unknown key");
    }

    std::string str(const toml::table &t, const char *key, const std::string &where,
                    std::string def = {}) const {
        const toml::node *n = t.get(key);
        if (!n)
            return def;
        if (!n->is_string())
            fail(where + key, "expected a string");
        return n->value<std::string>().value();
    }

    std::optional<std::string> optStr(const toml::table &t, const char *key, const std::string &where) const {
        const toml::node *n = t.get(key);
        if (!n)
            return std::nullopt;
        if (const auto *d = n->as_date()) { // date = 2025-08-01, unquoted: a TOML local date
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", int(d->get().year), int(d->get().month),
                          int(d->get().day));
            return std::string(buf);
        }
        return str(t, key, where);
    }

    // A date key must be an ISO 8601 calendar date (YYYY-MM-DD) that exists: reports and
    // snapshot selection compare dates as text, so "1/8/2025" or "2025-02-30" would be misread.
    void checkDate(const std::optional<std::string> &date, const std::string &key) const {
        if (!date)
            return;
        int y = 0, m = 0, d = 0;
        char tail = 0;
        const bool shape = date->size() == 10 && (*date)[4] == '-' && (*date)[7] == '-' &&
                           std::sscanf(date->c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3;
        static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
        if (!shape || m < 1 || m > 12 || d < 1 || d > days[m - 1] || (m == 2 && d == 29 && !leap))
            fail(key, "'" + *date + "' is not an ISO 8601 date (YYYY-MM-DD)");
    }

    bool boolean(const toml::table &t, const char *key, const std::string &where, bool def) const {
        const toml::node *n = t.get(key);
        if (!n)
            return def;
        if (!n->is_boolean())
            fail(where + key, "expected true or false");
        return n->value<bool>().value();
    }

    double number(const toml::table &t, const char *key, const std::string &where, double def) const {
        const toml::node *n = t.get(key);
        if (!n)
            return def;
        if (!n->is_number())
            fail(where + key, "expected a number");
        return n->value<double>().value();
    }

    std::vector<std::string> strings(const toml::table &t, const char *key, const std::string &where) const {
        std::vector<std::string> out;
        const toml::node *n = t.get(key);
        if (!n)
            return out;
        const toml::array *a = n->as_array();
        if (!a)
            fail(where + key, "expected an array of strings");
        for (const auto &e : *a) {
            if (!e.is_string())
                fail(where + key, "expected an array of strings");
            out.push_back(e.value<std::string>().value());
        }
        return out;
    }

    std::vector<double> numbers(const toml::table &t, const char *key, const std::string &where,
                                std::vector<double> def) const {
        const toml::node *n = t.get(key);
        if (!n)
            return def;
        const toml::array *a = n->as_array();
        if (!a)
            fail(where + key, "expected an array of numbers");
        std::vector<double> out;
        for (const auto &e : *a) {
            if (!e.is_number())
                fail(where + key, "expected an array of numbers");
            out.push_back(e.value<double>().value());
        }
        return out;
    }

private:
    std::string m_file;
};

void readThresholds(const Reader &r, const toml::table &t, model::Thresholds &th) {
    const std::string w = "thresholds.";
    r.checkKeys(t, w,
                {"grade_cutoff_pct", "standoff_km", "rings_km", "max_port_distance_km",
                 "max_rail_distance_km", "max_power_distance_km", "capex_musd", "basket_price_usd_per_kg",
                 "recovery_pct", "capex_cover_ratio", "line_of_contact_km"});
    th.gradeCutoffPct = r.number(t, "grade_cutoff_pct", w, th.gradeCutoffPct);
    th.standoffKm = r.number(t, "standoff_km", w, th.standoffKm);
    th.ringsKm = r.numbers(t, "rings_km", w, th.ringsKm);
    th.maxPortDistanceKm = r.number(t, "max_port_distance_km", w, th.maxPortDistanceKm);
    th.maxRailDistanceKm = r.number(t, "max_rail_distance_km", w, th.maxRailDistanceKm);
    th.maxPowerDistanceKm = r.number(t, "max_power_distance_km", w, th.maxPowerDistanceKm);
    th.capexMusd = r.number(t, "capex_musd", w, th.capexMusd);
    th.basketPriceUsdPerKg = r.number(t, "basket_price_usd_per_kg", w, th.basketPriceUsdPerKg);
    th.recoveryPct = r.number(t, "recovery_pct", w, th.recoveryPct);
    th.capexCoverRatio = r.number(t, "capex_cover_ratio", w, th.capexCoverRatio);
    th.lineOfContactKm = r.number(t, "line_of_contact_km", w, th.lineOfContactKm);
    if (th.ringsKm.empty())
        r.fail(w + "rings_km",
               "empty: give the ring distances in km, e.g. [20, 40, 80], or leave the key out");
    for (double km : th.ringsKm)
        if (!(km > 0) || !std::isfinite(km))
            r.fail(w + "rings_km", "ring distances must be positive");
    // A negative or NaN threshold (TOML has nan and inf) would pass or fail every deposit.
    const std::pair<const char *, double> values[] = {{"grade_cutoff_pct", th.gradeCutoffPct},
                                                      {"standoff_km", th.standoffKm},
                                                      {"max_port_distance_km", th.maxPortDistanceKm},
                                                      {"max_rail_distance_km", th.maxRailDistanceKm},
                                                      {"max_power_distance_km", th.maxPowerDistanceKm},
                                                      {"capex_musd", th.capexMusd},
                                                      {"basket_price_usd_per_kg", th.basketPriceUsdPerKg},
                                                      {"recovery_pct", th.recoveryPct},
                                                      {"capex_cover_ratio", th.capexCoverRatio},
                                                      {"line_of_contact_km", th.lineOfContactKm}};
    for (const auto &[key, v] : values)
        if (!std::isfinite(v) || v < 0)
            r.fail(w + key, "expected a finite number, 0 or more");
}

// Which status keys a role takes, and that a preset is not mixed with hand-written statuses.
void checkStatusKeys(const Reader &r, const toml::table &t, const model::LayerSpec &s, const std::string &w) {
    const bool control = s.role == model::LayerRole::Hostile || s.role == model::LayerRole::Front;
    const bool infra = s.role == model::LayerRole::Ports || s.role == model::LayerRole::Rail ||
                       s.role == model::LayerRole::Power;
    const std::string role = model::roleName(s.role);
    for (const char *key : {"preset", "allow_empty", "hostile_statuses", "contested_statuses"})
        if (t.get(key) && !control)
            r.fail(w + key, "applies to hostile and front layers only, not to role \"" + role + "\"");
    if (t.get("unusable_statuses") && !infra)
        r.fail(w + "unusable_statuses",
               "applies to ports, rail and power layers only, not to role \"" + role + "\"");
    if (t.get("status_field") && !control && !infra)
        r.fail(w + "status_field",
               "applies to hostile, front, ports, rail and power layers, not to role \"" + role + "\"");
    if (!s.preset.empty()) {
        if (!analysis::isControlPreset(s.preset))
            r.fail(w + "preset",
                   "unknown preset '" + s.preset + "' (" + analysis::controlPresetNames() + ")");
        for (const char *key : {"status_field", "hostile_statuses", "contested_statuses"})
            if (t.get(key))
                r.fail(w + key, "cannot be combined with preset = \"" + s.preset + "\", which sets it");
    }
    for (const char *key : {"hostile_statuses", "contested_statuses"})
        if (t.get(key) && s.statusField.empty() && s.preset.empty())
            r.fail(w + key, "needs status_field (the field that holds those values)");
    if (!s.unusableStatuses.empty() && s.statusField.empty())
        r.fail(w + "unusable_statuses", "needs status_field (the field that holds those values)");
    if (infra && !s.statusField.empty() && s.unusableStatuses.empty())
        r.fail(w + "status_field", "needs unusable_statuses (the values that put a feature out of use)");
}

// series = "snapshots" | "date_field" | "valid_range" and the keys each form needs; a series
// is dated by its snapshots, so it takes no `date`.
void readSeries(const Reader &r, const toml::table &t, model::LayerSpec &s, const std::string &w) {
    s.datePattern = r.str(t, "date_pattern", w);
    s.dateField = r.str(t, "date_field", w);
    s.validFromField = r.str(t, "valid_from_field", w);
    s.validToField = r.str(t, "valid_to_field", w);
    const std::string form = r.str(t, "series", w);
    if (form.empty()) {
        for (const char *key : {"date_pattern", "date_field", "valid_from_field", "valid_to_field"})
            if (t.get(key))
                r.fail(w + key, "needs series = \"snapshots\", \"date_field\" or \"valid_range\"");
        return;
    }
    const auto parsed = model::seriesFormFromName(form);
    if (!parsed)
        r.fail(w + "series", "unknown form '" + form + "' (snapshots, date_field, valid_range)");
    s.series = *parsed;
    if (s.role != model::LayerRole::Hostile && s.role != model::LayerRole::Front)
        r.fail(w + "series", std::string("applies to hostile and front layers only, not to role \"") +
                                 model::roleName(s.role) + "\"");
    if (s.date)
        r.fail(w + "date", "a series is dated by its snapshots; leave date out (the scenario's date picks "
                           "the snapshot)");
    const std::pair<const char *, model::SeriesForm> owners[] = {
        {"date_pattern", model::SeriesForm::Snapshots},
        {"date_field", model::SeriesForm::DateField},
        {"valid_from_field", model::SeriesForm::ValidRange},
        {"valid_to_field", model::SeriesForm::ValidRange}};
    for (const auto &[key, owner] : owners) {
        if (t.get(key) && owner != s.series)
            r.fail(w + key, "does not apply to series = \"" + form + "\"");
        if (!t.get(key) && owner == s.series)
            r.fail(w + key, "missing (series = \"" + form + "\" needs it)");
    }
    if (s.series == model::SeriesForm::Snapshots) {
        try {
            model::dateFromName("", s.datePattern); // checks the directives
        } catch (const std::invalid_argument &e) {
            r.fail(w + "date_pattern", e.what());
        }
    }
}

model::LayerSpec readLayer(const Reader &r, const toml::table &t, std::size_t index) {
    const std::string w = "layers[" + std::to_string(index) + "].";
    r.checkKeys(t, w,
                {"id",
                 "name",
                 "role",
                 "source",
                 "date",
                 "attribution",
                 "status_field",
                 "hostile_statuses",
                 "contested_statuses",
                 "range_from",
                 "preset",
                 "allow_empty",
                 "unusable_statuses",
                 "name_field",
                 "country_field",
                 "grade_field",
                 "tonnage_field",
                 "commodity_field",
                 "iso_field",
                 "style",
                 "series",
                 "date_pattern",
                 "date_field",
                 "valid_from_field",
                 "valid_to_field"});
    model::LayerSpec s;
    s.source = r.str(t, "source", w);
    if (s.source.empty())
        r.fail(w + "source", "missing (a GDAL vector source: file path or PG: connection)");
    const std::string role = r.str(t, "role", w, "other");
    auto parsed = model::roleFromName(role);
    if (!parsed)
        r.fail(w + "role",
               "unknown role '" + role +
                   "' (deposits, hostile, front, ports, rail, power, basemap, boundaries, other)");
    s.role = *parsed;
    s.id = r.str(t, "id", w, std::string(model::roleName(s.role)) + std::to_string(index));
    s.name = r.str(t, "name", w, s.id);
    s.date = r.optStr(t, "date", w);
    s.attribution = r.str(t, "attribution", w);
    s.statusField = r.str(t, "status_field", w);
    s.hostileStatuses = r.strings(t, "hostile_statuses", w);
    s.contestedStatuses = r.strings(t, "contested_statuses", w);
    s.rangeFrom = r.boolean(t, "range_from", w, true);
    s.preset = r.str(t, "preset", w);
    s.allowEmpty = r.boolean(t, "allow_empty", w, false);
    s.unusableStatuses = r.strings(t, "unusable_statuses", w);
    checkStatusKeys(r, t, s, w);
    s.nameField = r.str(t, "name_field", w);
    s.countryField = r.str(t, "country_field", w);
    s.gradeField = r.str(t, "grade_field", w);
    s.tonnageField = r.str(t, "tonnage_field", w);
    s.style = r.str(t, "style", w);
    if (!s.style.empty()) {
        const bool hostile = s.role == model::LayerRole::Hostile, front = s.role == model::LayerRole::Front;
        if (!(hostile && (s.style == "occupied" || s.style == "hostile_state")) &&
            !(front && (s.style == "front_line" || s.style == "state_border")))
            r.fail(w + "style",
                   "unknown style '" + s.style + "' for a " + role +
                       " layer (hostile: occupied, hostile_state; front: front_line, state_border)");
    }
    s.commodityField = r.str(t, "commodity_field", w);
    s.isoField = r.str(t, "iso_field", w);
    readSeries(r, t, s, w);
    return s;
}

// A [[jurisdictions]] row overrides the built-in (or an earlier) row of its code key by key,
// or adds a country: the keys it leaves out keep their current values.
void readJurisdiction(const Reader &r, const toml::table &t, std::size_t index,
                      std::map<std::string, model::Jurisdiction> &table) {
    const std::string w = "jurisdictions[" + std::to_string(index) + "].";
    r.checkKeys(t, w,
                {"code", "name", "aliases", "sanctioned", "property_rights_risk", "grid", "processing_access",
                 "reserves_mt", "source"});
    std::string code = r.str(t, "code", w);
    if (code.empty())
        r.fail(w + "code", "missing (ISO 3166-1 alpha-3)");
    for (auto &c : code)
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const auto existing = table.find(code);
    model::Jurisdiction j = existing != table.end() ? existing->second : model::Jurisdiction{};
    j.code = code;
    j.name = r.str(t, "name", w, j.name.empty() ? code : j.name);
    if (t.get("aliases"))
        j.aliases = r.strings(t, "aliases", w);
    j.sanctioned = r.boolean(t, "sanctioned", w, j.sanctioned);
    j.propertyRightsRisk = r.boolean(t, "property_rights_risk", w, j.propertyRightsRisk);
    j.grid = r.str(t, "grid", w, j.grid);
    if (j.grid != "ok" && j.grid != "damaged" && j.grid != "none")
        r.fail(w + "grid", "expected \"ok\", \"damaged\" or \"none\"");
    j.processingAccess = r.boolean(t, "processing_access", w, j.processingAccess);
    j.reservesMt = r.number(t, "reserves_mt", w, j.reservesMt);
    j.source = r.str(t, "source", w,
                     existing != table.end() ? j.source + " (overridden by the scenario)" : "scenario");
    table[code] = j;
}

// A [[cutoffs]] row overrides the built-in row of its commodity key by key, or adds one.
void readCutoff(const Reader &r, const toml::table &t, std::size_t index,
                std::vector<model::Cutoff> &cutoffs) {
    const std::string w = "cutoffs[" + std::to_string(index) + "].";
    r.checkKeys(t, w, {"commodity", "aliases", "grade_field", "unit", "cutoff", "source"});
    const std::string commodity = r.str(t, "commodity", w);
    if (commodity.empty())
        r.fail(w + "commodity", "missing (e.g. \"REE\", \"Li\")");
    auto it = std::find_if(cutoffs.begin(), cutoffs.end(), [&](const model::Cutoff &c) {
        return strcasecmp(c.commodity.c_str(), commodity.c_str()) == 0;
    });
    const bool added = it == cutoffs.end();
    if (added) {
        for (const char *key : {"grade_field", "unit", "cutoff"})
            if (!t.get(key))
                r.fail(w + key, "missing (a new commodity needs grade_field, unit and cutoff)");
        cutoffs.push_back({commodity});
        it = cutoffs.end() - 1;
    }
    if (t.get("aliases"))
        it->aliases = r.strings(t, "aliases", w);
    it->gradeField = r.str(t, "grade_field", w, it->gradeField);
    it->unit = r.str(t, "unit", w, it->unit);
    it->cutoff = r.number(t, "cutoff", w, it->cutoff);
    if (!(it->cutoff >= 0))
        r.fail(w + "cutoff", "must be a grade, 0 or more");
    it->source = r.str(t, "source", w, added ? "scenario" : it->source + " (overridden by the scenario)");
}

// A [[whatif]] table: a name and either shift_km or front (README, What-if fronts).
model::WhatIf readWhatIf(const Reader &r, const toml::table &t, std::size_t index) {
    const std::string w = "whatif[" + std::to_string(index) + "].";
    r.checkKeys(t, w, {"name", "description", "shift_km", "front"});
    model::WhatIf out;
    out.name = r.str(t, "name", w);
    if (out.name.find_first_not_of(" \t") == std::string::npos)
        r.fail(w + "name", "missing (e.g. name = \"advance 20 km\")");
    out.description = r.str(t, "description", w);
    out.front = r.str(t, "front", w);
    if (t.get("shift_km")) {
        out.shiftKm = r.number(t, "shift_km", w, 0);
        if (!std::isfinite(*out.shiftKm) || *out.shiftKm == 0 || std::abs(*out.shiftKm) > 500)
            r.fail(w + "shift_km", "must be a distance in km, not 0, within +-500 (+ advance, - withdrawal)");
    }
    if (out.shiftKm.has_value() == !out.front.empty())
        r.fail(w.substr(0, w.size() - 1), "give either shift_km (a shifted front) or front (a line layer)");
    return out;
}

} // namespace

model::Scenario loadScenario(const std::string &path) {
    if (!fs::exists(path))
        throw InputError("scenario '" + path + "' does not exist");
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error &e) {
        throw InputError("scenario '" + path + "': line " + std::to_string(e.source().begin.line) + ": " +
                         std::string(e.description()));
    }
    const Reader r(path);
    r.checkKeys(root, "",
                {"name", "date", "description", "annotations", "thresholds", "severity", "layers",
                 "jurisdictions", "cutoffs", "whatif"});
    // A section of the wrong kind ("layers = 5", "[layers]" for "[[layers]]") is an error,
    // not a section silently left out.
    for (const std::string key : {"thresholds", "severity"})
        if (root.get(key) && !root.get(key)->is_table())
            r.fail(key, "expected a table ([" + key + "])");
    for (const std::string key : {"layers", "jurisdictions", "cutoffs", "whatif"})
        if (root.get(key) && !root.get(key)->is_array())
            r.fail(key, "expected an array of tables ([[" + key + "]])");
    model::Scenario s;
    s.baseDir = fs::absolute(path).parent_path().string();
    s.name = r.str(root, "name", "", fs::path(path).stem().string());
    s.date = r.optStr(root, "date", "");
    s.description = r.str(root, "description", "");
    s.annotations = r.str(root, "annotations", "");
    if (const auto *t = root.get_as<toml::table>("thresholds"))
        readThresholds(r, *t, s.thresholds);
    if (const auto *t = root.get_as<toml::table>("severity")) {
        for (const auto &[k, v] : *t) {
            const std::string rule(k.str());
            bool known = false;
            for (const auto &[id, def] : rules::ruleCatalogue())
                known = known || id == rule;
            if (!known)
                r.fail("severity." + rule, "unknown rule");
            auto sev = v.is_string() ? model::severityFromName(v.value<std::string>().value()) : std::nullopt;
            if (!sev)
                r.fail("severity." + rule, "expected \"block\", \"marginal\", \"info\" or \"off\"");
            s.severities[rule] = *sev;
        }
    }
    if (const auto *layers = root.get_as<toml::array>("layers")) {
        std::size_t i = 0;
        for (const auto &node : *layers) {
            if (!node.is_table())
                r.fail("layers[" + std::to_string(i) + "]", "expected a table");
            s.layers.push_back(readLayer(r, *node.as_table(), i++));
        }
    }
    r.checkDate(s.date, "date");
    for (std::size_t i = 0; i < s.layers.size(); ++i)
        r.checkDate(s.layers[i].date, "layers[" + std::to_string(i) + "].date");
    std::set<std::string> ids;
    for (const auto &l : s.layers)
        if (!ids.insert(l.id).second)
            r.fail("layers", "duplicate layer id '" + l.id + "'");
    if (const auto *js = root.get_as<toml::array>("jurisdictions")) {
        std::size_t i = 0;
        for (const auto &node : *js) {
            if (!node.is_table())
                r.fail("jurisdictions[" + std::to_string(i) + "]", "expected a table");
            readJurisdiction(r, *node.as_table(), i++, s.jurisdictions);
        }
    }
    if (const auto *cs = root.get_as<toml::array>("cutoffs")) {
        std::size_t i = 0;
        for (const auto &node : *cs) {
            if (!node.is_table())
                r.fail("cutoffs[" + std::to_string(i) + "]", "expected a table");
            readCutoff(r, *node.as_table(), i++, s.cutoffs);
        }
        // The REE row's cut-off is thresholds.grade_cutoff_pct: one value, two spellings.
        const model::Cutoff &ree = s.cutoffs.front();
        const auto *th = root.get_as<toml::table>("thresholds");
        const bool both = th && th->get("grade_cutoff_pct");
        for (std::size_t k = 0; k < cs->size(); ++k) {
            const auto *row = (*cs)[k].as_table();
            if (!row->get("cutoff") ||
                strcasecmp(r.str(*row, "commodity", "").c_str(), ree.commodity.c_str()) != 0)
                continue;
            if (both && s.thresholds.gradeCutoffPct != ree.cutoff)
                r.fail("cutoffs[" + std::to_string(k) + "].cutoff",
                       "disagrees with thresholds.grade_cutoff_pct (the same REE cut-off); give one");
            s.thresholds.gradeCutoffPct = ree.cutoff;
        }
    }
    s.cutoffs.front().cutoff = s.thresholds.gradeCutoffPct;
    if (const auto *ws = root.get_as<toml::array>("whatif")) {
        std::size_t i = 0;
        for (const auto &node : *ws) {
            if (!node.is_table())
                r.fail("whatif[" + std::to_string(i) + "]", "expected a table");
            s.whatifs.push_back(readWhatIf(r, *node.as_table(), i++));
        }
        std::set<std::string> names;
        for (const auto &w : s.whatifs)
            if (!names.insert(w.name).second)
                r.fail("whatif", "duplicate what-if name '" + w.name + "'");
    }
    return s;
}

model::Scenario defaultScenario() {
    model::Scenario s; // the built-in jurisdictions and cut-offs
    s.name = "command line";
    s.baseDir = fs::current_path().string();
    return s;
}

model::Project loadProject(const model::Scenario &given, model::Progress *progress) {
    // A scenario with dated series is loaded at its situation date (io/series_io.hpp).
    const bool unresolved = std::any_of(given.layers.begin(), given.layers.end(),
                                        [](const model::LayerSpec &l) { return isUnresolvedSeries(l); });
    const std::optional<model::Date> date = unresolved ? situationDate(given) : std::nullopt;
    const model::Scenario scenario = date ? scenarioAt(given, *date) : given;
    model::Project p;
    p.scenario = scenario;
    for (const auto &spec : scenario.layers) {
        auto layer =
            std::make_shared<const model::Layer>(loadLayer(spec, scenario.baseDir, p.warnings, progress));
        if (spec.role == model::LayerRole::Hostile || spec.role == model::LayerRole::Front)
            analysis::checkControlLayer(*layer, spec, p.warnings);
        p.layers.push_back(std::move(layer));
    }
    return p;
}

} // namespace orefront::io
