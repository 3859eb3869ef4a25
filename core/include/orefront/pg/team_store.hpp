#pragma once
// The team store on PostgreSQL/PostGIS: annotations and deposit notes shared by every viewer
// and CLI process on one database, behind io::AnnotationStore (the GeoPackage store's calls).
//
// - Every change is one statement in its own transaction, an import (addAll) one transaction
//   of all its rows: a writer killed with -9 leaves no partial change.
// - Each row carries a version; an update or note based on an old version is refused with
//   io::StaleWriteError carrying both rows.
// - A statement trigger bumps orefront_store_revision and NOTIFYs channel "orefront_store";
//   revision() reads notifications (LISTEN, through libpq) and polls every 2 s as a fallback.
// - A login without write privilege (role orefront_reader) opens with readOnly() true; its
//   edits throw InputError (exit 2) naming the role it needs.
#include "orefront/io/annotation_store.hpp"

#include <iosfwd>
#include <memory>
#include <string>

namespace orefront::pg {

// Opens the store in the database `source` ("PG:service=orefront"). With `create`, a login
// that may create tables creates missing ones; otherwise a database without them is an
// InputError that says to run `orefront db init`. Throws InputError (source redacted) when the
// database cannot be reached.
// Thread rules: the store holds one libpq connection; use it from one thread at a time.
std::unique_ptr<io::AnnotationStore> openTeamStore(const std::string &source, bool create = true);

// `orefront db init`: creates (idempotently) PostGIS, the annotation tables, their indexes and
// trigger, and the roles orefront_reader (reads layers, reports and annotations) and
// orefront_editor (also writes them, and may create report tables). Needs a login that may
// create roles. Says what it did on `out`. Throws InputError/OutputError.
void initTeamStore(const std::string &source, std::ostream &out);

// The NOTIFY channel every change is announced on.
inline constexpr const char *kStoreChannel = "orefront_store";

} // namespace orefront::pg
