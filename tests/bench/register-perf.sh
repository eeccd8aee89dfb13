#!/usr/bin/env bash
# Where a registration's CPU goes, by `perf` samples of the server's threads (kernel and user, every
# thread: the event loop, the store worker, V8's helpers), split into the parts of the work:
# tests/bench/perf-split.py. Runs the REGISTER ladder (register-ladder.sh, 3 steps at RATE) and samples
# the second step for PERF_SECONDS. Needs Linux perf (Debian: linux-perf) and perf_event_paranoid <= 1
# or root. The sampling slows the server a little: compare the split, not the µs, with the ladder's own.
#
#   tests/bench/register-perf.sh ims|kamailio     (env as register-ladder.sh; RATE=2000, PERF_SECONDS=8)
# For IMS Lab the server runs with --perf-basic-prof so that perf can name its JavaScript.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET_KIND=${1:-ims}
RATE=${RATE:-2000}
STEP_SECONDS=${STEP_SECONDS:-10}
PERF_SECONDS=${PERF_SECONDS:-8}
OUT=${OUT_DIR:-/tmp/ims-bench-perf-$TARGET_KIND}
command -v perf >/dev/null || { echo "perf is not installed (Debian: linux-perf)" >&2; exit 2; }
rm -rf "$OUT" && mkdir -p "$OUT"

server_pids() {
  if [[ $TARGET_KIND == ims ]]; then pgrep -f "out/core/server.js" | head -1
  elif [[ $TARGET_KIND == floor ]]; then pgrep -f "udp-floor.cjs" | head -1
  else pgrep -d, -x kamailio; fi
}

RATES="$RATE $RATE $RATE" STEP_SECONDS=$STEP_SECONDS NODE_ARGS="${NODE_ARGS:-} --perf-basic-prof" \
  OUT_DIR="$OUT/ladder" tests/bench/register-ladder.sh "$TARGET_KIND" >"$OUT/ladder.out" 2>"$OUT/ladder.err" &
LADDER=$!
trap 'kill $LADDER 2>/dev/null || true' EXIT
PIDS=
for _ in $(seq 1 120); do PIDS=$(server_pids || true); [[ -n $PIDS ]] && break; sleep 0.5; done
[[ -n $PIDS ]] || { echo "no $TARGET_KIND server seen" >&2; exit 1; }
# The first step warms up (credentials, JIT); sample the middle of the second.
until grep -q "offered" "$OUT/ladder.err" 2>/dev/null; do
  kill -0 $LADDER 2>/dev/null || { echo "the ladder ended early: $OUT/ladder.err" >&2; exit 1; }
  sleep 0.5
done
sleep 2
PIDS=$(server_pids)
timeout -k 5 $((PERF_SECONDS + 10)) perf record -q -F 999 -g -p "$PIDS" -o "$OUT/perf.data" -- sleep "$PERF_SECONDS" 2>/dev/null
wait $LADDER || true
trap - EXIT
perf script -i "$OUT/perf.data" -F tid,ip,sym 2>/dev/null >"$OUT/perf.txt"
grep -o '"server_cpu_us_per_reg":[0-9.]*' "$OUT/ladder.out" | tr '\n' ' ' >&2; echo >&2
python3 tests/bench/perf-split.py "$OUT/perf.txt" "$TARGET_KIND" "$((RATE * PERF_SECONDS))"
