#!/usr/bin/env bash
# Development/test Solr 9 for CKAN, run from Maven Central artifacts by a small Java launcher
# (config/solr-launcher). Production uses the official Solr image with the same configsets.
#
#   config/bin/solr.sh build     build the launcher (only when missing or its sources changed)
#   config/bin/solr.sh start     build if needed, start in the background, wait until it answers
#   config/bin/solr.sh stop      stop the instance recorded in the pid file
#   config/bin/solr.sh restart   stop, then start (configset edits take effect)
#   config/bin/solr.sh status    exit 0 if running and answering, 3 if not running, 1 if stuck
#   config/bin/solr.sh run       run in the foreground (Ctrl-C stops it), for debugging
#   config/bin/solr.sh cloud start|stop|status|node-stop N|node-start N
#                                a local SolrCloud beside it (see "SolrCloud" below)
#
# Environment:
#   SOLR_PORT           HTTP port on 127.0.0.1 (default 8983); URL http://127.0.0.1:PORT/solr
#   SOLR_CORES          cores, NAME or NAME:CONFIGSET (default "ckan ckan_test ckan_stock:stock")
#   SOLR_HEAP           JVM heap, -Xmx (default 512m; 256m is enough for tests)
#   SOLR_HOME_DIR       solr home with the indexes (default var/solr, var/solr-PORT on another port)
#   SOLR_CONFIGSET_DIR  the configsets the cores name (default config/solr/configsets)
#   SOLR_JAVA_OPTS      extra JVM options, e.g. -Dsolr.log.level=INFO
#   SOLR_START_TIMEOUT  seconds to wait for the first core to answer (default 90)
# Files: pid var/run/solr.pid, log var/log/solr.log (solr-PORT.* on a port other than 8983).
#
# SolrCloud (issue 16.4): `cloud start` runs solr-test-framework's MiniSolrCloudCluster
# (cn.gov.yiyang.solr.CloudLauncher): an embedded ZooKeeper, SOLR_CLOUD_NODES nodes (default 2)
# on ports SOLR_CLOUD_PORT, +1, ... (default 8990, 8991), the configset `ckan` uploaded and the
# collection SOLR_CLOUD_COLLECTION (default ckan) of SOLR_CLOUD_SHARDS x SOLR_CLOUD_REPLICAS
# (default 2 x 2, each shard's replicas on different nodes), with the same BasicAuth. Point
# CKAN's solr_url at http://127.0.0.1:8990/solr/ckan. The state (SOLR_CLOUD_DIR, default
# var/solr-cloud or var/solr-cloud-PORT) is made afresh on every start: reindex after it.
# A control port (SOLR_CLOUD_CONTROL_PORT, default 8989, same user and password) answers
# GET /status and POST /nodes/N/stop, /nodes/N/start: `cloud node-stop N` stops node N for real
# (Jetty and its cores close, its replicas go down), `cloud node-start N` brings it back on its
# port and waits until the collection is healthy. `cloud status`: exit 0 when every replica is
# active, 1 when running but not healthy, 3 when not running. Heap SOLR_CLOUD_HEAP (768m).
# Files: pid var/run/solr-cloud.pid, log var/log/solr-cloud.log (-PORT on another port).
#
# BasicAuth: every request needs the user and password of var/solr-credentials (made once by
# common.sh's solr_credentials); `start` writes them, hashed, into SOLR_HOME/security.json
# (config/bin/solr_security.py) and restarts a Solr that was started without them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=common.sh
source "$ROOT/config/bin/common.sh"
solr_credentials
LAUNCHER_DIR="$ROOT/config/solr-launcher"
CONFIGSET_DIR="${SOLR_CONFIGSET_DIR:-$ROOT/config/solr/configsets}"
MAIN_CLASS="cn.gov.yiyang.solr.SolrLauncher"
BUILD_STAMP="$LAUNCHER_DIR/target/.build-stamp"

SOLR_PORT="${SOLR_PORT:-8983}"
SOLR_CORES="${SOLR_CORES:-ckan ckan_test ckan_stock:stock ckan_bench}"
SOLR_HEAP="${SOLR_HEAP:-512m}"
SOLR_JAVA_OPTS="${SOLR_JAVA_OPTS:-}"
SOLR_START_TIMEOUT="${SOLR_START_TIMEOUT:-90}"
if [[ "$SOLR_PORT" == 8983 ]]; then suffix=""; else suffix="-$SOLR_PORT"; fi
SOLR_HOME_DIR="${SOLR_HOME_DIR:-$ROOT/var/solr$suffix}"
PID_FILE="$ROOT/var/run/solr$suffix.pid"
LOG_FILE="$ROOT/var/log/solr$suffix.log"

read -r -a CORES <<<"$SOLR_CORES"
if [[ ${#CORES[@]} -eq 0 ]]; then
  echo "solr.sh: SOLR_CORES is empty" >&2
  exit 2
fi
FIRST_CORE="${CORES[0]%%:*}"
PING_URL="http://127.0.0.1:$SOLR_PORT/solr/$FIRST_CORE/admin/ping?wt=json"

die() {
  echo "solr.sh: $*" >&2
  exit 1
}

show_log_tail() {
  if [[ -f "$LOG_FILE" ]]; then
    echo "--- last lines of $LOG_FILE ---" >&2
    tail -n 40 "$LOG_FILE" >&2
    echo "---" >&2
  fi
}

needs_build() {
  [[ -f "$BUILD_STAMP" && -d "$LAUNCHER_DIR/target/lib" ]] || return 0
  [[ -n "$(find "$LAUNCHER_DIR/pom.xml" "$LAUNCHER_DIR/src" -newer "$BUILD_STAMP" -print -quit)" ]]
}

cmd_build() {
  if ! needs_build; then
    return 0
  fi
  command -v mvn >/dev/null || die "Maven (mvn) not found: apt-get install maven"
  command -v java >/dev/null || die "java not found: apt-get install openjdk-17-jdk-headless"
  echo "Building the Solr launcher (first build downloads ~130 MB into ~/.m2) ..."
  # Stale jars from an older pom would sit beside the new ones on the classpath.
  rm -rf "$LAUNCHER_DIR/target/lib"
  # Debian's Maven prints bare colour resets even in batch mode; strip them (pipefail keeps
  # Maven's exit status).
  if ! mvn -q -B -f "$LAUNCHER_DIR/pom.xml" package 2>&1 | sed 's/\x1b\[[0-9;]*m//g'; then
    die "the Maven build of $LAUNCHER_DIR failed (output above)"
  fi
  touch "$BUILD_STAMP"
  echo "Built $LAUNCHER_DIR/target"
}

# live_pid PID_FILE CLASS: the pid file's process, if it is still alive and still runs the
# launcher's CLASS (pids get reused).
live_pid() {
  [[ -f "$1" ]] || return 1
  local pid
  pid="$(cat "$1" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "$2" || return 1
  echo "$pid"
}
running_pid() { live_pid "$PID_FILE" "$MAIN_CLASS"; }

ping_ok() {
  curl -sf --max-time 3 -u "$SOLR_AUTH" "$PING_URL" 2>/dev/null | grep -q '"status":"OK"'
}

# security.json in the solr home: BasicAuth with var/solr-credentials, nobody else.
write_security() {
  mkdir -p "$SOLR_HOME_DIR"
  python3 "$ROOT/config/bin/solr_security.py" "$SOLR_HOME_DIR/security.json" \
    || die "could not write $SOLR_HOME_DIR/security.json"
}

java_command() {
  local args=(--port "$SOLR_PORT" --home "$SOLR_HOME_DIR" --configset-dir "$CONFIGSET_DIR")
  local core
  for core in "${CORES[@]}"; do args+=(--core "$core"); done
  # shellcheck disable=SC2206  # SOLR_JAVA_OPTS is a list of options, split on purpose
  JAVA_CMD=(java "-Xmx$SOLR_HEAP" -Xms64m -Xss512k -XX:+ExitOnOutOfMemoryError
    -Dfile.encoding=UTF-8 -Duser.timezone=UTC $SOLR_JAVA_OPTS
    -cp "$LAUNCHER_DIR/target/classes:$LAUNCHER_DIR/target/lib/*" "$MAIN_CLASS" "${args[@]}")
}

# What the running Solr was started with: the configsets, the cores and the launcher build.
# When it changes (a schema edit, a new core), `start` restarts Solr so the change takes effect.
fingerprint() {
  { find "$CONFIGSET_DIR" -type f -print0 | sort -z | xargs -0 md5sum
    echo "$SOLR_CORES $SOLR_HEAP"
    cat "$SOLR_HOME_DIR/security.json" 2>/dev/null || true
    cat "$BUILD_STAMP" 2>/dev/null || true; } | md5sum | cut -d' ' -f1
}

cmd_start() {
  command -v curl >/dev/null || die "curl not found: apt-get install curl"
  local pid
  write_security
  if pid="$(running_pid)" && [[ "$(cat "$PID_FILE.fingerprint" 2>/dev/null)" != "$(fingerprint)" ]]; then
    echo "Solr's configset, cores, credentials or build changed since it started: restarting it"
    cmd_stop
  fi
  if pid="$(running_pid)"; then
    if ping_ok; then
      echo "Solr already running (pid $pid) at http://127.0.0.1:$SOLR_PORT/solr"
      return 0
    fi
    echo "Solr process $pid exists but does not answer yet; waiting for it ..."
  else
    rm -f "$PID_FILE"
    if ping_ok; then
      echo "Something already answers at $PING_URL but was not started by this script" \
        "(no live pid in $PID_FILE); leaving it alone."
      return 0
    fi
    cmd_build
    mkdir -p "$(dirname "$PID_FILE")" "$(dirname "$LOG_FILE")" "$SOLR_HOME_DIR"
    # The test cores' indexes live on tmpfs (portal.sh test-db links their data/ there): after
    # a reboot the link's target is gone, and a core whose data/ is a dangling link fails to load.
    local data
    for data in "$SOLR_HOME_DIR"/*/data; do
      if [[ -L "$data" ]]; then mkdir -p "$(readlink "$data")"; fi
    done
    java_command
    echo "=== $(date '+%Y-%m-%d %H:%M:%S') solr.sh start: port $SOLR_PORT, cores $SOLR_CORES, heap $SOLR_HEAP ===" >>"$LOG_FILE"
    cd "$ROOT"
    nohup "${JAVA_CMD[@]}" >>"$LOG_FILE" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$PID_FILE"
    fingerprint >"$PID_FILE.fingerprint"
    echo "Starting Solr (pid $pid, log $LOG_FILE) ..."
  fi

  local waited=0
  while ! ping_ok; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      show_log_tail
      die "Solr exited during start-up (log above)"
    fi
    if ((waited >= SOLR_START_TIMEOUT)); then
      show_log_tail
      kill -TERM "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      die "Solr did not answer $PING_URL within ${SOLR_START_TIMEOUT}s; stopped it (log above)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "Solr ready at http://127.0.0.1:$SOLR_PORT/solr (cores: $SOLR_CORES) after ${waited}s"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    if [[ -f "$PID_FILE" ]]; then
      rm -f "$PID_FILE"
      echo "Solr not running (removed stale $PID_FILE)"
    else
      echo "Solr not running (no $PID_FILE)"
    fi
    return 0
  fi
  echo "Stopping Solr (pid $pid) ..."
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 60)); then # half-second steps: 30 s
      echo "Solr did not stop within 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  rm -f "$PID_FILE"
  echo "Solr stopped"
}

cmd_status() {
  local pid
  if pid="$(running_pid)"; then
    if ping_ok; then
      echo "Solr running (pid $pid) at http://127.0.0.1:$SOLR_PORT/solr, core $FIRST_CORE answers"
      return 0
    fi
    echo "Solr process $pid is alive but $PING_URL does not answer OK (see $LOG_FILE)"
    return 1
  fi
  echo "Solr not running (port $SOLR_PORT)"
  return 3
}

cmd_run() {
  cmd_build
  write_security
  java_command
  cd "$ROOT"
  exec "${JAVA_CMD[@]}"
}

# --- SolrCloud -------------------------------------------------------------------------------
CLOUD_CLASS="cn.gov.yiyang.solr.CloudLauncher"
SOLR_CLOUD_PORT="${SOLR_CLOUD_PORT:-8990}"
SOLR_CLOUD_CONTROL_PORT="${SOLR_CLOUD_CONTROL_PORT:-8989}"
SOLR_CLOUD_NODES="${SOLR_CLOUD_NODES:-2}"
SOLR_CLOUD_SHARDS="${SOLR_CLOUD_SHARDS:-2}"
SOLR_CLOUD_REPLICAS="${SOLR_CLOUD_REPLICAS:-2}"
SOLR_CLOUD_COLLECTION="${SOLR_CLOUD_COLLECTION:-ckan}"
SOLR_CLOUD_HEAP="${SOLR_CLOUD_HEAP:-768m}"
if [[ "$SOLR_CLOUD_PORT" == 8990 ]]; then cloud_suffix=""; else cloud_suffix="-$SOLR_CLOUD_PORT"; fi
SOLR_CLOUD_DIR="${SOLR_CLOUD_DIR:-$VAR/solr-cloud$cloud_suffix}"
CLOUD_PID_FILE="$RUN_DIR/solr-cloud$cloud_suffix.pid"
CLOUD_LOG_FILE="$LOG_DIR/solr-cloud$cloud_suffix.log"
CONTROL_URL="http://127.0.0.1:$SOLR_CLOUD_CONTROL_PORT"

cloud_pid() { live_pid "$CLOUD_PID_FILE" "$CLOUD_CLASS"; }

cloud_status_json() {
  curl -sf --max-time 10 -u "$SOLR_AUTH" "$CONTROL_URL/status" 2>/dev/null
}

cloud_healthy() {
  cloud_status_json | grep -q '"healthy": true'
}

cloud_start() {
  command -v curl >/dev/null || die "curl not found: apt-get install curl"
  local pid
  if pid="$(cloud_pid)"; then
    if cloud_healthy; then
      echo "SolrCloud already running (pid $pid): http://127.0.0.1:$SOLR_CLOUD_PORT/solr/$SOLR_CLOUD_COLLECTION"
      return 0
    fi
    die "SolrCloud process $pid is running but not healthy (cloud stop, then start; log $CLOUD_LOG_FILE)"
  fi
  cmd_build
  mkdir -p "$(dirname "$CLOUD_PID_FILE")" "$(dirname "$CLOUD_LOG_FILE")"
  # Afresh every time: a new ZooKeeper, new nodes, an empty collection.
  rm -rf "$SOLR_CLOUD_DIR"
  mkdir -p "$SOLR_CLOUD_DIR"
  python3 "$ROOT/config/bin/solr_security.py" "$SOLR_CLOUD_DIR/security.json" \
    || die "could not write $SOLR_CLOUD_DIR/security.json"
  echo "=== $(date '+%Y-%m-%d %H:%M:%S') solr.sh cloud start: ports $SOLR_CLOUD_PORT+ ($SOLR_CLOUD_NODES nodes), control $SOLR_CLOUD_CONTROL_PORT ===" >>"$CLOUD_LOG_FILE"
  # shellcheck disable=SC2206  # SOLR_JAVA_OPTS is a list of options, split on purpose
  local cmd=(java "-Xmx$SOLR_CLOUD_HEAP" -Xms64m -Xss512k -XX:+ExitOnOutOfMemoryError
    -Dfile.encoding=UTF-8 -Duser.timezone=UTC $SOLR_JAVA_OPTS
    -cp "$LAUNCHER_DIR/target/classes:$LAUNCHER_DIR/target/lib/*" "$CLOUD_CLASS"
    --dir "$SOLR_CLOUD_DIR/state" --security "$SOLR_CLOUD_DIR/security.json"
    --base-port "$SOLR_CLOUD_PORT" --control-port "$SOLR_CLOUD_CONTROL_PORT"
    --nodes "$SOLR_CLOUD_NODES" --shards "$SOLR_CLOUD_SHARDS" --replicas "$SOLR_CLOUD_REPLICAS"
    --configset-dir "$CONFIGSET_DIR" --configset ckan --collection "$SOLR_CLOUD_COLLECTION")
  (cd "$ROOT" && exec nohup "${cmd[@]}" >>"$CLOUD_LOG_FILE" 2>&1 </dev/null) &
  pid=$!
  echo "$pid" >"$CLOUD_PID_FILE"
  echo "Starting SolrCloud (pid $pid, log $CLOUD_LOG_FILE) ..."
  local waited=0
  while ! cloud_healthy; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$CLOUD_PID_FILE"
      tail -n 40 "$CLOUD_LOG_FILE" >&2
      die "SolrCloud exited during start-up (log above)"
    fi
    if ((waited >= SOLR_START_TIMEOUT * 2)); then
      tail -n 40 "$CLOUD_LOG_FILE" >&2
      kill -TERM "$pid" 2>/dev/null || true
      rm -f "$CLOUD_PID_FILE"
      die "SolrCloud was not healthy within $((SOLR_START_TIMEOUT * 2))s; stopped it (log above)"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "SolrCloud ready after ${waited}s: http://127.0.0.1:$SOLR_CLOUD_PORT/solr/$SOLR_CLOUD_COLLECTION" \
    "($SOLR_CLOUD_SHARDS shards x $SOLR_CLOUD_REPLICAS replicas on $SOLR_CLOUD_NODES nodes)"
}

cloud_stop() {
  local pid
  if ! pid="$(cloud_pid)"; then
    rm -f "$CLOUD_PID_FILE"
    echo "SolrCloud not running"
    return 0
  fi
  echo "Stopping SolrCloud (pid $pid) ..."
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if ((waited >= 60)); then
      echo "SolrCloud did not stop within 30 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  rm -f "$CLOUD_PID_FILE"
  echo "SolrCloud stopped"
}

cloud_status() {
  local pid json
  if ! pid="$(cloud_pid)"; then
    echo "SolrCloud not running (port $SOLR_CLOUD_PORT)"
    return 3
  fi
  if ! json="$(cloud_status_json)"; then
    echo "SolrCloud process $pid does not answer on $CONTROL_URL (see $CLOUD_LOG_FILE)"
    return 1
  fi
  echo "$json"
  grep -q '"healthy": true' <<<"$json"
}

cloud_node() {
  local action="$1" number="${2:-}"
  [[ "$number" =~ ^[0-9]+$ ]] || die "cloud node-$action needs a node number"
  cloud_pid >/dev/null || die "SolrCloud not running (port $SOLR_CLOUD_PORT)"
  curl -sf --max-time 180 -u "$SOLR_AUTH" -X POST "$CONTROL_URL/nodes/$number/$action" \
    || die "node-$action $number failed (see $CLOUD_LOG_FILE)"
}

cmd_cloud() {
  case "${1:-}" in
    start) cloud_start ;;
    stop) cloud_stop ;;
    restart) cloud_stop && cloud_start ;;
    status) cloud_status ;;
    node-stop) cloud_node stop "${2:-}" ;;
    node-start) cloud_node start "${2:-}" ;;
    *)
      echo "usage: solr.sh cloud start|stop|restart|status|node-stop N|node-start N" >&2
      exit 2
      ;;
  esac
}

case "${1:-}" in
  build) cmd_build ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  restart) cmd_stop && cmd_start ;;
  status) cmd_status ;;
  run) cmd_run ;;
  cloud) shift; cmd_cloud "$@" ;;
  *)
    sed -n '2,40p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
