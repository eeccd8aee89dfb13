import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import type { CdrChange } from '../../../core/cdr/cdr-change';
import { CDR_CSV_HEADER, cdrCsvLine } from '../../../core/cdr/csv';
import { callRecord, messageRecord, registrationRecord, setupTimeText } from '../../../core/cdr/from-events';
import { CDR_COLUMN_KINDS, CDR_COLUMNS } from '../../../core/cdr/record';
import type { NewCdrRecord } from '../../../core/cdr/record';
import { closeDatabase } from '../../../core/store/database';
import { filterParams, matchCallId, whereClause, type CdrFilter } from '../../../core/cdr/query';
import { StoreError } from '../../../core/store/types';
import {
  StoreWorker,
  type ChangeRequest,
  type ReadBehind,
  type ReadRequest,
} from '../../../core/store/store-worker';
import { SILENT_LOG } from '../../../core/observe/log';
import { clonesDensely } from '../../support/dense-clone';
import { makeDataDir, open, useDataDirs } from '../store/data-dir';
import { binding, call, message, registration, T0, useShanghaiTime } from './fixtures';
import { turnsDuring } from '../../support/turns';

useDataDirs();
useShanghaiTime();

const DAY = 86_400_000;

function openStore(dir = makeDataDir()): { dir: string; store: SqliteCdrStore } {
  return { dir, store: new SqliteCdrStore(open(dir), dir) };
}

/** A CALL row from `number` to 1002 that started `offset` ms after T0. */
/**
 * A store whose reads and changes go to a running store worker, each one recorded; `onLoop` reads the
 * same database on the loop's own connection.
 */
async function workerStore() {
  const dir = makeDataDir();
  const db = open(dir);
  const worker = new StoreWorker(db, SILENT_LOG);
  await worker.start();
  const reads: ReadRequest[] = [];
  const changes: ChangeRequest[] = [];
  const behind: ReadBehind = {
    available: () => worker.available(),
    read: (r) => (reads.push(r), worker.read(r)),
    change: (r) => (changes.push(r), worker.change(r)),
  };
  const store = new SqliteCdrStore(db, dir, behind);
  return { dir, db, worker, store, reads, changes, onLoop: new SqliteCdrStore(db, dir) };
}

function callAt(offset: number, number = '1001', state: 'ended' | 'failed' = 'ended'): NewCdrRecord {
  const c = call();
  const start = T0 + offset;
  return callRecord(
    call({
      callId: `call-${offset}@h`,
      id: `call-${offset}@h`,
      state,
      caller: { ...c.caller, number, uri: `sip:${number}@ims.lab` },
      startedAt: start,
      ringingAt: start + 100,
      answeredAt: state === 'ended' ? start + 500 : undefined,
      endedAt: start + 2500,
      statusCode: state === 'ended' ? 200 : 486,
      statusText: state === 'ended' ? 'OK' : 'Busy Here',
    }),
  );
}

describe('the cdr table (migrations 2 and 4)', () => {
  it('has the columns of CdrRecord, in order, with their kinds', () => {
    const db = open(makeDataDir());
    const info = db
      .prepare<[], { name: string; type: string; notnull: number }>('PRAGMA table_info(cdr)')
      .all();
    const sqlType = { text: 'TEXT', integer: 'INTEGER', real: 'REAL' } as const;
    expect(info.map((c) => c.name)).toEqual([...CDR_COLUMNS]);
    // setup_time was declared INTEGER (ms) by migration 2; since migration 4 it holds the original's
    // text ("0.50s"), which an INTEGER column keeps as TEXT (SQLite type affinity, §3.4 of its docs).
    const declared = (c: string): string =>
      c === 'setup_time' ? 'INTEGER' : sqlType[CDR_COLUMN_KINDS[c as keyof typeof CDR_COLUMN_KINDS]];
    expect(info.map((c) => c.type)).toEqual(CDR_COLUMNS.map(declared));
    // Text is never NULL ('' when empty); numbers are NULL when they do not apply.
    expect(info.filter((c) => c.notnull === 0).map((c) => c.name)).toEqual(
      CDR_COLUMNS.filter(
        (c) =>
          (CDR_COLUMN_KINDS[c] !== 'text' || c === 'setup_time') && !['started_at', 'ended_at'].includes(c),
      ),
    );
  });

  it('keeps setup_time as the text written', () => {
    const { store } = openStore();
    const [row] = store.insert([callAt(0)], T0);
    expect(store.get(row!.record_id)).toMatchObject({ setup_time: '0.50s', setup_ms: 500 });
  });

  it("writes setup_time as migration 4 converted the older rows' ms, whatever the delay", () => {
    const { dir } = openStore();
    const db = open(dir);
    const migrated = db.prepare("SELECT printf('%.2fs', ? / 1000.0) AS t").pluck();
    const differ: string[] = [];
    for (let ms = 0; ms <= 3_000; ms++) {
      const live = setupTimeText(ms);
      if (migrated.get(ms) !== live) differ.push(`${ms} ms: ${live}`);
    }
    expect(differ).toEqual([]);
  });
});

describe('SqliteCdrStore.insert', () => {
  it('numbers a batch YYYYmmddHHMMSS + counter and commits it for other connections', () => {
    const { dir, store } = openStore();
    const stored = store.insert([callAt(0), callAt(1), messageRecord(message())], T0);
    expect(stored.map((r) => r.record_id)).toEqual([
      '20261124003805000001',
      '20261124003805000002',
      '20261124003805000003',
    ]);
    expect(store.get('20261124003805000001')).toEqual(stored[0]);

    // Committed: a second connection on the same file sees the rows.
    const other = new SqliteCdrStore(open(dir), dir);
    expect(other.count()).toBe(3);
    expect(other.get('20261124003805000003')).toEqual(stored[2]);
  });

  it('keeps record_id unique across restarts, a clock stepping back and clear()', async () => {
    const dir = makeDataDir();
    const db = open(dir);
    const first = new SqliteCdrStore(db, dir);
    first.insert([callAt(0)], T0);
    closeDatabase(db);

    const { store } = openStore(dir);
    expect(store.insert([callAt(1)], T0)[0]!.record_id).toBe('20261124003805000002');
    expect(store.insert([callAt(2)], T0 - 60_000)[0]!.record_id).toBe('20261124003805000003');
    await store.clear({ all: true });
    expect(store.insert([callAt(3)], T0)[0]!.record_id).toBe('20261124003805000004');
    // A later second starts its own counter.
    expect(store.insert([callAt(4)], T0 + 1000)[0]!.record_id).toBe('20261124003806000001');
  });

  it('stores zeros as zeros and absent values as NULL', () => {
    const { store } = openStore();
    const [failed] = store.insert([callAt(0, '1001', 'failed')], T0);
    const [unreg] = store.insert(
      [registrationRecord(registration('removed', binding(), T0, 'unregister'))],
      T0,
    );
    expect(store.get(failed!.record_id)).toMatchObject({
      duration: null,
      talk_ms: 0,
      setup_time: '',
      setup_ms: null,
    });
    expect(store.get(unreg!.record_id)).toMatchObject({ expires: null, duration: null, callee_port: null });
    const [zero] = store.insert([callRecord(call({ answeredAt: T0, endedAt: T0 }))], T0);
    expect(store.get(zero!.record_id)).toMatchObject({ duration: 0, talk_ms: 0, setup_time: '0.00s' });
  });

  it('an empty batch writes nothing', () => {
    const { store } = openStore();
    expect(store.insert([], T0)).toEqual([]);
    expect(store.count()).toBe(0);
  });
});

describe('SqliteCdrStore.plan', () => {
  // The batch crosses to the store worker by structured clone, which writes a holey array (what V8's
  // optimised Array.prototype.map returns) as a sparse one, index by index. Planned often enough for V8 to
  // optimise it, the rows stay packed.
  it('hands over packed rows, also once optimised', () => {
    const { store } = openStore();
    const records = [callAt(0), callAt(1), callAt(2)];
    for (let i = 0; i < 20_000; i++) store.plan(records);
    const rows = store.plan(records).steps[0]!.rows;
    expect(rows).toHaveLength(3);
    expect(clonesDensely(rows)).toBe(true);
  });
});

describe('SqliteCdrStore.page', () => {
  /** 120 calls a minute apart from T0 (callers 1001..1003 in turn), then registrations on the next day. */
  function filled(): SqliteCdrStore {
    const { store } = openStore();
    const rows: NewCdrRecord[] = [];
    for (let i = 0; i < 120; i++) rows.push(callAt(i * 60_000, `100${(i % 3) + 1}`));
    for (let i = 0; i < 5; i++) {
      rows.push(registrationRecord(registration('refreshed', binding({ callId: 'reg-1@h' }), T0 + DAY + i)));
    }
    store.insert(rows, T0);
    return store;
  }

  it('pages newest first, 50 by default, with a cursor to the next page', async () => {
    const store = filled();
    const first = await store.page();
    expect(first.total).toBe(125);
    expect(first.limit).toBe(50);
    expect(first.records).toHaveLength(50);
    expect(first.records.slice(0, 5).map((r) => r.record_type)).toEqual(Array(5).fill('REGISTER'));
    expect(first.records[5]!.call_id).toBe(`call-${119 * 60_000}@h`);
    const second = await store.page({ before: first.next! });
    expect(second.records[0]!.call_id).toBe(`call-${74 * 60_000}@h`);
    const third = await store.page({ before: second.next! });
    expect(third.records).toHaveLength(25);
    expect(third.records.at(-1)!.call_id).toBe('call-0@h');
    expect(third.next).toBeUndefined();
    const all = [...first.records, ...second.records, ...third.records].map((r) => r.record_id);
    expect(new Set(all).size).toBe(125);
  });

  it('pages by time, and ties on started_at are broken by record_id', async () => {
    const store = filled();
    const page = await store.page({ before: T0 + 3 * 60_000, limit: 10 });
    expect(page.records.map((r) => r.call_id)).toEqual(['call-120000@h', 'call-60000@h', 'call-0@h']);
    const regs = await store.page({ type: 'register', limit: 2 });
    const rest = await store.page({ type: 'REGISTER', limit: 10, before: regs.next! });
    expect(regs.records.map((r) => r.started_at)).toEqual([T0 + DAY + 4, T0 + DAY + 3]);
    expect(rest.records.map((r) => r.started_at)).toEqual([T0 + DAY + 2, T0 + DAY + 1, T0 + DAY]);
  });

  it('filters by date, type, caller, callee and Call-ID', async () => {
    const store = filled();
    expect((await store.page({ date: '2026-11-25' })).total).toBe(5);
    expect((await store.page({ date: '2026-11-24', type: 'CALL' })).total).toBe(120);
    expect((await store.page({ caller: '1002' })).total).toBe(40);
    expect((await store.page({ caller: '1002' })).records.every((r) => r.caller_number === '1002')).toBe(
      true,
    );
    expect((await store.page({ callee: '1002', caller: '1003', limit: 1000 })).records).toHaveLength(40);
    expect((await store.page({ callId: 'reg-1@h' })).total).toBe(5);
    expect(await store.page({ date: '2026-11-23' })).toEqual({
      records: [],
      total: 0,
      limit: 50,
      next: undefined,
    });
  });

  it('filters by state, in any case, with the other filters; a bad state names the field', async () => {
    const { store } = openStore();
    const rows: NewCdrRecord[] = [];
    for (let i = 0; i < 6; i++) rows.push(callAt(i * 60_000, '1001', i % 3 === 0 ? 'failed' : 'ended'));
    rows.push(registrationRecord(registration('refreshed', binding(), T0 + 10)));
    store.insert(rows, T0);
    expect((await store.page({ state: 'FAILED' })).records.map((r) => r.call_id)).toEqual([
      `call-${3 * 60_000}@h`,
      'call-0@h',
    ]);
    expect((await store.page({ state: 'ended', type: 'CALL' })).total).toBe(4);
    expect((await store.page({ state: 'Success' })).records.map((r) => r.record_type)).toEqual(['REGISTER']);
    expect((await store.page({ state: 'failed', callIdPart: 'CALL-180000' })).total).toBe(1);
    expect((await store.page({ state: 'ANSWERED' })).total).toBe(0);
    for (const state of ["ENDED' OR 1=1 --", 'x'.repeat(21), '2xx']) {
      await expect(store.page({ state })).rejects.toThrow(StoreError);
      await expect(store.page({ state })).rejects.toMatchObject({ field: 'state' });
    }
  });

  it('caps the limit at 1000 and names the parameter at fault', async () => {
    const store = filled();
    expect((await store.page({ limit: 5000 })).limit).toBe(1000);
    const bad = async (q: Parameters<SqliteCdrStore['page']>[0], field: string): Promise<void> => {
      try {
        await store.page(q);
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(StoreError);
        expect((err as StoreError).field).toBe(field);
      }
    };
    await bad({ limit: 0 }, 'limit');
    await bad({ limit: 2.5 }, 'limit');
    await bad({ date: '2026-02-30' }, 'date');
    await bad({ date: 'TODAY' }, 'date');
    await bad({ type: 'SUBSCRIBE' }, 'type');
    await bad({ before: 'abc' }, 'before');
    await bad({ before: '20261124003805999999' }, 'before');
  });
});

describe('SqliteCdrStore.stats', () => {
  it("counts by type and state, the original's get_stats figures, and talk/setup times", async () => {
    const { store } = openStore();
    store.insert(
      [
        callAt(0), // answered, 2 s talk, setup 500
        callAt(1000),
        callAt(2000, '1001', 'failed'),
        callRecord(call({ state: 'cancelled', answeredAt: undefined, callId: 'c@h' })),
        // Ended by the operator while ringing, as the original wrote it (an imported row): ENDED with
        // no answer, counted as cancelled. IMS Lab writes such a call CANCELLED.
        {
          ...callRecord(
            call({
              state: 'ended',
              answeredAt: undefined,
              statusCode: 487,
              hangupBy: 'operator',
              callId: 'o@h',
            }),
          ),
          call_state: 'ENDED',
        },
        registrationRecord(registration('bound', binding())),
        registrationRecord(registration('refreshed', binding())),
        registrationRecord(registration('expired', binding())),
        messageRecord(message()),
        callAt(DAY), // the next day
      ],
      T0,
    );
    expect(await store.stats('2026-11-24')).toEqual({
      date: '2026-11-24',
      total: 9,
      byType: { CALL: 5, REGISTER: 3, MESSAGE: 1 },
      byState: { ENDED: 3, FAILED: 1, CANCELLED: 1, SUCCESS: 2, EXPIRED: 1, COMPLETED: 1 },
      registers: 2,
      unregisters: 1,
      messages: 1,
      options: 0,
      calls: 5,
      callsAnswered: 2,
      callsEnded: 3,
      callsFailed: 1,
      callsCancelled: 2,
      talkSeconds: 4,
      averageTalkSeconds: 2,
      averageSetupMs: 500,
    });
    expect((await store.stats()).total).toBe(10);
    expect((await store.stats()).callsAnswered).toBe(3);
    expect(await store.stats('2026-01-01')).toMatchObject({
      total: 0,
      byType: {},
      talkSeconds: 0,
      averageSetupMs: 0,
    });
  });
});

describe('rows an older build wrote with fractions of a millisecond', () => {
  it('are read as whole milliseconds by a page, a record and an export (setup 23.188… was shown as it was)', async () => {
    const { dir, store } = openStore();
    const [row] = store.insert([callAt(0)], T0);
    const db = open(dir);
    // Round 29's build (schema 6) stored these as REAL.
    db.prepare(
      `UPDATE cdr SET setup_ms = 23.188232421875, pdd_ms = 3.4, ring_ms = 19.7, talk_ms = 2999.6,
         answered_at = answered_at + 0.25, ended_at = ended_at + 0.75 WHERE record_id = ?`,
    ).run(row!.record_id);
    closeDatabase(db);
    const whole = {
      setup_ms: 23,
      pdd_ms: 3,
      ring_ms: 20,
      talk_ms: 3000,
      answered_at: row!.answered_at,
      ended_at: row!.ended_at! + 1,
    };
    expect((await store.page({})).records[0]).toMatchObject(whole);
    expect(store.get(row!.record_id)).toMatchObject(whole);
    const csv = readFileSync((await store.export({}, T0)).path, 'utf8');
    expect(csv).not.toContain('23.188');
  });
});

describe('SqliteCdrStore.export', () => {
  it('writes the matching rows oldest first to CDR/exports with the header', async () => {
    const { dir, store } = openStore();
    const stored = store.insert([callAt(60_000), messageRecord(message()), callAt(0)], T0);
    const all = await store.export({}, T0);
    expect(all.count).toBe(3);
    expect(all.path).toBe(join(dir, 'CDR', 'exports', 'cdr_export_all_20261124_003805.csv'));
    expect(readFileSync(all.path, 'utf8')).toBe(
      CDR_CSV_HEADER + cdrCsvLine(stored[1]!) + cdrCsvLine(stored[2]!) + cdrCsvLine(stored[0]!),
    );

    const calls = await store.export({ date: '2026-11-24', type: 'call' }, T0);
    expect(basename(calls.path)).toBe('cdr_export_2026-11-24_CALL_20261124_003805.csv');
    expect(calls.count).toBe(2);
    expect(readFileSync(calls.path, 'utf8')).toBe(
      CDR_CSV_HEADER + cdrCsvLine(stored[2]!) + cdrCsvLine(stored[0]!),
    );
    expect((await store.export({ date: '2026-01-01' }, T0)).count).toBe(0);
  });

  it('leaves the database usable when the file cannot be made (CDR/exports is a file)', async () => {
    const { dir, store } = openStore();
    store.insert([callAt(0)], T0);
    mkdirSync(join(dir, 'CDR'), { recursive: true });
    writeFileSync(join(dir, 'CDR', 'exports'), 'not a folder');
    await expect(store.export({}, T0)).rejects.toThrow(/EEXIST|ENOTDIR/);
    // Its query was not left open: the connection takes writes and other reads again.
    expect(store.insert([callAt(1000)], T0)).toHaveLength(1);
    expect(store.count()).toBe(2);
  });
});

describe("SqliteCdrStore reads in the store's worker", () => {
  it('pages and counts off the event loop while the worker runs, on its own connection when not', async () => {
    const { worker, store, reads, onLoop } = await workerStore();
    const rows: NewCdrRecord[] = [];
    for (let i = 0; i < 30; i++) rows.push(callAt(i * 60_000, '1001', i % 3 === 0 ? 'failed' : 'ended'));
    store.insert(rows, T0);
    const query = { state: 'FAILED', callIdPart: '0000@', limit: 4 };
    const page = await store.page(query);
    expect(page.total).toBe(9); // calls 3, 6, … 27 minutes in (call-0@h has no "0000@")
    expect(page).toEqual(await onLoop.page(query));
    expect(reads.map((r) => r.shape)).toEqual(['pluck', 'all']);
    expect(await store.stats('2026-11-24')).toEqual(await onLoop.stats('2026-11-24'));
    expect(reads).toHaveLength(5);
    // A cursor's bad record is still a wrong parameter, named.
    await expect(store.page({ before: '20261124003805999999' })).rejects.toMatchObject({ field: 'before' });
    await worker.stop();
    expect(await store.page(query)).toEqual(page);
    expect(reads).toHaveLength(5);
  });
});

describe("SqliteCdrStore.clear in the store's worker", () => {
  it('deletes its steps of 1,000 rows off the event loop while the worker runs, on its own connection when not', async () => {
    const { worker, store, changes } = await workerStore();
    const cleared: CdrChange[] = [];
    store.onChanged = (c) => cleared.push(c);
    const rows = (n: number, from: number): NewCdrRecord[] =>
      Array.from({ length: n }, (_, i) => callAt(from + (i % 2) * DAY + i * 1000));
    store.insert(rows(2500, 0), T0); // 1,250 on 2026-11-24, 1,250 on 2026-11-25
    expect(await store.clear({ before: '2026-11-25' })).toEqual({ rows: 1250, days: [] });
    expect(changes.map((c) => c.params)).toEqual([['2026-11-25'], ['2026-11-25']]);
    expect(changes[0]!.sql).toMatch(
      /^DELETE FROM cdr WHERE record_id IN \(SELECT record_id FROM cdr WHERE date < \? LIMIT 1000\)$/,
    );
    expect([store.count(), (await store.page({ date: '2026-11-24' })).total]).toEqual([1250, 0]);
    expect(cleared).toEqual([{ type: 'cleared', rows: 1250 }]);
    expect(await store.clear({ all: true })).toEqual({ rows: 1250, days: [] });
    expect(changes).toHaveLength(4);
    expect(store.count()).toBe(0);

    await worker.stop();
    store.insert(rows(1500, 0), T0);
    expect(await store.clear({ all: true })).toEqual({ rows: 1500, days: [] });
    expect([changes.length, store.count()]).toEqual([4, 0]);
  });
});

describe("SqliteCdrStore.export in the store's worker", () => {
  // EXP CDR of a 200,000-row day read 1,000 rows a step on the loop's connection: 12-40 ms a step, and SIP
  // waited 30-45 ms a datagram (the loop's median delay) for the whole export.
  it('reads its steps of 1,000 rows off the event loop while the worker runs, the CSV lines 250 a turn; on its own connection when not', async () => {
    const { worker, store, reads, onLoop } = await workerStore();
    store.insert(
      Array.from({ length: 2500 }, (_, i) => callAt(i * 1000)),
      T0,
    );
    const { result: exported, turns } = await turnsDuring(() => store.export({ date: '2026-11-24' }, T0));
    expect(exported.count).toBe(2500);
    // 1,000, 1,000, 500 and the empty read that ends it; none without the worker doing them.
    expect(reads.map((r) => r.shape)).toEqual(['all', 'all', 'all', 'all']);
    expect(reads[1]!.params).toMatchObject({ date: '2026-11-24', afterId: expect.any(String) });
    expect(turns).toBeGreaterThanOrEqual(10); // 250 rows a turn; 3 when the lines of 1,000 were made at once
    const fromLoop = await onLoop.export({ date: '2026-11-24' }, T0 + 1000);
    expect(readFileSync(exported.path, 'utf8')).toBe(readFileSync(fromLoop.path, 'utf8'));
    expect(readFileSync(exported.path, 'utf8').split('\r\n')).toHaveLength(2502); // header, rows, ''

    await worker.stop();
    expect((await store.export({}, T0 + 2000)).count).toBe(2500);
    expect(reads).toHaveLength(4);
  });
});

describe('SqliteCdrStore.page by a part of the Call-ID', () => {
  it("finds a MESSAGE by its CSV's call_id, <Call-ID>-<CSeq> (the original's form)", async () => {
    const { store } = openStore();
    const [row] = store.insert([messageRecord(message())], T0);
    expect(row!.call_id).toMatch(/-\d+ MESSAGE$/);
    expect((await store.page({ callIdPart: row!.call_id })).records.map((r) => r.record_id)).toEqual([
      row!.record_id,
    ]);
    expect((await store.page({ callIdPart: row!.sip_call_id.toUpperCase() })).total).toBe(1);
    expect((await store.page({ callIdPart: 'nothing-like-it' })).total).toBe(0);
  });
});

describe('matchCallId (DSP CDR CALLID=, EXP CDR CALLID= and the console)', () => {
  it('keeps the Call-ID exact when a row of the other filters has it, else takes it as a part in any case', async () => {
    const { store } = openStore();
    store.insert([callAt(0), callAt(60_000, '1002', 'failed'), callAt(600_000)], T0);
    const total = async (f: CdrFilter): Promise<number> => (await store.page({ ...f, limit: 1 })).total;
    expect(await matchCallId({ callId: 'call-0@h' }, total)).toEqual({ callId: 'call-0@h' });
    expect(await matchCallId({ callId: 'CALL-60000', state: 'FAILED' }, total)).toEqual({
      callId: undefined,
      callIdPart: 'CALL-60000',
      state: 'FAILED',
    });
    // Exact under other filters that leave it out: then a part (call-60000@h is not call-600000@h's).
    const part = await matchCallId({ callId: 'call-60000', date: '2026-11-24' }, total);
    expect((await store.page(part)).records.map((r) => r.call_id)).toEqual(['call-600000@h', 'call-60000@h']);
    expect(await matchCallId({ state: 'ENDED' }, total)).toEqual({ state: 'ENDED' });
  });
});

describe('a Call-ID filter (DSP CDR CALLID=, the console)', () => {
  it("finds the Call-ID's rows by its index, whatever other filters and order (not by walking the day)", () => {
    const db = open(makeDataDir());
    new SqliteCdrStore(db, makeDataDir());
    const plan = (filter: CdrFilter, order: string, extra: string[] = []): string =>
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT * FROM cdr ${whereClause(filterParams(filter), extra)} ${order} LIMIT 201`,
        )
        .all({ ...filterParams(filter), ...cursorParams(extra) })
        .map((r) => (r as { detail: string }).detail)
        .join(' | ');
    const cursorParams = (extra: string[]): object =>
      extra.length === 0 ? {} : { beforeAt: 0, beforeId: '', afterAt: 0, afterId: '' };
    const newest = 'ORDER BY started_at DESC, record_id DESC'; // a page's
    const oldest = 'ORDER BY started_at, record_id'; // an export's
    const callId = 'a84b4c76e66710@pc33.lab';
    for (const filter of [
      { callId },
      { callId, date: '2026-11-24' },
      { callId, date: '2026-11-24', type: 'CALL', caller: '1001', callee: '1002', state: 'FAILED' },
      { callId, type: 'UNREGISTER' },
    ]) {
      expect(plan(filter, newest), JSON.stringify(filter)).toMatch(
        /USING INDEX cdr_by_call_id \(sip_call_id=\?\)/,
      );
      expect(plan(filter, newest, ['(started_at, record_id) < (@beforeAt, @beforeId)'])).toMatch(
        /cdr_by_call_id/,
      );
      expect(plan(filter, oldest, ['(started_at, record_id) > (@afterAt, @afterId)'])).toMatch(
        /cdr_by_call_id/,
      );
    }
    // Without one, the day's index, as before.
    expect(plan({ date: '2026-11-24', state: 'FAILED' }, newest)).toMatch(/cdr_by_date/);
    expect(plan({ date: '2026-11-24', callee: '1002' }, newest)).toMatch(/cdr_by_callee|cdr_by_date/);
  });
});

describe('SqliteCdrStore export and clear of many rows', () => {
  it('give the event loop back between steps of 1,000 rows (a million-row day held SIP for 21 s)', async () => {
    const { store } = openStore();
    store.insert(
      Array.from({ length: 2500 }, (_, i) => callAt(i)),
      T0,
    );
    const turnsOf = async (work: () => Promise<unknown>): Promise<number> => (await turnsDuring(work)).turns;
    let exported = { count: 0, path: '' };
    expect(await turnsOf(async () => (exported = await store.export({}, T0)))).toBeGreaterThanOrEqual(2);
    expect(exported.count).toBe(2500);
    expect(readFileSync(exported.path, 'utf8').split('\r\n')).toHaveLength(2502); // header, rows, ''
    let cleared = { rows: 0, days: [] as string[] };
    expect(await turnsOf(async () => (cleared = await store.clear({ all: true })))).toBeGreaterThanOrEqual(2);
    expect([cleared.rows, store.count()]).toEqual([2500, 0]);
  });
});

describe('SqliteCdrStore export and clear together (EXP CDR and CLR CDR ALL from two consoles)', () => {
  const rows = (n: number) => Array.from({ length: n }, (_, i) => callAt(i));

  it('export the rows as they were before the clear, all of them, when asked first', async () => {
    const { store } = openStore();
    store.insert(rows(2500), T0);
    // Asked in the same turn: each step of one would run between two of the other's.
    const exporting = store.export({}, T0);
    const clearing = store.clear({ all: true });
    const exported = await exporting;
    expect(exported.count).toBe(2500);
    expect(readFileSync(exported.path, 'utf8').split('\r\n')).toHaveLength(2502);
    expect((await clearing).rows).toBe(2500);
    expect(store.count()).toBe(0);
  });

  it('export none when asked after the clear', async () => {
    const { store } = openStore();
    store.insert(rows(2500), T0);
    const clearing = store.clear({ all: true });
    const exporting = store.export({}, T0);
    expect((await clearing).rows).toBe(2500);
    expect((await exporting).count).toBe(0);
  });
});

describe('SqliteCdrStore.clear', () => {
  it('deletes rows and day folders strictly before a date, keeps exports; then everything', async () => {
    const { dir, store } = openStore();
    const stored = store.insert([callAt(0), callAt(DAY), callAt(2 * DAY), callAt(2 * DAY + 1)], T0);
    for (const r of stored) store.archive.appendDay(r.date, [r]);
    const exported = await store.export({}, T0);

    expect(await store.clear({ before: '2026-11-26' })).toEqual({
      rows: 2,
      days: ['2026-11-24', '2026-11-25'],
    });
    expect((await store.page()).records.map((r) => r.date)).toEqual(['2026-11-26', '2026-11-26']);
    expect(store.archive.days()).toEqual(['2026-11-26']);
    expect(await store.clear({ before: '2026-11-26' })).toEqual({ rows: 0, days: [] });

    expect(await store.clear({ all: true })).toEqual({ rows: 2, days: ['2026-11-26'] });
    expect(store.count()).toBe(0);
    expect(existsSync(exported.path)).toBe(true);
    expect(existsSync(join(dir, 'CDR'))).toBe(true);
    await expect(store.clear({ before: '24/11/2026' })).rejects.toThrow(/before: must be a date YYYY-MM-DD/);
  });
});
