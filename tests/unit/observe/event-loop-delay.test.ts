// The event-loop delay monitor: figures in ms with the timer's own period taken off, zeros before any
// measurement, and a real stall of the loop (a busy wait) showing in max and p99 of the next read.
import { describe, expect, it } from 'vitest';
import { delayOf, eventLoopMonitor } from '../../../core/observe/event-loop-delay';

const histogram = (values: Record<number, number>, max: number, mean: number, count: number) => ({
  percentile: (p: number) => values[p] ?? NaN,
  max,
  mean,
  count,
});

describe('event-loop delay', () => {
  it('turns nanoseconds into ms and takes the timer period off', () => {
    const d = delayOf(histogram({ 50: 10_500_000, 99: 25_000_000 }, 70_000_000, 11_000_000, 100), 10);
    expect(d.p50Ms).toBeCloseTo(0.5);
    expect(d.p99Ms).toBeCloseTo(15);
    expect(d.maxMs).toBeCloseTo(60);
    expect(d.meanMs).toBeCloseTo(1);
  });

  it('reads zeros before the first measurement (never NaN or negative)', () => {
    expect(delayOf(histogram({}, 0, NaN, 0), 10)).toEqual({ p50Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 });
    expect(delayOf(histogram({ 50: 1_000_000, 99: 2_000_000 }, 3_000_000, NaN, 3), 10)).toEqual({
      p50Ms: 0,
      p99Ms: 0,
      maxMs: 0,
      meanMs: 0,
    });
  });

  it('sees a stalled loop, and each read starts a new interval', async () => {
    const monitor = eventLoopMonitor(5);
    try {
      await new Promise((r) => setTimeout(r, 30));
      monitor.read();
      const first = monitor.totals!();
      // After a reset the histogram drops its first tick (it has no previous one to measure from).
      await new Promise((r) => setTimeout(r, 20));
      const until = Date.now() + 80;
      while (Date.now() < until); // the loop is blocked for 80 ms
      await new Promise((r) => setTimeout(r, 30));
      const stalled = monitor.read();
      expect(stalled.maxMs).toBeGreaterThanOrEqual(70);
      expect(stalled.p50Ms).toBeLessThan(stalled.maxMs); // one stall among many on-time ticks
      await new Promise((r) => setTimeout(r, 30));
      expect(monitor.read().maxMs).toBeLessThan(stalled.maxMs); // the stall is not carried over
      // The totals (the summary's _count and _sum) keep every tick read, the stall's 70 ms and more: the
      // later reads' ticks added to the first's (how many a loaded machine's timer gives varies).
      const totals = monitor.totals!();
      expect(first.count).toBeGreaterThan(0);
      expect(totals.count).toBeGreaterThan(first.count + 1);
      expect(totals.sumMs).toBeGreaterThanOrEqual(70);
    } finally {
      monitor.stop();
    }
  });
});
