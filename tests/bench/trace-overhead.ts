// Measures what a held message and a dialog cost the ring beyond the message's bytes (RECORD_OVERHEAD_BYTES,
// DIALOG_OVERHEAD_BYTES): fills a ring with N messages in 10 dialogs, then N messages each of a Call-ID of
// its own, and divides the JS heap each holds (after a full GC; the bytes are in the arena, not the heap).
// Run: npx esbuild tests/bench/trace-overhead.ts --bundle --platform=node --format=esm \
//        --outfile=out/bench/trace-overhead.mjs --log-level=warning && node --expose-gc out/bench/trace-overhead.mjs
import { parseMessage, type SipMessage } from '../../core/sip/message/index';
import type { TappedMessage } from '../../core/sip/transport/message-tap';
import { TraceRing } from '../../core/trace/trace-ring';

const N = 100_000;
const LOCAL = { address: '127.0.0.1', port: 5060 };
const gc = (globalThis as { gc?: () => void }).gc!;
const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

function tapped(n: number, callId: string, dir: 'in' | 'out'): TappedMessage {
  const text =
    `REGISTER sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:${10000 + (n % 50000)};branch=z9hG4bK-${n}\r\n` +
    `From: <sip:${n}@127.0.0.1>;tag=${n}\r\nTo: <sip:${n}@127.0.0.1>\r\nCall-ID: ${callId}\r\nCSeq: 1 REGISTER\r\n` +
    `Contact: <sip:${n}@127.0.0.1:${10000 + (n % 50000)}>\r\nContent-Length: 0\r\n\r\n`;
  const data = Buffer.from(text, 'latin1');
  return {
    direction: dir,
    data,
    timeUs: 1_700_000_000_000_000 + n,
    transport: 'UDP',
    local: LOCAL, // the transport's own, fixed once it listens
    // A string of its own per message, as the transport's is.
    remote: { address: ['127', '0', '0', String(1 + (n % 3))].join('.'), port: 10000 + (n % 50000) },
    message: dir === 'in' ? (parseMessage(data) as SipMessage) : undefined,
    error: undefined,
  };
}

function fill(callIdOf: (n: number) => string): number {
  const ring = new TraceRing({ maxMessages: N, maxBytes: 1 << 30 });
  const before = heap();
  for (let n = 0; n < N; n++) ring.add(n + 1, tapped(n, callIdOf(n), n % 2 === 0 ? 'in' : 'out'));
  const held = heap() - before;
  if (ring.size !== N) throw new Error('ring did not hold every message');
  return held + 0 * ring.size;
}

const few = fill((n) => `few-${n % 10}@127.0.0.1`);
const own = fill((n) => `own-${String(n).padStart(6, '0')}-0123456789abcdef@127.0.0.1`);
const record = few / N;
const dialog = (own - few) / N;
process.stdout.write(
  `${N} messages, JS heap held: in 10 dialogs ${(few / 1048576).toFixed(1)} MB (${record.toFixed(0)} B/message), ` +
    `in ${N} dialogs ${(own / 1048576).toFixed(1)} MB (${dialog.toFixed(0)} B/dialog beyond its message)\n`,
);
