#include "annotation_store_pg.hpp"

#include "orefront/io/scenario_io.hpp"

namespace orefront::io::detail {

std::unique_ptr<AnnotationStore> openPgAnnotationStore(const std::string &source, bool) {
    throw InputError("annotation store '" + redactSource(source) +
                     "': a PostgreSQL (PG:) annotation store is not available yet; use a GeoPackage "
                     "(--store FILE.gpkg)");
}

} // namespace orefront::io::detail
