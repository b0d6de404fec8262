#!/usr/bin/env bash
# `make run`: starts the server on 127.0.0.1:PORT with the embedded SQLite default
# (./pacifica-notifications.db) and the policy check off. Usage: run-server.sh BUILD_DIR PORT
set -euo pipefail
build_dir=${1:-build}
port=${2:-8070}
binary="$build_dir/bin/pacifica-notifications"
if [[ ! -x "$binary" ]]; then
  echo "run-server.sh: $binary not found; run 'make build' first" >&2
  exit 1
fi
echo "run-server.sh: policy check OFF (POLICY_URL is empty): every matching event is delivered" \
     "without asking a Pacifica Policy service. Set POLICY_URL to enable it." >&2
export POLICY_URL=""
exec "$binary" -a 127.0.0.1 -p "$port"
