import { constants } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { account, gcPauses, type GcFigures } from '../../../core/observe/gc-pauses';

const figures = (): GcFigures => ({
  young: { count: 0, pauseMs: 0, maxMs: 0 },
  full: { count: 0, pauseMs: 0, maxMs: 0 },
});

describe('account', () => {
  it('counts scavenges as young, mark-compacts as full with their incremental steps, and nothing else', () => {
    const f = figures();
    const entry = (kind: number, duration: number) => ({ duration, detail: { kind } });
    account(f, entry(constants.NODE_PERFORMANCE_GC_MINOR, 1.5));
    account(f, entry(constants.NODE_PERFORMANCE_GC_MINOR, 0.5));
    account(f, entry(constants.NODE_PERFORMANCE_GC_INCREMENTAL, 3));
    account(f, entry(constants.NODE_PERFORMANCE_GC_MAJOR, 6));
    account(f, entry(constants.NODE_PERFORMANCE_GC_WEAKCB, 9));
    account(f, { duration: 4 });
    expect(f).toEqual({
      young: { count: 2, pauseMs: 2, maxMs: 1.5 },
      full: { count: 1, pauseMs: 9, maxMs: 6 },
    });
  });
});

describe('gcPauses', () => {
  it('reads the collections since the last read, and keeps totals', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const source = gcPauses();
    source.start();
    try {
      gc(); // a full collection
      await vi.waitFor(() => expect(source.totals().full.count).toBeGreaterThanOrEqual(1));
      const first = source.read();
      expect(first.full.count).toBeGreaterThanOrEqual(1);
      expect(first.full.pauseMs).toBeGreaterThan(0);
      expect(first.full.maxMs).toBeLessThanOrEqual(first.full.pauseMs);
      expect(source.read().full.count).toBe(0); // each read starts a new interval
      gc();
      await vi.waitFor(() => expect(source.totals().full.count).toBeGreaterThanOrEqual(2));
    } finally {
      source.stop();
    }
  });
});
