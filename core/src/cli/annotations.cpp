#include "orefront/cli/annotations.hpp"

#include "orefront/cli/analyze.hpp"
#include "orefront/io/annotation_files.hpp"
#include "orefront/io/annotation_store.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"
#include "orefront/proj/geodesic.hpp"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <iomanip>
#include <ostream>
#include <sstream>

namespace orefront::cli {

int reportError(std::ostream &err, const char *command); // analyze.cpp: errors mapped once

namespace {

void storeOptions(CLI::App *cmd, AnnotationsOptions &o) {
    cmd->add_option("--store", o.store,
                    "Annotation store: a GeoPackage or any writable GDAL vector source (default: the "
                    "scenario's)");
    cmd->add_option("--scenario", o.scenario,
                    "Scenario whose store to use (its `annotations` key, else SCENARIO.annotations.gpkg "
                    "beside it; default: the bundled scenario)");
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string jsonString(const std::string &s) {
    std::string o = "\"";
    for (const unsigned char c : s) {
        if (c == '"' || c == '\\')
            o.append(1, '\\').append(1, static_cast<char>(c));
        else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            o += buf;
        } else
            o += static_cast<char>(c);
    }
    return o + "\"";
}

// What a measurement measures, in words: "length 123.45 km; legs 45.2 km at 087.1 deg, ...", or
// "area 12.34 km2; perimeter 15.2 km". Ellipsoidal (proj/geodesic.hpp).
std::string measured(const model::Annotation &a) {
    using K = model::AnnotationKind;
    if (a.kind == K::RangeCircle)
        return "radius " + fixed(a.radiusKm, 2) + " km";
    if (a.kind == K::Area || (a.kind == K::Measurement && a.closed)) {
        std::vector<model::LonLat> ring = a.vertices;
        if (!(ring.front() == ring.back()))
            ring.push_back(ring.front());
        return "area " + fixed(proj::geodesicAreaM2(ring) / 1e6, 3) + " km2; perimeter " +
               fixed(proj::measurePath(ring).lengthM / 1000, 3) + " km";
    }
    if (a.kind == K::Measurement || a.kind == K::Line || a.kind == K::Arrow) {
        const auto m = proj::measurePath(a.vertices);
        std::string s = "length " + fixed(m.lengthM / 1000, 3) + " km";
        if (a.kind == K::Measurement) {
            s += "; legs";
            for (std::size_t i = 0; i < m.legM.size(); ++i)
                s += std::string(i ? "," : "") + " " + fixed(m.legM[i] / 1000, 3) + " km at " +
                     fixed(m.legBearingDeg[i], 1) + " deg";
        }
        return s;
    }
    return fixed(a.vertices.front().lon, 5) + ", " + fixed(a.vertices.front().lat, 5);
}

void printTable(std::ostream &out, const model::AnnotationSet &set, const std::string &store) {
    out << "store: " << store << "\n";
    out << std::left << std::setw(6) << "id" << std::setw(20) << "kind" << std::setw(12) << "group"
        << std::setw(9) << "hostile" << std::setw(30) << "label" << std::setw(12) << "author" << std::setw(22)
        << "modified"
        << "geometry\n";
    for (const auto &a : set.annotations) {
        std::string label = a.label.size() > 28 ? a.label.substr(0, 27) + "~" : a.label;
        out << std::left << std::setw(6) << a.id << std::setw(20) << model::annotationKindName(a.kind)
            << std::setw(12) << a.group << std::setw(9) << (a.countsAsHostile ? "yes" : "no") << std::setw(30)
            << label << std::setw(12) << a.author << std::setw(22) << a.modifiedUtc << measured(a)
            << (a.visible ? "" : " (hidden)") << "\n";
    }
    out << set.annotations.size() << " annotation" << (set.annotations.size() == 1 ? "" : "s") << "\n";
    if (!set.notes.empty()) {
        out << "deposit notes:\n";
        for (const auto &n : set.notes)
            out << "  " << n.deposit << ": " << n.text << " (" << n.author << ", " << n.modifiedUtc << ")\n";
    }
}

void printJson(std::ostream &out, const model::AnnotationSet &set, const std::string &store) {
    out << "{\"store\": " << jsonString(store) << ", \"annotations\": [";
    for (std::size_t i = 0; i < set.annotations.size(); ++i) {
        const auto &a = set.annotations[i];
        out << (i ? ",\n  " : "\n  ") << "{\"id\": " << a.id
            << ", \"kind\": " << jsonString(model::annotationKindName(a.kind))
            << ", \"label\": " << jsonString(a.label) << ", \"group\": " << jsonString(a.group)
            << ", \"author\": " << jsonString(a.author) << ", \"created\": " << jsonString(a.createdUtc)
            << ", \"modified\": " << jsonString(a.modifiedUtc)
            << ", \"stroke\": " << jsonString(model::styleColorToHex(a.style.stroke))
            << ", \"fill\": " << jsonString(model::styleColorToHex(a.style.fill))
            << ", \"width_px\": " << a.style.widthPx << ", \"text_size_pt\": " << a.style.textSizePt
            << ", \"radius_km\": " << a.radiusKm << ", \"closed\": " << (a.closed ? "true" : "false")
            << ", \"counts_as_hostile\": " << (a.countsAsHostile ? "true" : "false")
            << ", \"visible\": " << (a.visible ? "true" : "false") << ", \"version\": " << a.version
            << ", \"measured\": " << jsonString(measured(a)) << ", \"vertices\": [";
        for (std::size_t k = 0; k < a.vertices.size(); ++k)
            out << (k ? ", " : "") << "[" << fixed(a.vertices[k].lon, 9) << ", "
                << fixed(a.vertices[k].lat, 9) << "]";
        out << "]}";
    }
    out << "\n], \"notes\": [";
    for (std::size_t i = 0; i < set.notes.size(); ++i) {
        const auto &n = set.notes[i];
        out << (i ? ",\n  " : "\n  ") << "{\"deposit\": " << jsonString(n.deposit)
            << ", \"text\": " << jsonString(n.text) << ", \"author\": " << jsonString(n.author)
            << ", \"modified\": " << jsonString(n.modifiedUtc) << ", \"version\": " << n.version << "}";
    }
    out << "\n]}\n";
}

model::Rgba color(const std::string &text, const char *option) {
    auto c = model::styleColorFromHex(text);
    if (!c)
        throw InputError(std::string(option) + " '" + text + "' is not a colour (#rrggbb or #rrggbbaa)");
    return *c;
}

// The annotation `add` describes, checked (annotationProblem) before the store is touched.
model::Annotation annotationFromOptions(const AnnotationsOptions &o) {
    model::Annotation a;
    const auto kind = model::annotationKindFromName(o.kind);
    if (!kind)
        throw InputError("--kind '" + o.kind + "' is not a kind of annotation (" +
                         model::annotationKindNames() + ")");
    a.kind = *kind;
    a.style = model::defaultAnnotationStyle(a.kind);
    a.label = o.label;
    a.group = o.group.empty() ? "default" : o.group;
    a.author = o.author;
    a.countsAsHostile = o.hostile;
    a.visible = !o.hidden;
    if (o.wkt.empty() == o.lonlat.empty())
        throw InputError("give the annotation's place with either --wkt WKT or --lonlat LON,LAT");
    if (!o.lonlat.empty()) {
        double lon = 0, lat = 0;
        char tail = 0;
        if (std::sscanf(o.lonlat.c_str(), " %lf , %lf %c", &lon, &lat, &tail) != 2)
            throw InputError("--lonlat '" + o.lonlat +
                             "' is not LON,LAT in degrees (e.g. --lonlat 37.8,48.0)");
        a.vertices = {{lon, lat}};
    } else {
        const io::WktShape shape = io::parseAnnotationWkt(o.wkt);
        a.vertices = shape.vertices;
        using K = model::AnnotationKind;
        const bool wantsPolygon = a.kind == K::Area;
        const bool wantsPoint = a.kind == K::Marker || a.kind == K::Text || a.kind == K::RangeCircle;
        if (wantsPolygon && shape.dimension != 2)
            throw InputError("--kind area needs a POLYGON, got '" + o.wkt + "'");
        if (wantsPoint && shape.dimension != 0)
            throw InputError("--kind " + o.kind + " needs a POINT, got '" + o.wkt + "'");
        if (!wantsPolygon && !wantsPoint && shape.dimension == 0)
            throw InputError("--kind " + o.kind + " needs a LINESTRING" +
                             (a.kind == K::Measurement ? " or a POLYGON" : "") + ", got '" + o.wkt + "'");
        if (a.kind != K::Measurement && !wantsPolygon && shape.dimension == 2)
            throw InputError("--kind " + o.kind + " needs a LINESTRING, got '" + o.wkt + "'");
        a.closed = a.kind == K::Measurement && shape.dimension == 2;
    }
    if (o.radiusKm) {
        if (a.kind != model::AnnotationKind::RangeCircle)
            throw InputError("--radius-km is only for --kind range_circle (got --kind " + o.kind + ")");
        a.radiusKm = *o.radiusKm;
    } else if (a.kind == model::AnnotationKind::RangeCircle) {
        throw InputError("--kind range_circle needs --radius-km R");
    }
    if (!o.color.empty())
        a.style.stroke = color(o.color, "--color");
    if (!o.fill.empty())
        a.style.fill = color(o.fill, "--fill");
    else if (!o.color.empty())
        a.style.fill = {a.style.stroke.r, a.style.stroke.g, a.style.stroke.b, 64};
    if (o.widthPx)
        a.style.widthPx = static_cast<float>(*o.widthPx);
    if (o.textSizePt)
        a.style.textSizePt = static_cast<float>(*o.textSizePt);
    if (!(a.style.widthPx > 0) || !(a.style.textSizePt > 0))
        throw InputError("--width and --text-size must be greater than 0");
    if (const std::string problem = model::annotationProblem(a); !problem.empty())
        throw InputError("annotation '" + a.label + "': " + problem);
    return a;
}

int run(const AnnotationsOptions &o, std::ostream &out, std::ostream &err) {
    // Bad input is refused before the store is touched (or created).
    const std::optional<model::Annotation> toAdd =
        o.action == "add" ? std::optional(annotationFromOptions(o)) : std::nullopt;
    const std::string source = annotationStoreFor(o.store, o.scenario);
    const bool creates = o.action == "add" || o.action == "import" || o.action == "note";
    auto store = io::openAnnotationStore(source, creates);
    if (o.action == "list") {
        const auto set = store->load();
        if (o.json)
            printJson(out, set, store->describe());
        else
            printTable(out, set, io::redactSource(source));
    } else if (o.action == "add") {
        const model::Annotation a = store->add(*toAdd);
        out << a.id << std::endl; // only now: the change is committed
    } else if (o.action == "rm") {
        int missing = 0;
        for (const auto id : o.ids)
            if (store->remove(id))
                out << "removed " << id << "\n";
            else {
                err << "orefront annotations rm: error: " << store->describe() << " has no annotation " << id
                    << "\n";
                ++missing;
            }
        return missing ? kBadInput : kOk;
    } else if (o.action == "import") {
        const model::AnnotationSet in = io::readAnnotationFile(o.file);
        if (in.annotations.empty() && in.notes.empty())
            throw InputError("'" + o.file + "' holds no annotations");
        for (const auto &a : in.annotations)
            if (const std::string problem = model::annotationProblem(a); !problem.empty())
                throw InputError("'" + o.file + "', feature " + std::to_string(a.id) + " ('" + a.label +
                                 "'): " + problem + "; nothing was imported");
        // One transaction: a failure part-way leaves the store as it was.
        const model::AnnotationSet stored = store->addAll(in);
        for (const auto &a : stored.annotations)
            out << a.id << "\n";
        const std::size_t n = stored.annotations.size();
        out << "imported " << n << " annotation" << (n == 1 ? "" : "s") << " and " << in.notes.size()
            << " note" << (in.notes.size() == 1 ? "" : "s") << " from " << o.file << " into "
            << store->describe() << "\n";
    } else if (o.action == "export") {
        const auto set = store->load();
        io::writeAnnotationFile(set, o.file);
        out << "exported " << set.annotations.size() << " annotations to " << o.file << "\n";
    } else if (o.action == "note") {
        const auto current = store->load();
        model::DepositNote n;
        n.deposit = o.deposit;
        n.text = o.text;
        n.author = o.author;
        const auto *old = current.noteFor(o.deposit);
        n.version = old ? old->version : 0;
        if (!old && o.text.empty())
            throw InputError(store->describe() + " has no note on '" + o.deposit + "' to remove");
        store->putNote(n);
        out << (o.text.empty() ? "removed the note on '" : "noted '") << o.deposit << "'\n";
    } else {
        err << "orefront annotations: error: give a subcommand: list, add, rm, import, export or note\n";
        return kUsage;
    }
    return kOk;
}

} // namespace

std::string annotationStoreFor(const std::string &store, const std::string &scenario) {
    if (!store.empty())
        return store;
    const std::string path = scenario.empty() ? std::string(OREFRONT_GEODATA_DIR "/scenario.toml") : scenario;
    return io::defaultAnnotationStore(path, io::loadScenario(path).annotations);
}

CLI::App *addAnnotationsCommand(CLI::App &app, AnnotationsOptions &o) {
    auto *cmd =
        app.add_subcommand("annotations", "List, add, remove, import and export annotations and notes");
    cmd->require_subcommand(1);
    storeOptions(cmd, o);
    auto sub = [&](const char *name, const char *help) {
        auto *s = cmd->add_subcommand(name, help);
        s->callback([&o, name] { o.action = name; });
        storeOptions(s, o);
        return s;
    };
    auto *list = sub("list", "Print the annotations and deposit notes");
    list->add_flag("--json", o.json, "As JSON");

    auto *add = sub("add", "Add an annotation; prints its id once it is saved");
    add->add_option("--kind", o.kind, "Kind: " + model::annotationKindNames())->required();
    add->add_option("--label", o.label, "Label text")->required();
    add->add_option("--wkt", o.wkt, "Geometry as WKT (POINT, LINESTRING or POLYGON), lon/lat degrees");
    add->add_option("--lonlat", o.lonlat, "A point: LON,LAT in degrees");
    add->add_option("--radius-km", o.radiusKm, "Radius of a range_circle, km (geodesic)");
    add->add_option("--group", o.group, "Group (default: default)");
    add->add_flag("--hostile", o.hostile, "Counts as hostile: the analysis measures from it (a what-if)");
    add->add_flag("--hidden", o.hidden, "Not shown on the map (still counts when --hostile)");
    add->add_option("--color", o.color, "Stroke colour, #rrggbb or #rrggbbaa");
    add->add_option("--fill", o.fill, "Fill colour of an area or circle (default: the stroke at 25 %)");
    add->add_option("--width", o.widthPx, "Line width, px");
    add->add_option("--text-size", o.textSizePt, "Label size, pt");
    add->add_option("--author", o.author, "Author (default: the OS user)");

    auto *rm = sub("rm", "Remove annotations by id");
    rm->add_option("ids", o.ids, "Annotation ids")->required();

    auto *imp = sub("import", "Add every feature of a GeoJSON, KML or GeoPackage file");
    imp->add_option("file", o.file, "File to import")->required();
    auto *exp = sub("export", "Write the annotations to a GeoJSON, KML or GeoPackage file");
    exp->add_option("file", o.file, "File to write (.geojson, .kml, .gpkg)")->required();

    auto *note = sub("note", "Set a deposit's note (empty text removes it)");
    note->add_option("deposit", o.deposit, "Deposit name, as in the report")->required();
    note->add_option("text", o.text, "Note text")->required();
    note->add_option("--author", o.author, "Author (default: the OS user)");
    return cmd;
}

int runAnnotations(const AnnotationsOptions &o, std::ostream &out, std::ostream &err) {
    try {
        io::initGdal();
        return run(o, out, err);
    } catch (...) {
        return reportError(err, ("annotations " + o.action).c_str());
    }
}

} // namespace orefront::cli
