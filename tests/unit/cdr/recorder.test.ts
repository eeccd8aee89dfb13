import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { CDR_CSV_HEADER, cdrCsvLine } from '../../../core/cdr/csv';
import { CdrRecorder } from '../../../core/cdr/recorder';
import type { CdrRecorderOptions, CdrWriteBehind } from '../../../core/cdr/recorder';
import { CDR_COLUMNS, type CdrRecord, type NewCdrRecord } from '../../../core/cdr/record';
import { DATABASE_FILE } from '../../../core/store/database';
import type { Database } from '../../../core/store/database';
import { StoreWorker } from '../../../core/store/store-worker';
import type { WriteStep } from '../../../core/store/store-worker';
import { makeDataDir, open, useDataDirs } from '../store/data-dir';
import {
  binding,
  call,
  callEvent,
  keptLog,
  message,
  readCsv,
  registration,
  T0,
  until,
  useShanghaiTime,
  byeRequest,
} from './fixtures';
import type { KeptLog } from './fixtures';

useDataDirs();
useShanghaiTime();

interface Rig {
  dir: string;
  db: Database;
  store: SqliteCdrStore;
  recorder: CdrRecorder;
  log: KeptLog;
  /** Sizes of the batches handed to the store, one entry per insert (= per transaction). */
  batches: number[];
}

const recorders: CdrRecorder[] = [];
afterEach(() => {
  for (const r of recorders.splice(0)) r.stop();
});

function rig(options: Partial<CdrRecorderOptions> = {}): Rig {
  const dir = makeDataDir();
  const db = open(dir);
  const store = new SqliteCdrStore(db, dir);
  const log = keptLog();
  const batches: number[] = [];
  const recorder = new CdrRecorder({
    store: {
      insert: (records: readonly NewCdrRecord[], now?: number): CdrRecord[] => {
        batches.push(records.length);
        return store.insert(records, now);
      },
    },
    archive: store.archive,
    log,
    server: () => ({ address: '192.0.2.1', port: 5060 }),
    now: () => T0 + 10_000,
    flushIntervalMs: 3_600_000, // tests flush by hand unless they set their own
    ...options,
  });
  recorders.push(recorder);
  return { dir, db, store, recorder, log, batches };
}

const rows = async (store: SqliteCdrStore): Promise<CdrRecord[]> =>
  (await store.page({ limit: 1000 })).records.reverse();

describe('CdrRecorder', () => {
  it('a call gives exactly one row, even when its end is delivered twice', async () => {
    const { store, recorder } = rig();
    const c = call();
    recorder.onCall(callEvent('started', { ...c, state: 'calling' }, c.startedAt));
    recorder.onCall(callEvent('ringing', { ...c, state: 'ringing' }, c.ringingAt));
    recorder.onCall(callEvent('answered', { ...c, state: 'answered' }, c.answeredAt));
    expect(recorder.liveCalls).toBe(1);
    recorder.onCall(callEvent('ended', c));
    recorder.onCall(callEvent('ended', c));
    expect(recorder.pending).toBe(1);
    expect(recorder.flush()).toBe(1);
    recorder.onCall(callEvent('ended', c)); // a late repeat, after the flush
    expect(recorder.flush()).toBe(0);

    const [row, ...others] = await rows(store);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      record_type: 'CALL',
      call_state: 'ENDED',
      call_id: c.callId,
      duration: 3,
      setup_time: '0.50s',
      setup_ms: 503,
      ringing_time: '00:38:05.930',
      record_id: '20261124003815000001',
    });
    expect(recorder.written).toBe(1);
    expect(recorder.liveCalls).toBe(0);
  });

  it("an annotation's final fields: the row waits for them; at stop() it goes with what it has", async () => {
    const { store, recorder } = rig();
    let finish!: (f: Partial<NewCdrRecord>) => void;
    recorder.annotateCalls((c) =>
      c.callId === 'waits'
        ? { fields: { extra_info: 'live' }, final: new Promise((r) => (finish = r)) }
        : { fields: { extra_info: 'now' }, final: new Promise(() => undefined) },
    );
    recorder.onCall(callEvent('ended', call({ id: 'w', callId: 'waits' })));
    expect(recorder.flush()).toBe(0); // held for its final fields
    finish({ extra_info: 'final' });
    await Promise.resolve();
    expect(recorder.flush()).toBe(1);
    recorder.onCall(callEvent('ended', call({ id: 'n', callId: 'never' })));
    recorder.stop(); // its final fields never came: written all the same
    const byCall = new Map((await rows(store)).map((r) => [r.call_id, r.extra_info]));
    expect([...byCall]).toEqual([
      ['waits', 'final'],
      ['never', 'now'],
    ]);
  });

  it('a call that reuses an id with a new start is a new call', () => {
    const { store, recorder } = rig();
    recorder.onCall(callEvent('ended', call()));
    recorder.onCall(callEvent('ended', call({ startedAt: T0 + 5000, endedAt: T0 + 9000 })));
    recorder.flush();
    expect(store.count()).toBe(2);
  });

  it('every REGISTER refresh with the same Call-ID is a row, and so is the unregister', async () => {
    const { store, recorder } = rig();
    const b = binding();
    recorder.onRegistration(registration('bound', b, T0));
    recorder.onRegistration(registration('refreshed', { ...b, cseq: 3 }, T0 + 1000));
    recorder.onRegistration(registration('refreshed', { ...b, cseq: 4 }, T0 + 2000));
    recorder.onRegistration(registration('removed', { ...b, cseq: 5 }, T0 + 3000, 'unregister'));
    recorder.onRegistration(registration('expired', binding({ aor: 'sip:1002@ims.lab' }), T0 + 4000));
    recorder.flush();
    expect(
      (await rows(store)).map((r) => [
        r.record_type,
        r.call_state,
        r.call_id,
        r.cseq,
        r.expires,
        r.server_ip,
      ]),
    ).toEqual([
      ['REGISTER', 'SUCCESS', '422098@192.0.2.10', '2 REGISTER', 3600, '192.0.2.1'],
      ['REGISTER', 'SUCCESS', '422098@192.0.2.10', '3 REGISTER', 3599, '192.0.2.1'],
      ['REGISTER', 'SUCCESS', '422098@192.0.2.10', '4 REGISTER', 3598, '192.0.2.1'],
      ['REGISTER', 'UNREGISTERED', '422098@192.0.2.10', '5 REGISTER', null, ''],
      ['REGISTER', 'EXPIRED', '422098@192.0.2.10', '2 REGISTER', null, ''],
    ]);
  });

  it('a MESSAGE is a row; the CSV day file gets the same rows after the commit', async () => {
    const { dir, store, recorder } = rig();
    recorder.onMessage(message());
    recorder.onCall(callEvent('ended', call()));
    expect(recorder.flush()).toBe(2);
    const stored = await rows(store);
    // Both start at T0: numbered in the events' order, which breaks the tie.
    expect(stored.map((r) => [r.record_type, r.record_id])).toEqual([
      ['MESSAGE', '20261124003815000001'],
      ['CALL', '20261124003815000002'],
    ]);
    const csv = readFileSync(join(dir, 'CDR', '2026-11-24', 'cdr_2026-11-24.csv'), 'utf8');
    expect(csv).toBe(CDR_CSV_HEADER + stored.map(cdrCsvLine).join(''));
  });

  it('says in the log that a day file of other columns was set aside, naming both files and why', () => {
    const { dir, recorder, log } = rig();
    const day = join(dir, 'CDR', '2026-11-24');
    mkdirSync(day, { recursive: true });
    const file = join(day, 'cdr_2026-11-24.csv');
    // The original's file, copied in on the day of the move: its 34 columns.
    writeFileSync(file, `${CDR_COLUMNS.slice(0, 34).join(',')}\r\n${'1,'.repeat(33)}1\r\n`);
    recorder.onMessage(message());
    recorder.flush();
    const aside = join(day, 'cdr_2026-11-24_before.csv');
    expect(log.lines).toEqual([
      `WARNING cdr: ${file} was renamed ${aside}, whole, and the day's rows go on in a new ${file}: its header ` +
        `has 34 columns, this IMS Lab writes ${CDR_COLUMNS.length} (the original's file, or an older IMS Lab's)`,
    ]);
    // Once: the new file is ours.
    recorder.onMessage(message({ callId: 'second' }));
    recorder.flush();
    expect(log.lines).toHaveLength(1);
  });

  it('files a row under its own date: a call across midnight stays in the start day', () => {
    const { dir, recorder } = rig();
    const start = Date.UTC(2026, 10, 24, 15, 59, 58, 0); // 23:59:58, UTC+8
    recorder.onCall(
      callEvent(
        'ended',
        call({ startedAt: start, ringingAt: undefined, answeredAt: start + 1000, endedAt: start + 9000 }),
      ),
    );
    recorder.flush();
    const csv = readCsv(readFileSync(join(dir, 'CDR', '2026-11-24', 'cdr_2026-11-24.csv'), 'utf8'));
    expect(csv).toHaveLength(2);
    expect(csv[1]!.slice(3, 6)).toEqual(['2026-11-24', '23:59:58', '00:00:07']);
  });

  it('flushes by itself within the interval, all queued events in one transaction', async () => {
    const { store, recorder, batches } = rig({ flushIntervalMs: 200, now: Date.now });
    for (let i = 0; i < 100; i++) recorder.onCall(callEvent('ended', call({ id: `c${i}`, callId: `c${i}` })));
    recorder.onMessage(message());
    expect(store.count()).toBe(0); // never written on the event's own path
    // Written with nobody asking, not before the interval (no upper bound: a loaded machine is late).
    const waited = await until(() => recorder.written > 0, 10_000);
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(batches).toEqual([101]);
    expect(store.count()).toBe(101);
  });

  it('stop() records calls still up as ended by the system and flushes at once', async () => {
    const { store, recorder, log } = rig();
    const ringing = call({
      id: 'r1',
      callId: 'r1',
      state: 'ringing',
      answeredAt: undefined,
      endedAt: undefined,
      statusCode: 0,
      statusText: '',
      endReason: '',
    });
    const talking = call({ id: 't1', callId: 't1', state: 'answered', endedAt: undefined });
    recorder.onCall(callEvent('started', ringing, T0));
    recorder.onCall(callEvent('answered', talking, T0 + 503));
    recorder.onRegistration(registration('bound'));
    recorder.stop();
    const byCall = new Map((await rows(store)).map((r) => [r.call_id, r]));
    expect(store.count()).toBe(3);
    expect(byCall.get('r1')).toMatchObject({
      call_state: 'CANCELLED', // still ringing: never answered
      status_code: 487, // as a CANCEL's row (RMV CALL, the caller's): it was blank
      status_text: 'Request Terminated',
      termination_reason: 'FORCED_TERMINATION_BY_SHUTDOWN',
      end_reason: 'System shutdown',
      hangup_by: 'system',
      duration: null,
      ended_at: T0 + 10_000,
    });
    expect(byCall.get('t1')).toMatchObject({
      call_state: 'ENDED',
      status_code: 200,
      duration: 9.5,
      end_reason: 'System shutdown',
    });

    recorder.onMessage(message()); // after stop: refused, said so
    expect(recorder.flush()).toBe(0);
    expect(log.lines.some((l) => l.startsWith('WARNING cdr: a MESSAGE record after stop()'))).toBe(true);
  });

  it('recordLiveCalls writes the given calls once; a later end of the same call is no second row', async () => {
    const { store, recorder } = rig();
    const up = call({ state: 'answered', endedAt: undefined });
    expect(recorder.recordLiveCalls([up, up], T0 + 7000)).toBe(1);
    recorder.onCall(callEvent('ended', { ...up, state: 'ended', endedAt: T0 + 8000 }));
    recorder.flush();
    expect((await rows(store)).map((r) => [r.end_reason, r.ended_at])).toEqual([
      ['System shutdown', T0 + 7000],
    ]);
  });

  it('an OPTIONS is a row, unless recordOptions says no (setting CDR.OPTIONS)', async () => {
    let on = true;
    const { store, recorder } = rig({ recordOptions: () => on });
    const c = call();
    const ping = {
      callId: 'ka-1@192.0.2.10',
      cseq: '7 OPTIONS',
      from: { ...c.caller, contact: '' },
      to: {
        ...c.callee,
        header: '<sip:192.0.2.1>',
        uri: 'sip:192.0.2.1',
        number: '',
        address: '',
        port: 0,
        userAgent: '',
        contact: '',
      },
      statusCode: 200,
      statusText: 'OK',
      sentAt: T0,
      at: T0,
    };
    recorder.onOptions(ping);
    on = false;
    recorder.onOptions({ ...ping, cseq: '8 OPTIONS' });
    on = true;
    recorder.onOptions({ ...ping, cseq: '9 OPTIONS', statusCode: 420, statusText: 'Bad Extension' });
    recorder.flush();
    expect(
      (await rows(store)).map((r) => [r.record_type, r.call_state, r.cseq, r.status_code, r.end_reason]),
    ).toEqual([
      ['OPTIONS', 'COMPLETED', '7 OPTIONS', 200, ''],
      ['OPTIONS', 'FAILED', '9 OPTIONS', 420, '420 Bad Extension'],
    ]);
  });

  it('a registration is a row, unless recordRegistrations says no (setting CDR.REGISTER)', async () => {
    let on = true;
    const { store, recorder } = rig({ recordRegistrations: () => on });
    const b = binding();
    recorder.onRegistration(registration('bound', b, T0));
    on = false;
    recorder.onRegistration(registration('refreshed', { ...b, cseq: 3 }, T0 + 1000));
    recorder.onRegistration(registration('removed', { ...b, cseq: 4 }, T0 + 2000, 'unregister'));
    on = true;
    recorder.onRegistration(registration('expired', binding({ aor: 'sip:1002@ims.lab' }), T0 + 3000));
    recorder.flush();
    expect((await rows(store)).map((r) => [r.record_type, r.call_state, r.cseq])).toEqual([
      ['REGISTER', 'SUCCESS', '2 REGISTER'],
      ['REGISTER', 'EXPIRED', '2 REGISTER'],
    ]);
  });

  it('keeps the batch and retries when the database is locked, without throwing', () => {
    const { dir, db, store, recorder, log } = rig();
    db.pragma('busy_timeout = 0');
    const other = new BetterSqlite3(join(dir, DATABASE_FILE));
    try {
      other.exec('BEGIN EXCLUSIVE');
      recorder.onCall(callEvent('ended', call()));
      expect(recorder.flush()).toBe(0);
      expect(recorder.pending).toBe(1);
      expect(log.lines.filter((l) => l.startsWith('ERROR'))).toEqual([
        'ERROR cdr: could not write 1 records, will retry: database is locked',
      ]);
      // /healthz says so (Appliance.dataFolderProblem) until the rows are written.
      expect(recorder.problem()).toBe(
        'CDR records cannot be written to the database (1 waiting): database is locked',
      );
      other.exec('COMMIT');
    } finally {
      other.close();
    }
    recorder.onMessage(message());
    expect(recorder.flush()).toBe(2);
    expect(recorder.pending).toBe(0);
    expect(store.count()).toBe(2);
    expect(log.lines.at(-1)).toBe('INFO cdr: database writes work again');
    expect(recorder.problem()).toBeUndefined();
  });

  it('a failing CSV append does not lose or duplicate the committed rows', async () => {
    const { dir, store, recorder, log } = rig();
    writeFileSync(join(dir, 'CDR'), 'a file where the CDR folder should be');
    recorder.onCall(callEvent('ended', call()));
    expect(recorder.flush()).toBe(1);
    expect(store.count()).toBe(1);
    expect(log.lines.filter((l) => l.startsWith('ERROR'))).toHaveLength(1);
    expect(log.lines[0]).toMatch(/^ERROR cdr: could not append 1 rows to the 2026-11-24 CSV/);
    expect(recorder.problem()).toMatch(
      /^CDR rows cannot be appended to the CSV archive \(1 waiting\): .*ENOTDIR/,
    );

    rmSync(join(dir, 'CDR'));
    expect(recorder.flush()).toBe(0);
    expect(store.count()).toBe(1);
    const csv = readCsv(readFileSync(join(dir, 'CDR', '2026-11-24', 'cdr_2026-11-24.csv'), 'utf8'));
    expect(csv).toHaveLength(2);
    expect(csv[1]![0]).toBe((await rows(store))[0]!.record_id);
    expect(recorder.problem()).toBeUndefined();
  });

  it('a stop names rows missing from the CSV archive only after its last try', async () => {
    for (const roomAgain of [true, false]) {
      let full = true;
      const { dir, store, log } = rig();
      const archive = store.archive;
      const failing = new CdrRecorder({
        store,
        archive: {
          appendDay: (date, records) => {
            if (full)
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            archive!.appendDay(date, records);
          },
        },
        log,
        server: () => ({ address: '192.0.2.1', port: 5060 }),
        now: () => T0 + 10_000,
        flushIntervalMs: 3_600_000,
      });
      recorders.push(failing);
      failing.onCall(callEvent('ended', call()));
      expect(failing.flush()).toBe(1);
      failing.stop();
      full = !roomAgain; // the disk had room again by settle() (the WAL cut back)
      await failing.settle();
      const csv = join(dir, 'CDR', '2026-11-24', 'cdr_2026-11-24.csv');
      const stopping = log.lines.filter((l) => l.includes('stopping with'));
      if (roomAgain) {
        expect(readCsv(readFileSync(csv, 'utf8'))).toHaveLength(2);
        expect(stopping).toEqual([]);
      } else
        expect(stopping).toEqual([
          'ERROR cdr: stopping with 1 rows in the database but not appended to the CSV archive (ENOSPC: no space left on device, write): EXP CDR writes them',
        ]);
    }
  });

  it('a BYE of a dialog set up before an unclean stop leaves a row, once per Call-ID, and a WARNING', async () => {
    const { store, recorder, log } = rig();
    const bye = byeRequest('orphan-call');
    const source = { transport: 'UDP' as const, address: '10.0.0.5', port: 5062 };
    recorder.onUnknownDialogBye(bye, source);
    recorder.onUnknownDialogBye(bye, { ...source, address: '10.0.0.6' }); // the other party's
    recorder.flush();
    const [row, ...more] = await rows(store);
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      record_type: 'CALL',
      call_state: 'ENDED',
      call_id: 'orphan-call',
      caller_uri: 'sip:1001@ims.lab',
      callee_uri: 'sip:1002@ims.lab',
      caller_ip: '10.0.0.5',
      cseq: '2 BYE',
      termination_reason: 'UNCLEAN_SHUTDOWN',
      end_reason: 'Set up before an unclean stop (setup unknown): its BYE only',
    });
    expect(log.lines.filter((l) => l.startsWith('WARNING'))).toEqual([
      expect.stringMatching(
        /^WARNING cdr: a BYE \(Call-ID orphan-call\) ended a call this IMS Lab did not see set up: .*\(1 such since the start\)$/,
      ),
    ]);
  });

  it('a malformed event is logged, never thrown into the SIP path', () => {
    const { recorder, log } = rig();
    expect(() => recorder.onCall({ type: 'ended', call: undefined as never, at: T0 })).not.toThrow();
    expect(() =>
      recorder.onRegistration({ type: 'bound', binding: undefined as never, at: T0 }),
    ).not.toThrow();
    expect(log.lines.map((l) => l.split(':')[0])).toEqual(['ERROR cdr', 'ERROR cdr']);
    expect(log.lines[0]).toContain('a call event could not be recorded');
    expect(recorder.pending).toBe(0);
  });

  it('without an archive only the database is written', () => {
    const { dir, store, recorder } = rig({ archive: undefined });
    recorder.onMessage(message());
    recorder.flush();
    expect(store.count()).toBe(1);
    expect(() => readFileSync(join(dir, 'CDR', '2026-11-24', 'cdr_2026-11-24.csv'))).toThrow(/ENOENT/);
  });

  it('drops (and counts) records beyond maxPending while the database fails', () => {
    const { dir, db, recorder, log } = rig({ maxPending: 2 });
    db.pragma('busy_timeout = 0');
    const other = new BetterSqlite3(join(dir, DATABASE_FILE));
    try {
      other.exec('BEGIN EXCLUSIVE');
      for (let i = 0; i < 5; i++) recorder.onMessage(message({ cseq: `${i} MESSAGE` }));
      expect(recorder.pending).toBe(2);
      expect(recorder.dropped).toBe(3);
      expect(log.lines.filter((l) => l.includes('dropped'))).toHaveLength(1);
      recorder.flush();
      expect(recorder.problem()).toBe(
        'CDR records cannot be written to the database (2 waiting, 3 dropped since the start): database is locked',
      );
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(recorder.flush()).toBe(2);
  });
});

// The appliance's timer flushes go through the store worker (core/store/store-worker.ts): numbered on
// the loop, committed by the worker's own connection, CSV appended after the commit.
describe('CdrRecorder with a write-behind', () => {
  const workers: StoreWorker[] = [];
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.stop();
  });

  async function behindRig(
    wrap: (write: CdrWriteBehind['write']) => CdrWriteBehind['write'] = (w) => w,
  ): Promise<Rig & { worker: StoreWorker; handed: number[] }> {
    const r = rig({ flushIntervalMs: 20, now: Date.now });
    const worker = new StoreWorker(r.db, keptLog(), { intervalMs: 50 });
    workers.push(worker);
    await worker.start();
    const handed: number[] = [];
    const write = wrap((steps: readonly WriteStep[]) => worker.write(steps));
    const behind: CdrWriteBehind = {
      available: () => worker.running,
      plan: (records, now) => {
        handed.push(records.length);
        return r.store.plan(records, now);
      },
      write,
    };
    // A recorder of its own, on the same store, with the write-behind.
    const recorder = new CdrRecorder({
      store: { insert: (records, now) => (r.batches.push(records.length), r.store.insert(records, now)) },
      archive: r.store.archive,
      log: r.log,
      flushIntervalMs: 20,
      writeBehind: behind,
    });
    recorders.push(recorder);
    return { ...r, recorder, worker, handed };
  }

  it('the timer hands the batch to the worker; the loop never inserts; the CSV follows the commit', async () => {
    const { dir, store, recorder, batches, handed } = await behindRig();
    for (let i = 0; i < 50; i++) recorder.onCall(callEvent('ended', call({ id: `c${i}`, callId: `c${i}` })));
    await until(() => recorder.written === 50, 2000);
    expect(batches).toEqual([]);
    expect(handed).toEqual([50]);
    expect(recorder.pending).toBe(0);
    const stored = await rows(store);
    expect(stored).toHaveLength(50);
    expect(new Set(stored.map((r) => r.record_id)).size).toBe(50);
    const csv = readCsv(readFileSync(join(dir, 'CDR', '2026-11-24', 'cdr_2026-11-24.csv'), 'utf8'));
    expect(csv.slice(1).map((line) => line[0])).toEqual(stored.map((r) => r.record_id));
  });

  it('ids stay unique when flush() on the loop runs while a batch is with the worker', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let handedOver = false;
    const { store, recorder } = await behindRig((write) => async (steps) => {
      handedOver = true;
      await held; // the worker's batch waits until the loop has committed its own
      return write(steps);
    });
    recorder.onMessage(message({ cseq: '1 MESSAGE' }));
    await until(() => handedOver, 1000);
    recorder.onMessage(message({ cseq: '2 MESSAGE' }));
    expect(recorder.flush()).toBe(1); // on the loop's connection, numbered after the one in flight
    release();
    await until(() => recorder.written === 2, 2000);
    const byCseq = new Map((await rows(store)).map((r) => [r.cseq, r.record_id]));
    expect(byCseq.size).toBe(2);
    expect(byCseq.get('2 MESSAGE')! > byCseq.get('1 MESSAGE')!).toBe(true);
  });

  it('a batch the worker fails comes back and is written once, on the next attempt', async () => {
    let failures = 1;
    const { store, recorder, log, handed } = await behindRig((write) => (steps) => {
      if (failures-- > 0) return Promise.reject(new Error('disk I/O error'));
      return write(steps);
    });
    recorder.onMessage(message());
    recorder.onCall(callEvent('ended', call()));
    await until(() => recorder.written === 2, 2000);
    expect(handed).toEqual([2, 2]);
    expect(store.count()).toBe(2);
    expect(log.lines.filter((l) => l.startsWith('ERROR'))).toEqual([
      'ERROR cdr: could not write 2 records, will retry: disk I/O error',
    ]);
    expect(log.lines.at(-1)).toBe('INFO cdr: database writes work again');
    expect(recorder.problem()).toBeUndefined();
  });

  it('stop() then settle(): the batch with the worker lands, and one it gives back is written on the loop', async () => {
    let fail = false;
    const { store, recorder } = await behindRig(
      (write) => (steps) => (fail ? Promise.reject(new Error('stopped')) : write(steps)),
    );
    recorder.onMessage(message({ cseq: '1 MESSAGE' }));
    await until(() => recorder.pending === 1, 1000);
    fail = true;
    recorder.onMessage(message({ cseq: '2 MESSAGE' }));
    await until(() => recorder.pending === 2 && recorder.written === 0, 1000);
    recorder.stop();
    await recorder.settle();
    expect(recorder.pending).toBe(0);
    expect(store.count()).toBe(2);
  });
});
