#!/usr/bin/env bash
# API under load from a second process: a 30,000-asset site runs for FIELDPROOF_SECONDS
# (default 30) with verification, then api_load reads single inspections by random id over
# FIELDPROOF_CONNECTIONS (default 8) keep-alive connections for 10 s while the gateway
# keeps serving, and /healthz is asked every 10 ms meanwhile. Prints requests/s and latency
# percentiles (docs/performance.md). FIELDPROOF_GATEWAY_BIN runs another build's gateway.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}
run=$root/run/bench-api
port=${FIELDPROOF_MQTT_PORT:-18832}
http_port=${FIELDPROOF_HTTP_PORT:-18081}
seconds=${FIELDPROOF_SECONDS:-30}
site_args=(--seed 42 --site FRA --assets 30000 --buildings 4 --floors 5 --technicians 40 --sensor-ratio 0.2)

"$root/ops/build.sh" fieldproof-gateway fieldproof fieldproof-sim api_load
source "$root/ops/lib.sh"
trap stop_started EXIT
rm -rf "$run" && mkdir -p "$run"
start_broker "$port"
(umask 077 && openssl rand -hex 16 > "$run/master.key")
db=$run/fieldproof.db
import_site "$db" "${site_args[@]}"
# The server's capacity, not one token's rate limit (builds before the limit have none).
unlimited=()
if "${FIELDPROOF_GATEWAY_BIN:-$build/gateway/app/fieldproof-gateway}" --help | grep -- --http-token-rate > /dev/null; then
  unlimited=(--http-token-rate 0)
fi
start_gateway "$db" "$port" --master-key-file "$run/master.key" --asset-types "$root/ops/asset-types.json" \
  --no-clock-correction --close-invoices-day 0 --http-port "$http_port" "${unlimited[@]}"
"$build/firmware-sim/fieldproof-sim" run "${site_args[@]}" --broker "tcp://127.0.0.1:$port" \
  --master-key-file "$run/master.key" --duration "$seconds" --speed 1800 > /dev/null
token=$(fieldproof_cli --db "$db" token create --name bench --role admin 2>/dev/null)
inspections=$(sqlite3 "$db" "SELECT max(id) FROM inspections")
echo "bench-api: $inspections inspections; loading the API"
"$build/tests/bench/api_load" "$http_port" "$token" "$inspections" "${FIELDPROOF_CONNECTIONS:-8}" 10
echo "bench-api: the same with every connection asking for the site's coverage report"
"$build/tests/bench/api_load" "$http_port" "$token" "$inspections" "${FIELDPROOF_CONNECTIONS:-8}" 10 \
  /api/v1/sites/FRA/coverage
