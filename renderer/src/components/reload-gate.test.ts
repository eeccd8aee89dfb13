import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reloadGate } from './reload-gate';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('reloadGate', () => {
  it('runs the first change at once and the changes of its window once at its end', () => {
    const run = vi.fn();
    const gate = reloadGate(run, 1000);
    gate.changed();
    expect(run).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 40; i++) {
      vi.advanceTimersByTime(20);
      gate.changed();
    }
    // 800 ms in: still one.
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(200);
    expect(run).toHaveBeenCalledTimes(2);
    // Four changes a second for 3 s more: one a second.
    for (let i = 0; i < 12; i++) {
      vi.advanceTimersByTime(250);
      gate.changed();
    }
    vi.advanceTimersByTime(5000);
    expect(run).toHaveBeenCalledTimes(6);
  });

  it('a lone change later runs at once again; stop ends a pending run', () => {
    const run = vi.fn();
    const gate = reloadGate(run, 1000);
    gate.changed();
    vi.advanceTimersByTime(5000);
    gate.changed();
    expect(run).toHaveBeenCalledTimes(2);
    gate.changed();
    gate.stop();
    vi.advanceTimersByTime(5000);
    expect(run).toHaveBeenCalledTimes(2);
  });
});
