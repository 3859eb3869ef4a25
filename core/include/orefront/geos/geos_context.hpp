#pragma once
// Thin RAII over the reentrant GEOS C API. One GeosContext per thread, passed explicitly;
// geometries never leave the thread that made them (send model::Geometry or WKB across).
#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include "orefront/model/geometry.hpp"

#include <geos_c.h>

#include <memory>
#include <string>

namespace orefront::geos {

class GeosContext;

struct GeomDeleter {
    GEOSContextHandle_t handle = nullptr;
    void operator()(GEOSGeometry *g) const {
        if (g)
            GEOSGeom_destroy_r(handle, g);
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;

// Owns GEOS_init_r()/GEOS_finish_r(). The error handler gets `this`, so the context is
// neither copyable nor movable. Errors are kept in lastError() and thrown as GeometryError
// by check().
class GeosContext {
public:
    GeosContext();
    ~GeosContext();
    GeosContext(const GeosContext &) = delete;
    GeosContext &operator=(const GeosContext &) = delete;

    GEOSContextHandle_t handle() const { return m_handle; }
    // Wraps a GEOS result: throws GeometryError (with GEOS's message and `what`) on nullptr.
    GeomPtr check(GEOSGeometry *g, const char *what) const;
    const std::string &lastError() const { return m_lastError; }

private:
    static void onError(const char *message, void *userData);
    GEOSContextHandle_t m_handle = nullptr;
    std::string m_lastError;
};

// model <-> GEOS. Points, lines and polygons of one feature become a collection when mixed.
GeomPtr toGeos(const GeosContext &ctx, const model::Geometry &g);
GeomPtr toGeos(const GeosContext &ctx, const model::Polygon &p);
model::Geometry fromGeos(const GeosContext &ctx, const GEOSGeometry *g);

bool isValid(const GeosContext &ctx, const GEOSGeometry *g, std::string *reason = nullptr);
// GEOSMakeValid, keeping only the polygonal part of the result.
GeomPtr makeValidPolygonal(const GeosContext &ctx, const GEOSGeometry *g);

} // namespace orefront::geos
