# Shared by scripts/up and scripts/test: installs what is missing and starts the
# real services (PostgreSQL 15, Redis 7, Solr 9.10.1) on 127.0.0.1. Every step
# is idempotent. Sourced, not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK=$ROOT/.stack            # runtime state: logs, pids, generated ini, Solr home
VENV=$ROOT/.venv
PG_VERSION=15
PG_CLUSTER=${PORTAL_PG_CLUSTER:-portal}
PG_PORT=${PORTAL_PG_PORT:-5433}
REDIS_PORT=${PORTAL_REDIS_PORT:-6380}
SOLR_PORT=${PORTAL_SOLR_PORT:-8983}
SOLR_LIB=$ROOT/.solr/lib
SOLR_HOME=$STACK/solr
DEBIAN_PACKAGES=(postgresql-15 redis-server curl libpq-dev libmagic1 gcc
  nginx-light gettext-base  # the front (config/nginx/) and envsubst, which renders its settings
  chromium chromium-driver)  # the browser tests (tests/browser/) drive Debian's Chromium

mkdir -p "$STACK"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Runs a step, showing its name; its output goes to a log shown only on failure.
step() {
  local name=$1; shift
  local log="$STACK/last-step.log"
  printf '  - %s ... ' "$name"
  local start=$SECONDS
  if "$@" >"$log" 2>&1; then
    printf 'ok (%ss)\n' $((SECONDS - start))
  else
    printf 'FAILED\n'; tail -n 40 "$log" >&2
    die "'$name' failed; full log in $log"
  fi
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_port() {  # port, service name, pid file of ours (may be absent)
  local port=$1 name=$2 pidfile=${3:-}
  if ! port_free "$port"; then
    if [ -n "$pidfile" ] && [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      return 0
    fi
    die "port $port is taken by another program; stop it or set PORTAL_${name}_PORT to a free port"
  fi
}

install_debian_packages() {
  local missing=()
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  # Java 17+ and Maven may come from elsewhere than Debian: only their commands matter.
  java -version 2>&1 | grep -qE 'version "(1[7-9]|[2-9][0-9])' || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  command -v npm >/dev/null || missing+=(nodejs npm)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || die "missing Debian packages: ${missing[*]}; run as root or install them with apt-get"
    SUDO=sudo
  else
    SUDO=
  fi
  step "apt-get install ${missing[*]}" bash -c "$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq ${missing[*]}"
}

install_python() {
  command -v python3.11 >/dev/null || command -v python3 >/dev/null || die "Python 3.11 is needed: apt-get install python3 python3-venv"
  local py; py=$(command -v python3.11 || command -v python3)
  [ -x "$VENV/bin/python" ] || step "create virtualenv .venv" "$py" -m venv "$VENV"
  # Reinstall only when a requirements file or setup.py changed.
  local stamp="$VENV/.portal-installed" sum
  sum=$(cat "$ROOT"/requirements*.txt "$ROOT/setup.py" | sha256sum | cut -d' ' -f1)
  if [ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]; then
    step "pip install requirements (pinned)" bash -c "'$VENV/bin/pip' install -q pip==24.3.1 &&
      '$VENV/bin/pip' install -q -r '$ROOT/requirements.txt' -r '$ROOT/requirements-dev.txt'"
    step "pip install -e . (ckanext-transparency)" "$VENV/bin/pip" install -q --no-deps -e "$ROOT"
    echo "$sum" >"$stamp"
  fi
}

# axe-core for the browser tests, pinned in package-lock.json; reinstalled when it changes.
install_node_packages() {
  local stamp="$ROOT/node_modules/.portal-installed" sum
  sum=$(sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1)
  [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ] && return 0
  step "npm ci (axe-core, pinned)" bash -c "cd '$ROOT' && npm ci --no-audit --no-fund"
  echo "$sum" >"$stamp"
}

start_postgres() {
  require_port "$PG_PORT" PG "/var/run/postgresql/$PG_VERSION-$PG_CLUSTER.pid"
  if ! pg_lsclusters -h | awk '{print $1"-"$2}' | grep -qx "$PG_VERSION-$PG_CLUSTER"; then
    step "create PostgreSQL cluster $PG_CLUSTER on port $PG_PORT" \
      pg_createcluster "$PG_VERSION" "$PG_CLUSTER" --port "$PG_PORT" -- --auth-local=peer --auth-host=scram-sha-256
    echo "listen_addresses = '127.0.0.1'" >"/etc/postgresql/$PG_VERSION/$PG_CLUSTER/conf.d/portal.conf"
  fi
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" status >/dev/null 2>&1 ||
    step "start PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT" pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
}

psql_admin() { runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qAt "$@"; }

ensure_database() {  # name
  psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='ckan'" | grep -q 1 ||
    psql_admin -c "CREATE ROLE ckan LOGIN PASSWORD 'ckan'"
  psql_admin -c "SELECT 1 FROM pg_database WHERE datname='$1'" | grep -q 1 ||
    psql_admin -c "CREATE DATABASE $1 OWNER ckan ENCODING 'UTF8' TEMPLATE template0"
}

# The DataStore's database (ckan.datastore.write_url of the ini, or CKAN_DATASTORE_WRITE_URL)
# and its read-only user datastore_ro, with the grants of CKAN's `datastore set-permissions`.
ensure_datastore() {  # ini
  local url=${CKAN_DATASTORE_WRITE_URL:-$(sed -n 's/^ckan\.datastore\.write_url *= *//p' "$1" | tail -n 1)}
  local db=${url##*/}
  ensure_database "$db"
  psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname='datastore_ro'" | grep -q 1 ||
    psql_admin -c "CREATE ROLE datastore_ro LOGIN PASSWORD 'datastore_ro'"
  step "DataStore permissions on $db (read-only user datastore_ro)" \
    bash -c "'$VENV/bin/ckan' -c '$1' datastore set-permissions | runuser -u postgres -- psql -p '$PG_PORT' -v ON_ERROR_STOP=1 -q -d '$db'"
}

start_redis() {
  local pidfile=$STACK/redis.pid
  require_port "$REDIS_PORT" REDIS "$pidfile"
  port_free "$REDIS_PORT" || return 0
  mkdir -p "$STACK/redis"
  step "start Redis on 127.0.0.1:$REDIS_PORT" redis-server --bind 127.0.0.1 --port "$REDIS_PORT" \
    --daemonize yes --pidfile "$pidfile" --dir "$STACK/redis" --logfile "$STACK/redis.log"
}

# Solr home: the portal's one configset (config/solr/conf, also built into
# docker/solr's image) shared by the cores named on the command line.
build_solr_home() {
  mkdir -p "$SOLR_HOME/configsets/ckan"
  cp "$ROOT/config/solr/solr.xml" "$SOLR_HOME/solr.xml"
  rm -rf "$SOLR_HOME/configsets/ckan/conf"
  cp -r "$ROOT/config/solr/conf" "$SOLR_HOME/configsets/ckan/conf"
  local core
  for core in "$@"; do
    mkdir -p "$SOLR_HOME/$core"
    printf 'name=%s\nconfigSet=ckan\n' "$core" >"$SOLR_HOME/$core/core.properties"
  done
}

start_solr() {  # cores...
  local pidfile=$STACK/solr.pid
  require_port "$SOLR_PORT" SOLR "$pidfile"
  [ -f "$SOLR_LIB/solr-core-9.10.1.jar" ] ||
    step "resolve Solr 9.10.1 jars with Maven into .solr/lib" \
      mvn -q -B -f "$ROOT/config/solr/pom.xml" dependency:copy-dependencies -DoutputDirectory="$SOLR_LIB" -DincludeScope=runtime
  build_solr_home "$@"
  if ! port_free "$SOLR_PORT"; then
    # Ours and running: cores added since it started are loaded on restart only;
    # a changed configset (schema, synonyms) is loaded by reloading the cores.
    local core sum
    sum=$(cat "$ROOT"/config/solr/conf/* | sha256sum | cut -d' ' -f1)
    for core in "$@"; do
      curl -fs "http://127.0.0.1:$SOLR_PORT/solr/$core/admin/ping" >/dev/null || { stop_pid solr; break; }
      if [ "$(cat "$SOLR_HOME/$core/.configset-loaded" 2>/dev/null)" != "$sum" ]; then
        step "reload Solr core $core (configset changed)" \
          curl -fsS "http://127.0.0.1:$SOLR_PORT/solr/admin/cores?action=RELOAD&core=$core"
        echo "$sum" >"$SOLR_HOME/$core/.configset-loaded"
      fi
    done
  fi
  if port_free "$SOLR_PORT"; then
    printf '  - start Solr 9.10.1 on 127.0.0.1:%s ... ' "$SOLR_PORT"
    nohup java -Xmx1g -Dsolr.log.dir="$STACK" -cp "$SOLR_LIB/*" "$ROOT/config/solr/SolrRunner.java" \
      "$SOLR_HOME" "$SOLR_PORT" >"$STACK/solr.log" 2>&1 &
    echo $! >"$pidfile"
    local i
    for i in $(seq 1 120); do
      if curl -fs "http://127.0.0.1:$SOLR_PORT/solr/$1/admin/ping" >/dev/null 2>&1; then
        printf 'ok\n'; return 0
      fi
      kill -0 "$(cat "$pidfile")" 2>/dev/null || break
      sleep 1
    done
    printf 'FAILED\n'; tail -n 30 "$STACK/solr.log" >&2
    die "Solr did not answer /solr/$1/admin/ping; log in $STACK/solr.log"
  fi
}

stop_pid() {  # name: stops the process whose pid is in $STACK/<name>.pid
  local pidfile=$STACK/$1.pid pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  fi
  rm -f "$pidfile"
}

# The front: nginx at <listen> before gunicorn at <upstream>, with the settings of
# config/nginx/portal.conf.template (shared with docker/); its files in $STACK/<name>/,
# its pid in $STACK/<name>.pid (stop it with stop_pid <name>). Several web nodes
# ("127.0.0.1:7161 127.0.0.1:7162", scripts/cluster): the template's server line, once per node.
render_front() {  # name listen "upstream..." [sign-in rate] [submission rate]
  local name=$1 dir=$STACK/$1 nodes
  read -ra nodes <<<"$3"
  mkdir -p "$dir/tmp" "$dir/cache"
  PORTAL_FRONT_LISTEN=$2 PORTAL_UPSTREAM=${nodes[0]} PORTAL_CACHE_DIR=$dir/cache \
    PORTAL_SIGN_IN_RATE=${4:-10r/m} PORTAL_SUBMIT_RATE=${5:-6r/m} \
    envsubst '${PORTAL_FRONT_LISTEN} ${PORTAL_UPSTREAM} ${PORTAL_CACHE_DIR} ${PORTAL_SIGN_IN_RATE} ${PORTAL_SUBMIT_RATE}' \
    <"$ROOT/config/nginx/portal.conf.template" |
    awk -v first="${nodes[0]}" -v others="${nodes[*]:1}" '
      { print }
      $1 == "server" && $2 == first { n = split(others, o, " "); for (i = 1; i <= n; i++) { line = $0; sub(first, o[i], line); print line } }
    ' >"$dir/portal.conf"
  cat >"$dir/nginx.conf" <<CONF
worker_processes 2;
pid $STACK/$name.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    # Which web node answered (several when the front moved a request on) and the cache's verdict.
    log_format portal '\$remote_addr [\$time_local] "\$request" \$status \$body_bytes_sent \$request_time '
                      'upstream=\$upstream_addr \$upstream_status cache=\$upstream_cache_status';
    access_log $dir/access.log portal;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/portal.conf;
}
CONF
}

start_front() {  # name listen upstream [sign-in rate] [submission rate]
  stop_pid "$1"
  render_front "$@"
  nginx -e "$STACK/$1/error.log" -c "$STACK/$1/nginx.conf"
}

# Everything both commands need.
prepare_stack() {  # solr cores...
  say "Installing and starting the services"
  install_debian_packages
  install_python
  install_node_packages
  start_postgres
  start_redis
  start_solr "$@"
}

# A Solr core of the portal's configset, created in the running Solr if it has none of that
# name (tests/test_harvest_in.py's second CKAN); it is kept in the Solr home for the next start.
ensure_solr_core() {  # name
  curl -fs "http://127.0.0.1:$SOLR_PORT/solr/$1/admin/ping" >/dev/null 2>&1 ||
    curl -fsS "http://127.0.0.1:$SOLR_PORT/solr/admin/cores?action=CREATE&name=$1&instanceDir=$1&configSet=ckan" >/dev/null
}
