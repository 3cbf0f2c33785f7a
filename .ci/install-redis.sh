#!/usr/bin/env bash
# Installs Debian's redis-server for the cluster tests of stream-redis (each test starts its own
# server on a free port), only when it is missing. Safe to call on every CI run.
set -euo pipefail
if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends redis-server
