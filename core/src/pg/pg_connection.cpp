#include "pg_connection.hpp"

#include "orefront/io/pg_source.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

namespace orefront::pg {

namespace {

// libpq's messages end in a newline and may quote parts of the connection string.
std::string clean(const char *message) {
    std::string m = message ? message : "";
    while (!m.empty() && (m.back() == '\n' || m.back() == ' '))
        m.pop_back();
    return io::redactSource(m);
}

} // namespace

Connection::Connection(const std::string &source) : m_describe(io::redactSource(source)) {
    m_conn = PQconnectdb(io::pgConninfo(source).c_str());
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        const std::string why = m_conn ? clean(PQerrorMessage(m_conn)) : "out of memory";
        if (m_conn)
            PQfinish(m_conn);
        m_conn = nullptr;
        throw InputError("store '" + m_describe + "': cannot connect: " + why);
    }
    // The server's NOTICEs ("relation already exists, skipping" on a second `db init`) are not
    // for the user; libpq would print them on stderr.
    PQsetNoticeProcessor(
        m_conn, [](void *, const char *) {}, nullptr);
}

Connection::~Connection() {
    if (m_conn)
        PQfinish(m_conn);
}

Result Connection::exec(const std::string &sql, const std::vector<Param> &params, const char *what) {
    std::vector<const char *> values;
    values.reserve(params.size());
    for (const auto &p : params)
        values.push_back(p ? p->c_str() : nullptr);
    Result r(PQexecParams(m_conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(),
                          nullptr, nullptr, 0));
    const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        m_sqlState.clear();
        return r;
    }
    const char *state = r ? PQresultErrorField(r.get(), PG_DIAG_SQLSTATE) : nullptr;
    m_sqlState = state ? state : "";
    const std::string message = "store '" + m_describe + "': " + what + ": " +
                                clean(r ? PQresultErrorMessage(r.get()) : PQerrorMessage(m_conn));
    // 42501 insufficient privilege; class 22 data exceptions and 23 integrity violations are
    // the input's fault.
    if (m_sqlState == "42501" || m_sqlState.rfind("22", 0) == 0 || m_sqlState.rfind("23", 0) == 0)
        throw InputError(message);
    throw OutputError(message);
}

std::string text(const PGresult *r, int row, int col) {
    return PQgetisnull(r, row, col) ? std::string() : std::string(PQgetvalue(r, row, col));
}

} // namespace orefront::pg
