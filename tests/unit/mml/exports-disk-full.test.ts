// Exports on a full disk (a real one: a tmpfs, which needs root; skipped elsewhere). A write cut short
// leaves nothing under the export's name (EXP USER, EXP CDR), and SAVE CFG leaves no temporary file:
// before, a truncated users_export_*.json stayed in exports/, served by /api/data-export as any other.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CdrArchive } from '../../../core/cdr/csv';
import { messageRecord } from '../../../core/cdr/from-events';
import { Settings } from '../../../core/config/settings';
import { RETCODE } from '../../../core/mml/command';
import { canMount, fillDisk, useTmpfsDisks } from '../../support/tmpfs';
import { message, numbered } from '../cdr/fixtures';
import { openLab, run, useLabs } from './lab';

// Before the labs' clean-up, so unmounted after it (their database closed before the unmount).
const mount = useTmpfsDisks();
useLabs();

describe.skipIf(!canMount)('exports on a full disk', () => {
  it('EXP USER cut short answers 7 and leaves no file in exports/', async () => {
    const disk = mount('16m');
    const dir = join(disk, 'data');
    const lab = openLab(dir);
    for (let i = 0; i < 300; i++)
      lab.users.add({ username: `${5000 + i}`, password: `pw${i}`, displayName: 'x'.repeat(100) });
    expect((await run(lab, 'EXP USER')).retcode).toBe(RETCODE.OK); // the exports folder made
    const exports = join(dir, 'exports');
    const before = readdirSync(exports);
    fillDisk(disk, 16 * 1024);
    const r = await run(lab, 'EXP USER');
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(r.message).toMatch(/ENOSPC/);
    expect(readdirSync(exports)).toEqual(before);
  });

  it('EXP CDR cut short leaves no file in CDR/exports/, and SAVE CFG no config.json.<pid>.tmp', async () => {
    const disk = mount('1m');
    const archive = new CdrArchive(disk);
    const rows = Array.from({ length: 200 }, (_, i) =>
      numbered(1 + i, messageRecord(message({ body: 'x'.repeat(300) }))),
    );
    const first = await archive.writeExport('cdr_export_all_1', [rows.slice(0, 1)]);
    const exports = join(disk, 'CDR', 'exports');
    expect(readdirSync(exports)).toEqual(['cdr_export_all_1.csv']);
    fillDisk(disk, 16 * 1024);
    await expect(
      archive.writeExport('cdr_export_all_2', [rows.slice(0, 100), rows.slice(100)]),
    ).rejects.toThrow(/ENOSPC/);
    expect(readdirSync(exports)).toEqual(['cdr_export_all_1.csv']);
    expect(first.path).toBe(join(exports, 'cdr_export_all_1.csv'));

    fillDisk(disk, 0);
    const settings = new Settings();
    settings.change('LOG.LEVEL', 'DEBUG'); // SET CFG
    let saved: unknown;
    try {
      saved = settings.save(disk);
    } catch (err) {
      saved = err;
    }
    expect(String(saved)).toMatch(/ENOSPC/);
    expect(readdirSync(disk).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
