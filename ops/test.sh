#!/usr/bin/env bash
# README's test command: installs what is missing, builds, runs the whole suite
# (unit, schema, integration against a real mosquitto, the dashboard and the handheld app in
# Chromium, the app over HTTPS through nginx) and ends with ctest's summary. The browser
# tests' screenshots are kept in build/test-artifacts/.
# Before that, a short fuzz run: each libFuzzer target of tests/fuzz for
# FIELDPROOF_FUZZ_SECONDS (15; 0 skips it) under ASan + UBSan, from its own clang build in
# build-fuzz/ that compiles only the fuzz targets and the libraries they link.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}

"$root/ops/install-deps.sh"
echo "test: installing the JSON Schema validator (npm ci in tests/schema)"
(cd "$root/tests/schema" && npm ci --no-audit --no-fund --loglevel=error)
echo "test: installing the browser driver (npm ci in tests/browser; the browser is Debian's chromium)"
(cd "$root/tests/browser" && npm ci --no-audit --no-fund --loglevel=error)
# nginx for HttpsTest (ops/nginx-fieldproof.conf end to end): Debian's package unpacked into
# build/tools/ rather than installed, because installing it starts a web server on port 80.
nginx_dir=$build/tools/nginx
if [ ! -x "$nginx_dir/usr/sbin/nginx" ]; then
  echo "test: unpacking Debian's nginx into $nginx_dir (not installed: no service is started)"
  mkdir -p "$nginx_dir"
  (cd "$nginx_dir" && { apt-get download nginx >/dev/null 2>&1 || { apt-get update -qq && apt-get download nginx >/dev/null 2>&1; }; } &&
    dpkg -x nginx_*.deb . && rm -f nginx_*.deb)
fi
FIELDPROOF_CMAKE_ARGS="-DFIELDPROOF_REQUIRE_SCHEMA_TESTS=ON -DFIELDPROOF_REQUIRE_BROWSER_TESTS=ON" "$root/ops/build.sh"

fuzz_seconds=${FIELDPROOF_FUZZ_SECONDS:-15}
if [ "$fuzz_seconds" != 0 ]; then
  fuzz_build=${FIELDPROOF_FUZZ_BUILD_DIR:-$root/build-fuzz}
  echo "test: short fuzz run, ${fuzz_seconds} s per target (clang, libFuzzer, ASan + UBSan, in $fuzz_build)"
  # -O1 with line tables only: what fuzzing needs, compiles faster than RelWithDebInfo.
  cmake -S "$root" -B "$fuzz_build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None \
    "-DCMAKE_CXX_FLAGS=-O1 -gline-tables-only" -DFIELDPROOF_FUZZ=ON \
    -DFIELDPROOF_FUZZ_SECONDS="$fuzz_seconds" >/dev/null
  cmake --build "$fuzz_build" -j"${FIELDPROOF_JOBS:-2}" --target fuzzers
  (cd "$fuzz_build" && ctest -L fuzz --output-on-failure -j"${FIELDPROOF_JOBS:-2}")
fi

cd "$build"
ctest --output-on-failure -j"${FIELDPROOF_JOBS:-2}" --timeout 600
