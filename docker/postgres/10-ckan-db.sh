#!/bin/bash
# Run once by the postgres image, on an empty data volume: CKAN's role and database, with the
# names of the local stack (config/bin/postgres.sh). psql variables quote the values.
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set=role="$CKAN_DB_USER" --set=password="$CKAN_DB_PASSWORD" --set=db="$CKAN_DB" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"db" OWNER :"role" ENCODING 'UTF8' TEMPLATE template0;
SQL
