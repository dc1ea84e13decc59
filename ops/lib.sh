# Shared by ops/quickstart.sh and ops/bench-ingest.sh: start a broker, a site and a
# gateway in a run folder, and stop them again. Source it; set `root`, `build`, `run`.

pids=()
stop_started() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  pids=()
}

port_in_use() { (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

# start_broker PORT: mosquitto with ops/mosquitto.conf, persistence in $run.
start_broker() {
  local port=$1
  if port_in_use "$port"; then
    echo "port $port is taken; set FIELDPROOF_MQTT_PORT to a free port" >&2
    exit 1
  fi
  sed -e "s|@RUN_DIR@|$run|" -e "s|@PORT@|$port|" "$root/ops/mosquitto.conf" > "$run/mosquitto.conf"
  # Started as root, mosquitto would switch to user "mosquitto", which cannot write its
  # persistence file into $run; keep it as the user who owns $run.
  echo "user $(id -un)" >> "$run/mosquitto.conf"
  mosquitto -c "$run/mosquitto.conf" > "$run/mosquitto.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do port_in_use "$port" && return 0; sleep 0.1; done
  echo "mosquitto did not start: $run/mosquitto.log" >&2
  exit 1
}

# fieldproof_cli ARGS...: the CLI of the gateway under test, beside $FIELDPROOF_GATEWAY_BIN
# when that names another build (a newer CLI would migrate the database past the gateway).
fieldproof_cli() {
  local gateway=${FIELDPROOF_GATEWAY_BIN:-$build/gateway/app/fieldproof-gateway}
  "$(dirname "$gateway")/fieldproof" "$@"
}

# import_site DB SITE_ARGS...: generate the site's CSVs and import them.
import_site() {
  local db=$1; shift
  "$build/firmware-sim/fieldproof-sim" generate "$@" --out "$run/site"
  fieldproof_cli --db "$db" import assets "$run/site/assets.csv"
  fieldproof_cli --db "$db" import technicians "$run/site/technicians.csv"
  fieldproof_cli --db "$db" import devices "$run/site/devices.csv"
  fieldproof_cli --db "$db" plan import --site "$(site_of "$@")" --by quickstart "$run/site/plans/plans.csv" | tail -1
}

# site_of SITE_ARGS...: the --site among them, FRA when none.
site_of() {
  local site=FRA
  while [ $# -gt 0 ]; do [ "$1" = --site ] && site=$2; shift; done
  echo "$site"
}

# start_gateway DB PORT [FLAGS...]: sets $gateway to its pid once it has subscribed.
# $FIELDPROOF_GATEWAY_BIN runs another build's gateway (to compare two builds).
start_gateway() {
  local db=$1 port=$2; shift 2
  "${FIELDPROOF_GATEWAY_BIN:-$build/gateway/app/fieldproof-gateway}" --config "$root/ops/gateway.conf" --db "$db" \
    --broker "tcp://127.0.0.1:$port" "$@" > "${gateway_log:-$run/gateway.log}" 2>&1 &
  gateway=$!
  pids=("$gateway" "${pids[@]}")  # Stopped first, so it drains before the broker goes.
  for _ in $(seq 100); do grep -q "subscribed to" "${gateway_log:-$run/gateway.log}" && return 0; sleep 0.1; done
  echo "gateway did not start: ${gateway_log:-$run/gateway.log}" >&2
  exit 1
}

# stop_gateway: SIGTERM, wait for the drain.
stop_gateway() {
  kill -TERM "$gateway"
  wait "$gateway" || true
  pids=("${pids[@]:1}")
}

# field NAME FILE: a number from a one-line JSON object (the simulator's summary),
# without jq or python.
field() { grep -o "\"$1\": *[0-9.]*" "$2" | head -1 | sed 's/.*: *//'; }
# top_field NAME FILE: a top-level number from `fieldproof stats --json` (indented output).
top_field() { grep -E "^  \"$1\": *[0-9]+" "$2" | sed 's/.*: *//; s/,$//'; }
