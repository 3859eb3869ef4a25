// Issue 12: the annotation store on PostgreSQL: round trip, versions and stale writes,
// LISTEN/NOTIFY between connections, two processes editing at once, roles, `db init`.
#include "pg_support.hpp"

#include "orefront/pg/team_store.hpp"

#include <chrono>
#include <csignal>
#include <thread>

using namespace orefront;
using namespace orefront::clitest;
using namespace orefront::pgtest;

namespace {

model::Annotation sample(model::AnnotationKind kind, const std::string &label) {
    model::Annotation a;
    a.kind = kind;
    a.label = label;
    a.vertices = {{36.123456789012345, 47.5}, {37.25, 47.75}, {37.0, 48.125}};
    if (kind == model::AnnotationKind::Marker || kind == model::AnnotationKind::Text ||
        kind == model::AnnotationKind::RangeCircle)
        a.vertices.resize(1);
    if (kind == model::AnnotationKind::RangeCircle)
        a.radiusKm = 42.5;
    a.style.stroke = {1, 2, 3, 4};
    a.style.fill = {250, 251, 252, 0};
    a.style.widthPx = 3.5f;
    a.group = "north";
    a.author = "alice";
    a.countsAsHostile = kind == model::AnnotationKind::Area;
    return a;
}

// An initialised store database.
std::string initDb(const std::string &name) {
    freshDatabase(name);
    std::ostringstream out;
    pg::initTeamStore(asSuperuser(name), out);
    return withPassword(name);
}

} // namespace

TEST_CASE("pg: db init is idempotent and keeps what the store holds", "[pg][cli]") {
    if (!haveCluster())
        return;
    freshDatabase("store_init");
    CliFixture fx;
    const Result first = run(fx, "db", {"init", "--store", withPassword("store_init")});
    REQUIRE(first.code == 0);
    CHECK(first.out.find("orefront_reader") != std::string::npos);
    auto store = pg::openTeamStore(withPassword("store_init"), false);
    store->add(sample(model::AnnotationKind::Marker, "kept"));
    const Result second = run(fx, "db", {"init", "--store", withPassword("store_init")});
    REQUIRE(second.code == 0);
    CHECK(second.err.empty()); // no server NOTICEs ("already exists, skipping")
    CHECK(sql("store_init", "SELECT count(*) FROM orefront_annotations") == "1");
    CHECK(sql("store_init",
              "SELECT count(*) FROM pg_roles WHERE rolname IN ('orefront_reader', 'orefront_editor')") ==
          "2");
    CHECK(run(fx, "db", {"init", "--store", fx.out("x.gpkg").string()}).code == 1);
}

TEST_CASE("pg: annotations and notes round trip, and versions refuse a stale write with both rows", "[pg]") {
    if (!haveCluster())
        return;
    const std::string db = initDb("store_roundtrip");
    // Through the interface every store shares: a PG: source opens the team store.
    auto store = io::openAnnotationStore(db);
    CHECK_FALSE(store->readOnly());
    CHECK(store->describe().find(password()) == std::string::npos);
    CHECK(store->describe().find("password=***") != std::string::npos);

    std::vector<model::Annotation> added;
    for (auto kind : {model::AnnotationKind::Marker, model::AnnotationKind::Text,
                      model::AnnotationKind::Arrow, model::AnnotationKind::Line, model::AnnotationKind::Area,
                      model::AnnotationKind::RangeCircle, model::AnnotationKind::Measurement}) {
        // A label that would end an SQL string: stored as it is, the tables survive.
        const auto a = sample(kind, "x'); DROP TABLE orefront_annotations; --");
        const auto stored = store->add(a);
        CHECK(stored.id > 0);
        CHECK(stored.version == 1);
        CHECK(stored.createdUtc.size() == 20);
        auto expected = a;
        expected.id = stored.id, expected.version = 1;
        expected.createdUtc = stored.createdUtc, expected.modifiedUtc = stored.modifiedUtc;
        CHECK(stored == expected);
        added.push_back(stored);
    }
    const auto set = pg::openTeamStore(db)->load();
    REQUIRE(set.annotations.size() == added.size());
    for (std::size_t i = 0; i < added.size(); ++i)
        CHECK(set.annotations[i] == added[i]);
    // The geometry is there for others' SQL: the area is a polygon with the closing vertex.
    CHECK(sql("store_roundtrip",
              "SELECT ST_GeometryType(geom) || ST_NPoints(geom) FROM orefront_annotations WHERE "
              "kind = 'area'") == "ST_Polygon4");

    // Two editors read version 1; the first write wins, the second is refused with both rows.
    auto other = pg::openTeamStore(db);
    auto mine = added[0], theirs = added[0];
    theirs.label = "theirs";
    const auto written = other->update(theirs);
    CHECK(written.version == 2);
    mine.label = "mine";
    try {
        store->update(mine);
        FAIL("a stale write was accepted");
    } catch (const io::StaleWriteError &e) {
        CHECK(e.mine.label == "mine");
        CHECK(e.mine.version == 1);
        CHECK(e.theirs.label == "theirs");
        CHECK(e.theirs.version == 2);
    }
    mine.version = 2; // merged: based on theirs
    CHECK(store->update(mine).version == 3);

    model::DepositNote note{"Mountain Pass", "drill core 2024", "", "", 0};
    const auto n1 = store->putNote(note);
    CHECK(n1.version == 1);
    CHECK(n1.author == "orefront_test"); // no author given: the database login
    auto n2 = n1;
    n2.text = "revised";
    CHECK(other->putNote(n2).version == 2);
    CHECK_THROWS_AS(store->putNote(n1), io::StaleWriteError);

    CHECK(store->remove(added[1].id));
    CHECK_FALSE(store->remove(added[1].id));
    CHECK(store->load().annotations.size() == added.size() - 1);
    CHECK(sql("store_roundtrip", "SELECT count(*) FROM orefront_annotations") ==
          std::to_string(added.size() - 1));
}

TEST_CASE("pg: an edit in one process changes another's revision within a second (NOTIFY)", "[pg]") {
    if (!haveCluster())
        return;
    const std::string db = initDb("store_notify");
    auto viewer = pg::openTeamStore(db);
    // The writer is another process; each byte on the pipe asks it for one add.
    int go[2];
    REQUIRE(pipe(go) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        close(go[1]);
        try {
            auto writer = pg::openTeamStore(db);
            char c;
            for (int i = 0; read(go[0], &c, 1) == 1; ++i)
                writer->add(sample(model::AnnotationKind::Marker, "m" + std::to_string(i)));
        } catch (...) {
            _exit(1);
        }
        _exit(0);
    }
    close(go[0]);
    double worstMs = 0;
    for (int i = 0; i < 5; ++i) {
        const std::string before = viewer->revision();
        const auto t0 = std::chrono::steady_clock::now();
        REQUIRE(write(go[1], "a", 1) == 1);
        std::string now = viewer->revision();
        while (now == before && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3)) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            now = viewer->revision();
        }
        const double ms =
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
        worstMs = std::max(worstMs, ms);
        CHECK(now != before);
    }
    close(go[1]);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    CHECK((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    // Well under the 2 s poll: the notification, not the fallback, brought each change.
    WARN("NOTIFY latency, worst of 5 (asked the other process to add, until the revision moved): " << worstMs
                                                                                                   << " ms");
    CHECK(worstMs < 1000.0);
    CHECK(viewer->load().annotations.size() == 5);
}

TEST_CASE("pg: two processes, 200 operations each on one store: nothing lost, conflicts reported", "[pg]") {
    if (!haveCluster())
        return;
    const std::string db = initDb("store_concurrent");
    const auto shared = pg::openTeamStore(db)->add(sample(model::AnnotationKind::Marker, "0"));
    // Each process: 100 adds of its own and 100 increments of the shared marker's label, each
    // increment retried on a stale write from the other's row. A lost update would show as a
    // final count below 200.
    auto work = [&](const std::string &who, int *conflicts) {
        auto store = pg::openTeamStore(db);
        for (int i = 0; i < 100; ++i) {
            store->add(sample(model::AnnotationKind::Marker, who + std::to_string(i)));
            auto row = shared;
            for (const auto &a : store->load().annotations)
                if (a.id == shared.id)
                    row = a;
            for (;;) {
                row.label = std::to_string(std::stoi(row.label) + 1);
                try {
                    store->update(row);
                    break;
                } catch (const io::StaleWriteError &e) {
                    ++*conflicts;
                    row = e.theirs;
                }
            }
        }
    };
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        int conflicts = 0;
        try {
            work("child", &conflicts);
        } catch (...) {
            _exit(100);
        }
        _exit(std::min(conflicts, 99));
    }
    int conflicts = 0;
    work("parent", &conflicts);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) != 100);
    conflicts += WEXITSTATUS(status);
    WARN("stale writes refused and retried: " << conflicts << " (parent and child)");
    CHECK(sql("store_concurrent", "SELECT count(*) FROM orefront_annotations") == "201");
    CHECK(sql("store_concurrent", "SELECT label || '/' || version FROM orefront_annotations WHERE id = " +
                                      std::to_string(shared.id)) == "200/201");
}

TEST_CASE("pg: kill -9 of a writer leaves no partial change", "[pg]") {
    if (!haveCluster())
        return;
    const std::string db = initDb("store_kill");
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        try {
            auto store = pg::openTeamStore(db);
            for (int i = 0;; ++i)
                store->add(sample(model::AnnotationKind::Area, std::to_string(i)));
        } catch (...) {
        }
        _exit(1);
    }
    while (std::stoi(sql("store_kill", "SELECT count(*) FROM orefront_annotations")) < 5)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    kill(child, SIGKILL);
    int status = 0;
    waitpid(child, &status, 0);
    // Every row whole, and the revision counted exactly the committed rows.
    const std::string rows = sql("store_kill", "SELECT count(*) FROM orefront_annotations");
    CHECK(sql("store_kill", "SELECT count(*) FROM orefront_annotations WHERE ST_NPoints(geom) = 4 AND "
                            "cardinality(vertices) = 6 AND version = 1") == rows);
    CHECK(sql("store_kill", "SELECT revision FROM orefront_store_revision") == rows);
}

TEST_CASE("pg: a reader reads and may not edit, an editor edits", "[pg]") {
    if (!haveCluster())
        return;
    const std::string db = initDb("store_roles");
    sql("store_roles", "DROP ROLE IF EXISTS reader1; CREATE ROLE reader1 LOGIN IN ROLE orefront_reader");
    sql("store_roles", "DROP ROLE IF EXISTS editor1; CREATE ROLE editor1 LOGIN IN ROLE orefront_editor");
    auto editor = pg::openTeamStore(asUser("store_roles", "editor1"), false);
    CHECK_FALSE(editor->readOnly());
    const auto a = editor->add(sample(model::AnnotationKind::Line, "by the editor"));
    CHECK(a.author == "alice");

    auto reader = pg::openTeamStore(asUser("store_roles", "reader1"), false);
    CHECK(reader->readOnly());
    CHECK(reader->load().annotations.size() == 1);
    CHECK_FALSE(reader->revision().empty());
    try {
        reader->add(sample(model::AnnotationKind::Marker, "by the reader"));
        FAIL("a reader added an annotation");
    } catch (const InputError &e) {
        CHECK(std::string(e.what()).find("orefront_reader") != std::string::npos);
    }
    CHECK_THROWS_AS(reader->update(a), InputError);
    CHECK_THROWS_AS(reader->remove(a.id), InputError);
    // The CLI: a reader's edit is exit 2 with the message; an editor's goes through.
    CliFixture fx;
    const Result refusedAdd = run(fx, "annotations",
                                  {"add", "--store", asUser("store_roles", "reader1"), "--kind", "marker",
                                   "--label", "r", "--lonlat", "37,47"});
    CHECK(refusedAdd.code == 2);
    CHECK(refusedAdd.err.find("orefront_reader") != std::string::npos);
    CHECK(run(fx, "annotations",
              {"add", "--store", asUser("store_roles", "editor1"), "--kind", "marker", "--label", "e",
               "--lonlat", "37,47"})
              .code == 0);
    // Not even behind the store's back: the database refuses the reader's SQL too.
    CHECK(refused("store_roles", "reader1", "DELETE FROM orefront_annotations"));
    CHECK(sql("store_roles", "SELECT count(*) FROM orefront_annotations") == "2");
}

TEST_CASE("pg: an import is one transaction: a bad annotation part-way leaves the store unchanged", "[pg]") {
    if (!haveCluster())
        return;
    const std::string db = initDb("store_import");
    auto store = io::openAnnotationStore(db);
    const auto kept = store->add(sample(model::AnnotationKind::Marker, "kept"));
    store->putNote({"Mountain Pass", "before the import", "", "", 0});
    const std::string revision = sql("store_import", "SELECT revision FROM orefront_store_revision");

    model::AnnotationSet in;
    for (auto kind :
         {model::AnnotationKind::Marker, model::AnnotationKind::Line, model::AnnotationKind::Area})
        in.annotations.push_back(sample(kind, std::string("imported ") + model::annotationKindName(kind)));
    in.notes.push_back({"Mountain Pass", "from the import", "", "", 0});
    SECTION("the third of three is bad: the two INSERTs before it are rolled back") {
        in.annotations[2].vertices[0].lat = 95;
        in.annotations[2].id = 9;
        try {
            store->addAll(in);
            FAIL("the bad annotation was accepted");
        } catch (const InputError &e) {
            CHECK_THAT(std::string(e.what()), Catch::Contains("annotation 3 of 3") &&
                                                  Catch::Contains("id 9") &&
                                                  Catch::Contains("nothing was imported"));
        }
        CHECK(sql("store_import", "SELECT count(*) FROM orefront_annotations") == "1");
        CHECK(sql("store_import", "SELECT text || ' ' || version FROM orefront_deposit_notes") ==
              "before the import 1");
        CHECK(sql("store_import", "SELECT revision FROM orefront_store_revision") == revision);
        // The connection is usable after the rollback.
        CHECK(store->add(sample(model::AnnotationKind::Text, "after")).id > kept.id);
    }
    SECTION("a good import adds every row and replaces the note, in one transaction") {
        const auto stored = pg::openTeamStore(db)->addAll(in);
        REQUIRE(stored.annotations.size() == 3);
        CHECK(sql("store_import", "SELECT count(*) FROM orefront_annotations") == "4");
        CHECK(sql("store_import", "SELECT text || ' ' || version FROM orefront_deposit_notes") ==
              "from the import 2");
        const auto set = store->load();
        for (const auto &a : stored.annotations) {
            const auto *back = set.find(a.id);
            REQUIRE(back);
            CHECK(*back == a);
        }
    }
}
