#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server for the tests, and stops
# the server afterwards, whatever the command did.
#
#   bash scripts/with-pg.sh cargo test --test postgres
#   bash scripts/with-pg.sh cargo test --bin openings apply::store
#
# The cluster lives in target/test-pg (made anew each run), listens on
# 127.0.0.1 at a free port and in that folder's socket, trusts local
# connections, and is owned by the `postgres` user when run as root (initdb
# refuses root). The command gets OPENINGS_TEST_DATABASE_URL pointing at its
# database `openings_test`. Installs Debian's postgresql when no server
# binaries are found (as scripts/test.sh installs its other tools).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'with-pg.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }
as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n env DEBIAN_FRONTEND=noninteractive "$@"; fi
}

[ "$#" -gt 0 ] || die "usage: bash scripts/with-pg.sh COMMAND [ARGS...]"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(pg_bin)" ]; then
  command -v apt-get >/dev/null 2>&1 || die "no PostgreSQL server and no apt-get: install PostgreSQL by hand"
  log "installing postgresql"
  as_root apt-get update -qq -o Acquire::Retries=3
  as_root apt-get install -y -qq --no-install-recommends -o Acquire::Retries=3 postgresql >/dev/null
fi
bin="$(pg_bin)"
[ -x "$bin/initdb" ] || die "no initdb under /usr/lib/postgresql"

dir="$PWD/target/test-pg"
# As root the server runs as `postgres` (Debian's package makes that user).
run_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if [ -f "$dir/data/postmaster.pid" ]; then
  run_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
fi
rm -rf "$dir"
mkdir -p "$dir"
[ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
# A checkout under a private home (/root) is out of the postgres user's reach:
# then the cluster goes to a private folder of its own under /tmp.
scratch=""
if ! run_pg test -w "$dir" 2>/dev/null; then
  scratch="$(mktemp -d /tmp/openings-test-pg.XXXXXX)"
  dir="$scratch"
  [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
  log "target/ is out of the server's reach: the cluster is in $dir"
fi

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
run_pg "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; die "initdb failed"; }
stop() {
  run_pg "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  [ -z "$scratch" ] || rm -rf "$scratch"
}
trap stop EXIT
# fsync stays on: the durability tests kill servers, not machines, but the
# server should behave as in production. Enough connections for parallel tests.
run_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-k $dir -h 127.0.0.1 -p $port -c max_connections=300" start >/dev/null ||
  { cat "$dir/server.log" >&2; die "the test server did not start"; }
"$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres openings_test
export OPENINGS_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/openings_test"
# Where the server's tools are, for tests that stop and start a cluster of their own.
export OPENINGS_TEST_PG_BIN="$bin"
log "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') at $OPENINGS_TEST_DATABASE_URL"
set +e
"$@"
status=$?
set -e
exit "$status"
