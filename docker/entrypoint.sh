#!/bin/sh
# Writes the ini (config/portal.ini with this deployment's secret), brings the
# database up to date with every plugin's migrations, then runs the command
# (the web server, or `ckan jobs worker` for the worker).
set -eu
: "${CKAN_SECRET_KEY:?set CKAN_SECRET_KEY to a long random string}"
secure=false
case "${CKAN_SITE_URL:-}" in https://*) secure=true ;; esac
sed -E -e "s|^SECRET_KEY = .*|SECRET_KEY = ${CKAN_SECRET_KEY}|" \
    -e "s#^(SESSION|REMEMBER)_COOKIE_SECURE = .*#\1_COOKIE_SECURE = ${secure}#" \
    /srv/app/portal.ini >"$CKAN_INI"
if [ "${CKAN_MIGRATE:-true}" = true ]; then
  ckan -c "$CKAN_INI" datastore set-permissions | psql -q -v ON_ERROR_STOP=1 "$CKAN_DATASTORE_WRITE_URL"
  ckan -c "$CKAN_INI" db upgrade
fi
# ckanext-xloader fetches uploads as the site user, from this container's own server.
token=$(ckan -c "$CKAN_INI" transparency loader-token | tail -n 1)
sed -i -e "s|^ckanext.xloader.api_token = .*|ckanext.xloader.api_token = ${token}|" \
  -e "s|^\[app:main\]|[app:main]\nckanext.xloader.site_url = http://ckan:5000|" "$CKAN_INI"
exec "$@"
