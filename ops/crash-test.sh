#!/usr/bin/env bash
# The long crash test (docs/reliability.md): the simulator publishes 200,000 QoS 1
# messages while the gateway is killed with SIGKILL at random moments (12 times) and
# restarted, and the broker (persistence on) is restarted twice; at the end every message
# the broker accepted must be in the database exactly once. The suite runs a short variant
# of the same test (CrashTest in integration_test).
# Environment: FIELDPROOF_CRASH_MESSAGES, FIELDPROOF_CRASH_KILLS,
# FIELDPROOF_CRASH_BROKER_RESTARTS, FIELDPROOF_CRASH_SEED, FIELDPROOF_CRASH_PUBLISH_QOS (1 or 2)
# FIELDPROOF_CRASH_DRAIN_MINUTES (how long the last gateway may take) and
# FIELDPROOF_CRASH_RATE (messages/s) override them.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${FIELDPROOF_BUILD_DIR:-$root/build}
"$root/ops/build.sh" integration_test >/dev/null
export FIELDPROOF_CRASH_MESSAGES=${FIELDPROOF_CRASH_MESSAGES:-200000}
export FIELDPROOF_CRASH_KILLS=${FIELDPROOF_CRASH_KILLS:-12}
export FIELDPROOF_CRASH_BROKER_RESTARTS=${FIELDPROOF_CRASH_BROKER_RESTARTS:-2}
export FIELDPROOF_CRASH_SEED=${FIELDPROOF_CRASH_SEED:-$RANDOM}
export FIELDPROOF_CRASH_PUBLISH_QOS=${FIELDPROOF_CRASH_PUBLISH_QOS:-1}
export FIELDPROOF_CRASH_DRAIN_MINUTES=${FIELDPROOF_CRASH_DRAIN_MINUTES:-30}
# A steady stream the gateway keeps up with between kills (docs/reliability.md: a large
# backlog drains slowly with mosquitto 2.0.11); 0 publishes as fast as possible.
export FIELDPROOF_CRASH_RATE=${FIELDPROOF_CRASH_RATE:-2000}
echo "crash test: $FIELDPROOF_CRASH_MESSAGES messages (QoS $FIELDPROOF_CRASH_PUBLISH_QOS, $FIELDPROOF_CRASH_RATE/s)," \
     "$FIELDPROOF_CRASH_KILLS SIGKILLs, $FIELDPROOF_CRASH_BROKER_RESTARTS broker restarts, seed $FIELDPROOF_CRASH_SEED"
"$build/tests/integration/integration_test" --gtest_filter='CrashTest.*' --gtest_brief=1
