#!/usr/bin/env bash
# TLS material for mosquitto (ops/mosquitto-tls.conf): a private CA, the broker's server
# certificate, the gateway's two client certificates (intake and notices) and one client
# certificate per handheld (CN = device id) or sensor (CN = asset id), the broker's ACL file
# and its CRL. The broker makes each certificate's CN the client's id
# (use_username_as_clientid): one identity, one connection, nobody else's session.
#
#   ops/make-certs.sh [options] DIR [ID ...]   make what is missing; IDs are handhelds/sensors
#     --devices FILE.csv   also every device_id in a registry devices.csv (fieldproof-sim generate)
#     --sensors FILE.csv   also every sensor-equipped asset_id in a registry assets.csv
#     --simulator          also "fieldproof-sim" certificates (-verdicts, -offline: one per connection)
#                          allowed to speak for every device of every site: for test benches and
#                          the simulator only, never in the field
#     --force              start again: a new CA, so every certificate made before stops working
#   ops/make-certs.sh revoke DIR ID            revoke ID's certificate (mosquitto's crlfile), then
#                                              SIGHUP mosquitto
#
# Idempotent: existing keys and certificates are kept; run it again with new IDs to add
# handhelds. Keys are EC P-256, mode 0600. Usernames in the ACL are certificate CNs
# (mosquitto's use_identity_as_username), so an ID may use letters, digits, '.', '_', '-';
# IDs beginning with "fieldproof-" are reserved for the gateway and the simulator.
#
# DIR afterwards:
#   ca.crt ca.key              the CA (ca.key signs everything: keep it off the broker host)
#   broker.crt broker.key      server certificate, SAN 127.0.0.1 and localhost
#                              (FIELDPROOF_BROKER_SAN adds more, e.g. "DNS:mqtt.example,IP:10.0.0.5")
#   clients/ID.crt ID.key      client certificates; the gateway's are clients/fieldproof-gateway.*
#                              (intake) and clients/fieldproof-gateway-notices.* (notices, verdicts)
#   acl                        mosquitto acl_file
#   crl.pem                    mosquitto crlfile (valid 365 days; any run of this script renews it)
#   ca-db/                     OpenSSL's CA database, for revocation
#   revoked/                   revoked certificates, kept for the record
set -euo pipefail

usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }
say() { echo "make-certs: $*"; }
die() { echo "make-certs: $*" >&2; exit 1; }

readonly gateway_cn=fieldproof-gateway
readonly notices_cn=fieldproof-gateway-notices
readonly simulator_cn=fieldproof-sim
readonly simulator_cns=(fieldproof-sim fieldproof-sim-verdicts fieldproof-sim-offline)
readonly id_pattern='^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'

command -v openssl > /dev/null || die "openssl is missing (apt-get install openssl)"
umask 077  # Every key is created 0600; certificates are made readable explicitly.

new_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2> /dev/null; }

# write_ca_config: the minimal `openssl ca` configuration revocation and the CRL need.
write_ca_config() {
  mkdir -p "$dir/ca-db"
  [[ -f $dir/ca-db/index.txt ]] || : > "$dir/ca-db/index.txt"
  [[ -f $dir/ca-db/crlnumber ]] || echo 1000 > "$dir/ca-db/crlnumber"
  cat > "$dir/ca-db/openssl.cnf" << EOF
[ca]
default_ca = fieldproof_ca
[fieldproof_ca]
database = $dir/ca-db/index.txt
certificate = $dir/ca.crt
private_key = $dir/ca.key
crlnumber = $dir/ca-db/crlnumber
default_md = sha256
default_crl_days = 365
EOF
}

renew_crl() {
  openssl ca -config "$dir/ca-db/openssl.cnf" -gencrl -out "$dir/crl.pem" 2> /dev/null ||
    die "cannot write $dir/crl.pem"
  chmod 644 "$dir/crl.pem"
}

make_ca() {
  if [[ -f $dir/ca.key && -f $dir/ca.crt ]]; then
    say "kept     CA $dir/ca.crt"
    return
  fi
  new_key "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 -subj "/O=fieldproof/CN=fieldproof CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$dir/ca.crt"
  chmod 644 "$dir/ca.crt"
  say "made     CA $dir/ca.crt (key $dir/ca.key)"
}

# sign NAME CN EXTENSIONS: NAME.key and NAME.crt (two years), signed by the CA.
sign() {
  local name=$1 cn=$2 extensions=$3
  local extfile
  extfile=$(mktemp)
  printf '%s\n' "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
    "$extensions" > "$extfile"
  new_key "$name.key"
  openssl req -new -key "$name.key" -subj "/O=fieldproof/CN=$cn" -out "$name.csr"
  # A random serial: revocation names certificates by serial.
  openssl x509 -req -in "$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 730 -sha256 -extfile "$extfile" \
    -out "$name.crt" 2> /dev/null
  rm -f "$name.csr" "$extfile"
  chmod 644 "$name.crt"
}

make_broker_cert() {
  if [[ -f $dir/broker.key && -f $dir/broker.crt ]]; then
    say "kept     broker $dir/broker.crt"
    return
  fi
  local san="IP:127.0.0.1,DNS:localhost${FIELDPROOF_BROKER_SAN:+,$FIELDPROOF_BROKER_SAN}"
  sign "$dir/broker" "fieldproof-broker" "extendedKeyUsage=serverAuth
subjectAltName=$san"
  say "made     broker $dir/broker.crt ($san)"
}

make_client_cert() {
  local cn=$1 role=$2
  [[ $cn =~ $id_pattern ]] || die "'$cn' cannot be a certificate name (letters, digits, . _ -)"
  if [[ -f $dir/clients/$cn.key && -f $dir/clients/$cn.crt ]]; then
    say "kept     $role $dir/clients/$cn.crt"
    return
  fi
  sign "$dir/clients/$cn" "$cn" "extendedKeyUsage=clientAuth"
  say "made     $role $dir/clients/$cn.crt"
}

# csv_column FILE NAME: the values of a CSV column (registry files: no quoted commas before it).
csv_column() {
  awk -F, -v want="$2" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == want) c = i; next }
                        c && $c != "" { print $c }' "$1"
}

write_acl() {
  {
    echo "# Generated by ops/make-certs.sh. Usernames are certificate CNs (use_identity_as_username),"
    echo "# and so are client ids (use_username_as_clientid)."
    echo "# The gateway's intake reads every device's messages."
    echo "user $gateway_cn"
    echo "topic read fieldproof/v1/#"
    echo
    echo "# The gateway's notices connection answers on the devices' notice and verdict topics."
    echo "user $notices_cn"
    echo "topic write fieldproof/v1/+/tap/+/notice"
    echo "topic write fieldproof/v1/+/tap/+/verdict"
    echo "topic write fieldproof/v1/+/telemetry/+/notice"
    echo "# The broker's count of dropped messages: readings lost to a full queue (docs/operations.md)."
    echo "topic read \$SYS/broker/publish/messages/dropped"
    if [[ $simulator == 1 || -f $dir/clients/$simulator_cn.crt ]]; then
      echo
      echo "# The simulator speaks for a whole site: test benches only. Its publishers"
      echo "# (fieldproof-sim, fieldproof-sim-offline) and its verdict reader (fieldproof-sim-verdicts)."
      for cn in "${simulator_cns[@]}"; do
        echo "user $cn"
        echo "topic write fieldproof/v1/+/tap/+"
        echo "topic write fieldproof/v1/+/telemetry/+"
        echo "topic read fieldproof/v1/+/tap/+/notice"
        echo "topic read fieldproof/v1/+/tap/+/verdict"
        echo "topic read fieldproof/v1/+/telemetry/+/notice"
      done
    fi
    echo
    echo "# Everybody else is a handheld (CN = device id) or a sensor (CN = asset id): only its own"
    echo "# topic, at any site (the gateway checks the device's site), and only its own answers."
    echo "pattern write fieldproof/v1/+/tap/%u"
    echo "pattern read fieldproof/v1/+/tap/%u/notice"
    echo "pattern read fieldproof/v1/+/tap/%u/verdict"
    echo "pattern write fieldproof/v1/+/telemetry/%u"
    echo "pattern read fieldproof/v1/+/telemetry/%u/notice"
  } > "$dir/acl"
  chmod 644 "$dir/acl"
  say "wrote    ACL $dir/acl"
}

revoke() {
  local id=$1
  [[ $id =~ $id_pattern ]] || die "'$id' cannot be a certificate name"
  [[ -f $dir/clients/$id.crt ]] || die "no certificate for $id in $dir/clients"
  write_ca_config
  openssl ca -config "$dir/ca-db/openssl.cnf" -revoke "$dir/clients/$id.crt" 2> /dev/null ||
    die "cannot revoke $dir/clients/$id.crt"
  renew_crl
  local serial
  serial=$(openssl x509 -in "$dir/clients/$id.crt" -noout -serial | sed 's/serial=//')
  mkdir -p "$dir/revoked"
  mv "$dir/clients/$id.crt" "$dir/revoked/$id-$serial.crt"
  mv "$dir/clients/$id.key" "$dir/revoked/$id-$serial.key"
  say "revoked  $id (serial $serial); CRL $dir/crl.pem"
  say "mosquitto reads the CRL at start and on SIGHUP (systemctl reload mosquitto): new connections"
  say "with the certificate are then refused; restart mosquitto to also cut off a connected one"
}

force=0 simulator=0
ids=() devices_csv=() sensors_csv=()
if [[ ${1:-} == revoke ]]; then
  [[ $# -eq 3 ]] || usage
  dir=$(cd "$2" && pwd) || die "no folder $2"
  [[ -f $dir/ca.key ]] || die "no CA in $dir"
  revoke "$3"
  exit 0
fi
dir=
while [[ $# -gt 0 ]]; do
  case $1 in
    --force) force=1 ;;
    --simulator) simulator=1 ;;
    --devices) devices_csv+=("${2:?--devices needs a file}"); shift ;;
    --sensors) sensors_csv+=("${2:?--sensors needs a file}"); shift ;;
    -h | --help) usage ;;
    -*) echo "make-certs: unknown option $1" >&2; usage ;;
    *) if [[ -z $dir ]]; then dir=$1; else ids+=("$1"); fi ;;
  esac
  shift
done
[[ -n $dir ]] || usage
for file in "${devices_csv[@]}"; do
  while read -r id; do ids+=("$id"); done < <(csv_column "$file" device_id)
done
for file in "${sensors_csv[@]}"; do
  while read -r id; do ids+=("$id"); done < <(awk -F, '
    NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "asset_id") a = i; if ($i == "sensor_equipped") s = i }; next }
    a && s && $s == "true" { print $a }' "$file")
done

for id in "${ids[@]}"; do  # Before anything is made.
  [[ $id =~ $id_pattern ]] || die "'$id' cannot be a certificate name (letters, digits, . _ -)"
  [[ $id != fieldproof-* ]] || die "'$id' is reserved (fieldproof-* names the gateway and the simulator)"
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
if [[ $force == 1 ]]; then
  rm -rf "$dir/ca.key" "$dir/ca.crt" "$dir/broker.key" "$dir/broker.crt" "$dir/clients" \
    "$dir/revoked" "$dir/ca-db" "$dir/crl.pem" "$dir/acl"
  say "--force: everything in $dir made again, with a new CA"
fi
mkdir -p "$dir/clients"
make_ca
write_ca_config
make_broker_cert
make_client_cert "$gateway_cn" gateway
make_client_cert "$notices_cn" gateway
if [[ $simulator == 1 ]]; then
  for cn in "${simulator_cns[@]}"; do make_client_cert "$cn" simulator; done
fi
for id in "${ids[@]}"; do make_client_cert "$id" device; done
write_acl
renew_crl
say "wrote    CRL $dir/crl.pem"
