#!/usr/bin/env bash
# README's test command: installs what is missing, builds, runs the whole suite
# (unit, schema, integration against a real mosquitto, the dashboard in Chromium) and ends
# with ctest's summary. The dashboard's screenshot is kept in build/test-artifacts/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}

"$root/ops/install-deps.sh"
echo "test: installing the JSON Schema validator (npm ci in tests/schema)"
(cd "$root/tests/schema" && npm ci --no-audit --no-fund --loglevel=error)
echo "test: installing the browser driver (npm ci in tests/browser; the browser is Debian's chromium)"
(cd "$root/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
FIELDPROOF_CMAKE_ARGS="-DFIELDPROOF_REQUIRE_SCHEMA_TESTS=ON -DFIELDPROOF_REQUIRE_BROWSER_TESTS=ON" "$root/ops/build.sh"
cd "$build"
ctest --output-on-failure -j"${FIELDPROOF_JOBS:-2}" --timeout 600
