#!/usr/bin/env bash
# PostgreSQL 15 from Debian's packages, in a data directory of our own under var/pg, started
# without systemd: `postgres.sh start|stop|status`. Creates the role `ckan` and the databases
# `ckan` (the portal) and `ckan_test` (the test suite).
set -euo pipefail
source "$(dirname "$0")/common.sh"

PG_HOME="$VAR/pg"
PGDATA="$PG_HOME/data"
PG_LOG="$LOG_DIR/postgres.log"
DB_USER="${CKAN_DB_USER:-ckan}"
DB_PASSWORD="${CKAN_DB_PASSWORD:-ckan}"

as_pg() { runuser -u postgres -- "$@"; }

# The server runs as the `postgres` user, which must reach var/pg. When the checkout lies in a
# folder it cannot enter (e.g. under /root), the cluster lives in /var/tmp and var/pg links to it.
prepare_home() {
  if [ -L "$PG_HOME" ] || [ -d "$PGDATA" ]; then return; fi
  mkdir -p "$PG_HOME"
  chown postgres:postgres "$PG_HOME"
  if ! as_pg test -w "$PG_HOME"; then
    rmdir "$PG_HOME"
    local real="/var/tmp/yiyang-pg-$(printf '%s' "$ROOT" | md5sum | cut -c1-12)"
    mkdir -p "$real" && chown postgres:postgres "$real"
    ln -s "$real" "$PG_HOME"
    say "postgres cannot enter $ROOT: cluster kept in $real (var/pg links to it)"
  fi
}

psql_admin() { as_pg psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOME" -p "$PGPORT" -d postgres "$@"; }

ensure_databases() {
  local db
  if [ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname='$DB_USER'")" != 1 ]; then
    psql_admin -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'"
  fi
  for db in ckan ckan_test ckan_bench; do
    if [ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname='$db'")" != 1 ]; then
      psql_admin -c "CREATE DATABASE $db OWNER $DB_USER ENCODING 'UTF8' TEMPLATE template0"
      say "created database $db"
    fi
  done
}

start() {
  [ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL $PG_VERSION is not installed: run \`make install\`"
  prepare_home
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    say "initialising the PostgreSQL cluster in var/pg"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$LOG_DIR/initdb.log"
  fi
  if as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status >/dev/null 2>&1; then
    say "PostgreSQL already running on 127.0.0.1:$PGPORT"
  else
    touch "$PG_LOG" && chown postgres:postgres "$PG_LOG"
    # jit=off: the portal's queries are short; PostgreSQL compiles any query it estimates
    # costly, and on the review queue over 95,732 entries that took 0.7 of its 1.5 s
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PG_LOG" -w -t 60 \
      -o "-p $PGPORT -k $PG_HOME -c listen_addresses=127.0.0.1 -c jit=off" start >/dev/null \
      || { tail -n 30 "$PG_LOG" >&2; die "PostgreSQL did not start (log: $PG_LOG)"; }
    say "PostgreSQL started on 127.0.0.1:$PGPORT"
  fi
  ensure_databases
}

stop() {
  if [ -f "$PGDATA/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null && say "stopped PostgreSQL"
  fi
}

status() { as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" status; }

"${1:?usage: postgres.sh start|stop|status}"
