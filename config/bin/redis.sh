#!/usr/bin/env bash
# Redis 7 from Debian's packages on 127.0.0.1, data in var/redis: `redis.sh start|stop|status`.
# The portal uses database 0, the test suite database 1. Writes are logged (append-only file,
# fsync each second): queued jobs survive a crash as well as a restart.
set -euo pipefail
source "$(dirname "$0")/common.sh"

PID_FILE="$RUN_DIR/redis.pid"

start() {
  command -v redis-server >/dev/null || die "redis-server is not installed: run \`make install\`"
  if pid_alive "$PID_FILE"; then say "Redis already running on 127.0.0.1:$REDIS_PORT"; return; fi
  mkdir -p "$VAR/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$VAR/redis" \
    --pidfile "$PID_FILE" --logfile "$LOG_DIR/redis.log" --save 300 10 \
    --appendonly yes --appendfsync everysec
  local i
  for i in $(seq 1 40); do
    redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && { say "Redis started on 127.0.0.1:$REDIS_PORT"; return; }
    sleep 0.25
  done
  tail -n 20 "$LOG_DIR/redis.log" >&2
  die "Redis did not start (log: $LOG_DIR/redis.log)"
}

stop() { stop_pid Redis "$PID_FILE"; }
status() { pid_alive "$PID_FILE" && echo "Redis running (pid $(cat "$PID_FILE"))" || echo "Redis stopped"; }

"${1:?usage: redis.sh start|stop|status}"
