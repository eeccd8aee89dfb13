// A command that reads a damaged page of the database: RETCODE 7 naming the file and the way out (a
// copy to put back, sqlite3's .recover), not 99 "an IMS Lab fault" with SQLite's words alone.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { storeFault } from '../../../core/mml/store-fault';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace, traceConfig } from '../../../core/trace/index';
import { FLOW, play } from '../trace/flow';
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

  it('DSP TRACE and CLR TRACE on a damaged trace.db: it is set aside and a new one started, ims-lab.db untouched', async () => {
    const lab = openLab();
    lab.settings.set('TRACE.PERSIST', 'true');
    const tap = new MessageTap();
    const config = traceConfig(lab.settings);
    const before = new SipTrace(tap, lab.dir, config);
    for (let i = 0; i < 40; i++)
      play(
        tap,
        FLOW.map((s) => ({ ...s, text: s.text.replaceAll('flow-1', `flow-${i}`) })),
      );
    before.stop();
    damageTable(join(lab.dir, 'trace.db'), 'trace_dialog');
    lab.ctx.trace = new SipTrace(tap, lab.dir, config, lab.logger.for('trace'));
    const listed = await run(lab, 'DSP TRACE');
    expect(listed.retcode).toBe(0);
    const warned = lab.logger.recent(10, {}).map((r) => r.text);
    expect(warned.join('\n')).toContain(`${join(lab.dir, 'trace.db')} is damaged`);
    expect((await run(lab, 'CLR TRACE CONFIRM=YES')).retcode).toBe(0);
    expect((await run(lab, 'DSP HISTORY')).retcode).toBe(0);
    expect(readdirSync(lab.dir).filter((n) => /^trace\.db\.damaged-[\d-]+$/.test(n))).toHaveLength(1);
    lab.ctx.trace.stop();
  });

  it('names trace.db, not ims-lab.db, when a damaged trace.db could not be set aside', () => {
    const dir = makeDir();
    const trace = join(dir, 'trace.db');
    const err = Object.assign(new Error('database disk image is malformed'), {
      code: 'SQLITE_CORRUPT',
      file: trace,
    });
    const text = storeFault(err, dir)!;
    expect(text).toContain(`The database ${trace} is damaged (database disk image is malformed)`);
    expect(text).toContain('it holds only the SIP trace');
    expect(text).toContain(`move ${trace} away`);
    expect(text).not.toContain('.recover');
  });
});
