#!/usr/bin/env bash
# Installs the Debian 12 packages Cellar builds, tests and runs with.
# Idempotent: does nothing (and needs no network) when all are present.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev
  libcpp-httplib-dev nlohmann-json3-dev libsqlite3-dev sqlite3 libssl-dev openssl
  libcli11-dev libicu-dev libyaml-cpp-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  prometheus
  curl ca-certificates
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# Node.js (end-to-end tests with the official SDKs): any install that provides the
# commands will do; machines that have a newer Node.js from elsewhere keep it, since
# Debian's npm package conflicts with those.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or: sudo $0)" >&2
  exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
