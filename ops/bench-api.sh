#!/usr/bin/env bash
# API under load from a second process: a 30,000-asset site runs for FIELDPROOF_SECONDS
# (default 30) with verification, then api_load reads single inspections by random id over
# FIELDPROOF_CONNECTIONS (default 8) keep-alive connections for 10 s while the gateway
# keeps serving. Prints requests/s and latency percentiles (docs/performance.md).
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
start_gateway "$db" "$port" --master-key-file "$run/master.key" --asset-types "$root/ops/asset-types.json" \
  --no-clock-correction --close-invoices-day 0 --http-port "$http_port" \
  --http-token-rate 0  # The server's capacity, not one token's rate limit.
"$build/firmware-sim/fieldproof-sim" run "${site_args[@]}" --broker "tcp://127.0.0.1:$port" \
  --master-key-file "$run/master.key" --duration "$seconds" --speed 1800 > /dev/null
token=$("$build/gateway/app/fieldproof" --db "$db" token create --name bench --role admin 2>/dev/null)
inspections=$(sqlite3 "$db" "SELECT max(id) FROM inspections")
echo "bench-api: $inspections inspections; loading the API"
"$build/tests/bench/api_load" "$http_port" "$token" "$inspections" "${FIELDPROOF_CONNECTIONS:-8}" 10
