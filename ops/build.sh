#!/usr/bin/env bash
# Configures and builds into build/ (or $FIELDPROOF_BUILD_DIR). Extra arguments are
# build targets; none builds everything, tests included.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo ${FIELDPROOF_CMAKE_ARGS:-} >/dev/null
targets=()
for t in "$@"; do targets+=(--target "$t"); done
cmake --build "$build" -j"${FIELDPROOF_JOBS:-2}" "${targets[@]}"
