import { describe, expect, it, vi } from 'vitest';
import { TimerWheel, type TimerTarget } from '../../../../core/sip/transaction/timer-wheel';

function setup() {
  let now = 0;
  const wheel = new TimerWheel({ manual: true, now: () => now, tickMs: 10, slots: 64 });
  const fired: [string, number][] = [];
  const target: TimerTarget = { onTimer: (name) => fired.push([name, now]) };
  const moveTo = (t: number) => {
    while (now < t) {
      now = Math.min(t, now + 10);
      wheel.advanceTo(now);
    }
  };
  return { wheel, fired, target, moveTo };
}

describe('TimerWheel', () => {
  it('fires timers in order, at their time rounded up to the tick', () => {
    const { wheel, fired, target, moveTo } = setup();
    wheel.start(target, 'B', 300);
    wheel.start(target, 'A', 100);
    wheel.start(target, 'Z', 0);
    moveTo(1000);
    expect(fired).toEqual([
      ['Z', 10],
      ['A', 100],
      ['B', 300],
    ]);
    expect(wheel.pending).toBe(0);
  });

  it('handles timers beyond one revolution of the wheel', () => {
    const { wheel, fired, target, moveTo } = setup();
    wheel.start(target, 'long', 5_000); // 64 slots x 10 ms = 640 ms per revolution
    wheel.start(target, 'short', 650);
    moveTo(6_000);
    expect(fired).toEqual([
      ['short', 650],
      ['long', 5_000],
    ]);
  });

  it('cancels in O(1) and never fires a cancelled timer', () => {
    const { wheel, fired, target, moveTo } = setup();
    const entries = Array.from({ length: 10_000 }, (_, i) => wheel.start(target, `t${i}`, 50 + (i % 500)));
    for (let i = 0; i < entries.length; i += 2) wheel.cancel(entries[i]);
    wheel.cancel(entries[0]); // twice is harmless
    expect(wheel.pending).toBe(5_000);
    moveTo(1_000);
    expect(fired).toHaveLength(5_000);
    expect(fired.every(([n]) => Number(n.slice(1)) % 2 === 1)).toBe(true);
  });

  it('catches up after a stall: every due timer fires once', () => {
    const { wheel, fired, target } = setup();
    for (let i = 1; i <= 5; i++) wheel.start(target, `t${i}`, i * 100);
    wheel.advanceTo(10_000);
    expect(fired.map(([n]) => n)).toEqual(['t1', 't2', 't3', 't4', 't5']);
  });

  it('jumps a gap of many revolutions at once: what fell due fires in order, the rest keeps its time', () => {
    let now = 0;
    const wheel = new TimerWheel({ manual: true, now: () => now, tickMs: 10, slots: 64 }); // 640 ms a turn
    const fired: [string, number][] = [];
    const target: TimerTarget = { onTimer: (name) => fired.push([name, now]) };
    let cancelled = false;
    wheel.start({ onTimer: () => (cancelled = wheel.pending === 3) }, 'first', 100);
    wheel.start(target, 'B', 20_000);
    wheel.start(target, 'A', 3_000);
    const late = wheel.start(target, 'late', 200_000);
    // A clock stepped 100 s forward (156 turns): A and B fire now, in their order; 'late' does not.
    now = 100_000;
    wheel.advanceTo(now);
    expect(cancelled).toBe(true);
    expect(fired).toEqual([
      ['A', 100_000],
      ['B', 100_000],
    ]);
    expect(late.active).toBe(true);
    // 'late' fires at its own time, neither a turn early nor late.
    now = 199_990;
    wheel.advanceTo(now);
    expect(fired).toHaveLength(2);
    now = 200_000;
    wheel.advanceTo(now);
    expect(fired.at(-1)).toEqual(['late', 200_000]);
    // A timer started after the jump is timed from the present.
    wheel.start(target, 'after', 1_000);
    now = 200_990;
    wheel.advanceTo(now);
    expect(fired).toHaveLength(3);
    now = 201_000;
    wheel.advanceTo(now);
    expect(fired.at(-1)).toEqual(['after', 201_000]);
  });

  it('runs on a monotonic clock by default: a wall clock stepped back does not hold its timers', async () => {
    vi.useFakeTimers({ toFake: ['Date'] }); // the wall clock only; setTimeout stays real
    const wheel = new TimerWheel({ tickMs: 5 });
    try {
      wheel.start({ onTimer: () => undefined }, 'in flight', 60_000);
      vi.setSystemTime(Date.now() - 3_600_000); // an hour back, a transaction in flight
      const fired = await Promise.race([
        new Promise<string>((resolve) => wheel.start({ onTimer: resolve }, 'on time', 20)),
        new Promise<string>((resolve) => setTimeout(() => resolve('held'), 1_000)),
      ]);
      expect(fired).toBe('on time');
    } finally {
      wheel.clear();
      vi.useRealTimers();
    }
  });

  it('runs on real time when not manual, and clears', async () => {
    const wheel = new TimerWheel({ tickMs: 5 });
    const done = new Promise<string>((resolve) => wheel.start({ onTimer: resolve }, 'real', 20));
    expect(await done).toBe('real');
    wheel.start({ onTimer: () => expect.fail('cleared timers must not fire') }, 'x', 20);
    wheel.clear();
    await new Promise((r) => setTimeout(r, 40));
    expect(wheel.pending).toBe(0);
  });
});
