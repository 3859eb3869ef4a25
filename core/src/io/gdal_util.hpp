#pragma once
// Private helpers shared by the GDAL readers and writers.
#include "orefront/io/scenario_io.hpp"

#include <cpl_error.h>

#include "orefront/model/geometry.hpp"

#include <cstdint>
#include <string>

namespace orefront::io::detail {

// Captures GDAL errors on this thread for the lifetime of the object (CPLErrorHandlerPusher
// with the quiet handler) so they can be reported in our own messages.
class QuietGdalErrors {
public:
    QuietGdalErrors() : m_pusher(CPLQuietErrorHandler) { CPLErrorReset(); }
    std::string last() const {
        const char *m = CPLGetLastErrorMsg();
        // GDAL's PostgreSQL driver may quote the connection string, password included.
        return m && *m ? redactSource(m) : std::string("no detail from GDAL");
    }

private:
    CPLErrorHandlerPusher m_pusher;
};

// Throws InputError naming `where` and feature `fid` when `text` is not valid UTF-8 (text must
// be UTF-8: GeoJSON and GeoPackage say so, and the reports are written as UTF-8).
void checkUtf8(const char *text, const std::string &where, std::int64_t fid, const std::string &field);
// Throws InputError when a lon/lat coordinate is not finite or out of range, saying whether it
// looks like swapped axes.
void checkLonLat(model::LonLat p, const std::string &where, std::int64_t fid);

} // namespace orefront::io::detail
