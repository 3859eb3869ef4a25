#pragma once
// Private helpers shared by the GDAL readers and writers.
#include "orefront/io/scenario_io.hpp"

#include <cpl_error.h>

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

} // namespace orefront::io::detail
