#!/usr/bin/env bash
# The dashboard's floor map in Debian's Chromium: a generated site of ASSETS assets on 2
# buildings × 2 floors (default 8000: 2,000 a floor, each on its plan), served by a real
# gateway; the time from the click on "Map" until every marker is drawn (docs/performance.md).
#   ops/bench-map.sh [ASSETS] [ROUNDS]
# Needs what ops/test.sh installs (chromium, npm ci in tests/browser).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}
run=$root/run/bench-map
port=${FIELDPROOF_MQTT_PORT:-18860}
http_port=${FIELDPROOF_HTTP_PORT:-18861}
"$root/ops/build.sh" fieldproof-gateway fieldproof fieldproof-sim
source "$root/ops/lib.sh"
trap stop_started EXIT
rm -rf "$run" && mkdir -p "$run"
start_broker "$port"
db=$run/fieldproof.db
import_site "$db" --seed 7 --site FRA --assets "${1:-8000}" --buildings 2 --floors 2 --sensor-ratio 0.2 > /dev/null
fieldproof_cli --db "$db" import history --site FRA "$run/site/history.csv" > /dev/null
token=$(fieldproof_cli --db "$db" token create --name bench --role owner --customer OWN-FRA 2>/dev/null)
start_gateway "$db" "$port" --http-port "$http_port"
node "$root/tests/browser/floor_map.bench.mjs" "http://127.0.0.1:$http_port" "$token" "${2:-20}"
