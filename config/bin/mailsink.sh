#!/usr/bin/env bash
# The local SMTP sink on 127.0.0.1 (config/bin/mailsink.py, aiosmtpd): CKAN's mails land in
# var/mail/ as .eml files, listed in var/mail/index.txt. `mailsink.sh start|stop|status`.
set -euo pipefail
source "$(dirname "$0")/common.sh"

SMTP_PORT="${SMTP_PORT:-8025}"
PID_FILE="$RUN_DIR/mailsink.pid"
LOG_FILE="$LOG_DIR/mailsink.log"
MAIL_DIR="$VAR/mail"

start() {
  [ -x "$VENV/bin/python" ] || die "no .venv: run \`make install\`"
  if pid_alive "$PID_FILE"; then say "mail sink already running on 127.0.0.1:$SMTP_PORT"; return; fi
  mkdir -p "$MAIL_DIR"
  nohup "$VENV/bin/python" "$ROOT/config/bin/mailsink.py" --host 127.0.0.1 --port "$SMTP_PORT" \
    --dir "$MAIL_DIR" >>"$LOG_FILE" 2>&1 &
  echo $! >"$PID_FILE"
  local i
  for i in $(seq 1 40); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$SMTP_PORT") 2>/dev/null; then
      say "mail sink started on 127.0.0.1:$SMTP_PORT (mails in var/mail/)"
      return
    fi
    pid_alive "$PID_FILE" || break
    sleep 0.25
  done
  tail -n 20 "$LOG_FILE" >&2
  stop_pid "mail sink" "$PID_FILE"
  die "the mail sink did not start (log: $LOG_FILE)"
}

stop() { stop_pid "mail sink" "$PID_FILE"; }
status() {
  if pid_alive "$PID_FILE"; then
    echo "mail sink running (pid $(cat "$PID_FILE"), 127.0.0.1:$SMTP_PORT, mails in var/mail/)"
  else
    echo "mail sink stopped"
  fi
}

"${1:?usage: mailsink.sh start|stop|status}"
