#!/usr/bin/env bash
# Installs the npm packages of this folder when missing (only the npm registry is needed), then
# runs the script named first with the remaining arguments.
# Usage: run.sh <folder> <script.mjs> [args...]
set -euo pipefail
dir=$1; shift
cd "$dir"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
exec node "$@"
