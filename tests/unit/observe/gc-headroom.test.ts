import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import {
  GcHeadroom,
  growingPercentFor,
  MAX_GROWING_PERCENT,
  MIN_GROWING_PERCENT,
} from '../../../core/observe/gc-headroom';

const MB = 1024 * 1024;

describe('growingPercentFor', () => {
  it('puts the next full collection the headroom above the heap that survived', () => {
    expect(growingPercentFor(32 * MB, 32)).toBe(100);
    expect(growingPercentFor(64 * MB, 32)).toBe(50);
    expect(growingPercentFor(40 * MB, 32)).toBe(80);
  });

  it('caps a small heap and leaves a big one to V8', () => {
    expect(growingPercentFor(4 * MB, 32)).toBe(MAX_GROWING_PERCENT);
    // 32 MB over 400 MB is 8%: less than V8 grows by itself.
    expect(growingPercentFor(400 * MB, 32)).toBe(0);
    expect(growingPercentFor(160 * MB, 32)).toBe(MIN_GROWING_PERCENT);
  });

  it('is V8 own policy with no headroom or nothing measured', () => {
    expect(growingPercentFor(32 * MB, 0)).toBe(0);
    expect(growingPercentFor(0, 32)).toBe(0);
  });
});

describe('GcHeadroom', () => {
  it('sets the flag when configured, again only when it changes, and back to V8 when stopped', () => {
    const setFlags = vi.fn();
    let used = 32 * MB;
    const gc = new GcHeadroom({ setFlags, heapUsed: () => used });
    gc.configure(32);
    gc.configure(32);
    used = 64 * MB;
    gc.configure(32);
    gc.stop();
    expect(setFlags.mock.calls.map((c) => c[0] as string)).toEqual([
      '--heap-growing-percent=100',
      '--heap-growing-percent=50',
      '--heap-growing-percent=0',
    ]);
  });

  it('follows the heap after each full collection', async () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const setFlags = vi.fn();
    let used = 32 * MB;
    const gc = new GcHeadroom({ setFlags, heapUsed: () => used });
    try {
      gc.configure(32);
      used = 16 * MB;
      collect(); // a full collection: its entry reaches the observer on a later turn of the loop
      await vi.waitFor(() => expect(setFlags).toHaveBeenLastCalledWith('--heap-growing-percent=200'));
      expect(gc.percent).toBe(200);
    } finally {
      gc.stop();
    }
  });

  it('follows nothing with no headroom', async () => {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    const off = vi.fn();
    const on = vi.fn();
    let used = 16 * MB;
    const idle = new GcHeadroom({ setFlags: off, heapUsed: () => used });
    const following = new GcHeadroom({ setFlags: on, heapUsed: () => used });
    try {
      idle.configure(0);
      following.configure(32);
      used = 32 * MB;
      collect();
      // Once the collection reached the one that follows, it had reached any other observer too.
      await vi.waitFor(() => expect(on).toHaveBeenLastCalledWith('--heap-growing-percent=100'));
      expect(off).not.toHaveBeenCalled();
    } finally {
      following.stop();
    }
  });
});
