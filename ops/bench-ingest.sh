#!/usr/bin/env bash
# Ingest end to end against the broker's own ceiling (docs/performance.md): builds the
# gateway, simulator, CLI and tests/bench/ingest_bench, then runs the bench, which starts
# mosquitto on a free loopback port and prints, for a 30,000-asset site at QoS 1:
#   - the ceiling: the simulator's full-rate load to a subscriber that only counts;
#   - the gateway verifying and committing the same load, and the ratio of the two;
#   - publish-to-commit latency (p50, p99, max) at half the ceiling's rate;
#   - CPU per message of simulator, broker and gateway, and the gateway's peak RSS.
# Arguments go to the bench: --seconds N (default 20), --long-messages N (resident memory
# over a long run, e.g. 10000000), --no-verify, --help.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}
"$root/ops/build.sh" fieldproof-gateway fieldproof fieldproof-sim ingest_bench >/dev/null
exec "$build/tests/bench/ingest_bench" "$@"
