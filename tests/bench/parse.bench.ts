// Message-layer throughput on one core: what a proxy does to every message it relays.
//   INVITE (with SDP): parse, check every known header, read what routing reads, then the §16.6 edits
//   (received/rport on the top Via, Max-Forwards, our Via, Record-Route, new Request-URI) and serialize.
//   200 OK to REGISTER: parse, check, read the routing headers, pop our Via (§16.7) and serialize.
// Bounded: each case runs for BENCH_SECONDS (default 3) after a warm-up. Run: npm run bench:parse
import { readFileSync } from 'node:fs';
import {
  SipParseError,
  SipRequest,
  SipResponse,
  checkMessage,
  parseMessage,
} from '../../core/sip/message/index';

// Run from the project root (npm run bench:parse); the bundle lives in out/bench.
const invite = readFileSync('tests/bench/messages/invite.sip');
const ok200 = readFileSync('tests/bench/messages/register-200.sip');
const seconds = Number(process.env.BENCH_SECONDS ?? 3);
let sink = 0;

function relayInvite(buf: Buffer, n: number): void {
  const msg = parseMessage(buf);
  if (msg instanceof SipParseError || !(msg instanceof SipRequest) || checkMessage(msg, 'routing') !== null)
    throw new Error('bad');
  const uri = msg.requestUri;
  const top = msg.topVia;
  const branch = top.branch;
  const fromTag = msg.from.tag;
  const toTag = msg.to.tag;
  const callId = msg.callId;
  const cseq = msg.cseq;
  const mf = msg.maxForwards;
  const routes = msg.routes;
  if (mf === 0 || routes.length > 0 || toTag !== undefined || uri.kind !== 'sip') throw new Error('bad');
  sink += (branch?.length ?? 0) + (fromTag?.length ?? 0) + callId.length + cseq.seq;
  // §18.2.1 / RFC 3581 §4: record where the request really came from.
  msg.replaceTopVia(top.stamped('192.168.1.10', 5062));
  msg.decrementMaxForwards();
  msg.prependHeader('Via', `SIP/2.0/UDP 192.168.1.20:5060;branch=z9hG4bK-ims-${n.toString(36)};rport`);
  msg.prependHeader('Record-Route', '<sip:192.168.1.20:5060;lr>');
  msg.setUri('sip:1002@192.168.1.30:5064;transport=udp');
  sink += msg.toBuffer().length;
}

function relayResponse(buf: Buffer): void {
  const msg = parseMessage(buf);
  if (msg instanceof SipParseError || !(msg instanceof SipResponse) || checkMessage(msg, 'routing') !== null)
    throw new Error('bad');
  const top = msg.topVia;
  sink +=
    msg.status + (top.branch?.length ?? 0) + msg.cseq.seq + msg.callId.length + (msg.to.tag?.length ?? 0);
  msg.removeFirstValue('via');
  sink += msg.toBuffer().length;
}

function measure(name: string, fn: (n: number) => void): number {
  for (let i = 0; i < 50_000; i++) fn(i);
  let n = 0;
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(Math.round(seconds * 1e9));
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 5_000; i++) fn(n++);
    now = process.hrtime.bigint();
  }
  const cpu = process.cpuUsage(cpu0);
  const secs = Number(now - start) / 1e9;
  const rate = n / secs;
  const usPer = (secs * 1e6) / n;
  // CPU time per message too: on a shared machine the wall-clock rate drops whenever another process
  // takes the core, the CPU time much less so.
  const cpuPer = (cpu.user + cpu.system) / n;
  process.stdout.write(
    `${name.padEnd(44)} ${Math.round(rate).toLocaleString('en-US').padStart(10)} msg/s  ${usPer.toFixed(2)} µs/msg  (${cpuPer.toFixed(2)} µs CPU/msg, ${Math.round(1e6 / cpuPer).toLocaleString('en-US')}/s of CPU)\n`,
  );
  return rate;
}

process.stdout.write(`Node ${process.version}, ${seconds}s per case, one core\n`);
measure('INVITE+SDP parse, check, relay edits, serialize', (n) => relayInvite(invite, n));
measure('200/REGISTER parse, check, pop Via, serialize', () => relayResponse(ok200));
measure('INVITE+SDP parse only', () => {
  sink += (parseMessage(invite) as SipRequest).fields.length;
});
if (sink === 42) process.stdout.write('\n');
