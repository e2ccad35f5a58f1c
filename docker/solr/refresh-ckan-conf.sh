# Sourced by the Solr image's run-initdb on every start, before solr-precreate. solr-precreate
# copies the configset only when the core does not exist yet; without this, a rebuilt image with
# a changed schema.xml would keep serving the old copy on the volume. After a schema change,
# rebuild the index: docker compose exec ckan ckan -c /srv/app/ckan.ini search-index rebuild
if [ -d /var/solr/data/ckan/conf ]; then
  cp -f /opt/solr/server/solr/configsets/ckan/conf/* /var/solr/data/ckan/conf/
  echo "refreshed /var/solr/data/ckan/conf from the image's configset"
fi
