// The CSV archive on a full disk (a real one: a 16 KB tmpfs, which needs root; skipped elsewhere): an
// append cut short by ENOSPC leaves the day file as it was, so that the batch, retried once there is
// room, is written whole and once (before, a cut row was followed by the same rows again).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CdrArchive, CDR_CSV_HEADER, cdrCsvLine } from '../../../core/cdr/csv';
import { messageRecord } from '../../../core/cdr/from-events';
import { canMount, mountTmpfs, unmountTmpfs } from '../../support/tmpfs';
import { message, numbered } from './fixtures';

let disk: string | undefined;
afterEach(() => {
  if (disk === undefined) return;
  unmountTmpfs(disk);
  disk = undefined;
});

describe.skipIf(!canMount)('the CSV archive on a full disk', () => {
  it('leaves the day file as it was when an append is cut short, and writes the batch whole later', () => {
    disk = mountTmpfs('16k')!;
    const archive = new CdrArchive(disk);
    const first = numbered(1, messageRecord(message()));
    archive.appendDay('2026-11-27', [first]);
    const before = readFileSync(archive.dayFile('2026-11-27'), 'utf8');
    // Fill what is left of the disk but the day file's last page.
    const filler = join(disk, 'filler');
    try {
      writeFileSync(filler, Buffer.alloc(64 * 1024));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    const batch = Array.from({ length: 20 }, (_, i) =>
      numbered(2 + i, messageRecord(message({ body: 'x'.repeat(300) }))),
    );
    expect(() => archive.appendDay('2026-11-27', batch)).toThrow(/ENOSPC/);
    expect(readFileSync(archive.dayFile('2026-11-27'), 'utf8')).toBe(before);
    rmSync(filler);
    archive.appendDay('2026-11-27', batch);
    expect(readFileSync(archive.dayFile('2026-11-27'), 'utf8')).toBe(
      CDR_CSV_HEADER + cdrCsvLine(first) + batch.map(cdrCsvLine).join(''),
    );
  });
});
