// In a container node is pid 1 at every run: the temporary files a killed run left (a cut EXP CDR,
// 3 MB here) carried the pid of the next run too, which took them for its own and kept them for good
// (findings upgrade2 F6). A file of this process's pid older than the process is a leftover; one written
// since it started is its own, kept.
import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeLeftoverTemporaries } from '../../../core/store/leftover-temporaries';
import { makeDataDir, useDataDirs } from './data-dir';

useDataDirs();

describe("the temporary files of this process's own pid", () => {
  it('are removed when written before this process started (an earlier run of the same pid), kept when since', () => {
    const dir = makeDataDir();
    const exports = join(dir, 'CDR', 'exports');
    mkdirSync(exports, { recursive: true });
    const startedAt = Date.now();
    const earlier = join(exports, `.cdr_export_2026-12-07_x.csv.${process.pid}-0.tmp`);
    const config = join(dir, `config.json.${process.pid}.tmp`);
    const perf = join(dir, `perf-history.json.${process.pid}.tmp`); // a stop killed while writing it
    const own = join(exports, `.cdr_export_2026-12-07_y.csv.${process.pid}-1.tmp`);
    for (const f of [earlier, config, perf, own]) writeFileSync(f, 'x');
    const before = new Date(startedAt - 60_000);
    for (const f of [earlier, config, perf]) utimesSync(f, before, before);
    utimesSync(own, new Date(startedAt + 1000), new Date(startedAt + 1000));
    expect(removeLeftoverTemporaries(dir, startedAt).sort()).toEqual([earlier, config, perf].sort());
    expect(existsSync(own)).toBe(true);
  });
});
