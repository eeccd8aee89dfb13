// Drift-free pacing: the media clock and a real RtpSession driven by a fake monotonic clock with late,
// irregular wake-ups. A 10-minute call sends exactly 30,000 packets with timestamps 160 apart, and each
// packet leaves at the first wake-up after its ideal time.
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { MediaClock } from '../../../core/media/media-clock';
import { PacketSchedule } from '../../../core/media/packet-schedule';
import { RtpPortPool } from '../../../core/media/port-pool';
import { parseRtp } from '../../../core/media/rtp-packet';
import { RtpSession } from '../../../core/media/rtp-session';

/** A deterministic pseudo-random sequence (so a failure repeats). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1664525 + 1013904223) % 2 ** 32) / 2 ** 32;
}

describe('packet schedule', () => {
  it('hands out exactly 30,000 packets over 10 minutes whatever the wake-up jitter', () => {
    const rnd = lcg(7);
    const s = new PacketSchedule(1000, Math.round(600_000 / 20));
    let now = 1000;
    let sent = 0;
    while (!s.done) {
      sent += s.take(now).count;
      // Wake-ups 1-45 ms apart: sometimes several packets are due at once.
      now += 1 + rnd() * 44;
    }
    expect(sent).toBe(30_000);
    expect(s.timeOf(29_999)).toBe(1000 + 599_980);
  });

  it('without a total, counts packets by elapsed time: 10 minutes of wake-ups = 30,000 packets', () => {
    const rnd = lcg(3);
    const s = new PacketSchedule(0);
    let now = 0;
    let sent = 0;
    while (now < 600_000) {
      sent += s.take(now).count;
      now += 10 + rnd() * 15;
    }
    sent += s.take(599_999.9).count;
    expect(sent).toBe(30_000);
  });
});

describe('RTP session on a fake clock', () => {
  it('sends 10 minutes as 30,000 packets ±1 with consecutive sequence numbers and timestamps', async () => {
    const rnd = lcg(11);
    let now = 0;
    const clock = new MediaClock(() => now);
    const pool = new RtpPortPool(41000, 41999);
    const sockets = await pool.open('127.0.0.1');
    const rx = createSocket('udp4');
    await new Promise<void>((r) => rx.bind(0, '127.0.0.1', () => r()));
    rx.setRecvBufferSize(8 * 1024 * 1024);
    const got: Buffer[] = [];
    rx.on('message', (b) => got.push(b));
    const session = new RtpSession(sockets, pool, clock, { cname: 'test', record: false });
    let finished = false;
    session.onFinished = () => (finished = true);
    const lateness: number[] = [];
    session.onSendLateness = (ms) => lateness.push(ms);
    session.start({
      remote: { address: '127.0.0.1', port: rx.address().port },
      payloadType: 0,
      law: 'PCMU',
      audio: Buffer.alloc(8000, 0xff),
      durationMs: 600_000,
    });
    clock.stop(); // the test drives the clock by hand
    let steps = 0;
    while (!finished) {
      now += 1 + rnd() * 30;
      clock.tick();
      clock.stop();
      if (++steps % 100 === 0) await new Promise((r) => setTimeout(r, 1));
    }
    const summary = session.close();
    expect(Math.abs(summary.sent.packets - 30_000)).toBeLessThanOrEqual(1);
    // Every packet went out at the first wake-up after its time: never early, at most one step late.
    expect(Math.min(...lateness)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...lateness)).toBeLessThanOrEqual(31);
    // Let the datagrams arrive, then check the stream's header fields.
    for (let i = 0; i < 100 && got.length < summary.sent.packets; i++)
      await new Promise((r) => setTimeout(r, 20));
    rx.close();
    // Loopback may drop some of a burst when the host is busy; what arrived must be one consistent
    // stream: each packet's sequence number and timestamp advance together (160 per packet).
    expect(got.length).toBeGreaterThan(1000);
    expect(got.length).toBeLessThanOrEqual(summary.sent.packets);
    const first = parseRtp(got[0]!)!;
    expect(first.marker).toBe(true);
    expect(first.payloadType).toBe(0);
    expect(first.payload.length).toBe(160);
    for (const b of got.slice(1)) {
      const p = parseRtp(b)!;
      expect(p.marker).toBe(false);
      expect(p.ssrc).toBe(first.ssrc);
      const n = (p.sequence - first.sequence + 65536) % 65536;
      expect(p.timestamp).toBe((first.timestamp + n * 160) % 2 ** 32);
    }
    for (let i = 0; i < 50 && pool.inUse > 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(pool.inUse).toBe(0);
  }, 60_000);

  it('counts nothing sent to a far end of the other address family (an IPv6 answer to an IPv4 socket)', async () => {
    let now = 1000;
    const clock = new MediaClock(() => now);
    const pool = new RtpPortPool(43000, 43999);
    const sockets = await pool.open('127.0.0.1');
    const errors: unknown[] = [];
    sockets.rtp.on('error', (err) => errors.push(err));
    const session = new RtpSession(sockets, pool, clock, { cname: 'test', record: false });
    const plan = { payloadType: 0, law: 'PCMU' as const, audio: Buffer.alloc(800, 0xff), durationMs: 100 };
    session.start({ ...plan, remote: { address: '::1', port: 9 } });
    clock.stop();
    now = session.nextAt + 80;
    clock.tick();
    clock.stop();
    expect(session.summary().sent.packets).toBe(0);
    expect(errors).toEqual([]);
    session.close();
  });

  it('ends when its last packet has played out, DURATION after the first: not when it is sent', async () => {
    let now = 1000;
    const clock = new MediaClock(() => now);
    const pool = new RtpPortPool(42000, 42999);
    const sockets = await pool.open('127.0.0.1');
    const session = new RtpSession(sockets, pool, clock, { cname: 'test', record: false });
    let endedAt: number | undefined;
    session.onFinished = () => (endedAt = now);
    session.start({
      remote: { address: '127.0.0.1', port: 9 },
      payloadType: 0,
      law: 'PCMU',
      audio: Buffer.alloc(800, 0xff),
      durationMs: 100, // 5 packets, at 0, 20, 40, 60 and 80 ms
    });
    clock.stop(); // driven by hand
    const start = session.nextAt;
    now = start + 80;
    clock.tick();
    clock.stop();
    expect(session.summary().sent.packets).toBe(5);
    expect(endedAt).toBeUndefined(); // the last packet's 20 ms are still to play
    expect(session.nextAt).toBe(start + 100);
    now = start + 99;
    clock.tick();
    clock.stop();
    expect(endedAt).toBeUndefined();
    now = start + 100;
    clock.tick();
    clock.stop();
    expect(endedAt! - start).toBe(100);
    expect(session.close().sent.packets).toBe(5);
    expect(session.nextAt).toBe(Infinity);
  });
});
