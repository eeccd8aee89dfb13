// What the process runs short of, said once when reached and once when back, and by /healthz meanwhile:
// every file descriptor in use (seen as the memory read failing with EMFILE; the log said nothing, and
// before the read was made safe the process ended).
import { describe, expect, it } from 'vitest';
import type { Log } from '../../../core/observe/log';
import {
  DESCRIPTORS_CLEAR_SAMPLES,
  openFilesLimit,
  ResourceWatch,
} from '../../../core/observe/resource-watch';

function watched(over: { failure?: () => string | undefined } = {}): {
  watch: ResourceWatch;
  lines: string[];
  clock: { s: number };
} {
  const lines: string[] = [];
  const log: Log = {
    debug: () => undefined,
    info: (m) => lines.push(`INFO ${m}`),
    warning: (m) => lines.push(`WARNING ${m}`),
    error: (m) => lines.push(`ERROR ${m}`),
  };
  const clock = { s: 100 };
  const watch = new ResourceWatch({
    log,
    memoryFailure: over.failure ?? ((): undefined => undefined),
    openFilesLimit: 128,
    now: () => clock.s,
  });
  return { watch, lines, clock };
}

describe('ResourceWatch: file descriptors', () => {
  it('says EMFILE once, naming ulimit -n, and once when the reads work again', () => {
    let failure: string | undefined;
    const { watch, lines, clock } = watched({ failure: () => failure });
    watch.check();
    expect(lines).toEqual([]);
    expect(watch.problem()).toBeUndefined();

    failure = 'EMFILE: too many open files, uv_resident_set_memory';
    for (let i = 0; i < 10; i++) {
      watch.check();
      clock.s++;
    }
    expect(lines).toEqual([
      'WARNING file descriptors used up (EMFILE: too many open files, uv_resident_set_memory; this process may have 128 open (ulimit -n)): new TCP, TLS, WebSocket and console connections are refused and no file can be opened until some close; UDP SIP goes on',
    ]);
    expect(watch.problem()).toMatch(/^file descriptors used up \(EMFILE/);

    // One read that works among failing ones is not the end of it.
    failure = undefined;
    watch.check();
    failure = 'EMFILE: too many open files, uv_resident_set_memory';
    watch.check();
    failure = undefined;
    for (let i = 1; i < DESCRIPTORS_CLEAR_SAMPLES; i++) watch.check();
    expect(lines).toHaveLength(1);
    clock.s += 2;
    watch.check();
    expect(lines.slice(1)).toEqual([
      'INFO file descriptors available again, after 12 s with every one in use (EMFILE): connections are accepted; log lines of that time may be missing from the file',
    ]);
    expect(watch.problem()).toBeUndefined();
  });

  it('ENFILE (the whole host out of them) too; another failure of the read is no shortage', () => {
    let failure: string | undefined = 'ENFILE: file table overflow, uv_resident_set_memory';
    const { watch, lines } = watched({ failure: () => failure });
    watch.check();
    expect(lines[0]).toMatch(/^WARNING file descriptors used up \(ENFILE/);
    failure = 'EACCES: permission denied, uv_resident_set_memory';
    for (let i = 0; i < DESCRIPTORS_CLEAR_SAMPLES; i++) watch.check();
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
