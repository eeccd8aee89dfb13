// What the SIP trace costs per message on one core, beside the message layer's own figures
// (parse.bench.ts): the tap with nobody listening (the transport's one branch), a message captured into
// the ring (copy, index by Call-ID, retransmission check; a sent message has its Call-ID read from its
// bytes, a received one was parsed already; and a registration load, a new Call-ID every four messages),
// and the same with trace.db on (queued, written in batches of 1,000 in one transaction, trimmed). Bounded: BENCH_SECONDS (default 3) per case after a warm-up.
// Run: npm run bench:trace
import { mkdtempSync, rmSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMessage, type SipMessage } from '../../core/sip/message/index';
import { MessageTap } from '../../core/sip/transport/message-tap';
import { SipTrace, type TraceConfig } from '../../core/trace/index';

const invite = readFileSync('tests/bench/messages/invite.sip');
const ok200 = readFileSync('tests/bench/messages/register-200.sip');
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
const LOCAL = { address: '127.0.0.1', port: 5060 };
let sink = 0;

function measure(name: string, fn: (n: number) => void): number {
  for (let i = 0; i < 50_000; i++) fn(i);
  let n = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 5_000; i++) fn(n++);
    now = process.hrtime.bigint();
  }
  const secs = Number(now - start) / 1e9;
  const usPer = (secs * 1e6) / n;
  process.stdout.write(
    `${name.padEnd(52)} ${Math.round(n / secs)
      .toLocaleString('en-US')
      .padStart(10)} msg/s  ${usPer.toFixed(2)} µs/msg\n`,
  );
  return usPer;
}

/** Each message with a Call-ID of its own every 10 (a dialog of 10 messages), as a proxy sees them. */
function withCallId(buf: Buffer, n: number): Buffer {
  const text = buf.toString('latin1').replace(/Call-ID: [^\r]+/i, `Call-ID: bench-${Math.floor(n / 10)}`);
  return Buffer.from(text, 'latin1');
}

const CONFIG: TraceConfig = {
  ringMessages: Number(process.env.RING ?? 20_000),
  ringMB: 64,
  persist: false,
  retentionDays: 7,
  dbMB: 256,
  hepCollector: '',
  hepCaptureId: 1,
};

/** A registration load: a REGISTER's four messages per Call-ID, each Call-ID new (200,000 messages). */
const CHURN = 200_000;
const churn = Array.from({ length: CHURN }, (_, n) => {
  const text = ok200.toString('latin1').replace(/Call-ID: [^\r]+/i, `Call-ID: reg-${Math.floor(n / 4)}`);
  return Buffer.from(text, 'latin1');
});
const churnParsed = churn.map((b, n) => (n % 2 === 0 ? (parseMessage(b) as SipMessage) : undefined));

const dir = mkdtempSync(join(tmpdir(), 'ims-trace-bench-'));
const invites = Array.from({ length: 10_000 }, (_, n) => withCallId(invite, n));
const oks = Array.from({ length: 10_000 }, (_, n) => withCallId(ok200, n));
const parsed = invites.map((b) => parseMessage(b) as SipMessage);

process.stdout.write(`Node ${process.version}, ${seconds}s per case, one core\n`);
const idle = new MessageTap();
measure("tap, nobody listening (the transport's branch)", (n) => {
  if (idle.active) idle.emit('out', invites[n % 10_000]!, 'UDP', LOCAL, '127.0.0.1', 5062);
  else sink++;
});

for (const persist of [false, true]) {
  const tap = new MessageTap();
  const trace = new SipTrace(tap, dir, { ...CONFIG, persist });
  const what = persist ? 'ring + trace.db' : 'ring';
  measure(`${what}: INVITE+SDP received (parsed already)`, (n) => {
    tap.emit('in', invites[n % 10_000]!, 'UDP', LOCAL, '127.0.0.1', 5061, parsed[n % 10_000]);
    if (persist && n % 1000 === 999) trace.flush();
  });
  measure(`${what}: INVITE+SDP sent (read for the index)`, (n) => {
    tap.emit('out', invites[n % 10_000]!, 'UDP', LOCAL, '127.0.0.1', 5062);
    if (persist && n % 1000 === 999) trace.flush();
  });
  measure(`${what}: 200/REGISTER sent`, (n) => {
    tap.emit('out', oks[n % 10_000]!, 'UDP', LOCAL, '127.0.0.1', 5061);
    if (persist && n % 1000 === 999) trace.flush();
  });
  measure(`${what}: a new Call-ID every 4 messages, half in`, (n) => {
    const parsedIn = churnParsed[n % CHURN];
    if (parsedIn !== undefined) tap.emit('in', churn[n % CHURN]!, 'UDP', LOCAL, '127.0.0.1', 5061, parsedIn);
    else tap.emit('out', churn[n % CHURN]!, 'UDP', LOCAL, '127.0.0.1', 5061);
    if (persist && n % 1000 === 999) trace.flush();
  });
  trace.stop();
}
rmSync(dir, { recursive: true, force: true });
if (sink === 42) process.stdout.write('\n');
