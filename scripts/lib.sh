# Shared shell helpers for scripts/*. Source it; it defines functions only.

# pg_bindir prints the newest PostgreSQL bin directory that has initdb.
pg_bindir() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return 0; fi
  return 1
}

# ensure_postgres installs PostgreSQL's server binaries from the Debian
# packages when initdb is missing (root only).
ensure_postgres() {
  if pg_bindir >/dev/null; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL server binaries (initdb) are missing; install the postgresql package" >&2
    return 1
  fi
  echo "installing PostgreSQL (apt-get install postgresql)..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
  pg_bindir >/dev/null
}

# ensure_chromium installs chromium-headless-shell from the Debian packages
# when it is missing (root only); cmd/loader's browser test of loader report
# needs it, and fails without it under CI.
ensure_chromium() {
  if [ -x /usr/lib/chromium/chromium-headless-shell ] || command -v chromium-headless-shell >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "chromium-headless-shell is missing; install the chromium-headless-shell package" >&2
    return 1
  fi
  echo "installing chromium-headless-shell (apt-get install chromium-headless-shell)..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium-headless-shell >/dev/null
  command -v chromium-headless-shell >/dev/null
}

# as_pg_owner runs a command as the postgres user when we are root (initdb
# refuses root), else as ourselves.
as_pg_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# start_local_pg starts (creating it on first use) a local cluster for the
# quickstart and exports DATABASE_URL for database "spacex" on it.
# LOADER_PGDATA (default /tmp/spacex-elt-pg) and LOADER_PGPORT (default 54329)
# choose where it lives and listens.
start_local_pg() {
  local bin dir port
  bin=$(pg_bindir)
  dir=${LOADER_PGDATA:-/tmp/spacex-elt-pg}
  port=${LOADER_PGPORT:-54329}
  if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
    chmod 700 "$dir"
    as_pg_owner "$bin/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C >/dev/null
  fi
  if ! as_pg_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    as_pg_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir" start >/dev/null
  fi
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/spacex?sslmode=disable"
  if ! "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'spacex'" | grep -q 1; then
    "$bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE spacex"
  fi
  echo "local PostgreSQL on 127.0.0.1:$port (data in $dir; stop: $bin/pg_ctl -D $dir stop)" >&2
}

# start_scratch_pg DIR PORT starts a throwaway cluster in DIR on
# 127.0.0.1:PORT, from scratch (a cluster that a killed earlier run left in
# DIR is stopped and removed first), and exports DATABASE_URL for database
# "spacex" on it, clearing the PG* variables, so that a script that drops or
# rewrites its database never reaches the user's. Pair it with
# `trap 'stop_scratch_pg DIR' EXIT`.
start_scratch_pg() {
  unset DATABASE_URL PGHOST PGPORT PGUSER PGPASSWORD PGDATABASE
  stop_scratch_pg "$1"
  LOADER_PGDATA=$1 LOADER_PGPORT=$2 start_local_pg
}

# stop_scratch_pg DIR stops the cluster in DIR, if one runs, and removes DIR.
stop_scratch_pg() {
  as_pg_owner "$(pg_bindir)/pg_ctl" -D "$1" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$1"
}

# dump_schema FILE writes the schema of the database at DATABASE_URL to FILE
# with dbmate's own dump, the form of db/schema.sql: pg_dump --schema-only
# without owners or privileges, then the versions schema_migrations holds.
# Its pg_dump is the server's own (pg_bindir), not whichever one PATH finds
# first: pg_dump's output differs between major versions.
# scripts/generate writes db/schema.sql with it; scripts/check-dbmate-cli
# compares a fresh dump with the committed one.
dump_schema() {
  PATH="$(pg_bindir):$PATH" go tool -modfile=tools/go.mod dbmate --schema-file "$1" dump
}
