#!/usr/bin/env bash
# The share of the server's busy CPU spent in the SIP trace, per scenario and mode, from a CPU profile of
# one bounded step (kit-ladder.sh with NODE_ARGS=--cpu-prof) read by trace-share.mjs. Complements
# trace-cost.sh, whose throughput figures the shared machine's load makes noisy.
#
#   BENCH_KIT=../shared/bench tests/bench/trace-share.sh
#
# Environment: REG_RATE=400, CALL_RATE=150, STEP_SECONDS=10, MODES="ring persist".
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=${OUT_DIR:-/tmp/ims-bench-trace-share}
rm -rf "$OUT" && mkdir -p "$OUT"
for scen in register call; do
  if [[ $scen == register ]]; then rate=${REG_RATE:-400}; else rate=${CALL_RATE:-150}; fi
  for mode in ${MODES:-ring persist}; do
    case $mode in ring) cfg='{}' ;; persist) cfg='{"TRACE.PERSIST": true}' ;; *) cfg='{"TRACE.RING_MESSAGES": 0}' ;; esac
    prof=$OUT/prof-$scen-$mode
    IMS_CONFIG_JSON=$cfg NODE_ARGS="--cpu-prof --cpu-prof-dir=$prof" RATES=$rate STEP_SECONDS=${STEP_SECONDS:-10} \
      SIP_PORT=25170 UAC_PORT=25171 UAS_PORT=25172 UAC_CPORT=25173 UAS_CPORT=25174 UAC_MPORT=25176 UAS_MPORT=25180 \
      OUT_DIR=$OUT/ladder-$scen-$mode tests/bench/kit-ladder.sh ims "$scen" >"$OUT/$scen-$mode.log" 2>&1 || true
    file=$(ls -S "$prof"/*.cpuprofile 2>/dev/null | head -1 || true)
    if [[ -z $file ]]; then echo "RESULT $scen $mode: no profile (see $OUT/$scen-$mode.log)"; continue; fi
    step=$(ls "$OUT/ladder-$scen-$mode"/steps/*.json | head -1)
    echo "RESULT $scen $mode $(node tests/bench/trace-share.mjs "$file") $(jq -c '{achieved: .achieved_rate, failed, others_cpu: .others_cpu_cores}' "$step")"
  done
done
