#include "annotation_document.hpp"

#include <algorithm>

namespace orefront::viewer {

namespace {

template <class T, class Pred> T *findIf(std::vector<T> &v, Pred p) {
    auto it = std::find_if(v.begin(), v.end(), p);
    return it == v.end() ? nullptr : &*it;
}

} // namespace

void AnnotationDocument::load() {
    m_set = m_store ? m_store->load() : model::AnnotationSet{};
    m_storeRevision = m_store ? m_store->revision() : std::string{};
    m_undo.clear();
    m_redo.clear();
    m_conflict.reset();
    m_nextLocalId = 1;
    for (const auto &a : m_set.annotations)
        m_nextLocalId = std::max(m_nextLocalId, a.id + 1);
    ++m_revision;
    ++m_hostileRevision;
}

void AnnotationDocument::attach(io::AnnotationStore *store) {
    m_store = store;
    m_error.clear();
    load();
}

void AnnotationDocument::attachReadOnly(io::AnnotationStore *store) {
    attach(store);
    m_store = nullptr;
}

void AnnotationDocument::attachKeeping(io::AnnotationStore *store) {
    const model::AnnotationSet kept = m_set;
    m_store = store;
    m_error.clear();
    if (m_store && !m_store->readOnly()) {
        for (const auto &a : kept.annotations)
            m_store->add(a);
        for (const auto &n : kept.notes)
            m_store->putNote(n);
    }
    load();
    if (!m_store || m_store->readOnly()) {
        // Nothing could be written: keep what we had, in memory.
        m_set = kept;
        for (const auto &a : m_set.annotations)
            m_nextLocalId = std::max(m_nextLocalId, a.id + 1);
    }
}

const model::Annotation *AnnotationDocument::find(std::int64_t id) const {
    for (const auto &a : m_set.annotations)
        if (a.id == id)
            return &a;
    return nullptr;
}

const model::DepositNote *AnnotationDocument::noteFor(const std::string &deposit) const {
    for (const auto &n : m_set.notes)
        if (n.deposit == deposit)
            return &n;
    return nullptr;
}

std::vector<model::Annotation> AnnotationDocument::hostileAnnotations() const {
    std::vector<model::Annotation> out;
    for (const auto &a : m_set.annotations)
        if (a.countsAsHostile && a.kind != model::AnnotationKind::Text &&
            a.kind != model::AnnotationKind::Measurement)
            out.push_back(a);
    return out;
}

std::vector<std::string> AnnotationDocument::groups() const {
    std::vector<std::string> out;
    for (const auto &a : m_set.annotations)
        if (std::find(out.begin(), out.end(), a.group) == out.end())
            out.push_back(a.group);
    return out;
}

void AnnotationDocument::setGroupVisible(const std::string &group, bool visible) {
    if (visible ? m_hiddenGroups.erase(group) > 0 : m_hiddenGroups.insert(group).second)
        ++m_revision;
}

void AnnotationDocument::touched(const std::optional<model::Annotation> &a,
                                 const std::optional<model::Annotation> &b) {
    ++m_revision;
    const bool ha = a && a->countsAsHostile, hb = b && b->countsAsHostile;
    if (ha || hb)
        ++m_hostileRevision;
}

std::optional<model::Annotation>
AnnotationDocument::applyAnnotation(const std::optional<model::Annotation> &from,
                                    const std::optional<model::Annotation> &to) {
    auto &list = m_set.annotations;
    if (!to) {
        // Remove.
        if (m_store)
            m_store->remove(from->id);
        std::erase_if(list, [&](const model::Annotation &a) { return a.id == from->id; });
        return std::nullopt;
    }
    model::Annotation row = *to;
    const model::Annotation *current = from ? find(from->id) : nullptr;
    if (!current) {
        // Add (a new one, or one an undo brings back).
        if (m_store) {
            row = m_store->add(row);
        } else {
            // In memory, an annotation an undo brings back keeps its id.
            row.id = row.id > 0 && !find(row.id) ? row.id : m_nextLocalId;
            row.version = 1;
            if (row.createdUtc.empty())
                row.createdUtc = model::nowUtcIso();
            row.modifiedUtc = model::nowUtcIso();
        }
        m_nextLocalId = std::max(m_nextLocalId, row.id + 1);
        list.push_back(row);
        return row;
    }
    // Update, based on the version we hold now.
    row.id = current->id;
    row.version = current->version;
    if (m_store) {
        row = m_store->update(row);
    } else {
        ++row.version;
        row.modifiedUtc = model::nowUtcIso();
    }
    *findIf(list, [&](const model::Annotation &a) { return a.id == row.id; }) = row;
    return row;
}

void AnnotationDocument::applyNote(const std::string &key, const std::optional<model::DepositNote> &to) {
    model::DepositNote n = to ? *to : model::DepositNote{key, "", "", "", 0};
    // Based on the version we hold now, as for annotations.
    const model::DepositNote *current = noteFor(key);
    n.version = current ? current->version : 0;
    if (m_store) {
        n = m_store->putNote(n);
    } else if (!n.text.empty()) {
        n.modifiedUtc = model::nowUtcIso();
    }
    std::erase_if(m_set.notes, [&](const model::DepositNote &x) { return x.deposit == key; });
    if (!n.text.empty())
        m_set.notes.push_back(n);
    ++m_revision;
}

void AnnotationDocument::remapId(std::int64_t from, std::int64_t to) {
    if (from == to)
        return;
    for (auto *stack : {&m_undo, &m_redo})
        for (auto &c : *stack) {
            if (c.before && c.before->id == from)
                c.before->id = to;
            if (c.after && c.after->id == from)
                c.after->id = to;
        }
}

bool AnnotationDocument::run(Command &cmd, bool forward) {
    m_error.clear();
    try {
        if (cmd.isNote) {
            applyNote(cmd.noteKey, forward ? cmd.noteAfter : cmd.noteBefore);
            if (m_store)
                m_storeRevision = m_store->revision();
            return true;
        }
        auto &from = forward ? cmd.before : cmd.after;
        auto &to = forward ? cmd.after : cmd.before;
        const std::optional<model::Annotation> now = applyAnnotation(from, to);
        if (now && to && now->id != to->id) {
            const std::int64_t old = to->id;
            to->id = now->id;
            remapId(old, now->id);
        }
        touched(from, to);
        if (m_store)
            m_storeRevision = m_store->revision(); // our own commit is no reason to reload
        return true;
    } catch (const io::StaleWriteError &e) {
        if (!cmd.isNote)
            m_conflict = Conflict{e.mine, e.theirs};
        m_error = e.what();
    } catch (const std::exception &e) {
        m_error = e.what();
    }
    return false;
}

std::int64_t AnnotationDocument::add(model::Annotation a) {
    a.id = 0;
    Command c;
    c.after = std::move(a);
    return perform(c) ? c.after->id : 0;
}

bool AnnotationDocument::perform(Command &c) {
    if (!run(c, true))
        return false;
    m_undo.push_back(c);
    m_redo.clear();
    return true;
}

bool AnnotationDocument::update(const model::Annotation &a) {
    const model::Annotation *current = find(a.id);
    if (!current)
        return false;
    Command c;
    c.before = *current;
    c.after = a;
    if (*c.before == *c.after)
        return true;
    return perform(c);
}

bool AnnotationDocument::remove(std::int64_t id) {
    const model::Annotation *current = find(id);
    if (!current)
        return false;
    Command c;
    c.before = *current;
    return perform(c);
}

bool AnnotationDocument::setNote(const std::string &deposit, const std::string &text,
                                 const std::string &author) {
    Command c;
    c.isNote = true;
    c.noteKey = deposit;
    if (const auto *n = noteFor(deposit))
        c.noteBefore = *n;
    if (!text.empty())
        c.noteAfter = model::DepositNote{deposit, text, author, "", c.noteBefore ? c.noteBefore->version : 0};
    if (c.noteBefore == c.noteAfter || (c.noteBefore && c.noteAfter && c.noteBefore->text == text))
        return true;
    return perform(c);
}

// Moves the newest command of `from` to `to`, running it forwards (redo) or backwards (undo);
// a failed run moves nothing.
bool AnnotationDocument::step(std::vector<Command> &from, std::vector<Command> &to, bool forward) {
    if (from.empty())
        return false;
    Command c = from.back();
    if (!run(c, forward))
        return false;
    from.pop_back();
    to.push_back(c);
    return true;
}

bool AnnotationDocument::undo() {
    return step(m_undo, m_redo, false);
}

bool AnnotationDocument::redo() {
    return step(m_redo, m_undo, true);
}

bool AnnotationDocument::reloadIfChanged() {
    if (!m_store)
        return false;
    std::string now;
    try {
        now = m_store->revision();
    } catch (const std::exception &e) {
        m_error = e.what();
        return false;
    }
    if (now == m_storeRevision)
        return false;
    try {
        const auto hidden = m_hiddenGroups;
        load();
        m_hiddenGroups = hidden;
    } catch (const std::exception &e) {
        m_error = e.what();
        return false;
    }
    return true;
}

bool AnnotationDocument::keepMine() {
    if (!m_conflict)
        return false;
    const Conflict c = *m_conflict;
    m_conflict.reset();
    // Theirs is what the store holds: hold it too, then write ours over it as one edit.
    if (auto *row =
            findIf(m_set.annotations, [&](const model::Annotation &a) { return a.id == c.theirs.id; }))
        *row = c.theirs;
    ++m_revision;
    model::Annotation mine = c.mine;
    mine.id = c.theirs.id;
    return update(mine);
}

void AnnotationDocument::keepTheirs() {
    if (!m_conflict)
        return;
    const Conflict c = *m_conflict;
    m_conflict.reset();
    if (auto *row =
            findIf(m_set.annotations, [&](const model::Annotation &a) { return a.id == c.theirs.id; }))
        *row = c.theirs;
    ++m_revision;
    ++m_hostileRevision;
}

} // namespace orefront::viewer
