// A stop while the disk is full (a real one: a tmpfs, which needs root; skipped elsewhere): the rows the
// database cannot take are kept beside it (cdr-unwritten.json, in the room set aside at start) and the next
// start writes them first, each with its own end; the calls the journal held when the disk filled are
// not taken for an unclean stop's. Before, the stop logged "stopping with N records not written": the
// rows were gone, and the journal's calls came back as UNCLEAN_SHUTDOWN with the wrong end.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { SqliteLiveCallJournal } from '../../../core/cdr/live-calls';
import { CdrRecorder } from '../../../core/cdr/recorder';
import { CdrSpill, SPILL_FILE } from '../../../core/cdr/spill';
import { closeDatabase, openDatabase, type Database } from '../../../core/store/database';
import { canMount, fillDisk, useTmpfsDisks } from '../../support/tmpfs';
import { call, callEvent, keptLog, message, readCsv, T0, useShanghaiTime } from './fixtures';

const mount = useTmpfsDisks();
useShanghaiTime();

function recorderOn(
  db: Database,
  dir: string,
  log = keptLog(),
): { recorder: CdrRecorder; store: SqliteCdrStore } {
  const store = new SqliteCdrStore(db, dir);
  const recorder = new CdrRecorder({
    store,
    archive: store.archive,
    log,
    journal: new SqliteLiveCallJournal(db),
    spill: new CdrSpill(dir),
    flushIntervalMs: 60_000, // flushed by the test
    now: () => T0 + 10_000,
  });
  return { recorder, store };
}

describe.skipIf(!canMount)('the CDR recorder stopped on a full disk', () => {
  it('keeps the rows the database did not take, and the next start writes them with their own ends', async () => {
    const disk = mount('8m');
    const dir = join(disk, 'data');
    let db = openDatabase(dir);
    try {
      const firstLog = keptLog();
      const first = recorderOn(db, dir, firstLog);
      first.recorder.importSpilled();
      first.recorder.recoverJournal();
      // A call up before the disk fills: the journal holds it.
      const early = call({ id: 'early', callId: 'early', state: 'answered', endedAt: undefined });
      first.recorder.onCall(callEvent('answered', early, T0 + 503));
      first.recorder.flush();
      expect(new SqliteLiveCallJournal(db).read().calls.map((c) => c.id)).toEqual(['early']);

      fillDisk(disk);
      // 300 completed calls and messages while the disk is full: the database cannot take them.
      for (let i = 0; i < 150; i++) {
        const c = call({ id: `c${i}`, callId: `c${i}`, endedAt: T0 + 4000 + i });
        first.recorder.onCall(callEvent('ended', c));
        first.recorder.onMessage(message({ callId: `m${i}`, body: 'x'.repeat(200) }));
      }
      first.recorder.flush();
      expect(first.recorder.pending).toBe(300);
      // The early call ends normally, still on the full disk; then the stop.
      first.recorder.onCall(callEvent('ended', call({ id: 'early', callId: 'early', endedAt: T0 + 7000 })));
      first.recorder.stop();
      rmSync(join(disk, 'filler')); // room again before the journal's emptying (settle): not "works again"
      await first.recorder.settle();
      expect(firstLog.lines.filter((l) => l.includes('work again'))).toEqual([]);
      expect(existsSync(join(dir, SPILL_FILE))).toBe(true);
      expect(firstLog.lines.filter((l) => l.includes('stopping with'))).toEqual([
        expect.stringMatching(
          /^WARNING cdr: stopping with 301 records the database did not take \(.*full.*\): kept in .*cdr-unwritten.json/,
        ),
      ]);
    } finally {
      closeDatabase(db);
    }

    db = openDatabase(dir);
    try {
      const log = keptLog();
      const next = recorderOn(db, dir, log);
      expect(next.recorder.importSpilled()).toBe(301);
      expect(next.recorder.recoverJournal()).toBe(0);
      expect(existsSync(join(dir, SPILL_FILE))).toBe(false);
      expect(
        log.lines.some((l) => l.startsWith('WARNING cdr: 301 records the last stop could not write')),
      ).toBe(true);
      expect(log.lines.some((l) => l.includes('UNCLEAN'))).toBe(false);
      const rows = db
        .prepare<[], { call_id: string; ended_at: number; termination_reason: string; record_type: string }>(
          'SELECT call_id, ended_at, termination_reason, record_type FROM cdr',
        )
        .all();
      expect(rows).toHaveLength(301);
      const calls = rows.filter((r) => r.record_type === 'CALL');
      expect(calls).toHaveLength(151);
      expect(calls.find((r) => r.call_id === 'early')).toMatchObject({
        ended_at: T0 + 7000,
        termination_reason: 'Normal',
      });
      for (let i = 0; i < 150; i++)
        expect(calls.find((r) => r.call_id === `c${i}`)?.ended_at).toBe(T0 + 4000 + i);
      expect(new SqliteLiveCallJournal(db).read().calls).toEqual([]);
      // And in the CSV archive, once each.
      next.recorder.stop();
      const day = readCsv(readFileSync(next.store.archive.dayFile('2026-11-24'), 'utf8'));
      expect(day).toHaveLength(1 + 301);
      // A second start finds nothing more to write.
      const again = recorderOn(db, dir);
      expect(again.recorder.importSpilled()).toBe(0);
      expect(db.prepare('SELECT COUNT(*) AS n FROM cdr').get()).toEqual({ n: 301 });
    } finally {
      closeDatabase(db);
    }
  });
});
