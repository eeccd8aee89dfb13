// The ring's arena: copies written in order into chunks, an emptied chunk written again (one spare kept),
// a large message in a buffer of its own, every byte counted. And, through a tiny ring whose chunks are
// written again every hundred messages or so, that nothing which keeps a message after the ring lets it
// go (trace.db's batch, HEP, a reader's copy) ever sees a later message's bytes.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace, type TraceConfig } from '../../../core/trace/index';
import { chunkBytesFor, TraceArena, type Placement } from '../../../core/trace/trace-arena';
import { PROXY, CALLER } from './flow';
import { traceConfig } from './config';

const at = (): Placement => ({ chunk: Buffer.alloc(0), start: 0, end: 0 });
const bytesOf = (p: Placement): string => p.chunk.toString('latin1', p.start, p.end);

describe('trace arena', () => {
  it('writes copies in order, reuses the chunk emptied first, and counts every chunk it holds', () => {
    const arena = new TraceArena(1024);
    const held: Placement[] = [];
    // 100-byte copies: 10 per 1 KiB chunk.
    for (let n = 0; n < 25; n++) {
      const p = at();
      arena.copy(Buffer.from(String(n).padStart(100, '.')), p);
      held.push(p);
    }
    expect(arena.bytes).toBe(3 * 1024);
    expect(held.map(bytesOf)).toEqual(held.map((_, n) => String(n).padStart(100, '.')));
    // The first chunk's ten go: it becomes the spare, still counted.
    for (const p of held.splice(0, 10)) arena.release(p);
    expect(arena.hasSpare).toBe(true);
    expect(arena.bytes).toBe(3 * 1024);
    // Filling the third chunk and starting a fourth takes the spare: no new chunk.
    const firstChunk = held[0]!.chunk;
    for (let n = 25; n < 35; n++) {
      const p = at();
      arena.copy(Buffer.from(String(n).padStart(100, '.')), p);
      held.push(p);
    }
    expect(arena.bytes).toBe(3 * 1024);
    expect(held[held.length - 1]!.chunk).not.toBe(firstChunk);
    expect(held.map(bytesOf)).toEqual(held.map((_, i) => String(i + 10).padStart(100, '.')));
    // Two chunks empty: one is kept as the spare, the other given back.
    for (const p of held.splice(0, 20)) arena.release(p);
    expect(arena.bytes).toBe(2 * 1024);
    arena.dropSpare();
    expect(arena.bytes).toBe(1024);
  });

  it('gives a message larger than a chunk a buffer of its own, and writes the only chunk again once empty', () => {
    const arena = new TraceArena(1024);
    const small = at();
    arena.copy(Buffer.alloc(600, 'a'), small);
    const large = at();
    arena.copy(Buffer.alloc(5000, 'b'), large);
    expect(large.chunk).not.toBe(small.chunk);
    expect(arena.bytes).toBe(1024 + 5000);
    arena.release(small);
    arena.release(large);
    expect(arena.bytes).toBe(1024);
    const again = at();
    arena.copy(Buffer.alloc(600, 'c'), again);
    expect(again.chunk).toBe(small.chunk);
    expect(again.start).toBe(0);
    expect(arena.bytes).toBe(1024);
  });

  it('sizes chunks at most a sixteenth of the ring, between 16 KiB and 1 MiB', () => {
    expect(chunkBytesFor(64 * 1024 * 1024)).toBe(1024 * 1024);
    expect(chunkBytesFor(1024 * 1024)).toBe(64 * 1024);
    expect(chunkBytesFor(1000)).toBe(16 * 1024);
  });
});

describe('a tiny ring whose chunks are written again and again', () => {
  const dirs: string[] = [];
  const traces: SipTrace[] = [];
  afterEach(() => {
    for (const t of traces.splice(0)) t.stop();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const make = (config: Partial<TraceConfig>): { tap: MessageTap; trace: SipTrace } => {
    const dir = mkdtempSync(join(tmpdir(), 'ims-trace-arena-'));
    dirs.push(dir);
    const tap = new MessageTap();
    const trace = new SipTrace(
      tap,
      dir,
      traceConfig({ ringMessages: 3, ringMB: 1, dbMB: 64, hepCaptureId: 1, ...config }),
    );
    traces.push(trace);
    return { tap, trace };
  };
  /** A distinct message of about 500 bytes, Call-ID of its own. */
  const message = (n: number): string =>
    `MESSAGE sip:${n}@ims.lab SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5061;branch=z9hG4bKa${n}\r\n` +
    `From: <sip:a@ims.lab>;tag=${n}\r\nTo: <sip:${n}@ims.lab>\r\nCall-ID: arena-${n}\r\nCSeq: 1 MESSAGE\r\n` +
    `X-Fill: ${String(n)
      .repeat(Math.ceil(360 / String(n).length))
      .slice(0, 360)}\r\nContent-Length: 0\r\n\r\n`;
  const emit = (tap: MessageTap, n: number): void =>
    tap.emit('in', Buffer.from(message(n), 'latin1'), 'UDP', PROXY, CALLER.address, CALLER.port);

  it("trace.db's batch keeps each message's own bytes, though the ring wrote over them before the batch", () => {
    const { tap, trace } = make({ persist: true });
    // 1,000 messages of 500 bytes through 64 KiB chunks: each chunk written again about 8 times, all in
    // one batch (the batch timer has not fired).
    for (let n = 0; n < 1000; n++) emit(tap, n);
    expect(trace.status().ringMessages).toBe(3);
    expect(trace.status().ringBytes).toBeLessThanOrEqual(1024 * 1024);
    trace.flush();
    for (const n of [0, 1, 129, 130, 500, 998]) {
      const stored = trace.messages(`arena-${n}`);
      expect(stored).toHaveLength(1);
      expect(stored[0]!.data.toString('latin1')).toBe(message(n));
    }
  });

  it('a copy a reader took (messages, the ladder) stays as it was while the ring moves on', () => {
    const { tap, trace } = make({});
    emit(tap, 1);
    const kept = trace.messages('arena-1');
    for (let n = 2; n < 1000; n++) emit(tap, n);
    expect(kept[0]!.data.toString('latin1')).toBe(message(1));
    expect(trace.messages('arena-999')[0]!.data.toString('latin1')).toBe(message(999));
    expect(trace.messages('arena-1')).toHaveLength(0);
  });

  it('HEP sends each message as it was, though the ring writes over it before the datagram leaves', async () => {
    const collector = createSocket('udp4');
    const payloads: string[] = [];
    collector.on('message', (packet) => {
      // The payload chunk (type 15) is the last one: its 6-byte header, then the message.
      const text = packet.toString('latin1');
      const start = text.indexOf('MESSAGE sip:');
      payloads.push(text.slice(start));
    });
    await new Promise<void>((resolve) => collector.bind(0, '127.0.0.1', resolve));
    try {
      const { tap } = make({ hepCollector: `127.0.0.1:${collector.address().port}` });
      const count = 400;
      // In bursts of 20 (a burst of 400 datagrams may overflow the socket's buffer), each chunk written
      // again every 130 messages or so.
      for (let n = 0; n < count; n++) {
        emit(tap, n);
        const deadline = Date.now() + 2000;
        if (n % 20 === 19)
          while (payloads.length < n + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      }
      expect(payloads).toHaveLength(count);
      expect(new Set(payloads)).toEqual(new Set(Array.from({ length: count }, (_, n) => message(n))));
    } finally {
      collector.close();
    }
  });

  it("a live update asked for later says nothing of a dialog the ring forgot, not another's", () => {
    const { tap, trace } = make({});
    const later: { callId: string; summary: () => { callId: string } | undefined }[] = [];
    trace.on((u) => later.push(u));
    for (let n = 0; n < 10; n++) emit(tap, n);
    // The ring holds the last 3 (one message each): the first 7 dialogs' records went to newer ones.
    expect(later.map((u) => u.summary()?.callId)).toEqual([
      ...Array.from({ length: 7 }, () => undefined),
      'arena-7',
      'arena-8',
      'arena-9',
    ]);
  });

  it('a live listener reads each message whole while it is called', () => {
    const { tap, trace } = make({});
    const seen: string[] = [];
    trace.on((u) => seen.push(u.message.data.toString('latin1')));
    for (let n = 0; n < 300; n++) emit(tap, n);
    expect(seen).toEqual(Array.from({ length: 300 }, (_, n) => message(n)));
  });
});
