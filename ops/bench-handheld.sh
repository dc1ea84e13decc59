#!/usr/bin/env bash
# The handheld app in Debian's Chromium against a real gateway and mosquitto: end tap to
# verdict on the screen (p50/p90/p99 over ONLINE inspections, default 200) while a second
# simulated site loads the gateway with BACKGROUND msg/s (default 7000, half the ingest
# ceiling ops/bench-ingest.sh measured), and an outbox of 2 × OFFLINE taps and OFFLINE photos
# (default 500 inspections) emptied once the network is back (docs/performance.md).
#   ops/bench-handheld.sh [ONLINE] [OFFLINE] [BACKGROUND]
# Needs what ops/test.sh installs (chromium, npm ci in tests/browser).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}
"$root/ops/build.sh" fieldproof-gateway fieldproof fieldproof-sim handheld_bench
"$build/tests/bench/handheld_bench" "${1:-200}" "${2:-500}" "${3:-7000}"
