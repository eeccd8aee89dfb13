// A server killed while writing an export or an upload left its temporary file (.<name>.<pid>-<n>.tmp,
// .<name>.<pid>.part) in the data folder for good (README: "nothing behind"): the next start removes those
// of IMS Lab's naming whose process is gone, and says so; any other file, and one of a process that
// still runs, is left alone.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { removeDataDir, startLabServer } from '../../support/lab-server';

describe.skipIf(!HAS_BUILD)('the temporary files a killed server left', () => {
  it('are removed at the next start, and only those', async () => {
    const first = await startLabServer();
    const dir = first.dataDir;
    try {
      const gone = first.pid; // a pid that no longer runs once that server stopped
      expect(await first.stop()).toBe(0);
      mkdirSync(join(dir, 'CDR', 'exports'), { recursive: true });
      mkdirSync(join(dir, 'media'), { recursive: true });
      const left = [
        join(dir, 'CDR', 'exports', `.cdr_export_2026-12-01_20261207_100458.csv.${gone}-2.tmp`),
        join(dir, 'media', `.prompt.wav.${gone}.part`),
        join(dir, `config.json.${gone}.tmp`),
      ];
      const kept = [
        join(dir, 'CDR', 'exports', `.cdr_export_x.csv.${process.pid}-1.tmp`), // its writer runs
        join(dir, 'media', 'notes.tmp'),
        join(dir, 'CDR', 'exports', 'cdr_export_all_20261207_100000.csv'),
      ];
      for (const f of [...left, ...kept]) writeFileSync(f, 'x');
      const second = await startLabServer({ dataDir: dir });
      try {
        await second.child.waitFor(/removed 3 temporary file\(s\) a stopped IMS Lab left unfinished/, 5000);
        for (const f of left) expect(existsSync(f), f).toBe(false);
        for (const f of kept) expect(existsSync(f), f).toBe(true);
      } finally {
        await second.stop();
      }
    } finally {
      removeDataDir(dir);
    }
  }, 60_000);
});
