// What the process runs short of, said once when reached and once when back, and by /healthz meanwhile:
// every file descriptor in use (seen as the memory read failing with EMFILE; the log said nothing, and
// before the read was made safe the process ended) and the JavaScript heap near its limit (fake heap
// figures here, not a real OOM: under --max-old-space-size=64 the server died of a fatal OOM with not one
// warning before).
import { describe, expect, it } from 'vitest';
import type { HeapSpaceInfo } from 'node:v8';
import { linesLog } from '../../support/lines-log';
import {
  DESCRIPTORS_CLEAR_SAMPLES,
  heapFigures,
  openFilesLimit,
  ResourceWatch,
  type HeapFigures,
} from '../../../core/observe/resource-watch';

const MB = 1024 * 1024;

function watched(over: { failure?: () => string | undefined; heap?: () => HeapFigures } = {}): {
  watch: ResourceWatch;
  lines: string[];
  clock: { s: number };
} {
  const lines: string[] = [];
  const log = linesLog(lines);
  const clock = { s: 100 };
  const watch = new ResourceWatch({
    log,
    memoryFailure: over.failure ?? ((): undefined => undefined),
    heap: over.heap ?? ((): HeapFigures => ({ oldUsed: 10 * MB, oldLimit: 64 * MB })),
    openFilesLimit: 128,
    now: () => clock.s,
  });
  return { watch, lines, clock };
}

describe('ResourceWatch: file descriptors', () => {
  it('says EMFILE once, naming ulimit -n, and once when the reads work again', () => {
    let failure: string | undefined;
    const { watch, lines, clock } = watched({ failure: () => failure });
    watch.check(0);
    expect(lines).toEqual([]);
    expect(watch.problem()).toBeUndefined();

    failure = 'EMFILE: too many open files, uv_resident_set_memory';
    for (let i = 0; i < 10; i++) {
      watch.check(0);
      clock.s++;
    }
    expect(lines).toEqual([
      'WARNING file descriptors used up (EMFILE: too many open files, uv_resident_set_memory; this process may have 128 open (ulimit -n)): new TCP, TLS, WebSocket and console connections are refused and no file can be opened until some close; UDP SIP goes on',
    ]);
    expect(watch.problem()).toMatch(/^file descriptors used up \(EMFILE/);

    // One read that works among failing ones is not the end of it.
    failure = undefined;
    watch.check(0);
    failure = 'EMFILE: too many open files, uv_resident_set_memory';
    watch.check(0);
    failure = undefined;
    for (let i = 1; i < DESCRIPTORS_CLEAR_SAMPLES; i++) watch.check(0);
    expect(lines).toHaveLength(1);
    clock.s += 2;
    watch.check(0);
    expect(lines.slice(1)).toEqual([
      'INFO file descriptors available again, after 12 s with every one in use (EMFILE): connections are accepted; log lines of that time may be missing from the file',
    ]);
    expect(watch.problem()).toBeUndefined();
  });

  it('ENFILE (the whole host out of them) too; another failure of the read is no shortage', () => {
    let failure: string | undefined = 'ENFILE: file table overflow, uv_resident_set_memory';
    const { watch, lines } = watched({ failure: () => failure });
    watch.check(0);
    expect(lines[0]).toMatch(/^WARNING file descriptors used up \(ENFILE/);
    failure = 'EACCES: permission denied, uv_resident_set_memory';
    for (let i = 0; i < DESCRIPTORS_CLEAR_SAMPLES; i++) watch.check(0);
    expect(lines[1]).toMatch(/^INFO file descriptors available again/);
  });

  it('reads the limit from /proc/self/limits', () => {
    const limits = [
      'Limit                     Soft Limit           Hard Limit           Units',
      'Max processes             63422                63422                processes',
      'Max open files            1024                 1048576              files',
    ].join('\n');
    expect(openFilesLimit(() => limits)).toBe(1024);
    expect(
      openFilesLimit(() => {
        throw new Error('EMFILE');
      }),
    ).toBeUndefined();
  });
});

describe('ResourceWatch: the JavaScript heap', () => {
  it('warns once above 88% of the old generation after a full collection, and once when below 75%', () => {
    let used = 40 * MB;
    const { watch, lines } = watched({ heap: () => ({ oldUsed: used, oldLimit: 64 * MB }) });
    watch.check(1);
    used = 60 * MB; // 94%, but garbage a full collection may take: not judged before one
    watch.check(0);
    expect(lines).toEqual([]);
    watch.check(2);
    watch.check(3);
    expect(lines).toEqual([
      'WARNING the JavaScript heap is nearly full: 60.0 of 64.0 MB in use (94%) after a full collection; when it is full the process ends: give Node a larger heap (node --max-old-space-size=<MB>) or keep less in it (users, bindings, the log and trace in memory)',
    ]);
    expect(watch.problem()).toMatch(/^the JavaScript heap is nearly full: 60.0 of 64.0 MB/);
    used = 52 * MB; // 81%: not yet back
    watch.check(1);
    expect(lines).toHaveLength(1);
    used = 40 * MB;
    watch.check(1);
    expect(lines.slice(1)).toEqual(['INFO the JavaScript heap has room again: 40.0 of 64.0 MB in use']);
    expect(watch.problem()).toBeUndefined();
  });

  it('/healthz names the descriptors first when both are short', () => {
    const { watch } = watched({
      failure: () => 'EMFILE: too many open files',
      heap: () => ({ oldUsed: 63 * MB, oldLimit: 64 * MB }),
    });
    watch.check(1);
    expect(watch.problem()).toMatch(/^file descriptors used up/);
  });

  it("measures the old generation against heap_size_limit less the young generation's room", () => {
    const space = (space_name: string, used: number): HeapSpaceInfo => ({
      space_name,
      space_size: used,
      space_used_size: used,
      space_available_size: 0,
      physical_space_size: used,
    });
    const spaces = [
      space('read_only_space', 0),
      space('new_space', 12 * MB),
      space('old_space', 50 * MB),
      space('code_space', 2 * MB),
      space('large_object_space', 8 * MB),
      space('new_large_object_space', 1 * MB),
    ];
    // node --max-old-space-size=64: heap_size_limit 112 MB.
    expect(heapFigures(spaces, 112 * MB)).toEqual({ oldUsed: 60 * MB, oldLimit: 64 * MB });
    // The real figures of this process: a limit, and something in use.
    const real = heapFigures();
    expect(real.oldLimit).toBeGreaterThan(real.oldUsed);
    expect(real.oldUsed).toBeGreaterThan(0);
  });
});
