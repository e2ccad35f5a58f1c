# Shared by the scripts in config/bin: paths, ports and small helpers. Sourced, not run.
# Every path is under the repository; every piece of local state is under var/.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# YIYANG_VAR: another folder for the local state (the deployment test writes one in a temporary
# directory).
VAR="${YIYANG_VAR:-$ROOT/var}"
VENV="$ROOT/.venv"
CKAN="$VENV/bin/ckan"
RUN_DIR="$VAR/run"
LOG_DIR="$VAR/log"

PG_VERSION="${PG_VERSION:-15}"
PG_BIN="/usr/lib/postgresql/$PG_VERSION/bin"
PGPORT="${PGPORT:-5433}"
REDIS_PORT="${REDIS_PORT:-6379}"
SOLR_PORT="${SOLR_PORT:-8983}"
PORTAL_HOST="${PORTAL_HOST:-127.0.0.1}"
PORTAL_PORT="${PORTAL_PORT:-5000}"
CKAN_INI="$VAR/ckan.ini"
SOLR_CREDENTIALS="$VAR/solr-credentials"
TEST_INI="$ROOT/config/test.ini"

mkdir -p "$RUN_DIR" "$LOG_DIR"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# pid_alive FILE: the process named in FILE is running.
pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid NAME FILE: stop the process in FILE (TERM, then KILL after 20 s); nothing else.
stop_pid() {
  local name="$1" file="$2" pid i
  if ! pid_alive "$file"; then rm -f "$file"; return 0; fi
  pid="$(cat "$file")"
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -f "$file"
  say "stopped $name (pid $pid)"
}

# wait_http URL SECONDS LOG: wait until URL answers 2xx/3xx, else show LOG's tail and fail.
wait_http() {
  local url="$1" seconds="$2" log="${3:-}" i
  for i in $(seq 1 "$((seconds * 2))"); do
    if curl -fsS -o /dev/null --max-time 5 "$url" 2>/dev/null; then return 0; fi
    sleep 0.5
  done
  [ -n "$log" ] && [ -f "$log" ] && tail -n 40 "$log" >&2
  die "$url did not answer within ${seconds}s${log:+ (log: $log)}"
}

# solr_credentials: SOLR_USER and SOLR_PASSWORD of the local Solr's BasicAuth, made once into
# var/solr-credentials (readable by its owner only, like the secret key in var/ckan.ini), and
# SOLR_AUTH, curl's option for them.
solr_credentials() {
  if [ ! -s "$SOLR_CREDENTIALS" ]; then
    mkdir -p "$(dirname "$SOLR_CREDENTIALS")"
    (umask 077 && printf 'SOLR_USER=ckan\nSOLR_PASSWORD=%s\n' \
      "$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')" >"$SOLR_CREDENTIALS")
  fi
  chmod 600 "$SOLR_CREDENTIALS"
  SOLR_USER="$(sed -n 's/^SOLR_USER=//p' "$SOLR_CREDENTIALS")"
  SOLR_PASSWORD="$(sed -n 's/^SOLR_PASSWORD=//p' "$SOLR_CREDENTIALS")"
  export SOLR_USER SOLR_PASSWORD
  SOLR_AUTH="$SOLR_USER:$SOLR_PASSWORD"
}
