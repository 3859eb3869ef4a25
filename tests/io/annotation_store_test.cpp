// The GeoPackage annotation store: every kind round-trips, versions refuse stale writes,
// notes, revisions, read-only and missing stores, the default store path; and the model's
// pure edits and colours.
#include "io/annotation_fixtures.hpp"
#include "orefront/io/annotation_store.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/io/scenario_writer.hpp"

#include <catch2/catch.hpp>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace orefront;
using Catch::Contains;
using model::Annotation;
using model::AnnotationKind;
using testing::checkSameContent;
using testing::everyKind;
using testing::make;
using testing::TempDir;
namespace fs = std::filesystem;

TEST_CASE("annotation kinds and colours have stable names", "[model]") {
    for (auto k : {AnnotationKind::Marker, AnnotationKind::Text, AnnotationKind::Arrow, AnnotationKind::Line,
                   AnnotationKind::Area, AnnotationKind::RangeCircle, AnnotationKind::Measurement,
                   AnnotationKind::HypotheticalFront})
        CHECK(model::annotationKindFromName(model::annotationKindName(k)) == k);
    CHECK(std::string(model::annotationKindName(AnnotationKind::HypotheticalFront)) == "hypothetical_front");
    CHECK(model::annotationKindNames() ==
          "marker, text, arrow, line, area, range_circle, measurement, hypothetical_front");
    CHECK(std::string(model::annotationKindName(AnnotationKind::RangeCircle)) == "range_circle");
    CHECK_FALSE(model::annotationKindFromName("circle"));
    CHECK(model::styleColorToHex({200, 30, 30, 255}) == "#c81e1e");
    CHECK(model::styleColorToHex({200, 30, 30, 64}) == "#c81e1e40");
    CHECK(model::styleColorFromHex("#C81E1E") == model::Rgba{200, 30, 30, 255});
    CHECK(model::styleColorFromHex("c81e1e40") == model::Rgba{200, 30, 30, 64});
    CHECK(model::styleColorFromHex("#f00") == model::Rgba{255, 0, 0, 255});
    CHECK_FALSE(model::styleColorFromHex("#gg0000"));
    CHECK_FALSE(model::styleColorFromHex("red"));
    CHECK(model::nowUtcIso().size() == 20);
    CHECK_FALSE(model::currentUser().empty());
}

TEST_CASE("annotationProblem names what is wrong with each kind", "[model]") {
    for (const auto &a : everyKind())
        CHECK(model::annotationProblem(a).empty());
    Annotation a = make(AnnotationKind::Marker, {{1, 2}, {3, 4}}, "x");
    CHECK_THAT(model::annotationProblem(a), Contains("exactly one point"));
    a = make(AnnotationKind::Line, {{1, 2}}, "x");
    CHECK_THAT(model::annotationProblem(a), Contains("two or more"));
    a = make(AnnotationKind::Area, {{1, 2}, {2, 2}, {1, 2}}, "x");
    CHECK_THAT(model::annotationProblem(a), Contains("three or more distinct"));
    a = make(AnnotationKind::RangeCircle, {{1, 2}}, "x");
    CHECK_THAT(model::annotationProblem(a), Contains("radius"));
    a = make(AnnotationKind::Marker, {{1, 2}}, "x");
    a.radiusKm = 5;
    CHECK_THAT(model::annotationProblem(a), Contains("only for a range_circle"));
    a = make(AnnotationKind::Marker, {{200, 2}}, "x");
    CHECK_THAT(model::annotationProblem(a), Contains("not a longitude, latitude"));
    a = make(AnnotationKind::HypotheticalFront, {{36, 47}}, "x");
    CHECK_THAT(model::annotationProblem(a), Contains("two or more"));
    a = make(AnnotationKind::HypotheticalFront, {{36, 47}, {37, 48}}, "x");
    a.countsAsHostile = true;
    CHECK_THAT(model::annotationProblem(a), Contains("what-if front of its own"));
}

TEST_CASE("AnnotationSet edits are pure: the old set is kept for undo", "[model]") {
    model::AnnotationSet s;
    Annotation a = make(AnnotationKind::Marker, {{1, 2}}, "a");
    a.id = 7;
    const auto s1 = s.withAnnotation(a);
    CHECK(s.annotations.empty());
    REQUIRE(s1.find(7));
    a.label = "moved";
    a.vertices = {{3, 4}};
    const auto s2 = s1.withAnnotation(a);
    CHECK(s1.find(7)->label == "a");
    CHECK(s2.find(7)->label == "moved");
    CHECK(s2.annotations.size() == 1);
    const auto s3 = s2.withoutAnnotation(7);
    CHECK_FALSE(s3.find(7));
    CHECK(s2.find(7));
    const auto s4 = s3.withNote({"Azovske", "check access road", "me", "", 0});
    REQUIRE(s4.noteFor("Azovske"));
    CHECK(s4.withNote({"Azovske", "", "me", "", 0}).noteFor("Azovske") == nullptr);
}

TEST_CASE("every annotation kind round-trips through a GeoPackage store", "[gdal]") {
    io::initGdal();
    TempDir dir;
    const std::string path = dir / "s.annotations.gpkg";
    auto store = io::openAnnotationStore(path);
    CHECK_FALSE(store->readOnly());
    CHECK_THAT(store->describe(), Contains("s.annotations.gpkg"));
    const auto kinds = everyKind();
    std::vector<Annotation> added;
    for (const auto &a : kinds) {
        added.push_back(store->add(a));
        CHECK(added.back().id > 0);
        CHECK(added.back().version == 1);
        CHECK(added.back().author == model::currentUser());
        CHECK(added.back().createdUtc.size() == 20);
    }
    // A fresh store object (as another process would) reads them all back.
    const model::AnnotationSet set = io::openAnnotationStore(path, false)->load();
    REQUIRE(set.annotations.size() == kinds.size());
    for (std::size_t i = 0; i < kinds.size(); ++i) {
        const Annotation *back = set.find(added[i].id);
        REQUIRE(back);
        checkSameContent(*back, kinds[i]);
        CHECK(back->version == 1);
        CHECK(back->createdUtc == added[i].createdUtc);
        CHECK(back->author == added[i].author);
    }
    // Ids are never reused, even after a removal.
    CHECK(store->remove(added.back().id));
    CHECK_FALSE(store->remove(added.back().id));
    CHECK(store->add(kinds[0]).id == added.back().id + 1);

    // GDAL opens it read-only as any other GeoPackage; the store is in WAL mode (see
    // annotation_store.cpp), and between calls the .gpkg alone holds everything (no -wal left).
    CHECK_FALSE(fs::exists(path + "-wal"));
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    REQUIRE(ds->GetLayerByName("annotations"));
    REQUIRE(ds->GetLayerByName("deposit_notes"));
    CHECK(ds->GetLayerByName("annotations")->GetFeatureCount() == static_cast<GIntBig>(kinds.size()));
    OGRLayer *mode = ds->ExecuteSQL("PRAGMA journal_mode", nullptr, nullptr);
    REQUIRE(mode);
    OGRFeatureUniquePtr row(mode->GetNextFeature());
    REQUIRE(row);
    CHECK(std::string(row->GetFieldAsString(0)) == "wal");
    ds->ReleaseResultSet(mode);
}

TEST_CASE("a stale write is refused and carries both versions", "[gdal]") {
    io::initGdal();
    TempDir dir;
    const std::string path = dir / "s.gpkg";
    auto mine = io::openAnnotationStore(path);
    auto theirs = io::openAnnotationStore(path);
    Annotation a = mine->add(everyKind()[0]);
    const std::string rev0 = mine->revision();

    Annotation b = a;
    b.label = "Reported HQ (confirmed)";
    const Annotation saved = theirs->update(b);
    CHECK(saved.version == 2);
    CHECK(saved.createdUtc == a.createdUtc);
    CHECK(mine->revision() != rev0); // another store object's commit changes the revision

    a.label = "Reported HQ (moved)";
    try {
        mine->update(a);
        FAIL("the stale write was accepted");
    } catch (const io::StaleWriteError &e) {
        CHECK_THAT(e.what(), Contains("version 2"));
        CHECK(e.mine.label == "Reported HQ (moved)");
        CHECK(e.theirs.label == "Reported HQ (confirmed)");
        CHECK(e.theirs.version == 2);
    }
    CHECK(mine->load().find(a.id)->label == "Reported HQ (confirmed)");
    // Based on the current version, it goes through.
    a.version = 2;
    CHECK(mine->update(a).version == 3);
    // Updating a removed annotation is a clear error, not a silent add.
    REQUIRE(theirs->remove(a.id));
    a.version = 3;
    CHECK_THROWS_WITH(mine->update(a), Contains("no longer there"));
}

TEST_CASE("deposit notes: set, change, refuse a stale change, remove", "[gdal]") {
    io::initGdal();
    TempDir dir;
    auto store = io::openAnnotationStore(dir / "n.gpkg");
    model::DepositNote n{"Azovske", "Access road cut at Volnovakha", "", "", 0};
    const auto saved = store->putNote(n);
    CHECK(saved.version == 1);
    CHECK(saved.author == model::currentUser());
    CHECK_THROWS_AS(store->putNote(n), io::StaleWriteError); // version 0 is stale now
    n = saved;
    n.text = "Road repaired";
    CHECK(store->putNote(n).version == 2);
    const auto set = store->load();
    REQUIRE(set.noteFor("Azovske"));
    CHECK(set.noteFor("Azovske")->text == "Road repaired");
    n.version = 2;
    n.text = "";
    store->putNote(n);
    CHECK(store->load().notes.empty());
}

TEST_CASE("missing, misplaced and read-only stores are clear errors", "[gdal]") {
    io::initGdal();
    TempDir dir;
    CHECK_THROWS_WITH(io::openAnnotationStore(dir / "none.gpkg", false),
                      Contains("none.gpkg") && Contains("does not exist"));
    CHECK_THROWS_WITH(io::openAnnotationStore(dir / "no/such/dir/a.gpkg"),
                      Contains("no/such/dir") && Contains("does not exist"));
    CHECK_THROWS_WITH(io::openAnnotationStore(dir / "a.geojson"), Contains("GeoPackage"));
    // The PostgreSQL team store (core/src/pg): no server there, and the password stays hidden.
    CHECK_THROWS_WITH(io::openAnnotationStore("PG:host=/nonexistent dbname=x password=secret"),
                      Contains("cannot connect") && Contains("password=***") && !Contains("secret"));
    CHECK_FALSE(fs::exists(dir / "none.gpkg"));

    // A store inside a zip: GDAL can read it but not write it.
    const std::string path = dir / "a.gpkg";
    io::openAnnotationStore(path)->add(everyKind()[0]);
    const std::string zipped = "/vsizip/" + (dir / "a.zip") + "/a.gpkg";
    {
        std::ifstream in(path, std::ios::binary);
        const std::string bytes((std::istreambuf_iterator<char>(in)), {});
        VSILFILE *f = VSIFOpenL(zipped.c_str(), "wb");
        REQUIRE(f);
        REQUIRE(VSIFWriteL(bytes.data(), 1, bytes.size(), f) == bytes.size());
        VSIFCloseL(f);
    }
    auto ro = io::openAnnotationStore(zipped, false);
    CHECK(ro->readOnly());
    CHECK(ro->load().annotations.size() == 1);
    CHECK_THROWS_WITH(ro->add(everyKind()[1]), Contains("a.zip") && Contains("read-only"));

    if (::geteuid() != 0) { // root writes regardless of permissions
        fs::permissions(path, fs::perms::owner_read);
        auto ro2 = io::openAnnotationStore(path);
        CHECK(ro2->readOnly());
        CHECK_THROWS_WITH(ro2->add(everyKind()[1]), Contains("read-only"));
    } else {
        WARN("skipped the chmod part: running as root, which writes read-only files");
    }
}

TEST_CASE("the default store sits beside the scenario unless the scenario declares one", "[gdal]") {
    CHECK(io::defaultAnnotationStore("/data/x/ukraine.toml", "") == "/data/x/ukraine.annotations.gpkg");
    CHECK(io::defaultAnnotationStore("/data/x/ukraine.toml", "team.gpkg") == "/data/x/team.gpkg");
    CHECK(io::defaultAnnotationStore("/data/x/ukraine.toml", "/srv/a.gpkg") == "/srv/a.gpkg");
    CHECK(io::defaultAnnotationStore("/data/x/s.toml", "PG:dbname=ops") == "PG:dbname=ops");
}

TEST_CASE("a scenario's `annotations` key is read, and written relative to the saved scenario", "[gdal]") {
    TempDir dir;
    fs::create_directories(dir.path / "a");
    {
        std::ofstream toml(dir / "a/s.toml");
        toml << "name = \"s\"\nannotations = \"../team/ops.gpkg\"\n";
    }
    const model::Scenario s = io::loadScenario(dir / "a/s.toml");
    CHECK(s.annotations == "../team/ops.gpkg");
    CHECK(fs::path(io::defaultAnnotationStore(dir / "a/s.toml", s.annotations)).lexically_normal() ==
          (dir.path / "team/ops.gpkg").lexically_normal());
    fs::create_directories(dir.path / "b/c");
    const std::string toml = io::scenarioToToml(s, dir / "b/c");
    CHECK_THAT(toml, Contains("annotations = \"../../team/ops.gpkg\""));
    model::Scenario none = s;
    none.annotations.clear();
    CHECK_THAT(io::scenarioToToml(none, dir / "b"), !Contains("annotations"));
}

TEST_CASE("an import is one transaction: a bad annotation part-way leaves the store unchanged", "[gdal]") {
    io::initGdal();
    TempDir dir;
    const std::string path = dir / "s.annotations.gpkg";
    auto store = io::openAnnotationStore(path);
    const Annotation kept = store->add(everyKind()[0]);
    model::DepositNote note;
    note.deposit = "Mountain Pass";
    note.text = "before the import";
    store->putNote(note);
    const model::AnnotationSet before = store->load();

    model::AnnotationSet in;
    in.annotations = everyKind();
    // The fourth of them all has a vertex off the globe: the three before it were written, in the
    // same transaction, when it is found.
    in.annotations[3].vertices[1] = {37.0, 95.0};
    in.annotations[3].id = 17;
    model::DepositNote replaced = note;
    replaced.text = "from the import";
    replaced.version = 0; // an import replaces whatever version is stored
    in.notes.push_back(replaced);
    try {
        store->addAll(in);
        FAIL("the bad annotation was accepted");
    } catch (const InputError &e) {
        CHECK_THAT(e.what(), Contains("s.annotations.gpkg") &&
                                 Contains("annotation 4 of " + std::to_string(in.annotations.size())) &&
                                 Contains("id 17") && Contains("'Road'") && Contains("nothing was imported"));
    }
    // Read by a second connection: exactly what was there before.
    const model::AnnotationSet after = io::openAnnotationStore(path, false)->load();
    REQUIRE(after.annotations.size() == before.annotations.size());
    CHECK(after.annotations[0] == before.annotations[0]);
    REQUIRE(after.notes.size() == 1);
    CHECK(after.notes[0].text == "before the import");
    CHECK(after.notes[0].version == before.notes[0].version);
    // No id was used up by the rolled-back rows.
    CHECK(store->add(everyKind()[1]).id == kept.id + 1);

    SECTION("the same import, fixed, adds every row and replaces the note") {
        in.annotations[3] = everyKind()[3];
        const model::AnnotationSet stored = store->addAll(in);
        REQUIRE(stored.annotations.size() == in.annotations.size());
        const model::AnnotationSet now = io::openAnnotationStore(path, false)->load();
        CHECK(now.annotations.size() == 2 + in.annotations.size());
        for (std::size_t i = 0; i < in.annotations.size(); ++i) {
            const Annotation *back = now.find(stored.annotations[i].id);
            REQUIRE(back);
            checkSameContent(*back, in.annotations[i]);
        }
        REQUIRE(now.notes.size() == 1);
        CHECK(now.notes[0].text == "from the import");
        CHECK(now.notes[0].version == before.notes[0].version + 1);
    }
}
