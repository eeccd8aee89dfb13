// The trace's clock: monotonic between messages, back on the wall clock within a second of a step forward
// or a suspend (the trace, the CDR and the log then tell the same time); never back.
import { describe, expect, it } from 'vitest';
import { wallClockUs } from '../../../core/observe/wall-clock-us';

function clocks() {
  const c = { wall: 1_765_000_000_000, mono: 5_000 };
  const now = wallClockUs(
    () => c.wall,
    () => c.mono,
  );
  const pass = (ms: number) => {
    c.wall += ms;
    c.mono += ms;
  };
  return { c, now, pass };
}

describe('wallClockUs', () => {
  it('counts microseconds on the monotonic clock, from the wall time it started at', () => {
    const { c, now, pass } = clocks();
    expect(now()).toBe(1_765_000_000_000_000);
    pass(0.25);
    expect(now()).toBe(1_765_000_000_000_250);
    // NTP's slew between two checks moves nothing: the deltas stay monotonic.
    c.wall += 0.05;
    pass(10);
    expect(now()).toBe(1_765_000_000_010_250);
  });

  it('follows the wall clock within a second of a step forward or a suspend, never back', () => {
    const { c, now, pass } = clocks();
    c.wall += 3_600_000; // stepped an hour forward
    pass(500);
    expect(now()).toBe(1_765_000_000_500_000); // not yet checked: still monotonic
    pass(600);
    expect(now()).toBe((1_765_000_000_000 + 3_600_000 + 1_100) * 1000);
    c.wall -= 600_000; // back ten minutes: a ladder must not run backwards (it showed -3593.98 s)
    pass(1_000);
    expect(now()).toBe((1_765_000_000_000 + 3_600_000 + 2_100) * 1000);
    c.wall += 8 * 3_600_000; // a night's sleep: the monotonic clock stood still
    pass(1_000);
    expect(now()).toBe((1_765_000_000_000 + 3_000_000 + 8 * 3_600_000 + 3_100) * 1000);
  });

  it('gives stamps that only go forward whatever the wall clock does', () => {
    const { c, now, pass } = clocks();
    let last = now();
    for (const step of [-3_600_000, 86_400_000, -3_600_000, -50, 150]) {
      c.wall += step;
      for (let i = 0; i < 5; i++) {
        pass(400);
        const t = now();
        expect(t).toBeGreaterThan(last);
        last = t;
      }
    }
  });

  it("starts from the process's origin to the microsecond, not the floor of Date.now()'s millisecond", () => {
    const c = { wall: 1_765_000_000_000, mono: 5_000.25 };
    // The wall clock was 1_764_999_995_000.7 at mono 0: now 1_765_000_000_000.95, which Date.now() floors.
    const now = wallClockUs(
      () => c.wall,
      () => c.mono,
      1_764_999_995_000.7,
    );
    expect(now()).toBe(1_765_000_000_000_950);
    // An origin the wall clock has left since (stepped before the trace started) is not taken.
    const stepped = wallClockUs(
      () => c.wall,
      () => c.mono,
      1_764_999_000_000,
    );
    expect(stepped()).toBe(1_765_000_000_000_000);
  });
});
