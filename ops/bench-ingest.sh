#!/usr/bin/env bash
# Ingest throughput, end to end: the simulator publishes a 30,000-asset site as fast as
# it can for FIELDPROOF_SECONDS (default 20); the gateway decodes and commits. The devices
# publish with QoS FIELDPROOF_PUBLISH_QOS (1, or 2); the gateway takes QoS
# FIELDPROOF_INTAKE_QOS (2, crash-safe; or 1, see docs/reliability.md).
# Prints the simulator's publish rate and the rate at which the gateway committed the
# same messages (from the first publish until the last of them was in SQLite).
# FIELDPROOF_VERIFY=1 also runs verification (and waits until every tap is assessed).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}
run=$root/run/bench-ingest
port=${FIELDPROOF_MQTT_PORT:-18832}
seconds=${FIELDPROOF_SECONDS:-20}
site_args=(--seed 42 --site FRA --assets 30000 --buildings 4 --floors 5 --technicians 40 --sensor-ratio 0.2)

"$root/ops/build.sh" fieldproof-gateway fieldproof fieldproof-sim >/dev/null
source "$root/ops/lib.sh"
trap stop_started EXIT
rm -rf "$run" && mkdir -p "$run"
start_broker "$port"
db=$run/fieldproof.db
import_site "$db" "${site_args[@]}" >/dev/null
verify_args=()
if [ "${FIELDPROOF_VERIFY:-0}" = 1 ]; then
  echo 000102030405060708090A0B0C0D0E0F > "$run/master.key"
  verify_args=(--master-key-file "$run/master.key" --asset-types "$root/ops/asset-types.json"
               --no-clock-correction)
fi
start_gateway "$db" "$port" --no-http --stats-interval 5 "${verify_args[@]}"

stored() {
  "$build/gateway/app/fieldproof" --db "$db" stats --json > "$run/stats.json"
  echo $(( $(top_field taps "$run/stats.json") + $(top_field telemetry "$run/stats.json") ))
}
start=$(date +%s.%N)
"$build/firmware-sim/fieldproof-sim" run "${site_args[@]}" --broker "tcp://127.0.0.1:$port" \
  --master-key 000102030405060708090A0B0C0D0E0F --duration "$seconds" --qos "${FIELDPROOF_PUBLISH_QOS:-1}" \
  --summary "$run/sim-summary.json" > /dev/null 2>&1
expected=$(( $(field taps "$run/sim-summary.json") + $(field telemetry "$run/sim-summary.json") ))
while [ "$(stored)" -lt "$expected" ]; do sleep 0.2; done
if [ "${FIELDPROOF_VERIFY:-0}" = 1 ]; then
  until [ "$(sqlite3 "$db" 'SELECT count(*) FROM taps WHERE assessed = 0')" = 0 ]; do sleep 0.2; done
fi
end=$(date +%s.%N)
stop_gateway

inspections=""
if [ "${FIELDPROOF_VERIFY:-0}" = 1 ]; then
  inspections=$(sqlite3 "$db" "SELECT group_concat(verdict || '=' || n, ' ') FROM (SELECT verdict, count(*) n FROM inspections GROUP BY verdict)")
fi
awk -v q="${FIELDPROOF_PUBLISH_QOS:-1}" -v v="$inspections" -v n="$expected" -v t0="$start" -v t1="$end" -v p="$(field messages_per_second "$run/sim-summary.json")" \
    -v c="$(grep -o 'avg_commit=[0-9]*us max_commit=[0-9]*us' "$run/gateway.log" | tail -1)" 'BEGIN {
  t = t1 - t0
  printf "messages           %d (taps and telemetry, published with QoS %d, all distinct)\n", n, q
  printf "published          %.0f msg/s (simulator, as fast as the broker acknowledged)\n", p
  printf "committed          %.0f msg/s (first publish to last commit%s: %.1f s)\n", n / t, (v != "" ? ", every tap assessed" : ""), t
  printf "transactions       %s\n", c
  if (v != "") printf "inspections        %s\n", v
}'
