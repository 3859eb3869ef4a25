// orefront: one binary, subcommands. A thin shim over library functions the tests call.
#include "orefront/cli/analyze.hpp"
#include "orefront/cli/annotations.hpp"
#include "orefront/cli/db.hpp"
#include "orefront/cli/history.hpp"
#include "orefront/cli/whatif.hpp"
#include "orefront/export/provenance.hpp"
#include "orefront/io/scenario_io.hpp"
#ifdef OREFRONT_HAVE_VIEWER
#include "viewer/brief_cli.hpp"
#include "viewer/viewer_cli.hpp"
#endif

#include <CLI/CLI.hpp>

#include <iostream>
#include <string>

int main(int argc, char **argv) {
    orefront::io::initGdal();
    CLI::App app{"Orefront: which rare-earth deposits can really be developed while a war is on"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("orefront ") + orefront::exporting::toolVersion());

    orefront::cli::AnalyzeOptions analyze;
    auto *analyzeCmd = orefront::cli::addAnalyzeCommand(app, analyze);
    orefront::cli::DbOptions db;
    auto *dbInitCmd = orefront::cli::addDbCommand(app, db);
    orefront::cli::HistoryOptions history;
    auto *historyCmd = orefront::cli::addHistoryCommand(app, history);
    orefront::cli::WhatIfOptions whatif;
    auto *whatifCmd = orefront::cli::addWhatIfCommand(app, whatif);
    orefront::cli::AnnotationsOptions annotations;
    auto *annotationsCmd = orefront::cli::addAnnotationsCommand(app, annotations);
#ifdef OREFRONT_HAVE_VIEWER
    orefront::viewer::ViewOptions view;
    auto *viewCmd = orefront::viewer::addViewCommand(app, view);
    orefront::viewer::RenderOptions render;
    auto *renderCmd = orefront::viewer::addRenderCommand(app, render);
    orefront::viewer::BriefOptions brief;
    auto *briefCmd = orefront::viewer::addBriefCommand(app, brief);
#endif
    // CLI11 says "A subcommand is required" for a word it does not know; say what is wrong.
    if (argc > 1 && argv[1][0] != '-') {
        std::string names;
        bool known = false;
        for (const auto *cmd : app.get_subcommands([](CLI::App *) { return true; })) {
            names += (names.empty() ? "" : ", ") + cmd->get_name();
            known = known || cmd->check_name(argv[1]);
        }
        if (!known) {
            std::cerr << "orefront: error: unknown subcommand '" << argv[1] << "' (commands: " << names
                      << "; see orefront --help)\n";
            return orefront::cli::kUsage;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &e) {
        return app.exit(e) == 0 ? 0 : orefront::cli::kUsage;
    }
    if (analyzeCmd->parsed()) {
        analyze.exitsAfter = true;
        return orefront::cli::runAnalyze(analyze, std::cout, std::cerr);
    }
    if (dbInitCmd->parsed())
        return orefront::cli::runDbInit(db, std::cout, std::cerr);
    if (historyCmd->parsed())
        return orefront::cli::runHistory(history, std::cout, std::cerr);
    if (whatifCmd->parsed())
        return orefront::cli::runWhatIf(whatif, std::cout, std::cerr);
    if (annotationsCmd->parsed())
        return orefront::cli::runAnnotations(annotations, std::cout, std::cerr);
#ifdef OREFRONT_HAVE_VIEWER
    if (viewCmd->parsed())
        return orefront::viewer::runView(view);
    if (renderCmd->parsed())
        return orefront::viewer::runRender(render);
    if (briefCmd->parsed())
        return orefront::viewer::runBrief(brief);
#endif
    return orefront::cli::kUsage;
}
