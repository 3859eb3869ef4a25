#include "annotation_store_pg.hpp"

#include "orefront/pg/team_store.hpp"

namespace orefront::io::detail {

// The PostgreSQL team store (core/src/pg/team_store.cpp).
std::unique_ptr<AnnotationStore> openPgAnnotationStore(const std::string &source, bool create) {
    return pg::openTeamStore(source, create);
}

} // namespace orefront::io::detail
