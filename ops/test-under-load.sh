#!/usr/bin/env bash
# The suite on a busy machine: runs ctest RUNS times (3) in build/ while LOAD busy loops
# (one per core) keep the CPUs at 100 %, and prints each run's result and time. The suite
# must pass like this: its tests wait for conditions, never for a guessed time.
# Build first (ops/test.sh or ops/build.sh); --help prints this.
set -euo pipefail
if [ "${1:-}" = "--help" ]; then sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0; fi
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}
runs=${RUNS:-3}
load=${LOAD:-$(nproc)}
hogs=()
for _ in $(seq "$load"); do (while :; do :; done) & hogs+=($!); done
trap 'kill "${hogs[@]}" 2>/dev/null || true' EXIT
failed=0
for i in $(seq "$runs"); do
  start=$(date +%s)
  log="$build/test-under-load-$i.log"
  if (cd "$build" && ctest -j"${FIELDPROOF_JOBS:-2}" >"$log" 2>&1); then result=passed; else result=FAILED; failed=1; fi
  echo "run $i of $runs beside $load busy loops: $result in $(( $(date +%s) - start )) s; $(grep -E 'tests passed' "$log" || true) ($log)"
done
exit "$failed"
