#!/usr/bin/env bash
# What the SIP trace costs the registrar and the proxy. One server, one bounded ladder of equal steps at a
# fixed rate below saturation (the kit's run.sh through kit-ladder.sh); after every step a hook switches
# the trace (SET TRACE over the mml client) to the next of three modes, so consecutive steps run
#   off      TRACE.RING_MESSAGES=0: nobody follows the transport's tap
#   ring     the default: every message kept in the memory ring
#   persist  the ring and trace.db (SET TRACE STATE=ON)
# and the machine's noise (six helpers share two cores) falls on every mode alike. On one event loop the
# CPU a request takes bounds the throughput, so the figure compared is the server's CPU per operation
# (server cores / achieved rate, per step), median over the rounds; each step also says how busy the
# rest of the machine was (others_cpu_cores).
#
#   BENCH_KIT=../shared/bench tests/bench/trace-cost.sh register|call
#
# Environment: RATE (default 400 registrations/s, 150 calls/s), ROUNDS=3, STEP_SECONDS=10.
set -euo pipefail
cd "$(dirname "$0")/../.."
SCEN=${1:-register}
ROUNDS=${ROUNDS:-3}
STEP_SECONDS=${STEP_SECONDS:-10}
if [[ $SCEN == register ]]; then RATE=${RATE:-400}; else RATE=${RATE:-150}; fi
OUT=${OUT_DIR:-/tmp/ims-bench-trace-cost-$SCEN}
rm -rf "$OUT" && mkdir -p "$OUT"
HTTP=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
PASSWORD=trace-cost-$$
MODES=(off ring persist)
# Steps at RATE, RATE+1, ... (run.sh names a step by its rate): 3 modes x ROUNDS.
RATES=$(seq -s ' ' "$RATE" $((RATE + 3 * ROUNDS - 1)))
echo 0 >"$OUT/step-index"
cat >"$OUT/hook.sh" <<HOOK
#!/usr/bin/env bash
# After each step (not the warm-up): the next step runs in the next mode.
[[ \$(basename "\$STEP_DIR") == warmup ]] && exit 0
i=\$(( \$(cat "$OUT/step-index") + 1 )); echo \$i >"$OUT/step-index"
case \$(( i % 3 )) in
  0) cmd='SET TRACE RINGMSG=0 STATE=OFF' ;;
  1) cmd='SET TRACE RINGMSG=20000 STATE=OFF' ;;
  2) cmd='SET TRACE RINGMSG=20000 STATE=ON' ;;
esac
cd "$PWD" && IMS_URL=http://127.0.0.1:$HTTP IMS_ADMIN_PASSWORD=$PASSWORD node core/server.js mml "\$cmd" | head -3
HOOK
chmod +x "$OUT/hook.sh"
IMS_CONFIG_JSON='{"TRACE.RING_MESSAGES": 0}' IMS_ADMIN_PASSWORD=$PASSWORD HTTP_PORT=$HTTP RATES=$RATES \
  STEP_SECONDS=$STEP_SECONDS STOP_AFTER=1000 COOLDOWN=2 STEP_HOOK="$OUT/hook.sh" OUT_DIR=$OUT/ladder \
  SIP_PORT=${SIP_PORT:-25170} UAC_PORT=25171 UAS_PORT=25172 UAC_CPORT=25173 UAS_CPORT=25174 \
  UAC_MPORT=25176 UAS_MPORT=25180 tests/bench/kit-ladder.sh ims "$SCEN" >"$OUT/ladder.log" 2>&1 || true
i=0
for step in $(ls "$OUT/ladder/steps/"*.json | sort); do
  jq -c --arg mode "${MODES[$((i % 3))]}" \
    '{mode: $mode, offered: .offered_rate, achieved: .achieved_rate, failed, p99_ms: .response_ms.rtd1.p99_ms,
      cpu: .server.cpu_cores, others_cpu: .others_cpu_cores,
      cpu_us_per_op: (if .achieved_rate and .server.cpu_cores then (.server.cpu_cores / .achieved_rate * 1e6) else null end)}' "$step"
  i=$((i + 1))
done | tee "$OUT/results.jsonl"
# Steps with failures (timeouts and retransmissions inflate the work per operation) are left out.
jq -s -r --arg scen "$SCEN" '
  map(select(.failed == 0 and .cpu_us_per_op != null)) |
  (map(select(.mode == "off")) | map(.cpu_us_per_op) | sort | .[length / 2 | floor]) as $off |
  group_by(.mode)[] | {mode: .[0].mode, us: (map(.cpu_us_per_op) | sort | .[length / 2 | floor]),
    all: (map(.cpu_us_per_op | floor) | tostring), failed: (map(.failed) | add),
    others: (map(.others_cpu) | tostring)} |
  "\($scen)\t\(.mode)\tmedian \(.us | floor) µs CPU/op (steps \(.all))\tfailed \(.failed)\tcost \(if $off then "\(((.us / $off - 1) * 1000 | round) / 10)%" else "n/a (no clean off step)" end)\tothers (cores) \(.others)"' \
  "$OUT/results.jsonl" | sed 's/^/RESULT /'
