// The viewer's annotation document and mouse editor, headless (issue 9): undo/redo sequences
// in memory and through a store (each edit one store call; ids the store gives survive undo
// and redo), a stale write kept as a conflict, a reload on another process's change, drawing
// and editing with synthetic pointer events, Shift-snapping, and range circles true on the
// ellipsoid (checked with GeographicLib directly).
#include "annotation_document.hpp"
#include "annotation_editor.hpp"
#include "annotation_shapes.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/PolygonArea.hpp>
#include <catch2/catch.hpp>

#include <cstdio>
#include <map>

using namespace orefront;
using namespace orefront::viewer;
using model::Annotation;
using model::AnnotationKind;

namespace {

// An in-memory AnnotationStore that counts its transactions and can be changed "by another
// process" (external()).
struct FakeStore : io::AnnotationStore {
    std::map<std::int64_t, Annotation> rows;
    std::map<std::string, model::DepositNote> notes;
    std::int64_t nextId = 100;
    int revisionNo = 0;
    int transactions = 0;
    bool failNext = false;

    std::string describe() const override { return "fake"; }
    bool readOnly() const override { return false; }
    model::AnnotationSet load() override {
        model::AnnotationSet s;
        for (const auto &[id, a] : rows)
            s.annotations.push_back(a);
        for (const auto &[k, n] : notes)
            s.notes.push_back(n);
        return s;
    }
    std::string revision() override { return std::to_string(revisionNo); }
    void commit() {
        if (failNext) {
            failNext = false;
            throw InputError("fake: disk full");
        }
        ++transactions;
        ++revisionNo;
    }
    Annotation add(const Annotation &a) override {
        commit();
        Annotation r = a;
        r.id = nextId++;
        r.version = 1;
        rows[r.id] = r;
        return r;
    }
    Annotation update(const Annotation &a) override {
        auto it = rows.find(a.id);
        if (it == rows.end())
            throw InputError("fake: no row");
        if (it->second.version != a.version)
            throw io::StaleWriteError("fake: stale", a, it->second);
        commit();
        Annotation r = a;
        r.version = a.version + 1;
        it->second = r;
        return r;
    }
    bool remove(std::int64_t id) override {
        commit();
        return rows.erase(id) > 0;
    }
    model::DepositNote putNote(const model::DepositNote &n) override {
        const auto it = notes.find(n.deposit);
        if ((it == notes.end() ? 0 : it->second.version) != n.version)
            throw InputError("fake: stale note");
        commit();
        model::DepositNote r = n;
        r.version = n.version + 1;
        if (n.text.empty())
            notes.erase(n.deposit);
        else
            notes[n.deposit] = r;
        return r;
    }
    model::AnnotationSet addAll(const model::AnnotationSet &in) override {
        commit(); // one transaction
        model::AnnotationSet out;
        for (const auto &a : in.annotations) {
            out.annotations.push_back(a);
            out.annotations.back().id = nextId++;
            out.annotations.back().version = 1;
            rows[out.annotations.back().id] = out.annotations.back();
        }
        return out;
    }
    // Another process edits a row.
    void external(std::int64_t id, const std::string &label) {
        rows[id].label = label;
        ++rows[id].version;
        ++revisionNo;
    }
};

Annotation marker(double lon, double lat, const std::string &label) {
    Annotation a;
    a.kind = AnnotationKind::Marker;
    a.vertices = {{lon, lat}};
    a.label = label;
    return a;
}

std::vector<std::string> labels(const AnnotationDocument &d) {
    std::vector<std::string> out;
    for (const auto &a : d.annotations())
        out.push_back(a.label);
    return out;
}

Camera viewAt(double lon, double lat, double mpp = 500) {
    Camera c;
    c.center = toMercator({lon, lat});
    c.metresPerPixel = mpp;
    c.width = 800;
    c.height = 600;
    return c;
}

} // namespace

TEST_CASE("annotation document: undo and redo every kind of edit, in memory", "[annotations]") {
    AnnotationDocument d;
    const auto a = d.add(marker(35, 48, "A"));
    const auto b = d.add(marker(36, 48, "B"));
    REQUIRE(a != 0);
    REQUIRE(b != a);
    Annotation moved = *d.find(a);
    moved.vertices[0] = {35.5, 48.5};
    REQUIRE(d.update(moved));
    Annotation relabelled = *d.find(b);
    relabelled.label = "B2";
    relabelled.style.stroke = {0, 0, 255, 255};
    REQUIRE(d.update(relabelled));
    REQUIRE(d.remove(a));
    CHECK(labels(d) == std::vector<std::string>{"B2"});

    REQUIRE(d.undo()); // the delete
    CHECK(d.find(a));
    CHECK(d.find(a)->vertices[0] == model::LonLat{35.5, 48.5});
    REQUIRE(d.undo()); // the label and style
    CHECK(d.find(b)->label == "B");
    CHECK(d.find(b)->style.stroke == model::AnnotationStyle{}.stroke);
    REQUIRE(d.undo()); // the move
    CHECK(d.find(a)->vertices[0] == model::LonLat{35, 48});
    REQUIRE(d.undo());
    REQUIRE(d.undo());
    CHECK(d.annotations().empty());
    CHECK_FALSE(d.undo());

    for (int i = 0; i < 5; ++i)
        REQUIRE(d.redo());
    CHECK_FALSE(d.redo());
    CHECK(labels(d) == std::vector<std::string>{"B2"});

    // A new edit after an undo drops the redo branch.
    REQUIRE(d.undo());
    d.add(marker(37, 48, "C"));
    CHECK_FALSE(d.canRedo());
}

TEST_CASE("annotation document: each edit is one store transaction, and ids survive undo and redo",
          "[annotations]") {
    FakeStore store;
    AnnotationDocument d;
    d.attach(&store);
    const auto id = d.add(marker(35, 48, "A"));
    CHECK(id >= 100);
    CHECK(store.transactions == 1);
    Annotation e = *d.find(id);
    e.label = "A2";
    REQUIRE(d.update(e));
    CHECK(store.transactions == 2);
    CHECK(store.rows.at(id).label == "A2");

    REQUIRE(d.undo()); // label back
    CHECK(store.rows.at(id).label == "A");
    REQUIRE(d.undo()); // the add: removed from the store
    CHECK(store.rows.empty());
    REQUIRE(d.redo()); // added again, with a new id from the store
    REQUIRE(d.annotations().size() == 1);
    const auto newId = d.annotations()[0].id;
    CHECK(newId != id);
    REQUIRE(d.redo()); // the label edit follows the new id
    CHECK(store.rows.at(newId).label == "A2");
    CHECK(store.transactions == 6);
    // Our own commits are no reason to reload.
    CHECK_FALSE(d.reloadIfChanged());

    // A failed commit changes nothing and is not shown as saved.
    store.failNext = true;
    CHECK(d.add(marker(1, 1, "lost")) == 0);
    CHECK(d.annotations().size() == 1);
    CHECK(d.lastError().find("disk full") != std::string::npos);
}

TEST_CASE("annotation document: another process's change is reloaded, never overwritten", "[annotations]") {
    FakeStore store;
    AnnotationDocument d;
    d.attach(&store);
    const auto id = d.add(marker(35, 48, "ours"));
    Annotation stale = *d.find(id);

    store.external(id, "theirs");
    // An edit based on the old version is refused; both versions are kept for the user.
    stale.label = "ours, edited";
    CHECK_FALSE(d.update(stale));
    REQUIRE(d.conflict());
    CHECK(d.conflict()->theirs.label == "theirs");
    CHECK(d.conflict()->mine.label == "ours, edited");
    CHECK(store.rows.at(id).label == "theirs");
    REQUIRE(d.keepMine());
    CHECK(store.rows.at(id).label == "ours, edited");
    CHECK_FALSE(d.conflict());

    // Polling sees a change made elsewhere and reloads it.
    store.external(id, "theirs again");
    CHECK(d.reloadIfChanged());
    CHECK(d.find(id)->label == "theirs again");
    CHECK_FALSE(d.canUndo()); // the history was about rows as they were
}

TEST_CASE("annotation document: deposit notes are edits too", "[annotations]") {
    AnnotationDocument d;
    REQUIRE(d.setNote("Mountain Pass", "site visit 2026-11", "analyst"));
    REQUIRE(d.noteFor("Mountain Pass"));
    CHECK(d.noteFor("Mountain Pass")->text == "site visit 2026-11");
    REQUIRE(d.setNote("Mountain Pass", "", "analyst"));
    CHECK_FALSE(d.noteFor("Mountain Pass"));
    REQUIRE(d.undo());
    CHECK(d.noteFor("Mountain Pass")->text == "site visit 2026-11");
}

TEST_CASE("annotation document: note edits and their undo are based on the stored version", "[annotations]") {
    FakeStore store;
    AnnotationDocument d;
    d.attach(&store);
    REQUIRE(d.setNote("Kvanefjeld", "first", "a"));
    REQUIRE(d.setNote("Kvanefjeld", "second", "a"));
    REQUIRE(d.undo());
    CHECK(store.notes.at("Kvanefjeld").text == "first");
    REQUIRE(d.undo());
    CHECK(store.notes.count("Kvanefjeld") == 0);
    REQUIRE(d.redo());
    REQUIRE(d.redo());
    CHECK(store.notes.at("Kvanefjeld").text == "second");
    CHECK(d.lastError().empty());
}

TEST_CASE("annotation document: groups are shown and hidden without an edit", "[annotations]") {
    AnnotationDocument d;
    Annotation a = marker(35, 48, "A");
    a.group = "recon";
    d.add(a);
    d.add(marker(36, 48, "B"));
    CHECK(d.groups() == std::vector<std::string>{"recon", "default"});
    d.setGroupVisible("recon", false);
    CHECK_FALSE(d.shown(d.annotations()[0]));
    CHECK(d.shown(d.annotations()[1]));
    CHECK(d.undoDepth() == 2);
}

TEST_CASE("annotation editor: draw, select, move, drag a vertex, snap, delete", "[annotations]") {
    AnnotationDocument d;
    AnnotationEditor ed;
    const Camera cam = viewAt(35, 48);
    using P = AnnotationEditor::Pointer;

    // A line: two clicks and a double-click (its repeated point dropped).
    ed.setTool(AnnotationEditor::Tool::Line);
    ed.press(d, cam, P{100, 100});
    ed.release(d, cam, P{100, 100});
    ed.press(d, cam, P{300, 100});
    ed.release(d, cam, P{300, 100});
    ed.press(d, cam, P{300, 100});
    ed.finish(d);
    REQUIRE(d.annotations().size() == 1);
    const Annotation line = d.annotations()[0];
    CHECK(line.kind == AnnotationKind::Line);
    CHECK(line.vertices.size() == 2);
    CHECK(ed.selected() == line.id);
    CHECK(ed.tool() == AnnotationEditor::Tool::Select);

    // Click on the line's middle selects it; a drag moves it by the dragged pixels, one edit.
    ed.select(0);
    REQUIRE(ed.press(d, cam, P{200, 101}));
    CHECK(ed.selected() == line.id);
    ed.drag(d, cam, P{200, 151});
    CHECK(ed.preview());
    ed.release(d, cam, P{200, 151});
    double x, y;
    cam.lonLatToScreen(d.find(line.id)->vertices[0], x, y);
    CHECK(x == Approx(100).margin(0.01));
    CHECK(y == Approx(150).margin(0.01));
    CHECK(d.undoDepth() == 2);

    // Drag the second vertex with Shift near a deposit: it lands on the deposit.
    const model::LonLat deposit = cam.screenToLonLat(400, 300);
    ed.setSnapPoints({deposit});
    REQUIRE(ed.press(d, cam, P{300, 150}));
    ed.drag(d, cam, P{405, 296, true});
    ed.release(d, cam, P{405, 296, true});
    CHECK(d.find(line.id)->vertices[1] == deposit);
    CHECK(d.find(line.id)->vertices[0] != deposit);

    // Empty map: not the editor's press (the map pans); selection cleared.
    CHECK_FALSE(ed.press(d, cam, P{700, 550}));
    CHECK(ed.selected() == 0);

    // Delete, and undo everything back to the line as drawn.
    ed.select(line.id);
    REQUIRE(ed.deleteSelected(d));
    CHECK(d.annotations().empty());
    REQUIRE(d.undo());
    REQUIRE(d.undo());
    REQUIRE(d.undo());
    CHECK(d.find(line.id)->vertices == line.vertices);
}

TEST_CASE("annotation editor: the hypothetical-front tool draws a violet line of that kind, never hostile",
          "[annotations]") {
    AnnotationDocument d;
    AnnotationEditor ed;
    const Camera cam = viewAt(35, 48);
    using P = AnnotationEditor::Pointer;
    ed.m_style.stroke = {1, 2, 3, 255}; // the panel's style for new marks does not apply to it
    ed.setTool(AnnotationEditor::Tool::HypotheticalFront);
    REQUIRE(AnnotationEditor::kindOf(ed.tool()) == AnnotationKind::HypotheticalFront);
    for (double x : {100.0, 250.0, 400.0}) {
        ed.press(d, cam, P{x, 200});
        ed.release(d, cam, P{x, 200});
    }
    ed.finish(d);
    REQUIRE(d.annotations().size() == 1);
    const Annotation &front = d.annotations()[0];
    CHECK(front.kind == AnnotationKind::HypotheticalFront);
    CHECK(front.vertices.size() == 3);
    CHECK(front.style == model::defaultAnnotationStyle(AnnotationKind::HypotheticalFront));
    CHECK(front.style.stroke == model::Rgba{0x7b, 0x2c, 0xbf, 255});
    CHECK_FALSE(front.countsAsHostile);
    CHECK(model::annotationProblem(front).empty());
}

TEST_CASE("annotation editor: a range circle's radius is the geodesic drag distance", "[annotations][proj]") {
    AnnotationDocument d;
    AnnotationEditor ed;
    const Camera cam = viewAt(35, 48, 1000);
    ed.setTool(AnnotationEditor::Tool::RangeCircle);
    ed.press(d, cam, {400, 300});
    ed.drag(d, cam, {400, 200});
    ed.release(d, cam, {400, 200});
    REQUIRE(d.annotations().size() == 1);
    const Annotation c = d.annotations()[0];
    CHECK(c.kind == AnnotationKind::RangeCircle);
    const model::LonLat centre = cam.screenToLonLat(400, 300), edge = cam.screenToLonLat(400, 200);
    double s12 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(centre.lat, centre.lon, edge.lat, edge.lon, s12);
    CHECK(c.radiusKm * 1000 == Approx(s12).margin(1.0));

    // Every point of the drawn circle is that far from the centre on the ellipsoid.
    for (const auto &p : geodesicCircle(c.vertices[0], c.radiusKm, 64)) {
        double d12 = 0;
        GeographicLib::Geodesic::WGS84().Inverse(c.vertices[0].lat, c.vertices[0].lon, p.lat, p.lon, d12);
        CHECK(d12 == Approx(c.radiusKm * 1000).margin(0.01));
    }
}

TEST_CASE("A measurement shows each leg's length and bearing, and a closed one its area, on the "
          "ellipsoid (GeographicLib)",
          "[viewer][annotations][issue9]") {
    const auto &g = GeographicLib::Geodesic::WGS84();
    Annotation m;
    m.kind = AnnotationKind::Measurement;
    m.vertices = {{30.52, 50.45}, {36.23, 49.99}, {35.14, 47.84}}; // Kyiv, Kharkiv, Zaporizhzhia
    double total = 0;
    std::string expected;
    char buf[96];
    for (std::size_t i = 0; i + 1 < m.vertices.size(); ++i) {
        double s12 = 0, azi1 = 0, azi2 = 0;
        g.Inverse(m.vertices[i].lat, m.vertices[i].lon, m.vertices[i + 1].lat, m.vertices[i + 1].lon, s12,
                  azi1, azi2);
        total += s12;
        const double bearing = std::fmod(std::round(azi1 < 0 ? azi1 + 360 : azi1), 360.0);
        std::snprintf(buf, sizeof buf, "leg %zu: %.1f km at %03.0f\u00b0", i + 1, s12 / 1000.0, bearing);
        expected += (i ? "; " : "") + std::string(buf);
    }
    std::snprintf(buf, sizeof buf, "%.1f km", total / 1000.0);
    CHECK(measurementText(m) == std::string(buf) + "  (" + expected + ")");
    // Kyiv -> Kharkiv runs a little south of east: about 098 degrees.
    CHECK(measurementText(m).find("at 09") != std::string::npos);

    m.closed = true;
    GeographicLib::PolygonArea poly(g);
    for (const auto &v : m.vertices)
        poly.AddPoint(v.lat, v.lon);
    double perimeter = 0, area = 0;
    poly.Compute(false, true, perimeter, area);
    std::snprintf(buf, sizeof buf, "%.1f km, area %.1f km\u00b2", perimeter / 1000.0, std::abs(area) / 1e6);
    const std::string text = measurementText(m);
    INFO(text);
    CHECK(text.rfind(buf, 0) == 0);
    CHECK(text.find("leg 3: ") != std::string::npos); // back to the first vertex
}
