// The share of a server's busy CPU spent in the SIP trace, from a V8 CPU profile (node --cpu-prof) of
// out/core/server.js: frames are mapped to their TypeScript source through the bundle's source map, and
// the time of every call into the trace from outside it (the tap's emit, the trace's listener, the
// trace.db batches, HEP) is summed with everything it calls (parsing a sent message for its Call-ID
// included). A ratio inside one process: the machine's other load does not bias it the way it biases
// a throughput figure.
//   node tests/bench/trace-share.mjs <file.cpuprofile> [out/core/server.js.map]
import { readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

const [profileFile, mapFile = 'out/core/server.js.map'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(profileFile, 'utf8'));
const map = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
const TRACE_SOURCE = /core\/trace\/|core\/sip\/transport\/(message-tap|log-tap)\.ts$/;

const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const isTrace = (n) => {
  const f = n.callFrame;
  if (!f.url.endsWith('server.js') || f.lineNumber < 0) return false;
  const e = map.findEntry(f.lineNumber, f.columnNumber);
  return e !== undefined && typeof e.originalSource === 'string' && TRACE_SOURCE.test(e.originalSource);
};
const inclusive = (n) =>
  (self.get(n.id) ?? 0) + (n.children ?? []).reduce((t, c) => t + inclusive(nodes.get(c)), 0);
let busy = 0;
for (const [id, t] of self)
  if (!['(idle)', '(program)'].includes(nodes.get(id).callFrame.functionName)) busy += t;
let trace = 0;
const walk = (n) => {
  if (isTrace(n)) {
    trace += inclusive(n);
    return;
  }
  for (const c of n.children ?? []) walk(nodes.get(c));
};
walk(profile.nodes[0]);
console.log(
  JSON.stringify({
    busy_ms: Math.round(busy / 1000),
    trace_ms: Math.round(trace / 1000),
    trace_share: +(trace / busy).toFixed(4),
  }),
);
