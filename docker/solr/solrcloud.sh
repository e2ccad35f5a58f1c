#!/bin/bash
# SolrCloud set-up of docker-compose.solrcloud.yml, run by its one-shot services from the Solr
# image (the configset at the path docker/solr/Dockerfile copies it to).
#   solrcloud.sh zk-init     security.json (BasicAuth for YIYANG_SOLR_USER, as the single Solr's)
#                            and the configset `ckan` into ZooKeeper (ZK_HOST)
#   solrcloud.sh collection  the collection `ckan`: SOLRCLOUD_SHARDS x SOLRCLOUD_REPLICAS
#                            (default 2 x 2), made when missing, else reloaded (a new configset)
set -euo pipefail
: "${ZK_HOST:?}" "${YIYANG_SOLR_USER:?}" "${YIYANG_SOLR_PASSWORD:?}"
CONFIGSET=/opt/solr/server/solr/configsets/ckan
ADMIN="http://solr:8983/solr/admin/collections"

solr_get() {
  wget -qO- --auth-no-challenge --user "$YIYANG_SOLR_USER" --password "$YIYANG_SOLR_PASSWORD" "$1"
}

case "${1:-}" in
  zk-init)
    SOLR_USER="$YIYANG_SOLR_USER" SOLR_PASSWORD="$YIYANG_SOLR_PASSWORD" \
      python3 /opt/yiyang/solr_security.py /tmp/security.json
    solr zk cp file:/tmp/security.json zk:/security.json -z "$ZK_HOST"
    solr zk upconfig -n ckan -d "$CONFIGSET" -z "$ZK_HOST"
    echo "ZooKeeper $ZK_HOST: security.json (BasicAuth for $YIYANG_SOLR_USER), configset ckan"
    ;;
  collection)
    if solr_get "$ADMIN?action=LIST&wt=json" | grep -q '"ckan"'; then
      solr_get "$ADMIN?action=RELOAD&name=ckan&wt=json" >/dev/null
      echo "collection ckan exists: reloaded"
    else
      solr_get "$ADMIN?action=CREATE&name=ckan&collection.configName=ckan&numShards=${SOLRCLOUD_SHARDS:-2}&replicationFactor=${SOLRCLOUD_REPLICAS:-2}&waitForFinalState=true&wt=json" >/dev/null
      echo "collection ckan: ${SOLRCLOUD_SHARDS:-2} shards x ${SOLRCLOUD_REPLICAS:-2} replicas"
    fi
    ;;
  *)
    echo "usage: solrcloud.sh zk-init|collection" >&2
    exit 2
    ;;
esac
