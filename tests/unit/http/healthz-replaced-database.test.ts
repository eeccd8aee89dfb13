// A database file replaced under a running appliance (a backup renamed into its place: mv, rsync, a
// restore tool): the appliance went on writing the file it had opened, no longer in the folder, with
// /healthz ok and ADD USER answered RETCODE 0, and what it wrote was lost. The file's identity (device,
// inode) is checked where a deleted database is: /healthz says it, and commands that store are refused.
import { copyFileSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';

describe('/healthz on a database file replaced under the appliance', () => {
  it('names the file, and refuses the commands that store, until IMS Lab is restarted', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ims-replaced-'));
    const other = mkdtempSync(join(tmpdir(), 'ims-replaced-backup-'));
    try {
      const appliance = new Appliance({ dataDir, console: false, settings: new Settings() });
      try {
        const file = join(dataDir, 'ims-lab.db');
        expect(appliance.dataFolderProblem()).toBeUndefined();
        copyFileSync(file, join(other, 'ims-lab.db'));
        renameSync(join(other, 'ims-lab.db'), file);
        const problem = appliance.dataFolderProblem();
        expect(problem).toContain(`the database ${file} was replaced by another file while IMS Lab runs`);
        const [add] = await appliance.mml.execute('ADD USER USERNAME=5555 PASSWORD=pw5555x', 'admin');
        expect(add!.retcode).toBe(7);
        expect(add!.message).toBe(`Not done: ${problem}`);
        const [read] = await appliance.mml.execute('DSP USER', 'admin');
        expect(read!.retcode).toBe(0);
      } finally {
        await appliance.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });
});
