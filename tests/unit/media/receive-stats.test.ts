// Receive statistics (RFC 3550 A.1, A.8): loss, reordering, duplicates, sequence wrap-around, and the
// interarrival jitter estimator against a hand computation.
import { describe, expect, it } from 'vitest';
import { ReceiveStats } from '../../../core/media/receive-stats';

describe('receive statistics', () => {
  it('has zero jitter for perfectly paced packets and counts them', () => {
    const s = new ReceiveStats();
    for (let i = 0; i < 100; i++) s.packet(1000 + i, 5000 + i * 160, 42, 10_000 + i * 20);
    const r = s.summary();
    expect(r).toMatchObject({ received: 100, expected: 100, lost: 0, outOfOrder: 0, jitterMs: 0 });
  });

  it('follows the A.8 estimator J += (|D| - J)/16', () => {
    const s = new ReceiveStats();
    const arrivals = [0, 20, 45, 60, 80, 103];
    arrivals.forEach((t, i) => s.packet(i, i * 160, 1, t));
    // By hand, in timestamp units (8 per ms): D = 0, 40, -40, 0, 24.
    let j = 0;
    for (const d of [0, 40, -40, 0, 24]) j += (Math.abs(d) - j) / 16;
    expect(s.summary().jitterMs).toBeCloseTo(j / 8, 10);
    expect(s.summary().maxJitterMs).toBeGreaterThanOrEqual(s.summary().jitterMs);
  });

  it('counts RFC 4733 event packets but does not time them: perfectly paced audio and a digit, zero jitter', () => {
    const s = new ReceiveStats();
    let seq = 0;
    for (let i = 0; i < 50; i++) s.packet(seq++, i * 160, 3, i * 20);
    // A digit of 6 packets in the audio's place: one timestamp, the event's start (§2.5.1.2).
    for (let i = 50; i < 56; i++) s.packet(seq++, 50 * 160, 3, i * 20, false);
    for (let i = 56; i < 100; i++) s.packet(seq++, i * 160, 3, i * 20);
    expect(s.summary()).toMatchObject({ received: 100, lost: 0, jitterMs: 0, maxJitterMs: 0 });
  });

  it('counts loss, late packets and duplicates, across the 16-bit wrap', () => {
    const s = new ReceiveStats();
    const seqs = [65530, 65531, 65533, 65532, 65534, 65535, 0, 1, 1, 3, 4];
    seqs.forEach((q, i) => s.packet(q, i * 160, 9, i * 20));
    const r = s.summary();
    expect(r.expected).toBe(11); // 65530 .. 4 (extended)
    expect(r.received).toBe(10); // 1 duplicate not counted
    expect(r.duplicates).toBe(1);
    expect(r.outOfOrder).toBe(1); // 65532 after 65533
    expect(r.lost).toBe(1); // 2 never came
  });

  it('ignores a stray packet of another SSRC (no source until two came in sequence, A.1)', () => {
    const s = new ReceiveStats();
    s.packet(1, 0, 1, 0);
    s.packet(2, 160, 2, 20);
    s.packet(2, 160, 1, 20);
    s.packet(9, 160, 2, 40);
    expect(s.summary()).toMatchObject({ received: 2, expected: 2, lost: 0, ssrc: 1 });
  });

  it('counts a far end that changes its SSRC mid-call whole (RFC 3550 §8): sums, the newest source reported', () => {
    const s = new ReceiveStats();
    for (let i = 0; i < 40; i++) s.packet(3000 + i, 100 + i * 160, 0xaaaa, i * 20);
    // The new source: its own sequence and timestamp; one of its packets lost, a late one of the old.
    for (let i = 0; i < 80; i++) if (i !== 10) s.packet(50_000 + i, 777_777 + i * 160, 0xbbbb, 800 + i * 20);
    s.packet(3039, 100 + 39 * 160, 0xaaaa, 2400);
    const r = s.summary();
    expect(r).toMatchObject({ received: 119, expected: 120, lost: 1, duplicates: 1, ssrc: 0xbbbb });
    expect(s.reportBlock()).toMatchObject({ ssrc: 0xbbbb, extendedMax: 50_079, cumulativeLost: 1 });
  });
});
