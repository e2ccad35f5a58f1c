#!/usr/bin/env bash
# The CKAN side of the local stack: `portal.sh config|db|test-db|start|stop|status`.
#   config   writes var/ckan.ini: CKAN's generated defaults (secrets made once) with
#            config/ckan-settings.ini merged over them on every run
#   db       the portal's database with every migration (core, activity, ours), the sysadmin
#   test-db  the same migrations on the test database (config/test.ini)
#   start    the job worker and the web portal on http://$PORTAL_HOST:$PORTAL_PORT
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
  mkdir -p "$VAR/storage" "$VAR/test-storage"
}

migrate() {  # migrate INI
  local ini="$1"
  "$CKAN" -c "$ini" db init >/dev/null 2>"$LOG_DIR/db.log" \
    || { tail -n 20 "$LOG_DIR/db.log" >&2; die "ckan db init failed for $ini"; }
  "$CKAN" -c "$ini" db pending-migrations --apply >>"$LOG_DIR/db.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/db.log" >&2; die "plugin migrations failed for $ini"; }
}

db() {
  migrate "$CKAN_INI"
  "$CKAN" -c "$CKAN_INI" yiyang ensure-sysadmin "$SYSADMIN_NAME" \
    --password "$SYSADMIN_PASSWORD" >"$LOG_DIR/sysadmin.log" 2>&1 \
    || { cat "$LOG_DIR/sysadmin.log" >&2; die "could not create the sysadmin $SYSADMIN_NAME"; }
  # The units of 附件1 and the e-government office (idempotent).
  "$CKAN" -c "$CKAN_INI" yiyang load-units >"$LOG_DIR/load-units.log" 2>&1 \
    || { tail -n 20 "$LOG_DIR/load-units.log" >&2; die "could not load the units"; }
  tail -n 1 "$LOG_DIR/load-units.log"
}

test_db() { migrate "$TEST_INI"; }

start() {
  if pid_alive "$WORKER_PID"; then
    say "job worker already running"
  else
    nohup "$CKAN" -c "$CKAN_INI" jobs worker >"$LOG_DIR/worker.log" 2>&1 &
    echo $! >"$WORKER_PID"
    say "job worker started (log: var/log/worker.log)"
  fi
  if pid_alive "$WEB_PID"; then
    say "portal already running"
  else
    nohup "$CKAN" -c "$CKAN_INI" run -H "$PORTAL_HOST" -p "$PORTAL_PORT" \
      --disable-reloader --disable-debugger --threaded >"$LOG_DIR/portal.log" 2>&1 &
    echo $! >"$WEB_PID"
  fi
  wait_http "http://$PORTAL_HOST:$PORTAL_PORT/api/3/action/status_show" 120 "$LOG_DIR/portal.log"
  pid_alive "$WORKER_PID" || { tail -n 20 "$LOG_DIR/worker.log" >&2; die "the job worker exited"; }
}

stop() {
  stop_pid portal "$WEB_PID"
  stop_pid "job worker" "$WORKER_PID"
}

status() {
  pid_alive "$WEB_PID" && echo "portal running (pid $(cat "$WEB_PID"))" || echo "portal stopped"
  pid_alive "$WORKER_PID" && echo "worker running (pid $(cat "$WORKER_PID"))" || echo "worker stopped"
}

case "${1:?usage: portal.sh config|db|test-db|start|stop|status}" in
  test-db) test_db ;;
  *) "$1" ;;
esac
