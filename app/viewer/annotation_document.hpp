#pragma once
// The annotations and deposit notes the viewer edits, with an undo/redo stack. Every edit
// (add, move, vertex edit, text or style edit, delete, a note) is one command; undo and redo
// apply its inverse and apply it again. With a store attached, each applied command is first
// committed to the store (one transaction each, AnnotationStore's contract) and only then
// shown: what the document holds is what the store holds, and "saved" means committed. Without
// a store (none chosen, read-only, missing) the document keeps everything in memory.
// GL-free and ImGui-free; tested in tests/viewer/annotation_document_test.cpp.
// Thread rule: one thread (the UI's); the store is called on it (a GeoPackage commit is a
// few milliseconds).
#include "orefront/io/annotation_store.hpp"
#include "orefront/model/annotation.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace orefront::viewer {

class AnnotationDocument {
public:
    // A write refused because another process changed the row since we read it: both versions,
    // for the user to keep one (keepMine / keepTheirs).
    struct Conflict {
        model::Annotation mine, theirs;
    };

    // Attaches `store` (not owned; may be null for memory only) and loads what it holds,
    // replacing the document and clearing the history. Throws what the store throws.
    void attach(io::AnnotationStore *store);
    // Attaches `store` and writes into it what the document holds now (the annotations kept
    // in memory while there was no store), then loads it. Throws what the store throws.
    void attachKeeping(io::AnnotationStore *store);
    // Loads what `store` holds and detaches: a read-only store's annotations, edited in memory.
    void attachReadOnly(io::AnnotationStore *store);
    io::AnnotationStore *store() const { return m_store; }

    // Edits: each is one command (undoable) and, with a store, one transaction. They return
    // false and leave the document as it was when the store refuses (lastError() says why;
    // a stale write also sets conflict()).
    // add: `a`'s id is ignored; the new id is returned (0 on failure).
    std::int64_t add(model::Annotation a);
    // Replaces the annotation with a.id (move, vertices, label, style, group, hostile...).
    bool update(const model::Annotation &a);
    bool remove(std::int64_t id);
    // Sets a deposit's note (empty text removes it).
    bool setNote(const std::string &deposit, const std::string &text, const std::string &author);

    bool canUndo() const { return !m_undo.empty(); }
    bool canRedo() const { return !m_redo.empty(); }
    bool undo();
    bool redo();
    std::size_t undoDepth() const { return m_undo.size(); }

    const std::vector<model::Annotation> &annotations() const { return m_set.annotations; }
    const std::vector<model::DepositNote> &notes() const { return m_set.notes; }
    const model::AnnotationSet &set() const { return m_set; }
    const model::Annotation *find(std::int64_t id) const;
    const model::DepositNote *noteFor(const std::string &deposit) const;

    // Grows with every change to what the document holds (edits, undo, redo, reloads).
    std::uint64_t revision() const { return m_revision; }
    // Grows only when the hostile-marked annotations change (what the analysis depends on).
    std::uint64_t hostileRevision() const { return m_hostileRevision; }
    std::vector<model::Annotation> hostileAnnotations() const;

    // Groups, in order of first appearance; their visibility is a view setting, not an edit.
    std::vector<std::string> groups() const;
    bool groupVisible(const std::string &group) const { return !m_hiddenGroups.count(group); }
    void setGroupVisible(const std::string &group, bool visible);
    // Whether `a` is drawn: its own flag and its group's.
    bool shown(const model::Annotation &a) const { return a.visible && groupVisible(a.group); }

    // The store's revision as of our last load or commit; a different one means another
    // process committed (reloadIfChanged).
    const std::string &storeRevision() const { return m_storeRevision; }
    // Polls the store; on a change made elsewhere, reloads (keeping nothing of ours that was
    // not committed: every edit is committed before it is shown) and clears the history, whose
    // commands were based on the rows as they were. Returns whether it reloaded.
    bool reloadIfChanged();

    const std::optional<Conflict> &conflict() const { return m_conflict; }
    // Resolves the conflict: writes our version over theirs (a command), or takes theirs.
    bool keepMine();
    void keepTheirs();

    const std::string &lastError() const { return m_error; }
    // Whether every edit shown is committed to a store ("saved"), rather than held in memory.
    bool saved() const { return m_store && !m_store->readOnly(); }

private:
    // One edit: the annotation (or note) before and after; nullopt = absent.
    struct Command {
        std::optional<model::Annotation> before, after;
        std::optional<model::DepositNote> noteBefore, noteAfter;
        bool isNote = false;
        std::string noteKey;
    };
    // Makes `to` true of the document (and the store), from `from`. Returns the annotation as
    // it now is (with the store's id and version), or nullopt when it is absent; throws on a
    // store failure.
    std::optional<model::Annotation> applyAnnotation(const std::optional<model::Annotation> &from,
                                                     const std::optional<model::Annotation> &to);
    void applyNote(const std::string &key, const std::optional<model::DepositNote> &to);
    // Runs `cmd` forward (redo) or backward (undo); false (and nothing changed) on failure.
    bool run(Command &cmd, bool forward);
    // A new edit: run forwards, then on the undo stack (the redo stack dropped). False: it failed.
    bool perform(Command &cmd);
    bool step(std::vector<Command> &from, std::vector<Command> &to, bool forward);
    void remapId(std::int64_t from, std::int64_t to);
    void touched(const std::optional<model::Annotation> &a, const std::optional<model::Annotation> &b);
    void load();

    io::AnnotationStore *m_store = nullptr;
    model::AnnotationSet m_set;
    std::vector<Command> m_undo, m_redo;
    std::set<std::string> m_hiddenGroups;
    std::optional<Conflict> m_conflict;
    std::string m_error;
    std::string m_storeRevision;
    std::int64_t m_nextLocalId = 1;
    std::uint64_t m_revision = 0;
    std::uint64_t m_hostileRevision = 0;
};

} // namespace orefront::viewer
