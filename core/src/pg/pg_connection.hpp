#pragma once
// A libpq connection and its results, owned (PQfinish / PQclear). Private to core: libpq's
// header appears only in core/src/pg/.
// Thread rules: a Connection is used by one thread at a time (libpq's rule for a PGconn).
#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace orefront::pg {

struct ResultDeleter {
    void operator()(PGresult *r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// A statement parameter: text, or SQL NULL.
using Param = std::optional<std::string>;

class Connection {
public:
    // Connects to a "PG:" source (io::pgConninfo). Throws InputError naming the source with its
    // password redacted; libpq's message is redacted too.
    explicit Connection(const std::string &source);
    ~Connection();
    Connection(const Connection &) = delete;
    Connection &operator=(const Connection &) = delete;

    PGconn *get() const { return m_conn; }
    // The source for messages: "PG:... password=***".
    const std::string &describe() const { return m_describe; }

    // Runs one statement with text parameters ($1, $2, ...). Throws InputError when the server
    // refuses it for lack of privilege (SQLSTATE 42501: a reader editing) or for bad input,
    // OutputError otherwise; `what` names the step in the message.
    Result exec(const std::string &sql, const std::vector<Param> &params = {}, const char *what = "query");

    // The last server error's SQLSTATE ("42501"), empty when none.
    const std::string &lastSqlState() const { return m_sqlState; }

private:
    PGconn *m_conn = nullptr;
    std::string m_describe;
    std::string m_sqlState;
};

// A field of row `row`, column `col` as text ("" for NULL).
std::string text(const PGresult *r, int row, int col);

} // namespace orefront::pg
