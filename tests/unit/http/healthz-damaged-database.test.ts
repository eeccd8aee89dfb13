// A database page gone bad after the start's check, found by a command: the command answers RETCODE 7
// naming the file, and /healthz (dataFolderProblem) says it from then on, 503 'degraded' for a probe.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Appliance } from '../../../core/appliance';
import { Settings } from '../../../core/config/settings';
import { damagedHistory } from '../../support/damaged-database';

describe('/healthz on a database a command found damaged', () => {
  it('reports the damage, naming the file, once a command met it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ims-damaged-'));
    try {
      const file = damagedHistory(dataDir, 'admin', 0);

      const appliance = new Appliance({ dataDir, console: false, settings: new Settings() });
      try {
        expect(appliance.dataFolderProblem()).toBeUndefined();
        const [r] = await appliance.mml.execute('DSP HISTORY', 'admin');
        expect(r!.retcode).toBe(7);
        expect(appliance.dataFolderProblem()).toBe(r!.message);
        expect(r!.message).toContain(`The database ${file} is damaged`);
      } finally {
        await appliance.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
