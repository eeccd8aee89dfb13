#!/usr/bin/env bash
# Authenticated REGISTER load at rising rates against IMS Lab (or Kamailio, side by side), with several
# SIPp generators in parallel (one SIPp tops out near 1,000-1,500 registrations/s). Each registration is
# REGISTER -> 401 -> REGISTER with Authorization -> 200 (../shared/bench/scenarios/register_auth.xml).
#
#   tests/bench/register-ladder.sh ims|kamailio|kamailio-records|floor
#   (floor: tests/bench/udp-floor.cjs, Node's UDP path alone; kamailio-records: Kamailio writing bindings
#   and an accounting row per registration to SQLite, tests/bench/kamailio-records.sh)
#
# Environment (all optional):
#   RATES="1000 2000 4000 6000 8000"  offered registrations/s per step
#   STEP_SECONDS=5        registrations per step = rate x STEP_SECONDS
#   PER_GENERATOR=1000    registrations/s per SIPp process (generators = ceil(rate / PER_GENERATOR))
#   USERS=10000           users provisioned (100000.. ); every step cycles through them
#   STOP_AFTER_FAIL=1     stop after this many steps with failures
#   BENCH_KIT=../shared/bench   the SIPp kit (scenarios, user generator, Kamailio config)
#   OUT_DIR=/tmp/ims-bench-register-<target>
#   SETTLE_SECONDS=0      wait before the final RSS reading (rss_kb_end), e.g. 40 to let transactions end
#   TRANSPORT=udp         udp, tcp (SIPp -t t1: one connection per SIPp) or tls (-t l1, to SIP_TLS_PORT,
#                         TLS 1.2/1.3 with the server's generated certificate; IMS Lab only)
#   IMS_CONFIG_JSON=      the server's config.json for this run (e.g. '{"TRACE.PERSIST": true}')
#   SIPP_ARGS=            more SIPp options for every generator, e.g. -trace_msg (each keeps its messages
#                         in <step dir>/register_auth_<pid>_messages.log)
#   NODE_ARGS=            node options for the IMS Lab server (default none, as shipped; e.g.
#                         --cpu-prof --cpu-prof-dir=/tmp/prof)
# Each step also reports server_cpu_us_per_reg (the server's process-tree CPU time from /proc over the step,
# divided by successful registrations: compare both targets at the same fixed rate) and the 1-min load.
# Prints one line per step and, last, `SUMMARY {json}`: the highest rate with zero failures that was
# also sustained (achieved >= 90% of offered), and each step's p50/p99.
# Bounded: every SIPp has -m and -timeout and an outer timeout; the server is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
TARGET_KIND=${1:-ims}
KIT=$(cd "${BENCH_KIT:-../shared/bench}" && pwd)
RATES=${RATES:-1000 2000 4000 6000 8000}
STEP_SECONDS=${STEP_SECONDS:-5}
PER_GENERATOR=${PER_GENERATOR:-1000}
USERS=${USERS:-10000}
STOP_AFTER_FAIL=${STOP_AFTER_FAIL:-1}
TRANSPORT=${TRANSPORT:-udp}
OUT=${OUT_DIR:-/tmp/ims-bench-register-$TARGET_KIND-$TRANSPORT}
rm -rf "$OUT" && mkdir -p "$OUT/users"
log() { echo "[register-ladder $(date +%H:%M:%S)] $*" >&2; }

free_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

python3 "$KIT/lib/gen_users.py" --count "$USERS" --callee $((100000 + USERS)) --out-dir "$OUT/users" >&2

SERVER_PID=
cleanup() {
  for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
  if [[ $TARGET_KIND == kamailio ]]; then "$KIT/kamailio/stop.sh" >/dev/null 2>&1 || true
  elif [[ $TARGET_KIND == kamailio-records ]]; then tests/bench/kamailio-records.sh stop >/dev/null 2>&1 || true
  elif [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

case $TARGET_KIND in
  ims)
    [[ -f out/core/server.js ]] || { echo "run npm run build first" >&2; exit 1; }
    PORT=$(free_port)
    export IMS_DATA_DIR=$OUT/data SIP_HOST=127.0.0.1 SIP_PORT=$PORT HTTP_PORT=0 LOG_LEVEL=WARNING
    export SIP_WS_PORT=0 SIP_WSS_PORT=0 SIP_TLS_PORT=0
    if [[ $TRANSPORT == tls ]]; then SIP_TLS_PORT=$(free_port); fi
    # IMS_CONFIG_JSON: settings for this run's config.json, e.g. '{"TRACE.PERSIST": true}'.
    mkdir -p "$IMS_DATA_DIR" && if [[ -n ${IMS_CONFIG_JSON:-} ]]; then echo "$IMS_CONFIG_JSON" >"$IMS_DATA_DIR/config.json"; fi
    node core/server.js users import "$OUT/users/users.json" >&2
    node ${NODE_ARGS:-} out/core/server.js >"$OUT/server.log" 2>&1 &
    SERVER_PID=$!
    ;;
  floor)
    # The cheapest Node.js answer (tests/bench/udp-floor.cjs): what the UDP path alone costs.
    PORT=$(free_port)
    node tests/bench/udp-floor.cjs "$PORT" >"$OUT/server.log" 2>&1 &
    SERVER_PID=$!
    ;;
  kamailio)
    python3 "$KIT/kamailio/provision.py" "$OUT/users/users.json" >&2
    SERVER_PID=$(cd "$KIT" && CHILDREN=${CHILDREN:-4} kamailio/start.sh)
    PORT=25060
    ;;
  kamailio-records)
    SERVER_PID=$(CHILDREN=${CHILDREN:-1} tests/bench/kamailio-records.sh start "$OUT/users/users.json")
    PORT=25060
    ;;
  *) echo "usage: $0 ims|kamailio|kamailio-records|floor" >&2; exit 2 ;;
esac
for _ in $(seq 1 150); do ss -Hlun "sport = :$PORT" | grep -q . && break; sleep 0.1; done
SIPP_TRANSPORT=(-t u1)
case $TRANSPORT in
  udp) ;;
  tcp) SIPP_TRANSPORT=(-t t1) ;;
  tls)
    [[ $TARGET_KIND == ims ]] || { echo "TRANSPORT=tls: IMS Lab only" >&2; exit 2; }
    for _ in $(seq 1 50); do ss -Hltn "sport = :$SIP_TLS_PORT" | grep -q . && break; sleep 0.1; done
    PORT=$SIP_TLS_PORT
    # SIPp loads a certificate even as a TLS client: the server's own (generated) one will do.
    SIPP_TRANSPORT=(-t l1 -tls_cert "$OUT/data/tls/cert.pem" -tls_key "$OUT/data/tls/key.pem")
    ;;
  *) echo "TRANSPORT must be udp, tcp or tls" >&2; exit 2 ;;
esac
log "$TARGET_KIND on 127.0.0.1:$PORT $TRANSPORT (pid $SERVER_PID), $USERS users"

# Process-tree CPU ticks and RSS (kB) of the server.
tree_pids() { echo "$SERVER_PID"; pgrep -P "$SERVER_PID" || true; }
cpu_ticks() { local t=0; for p in $(tree_pids); do [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo $t; }
rss_kb() { local t=0; for p in $(tree_pids); do [[ -r /proc/$p/status ]] && t=$((t + $(awk '/VmRSS/ {print $2}' "/proc/$p/status"))); done; echo $t; }

run_step() {  # run_step RATE: prints the step's JSON
  local rate=$1 dir=$OUT/step-$1 gens calls per i
  gens=$(((rate + PER_GENERATOR - 1) / PER_GENERATOR))
  calls=$((rate * STEP_SECONDS))
  per=$((calls / gens))
  mkdir -p "$dir"
  python3 - "$OUT/users/users.csv" "$dir" "$gens" <<'EOF'
import sys
src, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [l for l in open(src).read().splitlines()[1:] if l]
for g in range(n):
    with open(f"{out}/users-{g}.csv", "w") as f:
        f.write("SEQUENTIAL\n" + "\n".join(lines[g::n]) + "\n")
EOF
  local t0 c0 pids=() rssmax=0
  t0=$(date +%s.%N); c0=$(cpu_ticks)
  for ((i = 0; i < gens; i++)); do
    (cd "$dir" && exec timeout -k 5 $((STEP_SECONDS * 4 + 40)) sipp "127.0.0.1:$PORT" \
      -sf "$KIT/scenarios/register_auth.xml" -i 127.0.0.1 -p "$(free_port)" -cp "$(free_port)" \
      "${SIPP_TRANSPORT[@]}" -nostdin -buff_size 4194304 -r $((rate / gens)) -rp 1000 -m "$per" -l "$per" \
      -timeout $((STEP_SECONDS * 4 + 30))s -recv_timeout 10000 -key expires 3600 \
      -inf "users-$i.csv" -trace_stat -stf "stat-$i.csv" -fd 1 -trace_rtt -rtt_freq 1 \
      -trace_err -error_file "errors-$i.log" ${SIPP_ARGS:-}) >"$dir/sipp-$i.out" 2>&1 &
    pids+=($!)
  done
  while kill -0 "${pids[@]}" 2>/dev/null; do
    local r; r=$(rss_kb); ((r > rssmax)) && rssmax=$r
    sleep 0.5
  done
  for p in "${pids[@]}"; do wait "$p" || true; done
  local wall cpu cpu_s load
  wall=$(echo "$(date +%s.%N) - $t0" | bc)
  cpu_s=$(echo "scale=3; ($(cpu_ticks) - $c0) / $(getconf CLK_TCK)" | bc)
  cpu=$(echo "scale=3; $cpu_s / $wall" | bc)
  load=$(cut -d' ' -f1 /proc/loadavg)
  python3 - "$dir" "$rate" "$calls" "$cpu" "$rssmax" "$gens" "$cpu_s" "$load" <<'EOF'
import csv, glob, json, sys
d, rate, calls, cpu, rss, gens = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
cpu_s, load = float(sys.argv[7]), float(sys.argv[8])
ok = failed = 0
for f in glob.glob(f"{d}/stat-*.csv"):
    rows = list(csv.reader(open(f), delimiter=";"))
    if len(rows) < 2: continue
    head, last = rows[0], rows[-1]
    ok += int(last[head.index("SuccessfulCall(C)")])
    failed += int(last[head.index("FailedCall(C)")])
times, stamps = [], []
for f in glob.glob(f"{d}/*_rtt.csv"):
    for row in csv.reader(open(f), delimiter=";"):
        try: stamps.append(float(row[0])); times.append(float(row[1]))
        except (ValueError, IndexError): pass
times.sort()
pct = lambda p: times[min(len(times) - 1, int(p * len(times)))] if times else None
span = (max(stamps) - min(stamps)) / 1000 if len(stamps) > 1 else 0
print(json.dumps({"offered": rate, "generators": gens, "registrations": calls, "successful": ok,
  "failed": failed + max(0, calls - ok - failed), "achieved": round(ok / span, 1) if span else None,
  "p50_ms": pct(0.5), "p99_ms": pct(0.99), "server_cpu_cores": cpu, "server_rss_kb_max": rss,
  # process-tree CPU time (utime + stime from /proc) over the step, per successful registration
  "server_cpu_us_per_reg": round(cpu_s * 1e6 / ok) if ok else None, "loadavg_1m": load}))
EOF
}

steps=() fails=0
for rate in $RATES; do
  log "step $rate/s for ${STEP_SECONDS}s"
  json=$(run_step "$rate")
  steps+=("$json")
  echo "$json" | jq -r '"  offered \(.offered)/s (\(.generators) SIPp) achieved \(.achieved)/s | ok \(.successful) failed \(.failed) | p50/p99 \(.p50_ms)/\(.p99_ms) ms | server cpu \(.server_cpu_cores) cores, \(.server_cpu_us_per_reg) µs/reg, rss \(.server_rss_kb_max / 1024 | floor) MB"' >&2
  if [[ $(echo "$json" | jq .failed) != 0 ]]; then fails=$((fails + 1)); ((fails >= STOP_AFTER_FAIL)) && break; fi
  sleep 2
done
# SETTLE_SECONDS: wait (transactions end 32 s after their last message) before the final RSS reading.
sleep "${SETTLE_SECONDS:-0}"
RSS_END=$(rss_kb)
printf '%s\n' "${steps[@]}" | jq -cs --arg t "$TARGET_KIND" --arg tr "$TRANSPORT" --argjson users "$USERS" --argjson rss "$RSS_END" \
  '{target: $t, transport: $tr, users: $users, rss_kb_end: $rss,
    max_rate_zero_fail_sustained: ([.[] | select(.failed == 0 and .achieved >= 0.9 * .offered) | .offered] | max),
    achieved_at_max: ([.[] | select(.failed == 0 and .achieved >= 0.9 * .offered)] | max_by(.offered) | .achieved),
    steps: .}' | sed 's/^/SUMMARY /'
