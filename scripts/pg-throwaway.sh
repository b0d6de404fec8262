#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for manual runs and benchmarks (the tests use
# tests/support/pg_cluster instead), prints its peewee_url, and removes it on exit.
#   scripts/pg-throwaway.sh [PORT]        # default 55432; Ctrl-C stops it
#   PN_PG_KEEP=1 ...                      # keep the data directory after stopping
# As root, the server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

port=${1:-55432}
bindir=${PN_PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "pg-throwaway: PostgreSQL server programs not found; run scripts/deps.sh" >&2
  exit 1
fi
root=/dev/shm
[ -w "$root" ] || root=${TMPDIR:-/tmp}
dir=$(mktemp -d "$root/pn-pg-manual-XXXXXX")
run=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$dir"
  run=(runuser -u postgres --)
fi

"${run[@]}" "$bindir/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C \
  --no-sync --no-instructions >"$dir/initdb.log"
"${run[@]}" "$bindir/postgres" -D "$dir/data" -p "$port" -k "$dir" \
  -c listen_addresses=127.0.0.1 -c max_connections=200 >"$dir/server.log" 2>&1 &
pid=$!
cleanup() {
  kill -INT "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ -n "${PN_PG_KEEP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT INT TERM

for _ in $(seq 1 300); do
  if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then cat "$dir/server.log" >&2; exit 1; fi
  sleep 0.1
done
"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" || { cat "$dir/server.log" >&2; exit 1; }
"${run[@]}" "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres pacifica_notifications
echo "peewee_url = postgres://postgres@127.0.0.1:$port/pacifica_notifications"
echo "(server pid $pid, data in $dir; Ctrl-C stops it)"
wait "$pid"
