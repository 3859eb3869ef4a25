#pragma once
// Where annotations live. One narrow interface, so that the GeoPackage store (any writable GDAL
// vector source) and the PostgreSQL team store implement the same calls. Every mutating call is
// one transaction: when it returns, the change is durable; when it throws, nothing changed.
#include "orefront/model/annotation.hpp"
#include "orefront/model/error.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

namespace orefront::io {

// A write based on an old version of a row another writer has since changed. Carries both, so
// the UI can show them and let the user keep one or merge. Exit code 2 in the CLI.
struct StaleWriteError : InputError {
    StaleWriteError(const std::string &what, model::Annotation mine_, model::Annotation theirs_)
        : InputError(what), mine(std::move(mine_)), theirs(std::move(theirs_)) {}
    model::Annotation mine;
    model::Annotation theirs;
};

class AnnotationStore {
public:
    virtual ~AnnotationStore() = default;

    // The store's source, redacted (no password), for messages.
    virtual std::string describe() const = 0;
    virtual bool readOnly() const = 0;

    // Everything in the store now.
    virtual model::AnnotationSet load() = 0;
    // A token that changes whenever any process commits a change (file mtime + size + data
    // version for a GeoPackage, a sequence for PostgreSQL). The viewer polls it to reload.
    virtual std::string revision() = 0;

    // Adds `a` (its id is ignored) and returns it as stored: id, version, times set (a given
    // createdUtc is kept, as on import; an empty author becomes currentUser()).
    virtual model::Annotation add(const model::Annotation &a) = 0;
    // Replaces the row with a.id if its stored version equals a.version; throws StaleWriteError
    // otherwise. Returns the row as stored (version bumped, modifiedUtc set).
    virtual model::Annotation update(const model::Annotation &a) = 0;
    // Removes the row with this id; false when there was none.
    virtual bool remove(std::int64_t id) = 0;
    // Sets (or, with empty text, removes) a deposit's note.
    virtual model::DepositNote putNote(const model::DepositNote &n) = 0;
    // An import: adds every annotation of `in` (as add() does; their ids are ignored) and sets
    // every note of it (replacing the deposit's note whatever its version), all in ONE
    // transaction: all or nothing. An invalid annotation throws InputError naming it (its
    // position and id in `in`, its label) after the rows before it were written, and they are
    // rolled back: when it throws, the store is as it was. Returns the rows as stored, in order.
    virtual model::AnnotationSet addAll(const model::AnnotationSet &in) = 0;
};

// Opens (creating if `create` and missing) the store at `source`: a GeoPackage path, any
// writable GDAL vector source, or a "PG:" connection string. Throws InputError naming the
// source (redacted) when it cannot be opened; a read-only source opens with readOnly() true.
std::unique_ptr<AnnotationStore> openAnnotationStore(const std::string &source, bool create = true);

// The scenario's declared store, else "<scenario file without .toml>.annotations.gpkg" beside it.
std::string defaultAnnotationStore(const std::string &scenarioPath, const std::string &declared);

} // namespace orefront::io
