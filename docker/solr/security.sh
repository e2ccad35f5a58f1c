# Sourced by the Solr image's run-initdb on every start: Solr's security.json (BasicAuth for
# SOLR_USER, nobody else; RuleBasedAuthorizationPlugin) in the solr home, from the environment.
# Without a password Solr would answer anyone: refuse to start instead.
# (YIYANG_SOLR_*: the image's SOLR_USER is the account Solr runs as.)
if [ -z "${YIYANG_SOLR_USER:-}" ] || [ -z "${YIYANG_SOLR_PASSWORD:-}" ]; then
  echo "security.sh: set SOLR_AUTH_USER and SOLR_AUTH_PASSWORD (docker/.env)" >&2
  exit 1
fi
mkdir -p /var/solr/data
SOLR_USER="$YIYANG_SOLR_USER" SOLR_PASSWORD="$YIYANG_SOLR_PASSWORD" \
  python3 /opt/yiyang/solr_security.py /var/solr/data/security.json
echo "security.json: BasicAuth for $YIYANG_SOLR_USER"
