#include "orefront/cli/history.hpp"

#include "orefront/analysis/history.hpp"
#include "orefront/cli/analyze.hpp"
#include "orefront/export/history_writer.hpp"
#include "orefront/io/pg_source.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/series_io.hpp"
#include "orefront/model/error.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <ostream>

namespace orefront::cli {

CLI::App *addHistoryCommand(CLI::App &app, HistoryOptions &o) {
    auto *cmd = app.add_subcommand(
        "history",
        "Every deposit at every date of a dated scenario: rows, a per-deposit summary, occupied area");
    cmd->add_option("scenario", o.scenario,
                    "Scenario TOML with dated layers (default: the bundled scenario)");
    cmd->add_option("--from", o.from, "First date, YYYY-MM-DD (default: the first snapshot)");
    cmd->add_option("--to", o.to, "Last date, YYYY-MM-DD (default: the last snapshot)");
    cmd->add_option("--step", o.step, "snapshots (each snapshot's own date), Nd (days) or Nm (months)")
        ->capture_default_str();
    cmd->add_option("-o,--output", o.output,
                    "Rows: history.csv | .geojson (with a _summary sidecar) | .gpkg (layers history, "
                    "summary, areas) | PG:service=NAME (tables, swapped in whole)")
        ->required();
    cmd->add_option("--layer", o.layer,
                    "Table of a PG: output (default orefront_history; also _summary and _areas; "
                    "schema.table allowed)");
    cmd->add_option("--areas", o.areas, "Occupied area per date, CSV: date,occupied_km2");
    cmd->add_flag("-q,--quiet", o.quiet, "Print only errors");
    cmd->add_option("--threads", o.threads, "Worker threads (default: all cores)");
    return cmd;
}

namespace {

std::optional<model::Date> dateOption(const std::string &text, const char *option) {
    if (text.empty())
        return std::nullopt;
    const auto d = model::Date::parseIso(text);
    if (!d)
        throw UsageError(std::string(option) + ": '" + text + "' is not an ISO 8601 date (YYYY-MM-DD)");
    return d;
}

double since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

} // namespace

int runHistory(const HistoryOptions &o, std::ostream &out, std::ostream &err) {
    try {
        io::initGdal();
        const auto start = std::chrono::steady_clock::now();
        const auto step = analysis::parseHistoryStep(o.step);
        if (!step)
            throw UsageError("--step: '" + o.step + "' is not snapshots, Nd or Nm (e.g. 1d, 7d, 1m)");
        const auto from = dateOption(o.from, "--from");
        const auto to = dateOption(o.to, "--to");
        (void)exporting::historySummaryPath(o.output); // checks the extension before any work
        if (!o.layer.empty() && !io::isPgSource(o.output))
            throw UsageError("--layer " + o.layer + ": names the table of a PG: output; -o " + o.output +
                             " is a file");
        const std::string path = o.scenario.empty() ? OREFRONT_GEODATA_DIR "/scenario.toml" : o.scenario;
        const model::Scenario scenario = io::loadScenario(path);
        const auto dates = analysis::historyDates(io::seriesDates(scenario), from, to, *step);

        std::unique_ptr<exporting::HistoryWriter> writer;
        double writeS = 0;
        std::vector<std::pair<model::Date, double>> areas;
        const auto result = analysis::runHistory(
            scenario, dates,
            [&](const analysis::HistoryDate &d) {
                const auto t0 = std::chrono::steady_clock::now();
                if (!writer)
                    writer = std::make_unique<exporting::HistoryWriter>(
                        o.output, o.areas, *d.deposits, scenario.thresholds.ringsKm,
                        o.layer.empty() ? "orefront_history" : o.layer);
                writer->writeDate(d);
                areas.emplace_back(d.date, d.occupiedKm2);
                writeS += since(t0);
            },
            o.threads);
        auto t0 = std::chrono::steady_clock::now();
        writer->commit(result);
        writeS += since(t0);
        for (const auto &w : result.warnings)
            err << "orefront history: warning: " << w << "\n";
        if (o.quiet)
            return kOk;
        out << "scenario: " << scenario.name << "\n";
        out << "history: " << result.perDeposit.size() << " deposits x " << dates.size() << " dates ("
            << dates.front().iso() << " .. " << dates.back().iso() << ", step " << o.step << "), "
            << result.snapshotsMeasured << " snapshot states measured\n";
        std::size_t changed = 0, everOccupied = 0;
        for (const auto &h : result.perDeposit) {
            changed += h.lastVerdictChange.has_value();
            everOccupied += h.firstOccupied.has_value();
        }
        out << "deposits whose verdict changed: " << changed << "; ever occupied: " << everOccupied << "\n";
        char line[200];
        out << "occupied area (km2, WGS84 ellipsoid):";
        for (std::size_t k = 0; k < areas.size(); ++k) {
            if (areas.size() > 8 && k == 3) {
                out << " ...";
                k = areas.size() - 3;
            }
            std::snprintf(line, sizeof line, " %s %.0f", areas[k].first.iso().c_str(), areas[k].second);
            out << line << (k + 1 < areas.size() ? ";" : "");
        }
        out << "\n";
        std::snprintf(
            line, sizeof line,
            "time: load %.2f s, measure %.2f s, rules %.2f s, area %.2f s, write %.2f s, total %.2f s\n",
            result.loadSeconds, result.measureSeconds, result.rulesSeconds, result.areaSeconds, writeS,
            since(start));
        out << line;
        for (const auto &f : writer->files())
            out << "wrote: " << f << "\n";
        return kOk;
    } catch (...) {
        return reportError(err, "history");
    }
}

} // namespace orefront::cli
