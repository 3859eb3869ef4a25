#include "orefront/cli/whatif.hpp"

#include "orefront/analysis/whatif.hpp"
#include "orefront/cli/analyze.hpp"
#include "orefront/io/annotation_store.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <unistd.h>

namespace orefront::cli {

namespace fs = std::filesystem;

CLI::App *addWhatIfCommand(CLI::App &app, WhatIfOptions &o) {
    auto *cmd = app.add_subcommand(
        "whatif", "Compare the verdicts of what-if fronts (shifted or hypothetical) with the real ones");
    cmd->add_option("scenario", o.scenario, "Scenario TOML (default: the bundled scenario)");
    cmd->add_option("--name", o.names,
                    "What-if to run, from the scenario's [[whatif]] tables (repeatable; default: all); "
                    "with --shift-km or --front, the name of that what-if");
    cmd->add_option("--shift-km", o.shiftKm,
                    "Move the hostile boundary by this many km on the ellipsoid: + advance, - withdrawal");
    cmd->add_option("--front", o.front, "A hypothetical front (ceasefire) line layer, in place of the front");
    cmd->add_option("-o,--output", o.output, "The verdict diff, CSV")->required();
    cmd->add_option("--annotations", o.annotations,
                    "Annotation store whose hypothetical_front annotations are what-ifs too (default: the "
                    "scenario's, SCENARIO.annotations.gpkg, when it exists)");
    cmd->add_flag("--no-annotations", o.noAnnotations, "Leave out the hypothetical-front annotations");
    cmd->add_flag("-q,--quiet", o.quiet, "Print only errors");
    cmd->add_option("--threads", o.threads, "Worker threads (default: all cores)");
    return cmd;
}

namespace {

std::string csvField(const std::string &s) {
    if (s.find_first_of(",\"\n\r") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string km(const std::optional<double> &v) {
    if (!v)
        return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", *v);
    return buf;
}

// The store's annotations (--annotations, else the scenario's store when it exists); nullopt
// when there is none or --no-annotations.
std::optional<model::AnnotationSet> loadAnnotations(const WhatIfOptions &o, const std::string &scenarioPath,
                                                    const model::Scenario &s) {
    if (o.noAnnotations)
        return std::nullopt;
    std::string source = o.annotations;
    if (source.empty()) {
        source = io::defaultAnnotationStore(scenarioPath, s.annotations);
        if (source.rfind("PG:", 0) != 0 && !fs::exists(source))
            return std::nullopt;
    }
    return io::openAnnotationStore(source, false)->load();
}

std::vector<model::WhatIf> selectWhatIfs(const WhatIfOptions &o, const model::Scenario &s,
                                         const model::AnnotationSet *annotations) {
    if (o.shiftKm || !o.front.empty()) {
        if (o.shiftKm && !o.front.empty())
            throw UsageError("--shift-km and --front are two what-ifs; give one (or name the scenario's)");
        if (o.names.size() > 1)
            throw UsageError("--shift-km/--front make one what-if; give at most one --name");
        if (o.shiftKm && (!std::isfinite(*o.shiftKm) || *o.shiftKm == 0 || std::abs(*o.shiftKm) > 500))
            throw UsageError(
                "--shift-km: must be a distance in km, not 0, within +-500 (+ advance, - withdrawal)");
        model::WhatIf w;
        w.shiftKm = o.shiftKm;
        // Command-line paths are relative to the working directory, not to the scenario.
        w.front = o.front.empty() ? "" : io::resolveSource(o.front, fs::current_path().string());
        w.name = o.names.empty() ? analysis::describeWhatIf(model::WhatIf{"", "", o.shiftKm, o.front})
                                 : o.names.front();
        return {w};
    }
    const std::vector<model::WhatIf> all = analysis::namedWhatIfs(s, annotations);
    if (o.names.empty()) {
        if (all.empty())
            throw UsageError("scenario '" + s.name +
                             "' has no [[whatif]] tables nor hypothetical_front annotations; give --shift-km "
                             "KM or --front LINE-LAYER");
        return all;
    }
    std::vector<model::WhatIf> out;
    for (const auto &n : o.names)
        out.push_back(analysis::findWhatIf(all, n, s.name));
    return out;
}

void writeDiff(const std::string &path,
               const std::vector<std::pair<std::string, analysis::WhatIfDiff>> &diffs) {
    const fs::path target = fs::absolute(path);
    const std::string tmp = target.string() + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        f << "whatif,name,verdict,whatif_verdict,changed,occupied,whatif_occupied,front_distance_km,"
             "whatif_front_distance_km\n";
        for (const auto &[name, d] : diffs)
            for (const auto &r : d.deposits)
                f << csvField(name) << ',' << csvField(r.name) << ',' << rules::verdictName(r.real) << ','
                  << rules::verdictName(r.whatif) << ',' << (r.changed() ? "true" : "false") << ','
                  << (r.occupiedReal ? "true" : "false") << ',' << (r.occupiedWhatif ? "true" : "false")
                  << ',' << km(r.kmReal) << ',' << km(r.kmWhatif) << '\n';
        f.flush();
        if (!f) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw OutputError("cannot write '" + path + "'");
        }
    }
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw OutputError("cannot write '" + path + "': " + ec.message());
    }
}

void printDiff(std::ostream &out, const model::WhatIf &w, const analysis::WhatIfDiff &d) {
    out << "what-if '" << w.name << "' (" << analysis::describeWhatIf(w) << "): " << d.changed << " of "
        << d.deposits.size() << " verdicts change\n";
    for (const auto &[fromTo, n] : d.flips)
        out << "  " << fromTo.first << " -> " << fromTo.second << ": " << n << "\n";
    int listed = 0;
    for (const auto &r : d.deposits) {
        if (!r.changed())
            continue;
        if (++listed > 30) {
            out << "    ... and " << d.changed - 30 << " more (see the CSV)\n";
            break;
        }
        out << "    " << (r.name.empty() ? "(unnamed)" : r.name) << ": " << rules::verdictName(r.real)
            << " -> " << rules::verdictName(r.whatif) << " (front " << (r.kmReal ? km(r.kmReal) : "-")
            << " -> " << (r.kmWhatif ? km(r.kmWhatif) : "-") << " km)\n";
    }
}

} // namespace

int runWhatIf(const WhatIfOptions &o, std::ostream &out, std::ostream &err) {
    try {
        io::initGdal();
        if (fs::path(o.output).extension() != ".csv")
            throw UsageError("-o " + o.output + ": the what-if diff is written as CSV; use a .csv name");
        const std::string path = o.scenario.empty() ? OREFRONT_GEODATA_DIR "/scenario.toml" : o.scenario;
        const model::Scenario scenario = io::loadScenario(path);
        const auto annotations = loadAnnotations(o, path, scenario);
        const auto whatifs = selectWhatIfs(o, scenario, annotations ? &*annotations : nullptr);
        const model::Project real = io::loadProject(scenario);
        for (const auto &w : real.warnings)
            err << "orefront whatif: warning: " << w << "\n";
        std::vector<std::string> warnings;
        const auto facts = io::readDepositFacts(real, warnings);
        const analysis::Judged base = analysis::judge(real, facts, o.threads);
        std::vector<std::pair<std::string, analysis::WhatIfDiff>> diffs;
        for (const auto &w : whatifs) {
            const model::Project alt = analysis::applyWhatIf(real, w, warnings);
            diffs.emplace_back(w.name, analysis::diffVerdicts(base, analysis::judge(alt, facts, o.threads)));
        }
        for (const auto &w : warnings)
            err << "orefront whatif: warning: " << w << "\n";
        writeDiff(o.output, diffs);
        if (!o.quiet) {
            out << "scenario: " << scenario.name << "\n";
            for (std::size_t i = 0; i < whatifs.size(); ++i)
                printDiff(out, whatifs[i], diffs[i].second);
            out << "diff: " << o.output << "\n";
        }
        return kOk;
    } catch (...) {
        return reportError(err, "whatif");
    }
}

} // namespace orefront::cli
