// What the SIP trace's ring costs in memory, beside what it accounts for: feeds a SipTrace through its
// tap with authenticated registrations (REGISTER in, 401 out, REGISTER with Authorization in, 200 out)
// for USERS Call-IDs, MESSAGES messages in all, then prints the process's memory (rss, heap used,
// external, array buffers) before, after, and after a full GC, with the ring's own count of its bytes.
// Bounded by MESSAGES. Run:
//   npx esbuild tests/bench/trace-memory.ts --bundle --platform=node --format=esm \
//     --outfile=out/bench/trace-memory.mjs --external:better-sqlite3 --log-level=warning
//   node --expose-gc --max-semi-space-size=32 out/bench/trace-memory.mjs   (RING=0: the ring off)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMessage, type SipMessage } from '../../core/sip/message/index';
import { MessageTap } from '../../core/sip/transport/message-tap';
import { SipTrace } from '../../core/trace/index';

const USERS = Number(process.env.USERS ?? 100_000);
const MESSAGES = Number(process.env.MESSAGES ?? 500_000);
const RING = Number(process.env.RING ?? 20_000);
const RING_MB = Number(process.env.RING_MB ?? 64);
const LOCAL = { address: '127.0.0.1', port: 5060 };

function register(user: number, cseq: number, auth: boolean): string {
  const port = 10_000 + (user % 50_000);
  return (
    `REGISTER sip:127.0.0.1 SIP/2.0\r\n` +
    `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK-${user}-${cseq}-${Date.now() % 100000};rport\r\n` +
    `From: <sip:${100000 + user}@127.0.0.1>;tag=${user}SIPpTag00${cseq}\r\n` +
    `To: <sip:${100000 + user}@127.0.0.1>\r\n` +
    `Call-ID: ${user}-${(cseq - 1) >> 1}-reg@127.0.0.1\r\n` +
    `CSeq: ${cseq} REGISTER\r\n` +
    `Contact: <sip:${100000 + user}@127.0.0.1:${port};transport=UDP>\r\n` +
    `Max-Forwards: 70\r\nExpires: 3600\r\nUser-Agent: SIPp\r\n` +
    (auth
      ? `Authorization: Digest username="${100000 + user}",realm="ims.lab",nonce="a1b2c3d4e5f60718293a4b5c6d7e8f90",` +
        `uri="sip:127.0.0.1",response="0123456789abcdef0123456789abcdef",algorithm=MD5,qop=auth,nc=00000001,cnonce="1a2b3c4d"\r\n`
      : '') +
    `Content-Length: 0\r\n\r\n`
  );
}

function response(req: string, status: string, extra: string): string {
  const head = req.split('\r\n');
  const keep = head.filter((l) => /^(Via|From|To|Call-ID|CSeq):/.test(l));
  return (
    `SIP/2.0 ${status}\r\n` +
    keep.map((l) => (l.startsWith('To:') ? `${l};tag=ims${l.length}` : l)).join('\r\n') +
    `\r\n${extra}Server: IMS Lab 0.1.0\r\nContent-Length: 0\r\n\r\n`
  );
}

const mem = (label: string, trace?: SipTrace): void => {
  const m = process.memoryUsage();
  const mb = (n: number): string => (n / 1048576).toFixed(1).padStart(7);
  const s = trace?.status();
  process.stdout.write(
    `${label.padEnd(24)} rss ${mb(m.rss)}  heapUsed ${mb(m.heapUsed)}  external ${mb(m.external)}  ` +
      `arrayBuffers ${mb(m.arrayBuffers)}` +
      (s ? `  ring ${s.ringMessages} msgs ${s.dialogs} dialogs ${mb(s.ringBytes)} MB accounted` : '') +
      '\n',
  );
};

const gc = (globalThis as { gc?: () => void }).gc;
// BALLAST_MB: long-lived objects first, as a registrar's bindings are (V8 grows the old generation in
// proportion to what lives there, so garbage costs more beside a larger heap).
const ballast: { user: string; contact: string; expires: number }[] = [];
for (let i = 0; i < Number(process.env.BALLAST_MB ?? 0) * 4096; i++)
  ballast.push({ user: `user-${i}`, contact: `<sip:user-${i}@127.0.0.1:${i % 65536}>`, expires: i });
let maxRss = 0;
const dir = mkdtempSync(join(tmpdir(), 'ims-trace-mem-'));
const tap = new MessageTap();
gc?.();
mem('start');
const trace = new SipTrace(tap, dir, {
  ringMessages: RING,
  ringMB: RING_MB,
  persist: process.env.PERSIST === '1',
  retentionDays: 7,
  dbMB: 256,
  hepCollector: '',
  hepCaptureId: 1,
});
const t0 = process.hrtime.bigint();
let sent = 0;
let n = 0;
while (sent < MESSAGES) {
  const user = n++ % USERS;
  const cseq = 2 * Math.floor(n / USERS) + 1;
  const r1 = register(user, cseq, false);
  const c401 = response(
    r1,
    '401 Unauthorized',
    'WWW-Authenticate: Digest realm="ims.lab",nonce="a1b2c3d4e5f60718293a4b5c6d7e8f90",algorithm=MD5,qop="auth"\r\n',
  );
  const r2 = register(user, cseq + 1, true);
  const c200 = response(r2, '200 OK', `Contact: <sip:${100000 + user}@127.0.0.1>;expires=3600\r\n`);
  const port = 10_000 + (user % 50_000);
  for (const [dirn, text] of [
    ['in', r1],
    ['out', c401],
    ['in', r2],
    ['out', c200],
  ] as const) {
    const data = Buffer.from(text, 'latin1');
    const parsed = dirn === 'in' ? (parseMessage(data) as SipMessage) : undefined;
    tap.emit(dirn, data, 'UDP', LOCAL, '127.0.0.1', port, parsed);
    sent++;
  }
  if (sent % 100_000 === 0) mem(`after ${sent}`, trace);
  if (sent % 4_000 === 0) maxRss = Math.max(maxRss, process.memoryUsage().rss);
}
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
mem('end', trace);
gc?.();
mem('end, after full GC', trace);
process.stdout.write(
  `${sent} messages in ${secs.toFixed(1)} s; rss at most ${(maxRss / 1048576).toFixed(1)} MB; ` +
    `${ballast.length} ballast objects\n`,
);
trace.stop();
rmSync(dir, { recursive: true, force: true });
