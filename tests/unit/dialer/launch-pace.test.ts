// A campaign's calls at RATE a second: slots on a grid, whatever the lateness of the timer that wakes the
// campaign (launch-pace.ts). RATE=20 with timers 2 ms late gave 19.2 calls a second.
import { describe, expect, it } from 'vitest';
import { nextSlot } from '../../../core/dialer/launch-pace';

/** Launch times of `n` calls when each timer fires `lateMs` after the time it was set for. */
function launches(n: number, intervalMs: number, lateMs: (i: number) => number): number[] {
  const out: number[] = [];
  let last = -Infinity;
  let now = 1000;
  for (let i = 0; i < n; i++) {
    const slot = nextSlot(last, intervalMs, now);
    if (slot > now) now = slot + lateMs(i); // the timer set for the slot fires late
    last = nextSlot(last, intervalMs, now);
    out.push(now);
  }
  return out;
}

describe('nextSlot', () => {
  it('keeps RATE=20 at 20 calls a second with every timer 2 ms late', () => {
    const t = launches(201, 50, () => 2);
    // 200 gaps of 50 ms: 10 s, give or take one timer's lateness (52 ms a gap read 9.6 s: 19.2/s).
    expect(t.at(-1)! - t[0]!).toBeGreaterThanOrEqual(10_000);
    expect(t.at(-1)! - t[0]!).toBeLessThanOrEqual(10_002);
  });

  it('never places two calls closer than a slot to catch up after a hold', () => {
    // Held 400 ms (CONCURRENCY full) before the fifth call: the grid starts again from then.
    const t = launches(10, 50, (i) => (i === 4 ? 400 : 0));
    const gaps = t.slice(1).map((v, i) => v - t[i]!);
    expect(gaps).toEqual([50, 50, 50, 450, 50, 50, 50, 50, 50]);
  });

  it('the first call goes at once', () => {
    expect(nextSlot(-Infinity, 50, 1234)).toBe(1234);
  });
});
