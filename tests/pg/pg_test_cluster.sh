#!/usr/bin/env bash
# A throw-away PostgreSQL 15 + PostGIS cluster for the PostgreSQL tests (ctest fixture "pg").
#   pg_test_cluster.sh start DIR   initdb in DIR/data, start on 127.0.0.1:<free port> with the
#                                  Unix socket in DIR/sock; writes DIR/conninfo (superuser, socket)
#                                  and DIR/conninfo_tcp (role orefront_test, password, loopback)
#   pg_test_cluster.sh stop DIR    stops it and removes DIR
# Missing packages: writes DIR/skip with the reason and exits 0; the tests then SKIP visibly.
# Running as root: PostgreSQL refuses root, so the server runs as the 'postgres' user, which
# owns DIR. Durability is off (fsync, synchronous_commit): test data only.
set -euo pipefail
cmd=${1:-}
DIR=${2:-}
[ -n "$cmd" ] && [ -n "$DIR" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
BIN=$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || true)

as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
    if [ -n "$BIN" ] && [ -f "$DIR/data/postmaster.pid" ]; then
        as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
}

case "$cmd" in
start)
    stop # a cluster left by an interrupted run
    rm -rf "$DIR"
    mkdir -p "$DIR"
    if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ] || [ ! -f /usr/share/postgresql/15/extension/postgis.control ]; then
        echo "PostgreSQL 15 and PostGIS 3 are not installed (postgresql-15, postgresql-15-postgis-3)" \
            | tee "$DIR/skip"
        exit 0
    fi
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || { echo "no 'postgres' user to run the server as" | tee "$DIR/skip"; exit 0; }
        chown postgres "$DIR"
    fi
    chmod 700 "$DIR"
    # Stopped again if any later step fails: a half-started cluster never outlives this script.
    trap 'stop' ERR
    PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_owner "$BIN/initdb" -D "$DIR/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        -E UTF8 --locale=C >"$DIR/initdb.log" 2>&1
    as_owner mkdir -p "$DIR/sock"
    cat >>"$DIR/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR/sock'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
jit = off
CONF
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start >/dev/null
    PSQL=("$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DIR/sock" -p "$PORT" -U postgres)
    as_owner "${PSQL[@]}" -d postgres -c "CREATE DATABASE orefront_test" >/dev/null
    as_owner "${PSQL[@]}" -d orefront_test -c "CREATE EXTENSION postgis" >/dev/null
    # A login with a password, reached over TCP, so the tests can check it is never printed.
    PASSWORD="pw-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
    as_owner "${PSQL[@]}" -d orefront_test \
        -c "CREATE ROLE orefront_test LOGIN SUPERUSER PASSWORD '$PASSWORD'" >/dev/null
    echo "host=$DIR/sock port=$PORT user=postgres dbname=orefront_test" >"$DIR/conninfo"
    echo "host=127.0.0.1 port=$PORT user=orefront_test password=$PASSWORD dbname=orefront_test" \
        >"$DIR/conninfo_tcp"
    chmod 644 "$DIR/conninfo" "$DIR/conninfo_tcp"
    chmod 755 "$DIR"
    echo "postgres $("$BIN/postgres" --version | awk '{print $3}') up on 127.0.0.1:$PORT, socket $DIR/sock"
    ;;
stop)
    stop
    rm -rf "$DIR"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
