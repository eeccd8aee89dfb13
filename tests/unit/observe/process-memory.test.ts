// The process's memory read so that it never throws: process.memoryUsage() reads /proc/self/statm, and
// with every file descriptor in use it threw EMFILE from the perf sampler's timer, ending the process
// (/metrics and DSP SYSINFO / SRVSTAT read it too). With process.memoryUsage made to throw, the figures
// come from V8's heap statistics and the last resident set read.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { CounterSet } from '../../../core/observe/counters';
import { processFigures } from '../../../core/observe/metrics';
import { PerfSampler } from '../../../core/observe/perf-sampler';
import { processMemory, processMemoryReader } from '../../../core/observe/process-memory';
import { openLab, run, useLabs } from '../mml/lab';

function emfile(): never {
  throw Object.assign(new Error('EMFILE: too many open files, uv_resident_set_memory'), {
    code: 'EMFILE',
    syscall: 'uv_resident_set_memory',
  });
}

const usage = (rss: number): NodeJS.MemoryUsage => ({
  rss,
  heapUsed: 10,
  heapTotal: 20,
  external: 30,
  arrayBuffers: 40,
});

describe('processMemoryReader', () => {
  it('answers with the last resident set and V8 heap statistics when the read fails, and says why', () => {
    let fail = false;
    const read = processMemoryReader({
      memoryUsage: () => (fail ? emfile() : usage(5000)),
      rss: () => (fail ? emfile() : 6000),
      heapStatistics: () => ({ used_heap_size: 11, total_heap_size: 21, external_memory: 31 }),
    });
    expect(read()).toEqual({ ...usage(5000), fresh: true });
    expect(read.failure()).toBeUndefined();
    fail = true;
    expect(read()).toEqual({
      rss: 5000,
      heapUsed: 11,
      heapTotal: 21,
      external: 31,
      arrayBuffers: 40,
      fresh: false,
    });
    expect(read.failure()).toMatch(/^EMFILE/);
    expect(read.rss()).toBe(5000);
    fail = false;
    expect(read.rss()).toBe(6000);
    expect(read.failure()).toBeUndefined();
    fail = true;
    expect(read.rss()).toBe(6000);
  });

  it('answers zeros rather than throwing when V8 cannot say either', () => {
    const read = processMemoryReader({
      memoryUsage: emfile,
      rss: emfile,
      heapStatistics: () => {
        throw new Error('no');
      },
    });
    expect(read()).toEqual({ rss: 0, heapUsed: 0, heapTotal: 0, external: 0, arrayBuffers: 0, fresh: false });
    expect(read.rss()).toBe(0);
  });
});

describe('with process.memoryUsage throwing EMFILE', () => {
  useLabs();
  afterEach(() => {
    vi.restoreAllMocks();
  });

  function exhausted(): void {
    processMemory(); // a figure read while it works
    const failing = Object.assign(emfile as () => NodeJS.MemoryUsage, { rss: emfile });
    vi.spyOn(process, 'memoryUsage').mockImplementation(failing);
  }

  it('the perf sampler takes its sample (its timer threw, and the process ended)', () => {
    exhausted();
    const sampler = new PerfSampler({
      counters: new CounterSet(),
      autoStart: false,
      readHostNetwork: () => undefined,
    });
    const sample = sampler.sample();
    expect(sample.memory.rss).toBeGreaterThan(0);
    expect(sample.memory.heapUsed).toBeGreaterThan(0);
    expect(processMemory.failure()).toMatch(/EMFILE/);
  });

  it("/metrics' process figures are read (GET /metrics, no login, threw)", () => {
    exhausted();
    const figures = processFigures();
    expect(figures.residentBytes).toBeGreaterThan(0);
    expect(figures.heapUsedBytes).toBeGreaterThan(0);
  });

  it('DSP SYSINFO answers (RETCODE 99 before), and the resident set of DSP SRVSTAT is read', async () => {
    const lab = openLab();
    exhausted();
    expect((await run(lab, 'DSP SYSINFO')).retcode).toBe(RETCODE.OK);
    expect(processMemory.rss()).toBeGreaterThan(0);
  });
});
