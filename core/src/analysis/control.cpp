// The control classification and the named source presets (see analysis/control.hpp).
#include "orefront/analysis/control.hpp"
#include "orefront/model/error.hpp"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <set>

namespace orefront::analysis {

namespace {

// --------------------------------------------------------------------------- normalisation

// Appends code point `c` as UTF-8.
void appendUtf8(std::string &out, std::uint32_t c) {
    if (c < 0x80) {
        out += static_cast<char>(c);
    } else if (c < 0x800) {
        out += static_cast<char>(0xC0 | (c >> 6));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += static_cast<char>(0xE0 | (c >> 12));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (c >> 18));
        out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (c & 0x3F));
    }
}

// Decodes the code point at s[i], advancing i; an invalid byte decodes as itself.
std::uint32_t nextCodePoint(std::string_view s, std::size_t &i) {
    const auto b = static_cast<unsigned char>(s[i++]);
    int extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
    if (b < 0x80 || i + extra > s.size())
        return b;
    std::uint32_t c = b & (0x3F >> extra);
    for (int k = 0; k < extra; ++k) {
        const auto n = static_cast<unsigned char>(s[i]);
        if ((n & 0xC0) != 0x80)
            return b;
        c = (c << 6) | (n & 0x3F);
        ++i;
    }
    return c;
}

std::uint32_t lowerCodePoint(std::uint32_t c) {
    if (c >= 'A' && c <= 'Z')
        return c + 0x20;
    if (c >= 0x0410 && c <= 0x042F) // А..Я
        return c + 0x20;
    if (c >= 0x0400 && c <= 0x040F) // Ѐ..Џ, with Є, І, Ї
        return c + 0x50;
    if (c == 0x0490) // Ґ
        return 0x0491;
    return c;
}

bool isSpace(std::uint32_t c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x00A0 ||
           c == 0x2007 || c == 0x202F || c == 0xFEFF;
}

// --------------------------------------------------------------------------- presets

struct Pattern {
    const char *text; // normalised
    Control control;
};

// DeepStateMap raw snapshots (deepstatemap.live/api/history, archived 2022-04 .. 2025-08): the
// status is written into `name`, in a vocabulary that drifted. First match wins, so the order
// matters: Ukrainian territory occupied before 2022 is named, not given a status; DeepState's
// annotations of Russian-held territory outside Ukraine also say "occupied" and must not count;
// a doubtful liberation ("начебто звільнено") is not a liberation.
constexpr Pattern kDeepStateRawNames[] = {
    // Occupied Ukraine named by territory (2014 onwards): Donbas, Crimea, Tuzla Island.
    {"ордло", Control::Hostile},
    {"cadr and calr", Control::Hostile},
    {"geojson.territories.ordlo", Control::Hostile},
    {"крим", Control::Hostile},
    {"crimea", Control::Hostile},
    {"тузла", Control::Hostile},
    {"tuzla", Control::Hostile},
    // Outside Ukraine (Moldova, Georgia, and DeepState's historical claims on Russian territory):
    // not Russian-occupied Ukraine. Add a Russia layer to treat Russia itself as hostile.
    {"придністров", Control::Other},
    {"transnistria", Control::Other},
    {"абхаз", Control::Other},
    {"abkhazia", Control::Other},
    {"цхінвал", Control::Other},
    {"tskhinval", Control::Other},
    {"петсамо", Control::Other},
    {"petsamo", Control::Other},
    {"салла", Control::Other},
    {"salla", Control::Other},
    {"печорськ", Control::Other},
    {"pechorsk", Control::Other},
    {"латві", Control::Other},
    {"latvia", Control::Other},
    {"естоні", Control::Other},
    {"estonia", Control::Other},
    {"пруссі", Control::Other},
    {"prussia", Control::Other},
    {"карелі", Control::Other},
    {"karelia", Control::Other},
    {"ічкері", Control::Other},
    {"ichkeria", Control::Other},
    {"куриль", Control::Other},
    {"kuril", Control::Other},
    // Grey zones and unknown status.
    {"geojson.status.unknown", Control::Contested},
    {"статус невідомий", Control::Contested},
    {"unknown status", Control::Contested},
    {"під питанням", Control::Contested},
    {"contested", Control::Contested},
    {"contensed", Control::Contested}, // sic, 2022-2023
    {"невідомо", Control::Contested},
    {"начебто", Control::Contested}, // "supposedly liberated ... needs confirmation"
    // Liberated.
    {"geojson.status.dismissed", Control::Liberated},
    {"звільнено", Control::Liberated},
    {"liberated", Control::Liberated},
    {"taken back", Control::Liberated},
    {"recaptured", Control::Liberated},
    {"орки відсутні", Control::Liberated}, // "no orcs" (2022-04-03)
    // Occupied.
    {"geojson.status.occupied", Control::Hostile},
    {"окупован", Control::Hostile}, // окуповано, окупована, окуповані, окупований
    {"occupied", Control::Hostile},
    {"under occupation", Control::Hostile},
    {"зайняті ворогом", Control::Hostile}, // "taken by the enemy"
};

// When the name carries no status (Snake Island, "Polygon 11", a road, a bare date), DeepState's
// own fill colour says what the map showed.
constexpr Pattern kDeepStateRawFills[] = {
    {"#a52714", Control::Hostile},                                    // occupied
    {"#880e4f", Control::Hostile},                                    // Crimea, ORDLO (occupied since 2014)
    {"#000000", Control::Hostile},                                    // Crimea, ORDLO, Tuzla in 2022
    {"#0f9d58", Control::Liberated},                                  // liberated
    {"#0288d1", Control::Liberated},                                  // liberated (2022 colour)
    {"#01579b", Control::Liberated}, {"#bcaaa4", Control::Contested}, // unknown / contested
    {"#bdbdbd", Control::Contested}, {"#ff5252", Control::Other},     // territories outside Ukraine
};

constexpr const char *kDeepStateRaw = "deepstate-raw";
constexpr const char *kDeepStateDaily = "deepstate-daily";

template <std::size_t N> const Pattern *firstMatch(const std::string &normalised, const Pattern (&table)[N]) {
    for (const auto &p : table)
        if (normalised.find(p.text) != std::string::npos)
            return &p;
    return nullptr;
}

std::string lowerAscii(std::string s) {
    for (auto &c : s)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// Field names that hold a control status by convention.
constexpr const char *kStatusLikeFields[] = {"status",     "control",  "controlled_by",
                                             "occupation", "occupied", "situation"};

std::string layerWord(const model::LayerSpec &spec) {
    return spec.role == model::LayerRole::Front ? "front" : "hostile";
}

std::string listCounts(const std::map<std::string, std::size_t> &counts, std::size_t limit = 12) {
    std::vector<std::pair<std::string, std::size_t>> v(counts.begin(), counts.end());
    std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    std::string out;
    for (std::size_t i = 0; i < v.size() && i < limit; ++i)
        out += (out.empty() ? "" : ", ") + std::string("'") + normalizeStatus(v[i].first) + "' (" +
               std::to_string(v[i].second) + ")";
    if (v.size() > limit)
        out += ", and " + std::to_string(v.size() - limit) + " more";
    return out.empty() ? "none" : out;
}

} // namespace

const char *controlName(Control c) {
    switch (c) {
    case Control::Hostile:
        return "hostile";
    case Control::Contested:
        return "contested";
    case Control::Liberated:
        return "liberated";
    case Control::Other:
        break;
    }
    return "other";
}

std::string normalizeStatus(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    bool space = false;
    for (std::size_t i = 0; i < value.size();) {
        const std::uint32_t c = nextCodePoint(value, i);
        if (isSpace(c)) {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        appendUtf8(out, lowerCodePoint(c));
    }
    return out;
}

bool statusMatches(std::string_view value, const std::vector<std::string> &patterns) {
    const std::string v = normalizeStatus(value);
    return std::any_of(patterns.begin(), patterns.end(), [&](const std::string &p) {
        const std::string n = normalizeStatus(p);
        return !n.empty() && v.find(n) != std::string::npos;
    });
}

const std::vector<PresetInfo> &controlPresets() {
    static const std::vector<PresetInfo> presets = {
        {kDeepStateRaw, "DeepStateMap raw snapshots: status in `name` (Ukrainian, then bilingual, then "
                        "geoJSON.status.*), style colour in `fill` when the name gives none"},
        {kDeepStateDaily, "DeepStateMap daily occupied-area files (cyterat/deepstate-map-data): every "
                          "polygon is occupied; no attributes"},
    };
    return presets;
}

bool isControlPreset(const std::string &name) {
    const auto &p = controlPresets();
    return std::any_of(p.begin(), p.end(), [&](const PresetInfo &i) { return name == i.name; });
}

std::string controlPresetNames() {
    std::string out;
    for (const auto &p : controlPresets())
        out += (out.empty() ? "" : ", ") + std::string(p.name);
    return out;
}

// --------------------------------------------------------------------------- ControlReader

ControlReader::ControlReader(const model::Layer &layer, const model::LayerSpec &spec)
    : m_layer(layer), m_spec(spec) {
    if (!spec.preset.empty() && !isControlPreset(spec.preset))
        throw InputError(layer.describe() + ": unknown preset '" + spec.preset + "' (" +
                         controlPresetNames() + ")");
    if (spec.preset == kDeepStateRaw) {
        m_status = layer.fieldIndex("name");
        if (m_status < 0)
            throw InputError(
                layer.describe() + ": preset '" + spec.preset +
                "' reads the status from a field 'name', which it lacks; fields are: " + layer.fieldNames());
        m_fill = layer.fieldIndex("fill");
        return;
    }
    if (!spec.preset.empty() || spec.statusField.empty())
        return;
    m_status = layer.fieldIndex(spec.statusField);
    if (m_status < 0)
        throw InputError(layer.describe() + ": no field '" + spec.statusField +
                         "' (its status_field); fields are: " + layer.fieldNames());
}

std::string ControlReader::statusOf(const model::Feature &f) const {
    if (m_status < 0 || std::size_t(m_status) >= f.attributes.size())
        return {};
    return model::toString(f.attributes[std::size_t(m_status)]);
}

ControlReader::Reading ControlReader::read(const model::Feature &f) const {
    if (m_spec.preset == kDeepStateRaw) {
        if (const Pattern *p = firstMatch(normalizeStatus(statusOf(f)), kDeepStateRawNames))
            return {p->control, true};
        if (m_fill >= 0 && std::size_t(m_fill) < f.attributes.size())
            if (const Pattern *p = firstMatch(lowerAscii(model::toString(f.attributes[std::size_t(m_fill)])),
                                              kDeepStateRawFills))
                return {p->control, true};
        // Unknown is not safe: an unreadable status counts as contested, and is reported.
        return {Control::Contested, false};
    }
    if (m_status < 0)
        return {Control::Hostile, true};
    const std::string status = statusOf(f);
    if (statusMatches(status, m_spec.contestedStatuses))
        return {Control::Contested, true};
    if (m_spec.hostileStatuses.empty() || statusMatches(status, m_spec.hostileStatuses))
        return {Control::Hostile, true};
    return {Control::Other, true};
}

ControlCensus controlCensus(const model::Layer &layer, const model::LayerSpec &spec) {
    const ControlReader reader(layer, spec);
    ControlCensus c;
    for (const auto &f : layer.features) {
        const auto r = reader.read(f);
        const std::string status = normalizeStatus(reader.statusOf(f));
        ++c.seen[status];
        if (!r.placed)
            ++c.unplaced[status];
        switch (r.control) {
        case Control::Hostile:
            ++c.hostile;
            break;
        case Control::Contested:
            ++c.contested;
            break;
        case Control::Liberated:
            ++c.liberated;
            break;
        case Control::Other:
            ++c.other;
            break;
        }
    }
    return c;
}

namespace {

// Generic words (beyond DeepState's vocabulary) for territory that is not hostile-controlled.
constexpr const char *kNotHostileWords[] = {"grey zone", "gray zone", "not occupied", "unoccupied",
                                            "ukrainian control"};

bool readsNotHostile(const std::string &value) {
    const std::string v = normalizeStatus(value);
    const Pattern *p = firstMatch(v, kDeepStateRawNames);
    if (p && (p->control == Control::Liberated || p->control == Control::Contested))
        return true;
    return std::any_of(std::begin(kNotHostileWords), std::end(kNotHostileWords),
                       [&](const char *w) { return v.find(w) != std::string::npos; });
}

// A field that sorts the features into classes although the spec sets no filter, so that
// counting every feature as hostile would be wrong: a status-like name with more than one
// value, or any text field with a value that reads as liberated, contested or unknown.
std::string statusLikeField(const model::Layer &layer) {
    for (const char *name : kStatusLikeFields) {
        const int i = layer.fieldIndex(name);
        if (i < 0)
            continue;
        std::set<std::string> values;
        for (const auto &f : layer.features)
            if (std::size_t(i) < f.attributes.size())
                values.insert(normalizeStatus(model::toString(f.attributes[std::size_t(i)])));
        if (values.size() > 1)
            return layer.fields[std::size_t(i)].name;
    }
    for (std::size_t i = 0; i < layer.fields.size(); ++i) {
        if (layer.fields[i].type != model::FieldType::String)
            continue;
        for (const auto &f : layer.features)
            if (i < f.attributes.size() && readsNotHostile(model::toString(f.attributes[i])))
                return layer.fields[i].name;
    }
    return {};
}

} // namespace

void checkControlLayer(const model::Layer &layer, const model::LayerSpec &spec,
                       std::vector<std::string> &warnings) {
    const bool filtered = !spec.preset.empty() || !spec.statusField.empty();
    if (!filtered || spec.preset == kDeepStateDaily) {
        const std::string field = statusLikeField(layer);
        if (!field.empty()) {
            ControlCensus values;
            const int i = layer.fieldIndex(field);
            for (const auto &f : layer.features)
                ++values.seen[normalizeStatus(model::toString(f.attributes[std::size_t(i)]))];
            throw InputError(layer.describe() + ": field '" + field +
                             "' looks like a control status (values: " + listCounts(values.seen, 6) + ")" +
                             (spec.preset.empty()
                                  ? ", but the layer has no status filter, so every feature would count as "
                                  : ", but preset '" + spec.preset + "' counts every feature as ") +
                             "hostile, liberated areas included. Give it a filter: preset = \"" +
                             kDeepStateRaw + "\" (--hostile-preset " + kDeepStateRaw +
                             ") for DeepState, or status_field and " +
                             "hostile_statuses (--status-field, --hostile-statuses)");
        }
    }
    const ControlCensus c = controlCensus(layer, spec);
    if (c.hostile == 0 && !spec.allowEmpty) {
        std::string what = filtered ? "after its filter (" +
                                          (spec.preset.empty() ? "status_field '" + spec.statusField + "'"
                                                               : "preset '" + spec.preset + "'") +
                                          ")"
                                    : "";
        throw InputError(
            layer.describe() + ": this " + layerWord(spec) + " layer contributes no hostile feature " + what +
            "; " + std::to_string(layer.features.size()) + " features, status values seen: " +
            (filtered ? listCounts(c.seen) : std::string("none (no status field)")) +
            ". Fix hostile_statuses (--hostile-statuses), use a preset, or set allow_empty = true "
            "(--allow-empty) if an empty layer is intended");
    }
    if (!c.unplaced.empty()) {
        std::size_t n = 0;
        for (const auto &[v, k] : c.unplaced)
            n += k;
        warnings.push_back(layer.describe() + ": preset '" + spec.preset + "' cannot place " +
                           std::to_string(n) +
                           " feature(s) by their status; they count as contested: " + listCounts(c.unplaced));
    }
}

// --------------------------------------------------------------------------- UsabilityReader

UsabilityReader::UsabilityReader(const model::Layer &layer, const model::LayerSpec *spec) : m_spec(spec) {
    if (spec && !spec->statusField.empty()) {
        m_status = layer.fieldIndex(spec->statusField);
        if (m_status < 0)
            throw InputError(layer.describe() + ": no field '" + spec->statusField +
                             "' (its status_field); fields are: " + layer.fieldNames());
    }
    const std::string name = spec && !spec->nameField.empty() ? spec->nameField : "name";
    m_name = layer.fieldIndex(name);
    if (m_name < 0 && spec && !spec->nameField.empty())
        throw InputError(layer.describe() + ": no field '" + name +
                         "' (its name_field); fields are: " + layer.fieldNames());
}

std::string UsabilityReader::statusOf(const model::Feature &f) const {
    if (m_status < 0 || std::size_t(m_status) >= f.attributes.size())
        return {};
    return model::toString(f.attributes[std::size_t(m_status)]);
}

bool UsabilityReader::unusable(const model::Feature &f) const {
    return m_status >= 0 && statusMatches(statusOf(f), m_spec->unusableStatuses);
}

std::string UsabilityReader::nameOf(const model::Feature &f) const {
    if (m_name < 0 || std::size_t(m_name) >= f.attributes.size())
        return {};
    return model::toString(f.attributes[std::size_t(m_name)]);
}

} // namespace orefront::analysis
