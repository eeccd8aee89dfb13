// The CDR recorder's journal of calls in progress (core/cdr/live-calls.ts, table cdr_live_calls) on a
// real SQLite file: the calls up at a flush are there, each removed in the transaction of its row; a
// recorder started on the same database after an unclean stop (no stop() ran) writes their rows, ended at
// the last moment the appliance was known to run; a clean stop leaves it empty.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Call } from '../../../core/calls/call';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { ALIVE_AT_SETTING, SqliteLiveCallJournal } from '../../../core/cdr/live-calls';
import { ALIVE_STAMP_MS, CdrRecorder, type CdrRecorderOptions } from '../../../core/cdr/recorder';
import type { CdrRecord } from '../../../core/cdr/record';
import type { Database } from '../../../core/store/database';
import { StoreWorker } from '../../../core/store/store-worker';
import { makeDataDir, open, useDataDirs } from '../store/data-dir';
import {
  byeRequest,
  call,
  callEvent,
  keptLog,
  readCsv,
  T0,
  until,
  useShanghaiTime,
  type KeptLog,
} from './fixtures';

useDataDirs();
useShanghaiTime();

const recorders: CdrRecorder[] = [];
const workers: StoreWorker[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const w of workers.splice(0)) await w.stop();
});

let clock = T0;

function recorderOn(db: Database, dir: string, options: Partial<CdrRecorderOptions> = {}) {
  const store = new SqliteCdrStore(db, dir);
  const log: KeptLog = keptLog();
  const recorder = new CdrRecorder({
    store,
    archive: store.archive,
    log,
    now: () => clock,
    flushIntervalMs: 3_600_000, // flushed by hand unless a test sets its own
    journal: new SqliteLiveCallJournal(db),
    ...options,
  });
  recorders.push(recorder);
  return { store, log, recorder };
}

const journal = (db: Database): string[] =>
  db.prepare<[], string>('SELECT id FROM cdr_live_calls ORDER BY id').pluck().all();
const aliveAt = (db: Database): string | undefined =>
  db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck().get(ALIVE_AT_SETTING);
const rowsOf = (db: Database): CdrRecord[] =>
  db.prepare<[], CdrRecord>('SELECT * FROM cdr ORDER BY sip_call_id').all();

const up = (id: string, changes: Partial<Call> = {}): Call =>
  call({
    id,
    callId: id,
    state: 'calling',
    ringingAt: undefined,
    answeredAt: undefined,
    endedAt: undefined,
    statusCode: 0,
    statusText: '',
    endReason: '',
    hangupBy: undefined,
    ...changes,
  });

describe('CdrRecorder: the journal of calls in progress', () => {
  it('holds the calls up at a flush and loses each in the transaction of its row; a short call never enters', () => {
    const dir = makeDataDir();
    const db = open(dir);
    const { recorder } = recorderOn(db, dir);
    clock = T0 + 1000;
    const long = up('long');
    recorder.onCall(callEvent('started', long, T0));
    const short = up('short');
    recorder.onCall(callEvent('started', short, T0));
    recorder.onCall(
      callEvent(
        'ended',
        { ...short, state: 'failed', statusCode: 486, statusText: 'Busy Here', endedAt: T0 + 10 },
        T0 + 10,
      ),
    );
    recorder.flush();
    expect(journal(db)).toEqual(['long']);
    expect(aliveAt(db)).toBe(String(T0 + 1000));
    expect(rowsOf(db).map((r) => r.sip_call_id)).toEqual(['short']);

    recorder.onCall(
      callEvent(
        'ended',
        {
          ...long,
          state: 'ended',
          answeredAt: T0 + 100,
          endedAt: T0 + 2000,
          statusCode: 200,
          statusText: 'OK',
        },
        T0 + 2000,
      ),
    );
    recorder.flush();
    expect(journal(db)).toEqual([]);
    expect(rowsOf(db).map((r) => r.sip_call_id)).toEqual(['long', 'short']);
  });

  it('after an unclean stop, the next start writes a row for each call it holds: answered ENDED, ringing FAILED, at the last stamp', () => {
    const dir = makeDataDir();
    const db = open(dir);
    const first = recorderOn(db, dir);
    clock = T0 + 5000;
    const talking = up('talking', {
      state: 'answered',
      ringingAt: T0 + 200,
      answeredAt: T0 + 900,
      statusCode: 200,
      statusText: 'OK',
    });
    const ringing = up('ringing', { state: 'ringing', ringingAt: T0 + 300 });
    first.recorder.onCall(callEvent('started', up('talking'), T0));
    first.recorder.onCall(callEvent('answered', talking, T0 + 900));
    first.recorder.onCall(callEvent('started', up('ringing'), T0));
    first.recorder.onCall(callEvent('ringing', ringing, T0 + 300));
    first.recorder.flush();
    clock = T0 + 7000;
    first.recorder.flush(); // the "still running" stamp, nothing else
    expect(aliveAt(db)).toBe(String(T0 + 7000));
    // kill -9: no stop(). A new recorder on the same database, at a start an hour later.
    clock = T0 + 3_600_000;
    const next = recorderOn(db, dir);
    expect(next.recorder.recoverJournal()).toBe(2);
    expect(journal(db)).toEqual([]);
    // Their BYEs, to a proxy that does not know them: no second row (unknown-dialog-bye.ts).
    next.recorder.onUnknownDialogBye(byeRequest('talking'), {
      transport: 'UDP',
      address: '10.0.0.5',
      port: 5062,
    });
    const rows = rowsOf(db);
    expect(
      rows.map((r) => [r.sip_call_id, r.call_state, r.termination_reason, r.end_reason, r.hangup_by]),
    ).toEqual([
      ['ringing', 'FAILED', 'UNCLEAN_SHUTDOWN', 'Unclean stop', 'system'],
      ['talking', 'ENDED', 'UNCLEAN_SHUTDOWN', 'Unclean stop', 'system'],
    ]);
    expect(rows[1]).toMatchObject({
      ended_at: T0 + 7000,
      answered_at: T0 + 900,
      talk_ms: 6100,
      duration: 6.1,
      status_code: 200,
    });
    expect(rows[0]).toMatchObject({
      ended_at: T0 + 7000,
      answered_at: null,
      status_code: null,
      duration: null,
      ring_ms: 6700,
    });
    expect(next.log.lines.filter((l) => l.startsWith('WARNING'))).toEqual([
      expect.stringMatching(
        /^WARNING cdr: 2 call\(s\) were up when IMS Lab last stopped uncleanly .*1 answered \(ENDED\), 1 not answered \(FAILED\).*UNCLEAN_SHUTDOWN/,
      ),
    ]);
    // The CSV day file has them too.
    const csv = readCsv(readFileSync(next.store.archive.dayFile(rows[0]!.date), 'utf8'));
    expect(
      csv
        .slice(1)
        .map((line) => line[0])
        .sort(),
    ).toEqual(rows.map((r) => r.record_id).sort());
    // A start with an empty journal does nothing.
    const third = recorderOn(db, dir);
    expect(third.recorder.recoverJournal()).toBe(0);
    expect(third.log.lines).toEqual([]);
    expect(rowsOf(db)).toHaveLength(2);
  });

  it("keeps a call's extra_info known from its start: a dialer call's row after kill -9 names its campaign", () => {
    const dir = makeDataDir();
    const db = open(dir);
    const first = recorderOn(db, dir);
    // The dialer's: one Map lookup by Call-ID, asked at the flush that writes the call.
    first.recorder.annotateCalls(undefined, (callId) =>
      callId === 'dialed' ? 'dialer campaign=C0049' : undefined,
    );
    clock = T0 + 1000;
    first.recorder.onCall(callEvent('started', up('dialed'), T0));
    first.recorder.onCall(callEvent('started', up('phoned'), T0));
    first.recorder.flush();
    clock = T0 + 3_600_000; // kill -9, then a start
    const next = recorderOn(db, dir);
    expect(next.recorder.recoverJournal()).toBe(2);
    expect(rowsOf(db).map((r) => [r.sip_call_id, r.termination_reason, r.extra_info])).toEqual([
      ['dialed', 'UNCLEAN_SHUTDOWN', 'dialer campaign=C0049'],
      ['phoned', 'UNCLEAN_SHUTDOWN', ''],
    ]);
  });

  it('a clean stop leaves the journal empty (through the store worker, a batch in flight at the stop)', async () => {
    const dir = makeDataDir();
    const db = open(dir);
    const worker = new StoreWorker(db, keptLog(), { intervalMs: 50 });
    workers.push(worker);
    await worker.start();
    const store = new SqliteCdrStore(db, dir);
    const { recorder } = recorderOn(db, dir, {
      flushIntervalMs: 20,
      now: Date.now,
      writeBehind: {
        available: () => worker.running,
        plan: (records, now) => store.plan(records, now),
        write: (steps) => worker.write(steps),
      },
    });
    for (let i = 0; i < 20; i++) recorder.onCall(callEvent('started', up(`c${i}`), Date.now()));
    await until(() => journal(db).length === 20, 2000);
    for (let i = 20; i < 30; i++) recorder.onCall(callEvent('started', up(`c${i}`), Date.now()));
    recorder.stop();
    await recorder.settle();
    expect(journal(db)).toEqual([]);
    expect(aliveAt(db)).toBeUndefined();
    const rows = rowsOf(db);
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((r) => r.termination_reason))).toEqual(
      new Set(['FORCED_TERMINATION_BY_SHUTDOWN']),
    );
  });

  it('while calls are up and nothing happens, the "still running" stamp is written every ALIVE_STAMP_MS', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const dir = makeDataDir();
    const db = open(dir);
    const { recorder } = recorderOn(db, dir, { flushIntervalMs: 50 });
    clock = T0;
    recorder.onCall(callEvent('started', up('quiet'), T0));
    clock = T0 + 50;
    vi.advanceTimersByTime(50);
    expect(journal(db)).toEqual(['quiet']);
    expect(aliveAt(db)).toBe(String(T0 + 50));
    clock = T0 + 50 + ALIVE_STAMP_MS;
    vi.advanceTimersByTime(ALIVE_STAMP_MS - 1);
    expect(aliveAt(db)).toBe(String(T0 + 50));
    vi.advanceTimersByTime(1);
    expect(aliveAt(db)).toBe(String(T0 + 50 + ALIVE_STAMP_MS));
    // An event needing a row is not held back by the stamp's longer timer.
    clock += 50;
    recorder.onCall(callEvent('ended', { ...up('quiet'), state: 'cancelled', endedAt: clock }, clock));
    vi.advanceTimersByTime(50);
    expect(rowsOf(db).map((r) => r.sip_call_id)).toEqual(['quiet']);
    expect(journal(db)).toEqual([]);
    recorder.stop();
  });
});
