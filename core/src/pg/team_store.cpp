#include "orefront/pg/team_store.hpp"

#include "orefront/model/error.hpp"
#include "pg_connection.hpp"

#include <chrono>
#include <cstdio>
#include <optional>
#include <ostream>
#include <sstream>

namespace orefront::pg {

namespace {

using model::Annotation;
using model::AnnotationKind;
using model::DepositNote;

const char *kindName(AnnotationKind k) {
    return model::annotationKindName(k);
}

AnnotationKind kindFrom(const std::string &s, const std::string &where) {
    if (const auto k = model::annotationKindFromName(s))
        return *k;
    throw InputError(where + ": unknown annotation kind '" + s + "'");
}

std::string hex(const model::Rgba &c) {
    return model::styleColorToHex(c);
}

model::Rgba rgba(const std::string &s, const std::string &where) {
    if (const auto c = model::styleColorFromHex(s))
        return *c;
    throw InputError(where + ": '" + s + "' is not a colour (#rrggbb or #rrggbbaa)");
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

// The vertices as a float8[] literal, lon, lat, lon, lat, ...
std::string vertexArray(const std::vector<model::LonLat> &v) {
    std::string out = "{";
    for (const auto &p : v)
        out += (out.size() > 1 ? "," : "") + number(p.lon) + "," + number(p.lat);
    return out + "}";
}

std::vector<model::LonLat> parseVertices(const std::string &s) {
    std::vector<double> xs;
    std::string item;
    for (char c : s) {
        if (c == '{' || c == '}' || c == ',') {
            if (!item.empty())
                xs.push_back(std::stod(item));
            item.clear();
        } else {
            item += c;
        }
    }
    std::vector<model::LonLat> out;
    for (std::size_t i = 0; i + 1 < xs.size(); i += 2)
        out.push_back({xs[i], xs[i + 1]});
    return out;
}

// The geometry for spatial queries by others (a reader's SQL, a report join): a point, a line,
// or for an area (and a closed measurement) a polygon.
std::string wkt(const Annotation &a) {
    const auto &v = a.vertices;
    auto coords = [](const std::vector<model::LonLat> &pts) {
        std::string out;
        for (const auto &p : pts)
            out += (out.empty() ? "" : ",") + number(p.lon) + " " + number(p.lat);
        return out;
    };
    if (v.size() == 1)
        return "POINT(" + coords(v) + ")";
    const bool area = a.kind == AnnotationKind::Area || a.closed;
    if (area && v.size() >= 3) {
        auto ring = v;
        if (!(ring.front() == ring.back()))
            ring.push_back(ring.front());
        if (ring.size() >= 4)
            return "POLYGON((" + coords(ring) + "))";
    }
    return "LINESTRING(" + coords(v) + ")";
}

// The columns every read returns, in this order (rowToAnnotation's indexes).
const char *kColumns = "id, kind, vertices, closed, radius_km, label, stroke, fill, width_px, text_size_pt, "
                       "group_name, visible, author, created, modified, counts_as_hostile, version";

const char *kNow = "to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

Annotation rowToAnnotation(const PGresult *r, int row, const std::string &where) {
    Annotation a;
    a.id = std::stoll(text(r, row, 0));
    a.kind = kindFrom(text(r, row, 1), where);
    a.vertices = parseVertices(text(r, row, 2));
    a.closed = text(r, row, 3) == "t";
    a.radiusKm = std::stod(text(r, row, 4));
    a.label = text(r, row, 5);
    a.style.stroke = rgba(text(r, row, 6), where);
    a.style.fill = rgba(text(r, row, 7), where);
    a.style.widthPx = std::stof(text(r, row, 8));
    a.style.textSizePt = std::stof(text(r, row, 9));
    a.group = text(r, row, 10);
    a.visible = text(r, row, 11) == "t";
    a.author = text(r, row, 12);
    a.createdUtc = text(r, row, 13);
    a.modifiedUtc = text(r, row, 14);
    a.countsAsHostile = text(r, row, 15) == "t";
    a.version = std::stoll(text(r, row, 16));
    return a;
}

DepositNote rowToNote(const PGresult *r, int row) {
    DepositNote n;
    n.deposit = text(r, row, 0);
    n.text = text(r, row, 1);
    n.author = text(r, row, 2);
    n.modifiedUtc = text(r, row, 3);
    n.version = std::stoll(text(r, row, 4));
    return n;
}

const char *kNoteColumns = "deposit, text, author, modified, version";

// The tables, indexes and trigger; every statement idempotent. Run by `db init` and by an
// editor opening an empty database with create = true.
const char *kSchema = R"SQL(
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE IF NOT EXISTS orefront_annotations (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,
    vertices float8[] NOT NULL,
    geom geometry(Geometry, 4326) NOT NULL,
    closed boolean NOT NULL DEFAULT false,
    radius_km float8 NOT NULL DEFAULT 0,
    label text NOT NULL DEFAULT '',
    stroke text NOT NULL,
    fill text NOT NULL,
    width_px real NOT NULL,
    text_size_pt real NOT NULL,
    group_name text NOT NULL DEFAULT 'default',
    visible boolean NOT NULL DEFAULT true,
    author text NOT NULL DEFAULT '',
    created text NOT NULL,
    modified text NOT NULL,
    counts_as_hostile boolean NOT NULL DEFAULT false,
    version bigint NOT NULL DEFAULT 1
);
-- The kinds, as a named constraint replaced on every init: a store made before a kind was
-- added (hypothetical_front) accepts it after `orefront db init`.
ALTER TABLE orefront_annotations DROP CONSTRAINT IF EXISTS orefront_annotations_kind_check;
ALTER TABLE orefront_annotations ADD CONSTRAINT orefront_annotations_kind_check CHECK (kind IN
    ('marker', 'text', 'arrow', 'line', 'area', 'range_circle', 'measurement', 'hypothetical_front'));
CREATE INDEX IF NOT EXISTS orefront_annotations_geom_idx ON orefront_annotations USING GIST (geom);
CREATE INDEX IF NOT EXISTS orefront_annotations_group_idx ON orefront_annotations (group_name);
CREATE TABLE IF NOT EXISTS orefront_deposit_notes (
    deposit text PRIMARY KEY,
    text text NOT NULL,
    author text NOT NULL DEFAULT '',
    modified text NOT NULL,
    version bigint NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS orefront_store_revision (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    revision bigint NOT NULL
);
INSERT INTO orefront_store_revision VALUES (true, 0) ON CONFLICT DO NOTHING;
CREATE OR REPLACE FUNCTION orefront_store_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r bigint;
BEGIN
    UPDATE orefront_store_revision SET revision = revision + 1 RETURNING revision INTO r;
    PERFORM pg_notify('orefront_store', r::text);
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS orefront_annotations_changed ON orefront_annotations;
CREATE TRIGGER orefront_annotations_changed AFTER INSERT OR UPDATE OR DELETE ON orefront_annotations
    FOR EACH ROW EXECUTE FUNCTION orefront_store_changed();
DROP TRIGGER IF EXISTS orefront_deposit_notes_changed ON orefront_deposit_notes;
CREATE TRIGGER orefront_deposit_notes_changed AFTER INSERT OR UPDATE OR DELETE ON orefront_deposit_notes
    FOR EACH ROW EXECUTE FUNCTION orefront_store_changed();
)SQL";

// Roles and grants, idempotent. Layers and reports are every other table of the schema.
const char *kRoles = R"SQL(
DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orefront_reader') THEN
        CREATE ROLE orefront_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'orefront_editor') THEN
        CREATE ROLE orefront_editor NOLOGIN;
    END IF;
END $$;
GRANT orefront_reader TO orefront_editor;
DO $$ BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO orefront_reader', current_schema());
    EXECUTE format('GRANT CREATE ON SCHEMA %I TO orefront_editor', current_schema());
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO orefront_reader', current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO orefront_reader',
                   current_schema());
    EXECUTE format('GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO orefront_editor', current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT INSERT, UPDATE, DELETE ON TABLES TO orefront_editor',
                   current_schema());
END $$;
REVOKE INSERT, UPDATE, DELETE ON spatial_ref_sys FROM orefront_editor;
GRANT USAGE ON SEQUENCE orefront_annotations_id_seq TO orefront_editor;
)SQL";

class TeamStore final : public io::AnnotationStore {
public:
    TeamStore(const std::string &source, bool create) : m_db(source) {
        m_db.exec("SET application_name = 'orefront'", {}, "set-up");
        const bool present = exists();
        if (!present) {
            if (!create || !canCreate())
                throw InputError("store '" + describe() +
                                 "': the database has no annotation tables; run `orefront db init --store "
                                 "SRC` as its owner first");
            runScript(m_db, kSchema, "creating the annotation tables");
        }
        const auto r =
            m_db.exec("SELECT has_table_privilege('orefront_annotations', 'INSERT, UPDATE, DELETE') "
                      "AND has_table_privilege('orefront_deposit_notes', 'INSERT, UPDATE, DELETE'), "
                      "current_user",
                      {}, "checking privileges");
        m_readOnly = text(r.get(), 0, 0) != "t";
        m_user = text(r.get(), 0, 1);
        // A failed LISTEN leaves polling alone to find changes.
        try {
            m_db.exec(std::string("LISTEN ") + kStoreChannel, {}, "LISTEN");
            m_listening = true;
        } catch (const Error &) {
            m_listening = false;
        }
        pollRevision();
    }

    std::string describe() const override { return m_db.describe(); }
    bool readOnly() const override { return m_readOnly; }

    model::AnnotationSet load() override {
        model::AnnotationSet set;
        // One snapshot of both tables, consistent with the revision read with them.
        m_db.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {}, "load");
        try {
            auto a = m_db.exec(std::string("SELECT ") + kColumns + " FROM orefront_annotations ORDER BY id",
                               {}, "reading annotations");
            for (int i = 0; i < PQntuples(a.get()); ++i)
                set.annotations.push_back(rowToAnnotation(a.get(), i, describe()));
            auto n = m_db.exec(std::string("SELECT ") + kNoteColumns +
                                   " FROM orefront_deposit_notes ORDER BY deposit",
                               {}, "reading deposit notes");
            for (int i = 0; i < PQntuples(n.get()); ++i)
                set.notes.push_back(rowToNote(n.get(), i));
            m_db.exec("COMMIT", {}, "load");
        } catch (...) {
            Result(PQexec(m_db.get(), "ROLLBACK"));
            throw;
        }
        return set;
    }

    std::string revision() override {
        bool notified = false;
        if (m_listening && PQconsumeInput(m_db.get())) {
            while (PGnotify *n = PQnotifies(m_db.get())) {
                notified = true;
                PQfreemem(n);
            }
        }
        const auto now = std::chrono::steady_clock::now();
        if (notified || !m_listening || now - m_lastPoll > std::chrono::seconds(2))
            pollRevision();
        return std::to_string(m_revision);
    }

    Annotation add(const Annotation &a) override {
        requireWritable("add an annotation");
        check(a);
        return insert(a);
    }

    model::AnnotationSet addAll(const model::AnnotationSet &in) override {
        requireWritable("import annotations");
        model::AnnotationSet out;
        m_db.exec("BEGIN", {}, "import");
        try {
            for (std::size_t i = 0; i < in.annotations.size(); ++i) {
                // Checked row by row inside the transaction: a bad one rolls back those before it.
                const Annotation &a = in.annotations[i];
                std::string problem = model::annotationProblem(a);
                if (problem.empty() && a.vertices.empty())
                    problem = "no vertex";
                if (!problem.empty())
                    throw InputError("store '" + describe() + "': annotation " + std::to_string(i + 1) +
                                     " of " + std::to_string(in.annotations.size()) + " (id " +
                                     std::to_string(a.id) + ", '" + a.label + "'): " + problem +
                                     "; nothing was imported");
                out.annotations.push_back(insert(a));
            }
            for (const auto &n : in.notes)
                out.notes.push_back(replaceNote(n));
            m_db.exec("COMMIT", {}, "import");
        } catch (...) {
            Result(PQexec(m_db.get(), "ROLLBACK"));
            throw;
        }
        return out;
    }

    Annotation update(const Annotation &a) override {
        requireWritable("edit annotation " + std::to_string(a.id));
        check(a);
        auto params = values(a);
        params.push_back(std::to_string(a.id));
        params.push_back(std::to_string(a.version));
        auto r = m_db.exec(
            std::string("UPDATE orefront_annotations SET kind = $1, vertices = $2, "
                        "geom = ST_GeomFromText($3, 4326), closed = $4, radius_km = $5, label = $6, "
                        "stroke = $7, fill = $8, width_px = $9, text_size_pt = $10, group_name = "
                        "$11, visible = $12, author = COALESCE(NULLIF($13, ''), author), "
                        "counts_as_hostile = $14, version = version + 1, modified = ") +
                kNow + " WHERE id = $15 AND version = $16 RETURNING " + kColumns,
            params, "editing an annotation");
        if (PQntuples(r.get()) == 1)
            return rowToAnnotation(r.get(), 0, describe());
        auto now = m_db.exec(std::string("SELECT ") + kColumns + " FROM orefront_annotations WHERE id = $1",
                             {std::to_string(a.id)}, "reading an annotation");
        if (PQntuples(now.get()) == 0)
            throw InputError("store '" + describe() + "': annotation " + std::to_string(a.id) +
                             " no longer exists (another user deleted it); add it again to keep it");
        Annotation theirs = rowToAnnotation(now.get(), 0, describe());
        throw io::StaleWriteError("store '" + describe() + "': annotation " + std::to_string(a.id) +
                                      " was changed by " + theirs.author + " at " + theirs.modifiedUtc +
                                      " (version " + std::to_string(theirs.version) +
                                      ") after you read version " + std::to_string(a.version) +
                                      "; keep yours, keep theirs, or merge",
                                  a, theirs);
    }

    bool remove(std::int64_t id) override {
        requireWritable("delete annotation " + std::to_string(id));
        auto r = m_db.exec("DELETE FROM orefront_annotations WHERE id = $1", {std::to_string(id)},
                           "deleting an annotation");
        return std::string(PQcmdTuples(r.get())) == "1";
    }

    DepositNote putNote(const DepositNote &n) override {
        requireWritable("write the note on '" + n.deposit + "'");
        Result r;
        if (n.text.empty()) {
            r = m_db.exec(
                std::string("DELETE FROM orefront_deposit_notes WHERE deposit = $1 AND version = $2 "
                            "RETURNING ") +
                    kNoteColumns,
                {n.deposit, std::to_string(n.version)}, "removing a note");
            if (PQntuples(r.get()) == 1 || !currentNote(n.deposit)) {
                DepositNote gone = n;
                gone.version = 0;
                return gone;
            }
        } else if (n.version == 0) {
            r = m_db.exec(std::string("INSERT INTO orefront_deposit_notes (deposit, text, author, modified, "
                                      "version) VALUES ($1, $2, COALESCE(NULLIF($3, ''), session_user), ") +
                              kNow + ", 1) ON CONFLICT (deposit) DO NOTHING RETURNING " + kNoteColumns,
                          {n.deposit, n.text, n.author}, "writing a note");
            if (PQntuples(r.get()) == 1)
                return rowToNote(r.get(), 0);
        } else {
            r = m_db.exec(
                std::string("UPDATE orefront_deposit_notes SET text = $3, author = COALESCE(NULLIF($4, "
                            "''), author), version = version + 1, modified = ") +
                    kNow + " WHERE deposit = $1 AND version = $2 RETURNING " + kNoteColumns,
                {n.deposit, std::to_string(n.version), n.text, n.author}, "writing a note");
            if (PQntuples(r.get()) == 1)
                return rowToNote(r.get(), 0);
        }
        const auto theirs = currentNote(n.deposit);
        if (!theirs)
            throw InputError("store '" + describe() + "': the note on '" + n.deposit +
                             "' no longer exists (another user removed it); write it again to keep it");
        // StaleWriteError carries annotations: a note's two texts travel as their labels.
        Annotation mine, other;
        mine.label = n.text, mine.version = n.version, mine.author = n.author;
        other.label = theirs->text, other.version = theirs->version, other.author = theirs->author;
        other.modifiedUtc = theirs->modifiedUtc;
        throw io::StaleWriteError("store '" + describe() + "': the note on '" + n.deposit +
                                      "' was changed by " + theirs->author + " at " + theirs->modifiedUtc +
                                      " (version " + std::to_string(theirs->version) +
                                      ") after you read version " + std::to_string(n.version) +
                                      "; keep yours, keep theirs, or merge",
                                  mine, other);
    }

private:
    // add()'s INSERT: version 1, the server's times (in the caller's transaction, if any).
    Annotation insert(const Annotation &a) {
        auto r = m_db.exec(
            std::string("INSERT INTO orefront_annotations (kind, vertices, geom, closed, radius_km, "
                        "label, stroke, fill, width_px, text_size_pt, group_name, visible, author, "
                        "created, modified, counts_as_hostile, version) VALUES ($1, $2, "
                        "ST_GeomFromText($3, 4326), $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                        "COALESCE(NULLIF($13, ''), session_user), ") +
                kNow + ", " + kNow + ", $14, 1) RETURNING " + kColumns,
            values(a), "adding an annotation");
        return rowToAnnotation(r.get(), 0, describe());
    }

    // An import's note: replaces the deposit's note whatever its version (empty text removes it).
    DepositNote replaceNote(const DepositNote &n) {
        if (n.deposit.empty())
            throw InputError("store '" + describe() + "': a deposit note needs the deposit's name");
        if (n.text.empty()) {
            m_db.exec("DELETE FROM orefront_deposit_notes WHERE deposit = $1", {n.deposit},
                      "removing a note");
            DepositNote gone = n;
            gone.version = 0;
            return gone;
        }
        auto r = m_db.exec(std::string("INSERT INTO orefront_deposit_notes (deposit, text, author, modified, "
                                       "version) VALUES ($1, $2, COALESCE(NULLIF($3, ''), session_user), ") +
                               kNow +
                               ", 1) ON CONFLICT (deposit) DO UPDATE SET text = EXCLUDED.text, author = "
                               "EXCLUDED.author, modified = EXCLUDED.modified, version = "
                               "orefront_deposit_notes.version + 1 RETURNING " +
                               kNoteColumns,
                           {n.deposit, n.text, n.author}, "writing a note");
        return rowToNote(r.get(), 0);
    }

    bool exists() {
        auto r = m_db.exec("SELECT to_regclass('orefront_annotations') IS NOT NULL AND "
                           "to_regclass('orefront_deposit_notes') IS NOT NULL AND "
                           "to_regclass('orefront_store_revision') IS NOT NULL",
                           {}, "looking for the annotation tables");
        return text(r.get(), 0, 0) == "t";
    }

    bool canCreate() {
        auto r =
            m_db.exec("SELECT has_schema_privilege(current_schema(), 'CREATE')", {}, "checking privileges");
        return text(r.get(), 0, 0) == "t";
    }

    void pollRevision() {
        auto r = m_db.exec("SELECT revision FROM orefront_store_revision", {}, "reading the revision");
        m_revision = PQntuples(r.get()) ? std::stoll(text(r.get(), 0, 0)) : 0;
        m_lastPoll = std::chrono::steady_clock::now();
    }

    void requireWritable(const std::string &action) const {
        if (m_readOnly)
            throw InputError("store '" + describe() + "': cannot " + action + ": user '" + m_user +
                             "' may read but not edit annotations (role orefront_reader); an owner grants "
                             "orefront_editor to edit");
    }

    void check(const Annotation &a) const {
        if (a.vertices.empty())
            throw InputError("store '" + describe() + "': a " + kindName(a.kind) +
                             " annotation needs a vertex");
    }

    std::vector<Param> values(const Annotation &a) const {
        return {kindName(a.kind),
                vertexArray(a.vertices),
                wkt(a),
                a.closed ? "true" : "false",
                number(a.radiusKm),
                a.label,
                hex(a.style.stroke),
                hex(a.style.fill),
                number(a.style.widthPx),
                number(a.style.textSizePt),
                a.group.empty() ? std::string("default") : a.group,
                a.visible ? "true" : "false",
                a.author,
                a.countsAsHostile ? "true" : "false"};
    }

    std::optional<DepositNote> currentNote(const std::string &deposit) {
        auto r = m_db.exec(std::string("SELECT ") + kNoteColumns +
                               " FROM orefront_deposit_notes WHERE deposit = $1",
                           {deposit}, "reading a note");
        if (PQntuples(r.get()) == 0)
            return std::nullopt;
        return rowToNote(r.get(), 0);
    }

    static void runScript(Connection &db, const char *sql, const char *what) {
        // Several statements: PQexec (no parameters) runs them as one transaction.
        Result r(PQexec(db.get(), sql));
        if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
            const char *state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
            std::string message = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(db.get());
            while (!message.empty() && message.back() == '\n')
                message.pop_back();
            const std::string full = "store '" + db.describe() + "': " + what + ": " + message;
            if (state && std::string(state) == "42501")
                throw InputError(full + " (run `orefront db init` as the database owner or a superuser)");
            throw OutputError(full);
        }
    }

    Connection m_db;
    bool m_readOnly = true;
    bool m_listening = false;
    std::string m_user;
    std::int64_t m_revision = 0;
    std::chrono::steady_clock::time_point m_lastPoll;
};

} // namespace

std::unique_ptr<io::AnnotationStore> openTeamStore(const std::string &source, bool create) {
    return std::make_unique<TeamStore>(source, create);
}

void initTeamStore(const std::string &source, std::ostream &out) {
    Connection db(source);
    auto runScript = [&](const char *sql, const char *what) {
        Result r(PQexec(db.get(), (std::string("BEGIN;") + sql + "COMMIT;").c_str()));
        if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
            std::string message = r ? PQresultErrorMessage(r.get()) : PQerrorMessage(db.get());
            while (!message.empty() && message.back() == '\n')
                message.pop_back();
            Result(PQexec(db.get(), "ROLLBACK"));
            throw InputError(
                "store '" + db.describe() + "': " + what + ": " + message +
                " (run `orefront db init` as the database owner with CREATEROLE, or a superuser)");
        }
    };
    runScript(kSchema, "creating the schema");
    runScript(kRoles, "creating the roles");
    auto r =
        db.exec("SELECT current_database(), current_schema(), "
                "(SELECT count(*) FROM orefront_annotations), (SELECT count(*) FROM orefront_deposit_notes)",
                {}, "summary");
    out << "store: " << db.describe() << "\n"
        << "database " << text(r.get(), 0, 0) << ", schema " << text(r.get(), 0, 1)
        << ": tables orefront_annotations (" << text(r.get(), 0, 2) << " rows), orefront_deposit_notes ("
        << text(r.get(), 0, 3)
        << " rows), orefront_store_revision; GiST index on the geometry; NOTIFY channel " << kStoreChannel
        << "\n"
        << "roles: orefront_reader (reads layers, reports and annotations), orefront_editor (also writes "
           "them); "
           "grant one to each login, e.g. GRANT orefront_editor TO alice;\n";
}

} // namespace orefront::pg
