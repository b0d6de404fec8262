#!/usr/bin/env bash
# Builds the Debian package of a build folder with CPack, checks its metadata, installs it into a
# scratch root with `dpkg -x`, checks the installed files, and starts the installed server with
# the installed example configuration until it answers /health.
# Usage: package_test.sh <build dir>
set -euo pipefail
build=$(cd "$1" && pwd)
scratch=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$scratch"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

(cd "$build" && cpack -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1) || { cat "$scratch/cpack.log"; fail "cpack failed"; }
deb=$(ls "$scratch"/out/*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "cpack made no .deb"

[ "$(dpkg-deb -f "$deb" Package)" = pacifica-notifications ] || fail "package name"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libc6 libstdc++6 libsqlite3-0 libcurl4 libpq5 libarchive13; do
  echo "$depends" | grep -q "\b$lib\b" || fail "Depends lacks $lib: $depends"
done

root="$scratch/root"
dpkg-deb -x "$deb" "$root"
for f in usr/bin/pacifica-notifications usr/bin/pacifica-notifications-cmd \
         usr/bin/start-pacifica-notifications-consumer \
         usr/lib/systemd/system/pacifica-notifications.service \
         usr/share/doc/pacifica-notifications/examples/config.ini \
         usr/share/doc/pacifica-notifications/examples/nginx-pacifica-notifications.conf \
         usr/share/doc/pacifica-notifications/examples/pacifica-notifications.logrotate \
         usr/share/doc/pacifica-notifications/metrics.md \
         usr/share/pacifica-notifications/python/pacifica_notifications_consumer/__init__.py; do
  [ -e "$root/$f" ] || fail "missing /$f"
done
for program in pacifica-notifications pacifica-notifications-cmd start-pacifica-notifications-consumer; do
  page=$(ls "$root"/usr/share/man/man1/"$program".1* 2>/dev/null | head -1)
  [ -n "$page" ] || fail "no man page for $program"
  zcat -f "$page" | grep -q '^\.SH DESCRIPTION' || fail "man page of $program has no DESCRIPTION"
  zcat -f "$page" | grep -q -- '--port\|--config\|-c' || fail "man page of $program lacks its options"
done
[ -x "$root/usr/bin/pacifica-notifications" ] || fail "server not executable"

# The installed server runs with the installed example configuration (SQLite in its cwd).
mkdir "$scratch/run"
cd "$scratch/run"
HOME="$scratch/run" "$root/usr/bin/pacifica-notifications" \
  -c "$root/usr/share/doc/pacifica-notifications/examples/config.ini" -p 0 >"$scratch/server.log" 2>&1 &
server_pid=$!
url=""
for _ in $(seq 1 200); do
  url=$(grep -o 'listening on http://[0-9.:]*' "$scratch/server.log" 2>/dev/null | sed 's/listening on //' || true)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$scratch/server.log"; fail "installed server exited"; }
  sleep 0.05
done
[ -n "$url" ] || { cat "$scratch/server.log"; fail "installed server did not start"; }
health=$(curl -s "$url/health")
[ "$health" = '{"status": "ok"}' ] || fail "/health answered $health"
echo "package $(basename "$deb"): Depends: $depends; installed into a scratch root; server answered /health"
