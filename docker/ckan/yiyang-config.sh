#!/bin/bash
# Writes the portal's settings and this deployment's secret into $CKAN_INI. Idempotent. Run by
# docker-entrypoint.d/50_yiyang.sh in the web container and before `ckan jobs worker` in the
# worker, which does not run the image's start script.
set -euo pipefail

settings="${YIYANG_SETTINGS:-/srv/app/ckan-settings.ini}"
: "${CKAN_INI:?}" "${CKAN__PLUGINS:?}"
: "${CKAN_SECRET_KEY:?CKAN_SECRET_KEY is not set (docker/.env)}"
case "$CKAN_SECRET_KEY" in
  *%* | *[[:space:]]*) echo "CKAN_SECRET_KEY must not contain '%' or spaces" >&2; exit 1 ;;
esac

# config/ckan-settings.ini, merged as `make run` merges it into var/ckan.ini. Its service
# addresses stay the local ones in the file: CKAN reads CKAN_SQLALCHEMY_URL, CKAN_SOLR_URL,
# CKAN_REDIS_URL, CKAN_SITE_URL and CKAN_STORAGE_PATH over them when it loads its config.
ckan config-tool "$CKAN_INI" -f "$settings" >/dev/null

# The merge reset ckan.plugins to the settings' list: put back the image's (+ envvars). One
# secret for every container: sessions are signed cookies, CSRF tokens and API tokens (JWT) are
# signed too, so all web replicas and the worker must agree. Left alone, the base image would
# make up a random one in each container on its first start.
ckan config-tool "$CKAN_INI" \
  "ckan.plugins = $CKAN__PLUGINS" \
  "SECRET_KEY = $CKAN_SECRET_KEY" \
  "WTF_CSRF_SECRET_KEY = $CKAN_SECRET_KEY" \
  "api_token.jwt.encode.secret = string:$CKAN_SECRET_KEY" \
  "api_token.jwt.decode.secret = string:$CKAN_SECRET_KEY" >/dev/null
