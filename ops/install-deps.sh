#!/usr/bin/env bash
# Installs the Debian 12 packages fieldproof builds, runs and tests with.
# Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libpaho-mqttpp-dev libpaho-mqtt-dev libsqlite3-dev sqlite3 nlohmann-json3-dev libsimdjson-dev libssl-dev openssl
  libboost-dev libcli11-dev libspdlog-dev libfmt-dev libqrencode-dev
  libcurl4-openssl-dev  # notifications: webhooks over HTTP(S), e-mail over SMTP
  libgtest-dev libgmock-dev libbenchmark-dev libxml2-dev libxml2-utils
  mosquitto mosquitto-clients
  python3-aiosmtpd  # the e-mail notification test's SMTP server on loopback
  chromium
  clang libclang-rt-14-dev  # the fuzz targets: clang-14 and its libFuzzer + sanitizer runtimes
)
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all packages present"
  exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
