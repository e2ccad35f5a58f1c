#!/usr/bin/env bash
# Backup and restore of the office's catalog: `backup.sh backup [FILE]`, `backup.sh restore FILE`
# (`make backup`, `make restore FILE=…`).
#
#   backup   one archive, var/backups/yiyang-YYYYmmdd-HHMMSS.tar.gz (or FILE), readable by root
#            only, holding: pg_dump (custom format) of CKAN's database and of the DataStore's,
#            the uploaded files (ckan.storage_path), the office's configuration (var/ckan.ini,
#            var/solr-credentials, the workdays file when one is set) and manifest.txt
#            (versions, counts, alembic heads).
#   restore  onto a fresh var/ (YIYANG_VAR for another folder): starts the services that do not
#            answer, creates the databases and the DataStore's read role, pg_restore, puts back
#            the files and the configuration, runs the migrations (when the dump is older),
#            rebuilds the Solr index, runs `ckan yiyang index-check` and prints the counts beside
#            the manifest's. Refuses a var/ or a database that holds data unless FORCE=1; stops
#            at the first failure, saying what was restored and what was not.
#
# Where things are comes from the configuration (var/ckan.ini; YIYANG_INI for another file) and,
# as CKAN itself reads them, from CKAN_SQLALCHEMY_URL, CKAN_DATASTORE_WRITE_URL / _READ_URL,
# CKAN_SOLR_URL, CKAN_SOLR_USER / _PASSWORD and CKAN_STORAGE_PATH: a restore may so go into other
# database names and another Solr core on the same servers. PostgreSQL's superuser is reached
# through the local cluster's socket (PG_HOME, default var/pg).
set -euo pipefail
source "$(dirname "$0")/common.sh"

INI="${YIYANG_INI:-$CKAN_INI}"
PG_HOME="${PG_HOME:-$VAR/pg}"
PSQL="$PG_BIN/psql"

as_pg() { runuser -u postgres -- "$@"; }
psql_super() {  # psql_super DB ARGS...
  local db="$1"; shift
  as_pg "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$PG_HOME" -p "$PGPORT" -d "$db" "$@"
}
scalar() { psql_super "$1" -tAc "$2"; }  # scalar DB SQL

# settings INI: the effective settings (the file, then CKAN's environment variables), as shell
# assignments: DB, DB_USER, DS_DB, DS_USER, DS_READ_USER, DS_READ_PASSWORD, SOLR_URL,
# SOLR_USER, SOLR_PASSWORD, STORAGE, WORKDAYS, SITE_ID.
settings() {
  local out
  out="$("$VENV/bin/python" - "$1" <<'PY'
import os, shlex, sys
from urllib.parse import urlparse
from ckan.cli import CKANConfigLoader
from ckan.config.environment import CONFIG_FROM_ENV_VARS
conf = dict(CKANConfigLoader(os.path.abspath(sys.argv[1])).get_config())
for key, env in CONFIG_FROM_ENV_VARS.items():
    if os.environ.get(env):
        conf[key] = os.environ[env]
db, ds, read = (urlparse(conf.get(k) or "") for k in
                ("sqlalchemy.url", "ckan.datastore.write_url", "ckan.datastore.read_url"))
workdays = conf.get("ckanext.yiyang.workdays_file") or ""
for name, value in {
    "DB": db.path.lstrip("/"), "DB_USER": db.username, "DS_DB": ds.path.lstrip("/"),
    "DS_USER": ds.username, "DS_READ_USER": read.username, "DS_READ_PASSWORD": read.password,
    "SOLR_URL": (conf.get("solr_url") or "").rstrip("/"), "SOLR_USER": conf.get("solr_user"),
    "SOLR_PASSWORD": conf.get("solr_password"), "STORAGE": conf.get("ckan.storage_path"),
    "WORKDAYS": workdays if workdays not in ("", "NOT_SET") else "",
    "SITE_ID": conf.get("ckan.site_id"),
}.items():
    print(f"{name}={shlex.quote(str(value or ''))}")
PY
)" || die "could not read the settings of $1"
  eval "$out"
  [ -n "$DB" ] || die "$1 names no database (sqlalchemy.url)"
}

# counts DB DS_DB: the manifest's counts of a catalog, one `key=value` a line.
counts() {
  local db="$1" ds="$2" table
  echo "entries=$(scalar "$db" "SELECT count(*) FROM package WHERE type = 'dataset' AND state <> 'deleted'")"
  echo "units=$(scalar "$db" "SELECT count(*) FROM \"group\" WHERE is_organization AND state = 'active'")"
  # the site user (named after ckan.site_id) is made by the first command that needs it
  echo "users=$(scalar "$db" "SELECT count(*) FROM \"user\" WHERE state <> 'deleted' AND name <> '$SITE_ID'")"
  echo "resources=$(scalar "$db" "SELECT count(*) FROM resource WHERE state = 'active'")"
  if [ -n "$ds" ]; then
    echo "datastore_tables=$(scalar "$ds" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE '\_%'")"
  fi
  for table in $(scalar "$db" "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE '%alembic_version' ORDER BY 1"); do
    echo "alembic.$table=$(scalar "$db" "SELECT string_agg(version_num, ',' ORDER BY version_num) FROM $table")"
  done
}

db_exists() { [ "$(scalar postgres "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }

cmd_backup() {
  local out="${1:-$VAR/backups/yiyang-$(date -u +%Y%m%d-%H%M%S).tar.gz}" started
  [ -f "$INI" ] || die "no configuration at $INI: nothing to back up (run make run first)"
  settings "$INI"
  db_exists "$DB" || die "the database $DB does not exist"
  started=$(date +%s)
  umask 077
  mkdir -p "$(dirname "$out")"
  WORK="$(mktemp -d "$(dirname "$out")/.backup-XXXXXX")"
  trap 'rm -rf "$WORK"' EXIT
  local work="$WORK"
  mkdir -p "$work/yiyang-backup/config"
  local dir="$work/yiyang-backup"
  say "dumping the database $DB"
  as_pg "$PG_BIN/pg_dump" -h "$PG_HOME" -p "$PGPORT" -Fc "$DB" >"$dir/ckan.dump" \
    || die "pg_dump of $DB failed"
  if [ -n "$DS_DB" ] && db_exists "$DS_DB"; then
    say "dumping the DataStore database $DS_DB"
    as_pg "$PG_BIN/pg_dump" -h "$PG_HOME" -p "$PGPORT" -Fc "$DS_DB" >"$dir/datastore.dump" \
      || die "pg_dump of $DS_DB failed"
  fi
  if [ -n "$STORAGE" ] && [ -d "$STORAGE" ]; then
    say "archiving the uploaded files ($STORAGE)"
    tar -C "$STORAGE" -cf "$dir/storage.tar" . || die "could not archive $STORAGE"
  fi
  cp "$INI" "$dir/config/ckan.ini"
  [ -f "$SOLR_CREDENTIALS" ] && cp "$SOLR_CREDENTIALS" "$dir/config/solr-credentials"
  [ -n "$WORKDAYS" ] && [ -f "$WORKDAYS" ] && cp "$WORKDAYS" "$dir/config/workdays.yaml"
  {
    echo "format=1"
    echo "created=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "host=$(hostname)"
    echo "project=$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)"
    echo "ckan=$("$VENV/bin/python" -c 'import ckan; print(ckan.__version__)')"
    echo "postgresql=$(scalar postgres 'SHOW server_version')"
    echo "database=$DB"
    echo "datastore_database=$DS_DB"
    echo "storage_path=$STORAGE"
    echo "workdays_file=$WORKDAYS"
    counts "$DB" "$([ -f "$dir/datastore.dump" ] && echo "$DS_DB")"
  } >"$dir/manifest.txt" || die "could not write the manifest"
  tar -C "$work" -czf "$work/archive.tar.gz" yiyang-backup || die "could not write the archive"
  chmod 600 "$work/archive.tar.gz"
  mv "$work/archive.tar.gz" "$out"
  say "backup $out ($(du -h "$out" | cut -f1), $(($(date +%s) - started)) s)"
  grep -E '^(entries|units|users|resources|datastore_tables)=' "$dir/manifest.txt" | tr '\n' ' '
  echo
}

# --- restore -------------------------------------------------------------------------------

DONE=()
STEP=""
STEP_STARTED=0
step() { STEP="$1"; STEP_STARTED=$(date +%s); say "$1"; }
finished() { DONE+=("$STEP"); echo "    ($(($(date +%s) - STEP_STARTED)) s)"; }
on_exit() {
  local rc=$?
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
  rm -f "$VAR/ckan.ini.restoring"
  if [ "$rc" != 0 ] && [ -n "$STEP" ]; then
    printf '\033[31mrestore stopped\033[0m while: %s\n' "$STEP" >&2
    if [ "${#DONE[@]}" -gt 0 ]; then
      printf 'restored so far:\n' >&2; printf '  - %s\n' "${DONE[@]}" >&2
    else
      printf 'nothing was restored\n' >&2
    fi
    printf 'the restore is incomplete: fix the cause and run it again with FORCE=1\n' >&2
  fi
  exit "$rc"
}

holds_data() {  # a reason why the target is not fresh, or nothing
  if [ -n "$STORAGE" ] && [ -d "$STORAGE" ] && [ -n "$(ls -A "$STORAGE" 2>/dev/null)" ]; then
    echo "the files folder $STORAGE is not empty"; return
  fi
  if db_exists "$DB" && [ "$(scalar "$DB" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" != 0 ]; then
    echo "the database $DB holds tables"; return
  fi
  if [ -n "$DS_DB" ] && db_exists "$DS_DB" \
      && [ "$(scalar "$DS_DB" "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" != 0 ]; then
    echo "the DataStore database $DS_DB holds tables"; return
  fi
}

services() {
  if ! as_pg "$PG_BIN/pg_isready" -q -h "$PG_HOME" -p "$PGPORT" 2>/dev/null; then
    "$ROOT/config/bin/postgres.sh" start
  fi
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT") 2>/dev/null; then
    "$ROOT/config/bin/redis.sh" start
  fi
  if ! curl -s -o /dev/null --max-time 5 "http://127.0.0.1:$SOLR_PORT/solr/"; then
    "$ROOT/config/bin/solr.sh" start
  fi
}

recreate_db() {  # recreate_db NAME OWNER
  if db_exists "$1"; then psql_super postgres -c "DROP DATABASE $1 WITH (FORCE)"; fi
  psql_super postgres -c "CREATE DATABASE $1 OWNER $2 ENCODING 'UTF8' TEMPLATE template0"
}

cmd_restore() {
  local file="${1:-}" reason started key manifest restored failed=0
  [ -n "$file" ] || die "usage: backup.sh restore FILE (make restore FILE=…)"
  [ -f "$file" ] || die "no backup at $file"
  file="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
  started=$(date +%s)
  trap on_exit EXIT
  umask 077
  WORK="$(mktemp -d)"
  step "reading the archive $file"
  tar -C "$WORK" -xzf "$file" || die "$file is not a readable archive"
  local dir="$WORK/yiyang-backup"
  [ -f "$dir/manifest.txt" ] && [ -f "$dir/ckan.dump" ] && [ -f "$dir/config/ckan.ini" ] \
    || die "$file is not a backup of this project (no manifest, dump or configuration)"
  manifest="$dir/manifest.txt"

  # The configuration first (it says where the rest goes), unless var/ has its own: a restore
  # over an existing var/ keeps its ckan.ini only with FORCE=1 (then it is replaced too).
  mkdir -p "$VAR"
  if [ -f "$INI" ] && [ "${FORCE:-0}" != 1 ]; then
    STEP=""
    die "$INI exists: $VAR is not a fresh var/ (FORCE=1 to restore over it)"
  fi
  # read where it is (%(here)s is var/) before it replaces anything
  local candidate="$VAR/ckan.ini.restoring"
  install -m 600 "$dir/config/ckan.ini" "$candidate"
  settings "$candidate"
  # Solr of a fresh var/ starts with the backup's credentials (those its ckan.ini names)
  if [ -f "$dir/config/solr-credentials" ] && [ ! -f "$SOLR_CREDENTIALS" ]; then
    install -m 600 "$dir/config/solr-credentials" "$SOLR_CREDENTIALS"
  fi
  services
  reason="$(holds_data)"
  if [ -n "$reason" ] && [ "${FORCE:-0}" != 1 ]; then
    STEP=""  # refused: nothing was touched
    die "$reason: not a fresh target (FORCE=1 to restore over it; its data is replaced)"
  fi
  finished

  step "restoring the configuration into $VAR"
  mv "$candidate" "$INI"
  # the credentials of the Solr that runs (var/solr-credentials), as portal.sh config writes them
  if [ -f "$SOLR_CREDENTIALS" ]; then
    solr_credentials
    "$CKAN" config-tool "$INI" "solr_user=$SOLR_USER" "solr_password=$SOLR_PASSWORD" >/dev/null
  fi
  if [ -f "$dir/config/workdays.yaml" ]; then
    install -m 600 "$dir/config/workdays.yaml" "$VAR/workdays.yaml"
    "$CKAN" config-tool "$INI" "ckanext.yiyang.workdays_file=$VAR/workdays.yaml" >/dev/null
  fi
  settings "$INI"
  finished

  step "restoring the database $DB"
  if [ "$(scalar postgres "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" != 1 ]; then
    die "the role $DB_USER does not exist (postgres.sh start creates it)"
  fi
  recreate_db "$DB" "$DB_USER"
  as_pg "$PG_BIN/pg_restore" -h "$PG_HOME" -p "$PGPORT" --no-owner --no-acl --role="$DB_USER" \
    --exit-on-error -d "$DB" <"$dir/ckan.dump" 2>"$LOG_DIR/restore.log" \
    || { tail -n 20 "$LOG_DIR/restore.log" >&2; die "pg_restore of $DB failed (log: $LOG_DIR/restore.log)"; }
  finished

  if [ -f "$dir/datastore.dump" ]; then
    step "restoring the DataStore database $DS_DB and its read role $DS_READ_USER"
    [ -n "$DS_DB" ] || die "the configuration names no DataStore (ckan.datastore.write_url)"
    if [ "$(scalar postgres "SELECT 1 FROM pg_roles WHERE rolname = '$DS_READ_USER'")" != 1 ]; then
      psql_super postgres -c "CREATE ROLE $DS_READ_USER LOGIN PASSWORD '$DS_READ_PASSWORD' NOSUPERUSER NOCREATEDB NOCREATEROLE"
    fi
    recreate_db "$DS_DB" "$DS_USER"
    as_pg "$PG_BIN/pg_restore" -h "$PG_HOME" -p "$PGPORT" --no-owner --no-acl --role="$DS_USER" \
      --exit-on-error -d "$DS_DB" <"$dir/datastore.dump" 2>>"$LOG_DIR/restore.log" \
      || { tail -n 20 "$LOG_DIR/restore.log" >&2; die "pg_restore of $DS_DB failed (log: $LOG_DIR/restore.log)"; }
    "$CKAN" -c "$INI" datastore set-permissions 2>>"$LOG_DIR/restore.log" | psql_super postgres >>"$LOG_DIR/restore.log" 2>&1 \
      || die "ckan datastore set-permissions failed for $DS_DB (log: $LOG_DIR/restore.log)"
    finished
  fi

  if [ -f "$dir/storage.tar" ]; then
    step "restoring the uploaded files into $STORAGE"
    [ -n "$STORAGE" ] || die "the configuration names no ckan.storage_path"
    if [ -d "$STORAGE" ]; then find "$STORAGE" -mindepth 1 -delete; fi
    mkdir -p "$STORAGE"
    tar -C "$STORAGE" -xf "$dir/storage.tar" || die "could not unpack the uploaded files"
    finished
  fi

  step "running the migrations (a dump older than the code is brought up to date)"
  "$CKAN" -c "$INI" db upgrade >>"$LOG_DIR/restore.log" 2>&1 \
    && "$CKAN" -c "$INI" db pending-migrations --apply >>"$LOG_DIR/restore.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/restore.log" >&2; die "the migrations failed (log: $LOG_DIR/restore.log)"; }
  finished

  step "rebuilding the search index ($SOLR_URL)"
  if ! curl -sf --max-time 10 -u "$SOLR_USER:$SOLR_PASSWORD" -o /dev/null "$SOLR_URL/admin/ping"; then
    curl -sf --max-time 120 -u "$SOLR_USER:$SOLR_PASSWORD" -o /dev/null \
      "${SOLR_URL%/*}/admin/cores?action=CREATE&name=${SOLR_URL##*/}&configSet=ckan" \
      || die "the Solr core ${SOLR_URL##*/} does not answer and could not be created"
  fi
  # one process per core, many documents a Solr request (`ckan yiyang reindex`)
  "$CKAN" -c "$INI" yiyang reindex --workers "$(nproc)" >>"$LOG_DIR/restore.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/restore.log" >&2; die "ckan yiyang reindex failed (log: $LOG_DIR/restore.log)"; }
  finished

  step "checking the index against the database"
  "$CKAN" -c "$INI" yiyang index-check || die "the index and the database differ after the rebuild"
  finished

  STEP=""
  printf '%-32s %14s %14s\n' "" "backup" "restored"
  while IFS='=' read -r key restored; do
    local expected
    expected="$(sed -n "s/^$key=//p" "$manifest")"
    printf '%-32s %14s %14s\n' "$key" "${expected:--}" "$restored"
    if [[ "$key" != alembic.* ]] && [ "$expected" != "$restored" ]; then failed=1; fi
  done < <(counts "$DB" "$([ -f "$dir/datastore.dump" ] && echo "$DS_DB")")
  [ "$failed" = 0 ] || die "the restored counts differ from the backup's"
  say "restored $file into $VAR in $(($(date +%s) - started)) s"
}

case "${1:?usage: backup.sh backup [FILE] | restore FILE}" in
  backup) shift; cmd_backup "$@" ;;
  restore) shift; cmd_restore "$@" ;;
  *) die "usage: backup.sh backup [FILE] | restore FILE" ;;
esac
