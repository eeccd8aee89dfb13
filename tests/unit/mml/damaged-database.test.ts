// A command that reads a damaged page of the database: RETCODE 7 naming the file and the way out (a
// copy to put back, sqlite3's .recover), not 99 "an IMS Lab fault" with SQLite's words alone.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { SqliteMmlHistory } from '../../../core/mml/history';
import { closeDatabase, DATABASE_FILE, openDatabase } from '../../../core/store/database';
import { damageTable } from '../../support/damaged-database';
import { makeDir, NOW, openLab, run, useLabs } from './lab';

useLabs();

describe('MML on a damaged database', () => {
  it('answers RETCODE 7 naming ims-lab.db and how to put it right', async () => {
    const dir = makeDir();
    const db = openDatabase(dir);
    const history = new SqliteMmlHistory(db);
    for (let i = 0; i < 200; i++)
      history.append({
        at: NOW + i,
        who: 'tester',
        command: `DSP USER ${'x'.repeat(200)}`,
        retcode: 0,
        message: 'ok',
      });
    closeDatabase(db);
    const file = join(dir, DATABASE_FILE);
    damageTable(file, 'mml_history');

    const lab = openLab(dir);
    const r = await run(lab, 'DSP HISTORY');
    expect(r.retcode).toBe(RETCODE.OPERATION_FAILED);
    expect(r.message).toContain(`The database ${file} is damaged (database disk image is malformed)`);
    expect(r.message).toContain(`${file}.before-*`);
    expect(r.message).toContain(`sqlite3 ${file} ".recover"`);
  });
});
