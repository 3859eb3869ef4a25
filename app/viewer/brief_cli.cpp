#include "viewer/brief_cli.hpp"

#include "briefing_sheet.hpp"
#include "map_image.hpp"
#include "map_scene.hpp"
#include "render/headless_gl.hpp"
#include "render/style.hpp"
#include "view_fit.hpp"

#include "orefront/cli/analyze.hpp"
#include "orefront/export/briefing.hpp"
#include "orefront/export/geospatial_pdf.hpp"
#include "orefront/io/annotation_store.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/rules/what_if.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <system_error>

#include <unistd.h>

namespace orefront::viewer {

namespace fs = std::filesystem;

namespace {

// The raster under a PDF's vector layers (basemap, hostile areas, labels): sharp enough to
// print; the deposits, front lines and rings over it are vectors.
constexpr double kPdfMapDpi = 200;

std::string lowerExt(const std::string &path) {
    std::string e = fs::path(path).extension().string();
    for (char &c : e)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return e;
}

std::string hex(Rgba c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02X%02X%02X", c.r, c.g, c.b);
    return buf;
}

// Page N (from 2) of a PNG briefing: "brief.png" -> "brief-2.png".
std::string pngPagePath(const std::string &path, std::size_t page) {
    if (page == 0)
        return path;
    fs::path p(path);
    return (p.parent_path() / (p.stem().string() + "-" + std::to_string(page + 1) + p.extension().string()))
        .string();
}

struct Scratch {
    fs::path dir;
    Scratch() {
        dir = fs::temp_directory_path() / ("orefront-brief-" + std::to_string(::getpid()));
        fs::create_directories(dir);
    }
    ~Scratch() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

exporting::PdfFeature feature(const model::Geometry &g, std::string name) {
    return {g, std::move(name)};
}

std::string hexAlpha(model::Rgba c) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "#%02X%02X%02X%02X", c.r, c.g, c.b, c.a);
    return buf;
}

// The OGR style an annotation is drawn with in the PDF.
std::string annotationStyle(const model::Annotation &a, const model::Geometry &g) {
    const std::string pen =
        "PEN(c:" + hexAlpha(a.style.stroke) + ",w:" + std::to_string(a.style.widthPx * 0.75) + "pt)";
    if (!g.polygons.empty())
        return pen + ";BRUSH(fc:" + hexAlpha(a.style.fill) + ")"; // alpha 0: no fill
    if (!g.lines.empty())
        return pen;
    return "SYMBOL(id:ogr-sym-7,c:" + hexAlpha(a.style.stroke) + ",s:8pt)";
}

// Annotations in view, one vector layer per look (a layer has one style in the composition).
// An arrow's head: a filled triangle at its last vertex, about 7 pt long on the page.
model::Geometry arrowHead(const model::Annotation &a, const Camera &camera, double pxPerPt) {
    const auto &v = a.vertices;
    double x0, y0, x1, y1;
    camera.lonLatToScreen(v[v.size() - 2], x0, y0);
    camera.lonLatToScreen(v.back(), x1, y1);
    const double ang = std::atan2(y1 - y0, x1 - x0), len = 7 * pxPerPt;
    model::Path ring{
        v.back(), camera.screenToLonLat(x1 - len * std::cos(ang - 0.45), y1 - len * std::sin(ang - 0.45)),
        camera.screenToLonLat(x1 - len * std::cos(ang + 0.45), y1 - len * std::sin(ang + 0.45)), v.back()};
    model::Geometry g;
    g.polygons.push_back({{ring}});
    return g;
}

void addAnnotationLayers(std::vector<exporting::PdfToggle> &out, const exporting::Briefing &b,
                         const Camera &camera, double pxPerPt) {
    if (b.annotations.empty())
        return;
    exporting::PdfToggle t{"annotations", "Analyst annotations", {}};
    auto add = [&](const std::string &style, exporting::PdfFeature f) {
        auto it =
            std::find_if(t.layers.begin(), t.layers.end(), [&](const auto &l) { return l.style == style; });
        if (it == t.layers.end()) {
            const std::string n = std::to_string(t.layers.size() + 1);
            t.layers.push_back({"annotations_" + n, "Annotations " + n, style, {}});
            it = t.layers.end() - 1;
        }
        it->features.push_back(std::move(f));
    };
    for (const auto &a : b.annotations) {
        const model::Geometry g = exporting::annotationGeometry(a);
        add(annotationStyle(a, g), feature(g, a.label));
        if (a.kind == model::AnnotationKind::Arrow && a.vertices.size() >= 2) {
            model::Rgba solid = a.style.stroke;
            add("PEN(c:" + hexAlpha(solid) + ",w:0.5pt);BRUSH(fc:" + hexAlpha(solid) + ")",
                feature(arrowHead(a, camera, pxPerPt), a.label));
        }
    }
    out.push_back(std::move(t));
}

// Deposits by verdict, front lines and rings, as the PDF's toggleable vector layers.
std::vector<exporting::PdfToggle> pdfLayers(const MapDocument &doc, const exporting::Briefing &b,
                                            const Camera &camera, double pxPerPt) {
    std::vector<exporting::PdfToggle> out;
    const ScenarioSnapshot &snap = *doc.snapshot();
    const model::Project &project = *snap.project;
    if (const RingSet *rings = doc.rings(); rings && !rings->rings.empty()) {
        exporting::PdfToggle t{"rings", "Range rings", {}};
        for (std::size_t k = 0; k < rings->rings.size(); ++k) {
            char id[32], name[64];
            std::snprintf(id, sizeof id, "ring_%gkm", rings->rings[k].km);
            std::snprintf(name, sizeof name, "Range ring %g km", rings->rings[k].km);
            std::string sid = id;
            std::replace(sid.begin(), sid.end(), '.', '_');
            t.layers.push_back({sid,
                                name,
                                "PEN(c:" + hex(palette::kRingEdge) + ",w:1pt);BRUSH(fc:#00000000)",
                                {feature(rings->rings[k].area, name)}});
        }
        out.push_back(std::move(t));
    }
    exporting::PdfToggle front{"front", "Front lines and borders", {}};
    for (std::size_t i = 0; i < project.layers.size(); ++i) {
        const model::Layer &l = *project.layers[i];
        if (l.role != model::LayerRole::Front)
            continue;
        const ClassLook look = classLook(mapClassOf(l.role, project.scenario.layers[i].style));
        exporting::PdfVectorLayer v{"front_" + std::to_string(i),
                                    project.scenario.layers[i].name,
                                    "PEN(c:" + hex(look.fill) + ",w:" + std::to_string(look.widthPx * 0.6) +
                                        "pt)",
                                    {}};
        for (const auto &f : l.features)
            v.features.push_back(feature(f.geometry, project.scenario.layers[i].name));
        front.layers.push_back(std::move(v));
    }
    if (!front.layers.empty())
        out.push_back(std::move(front));
    if (snap.depositsLayer >= 0) {
        const model::Layer &deposits = *project.layers[std::size_t(snap.depositsLayer)];
        exporting::PdfToggle t{"deposits", "Deposits", {}};
        for (auto v : {rules::Verdict::Investable, rules::Verdict::Marginal, rules::Verdict::NotInvestable,
                       rules::Verdict::Unknown}) {
            exporting::PdfVectorLayer layer{std::string("deposits_") + rules::verdictName(v),
                                            std::string("Deposits: ") + verdictLabel(v),
                                            "SYMBOL(id:ogr-sym-3,c:" + hex(verdictColour(v)) + ",s:7pt)",
                                            {}};
            for (std::size_t i = 0; i < deposits.features.size() && i < doc.report().deposits.size(); ++i)
                if (doc.report().deposits[i].verdict == v)
                    layer.features.push_back(
                        feature(model::Geometry{{deposits.features[i].geometry.anchor()}, {}, {}},
                                doc.report().deposits[i].name));
            if (!layer.features.empty())
                t.layers.push_back(std::move(layer));
        }
        out.push_back(std::move(t));
    }
    addAnnotationLayers(out, b, camera, pxPerPt);
    return out;
}

// The scenario's annotations and deposit notes, from its store. No store file yet means none;
// a store that cannot be read is an error (InputError), not a sheet silently without them.
model::AnnotationSet loadAnnotations(const std::string &scenarioPath) {
    const std::string source = io::defaultAnnotationStore(scenarioPath, "");
    if (source.rfind("PG:", 0) != 0 && !fs::exists(source))
        return {};
    return io::openAnnotationStore(source, false)->load();
}

// The annotations marked "counts as hostile" join the hostile positions, judged as `orefront
// analyze` judges them (rules::evaluateWithAnnotations): `doc` then shows those verdicts, with
// the marked annotations drawn as a hostile layer and inside the rings. Nothing marked: `doc`
// is left as it is and the result holds its report.
rules::WhatIf applyHostileMarkings(MapDocument &doc, const model::AnnotationSet &set) {
    const auto base = doc.snapshotPtr();
    const model::Project &project = *base->project;
    rules::WhatIf w = rules::evaluateWithAnnotations(project.scenario, base->facts, project.analysisInputs(),
                                                     set, base->measurements, doc.report(), false);
    if (w.marked.empty())
        return w;
    std::vector<model::Annotation> marked;
    for (const std::int64_t id : w.marked)
        if (const model::Annotation *a = set.find(id))
            marked.push_back(*a);
    const auto edited = withHostileAnnotations(*base, marked, 0);
    MapDocument::RuleResult result{w.report, MapDocument::markerColoursFor(*edited, w.report)};
    showScenario(doc, edited, buildRingSet(*edited, project.scenario.thresholds.ringsKm), std::move(result));
    return w;
}

int brief(const BriefOptions &o) {
    const auto paper = exporting::paperByName(o.paper, o.landscape);
    if (!paper)
        throw InputError("unknown paper size '" + o.paper + "' (choose " + exporting::paperNames() + ")");
    std::optional<model::BBox> bbox;
    if (!o.bbox.empty())
        bbox = exporting::parseBriefingBBox(o.bbox);
    const std::string ext = lowerExt(o.output);
    if (ext != ".pdf" && ext != ".png")
        throw InputError("cannot write " + o.output + ": a briefing is a .pdf (Geospatial PDF) or .png");
    const fs::path dir = fs::path(o.output).parent_path();
    if (!dir.empty() && !fs::is_directory(dir))
        throw InputError("cannot write " + o.output + ": the output directory " + dir.string() +
                         " does not exist");
    const bool pdf = ext == ".pdf";

    io::initGdal();
    MapDocument doc;
    const std::string scenarioPath = o.scenario.empty() ? OREFRONT_GEODATA_DIR "/scenario.toml" : o.scenario;
    const std::string basemapNote = loadMapScene(doc, scenarioPath, o.basemap, "brief");
    const model::AnnotationSet annotations = loadAnnotations(scenarioPath);
    const rules::WhatIf whatIf = applyHostileMarkings(doc, annotations);
    const auto snap = doc.snapshotPtr();

    std::vector<std::string> credits;
    if (doc.basemap())
        credits.push_back(basemapNote == "Borders: Natural Earth"
                              ? "Borders and coastlines: Natural Earth (public domain)"
                              : basemapNote);
    exporting::BriefingOptions bo;
    bo.title = o.title;
    bo.classification = o.classification;
    bo.annotations = &annotations;
    bo.whatIf = &whatIf;

    // The map's frame gives what is in view, and what is in view (legend, sources) sizes the
    // panels under the map and so the frame: lay out until the frame holds still.
    const double mapDpi = pdf ? kPdfMapDpi : o.dpi;
    Camera camera;
    exporting::Briefing b;
    SheetMap map{nullptr, camera, &doc, true, pdf};
    SheetLayout layout = layoutSheet(*paper, b, map);
    for (int pass = 0; pass < 4; ++pass) {
        camera.width = mapPixels(layout.map.w, mapDpi);
        camera.height = mapPixels(layout.map.h, mapDpi);
        camera.fit(bbox ? *bbox : theatreBounds(*snap), bbox ? 0.0 : 0.02);
        b = exporting::buildBriefing(*snap->project, whatIf.measurements, doc.report(),
                                     camera.visibleBounds(), bo, credits);
        map.camera = camera;
        const SheetLayout next = layoutSheet(*paper, b, map);
        const bool same = mapPixels(next.map.h, mapDpi) == camera.height;
        layout = next;
        if (same)
            break;
    }
    // The last layout's frame may differ from the camera's by a pixel row after 4 passes; the
    // camera is what the map shows, so the frame follows it.
    layout.map.h = camera.height * 72.0 / mapDpi;
    const model::BBox shown = camera.visibleBounds();

    MapStyle style;
    OverlayOptions overlay;
    overlay.legend = overlay.scaleBar = overlay.graticuleLabels = overlay.title = overlay.credits = false;
    if (pdf) {
        // Deposits, front lines and rings are the PDF's vector layers; the raster under them
        // must not show them a second time when the reader switches a layer off.
        for (auto &l : doc.layers())
            if (l.role == model::LayerRole::Deposits || l.role == model::LayerRole::Front)
                l.visible = false;
        style.rings = false;
        overlay.ringLabels = false;
    }
    HeadlessGl gl;
    MapRenderer renderer;
    MapImageComposer composer;
    const Image mapImage = composer.compose(renderer, doc, camera, style, overlay);
    map.image = &mapImage;

    if (pdf) {
        Scratch scratch;
        std::vector<std::string> pages;
        for (std::size_t p = 0; p < layout.pages(); ++p)
            pages.push_back((scratch.dir / ("page-" + std::to_string(p + 1) + ".pdf")).string());
        drawSheetPdfPages(layout, b, map, pages);
        exporting::GeospatialPdf g;
        g.pageWidthPt = layout.widthPt;
        g.pageHeightPt = layout.heightPt;
        g.pagePdfs = pages;
        g.mapX1 = layout.map.x;
        g.mapX2 = layout.map.x + layout.map.w;
        g.mapY1 = layout.heightPt - (layout.map.y + layout.map.h);
        g.mapY2 = layout.heightPt - layout.map.y;
        g.mapBounds = shown;
        g.toggles = pdfLayers(doc, b, camera, mapDpi / 72.0);
        g.title = b.title;
        g.subject = b.classification + " briefing, situation as of " + b.situationDate;
        exporting::writeGeospatialPdf(g, o.output);
    } else {
        ScaleBarPx bar;
        const std::vector<Image> pages = drawSheetPng(layout, b, map, o.dpi, &bar);
        // Continuation pages first, the named file last: a failure leaves no sheet that looks whole.
        for (std::size_t p = pages.size(); p-- > 0;) {
            try {
                writeImage(pages[p], pngPagePath(o.output, p));
            } catch (...) {
                std::error_code ec;
                for (std::size_t q = p + 1; q < pages.size(); ++q)
                    fs::remove(pngPagePath(o.output, q), ec);
                throw;
            }
        }
        const double px = o.dpi / 72.0;
        std::printf("scale bar: %s (%.0f m), x %.2f-%.2f px, y %.2f px, 1:%.0f\n", bar.label.c_str(),
                    bar.metres, bar.x0 * px, bar.x1 * px, bar.y * px, bar.ratio);
        std::printf("legend: %.1f,%.1f,%.1f,%.1f px\n", layout.legend.x * px, layout.legend.y * px,
                    layout.legend.w * px, layout.legend.h * px);
    }
    const double px = pdf ? 1.0 : o.dpi / 72.0;
    std::printf("map: %.2f,%.2f,%.2f,%.2f %s, showing %.6f,%.6f,%.6f,%.6f\n", layout.map.x * px,
                layout.map.y * px, layout.map.w * px, layout.map.h * px, pdf ? "pt" : "px", shown.minLon,
                shown.minLat, shown.maxLon, shown.maxLat);
    std::printf("orefront: wrote %s (%s, %zu page%s, %s %s, %zu deposits in view)\n", o.output.c_str(),
                pdf ? "Geospatial PDF" : "PNG", layout.pages(), layout.pages() == 1 ? "" : "s",
                paper->name.c_str(), o.landscape ? "landscape" : "portrait", b.deposits.size());
    return cli::kOk;
}

} // namespace

CLI::App *addBriefCommand(CLI::App &app, BriefOptions &opts) {
    auto *cmd = app.add_subcommand("brief", "Write a briefing sheet: PNG pages or a Geospatial PDF");
    cmd->add_option("scenario", opts.scenario, "Scenario TOML (default: the bundled scenario)");
    cmd->add_option("-o,--output", opts.output, "briefing.pdf (Geospatial PDF) or briefing.png")->required();
    cmd->add_option("--title", opts.title, "Title (default: the scenario's name)");
    cmd->add_option("--classification", opts.classification, "Classification banner text")
        ->capture_default_str();
    cmd->add_option("--bbox", opts.bbox, "minlon,minlat,maxlon,maxlat (default: the war theatre)");
    cmd->add_option("--paper", opts.paper, "A4, A3 or letter")->capture_default_str();
    cmd->add_flag("--landscape", opts.landscape, "Landscape pages");
    cmd->add_option("--dpi", opts.dpi, "PNG resolution")
        ->capture_default_str()
        ->check(CLI::Range(36.0, 600.0));
    cmd->add_option("--basemap", opts.basemap, "Basemap: any GDAL vector source (default: Natural Earth)");
    return cmd;
}

int runBrief(const BriefOptions &o) {
    try {
        return brief(o);
    } catch (const InputError &e) {
        std::cerr << "orefront brief: " << e.what() << "\n";
        return cli::kBadInput;
    } catch (const GeometryError &e) {
        std::cerr << "orefront brief: geometry error: " << e.what() << "\n";
        return cli::kGeometry;
    } catch (const OutputError &e) {
        std::cerr << "orefront brief: " << e.what() << "\n";
        return cli::kOutput;
    } catch (const std::exception &e) {
        std::cerr << "orefront brief: " << e.what() << "\n";
        return cli::kInternal;
    }
}

} // namespace orefront::viewer
