// A user change on a full disk (a real one: a tmpfs, which needs root; skipped elsewhere): RETCODE 7
// naming the data folder, "Disk full", not 99 "an IMS Lab fault" with SQLite's words alone.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { canMount, fillDisk, useTmpfsDisks } from '../../support/tmpfs';
import { openLab, run, useLabs } from './lab';

// Before the labs' clean-up, so unmounted after it (their database closed before the unmount).
const mount = useTmpfsDisks();
useLabs();

describe.skipIf(!canMount)('a user change on a full disk', () => {
  it('answers RETCODE 7 "Disk full" naming the data folder', async () => {
    const disk = mount('4m');
    const dir = join(disk, 'data');
    const lab = openLab(dir);
    fillDisk(disk);
    const failed = [];
    for (let i = 0; i < 200; i++) {
      const r = await run(lab, `ADD USER USERNAME=${5000 + i} PASSWORD=pw${i} NAME=${'x'.repeat(128)}`);
      if (r.retcode !== RETCODE.OK) failed.push(r);
    }
    expect(failed.length).toBeGreaterThan(0);
    for (const r of failed) {
      expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
      expect(r.message).toMatch(`Disk full: ${dir} (the database ${join(dir, 'ims-lab.db')} could not grow`);
    }
  });
});
