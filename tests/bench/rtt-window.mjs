// Call setup times (SIPp's rtd 1, INVITE to 200) of one step, over the whole step and over the calls
// started after its first SKIP seconds: SIPp's caller starts each step with a catch-up burst (about
// 2,000 calls/s for a quarter of a second, seen on the wire with tshark), which a single event loop
// drains over the next second or so.
//
//   node tests/bench/rtt-window.mjs /tmp/ims-bench-ims-call/step-000750 [SKIP=1]
import { readdirSync, readFileSync } from 'node:fs';

const [dir, skipText = '1'] = process.argv.slice(2);
if (dir === undefined) {
  console.error('usage: node tests/bench/rtt-window.mjs STEP_DIR [SKIP_SECONDS]');
  process.exit(2);
}
const skip = Number(skipText) * 1000;
const file = readdirSync(dir).find((n) => n.endsWith('_rtt.csv'));
if (file === undefined) {
  console.error(`${dir}: no SIPp *_rtt.csv`);
  process.exit(1);
}
const calls = readFileSync(`${dir}/${file}`, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(';').map(Number))
  .filter(([, , rtd]) => rtd === 1)
  .map(([end, ms]) => ({ at: end - ms, ms })); // the file has when each rtd ended: its start is before

function quantiles(list) {
  const ms = list.map((c) => c.ms).sort((a, b) => a - b);
  const q = (f) => ms[Math.min(ms.length - 1, Math.floor(f * ms.length))];
  return `${ms.length} calls, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${ms.at(-1)} ms`;
}

const start = Math.min(...calls.map((c) => c.at));
console.log(`whole step: ${quantiles(calls)}`);
console.log(`after ${skip / 1000} s:  ${quantiles(calls.filter((c) => c.at - start >= skip))}`);
