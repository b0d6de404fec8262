#!/usr/bin/env bash
# ctest entry for the CloudEvents JavaScript SDK test: installs the pinned npm dependencies into
# tests/js/node_modules when missing or out of date (npm ci from package-lock.json), then runs
# receive_sdk_test.mjs against the built server binary given as $1.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
server="${1:?usage: run_sdk_test.sh <path to pacifica-notifications>}"
command -v node >/dev/null || { echo "node is not installed (make deps installs it)" >&2; exit 1; }
command -v npm >/dev/null || { echo "npm is not installed (make deps installs it)" >&2; exit 1; }
cd "$here"
stamp=node_modules/.package-lock.json
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
  # Serialise installs if two runs start together (ctest -j, repeated runs).
  exec 9>"$here/.npm-install.lock"
  flock 9
  if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ]; then
    npm ci --no-audit --no-fund --loglevel=error >&2
  fi
  flock -u 9
fi
exec node receive_sdk_test.mjs "$server"
