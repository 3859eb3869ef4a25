#include "orefront/cli/analyze.hpp"

#include "orefront/analysis/analysis.hpp"
#include "orefront/export/report_writer.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/rules/rules.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <map>
#include <ostream>
#include <sstream>

namespace orefront::cli {

namespace fs = std::filesystem;

CLI::App *addAnalyzeCommand(CLI::App &app, AnalyzeOptions &o) {
    auto *cmd =
        app.add_subcommand("analyze", "Flag every deposit investable, marginal or not, and write the report");
    cmd->add_option("scenario", o.scenario, "Scenario TOML (optional when the layers are given)");
    cmd->add_option("--deposits", o.deposits, "Deposits layer (any GDAL vector source)");
    cmd->add_option("--hostile", o.hostile, "Hostile-controlled territory layer (repeatable)");
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
    cmd->add_option("-o,--output", o.output, "Report file")->required();
    cmd->add_option("--format", o.format, "geojson, csv or gpkg (default: from the extension)")
        ->check(CLI::IsMember({"geojson", "csv", "gpkg"}));
    cmd->add_flag("--with-rings", o.withRings, "Add the range-ring polygons to the report");
    cmd->add_flag("-q,--quiet", o.quiet, "Print only errors");
    cmd->add_option("--threads", o.threads, "Worker threads (default: all cores)");
    return cmd;
}

int reportError(std::ostream &err, const char *command) {
    const std::string prefix = std::string("orefront ") + command + ": error: ";
    try {
        throw;
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

std::vector<double> parseRings(const std::string &text) {
    std::vector<double> out;
    std::stringstream ss(text);
    std::string item;
    while (std::getline(ss, item, ',')) {
        try {
            std::size_t used = 0;
            const double v = std::stod(item, &used);
            if (used != item.size() || !(v > 0))
                throw std::invalid_argument(item);
            out.push_back(v);
        } catch (const std::exception &) {
            throw InputError("--rings: '" + item +
                             "' is not a positive distance in km (e.g. --rings 20,40,80)");
        }
    }
    if (out.empty())
        throw InputError("--rings: no distances given (e.g. --rings 20,40,80)");
    return out;
}

void replaceLayers(model::Scenario &s, model::LayerRole role, const std::vector<std::string> &sources) {
    if (sources.empty())
        return;
    std::erase_if(s.layers, [&](const model::LayerSpec &l) { return l.role == role; });
    int n = 0;
    for (const auto &src : sources) {
        model::LayerSpec spec;
        spec.role = role;
        spec.id = std::string(model::roleName(role)) + (n ? std::to_string(n) : "");
        spec.name = src;
        spec.source = absoluteSource(src);
        s.layers.push_back(spec);
        ++n;
    }
}

model::Scenario buildScenario(const AnalyzeOptions &o) {
    model::Scenario s = o.scenario.empty() ? io::defaultScenario() : io::loadScenario(o.scenario);
    auto one = [](const std::string &v) { return v.empty() ? std::vector<std::string>{} : std::vector{v}; };
    replaceLayers(s, model::LayerRole::Deposits, one(o.deposits));
    replaceLayers(s, model::LayerRole::Hostile, o.hostile);
    replaceLayers(s, model::LayerRole::Front, o.front);
    replaceLayers(s, model::LayerRole::Ports, one(o.ports));
    replaceLayers(s, model::LayerRole::Rail, one(o.rail));
    replaceLayers(s, model::LayerRole::Power, one(o.power));
    replaceLayers(s, model::LayerRole::Boundaries, one(o.boundaries));
    if (!o.rings.empty())
        s.thresholds.ringsKm = parseRings(o.rings);
    if (o.standoffKm) {
        if (!(*o.standoffKm >= 0))
            throw InputError("--standoff must be a distance in km, 0 or more");
        s.thresholds.standoffKm = *o.standoffKm;
    }
    if (o.gradeCutoffPct)
        s.thresholds.gradeCutoffPct = *o.gradeCutoffPct;

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

// "'Foo' 3, 'Bar' 1", most frequent first.
std::string jurisdictionCounts(const std::map<std::string, int> &counts) {
    std::vector<std::pair<std::string, int>> v(counts.begin(), counts.end());
    std::stable_sort(v.begin(), v.end(), [](const auto &a, const auto &b) { return a.second > b.second; });
    std::string out;
    for (const auto &[value, n] : v)
        out.append(out.empty() ? "'" : ", '").append(value).append("' ").append(std::to_string(n));
    return out;
}

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

void printSummary(std::ostream &out, const model::Project &p, const rules::Report &r,
                  const rules::Report &defaults, const analysis::Measurements &m, const std::string &output,
                  double loadS, double rulesS, double writeS) {
    const model::Scenario &s = p.scenario;
    out << "scenario: " << s.name << (s.date ? " (" + *s.date + ")" : "") << "\n";
    out << "deposits: " << m.perDeposit.size() << "\n";
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
    std::size_t changed = 0;
    std::ostringstream list;
    for (std::size_t i = 0; i < r.deposits.size(); ++i) {
        if (r.deposits[i].verdict == defaults.deposits[i].verdict)
            continue;
        if (++changed <= 50)
            list << "  " << r.deposits[i].name << ": " << rules::verdictName(defaults.deposits[i].verdict)
                 << " -> " << rules::verdictName(r.deposits[i].verdict) << "\n";
    }
    printJurisdictionSummary(out, r);
    out << "changed verdict against the default thresholds: " << changed << "\n" << list.str();
    if (changed > 50)
        out << "  ... and " << changed - 50 << " more\n";
    char timing[160];
    std::snprintf(timing, sizeof timing, "time: load %.2f s, measure %.2f s, rules %.2f s, write %.2f s\n",
                  loadS, m.seconds, rulesS, writeS);
    out << timing << "report: " << output << "\n";
}

double since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

int runAnalyze(const AnalyzeOptions &o, std::ostream &out, std::ostream &err) {
    try {
        io::initGdal();
        const auto format = exporting::formatFrom(o.format, o.output);
        if (o.withRings && format == exporting::Format::Csv) {
            err << "orefront analyze: error: --with-rings needs a GeoJSON or GeoPackage report; a CSV "
                   "report has no geometry column for the ring polygons\n";
            return kUsage;
        }
        auto t0 = std::chrono::steady_clock::now();
        const model::Project project = io::loadProject(buildScenario(o));
        for (const auto &w : project.warnings)
            err << "orefront analyze: warning: " << w << "\n";
        const double loadS = since(t0);

        const analysis::Inputs inputs = project.analysisInputs();
        const analysis::Measurements m = analysis::measure(inputs, o.threads);

        t0 = std::chrono::steady_clock::now();
        std::vector<std::string> warnings;
        const auto facts = io::readDepositFacts(project, warnings);
        const rules::Report report = rules::evaluate(project.scenario, facts, m, false);
        if (!report.unresolvedCountries.empty())
            warnings.push_back(inputs.deposits->describe() + ": " +
                               std::to_string(report.unresolvedCountries.size()) +
                               " country value(s) are not an ISO 3166 country nor in the jurisdictions table "
                               "(unknown_jurisdiction unless the location decides): " +
                               jurisdictionCounts(report.unresolvedCountries));
        for (const auto &w : warnings)
            err << "orefront analyze: warning: " << w << "\n";
        model::Scenario defaults = project.scenario;
        defaults.thresholds = model::Thresholds{};
        const bool atDefaults = defaults.thresholds == project.scenario.thresholds;
        const rules::Report baseline =
            atDefaults ? rules::Report{} : rules::evaluate(defaults, facts, m, false);
        const double rulesS = since(t0);

        std::vector<analysis::Ring> rings;
        if (o.withRings)
            rings = analysis::buildRings(inputs.hostile, project.scenario.thresholds.ringsKm);

        t0 = std::chrono::steady_clock::now();
        exporting::ReportInput in{&project.scenario, inputs.deposits, &m, &report,
                                  o.withRings ? &rings : nullptr};
        exporting::writeReport(in, o.output, format);
        if (!o.quiet)
            printSummary(out, project, report, atDefaults ? report : baseline, m, o.output, loadS, rulesS,
                         since(t0));
        return kOk;
    } catch (...) {
        return reportError(err, "analyze");
    }
}

} // namespace orefront::cli
