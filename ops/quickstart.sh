#!/usr/bin/env bash
# README's main job: installs what is missing, builds, starts mosquitto and the
# gateway, imports a generated 30,000-asset site, runs the simulated site for about a
# minute, closes the simulated month for billing, writes its invoices (CSV, JSON, UBL) to
# run/quickstart/invoices/ and a coverage report to run/quickstart/coverage.html, prints a
# summary, serves the dashboard (URL and a facility owner's token printed) and then stops
# everything it started.
#   FIELDPROOF_MQTT_PORT  broker port (default 18830)
#   FIELDPROOF_SECONDS    how long the site runs (default 60)
#   FIELDPROOF_SPEED      simulated seconds per real second (default 1800: half an hour a second)
#   FIELDPROOF_HTTP_PORT  port of the API and dashboard (default 8080)
#   FIELDPROOF_SERVE_SECONDS  how long the dashboard stays up at the end (default 600; 0: not at all)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}
run=$root/run/quickstart
port=${FIELDPROOF_MQTT_PORT:-18830}
seconds=${FIELDPROOF_SECONDS:-60}
speed=${FIELDPROOF_SPEED:-1800}
http_port=${FIELDPROOF_HTTP_PORT:-8080}
serve_seconds=${FIELDPROOF_SERVE_SECONDS:-600}
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
# A year of inspections by the previous contractor: some assets are due soon, some overdue.
fieldproof_cli --db "$db" import history --site FRA "$run/site/history.csv"
# Verification: the master key derives every tag key; the simulated site runs far faster
# than real time, so device clocks are taken as they are. The simulated month is closed
# below, not by the gateway's calendar.
start_gateway "$db" "$port" --stats-interval 10 --master-key-file "$run/master.key" \
  --asset-types "$root/ops/asset-types.json" --no-clock-correction --close-invoices-day 0 \
  --http-port "$http_port"
echo "quickstart: gateway up (log: $run/gateway.log)"

# The simulated handhelds photograph 3 % of their visits and upload the photos with a
# device token before the end tap that names them (docs/handheld.md).
camera_token=$("$build/gateway/app/fieldproof" --db "$db" token create --name sim-handhelds --role device 2>/dev/null)
echo "quickstart: the site at work for ${seconds}s (${speed}x real time, QoS 1, 2% resends, 1% garbage, 3% with a photo, 2% faulty sensors)"
"$build/firmware-sim/fieldproof-sim" run "${site_args[@]}" --broker "tcp://127.0.0.1:$port" \
  --master-key-file "$run/master.key" --start "$sim_start" --duration "$seconds" --speed "$speed" \
  --duplicate-ratio 0.02 --garbage-ratio 0.01 --photo-ratio 0.03 --sensor-fault-ratio 0.02 \
  --api-url "http://127.0.0.1:$http_port" --api-token "$camera_token" --summary "$run/sim-summary.json" > /dev/null
# The cheats and the awkward-but-honest visits, the day after: rejections with their reasons,
# inspections waiting for a supervisor (docs/verification.md).
echo "quickstart: playing the fraud cases"
"$build/firmware-sim/fieldproof-sim" fraud "${site_args[@]}" --broker "tcp://127.0.0.1:$port" \
  --master-key-file "$run/master.key" --start "${sim_start:0:8}04T06:00:00Z" --client-id fieldproof-sim-fraud \
  > "$run/fraud-expectations.json" 2> "$run/fraud.log"

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
"${fieldproof[@]}" coverage --site FRA --as-of "${sim_start:0:8}30" --format html --out "$run/coverage.html" > /dev/null
"${fieldproof[@]}" coverage --site FRA --as-of "${sim_start:0:8}30" --format json --out "$run/coverage.json" > /dev/null

"${fieldproof[@]}" stats --json > "$run/stats.json"
# Figures for the summary, from the JSON the CLI wrote.
json_get() { python3 -c "import json, sys; print(eval(sys.argv[2], {}, {'j': json.load(open(sys.argv[1]))}))" "$@"; }
coverage_line() {
  json_get "$1" "'%s %% covered; %d due soon, %d overdue, %d never inspected' % (j['total']['percent_covered'], j['total']['due_soon'], j['total']['overdue'], j['total']['never_inspected'])"
}
verdict_count() { json_get "$2" "j['inspections_by_verdict'].get('$1', 0)"; }
alarm_count() { json_get "$1" "sum(j['active_alarms_by_kind'].values())"; }
sent=$(field sent "$run/sim-summary.json")
fraud_sent=$(grep -o ': [0-9]* messages' "$run/fraud.log" | awk '{n += $2} END {print n + 0}')
received=$(grep -o 'final: received=[0-9]*' "$run/gateway.log" | sed 's/.*=//')
rate=$(field messages_per_second "$run/sim-summary.json")
if [ "$received" = "$((sent + fraud_sent))" ]; then
  kept_up="the gateway received all of them"
else
  kept_up="the gateway received $received of $((sent + fraud_sent)); see $run/gateway.log"
fi
cat <<SUMMARY

fieldproof quick start — summary
  published by the site   $sent messages and $fraud_sent in the fraud cases, the first in $(field seconds "$run/sim-summary.json" | cut -d. -f1) s ($(field duplicates "$run/sim-summary.json") resends, $(field garbage "$run/sim-summary.json") garbage)
  photos uploaded         $(field photos_uploaded "$run/sim-summary.json") ($(field photos_failed "$run/sim-summary.json") failed)
  received by the gateway $received
  stored                  $(top_field taps "$run/stats.json") taps, $(top_field telemetry "$run/stats.json") telemetry messages
  duplicates ignored      $(grep -o ' duplicates=[0-9]*' "$run/gateway.log" | tail -1 | sed 's/.*=//')
  rejected                $(top_field rejected "$run/stats.json") (list them: $build/gateway/app/fieldproof --db $db rejected)
  messages/s              ${rate%.*} ($kept_up)
  invoiced ($period)      $(grep -o 'FP-INV-[0-9]*, [0-9]* records billed' "$run/close.log" || echo "nothing")
  invoices written to     $invoices/ (CSV and JSON for the ERP, one UBL 2.1 / XRechnung file per invoice)
  not billed              $(tail -1 "$run/not-billable.txt") (list: $run/not-billable.txt)
  coverage ${sim_start:0:8}30    $(coverage_line "$run/coverage.json")
  needs a supervisor      $(top_field open_reviews "$run/stats.json") inspections await review (dashboard: Reviews, as a supervisor)
  rejected inspections    $(verdict_count rejected "$run/stats.json") (each with its reasons: dashboard, Inspections)
  alarms from sensors     $(alarm_count "$run/stats.json") active; $(top_field open_work_orders "$run/stats.json") work orders open
  coverage report         $run/coverage.html (with a floor map per plan)
  database                $db
  logs                    $run/gateway.log, $run/mosquitto.log
SUMMARY

echo
"${fieldproof[@]}" invoice list | sed 's/^/  /'
echo
echo "What the database holds (fieldproof --db $db stats):"
"$build/gateway/app/fieldproof" --db "$db" stats | sed 's/^/  /'

if [ "$serve_seconds" -gt 0 ]; then
  # The dashboard and API on the month's data, for a facility owner.
  token=$("${fieldproof[@]}" token create --name quickstart-owner --role owner --customer OWN-FRA 2>/dev/null)
  gateway_log=$run/gateway-dashboard.log start_gateway "$db" "$port" --close-invoices-day 0 --http-port "$http_port"
  cat <<DASHBOARD

The dashboard is up for ${serve_seconds}s (Ctrl-C stops it now):
  URL    http://127.0.0.1:$http_port/
  token  $token   (a facility owner of OWN-FRA; more: fieldproof --db $db token create --help)
  API    curl -H "Authorization: Bearer $token" http://127.0.0.1:$http_port/api/v1/sites/FRA/coverage
  app    http://127.0.0.1:$http_port/app/ (the technicians' app; enrolling a handheld: docs/handheld.md)
DASHBOARD
  sleep "$serve_seconds"
fi
