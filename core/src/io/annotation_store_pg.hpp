#pragma once
// Private: the PostgreSQL team store behind io::AnnotationStore. openAnnotationStore() sends
// every "PG:" source here. Filled in by the PostgreSQL store work; until then it throws an
// InputError that says so.
#include "orefront/io/annotation_store.hpp"

#include <memory>
#include <string>

namespace orefront::io::detail {

std::unique_ptr<AnnotationStore> openPgAnnotationStore(const std::string &source, bool create);

} // namespace orefront::io::detail
