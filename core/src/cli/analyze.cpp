#include "orefront/cli/analyze.hpp"
#include "orefront/cli/progress_bar.hpp"

#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/control.hpp"
#include "orefront/analysis/country_index.hpp"
#include "orefront/analysis/rings.hpp"
#include "orefront/analysis/whatif.hpp"
#include "orefront/export/report_writer.hpp"
#include "orefront/io/annotation_store.hpp"
#include "orefront/io/pg_source.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/series_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/rules/batches.hpp"
#include "orefront/rules/rules.hpp"
#include "orefront/rules/warnings.hpp"
#include "orefront/rules/what_if.hpp"

#include <CLI/CLI.hpp>

#include <malloc.h>
#include <sys/resource.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <future>
#include <iomanip>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <string_view>
#include <thread>
#include <variant>

namespace orefront::cli {

namespace fs = std::filesystem;

CLI::App *addAnalyzeCommand(CLI::App &app, AnalyzeOptions &o) {
    auto *cmd =
        app.add_subcommand("analyze", "Flag every deposit investable, marginal or not, and write the report");
    cmd->add_option("scenario", o.scenario, "Scenario TOML (optional when the layers are given)");
    cmd->add_option("--deposits", o.deposits, "Deposits layer (any GDAL vector source)");
    cmd->add_option("--hostile", o.hostile, "Hostile-controlled territory layer (repeatable)");
    cmd->add_option("--hostile-preset", o.hostilePreset,
                    "How --hostile layers name their status: " + analysis::controlPresetNames() +
                        " (see README, Hostile layers)");
    cmd->add_option("--status-field", o.statusField, "Field of the --hostile layers that holds the status");
    cmd->add_option("--hostile-statuses", o.hostileStatuses,
                    "Status values that are hostile-controlled, comma-separated (substring match)")
        ->delimiter(',')
        ->allow_extra_args(false);
    cmd->add_option("--contested-statuses", o.contestedStatuses,
                    "Status values that are contested, comma-separated (substring match)")
        ->delimiter(',')
        ->allow_extra_args(false);
    cmd->add_flag("--allow-empty", o.allowEmpty,
                  "Accept --hostile layers that contribute no hostile feature");
    cmd->add_option("--front", o.front, "Front-line layer (repeatable)");
    cmd->add_option("--ports", o.ports, "Sea ports layer");
    cmd->add_option("--rail", o.rail, "Rail hubs or lines layer");
    cmd->add_option("--power", o.power, "Power plants layer");
    cmd->add_option("--boundaries", o.boundaries,
                    "World boundaries layer: the deposits' jurisdiction by location (ISO 3166-1 alpha-3 "
                    "per polygon; default: the bundled Natural Earth admin-0 countries, de jure)");
    cmd->add_option("--rings", o.rings, "Range rings, km, comma-separated (default 20,40,80)");
    cmd->add_option("--standoff", o.standoffKm, "Standoff distance from hostile positions, km (default 40)");
    cmd->add_option("--grade-cutoff", o.gradeCutoffPct, "Commercial TREO grade cut-off, % (default 2)");
    cmd->add_option("--line-of-contact", o.lineOfContactKm,
                    "Infrastructure this close to hostile territory or a front line cannot serve a "
                    "deposit, km (default 2)");
    cmd->add_option("--date", o.date,
                    "Situation date, YYYY-MM-DD: each dated front/hostile series uses its snapshot in force "
                    "(the latest on or before it; default: the scenario's date)");
    cmd->add_option("--whatif", o.whatif,
                    "Judge against this named what-if front (a [[whatif]] table of the scenario or a "
                    "hypothetical_front annotation) instead of the real front");
    cmd->add_option("-o,--output", o.output,
                    "Report file, or a PostgreSQL database (PG:service=NAME): written as a table, swapped in "
                    "whole")
        ->required();
    cmd->add_option("--layer", o.layer,
                    "Table of a PG: report (default orefront_report; schema.table allowed)");
    cmd->add_option("--format", o.format, "geojson, csv or gpkg (default: from the extension)")
        ->check(CLI::IsMember({"geojson", "csv", "gpkg"}));
    cmd->add_flag("--with-rings", o.withRings, "Add the range-ring polygons to the report");
    cmd->add_option("--annotations", o.annotations,
                    "Annotation store (default: the scenario's, SCENARIO.annotations.gpkg, when it exists)");
    cmd->add_flag("--no-annotations", o.noAnnotations,
                  "Leave out annotations, their what-if hostile markings and deposit notes");
    cmd->add_flag("-q,--quiet", o.quiet, "Print only errors");
    cmd->add_option("--threads", o.threads, "Worker threads (default: all cores)");
    return cmd;
}

int reportError(std::ostream &err, const char *command) {
    const std::string prefix = std::string("orefront ") + command + ": error: ";
    try {
        throw;
    } catch (const UsageError &e) {
        err << prefix << e.what() << "\n";
        return kUsage;
    } catch (const InputError &e) {
        err << prefix << e.what() << "\n";
        return kBadInput;
    } catch (const GeometryError &e) {
        err << prefix << e.what() << "\n";
        return kGeometry;
    } catch (const OutputError &e) {
        err << prefix << e.what() << "\n";
        return kOutput;
    } catch (const std::exception &e) {
        err << prefix << "internal error: " << e.what() << "\n";
        return kInternal;
    }
}

namespace {

std::string absoluteSource(const std::string &s) {
    // Command-line paths are relative to the working directory, not to the scenario.
    return io::resolveSource(s, fs::current_path().string());
}

// "20,40,80" -> {20, 40, 80}. An empty list, an empty item ("20,,40") or anything that is
// not a finite positive number is an error, never the defaults.
std::vector<double> parseRings(const std::string &text) {
    std::vector<double> out;
    if (text.find_first_not_of(" \t") == std::string::npos)
        throw UsageError("--rings: no distances given (e.g. --rings 20,40,80; leave the option out for the "
                         "scenario's rings)");
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        try {
            std::size_t used = 0;
            const double v = std::stod(item, &used);
            if (used != item.size() || !std::isfinite(v) || !(v > 0))
                throw std::invalid_argument(item);
            out.push_back(v);
        } catch (const std::exception &) {
            throw UsageError("--rings: '" + item +
                             "' is not a positive distance in km (e.g. --rings 20,40,80)");
        }
    }
    if (text.back() == ',')
        throw UsageError("--rings: '" + text + "' ends with an empty item (e.g. --rings 20,40,80)");
    return out;
}

// A threshold from the command line: a finite number, 0 or more.
double nonNegative(double v, const char *option, const char *unit) {
    if (!std::isfinite(v) || v < 0)
        throw UsageError(std::string(option) + ": " + std::to_string(v) + " is not a " + unit +
                         ", 0 or more");
    return v;
}

// The report must not overwrite one of its own inputs (e.g. -o deposits.geojson), nor may a
// CSV report's REPORT.prj sidecar overwrite a Shapefile's (-o deposits.csv beside deposits.shp).
void checkOutputIsNoInput(const model::Scenario &s, const std::string &output, exporting::Format format) {
    if (format == exporting::Format::Postgres)
        return; // a table, swapped in after every input was read
    auto canonical = [](const std::string &p) {
        std::error_code ec;
        const fs::path c = fs::weakly_canonical(fs::absolute(p), ec);
        return ec ? fs::path() : c;
    };
    std::vector<fs::path> written = {canonical(output)};
    if (format == exporting::Format::Csv)
        for (const auto &side : {exporting::csvTypesPath(output), exporting::csvPrjPath(output),
                                 exporting::csvMetadataPath(output)})
            written.push_back(canonical(side));
    for (const auto &l : s.layers) {
        const std::string resolved = io::resolveSource(l.source, s.baseDir);
        const std::string path = resolved.substr(0, resolved.find('|'));
        if (path.rfind("PG:", 0) == 0 || path.rfind("/vsi", 0) == 0)
            continue;
        const fs::path input = canonical(path);
        for (const auto &w : written)
            if (!w.empty() && (w == input || w == fs::path(input).replace_extension(".prj")))
                throw UsageError("-o " + output + ": would overwrite '" + w.string() +
                                 "', an input of layer '" + l.id + "'");
    }
}

// --format overrides an extension that names no format (-o report.dat), never one that names
// another: a CSV written as report.geojson would be misread by whoever opens it.
void checkFormatMatchesExtension(const std::string &formatName, const std::string &output,
                                 exporting::Format format) {
    if (io::isPgSource(output)) {
        if (!formatName.empty())
            throw UsageError("--format " + formatName +
                             ": a PG: output is written as a database table; leave --format out");
        return;
    }
    const std::string ext = fs::path(output).extension().string();
    if (formatName.empty() || ext.empty())
        return;
    std::optional<exporting::Format> byExtension;
    try {
        byExtension = exporting::formatFrom("", output);
    } catch (const InputError &) {
        return; // not a report extension: --format decides
    }
    if (*byExtension != format)
        throw UsageError("--format " + formatName + " -o " + output + ": the extension '" + ext +
                         "' says another format; use a matching extension (or leave --format out)");
}

void replaceLayers(model::Scenario &s, model::LayerRole role, const std::vector<std::string> &sources,
                   std::map<std::string, std::string> &typed) {
    if (sources.empty())
        return;
    std::erase_if(s.layers, [&](const model::LayerSpec &l) { return l.role == role; });
    int n = 0;
    for (const auto &src : sources) {
        model::LayerSpec spec;
        spec.role = role;
        spec.id = std::string(model::roleName(role)) + (n ? std::to_string(n) : "");
        spec.name = io::redactSource(src); // shown in messages and the viewer: no password
        spec.source = absoluteSource(src);
        typed[spec.id] = src;
        s.layers.push_back(spec);
        ++n;
    }
}

// The --hostile-preset/--status-field/... options, checked as the scenario reader checks the
// TOML keys they mirror, onto every --hostile layer.
void applyHostileFilter(model::Scenario &s, const AnalyzeOptions &o) {
    const bool any = !o.hostilePreset.empty() || !o.statusField.empty() || !o.hostileStatuses.empty() ||
                     !o.contestedStatuses.empty() || o.allowEmpty;
    if (!any)
        return;
    if (o.hostile.empty())
        throw InputError("--hostile-preset, --status-field, --hostile-statuses, --contested-statuses and "
                         "--allow-empty apply to the --hostile layers; give --hostile SRC");
    if (!o.hostilePreset.empty() && !analysis::isControlPreset(o.hostilePreset))
        throw InputError("--hostile-preset: unknown preset '" + o.hostilePreset + "' (" +
                         analysis::controlPresetNames() + ")");
    if (!o.hostilePreset.empty() &&
        (!o.statusField.empty() || !o.hostileStatuses.empty() || !o.contestedStatuses.empty()))
        throw InputError("--hostile-preset " + o.hostilePreset +
                         " sets the status field and values; it cannot be combined with --status-field, "
                         "--hostile-statuses or --contested-statuses");
    if (o.statusField.empty() && (!o.hostileStatuses.empty() || !o.contestedStatuses.empty()))
        throw InputError("--hostile-statuses and --contested-statuses need --status-field (the field that "
                         "holds those values)");
    for (auto &l : s.layers) {
        if (l.role != model::LayerRole::Hostile)
            continue;
        l.preset = o.hostilePreset;
        l.statusField = o.statusField;
        l.hostileStatuses = o.hostileStatuses;
        l.contestedStatuses = o.contestedStatuses;
        l.allowEmpty = o.allowEmpty;
    }
}

// The scenario with the command line's layers and thresholds; `typed` gets the sources of the
// command line's layers as typed (for the report's provenance).
model::Scenario buildScenario(const AnalyzeOptions &o, std::map<std::string, std::string> &typed) {
    model::Scenario s = o.scenario.empty() ? io::defaultScenario() : io::loadScenario(o.scenario);
    auto one = [](const std::string &v) { return v.empty() ? std::vector<std::string>{} : std::vector{v}; };
    replaceLayers(s, model::LayerRole::Deposits, one(o.deposits), typed);
    replaceLayers(s, model::LayerRole::Hostile, o.hostile, typed);
    applyHostileFilter(s, o);
    replaceLayers(s, model::LayerRole::Front, o.front, typed);
    replaceLayers(s, model::LayerRole::Ports, one(o.ports), typed);
    replaceLayers(s, model::LayerRole::Rail, one(o.rail), typed);
    replaceLayers(s, model::LayerRole::Power, one(o.power), typed);
    replaceLayers(s, model::LayerRole::Boundaries, one(o.boundaries), typed);
    if (o.rings)
        s.thresholds.ringsKm = parseRings(*o.rings);
    if (o.standoffKm)
        s.thresholds.standoffKm = nonNegative(*o.standoffKm, "--standoff", "distance in km");
    if (o.gradeCutoffPct)
        s.thresholds.gradeCutoffPct = nonNegative(*o.gradeCutoffPct, "--grade-cutoff", "grade in %");
    if (o.lineOfContactKm)
        s.thresholds.lineOfContactKm = nonNegative(*o.lineOfContactKm, "--line-of-contact", "distance in km");

    if (!o.date.empty()) {
        const auto date = model::Date::parseIso(o.date);
        if (!date)
            throw UsageError("--date: '" + o.date + "' is not an ISO 8601 date (YYYY-MM-DD)");
        s = io::scenarioAt(s, *date);
    }

    const auto count = [&](model::LayerRole r) {
        return std::count_if(s.layers.begin(), s.layers.end(), [&](const auto &l) { return l.role == r; });
    };
    if (count(model::LayerRole::Deposits) == 0)
        throw InputError(o.scenario.empty()
                             ? "no deposits layer: give a scenario or --deposits SRC"
                             : "scenario '" + o.scenario + "' has no layer with role = \"deposits\"");
    if (count(model::LayerRole::Deposits) > 1)
        throw InputError("scenario '" + o.scenario + "' has more than one deposits layer");
    if (count(model::LayerRole::Hostile) + count(model::LayerRole::Front) == 0)
        throw InputError("no hostile-territory or front-line layer: give --hostile SRC or --front SRC, or a "
                         "scenario with one");
    return s;
}

using rules::jurisdictionCounts;

// Jurisdictions, commodities and grades the rules could not place.
void printJurisdictionSummary(std::ostream &out, const rules::Report &r) {
    auto total = [](const std::map<std::string, int> &m) {
        int n = 0;
        for (const auto &[k, v] : m)
            n += v;
        return n;
    };
    out << "unresolved country values: " << total(r.unresolvedCountries)
        << (r.unresolvedCountries.empty() ? "" : " (" + jurisdictionCounts(r.unresolvedCountries) + ")")
        << "\n";
    if (!r.notInTable.empty())
        out << "countries not in the jurisdictions table: " << total(r.notInTable) << " ("
            << jurisdictionCounts(r.notInTable) << ")\n";
    out << "jurisdiction mismatches (location decides): " << r.jurisdictionMismatches << "\n";
    out << "unknown grade: " << r.unknownGrade << "\n";
    if (!r.noCutoff.empty())
        out << "no cut-off for commodity: " << total(r.noCutoff) << " (" << jurisdictionCounts(r.noCutoff)
            << ")\n";
}

// The deposits whose verdict differs at the default thresholds, gathered batch by batch: the
// count, and the first 50 lines of the summary's list.
struct ChangedVerdicts {
    static constexpr std::size_t kListed = 50;
    std::size_t count = 0;
    std::string list;

    void add(const rules::Report &r, const rules::Report &defaults) {
        for (std::size_t i = 0; i < r.deposits.size(); ++i) {
            if (r.deposits[i].verdict == defaults.deposits[i].verdict)
                continue;
            if (++count <= kListed)
                list.append("  ")
                    .append(r.deposits[i].name)
                    .append(": ")
                    .append(rules::verdictName(defaults.deposits[i].verdict))
                    .append(" -> ")
                    .append(rules::verdictName(r.deposits[i].verdict))
                    .append("\n");
        }
    }
};

void printSummary(std::ostream &out, const model::Project &p, const rules::Report &r,
                  const ChangedVerdicts &changedVerdicts, std::size_t deposits, double measureS,
                  const std::string &output, const std::vector<exporting::LayerProvenance> &layers,
                  const std::string &table, double loadS, double rulesS, double writeS) {
    const model::Scenario &s = p.scenario;
    out << "scenario: " << s.name << (s.date ? " (" + *s.date + ")" : "") << "\n";
    out << "deposits: " << deposits << "\n";
    out << "verdicts:";
    for (const char *v : {"investable", "marginal", "not_investable"}) {
        auto it = r.byVerdict.find(v);
        out << "  " << v << " " << (it == r.byVerdict.end() ? 0 : it->second);
    }
    out << "\nby country:\n";
    for (const auto &[country, counts] : r.byCountry) {
        out << "  " << std::left << std::setw(8) << country;
        for (const char *v : {"investable", "marginal", "not_investable"}) {
            auto it = counts.find(v);
            out << "  " << v << " " << (it == counts.end() ? 0 : it->second);
        }
        out << "\n";
    }
    const std::size_t changed = changedVerdicts.count;
    printJurisdictionSummary(out, r);
    out << "changed verdict against the default thresholds: " << changed << "\n" << changedVerdicts.list;
    if (changed > 50)
        out << "  ... and " << changed - 50 << " more\n";
    char timing[160];
    std::snprintf(timing, sizeof timing, "time: load %.2f s, measure %.2f s, rules %.2f s, write %.2f s\n",
                  loadS, measureS, rulesS, writeS);
    const auto credits = exporting::attributions(layers);
    if (!credits.empty()) {
        out << "data:";
        for (const auto &c : credits)
            out << (&c == &credits.front() ? " " : "; ") << c;
        out << "\n";
    }
    out << timing << "report: " << io::redactSource(output)
        << (io::isPgSource(output) ? ", table " + table : std::string()) << "\n";
}

// The annotations analyze uses: --annotations SRC, else the scenario's store when it exists.
// nullopt: none (--no-annotations, no scenario, or no store yet).
std::optional<model::AnnotationSet> loadAnnotations(const AnalyzeOptions &o, const model::Scenario &s,
                                                    std::ostream &err) {
    if (o.noAnnotations)
        return std::nullopt;
    std::string source = o.annotations;
    if (source.empty()) {
        if (o.scenario.empty())
            return std::nullopt;
        source = io::defaultAnnotationStore(o.scenario, s.annotations);
        if (source.rfind("PG:", 0) != 0 && !fs::exists(source)) {
            if (!o.quiet)
                err << "orefront analyze: note: no annotation store at '" << source
                    << "' yet: no annotations, what-if markings or notes\n";
            return std::nullopt;
        }
    }
    return io::openAnnotationStore(source, false)->load();
}

void printWhatIf(std::ostream &out, const model::AnnotationSet &set, const rules::WhatIf &w) {
    out << "annotations: " << set.annotations.size() << ", deposit notes: " << set.notes.size()
        << ", counted as hostile (what-if): " << w.marked.size() << "\n";
    if (w.marked.empty())
        return;
    out << "changed verdict by the what-if annotations: " << w.changes.size() << "\n";
    auto label = [&](std::int64_t id) {
        const model::Annotation *a = set.find(id);
        return std::to_string(id) + (a ? " '" + a->label + "'" : std::string());
    };
    for (const auto &c : w.changes) {
        out << "  " << c.name << ": " << rules::verdictName(c.before) << " -> "
            << rules::verdictName(c.after);
        if (c.annotationIds.empty())
            out << " (only the marked annotations together)";
        for (std::size_t i = 0; i < c.annotationIds.size(); ++i)
            out << (i ? ", " : " (by annotation ") << label(c.annotationIds[i]);
        out << (c.annotationIds.empty() ? "" : ")") << "\n";
    }
}

double since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Deposits per batch: 16k, or OREFRONT_ANALYZE_BATCH (for the tests: the report is the same for
// every batch size). A batch's records (facts 176 B, verdicts about 250 B per deposit) are 7 MB,
// and two batches are in flight beside the measurement's indexes (16k rather than 32k since the
// write runs beside the measurement: 10 MB less peak at V = 200k); the CSV writer still formats
// a batch on two cores.
std::size_t batchSize() {
    if (const char *env = std::getenv("OREFRONT_ANALYZE_BATCH")) {
        char *end = nullptr;
        const unsigned long long v = std::strtoull(env, &end, 10);
        if (end == env || *end || v == 0)
            throw UsageError(std::string("OREFRONT_ANALYZE_BATCH: '") + env +
                             "' is not a positive number of deposits");
        return static_cast<std::size_t>(v);
    }
    return 16384;
}

// The facts of the deposits, read batch by batch (README, Streaming analyze).
struct FactsReader {
    const model::Layer &deposits;
    const model::LayerSpec &spec;
    const std::vector<model::Cutoff> &cutoffs;
    const analysis::CountryIndex *where;
    std::size_t batch;

    std::size_t size() const { return deposits.features.size(); }
    std::vector<rules::DepositFacts> read(std::size_t first, rules::FactsTally &tally) const {
        return rules::readFacts(deposits, spec, cutoffs, where, first, std::min(size(), first + batch),
                                tally);
    }
};

// rules::evaluateWithAnnotations() batch by batch: which deposits the annotations marked
// "counts as hostile" change the verdict of (`plain`: measured without them; `all`: with all),
// and which annotation alone does (one measure() per marked annotation, then the batches that
// hold a change only). The changes are in deposit order, as evaluateWithAnnotations() gives them.
std::vector<rules::AnnotationVerdictChange>
annotationChanges(const model::Scenario &scenario, const FactsReader &facts, const analysis::Inputs &in,
                  const model::AnnotationSet &set, const analysis::HostileAnnotations &marked,
                  const analysis::Measurements &plain, const analysis::Measurements &all, unsigned threads) {
    std::vector<rules::AnnotationVerdictChange> changes;
    rules::FactsTally unused; // the warnings come from tallyFacts()
    // The jurisdiction keys' kinds as one pass meets them (rules/batches.hpp); after the last
    // batch they serve for judging any batch again.
    rules::JurisdictionKeys keysBefore, keys;
    for (std::size_t first = 0; first < facts.size(); first += facts.batch) {
        const auto f = facts.read(first, unused);
        const rules::Report before = rules::evaluateBatch(scenario, f, plain, first, keysBefore);
        const rules::Report after = rules::evaluateBatch(scenario, f, all, first, keys);
        for (std::size_t k = 0; k < f.size(); ++k)
            if (after.deposits[k].verdict != before.deposits[k].verdict)
                changes.push_back({first + k,
                                   after.deposits[k].name,
                                   before.deposits[k].verdict,
                                   after.deposits[k].verdict,
                                   {}});
    }
    // Under each annotation alone, only the batches that hold a change are judged again.
    rules::attributeChanges(
        changes, marked, in, set, threads,
        [&](const analysis::Measurements &m, const std::vector<rules::AnnotationVerdictChange> &changed) {
            std::vector<rules::Verdict> v;
            for (std::size_t c = 0; c < changed.size();) {
                const std::size_t first = changed[c].deposit / facts.batch * facts.batch;
                const auto f = facts.read(first, unused);
                rules::JurisdictionKeys known = keys;
                const rules::Report r = rules::evaluateBatch(scenario, f, m, first, known);
                for (; c < changed.size() && changed[c].deposit < first + f.size(); ++c)
                    v.push_back(r.deposits[changed[c].deposit - first].verdict);
            }
            return v;
        });
    return changes;
}

// Raises the nice value of the calling thread only (Linux: the nice value is per thread, and
// threads it starts inherit it). Best effort: a failure leaves the priority as it was.
void lowerThreadPriority(int by) {
    errno = 0;
    const int now = getpriority(PRIO_PROCESS, 0);
    if (errno == 0)
        setpriority(PRIO_PROCESS, 0, std::min(19, now + by));
}

// The measurement running beside the rules and the write (README, Analyze, fourth round):
// analysis::measureInto() on a thread of its own, in blocks of the batch size, and how far it
// has come, which the judging thread waits for. The destructor stops the workers and joins.
class MeasureJob {
public:
    MeasureJob(const analysis::Inputs &in, std::size_t block, unsigned threads, model::Progress *progress)
        : m_progress(progress), m_total(in.deposits ? in.deposits->features.size() : 0) {
        model::startStage(m_progress, "measure", m_total);
        m_feed.block = block;
        m_feed.cancel = &m_cancel;
        m_feed.ready = [this] {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_ready = true;
            m_changed.notify_all();
        };
        m_feed.measured = [this](std::size_t n) {
            std::lock_guard<std::mutex> lock(m_mutex);
            if (m_progress)
                m_progress->add(n - m_measured);
            m_measured = n;
            m_changed.notify_all();
        };
        m_thread = std::thread([this, &in, threads] {
            // The measurement yields to the write: below this thread's priority, its workers (which
            // inherit it) leave the SQLite writer a core of its own on a 2-core machine, and still
            // take every cycle the writer does not use (it waits for measured batches).
            lowerThreadPriority(5);
            try {
                analysis::measureInto(in, m_out, m_feed, threads);
            } catch (...) {
                std::lock_guard<std::mutex> lock(m_mutex);
                m_error = std::current_exception();
                m_changed.notify_all();
            }
        });
    }
    ~MeasureJob() {
        m_cancel = true;
        m_thread.join();
    }
    MeasureJob(const MeasureJob &) = delete;
    MeasureJob &operator=(const MeasureJob &) = delete;

    // Whole once waitFor(size()) has returned; before that, deposits [0, n) of a waitFor(n).
    const analysis::Measurements &measurements() const { return m_out; }
    std::size_t size() const { return m_total; }
    // Until the indexes are built: Measurements::names and ::excluded are final.
    void waitReady() {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_changed.wait(lock, [&] { return m_ready || m_error; });
        if (m_error)
            std::rethrow_exception(m_error);
    }
    // Until deposits [0, n) are measured.
    void waitFor(std::size_t n) {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_changed.wait(lock, [&] { return m_measured >= n || m_error; });
        if (m_error)
            std::rethrow_exception(m_error);
    }
    // The progress is the writer's from now on (one stage at a time).
    void releaseProgress() {
        std::lock_guard<std::mutex> lock(m_mutex);
        model::finishStage(m_progress);
        m_progress = nullptr;
    }

private:
    model::Progress *m_progress;
    std::size_t m_total;
    analysis::Measurements m_out;
    analysis::MeasureFeed m_feed;
    std::atomic<bool> m_cancel{false};
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_ready = false;
    std::size_t m_measured = 0;
    std::exception_ptr m_error;
    std::thread m_thread; // last: started once every other member is
};

// The layers of a run whose process ends next (AnalyzeOptions::exitsAfter): a million features
// freed one by one took 30 ms on one core after the report was complete (issue 11). Held from a
// global, so that leak checkers see them as reachable, not leaked.
void keepUntilExit(std::vector<std::shared_ptr<const model::Layer>> layers) {
    static auto *kept = new std::vector<std::shared_ptr<const model::Layer>>();
    kept->insert(kept->end(), std::make_move_iterator(layers.begin()), std::make_move_iterator(layers.end()));
}

} // namespace

int runAnalyze(const AnalyzeOptions &o, std::ostream &out, std::ostream &err) {
    try {
        io::initGdal();
        const auto format = exporting::formatFrom(o.format, o.output);
        checkFormatMatchesExtension(o.format, o.output, format);
        if (!o.layer.empty() && format != exporting::Format::Postgres)
            throw UsageError("--layer " + o.layer + ": names the table of a PG: output; -o " + o.output +
                             " is a file");
        if (o.withRings && format == exporting::Format::Postgres)
            throw UsageError(
                "--with-rings: a PG: report holds the deposits only; write the rings to a GeoJSON "
                "or GeoPackage report");
        if (o.withRings && format == exporting::Format::Csv) {
            err << "orefront analyze: error: --with-rings needs a GeoJSON or GeoPackage report; a CSV "
                   "report has no geometry column for the ring polygons\n";
            return kUsage;
        }
        auto t0 = std::chrono::steady_clock::now();
        model::Progress progress;
        ProgressBar bar(progress, progressWanted(o.quiet));
        std::map<std::string, std::string> typedSources;
        const model::Scenario scenario = buildScenario(o, typedSources);
        checkOutputIsNoInput(scenario, o.output, format);
        model::Project project = io::loadProject(scenario, &progress);
        bar.clear();
        const std::optional<model::AnnotationSet> annotations = loadAnnotations(o, project.scenario, err);
        // --whatif: the project around that what-if front (README, What-if fronts).
        std::optional<model::WhatIf> whatifFront;
        if (!o.whatif.empty()) {
            whatifFront = analysis::findWhatIf(
                analysis::namedWhatIfs(project.scenario, annotations ? &*annotations : nullptr), o.whatif,
                project.scenario.name);
            project = analysis::applyWhatIf(project, *whatifFront, project.warnings);
        }
        for (const auto &w : project.warnings)
            err << "orefront analyze: warning: " << w << "\n";
        const double loadS = since(t0);

        // The jurisdiction lookup (the boundaries layer, the bundled one unless the scenario has
        // its own, and its country grid) is built on a second thread while the deposits are
        // measured: it needs nothing the measurement makes (issue 11: 0.2 s of serial time at 1M).
        struct Countries {
            std::vector<std::string> warnings;
            std::shared_ptr<const model::Layer> layer;
            std::unique_ptr<const analysis::CountryIndex> index;
        };
        std::future<Countries> countriesJob = std::async(std::launch::async, [&project] {
            Countries c;
            c.layer = io::boundariesLayer(project, c.warnings);
            const model::LayerSpec *spec = project.specOf(model::LayerRole::Boundaries);
            c.index =
                std::make_unique<const analysis::CountryIndex>(*c.layer, spec ? spec->isoField : "iso_a3");
            return c;
        });

        // The deposits are measured in batches in file order on a thread of their own, and each
        // batch is judged and written as soon as it is measured (README, Analyze, fourth round):
        // the write (SQLite, one thread) no longer waits for the whole measurement.
        const analysis::Inputs inputs = project.analysisInputs();
        // The warnings about the deposits that need no verdict (the facts' tally, the layer-wide
        // checks: duplicate names, ...) are found beside the measurement and printed before the
        // write starts: a run whose write fails shows them before its error.
        const model::LayerSpec &depositsSpec = *project.specOf(model::LayerRole::Deposits);
        std::future<rules::FactsTally> factsTally = std::async(std::launch::async, [&] {
            return rules::tallyFacts(*inputs.deposits, depositsSpec, project.scenario.cutoffs);
        });
        std::future<std::vector<std::string>> depositChecks = std::async(
            std::launch::async, [&] { return rules::depositWarnings(*inputs.deposits, depositsSpec); });
        // Measured in blocks of eight batches (128k deposits): spatial order within a block
        // warm-starts the distance queries, and 32k deposits are too sparse for that at V = 200k
        // (0.7 s more CPU).
        MeasureJob measuring(inputs, 8 * batchSize(), o.threads, &progress);
        const analysis::Measurements &plainMeasurements = measuring.measurements();
        measuring.waitReady();
        double measureS = since(t0);
        if (!o.quiet)
            for (const auto &x : plainMeasurements.excluded)
                err << "orefront analyze: note: " << x.layer << ": '" << x.name << "' is not used ("
                    << x.reason << ")\n";

        // The deposits stream through facts, rules and write in batches: per deposit, only the
        // layer and its measurements are kept whole (README, Streaming analyze).
        t0 = std::chrono::steady_clock::now();
        Countries located = countriesJob.get();
        std::vector<std::string> warnings = std::move(located.warnings);
        const std::shared_ptr<const model::Layer> boundaries = located.layer;
        const analysis::CountryIndex &countries = *located.index;
        const FactsReader facts{*inputs.deposits, depositsSpec, project.scenario.cutoffs, &countries,
                                batchSize()};
        const auto provenance = exporting::layerProvenance(project, typedSources, boundaries.get());
        // The what-if: annotations marked "counts as hostile" join the hostile positions.
        rules::WhatIf whatIf;
        const analysis::HostileAnnotations hostileAnnotations =
            analysis::withHostileAnnotations(inputs, annotations ? *annotations : model::AnnotationSet{});
        std::optional<analysis::Measurements> annotated;
        if (hostileAnnotations.layer) {
            measuring.waitFor(measuring.size()); // the what-if compares whole measurements
            whatIf.marked = hostileAnnotations.ids;
            annotated = analysis::measure(hostileAnnotations.inputs, o.threads);
            whatIf.changes = annotationChanges(project.scenario, facts, inputs, *annotations,
                                               hostileAnnotations, plainMeasurements, *annotated, o.threads);
        }
        const analysis::Measurements &m = annotated ? *annotated : plainMeasurements;
        model::Scenario defaults = project.scenario;
        defaults.thresholds = model::Thresholds{};
        const bool atDefaults = defaults.thresholds == project.scenario.thresholds;
        double rulesS = since(t0);

        std::vector<analysis::Ring> rings;
        if (o.withRings)
            rings = analysis::RingBoundary(hostileAnnotations.inputs.hostile, analysis::kRingToleranceM,
                                           o.threads)
                        .build(project.scenario.thresholds.ringsKm, o.threads);

        rules::Report report;                      // the counts of every batch; no deposits
        rules::FactsTally tally;                   // unused: the warnings came from tallyFacts()
        rules::JurisdictionKeys keys, defaultKeys; // carried from batch to batch, as one pass
        ChangedVerdicts changed;
        // Batch k + 1's facts and verdicts are made on a second thread while batch k is written
        // (GDAL and SQLite stay on this one): at most two batches in memory. The summary's rules
        // time is what this thread waited for them, so that the stages add up to the wall time.
        struct Judged {
            std::size_t first = 0;
            rules::Report batch;
            double measureWait = 0; // of the judging thread, for the batch's measurements
        };
        // `written`: the batch the writer finished last, freed here rather than on the writer's
        // thread (the critical path; issue 11).
        auto judge = [&](std::size_t first, rules::Report written) {
            written = rules::Report();
            Judged j{first, {}};
            const std::vector<rules::DepositFacts> batchFacts = facts.read(first, tally);
            const auto w0 = std::chrono::steady_clock::now();
            measuring.waitFor(first + batchFacts.size());
            j.measureWait = since(w0);
            j.batch = rules::evaluateBatch(project.scenario, batchFacts, m, first, keys);
            if (!atDefaults)
                changed.add(j.batch, rules::evaluateBatch(defaults, batchFacts, m, first, defaultKeys));
            rules::mergeCounts(report, j.batch);
            return j;
        };
        std::future<Judged> next;
        if (facts.size() > 0)
            next = std::async(std::launch::async, judge, 0, rules::Report());

        // What is known before the write, in the order it always had: jurisdictions, facts, the
        // layer-wide checks. What the batches find comes after them.
        t0 = std::chrono::steady_clock::now();
        rules::factsWarnings(*inputs.deposits, project.scenario.cutoffs, factsTally.get(), warnings);
        for (auto &w : depositChecks.get())
            warnings.push_back(std::move(w));
        // What the checks, the tally and the measurement's sort freed stays in their threads'
        // malloc arenas, which the writer's thread does not reuse: give it back before the write
        // (peak RSS at 1M / V = 200k; README, Analyze, fourth round).
        malloc_trim(0);
        rulesS += since(t0);
        for (const auto &w : warnings)
            err << "orefront analyze: warning: " << w << "\n";

        t0 = std::chrono::steady_clock::now();
        exporting::ReportInput in{
            &project.scenario, inputs.deposits, &m, nullptr, o.withRings ? &rings : nullptr, &provenance};
        if (!o.layer.empty())
            in.table = o.layer;
        in.annotations = annotations ? &*annotations : nullptr;
        in.annotationChanges = &whatIf.changes;
        in.whatif = whatifFront ? &*whatifFront : nullptr;
        bar.clear();
        measuring.releaseProgress();
        exporting::ReportStream stream(in, o.output, format, &progress);
        double writeS = since(t0);
        rules::Report written; // the last batch written, for the next judging task to free
        while (next.valid()) {
            t0 = std::chrono::steady_clock::now();
            Judged j = next.get();
            // This thread's wait, split: what the judging thread spent waiting for the
            // measurement counts as measure, the rest as rules (the stages add up to the wall).
            const double waited = since(t0);
            measureS += std::min(waited, j.measureWait);
            rulesS += waited - std::min(waited, j.measureWait);
            if (j.first + facts.batch < facts.size())
                next = std::async(std::launch::async, judge, j.first + facts.batch, std::move(written));
            t0 = std::chrono::steady_clock::now();
            stream.append(j.first, j.batch);
            writeS += since(t0);
            written = std::move(j.batch);
        }
        // What the batches found, before the report is moved into place (which may fail).
        bar.clear();
        if (auto w = rules::unresolvedCountriesWarning(*inputs.deposits, report))
            err << "orefront analyze: warning: " << *w << "\n";
        t0 = std::chrono::steady_clock::now();
        stream.finish();
        writeS += since(t0);
        bar.clear();
        if (!o.quiet) {
            if (annotations)
                printWhatIf(out, *annotations, whatIf);
            if (whatifFront)
                out << "whatif: " << whatifFront->name << " (" << analysis::describeWhatIf(*whatifFront)
                    << "), judged instead of the real front\n";
            printSummary(out, project, report, changed, facts.size(), measureS, o.output, provenance,
                         in.table, loadS, rulesS, writeS);
        }
        if (o.exitsAfter)
            keepUntilExit(std::move(project.layers));
        return kOk;
    } catch (...) {
        return reportError(err, "analyze");
    }
}

} // namespace orefront::cli
