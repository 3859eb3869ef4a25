// Series layers: globbing dated snapshot files, reading feature dates, and resolving a
// scenario at a date.
#include "orefront/io/series_io.hpp"

#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>

namespace orefront::io {

namespace fs = std::filesystem;
using model::Date;
using model::SeriesForm;

namespace {

std::string layerName(const model::LayerSpec &spec) {
    return "layer '" + spec.id + "'";
}

std::vector<Snapshot> globSnapshots(const model::LayerSpec &spec, const std::string &baseDir) {
    const std::string resolved = resolveSource(spec.source, baseDir);
    const std::size_t bar = resolved.find('|');
    const std::string pattern = resolved.substr(0, bar);
    const std::string suffix = bar == std::string::npos ? "" : resolved.substr(bar);
    if (spec.datePattern.empty())
        throw InputError(layerName(spec) + ": series = \"snapshots\" needs date_pattern (e.g. "
                                           "\"deepstatemap_data_%Y%m%d\")");
    glob_t g{};
    const int rc = ::glob(pattern.c_str(), 0, nullptr, &g);
    std::vector<std::string> files(g.gl_pathv, g.gl_pathv + (rc == 0 ? g.gl_pathc : 0));
    globfree(&g);
    if (files.empty())
        throw InputError(layerName(spec) + ": source '" + pattern + "' matches no file");
    std::map<Date, std::string> byDate;
    for (const auto &file : files) {
        std::optional<Date> d;
        try {
            d = model::dateFromName(fs::path(file).filename().string(), spec.datePattern);
        } catch (const std::invalid_argument &e) {
            throw InputError(layerName(spec) + ": " + e.what());
        }
        if (!d)
            throw InputError(layerName(spec) + ": file '" + file + "' has no date in its name matching " +
                             "date_pattern '" + spec.datePattern + "'");
        const auto [it, added] = byDate.emplace(*d, file);
        if (!added)
            throw InputError(layerName(spec) + ": files '" + it->second + "' and '" + file +
                             "' have the same date, " + d->iso() + " (one snapshot per date)");
    }
    // A relative glob gives relative sources, so reports show them as the scenario wrote them.
    const std::string written = spec.source.substr(0, spec.source.find('|'));
    const bool relative = fs::path(written).is_relative() && !baseDir.empty();
    std::vector<Snapshot> out;
    for (const auto &[d, file] : byDate) {
        const std::string name = fs::path(file).filename().string();
        out.push_back({d, (relative ? (fs::path(written).parent_path() / name).string() : file) + suffix});
    }
    return out;
}

std::optional<Date> featureDate(const model::Layer &layer, const model::Feature &f, int field,
                                const std::string &fieldName, bool allowEmpty) {
    const std::string text = model::toString(f.attributes[static_cast<std::size_t>(field)]);
    if (allowEmpty && text.find_first_not_of(" \t") == std::string::npos)
        return std::nullopt;
    const auto d = model::parseDateValue(text);
    if (!d)
        throw InputError(layer.describe() + ", feature " + std::to_string(f.fid) + ": field '" + fieldName +
                         "' holds '" + text + "', which is not a date (YYYY-MM-DD)");
    return d;
}

int requireField(const model::Layer &layer, const std::string &field, const char *key) {
    if (field.empty())
        throw InputError(layer.describe() + ": series needs " + key);
    const int i = layer.fieldIndex(field);
    if (i < 0)
        throw InputError(layer.describe() + ": no field '" + field + "' (" + key +
                         "; it has: " + layer.fieldNames() + ")");
    return i;
}

} // namespace

bool isUnresolvedSeries(const model::LayerSpec &spec) {
    return spec.series == SeriesForm::Snapshots || (spec.series != SeriesForm::None && !spec.date);
}

bool hasSeries(const model::Scenario &scenario) {
    return std::any_of(scenario.layers.begin(), scenario.layers.end(),
                       [](const model::LayerSpec &l) { return l.series != SeriesForm::None; });
}

std::vector<Snapshot> featureSnapshots(const model::Layer &layer, const model::LayerSpec &spec) {
    std::set<Date> dates;
    if (spec.series == SeriesForm::DateField) {
        const int field = requireField(layer, spec.dateField, "date_field");
        for (const auto &f : layer.features)
            dates.insert(*featureDate(layer, f, field, spec.dateField, false));
    } else if (spec.series == SeriesForm::ValidRange) {
        const int from = requireField(layer, spec.validFromField, "valid_from_field");
        const int to = requireField(layer, spec.validToField, "valid_to_field");
        for (const auto &f : layer.features) {
            const Date a = *featureDate(layer, f, from, spec.validFromField, false);
            dates.insert(a);
            if (const auto b = featureDate(layer, f, to, spec.validToField, true)) {
                if (*b < a)
                    throw InputError(layer.describe() + ", feature " + std::to_string(f.fid) + ": " +
                                     spec.validToField + " " + b->iso() + " is before " +
                                     spec.validFromField + " " + a.iso());
                dates.insert(b->addDays(1));
            }
        }
    }
    std::vector<Snapshot> out;
    for (const Date d : dates)
        out.push_back({d, spec.source});
    return out;
}

std::vector<Snapshot> layerSnapshots(const model::LayerSpec &spec, const std::string &baseDir) {
    if (spec.series == SeriesForm::Snapshots)
        return globSnapshots(spec, baseDir);
    if (spec.series == SeriesForm::None)
        return {};
    model::LayerSpec plain = spec;
    plain.series = SeriesForm::None;
    plain.date.reset();
    std::vector<std::string> warnings;
    return featureSnapshots(loadLayer(plain, baseDir, warnings), spec);
}

std::vector<Date> seriesDates(const model::Scenario &scenario) {
    std::set<Date> dates;
    for (const auto &l : scenario.layers)
        for (const auto &s : layerSnapshots(l, scenario.baseDir))
            dates.insert(s.date);
    return {dates.begin(), dates.end()};
}

const Snapshot &snapshotAt(const std::vector<Snapshot> &snapshots, Date date, const model::LayerSpec &spec) {
    auto it = std::upper_bound(snapshots.begin(), snapshots.end(), date,
                               [](Date d, const Snapshot &s) { return d < s.date; });
    if (it == snapshots.begin())
        throw InputError(layerName(spec) + ": " + date.iso() + " is before its first snapshot, " +
                         (snapshots.empty()
                              ? std::string("(none)")
                              : snapshots.front().date.iso() + " ('" + snapshots.front().source + "')"));
    return *(it - 1);
}

std::optional<Date> situationDate(const model::Scenario &scenario) {
    if (scenario.date)
        if (auto d = Date::parseIso(*scenario.date))
            return d;
    const auto dates = seriesDates(scenario);
    if (dates.empty())
        return std::nullopt;
    return dates.back();
}

model::Scenario scenarioAt(const model::Scenario &scenario, Date date) {
    model::Scenario out = scenario;
    out.date = date.iso();
    for (auto &l : out.layers) {
        if (l.series == SeriesForm::None)
            continue;
        const auto snapshots = layerSnapshots(l, scenario.baseDir);
        const Snapshot &s = snapshotAt(snapshots, date, l);
        if (l.series == SeriesForm::Snapshots) {
            l.series = SeriesForm::None;
            l.source = s.source;
            l.datePattern.clear();
            l.date = s.date.iso();
        } else {
            // valid_range: the features in force on the day itself; date_field: the snapshot's date.
            l.date = (l.series == SeriesForm::ValidRange ? date : s.date).iso();
        }
    }
    return out;
}

void filterToDate(model::Layer &layer, const model::LayerSpec &spec, Date date) {
    std::vector<model::Feature> kept;
    if (spec.series == SeriesForm::DateField) {
        const int field = requireField(layer, spec.dateField, "date_field");
        for (auto &f : layer.features)
            if (*featureDate(layer, f, field, spec.dateField, false) == date)
                kept.push_back(std::move(f));
    } else if (spec.series == SeriesForm::ValidRange) {
        const int from = requireField(layer, spec.validFromField, "valid_from_field");
        const int to = requireField(layer, spec.validToField, "valid_to_field");
        for (auto &f : layer.features) {
            const Date a = *featureDate(layer, f, from, spec.validFromField, false);
            const auto b = featureDate(layer, f, to, spec.validToField, true);
            if (a <= date && (!b || date <= *b))
                kept.push_back(std::move(f));
        }
    } else {
        return;
    }
    layer.features = std::move(kept);
    layer.date = date.iso();
    layer.computeBounds();
}

} // namespace orefront::io
