#!/usr/bin/env bash
# The CKAN side of the local stack: `portal.sh config|db|test-db|start|stop|status`.
#   config   writes var/ckan.ini: CKAN's generated defaults (secrets made once) with
#            config/ckan-settings.ini merged over them on every run
#   db       the portal's database with every migration (core, activity, ours), the sysadmin
#   test-db  the same migrations on the test database (config/test.ini), and the database and
#            Solr core of each further worker of a parallel run (TEST_WORKERS, default 2):
#            ckan_test_gwN and core ckan_test_gwN (tests/conftest.py migrates them per run)
#            Each database has its DataStore database beside it (<database>_datastore for the
#            portal's, per worker the test configuration's with _gwN), read by datastore_ro
#   start    the web portal on http://$PORTAL_HOST:$PORTAL_PORT (gunicorn, YIYANG_WEB_WORKERS
#            workers, default 2) and the job worker beside it; stop stops both
#   demo     the demo catalog (`ckan yiyang demo load`, idempotent; `db` runs it unless
#            YIYANG_DEMO=0); demo-reset puts it back as first loaded
set -euo pipefail
source "$(dirname "$0")/common.sh"

WEB_PID="$RUN_DIR/portal.pid"
WORKER_PID="$RUN_DIR/worker.pid"
SYSADMIN_NAME="${CKAN_SYSADMIN_NAME:-admin}"
SYSADMIN_PASSWORD="${CKAN_SYSADMIN_PASSWORD:-yiyang-admin-2026}"

config() {
  if [ ! -f "$CKAN_INI" ]; then
    "$CKAN" generate config "$CKAN_INI" >/dev/null
    say "wrote $CKAN_INI"
  fi
  "$CKAN" config-tool "$CKAN_INI" -f "$ROOT/config/ckan-settings.ini" >/dev/null
  # Solr answers only with these (config/bin/solr.sh); the file holds them and the secrets.
  solr_credentials
  "$CKAN" config-tool "$CKAN_INI" "solr_user=$SOLR_USER" "solr_password=$SOLR_PASSWORD" >/dev/null
  chmod 600 "$CKAN_INI"
  mkdir -p "$VAR/storage" "$VAR/test-storage"
}

migrate() {  # migrate INI
  local ini="$1"
  "$CKAN" -c "$ini" db init >/dev/null 2>"$LOG_DIR/db.log" \
    || { tail -n 20 "$LOG_DIR/db.log" >&2; die "ckan db init failed for $ini"; }
  "$CKAN" -c "$ini" db pending-migrations --apply >>"$LOG_DIR/db.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/db.log" >&2; die "plugin migrations failed for $ini"; }
}

# psql_super DB ARGS...: psql as PostgreSQL's superuser (the local cluster's socket).
psql_super() {
  local db="$1"; shift
  runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h "${PG_HOME:-$VAR/pg}" -p "$PGPORT" -d "$db" "$@"
}

# url_part URL user|password|db: a part of a postgresql:// address.
url_part() {
  "$VENV/bin/python" -c 'import sys; from urllib.parse import urlparse; u = urlparse(sys.argv[1])
print({"user": u.username, "password": u.password, "db": u.path.lstrip("/")}[sys.argv[2]] or "")' "$1" "$2"
}

# datastore INI: the DataStore of the configuration INI (ckan.datastore.write_url / read_url,
# or CKAN_DATASTORE_* from the environment): its database, owned by CKAN's user, the read-only
# role, and CKAN's permissions script (`ckan datastore set-permissions`) run as the superuser.
# Idempotent.
datastore() {
  local ini="$1" write read db role password
  write="${CKAN_DATASTORE_WRITE_URL:-$(ini_key "$ini" ckan.datastore.write_url)}"
  read="${CKAN_DATASTORE_READ_URL:-$(ini_key "$ini" ckan.datastore.read_url)}"
  [ -n "$write" ] && [ -n "$read" ] || die "$ini sets no ckan.datastore.write_url / read_url"
  db="$(url_part "$write" db)"; role="$(url_part "$read" user)"; password="$(url_part "$read" password)"
  if [ "$(psql_super postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname='$role'")" != 1 ]; then
    psql_super postgres -c "CREATE ROLE $role LOGIN PASSWORD '$password' NOSUPERUSER NOCREATEDB NOCREATEROLE" \
      || die "could not create the DataStore's read-only role $role"
  fi
  if [ "$(psql_super postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'")" != 1 ]; then
    psql_super postgres -c "CREATE DATABASE $db OWNER $(url_part "$write" user) ENCODING 'UTF8' TEMPLATE template0" \
      || die "could not create the DataStore database $db"
    say "created the DataStore database $db"
  fi
  "$CKAN" -c "$ini" datastore set-permissions 2>"$LOG_DIR/datastore.log" | psql_super postgres >>"$LOG_DIR/datastore.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/datastore.log" >&2; die "ckan datastore set-permissions failed for $db"; }
}

# ini_key INI KEY: a setting of INI (following `use = config:` to the file it extends).
ini_key() {
  "$VENV/bin/python" - "$1" "$2" <<'PY'
import configparser, os, sys
ini, key = os.path.abspath(sys.argv[1]), sys.argv[2]
while ini:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ini, encoding="utf-8")
    main = parser["app:main"] if parser.has_section("app:main") else {}
    if key in main:
        print(main[key]); break
    use = main.get("use", "")
    ini = os.path.normpath(os.path.join(os.path.dirname(ini), use[len("config:"):])) if use.startswith("config:") else ""
PY
}

# xloader_token: the API token xloader's jobs fetch uploaded files with (a sysadmin's, made once
# per database and kept in var/ckan.ini as ckanext.xloader.api_token).
xloader_token() {
  local token
  token="$(ini_key "$CKAN_INI" ckanext.xloader.api_token)"
  if [ -n "$token" ] && [ "$token" != NOT_SET ] \
      && "$CKAN" -c "$CKAN_INI" user token list "$SYSADMIN_NAME" 2>/dev/null | grep -q "xloader"; then
    return
  fi
  token="$("$CKAN" -c "$CKAN_INI" user token add "$SYSADMIN_NAME" xloader 2>>"$LOG_DIR/db.log" | tail -n 1 | tr -d '[:space:]')"
  [ -n "$token" ] || die "could not create xloader's API token (log: var/log/db.log)"
  "$CKAN" config-tool "$CKAN_INI" "ckanext.xloader.api_token=$token" >/dev/null
}

db() {
  datastore "$CKAN_INI"
  migrate "$CKAN_INI"
  "$CKAN" -c "$CKAN_INI" yiyang ensure-sysadmin "$SYSADMIN_NAME" \
    --password "$SYSADMIN_PASSWORD" >"$LOG_DIR/sysadmin.log" 2>&1 \
    || { cat "$LOG_DIR/sysadmin.log" >&2; die "could not create the sysadmin $SYSADMIN_NAME"; }
  # The units of 附件1 and the e-government office (idempotent).
  "$CKAN" -c "$CKAN_INI" yiyang load-units >"$LOG_DIR/load-units.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/load-units.log" >&2; die "could not load the units"; }
  tail -n 1 "$LOG_DIR/load-units.log"
  xloader_token
  if [ "${YIYANG_DEMO:-1}" != 0 ]; then demo load; fi
}

demo() {  # demo load|reset
  "$CKAN" -c "$CKAN_INI" yiyang demo "${1:-load}" >"$LOG_DIR/demo.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/demo.log" >&2; die "could not ${1:-load} the demo catalog"; }
  tail -n 1 "$LOG_DIR/demo.log"
}

# The services of pytest-xdist's workers 1..TEST_WORKERS-1 (worker 0 uses config/test.ini's):
# names as tests/conftest.py's worker_settings derives them.
test_workers() {
  local workers="${TEST_WORKERS:-2}" n db core solr pg_home="${PG_HOME:-$VAR/pg}"
  db="$(ini_value sqlalchemy.url)"; db="${db##*/}"
  solr="$(ini_value solr_url)"; core="${solr##*/}"; solr="${solr%/*}"
  solr_credentials
  for ((n = 1; n < workers; n++)); do
    if [ "$(runuser -u postgres -- psql -X -q -h "$pg_home" -p "$PGPORT" -d postgres -tAc \
        "SELECT 1 FROM pg_database WHERE datname='${db}_gw$n'")" != 1 ]; then
      runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h "$pg_home" -p "$PGPORT" -d postgres \
        -c "CREATE DATABASE ${db}_gw$n OWNER ckan ENCODING 'UTF8' TEMPLATE template0" \
        || die "could not create the database ${db}_gw$n"
      say "created database ${db}_gw$n"
    fi
    if ! curl -sf --max-time 10 -u "$SOLR_AUTH" "$solr/${core}_gw$n/admin/ping" >/dev/null; then
      curl -sf --max-time 120 -u "$SOLR_AUTH" -o /dev/null \
        "$solr/admin/cores?action=CREATE&name=${core}_gw$n&configSet=ckan" \
        || die "could not create the Solr core ${core}_gw$n"
      say "created Solr core ${core}_gw$n"
    fi
    CKAN_SQLALCHEMY_URL="$(ini_value sqlalchemy.url)_gw$n" \
      CKAN_DATASTORE_WRITE_URL="$(ini_value ckan.datastore.write_url)_gw$n" \
      CKAN_DATASTORE_READ_URL="$(ini_value ckan.datastore.read_url)_gw$n" datastore "$TEST_INI"
  done
}

# ini_value KEY: a setting of config/test.ini.
ini_value() { sed -n "s/^$1 *= *//p" "$TEST_INI" | head -n 1; }

# The test databases commit without waiting for the disk (synchronous_commit = off: a crash
# may lose the last few milliseconds of commits, never consistency). Per database: the
# portal's keeps the default.
test_db_settings() {
  local workers="${TEST_WORKERS:-2}" n db name pg_home="${PG_HOME:-$VAR/pg}"
  db="$(ini_value sqlalchemy.url)"; db="${db##*/}"
  for ((n = 0; n < workers; n++)); do
    name="$db"; ((n == 0)) || name="${db}_gw$n"
    runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -h "$pg_home" -p "$PGPORT" -d postgres \
      -c "ALTER DATABASE $name SET synchronous_commit = off" \
      || die "could not set synchronous_commit on the test database $name"
  done
}

# The index of each test core (the test configuration's and the workers') on tmpfs: its data/
# is a link to /dev/shm/yiyang-solr-test/CORE (solr.sh start recreates the target after a
# reboot). CKAN commits Solr after every write; a hard commit's fsync costs 20-140 ms on disk,
# 5-8 ms on tmpfs. The portal's core stays on disk.
test_solr_tmpfs() {
  local workers="${TEST_WORKERS:-2}" n solr core name dir props shm=/dev/shm/yiyang-solr-test
  [ -d /dev/shm ] && [ -w /dev/shm ] || return 0
  solr="$(ini_value solr_url)"; core="${solr##*/}"; solr="${solr%/*}"
  solr_credentials
  for ((n = 0; n < workers; n++)); do
    name="$core"; ((n == 0)) || name="${core}_gw$n"
    dir="$(curl -sf --max-time 10 -u "$SOLR_AUTH" "$solr/admin/cores?action=STATUS&core=$name&wt=json" \
      | "$VENV/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["status"].get(sys.argv[1], {}).get("instanceDir", ""))' "$name")" || dir=""
    [ -n "$dir" ] || die "the Solr core $name does not answer"
    dir="${dir%/}"
    [ -L "$dir/data" ] && continue
    # the launcher's core.properties, put back after the CREATE (else it warns at its next start)
    props="$(cat "$dir/core.properties" 2>/dev/null || true)"
    curl -sf --max-time 60 -u "$SOLR_AUTH" -o /dev/null \
      "$solr/admin/cores?action=UNLOAD&core=$name&deleteDataDir=true" \
      || die "could not unload the Solr core $name"
    rm -rf "${dir:?}/data" "$shm/$name"
    mkdir -p "$shm/$name"
    ln -s "$shm/$name" "$dir/data"
    curl -sf --max-time 120 -u "$SOLR_AUTH" -o /dev/null \
      "$solr/admin/cores?action=CREATE&name=$name&configSet=ckan" \
      || die "could not create the Solr core $name again"
    if [ -n "$props" ]; then printf '%s\n' "$props" >"$dir/core.properties"; fi
    say "Solr core $name: index on tmpfs ($shm/$name)"
  done
}

# test-core NAME [CONFIGSET]: the Solr core <test core>_NAME (from CKAN_SOLR_URL, else
# config/test.ini) of CONFIGSET (default ckan; stock: CKAN's own schema), made when missing;
# prints its URL.
test_core() {
  local name="$1" configset="${2:-ckan}" solr core
  solr="${CKAN_SOLR_URL:-$(ini_value solr_url)}"; core="${solr##*/}_$name"; solr="${solr%/*}"
  solr_credentials
  if ! curl -sf --max-time 10 -u "$SOLR_AUTH" "$solr/$core/admin/ping" >/dev/null; then
    curl -sf --max-time 120 -u "$SOLR_AUTH" -o /dev/null \
      "$solr/admin/cores?action=CREATE&name=$core&configSet=$configset" \
      || die "could not create the Solr core $core"
  fi
  echo "$solr/$core"
}

# test-site NAME [INI]: the database and Solr core of a second portal the tests start
# (tests/harvest: the county, a stock CKAN): <test database>_NAME and core <test core>_NAME
# (from CKAN_SQLALCHEMY_URL / CKAN_SOLR_URL, else config/test.ini), migrated with INI's plugins.
test_site() {
  local name="$1" ini="${2:-$TEST_INI}" url db core
  url="${CKAN_SQLALCHEMY_URL:-$(ini_value sqlalchemy.url)}"; db="${url##*/}_$name"
  core="$(test_core "$name")" || exit 1
  if [ "$(psql_super postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$db'")" != 1 ]; then
    psql_super postgres -c "CREATE DATABASE $db OWNER ckan ENCODING 'UTF8' TEMPLATE template0" \
      || die "could not create the database $db"
  fi
  CKAN_SQLALCHEMY_URL="${url%/*}/$db" CKAN_SOLR_URL="$core" migrate "$ini"
  echo "${url%/*}/$db $core"
}

test_db() {
  datastore "$TEST_INI"
  migrate "$TEST_INI"
  test_workers
  test_db_settings
  test_solr_tmpfs
}

start() {
  # The portal first: queued jobs (xloader's loads of the demo's data files among them) fetch
  # uploaded files from it, so the worker starts once it answers.
  if pid_alive "$WEB_PID"; then
    say "portal already running"
  else
    # gunicorn (ckanext/yiyang/serving/): YIYANG_WEB_WORKERS processes (default 2) of
    # YIYANG_WEB_THREADS threads (default 4); the same command as the tests' live portal.
    CKAN_INI="$CKAN_INI" YIYANG_WEB_BIND="$PORTAL_HOST:$PORTAL_PORT" \
      YIYANG_WEB_ACCESS_LOG="$LOG_DIR/portal-access.log" \
      nohup "$VENV/bin/gunicorn" -c python:ckanext.yiyang.serving.gunicorn_conf \
      'ckanext.yiyang.serving.wsgi:create_app()' >"$LOG_DIR/portal.log" 2>&1 &
    echo $! >"$WEB_PID"
    # what it was started with (welcome.sh and status print it)
    printf 'WEB_WORKERS=%s\nWEB_THREADS=%s\n' "${YIYANG_WEB_WORKERS:-2}" "${YIYANG_WEB_THREADS:-4}" >"$RUN_DIR/portal.settings"
    say "portal started: gunicorn, ${YIYANG_WEB_WORKERS:-2} workers × ${YIYANG_WEB_THREADS:-4} threads (log: var/log/portal.log)"
  fi
  wait_http "http://$PORTAL_HOST:$PORTAL_PORT/api/3/action/status_show" 120 "$LOG_DIR/portal.log"
  if pid_alive "$WORKER_PID"; then
    say "job worker already running"
  else
    # what an earlier run lost (issue 17): jobs of a worker that died or failed with a
    # service, and notification mails whose job never ran
    "$CKAN" -c "$CKAN_INI" yiyang requeue-abandoned-jobs >>"$LOG_DIR/worker.log" 2>&1 || true
    "$CKAN" -c "$CKAN_INI" yiyang resend-notification-mails >>"$LOG_DIR/worker.log" 2>&1 || true
    nohup "$CKAN" -c "$CKAN_INI" jobs worker >>"$LOG_DIR/worker.log" 2>&1 &
    echo $! >"$WORKER_PID"
    say "job worker started (log: var/log/worker.log)"
  fi
  sleep 1
  pid_alive "$WORKER_PID" || { tail -n 20 "$LOG_DIR/worker.log" >&2; die "the job worker exited"; }
}

stop() {
  stop_pid portal "$WEB_PID"
  rm -f "$RUN_DIR/portal.settings"
  stop_pid "job worker" "$WORKER_PID"
}

status() {
  pid_alive "$WEB_PID" && echo "portal running (gunicorn master pid $(cat "$WEB_PID"), $(pgrep -c -P "$(cat "$WEB_PID")") workers)" || echo "portal stopped"
  pid_alive "$WORKER_PID" && echo "worker running (pid $(cat "$WORKER_PID"))" || echo "worker stopped"
}

case "${1:?usage: portal.sh config|db|test-db|test-site|test-core|start|stop|status|demo|demo-reset}" in
  test-db) test_db ;;
  test-site) shift; test_site "$@" ;;
  test-core) shift; test_core "$@" ;;
  demo-reset) demo reset ;;
  *) "$@" ;;
esac
