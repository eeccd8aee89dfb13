// The charts' last minutes across a restart (perf-history-file.ts): the sampler's ring saved at a clean
// stop, read back at the next start within the window, before the new samples (PerfSampler.restore); a
// file that is not such a history is said and ignored; a file is read once.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CounterSet } from '../../../core/observe/counters';
import { loadPerfHistory, PERF_HISTORY_FILE, savePerfHistory } from '../../../core/observe/perf-history-file';
import { PerfSampler } from '../../../core/observe/perf-sampler';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(): string {
  const d = mkdtempSync(join(tmpdir(), 'ims-perf-history-'));
  dirs.push(d);
  return d;
}

/** A sampler on a manual clock, `n` samples a second apart from `start`. */
function sampled(start: number, n: number, capacity = 600) {
  const clock = { now: start };
  const sampler = new PerfSampler({
    counters: new CounterSet(),
    capacity,
    autoStart: false,
    now: () => clock.now,
    readHostNetwork: () => undefined,
  });
  for (let i = 0; i < n; i++) {
    clock.now += 1000;
    sampler.sample();
  }
  return { sampler, clock };
}

describe('the performance history across a restart', () => {
  it('is saved at a stop and read back before the samples of the new run, a hole between', () => {
    const dir = folder();
    const before = sampled(1_000_000, 5).sampler;
    savePerfHistory(dir, before.history());
    // Up 30 s later: two samples of its own already.
    const after = sampled(1_000_000 + 5000 + 30_000, 2).sampler;
    const loaded = loadPerfHistory(dir, 1_000_000 + 5000 + 32_000, 600_000);
    expect(loaded.problem).toBeUndefined();
    expect(after.restore(loaded.samples)).toBe(5);
    expect(after.history().map((s) => s.at)).toEqual([
      1_001_000, 1_002_000, 1_003_000, 1_004_000, 1_005_000, 1_036_000, 1_037_000,
    ]);
    expect(existsSync(join(dir, PERF_HISTORY_FILE))).toBe(false); // read once
  });

  it('keeps only the samples inside the window, and no more than the ring has room for, newest kept', () => {
    const dir = folder();
    savePerfHistory(dir, sampled(0, 20).sampler.history()); // at 1,000 .. 20,000
    const loaded = loadPerfHistory(dir, 25_000, 10_000);
    expect(loaded.samples.map((s) => s.at)).toEqual([16_000, 17_000, 18_000, 19_000, 20_000]);
    const small = sampled(30_000, 2, 4).sampler;
    expect(small.restore(loaded.samples)).toBe(2);
    expect(small.history().map((s) => s.at)).toEqual([19_000, 20_000, 31_000, 32_000]);
    expect(small.restore(loaded.samples)).toBe(0); // full
    small.sample(); // the ring goes on as usual
    expect(small.history()).toHaveLength(4);
  });

  it('ignores, and says so, a file that is not JSON or holds no samples of this layout', () => {
    const dir = folder();
    const file = join(dir, PERF_HISTORY_FILE);
    writeFileSync(file, '{not json');
    expect(loadPerfHistory(dir, 0, 1000)).toEqual({
      samples: [],
      problem: expect.stringMatching(/not JSON/),
    });
    writeFileSync(file, JSON.stringify({ version: 1, samples: [{ at: 5 }] }));
    expect(loadPerfHistory(dir, 10, 1000).problem).toMatch(/no performance samples/);
    writeFileSync(file, JSON.stringify({ version: 2, samples: [] }));
    expect(loadPerfHistory(dir, 10, 1000).problem).toMatch(/no performance samples/);
    expect(loadPerfHistory(dir, 10, 1000)).toEqual({ samples: [] }); // none there (removed)
  });
});

describe('the performance history across wall-clock steps', () => {
  it('only goes forward: samples stamped on the steady clock from the start, a step back or forward moves none', () => {
    vi.useFakeTimers({ toFake: ['Date', 'performance'] });
    try {
      const sampler = new PerfSampler({
        counters: new CounterSet(),
        autoStart: false,
        readHostNetwork: () => undefined,
      });
      for (const step of [0, -3_600_000, 86_400_000, -3_600_000]) {
        vi.setSystemTime(Date.now() + step);
        vi.advanceTimersByTime(1000);
        sampler.sample();
      }
      const at = sampler.history().map((s) => s.at);
      expect(at.slice(1).map((t, i) => t - at[i]!)).toEqual([1000, 1000, 1000]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('restores, before any new sample, only what is before now and in order (a file saved before a step back)', () => {
    const { sampler, clock } = sampled(5_000_000, 0);
    const file = sampled(1_000_000, 3).sampler.history();
    const ahead = sampled(5_000_000 + 3_600_000, 2).sampler.history(); // stamped before the clock went back
    expect(sampler.restore([...file, ...ahead, file[1]!])).toBe(3);
    clock.now += 1000;
    sampler.sample();
    const at = sampler.history().map((s) => s.at);
    expect(at).toEqual([1_001_000, 1_002_000, 1_003_000, 5_001_000]);
  });

  it('a write that fails leaves no temporary file, and one an older IMS Lab left is removed at the next start', () => {
    const dir = folder();
    mkdirSync(join(dir, PERF_HISTORY_FILE, 'in the way'), { recursive: true }); // the rename fails
    expect(() => savePerfHistory(dir, sampled(1_000_000, 3).sampler.history())).toThrow();
    expect(readdirSync(dir)).toEqual([PERF_HISTORY_FILE]);
    rmSync(join(dir, PERF_HISTORY_FILE), { recursive: true });
    writeFileSync(join(dir, `${PERF_HISTORY_FILE}.tmp`), '{"version":1,"sam'); // cut off by a full disk
    expect(loadPerfHistory(dir, 2_000_000, 600_000)).toEqual({ samples: [] });
    expect(readdirSync(dir)).toEqual([]);
  });
});
