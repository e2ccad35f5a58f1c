#!/bin/bash
# Run once by the postgres image, after 10-ckan-db.sh, on an empty data volume: the DataStore's
# database (owned by CKAN's role, which writes it) and the read-only role `datastore_ro`. The
# base CKAN image's prerun.py then runs `ckan datastore set-permissions` as the owner on every
# start, as `make run` does locally (config/bin/portal.sh datastore).
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set=owner="$CKAN_DB_USER" --set=password="$DATASTORE_RO_PASSWORD" --set=db="$CKAN_DATASTORE_DB" <<'SQL'
CREATE ROLE datastore_ro LOGIN PASSWORD :'password' NOSUPERUSER NOCREATEDB NOCREATEROLE;
CREATE DATABASE :"db" OWNER :"owner" ENCODING 'UTF8' TEMPLATE template0;
SQL
