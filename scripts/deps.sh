#!/usr/bin/env bash
# Installs the Debian packages the project needs, only those missing; quiet when all are there.
# Idempotent. Needs root (or sudo) the first time on a fresh machine.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libboost1.81-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libcurl4-openssl-dev
  libpq-dev postgresql libcli11-dev libinih-dev libspdlog-dev libfmt-dev libarchive-dev
  prometheus-cpp-dev googletest libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  python3 python3-venv zip unzip curl wrk nginx-light
  help2man dpkg-dev
  chromium  # only for the dashboard's browser test (tests/ui), which `make test` runs
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
  [ "$status" = "installed" ] || missing+=("$p")
done
# Node.js and npm (the CloudEvents SDK, OpenAPI and browser tests): any installation will do. This
# image ships NodeSource's nodejs, which bundles npm and conflicts with Debian's separate npm
# package, so the Debian packages are asked for only when the commands are missing.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
