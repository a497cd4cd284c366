#!/bin/sh
# Runs once, when the db container initializes its data directory: the DataStore's
# database and its read-only user (the grants are CKAN's `datastore set-permissions`,
# applied by docker/entrypoint.sh).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE datastore_ro LOGIN PASSWORD '${DATASTORE_RO_PASSWORD:-datastore_ro}';
CREATE DATABASE ckan_datastore OWNER "$POSTGRES_USER" ENCODING 'UTF8';
SQL
