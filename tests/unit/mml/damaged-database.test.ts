// A command that reads a damaged page of the database: RETCODE 7 naming the file and the way out (a
// copy to put back, sqlite3's .recover), not 99 "an IMS Lab fault" with SQLite's words alone.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { closeDatabase, DATABASE_FILE, openDatabase } from '../../../core/store/database';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { registrationRecord } from '../../../core/cdr/from-events';
import { SILENT_LOG } from '../../../core/observe/log';
import { StoreWorker } from '../../../core/store/store-worker';
import { damagedHistory, damageTable } from '../../support/damaged-database';
import { binding, registration, T0 } from '../cdr/fixtures';
import { makeDir, NOW, openLab, run, useLabs } from './lab';

useLabs();

describe('MML on a damaged database', () => {
  it('answers RETCODE 7 naming ims-lab.db and how to put it right', async () => {
    const dir = makeDir();
    const file = damagedHistory(dir, 'tester', NOW);

    const lab = openLab(dir);
    const r = await run(lab, 'DSP HISTORY');
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(r.message).toContain(`The database ${file} is damaged (database disk image is malformed)`);
    expect(r.message).toContain(`${file}.before-*`);
    expect(r.message).toContain(`sqlite3 ${file} ".recover"`);
  });

  it("says the same when the store's worker meets the damage reading CDR rows (DSP CDR, DSP CDR STAT)", async () => {
    const dir = makeDir();
    const db = openDatabase(dir);
    new SqliteCdrStore(db, dir).insert(
      Array.from({ length: 300 }, (_, i) => registrationRecord(registration('refreshed', binding(), T0 + i))),
      T0,
    );
    closeDatabase(db);
    const file = join(dir, DATABASE_FILE);
    damageTable(file, 'cdr');

    const lab = openLab(dir);
    const worker = new StoreWorker(lab.db, SILENT_LOG);
    await worker.start();
    try {
      lab.ctx.cdr = new SqliteCdrStore(lab.db, dir, worker);
      for (const command of ['DSP CDR DATE=2026-11-24 STATE=SUCCESS', 'DSP CDR STAT DATE=2026-11-24']) {
        const r = await run(lab, command);
        expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
        expect(r.message).toContain(`The database ${file} is damaged (database disk image is malformed)`);
      }
    } finally {
      await worker.stop();
    }
  });
});
