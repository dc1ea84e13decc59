#!/usr/bin/env bash
# README's main job: installs what is missing, builds, starts mosquitto and the
# gateway, imports a generated 30,000-asset site, runs the simulated site for about a
# minute, closes the simulated month for billing, writes its invoices (CSV, JSON, UBL) to
# run/quickstart/invoices/, prints a summary, and stops everything it started.
#   FIELDPROOF_MQTT_PORT  broker port (default 18830)
#   FIELDPROOF_SECONDS    how long the site runs (default 60)
#   FIELDPROOF_SPEED      simulated seconds per real second (default 1800: half an hour a second)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}
run=$root/run/quickstart
port=${FIELDPROOF_MQTT_PORT:-18830}
seconds=${FIELDPROOF_SECONDS:-60}
speed=${FIELDPROOF_SPEED:-1800}
site_args=(--seed 42 --site FRA --assets 30000 --buildings 4 --floors 5 --technicians 40 --sensor-ratio 0.2)
sim_start=2026-11-02T06:00:00Z
period=${sim_start:0:7}

"$root/ops/install-deps.sh"
echo "quickstart: building"
"$root/ops/build.sh" fieldproof-gateway fieldproof fieldproof-sim

source "$root/ops/lib.sh"
trap stop_started EXIT
rm -rf "$run" && mkdir -p "$run"
start_broker "$port"
echo "quickstart: mosquitto on 127.0.0.1:$port"

# The site master key never goes into the database: the tags' keys derive from it.
openssl rand -hex 16 > "$run/master.key"
chmod 600 "$run/master.key"

db=$run/fieldproof.db
import_site "$db" "${site_args[@]}"
# Verification: the master key derives every tag key; the simulated site runs far faster
# than real time, so device clocks are taken as they are. The simulated month is closed
# below, not by the gateway's calendar.
start_gateway "$db" "$port" --stats-interval 10 --master-key-file "$run/master.key" \
  --asset-types "$root/ops/asset-types.json" --no-clock-correction --close-invoices-day 0
echo "quickstart: gateway up (log: $run/gateway.log)"

echo "quickstart: the site at work for ${seconds}s (${speed}x real time, 2% resends, 1% garbage)"
"$build/firmware-sim/fieldproof-sim" run "${site_args[@]}" --broker "tcp://127.0.0.1:$port" \
  --master-key-file "$run/master.key" --start "$sim_start" --duration "$seconds" --speed "$speed" \
  --duplicate-ratio 0.02 --garbage-ratio 0.01 --summary "$run/sim-summary.json" > /dev/null

sleep 1
stop_gateway

fieldproof=("$build/gateway/app/fieldproof" --db "$db")
echo "quickstart: billing $period (contract $root/ops/contracts/OWN-FRA.json)"
"${fieldproof[@]}" contract import "$root/ops/contracts/OWN-FRA.json" > /dev/null
"${fieldproof[@]}" invoice close --period "$period" > "$run/close.log"
invoices=$run/invoices
for format in csv json ubl; do
  "${fieldproof[@]}" invoice export --period "$period" --format "$format" --out "$invoices" > /dev/null
done
"${fieldproof[@]}" invoice not-billable --period "$period" > "$run/not-billable.txt"

"${fieldproof[@]}" stats --json > "$run/stats.json"
sent=$(field sent "$run/sim-summary.json")
received=$(grep -o 'final: received=[0-9]*' "$run/gateway.log" | sed 's/.*=//')
rate=$(field messages_per_second "$run/sim-summary.json")
if [ "$received" = "$sent" ]; then
  kept_up="the gateway received all of them"
else
  kept_up="the gateway received $received of $sent; see $run/gateway.log"
fi
cat <<SUMMARY

fieldproof quick start — summary
  published by the site   $sent messages in $(field seconds "$run/sim-summary.json" | cut -d. -f1) s ($(field duplicates "$run/sim-summary.json") resends, $(field garbage "$run/sim-summary.json") garbage)
  received by the gateway $received
  stored                  $(top_field taps "$run/stats.json") taps, $(top_field telemetry "$run/stats.json") telemetry messages
  duplicates ignored      $(grep -o ' duplicates=[0-9]*' "$run/gateway.log" | tail -1 | sed 's/.*=//')
  rejected                $(top_field rejected "$run/stats.json") (list them: $build/gateway/app/fieldproof --db $db rejected)
  messages/s              ${rate%.*} ($kept_up)
  invoiced ($period)      $(grep -o 'FP-INV-[0-9]*, [0-9]* records billed' "$run/close.log" || echo "nothing")
  invoices written to     $invoices/ (CSV and JSON for the ERP, one UBL 2.1 / XRechnung file per invoice)
  not billed              $(tail -1 "$run/not-billable.txt") (list: $run/not-billable.txt)
  database                $db
  logs                    $run/gateway.log, $run/mosquitto.log
SUMMARY

echo
"${fieldproof[@]}" invoice list | sed 's/^/  /'
echo
echo "What the database holds (fieldproof --db $db stats):"
"$build/gateway/app/fieldproof" --db "$db" stats | sed 's/^/  /'
