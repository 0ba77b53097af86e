#!/usr/bin/env bash
# Load benchmark of the application endpoint: a release build of openings
# serving a fresh site with `serve --production` on 127.0.0.1, and
# bench/apply_load.rs sending applications with a PDF résumé over keep-alive
# connections. Afterwards the server is stopped and every accepted application
# is looked up in the database: "accepted" means durable.
#
#   bash bench/apply.sh                      # 16 connections, 10,000 requests, at most 30 s
#   CONNECTIONS=8 REQUESTS=5000 FILE_KB=200 MAX_SECONDS=20 bash bench/apply.sh
#   DATABASE=postgres://user@127.0.0.1:5432/db bash bench/apply.sh   # PostgreSQL
#   bash scripts/with-pg.sh bash -c 'DATABASE=$OPENINGS_TEST_DATABASE_URL bash bench/apply.sh'
#
# DATABASE: keep applications in that PostgreSQL database (`--database`)
# instead of SQLite in a temporary folder; rows already there are left alone
# and only new ones are counted.
#
# Bounded in requests and time; talks to 127.0.0.1 only. Prints the load
# generator's JSON line and the check of the database.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
CONNECTIONS="${CONNECTIONS:-16}"
REQUESTS="${REQUESTS:-10000}"
FILE_KB="${FILE_KB:-200}"
MAX_SECONDS="${MAX_SECONDS:-30}"
DATABASE="${DATABASE:-}"
target="${CARGO_TARGET_DIR:-target}"

cargo build --release --quiet
bin="$target/release/openings"
tmp="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

rustc -O --edition 2024 bench/apply_load.rs -o "$tmp/apply-load"
"$bin" --quiet init "$tmp/site" >/dev/null 2>&1
# The load comes from one address: lift the per-client limit for the benchmark.
sed -i 's/^\[apply\]$/[apply]\nrate_limit = 0/' "$tmp/site/site.toml"
slug="$(basename "$(ls "$tmp/site/content/jobs/"*.md | head -1)" .md)"

if [ -n "$DATABASE" ]; then store=(--database "$DATABASE"); else store=(--data "$tmp/data"); fi
count() {
  if [ -n "$DATABASE" ] || [ -f "$tmp/data/applications.db" ]; then
    "$bin" applications list --root "$tmp/site" "${store[@]}" --format json | grep -c '"posting_slug":' || true
  else
    echo 0
  fi
}
before=0
[ -z "$DATABASE" ] || before="$(count)"
"$bin" serve --production --root "$tmp/site" --bind 127.0.0.1 --port 0 "${store[@]}" 2>"$tmp/server.log" &
server=$!
port=""
for _ in $(seq 1 300); do
  port="$(sed -n 's|^Serving http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$tmp/server.log")"
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$tmp/server.log" >&2; echo "apply.sh: the server did not start" >&2; exit 1; }
path="$(sed -n 's|^Serving http://127.0.0.1:[0-9]*\(/.*\)|\1|p' "$tmp/server.log")apply/$slug"

if [ -n "$DATABASE" ]; then kept="PostgreSQL"; else kept="SQLite on $(df -T "$tmp" | awk 'NR==2 {print $2}')"; fi
echo "openings $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, applications in $kept" >&2
# Warm up (page cache, SQLite, allocator), then measure.
"$tmp/apply-load" --url "http://127.0.0.1:$port$path" --connections "$CONNECTIONS" --requests 300 --seconds 10 --file-kb "$FILE_KB" >/dev/null
result="$("$tmp/apply-load" --url "http://127.0.0.1:$port$path" --connections "$CONNECTIONS" --requests "$REQUESTS" --seconds "$MAX_SECONDS" --file-kb "$FILE_KB")"
echo "$result"

kill "$server"
wait "$server" 2>/dev/null || true
server=""
accepted="$(echo "$result" | sed -n 's/.*"accepted": \([0-9]*\).*/\1/p')"
stored="$(( $(count) - before ))"
echo "stored in the database: $stored (warm-up included), accepted in the measured run: $accepted" >&2
[ "$stored" -ge "$accepted" ] || { echo "apply.sh: accepted applications are missing from the database" >&2; exit 1; }
