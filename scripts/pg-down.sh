#!/usr/bin/env bash
# Stop and remove the throwaway PostgreSQL cluster started by scripts/pg-up.sh.
set -uo pipefail
BASE="${PG_TEST_BASE:-/tmp/qsi-evidence-pg}"
PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
if [ -d "$BASE/data" ] && [ -n "$PGBIN" ]; then
  as_pg "$PGBIN/pg_ctl" -D "$BASE/data" -m immediate -w -t 30 stop >&2 || true
fi
rm -rf "$BASE"
