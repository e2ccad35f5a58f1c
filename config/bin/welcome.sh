#!/usr/bin/env bash
# Printed at the end of `make run`: where the portal is and how to log in.
set -euo pipefail
source "$(dirname "$0")/common.sh"
cat <<TXT

  益阳市政务信息资源目录与共享平台 is running.

    Portal:     http://$PORTAL_HOST:$PORTAL_PORT/          (English: http://$PORTAL_HOST:$PORTAL_PORT/en/)
    Log in at:  http://$PORTAL_HOST:$PORTAL_PORT/user/login
    Sysadmin:   ${CKAN_SYSADMIN_NAME:-admin} / ${CKAN_SYSADMIN_PASSWORD:-yiyang-admin-2026}
    Demo:       demo-police-editor, demo-police-admin, demo-office-reviewer, … / yiyang-demo-2026
                (\`make demo-reset\` puts the demo catalog back; YIYANG_DEMO=0 make run skips it)
    API:        http://$PORTAL_HOST:$PORTAL_PORT/api/3/action/status_show
    Solr:       http://127.0.0.1:$SOLR_PORT/solr/ckan/admin/ping  (user/password: var/solr-credentials)
    Logs:       var/log/        Config: var/ckan.ini

  Stop everything with \`make stop\`.
TXT
