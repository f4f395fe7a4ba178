#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster for the tests (about half a second) and print
#   export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:<port>/clipper_test
# on stdout; everything else goes to stderr. Stop and remove it with scripts/pg-down.sh.
# Usage: eval "$(bash scripts/pg-up.sh)"
set -euo pipefail
BASE="${PG_TEST_BASE:-/tmp/qsi-evidence-pg}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/pg_ctl" ]; then
  echo "pg-up: PostgreSQL binaries not found (apt-get install -y postgresql)" >&2
  exit 1
fi
# Run as the postgres user when we are root (initdb refuses to run as root).
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

bash "$(dirname "$0")/pg-down.sh" >/dev/null 2>&1 || true
PORT="${PG_TEST_PORT:-}"
if [ -z "$PORT" ]; then
  PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
fi
mkdir -p "$BASE/sock"
[ "$(id -u)" = 0 ] && chown -R postgres:postgres "$BASE"
as_pg "$PGBIN/initdb" -D "$BASE/data" -U postgres -A trust -E UTF8 --no-locale --no-sync >&2
as_pg "$PGBIN/pg_ctl" -D "$BASE/data" -l "$BASE/log" -w -t 30 \
  -o "-p $PORT -k $BASE/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >&2
as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres clipper_test >&2
echo "$PORT" >"$BASE/port"
echo "export TEST_DATABASE_URL=postgres://postgres@127.0.0.1:$PORT/clipper_test"
