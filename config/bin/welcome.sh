#!/usr/bin/env bash
# Printed at the end of `make run`: where the portal is and how to log in.
set -euo pipefail
source "$(dirname "$0")/common.sh"
# what portal.sh start started the portal with (it may have been running already)
WEB_WORKERS="${YIYANG_WEB_WORKERS:-2}" WEB_THREADS="${YIYANG_WEB_THREADS:-4}"
# shellcheck disable=SC1091
[ -f "$RUN_DIR/portal.settings" ] && source "$RUN_DIR/portal.settings"
cat <<TXT

  益阳市政务信息资源目录与共享平台 is running.

    Portal:     http://$PORTAL_HOST:$PORTAL_PORT/          (English: http://$PORTAL_HOST:$PORTAL_PORT/en/)
    Log in at:  http://$PORTAL_HOST:$PORTAL_PORT/user/login
    Sysadmin:   ${CKAN_SYSADMIN_NAME:-admin} / ${CKAN_SYSADMIN_PASSWORD:-yiyang-admin-2026}
    Demo:       demo-police-editor, demo-police-admin, demo-office-reviewer, … / yiyang-demo-2026
                (\`make demo-reset\` puts the demo catalog back; YIYANG_DEMO=0 make run skips it)
    API:        http://$PORTAL_HOST:$PORTAL_PORT/api/3/action/status_show
    Solr:       http://127.0.0.1:$SOLR_PORT/solr/ckan/admin/ping  (user/password: var/solr-credentials)
    Server:     gunicorn, $WEB_WORKERS workers × $WEB_THREADS threads, and the job worker (\`ckan jobs worker\`)
                beside it (\`make stop\` first, then YIYANG_WEB_WORKERS=N make run for another number)
    Logs:       var/log/portal.log, portal-access.log, worker.log        Config: var/ckan.ini

  Stop everything with \`make stop\`.
TXT
