#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster on 127.0.0.1 for the contract tests (tests/contract/).
#
# Source it (". .ci/postgres.sh") so WARTA_TEST_PG is exported to the caller, or run it and eval its
# last line. Installs Debian's postgresql + postgresql-contrib (pg_trgm, unaccent) when missing.
# As root, initdb and pg_ctl run as the "postgres" user (they refuse root; so does
# pytest-postgresql's process fixture, which is why this script exists).
#   WARTA_PG_PORT  port (default 54329)     WARTA_PG_DATA  data directory (default /tmp/warta-pgdata)
#   WARTA_PG_FSYNC=on  keep fsync on (benchmarks); by default a test cluster runs with fsync off
set -euo pipefail

port="${WARTA_PG_PORT:-54329}"
data="${WARTA_PG_DATA:-/tmp/warta-pgdata}"

bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bindir" ] || [ ! -e "$(dirname "$bindir")/lib/pg_trgm.so" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
fi

as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

if ! as_pg "$bindir/pg_ctl -D $data status" >/dev/null 2>&1; then
  if [ ! -s "$data/PG_VERSION" ]; then
    rm -rf "$data"
    mkdir -p "$data"
    if [ "$(id -u)" = 0 ]; then chown postgres "$data"; fi
    as_pg "$bindir/initdb -D $data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  fi
  # fsync off (-F): a test cluster, thrown away; keeps the contract tests fast on slow disks
  nofsync="-F"
  if [ "${WARTA_PG_FSYNC:-off}" = on ]; then nofsync=""; fi
  as_pg "$bindir/pg_ctl -D $data -l $data/server.log -w -o \"-k /tmp -h 127.0.0.1 -p $port $nofsync\" start" >/dev/null
fi
as_pg "$bindir/psql -h 127.0.0.1 -p $port -U postgres -tAc \"SELECT 1 FROM pg_database WHERE datname='warta_test'\"" \
  | grep -q 1 || as_pg "$bindir/createdb -h 127.0.0.1 -p $port -U postgres warta_test"

export WARTA_TEST_PG="postgresql://postgres@127.0.0.1:$port/warta_test"
echo "export WARTA_TEST_PG=$WARTA_TEST_PG"
