#!/usr/bin/env bash
# Calls (or MESSAGE, OPTIONS) through IMS Lab or Kamailio at rising rates, with the SIPp bench kit's
# driver (../shared/bench/run.sh): both ends registered, INVITE authenticated (407), record-routed.
#
#   tests/bench/kit-ladder.sh ims|kamailio [call|message|options|register]
#
# Environment: RATES, STEP_SECONDS, HOLD_MS ... as run.sh takes them (see its README);
# BENCH_KIT=../shared/bench; OUT_DIR=/tmp/ims-bench-<target>-<scenario>; IMS_CONFIG_JSON: the server's
# config.json for this run; NODE_ARGS: node options for the server (default none, as shipped;
# e.g. --cpu-prof). The last line is run.sh's
# `SUMMARY {json}`. The server is started here and stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET_KIND=${1:-ims}
SCENARIO=${2:-call}
KIT=$(cd "${BENCH_KIT:-../shared/bench}" && pwd)
export OUT_DIR=${OUT_DIR:-/tmp/ims-bench-$TARGET_KIND-$SCENARIO}
export RATES=${RATES:-500 1000 1500 2000 2500 3000}
rm -rf "$OUT_DIR"
SERVER_PID=
cleanup() {
  if [[ $TARGET_KIND == kamailio ]]; then "$KIT/kamailio/stop.sh" >/dev/null 2>&1 || true
  elif [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

case $TARGET_KIND in
  ims)
    [[ -f out/core/server.js ]] || { echo "run npm run build first" >&2; exit 1; }
    DATA=$(mktemp -d /tmp/ims-bench-data-XXXX)
    export IMS_DATA_DIR=$DATA SIP_HOST=127.0.0.1 SIP_PORT=${SIP_PORT:-25110} HTTP_HOST=127.0.0.1 HTTP_PORT=${HTTP_PORT:-0} LOG_LEVEL=WARNING
    if [[ -n ${IMS_CONFIG_JSON:-} ]]; then echo "$IMS_CONFIG_JSON" >"$DATA/config.json"; fi
    node ${NODE_ARGS:-} out/core/server.js >"$DATA/server.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 150); do ss -Hlun "sport = :$SIP_PORT" | grep -q . && break; sleep 0.1; done
    export TARGET=127.0.0.1:$SIP_PORT SERVER_PID
    export PROVISION="node $PWD/core/server.js users import \"\$USERS_JSON\" --upsert"
    ;;
  kamailio)
    export PROVISION="python3 kamailio/provision.py \"\$USERS_JSON\""
    python3 "$KIT/lib/gen_users.py" --out-dir /tmp/ims-bench-kam-users >/dev/null
    python3 "$KIT/kamailio/provision.py" /tmp/ims-bench-kam-users/users.json >/dev/null
    SERVER_PID=$(cd "$KIT" && CHILDREN=${CHILDREN:-4} kamailio/start.sh)
    export TARGET=127.0.0.1:25060 SERVER_PID
    ;;
  *) echo "usage: $0 ims|kamailio [call|message|options|register]" >&2; exit 2 ;;
esac
cd "$KIT" && ./run.sh "$SCENARIO"
