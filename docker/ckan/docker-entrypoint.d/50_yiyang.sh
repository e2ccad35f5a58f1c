# Sourced (not executed) by the base image's start_ckan.sh, after prerun.py and before uWSGI.
# prerun.py has waited for PostgreSQL, run `ckan db init` (in 2.12 an alias of `ckan db upgrade`:
# core and enabled plugins' migrations), written ckan.plugins from CKAN__PLUGINS and checked Solr.
# The work runs in a subshell so `set -e` stays here; a failure stops the container (and the
# restart policy retries) instead of serving a half-initialised portal. (Not `( … ) || exit`:
# bash ignores `set -e` inside a command whose status is tested.)
(
  set -euo pipefail
  /srv/app/yiyang-config.sh

  # The DataStore's permissions (CKAN's script, as `make run` runs it locally), applied by
  # CKAN's role, which owns both databases (postgres/20-datastore.sh); idempotent. The script's
  # psql-only `\connect` line is dropped: the connection is the DataStore's already.
  ckan -c "$CKAN_INI" datastore set-permissions | python3 -c '
import os, re, sys, psycopg2
sql = re.sub(r"^\\connect .*$", "", sys.stdin.read(), flags=re.M)
with psycopg2.connect(os.environ["CKAN_DATASTORE_WRITE_URL"]) as connection:
    connection.cursor().execute(sql)
'

  # Again, with the final ckan.ini: a no-op when prerun.py's run applied everything. (In 2.12
  # `ckan db pending-migrations --apply` does the plugins' part of this and points here.)
  ckan -c "$CKAN_INI" db upgrade

  # The units of 附件1, once the extension has the command (expected to be idempotent).
  yiyang_help="$(ckan -c "$CKAN_INI" yiyang --help)"
  if grep -q 'load-units' <<<"$yiyang_help"; then
    ckan -c "$CKAN_INI" yiyang load-units
  fi

  # Created, or its password and rights reset, on every start, as `make run` does.
  if [ -n "${CKAN_SYSADMIN_NAME:-}" ] && [ -n "${CKAN_SYSADMIN_PASSWORD:-}" ]; then
    ckan -c "$CKAN_INI" yiyang ensure-sysadmin "$CKAN_SYSADMIN_NAME" \
      --password "$CKAN_SYSADMIN_PASSWORD" ${YIYANG_SYSADMIN_EMAIL:+--email "$YIYANG_SYSADMIN_EMAIL"}
    # xloader's jobs fetch uploaded files with a sysadmin's API token, as `make run` sets it up:
    # made once, kept on the storage volume, written into this container's ckan.ini.
    token_file=/var/lib/ckan/.xloader-api-token
    if [ ! -s "$token_file" ]; then
      ckan -c "$CKAN_INI" user token add "$CKAN_SYSADMIN_NAME" xloader | tail -n 1 | tr -d '[:space:]' >"$token_file"
      chmod 600 "$token_file"
    fi
    ckan config-tool "$CKAN_INI" "ckanext.xloader.api_token=$(cat "$token_file")"
  fi
)
if [ $? -ne 0 ]; then
  echo "[yiyang] initialisation failed: not starting CKAN" >&2
  exit 1
fi
