// CDR rows in SQLite (the cdr table, migration 2) and the queries behind DSP CDR, DSP CDR STAT, EXP CDR
// and CLR CDR (original-server.md §3.5). Writes come in batches from the recorder, one IMMEDIATE
// transaction per batch (DESIGN.md, The event loop is sacred); reads are indexed pages, newest first,
// never the whole table in memory, run in the store's worker while it runs (a filter that scans a day of
// 200,000 rows, a Call-ID part or a state, held SIP for 0.1-0.6 s on the loop's connection), and so do
// CLR CDR's delete steps (1,000 rows, ~150 ms each on the loop's connection). Every statement is prepared
// once (filtered ones on first use).
import type { Database, Statement } from 'better-sqlite3';
import { StoreError } from '../store/types';
import { cdrStamp } from './clock-fields';
import { CdrArchive } from './csv';
import type { CdrChange } from './cdr-change';
import {
  checkDate,
  cursor,
  filterParams,
  pageLimit,
  whereClause,
  type CdrClearResult,
  type CdrClearScope,
  type CdrExport,
  type CdrFilter,
  type CdrPage,
  type CdrQuery,
  type CdrStats,
  type FilterParams,
} from './query';
import { CDR_COLUMNS } from './record';
import type { CdrRecord, NewCdrRecord } from './record';
import { isRecordId, LAST_RECORD_ID_SETTING, nextRecordIds } from './record-id';
import { OneAtATime } from '../store/one-at-a-time';
import { packedRows, type ReadBehind, type ReadShape, type WriteStep } from '../store/store-worker';
import { nextTurn } from '../observe/next-turn';

/** The CDR store's contract; a shared-database adapter would implement the same (DESIGN.md). */
export interface CdrStore {
  /** The daily CSV files and exports beside the database. */
  readonly archive: CdrArchive;
  /** Numbers a batch (record_id set on each record given), commits it in one transaction, returns it. */
  insert(records: readonly NewCdrRecord[], now?: number): CdrRecord[];
  /** Inserts records numbered elsewhere (the original's), one transaction, skipping ids already stored; returns how many were added. */
  importNumbered(records: readonly CdrRecord[]): number;
  /**
   * Numbers a batch (record_id set on each record given) without writing it and gives the statements
   * that commit it, for a writer off the event loop (StoreWorker). A plan that fails to commit is
   * dropped: the batch is planned again.
   */
  plan(records: readonly NewCdrRecord[], now?: number): CdrWritePlan;
  get(recordId: string): CdrRecord | undefined;
  count(): number;
  /** A page of the matching rows, newest first, and how many match (off the event loop when it can). */
  page(query?: CdrQuery): Promise<CdrPage>;
  /** A day's (or every day's) counts, of one TYPE's rows when given (as DSP CDR's TYPE); off the loop. */
  stats(date?: string, type?: string): Promise<CdrStats>;
  /** Writes the matching rows, oldest first, to CDR/exports/cdr_export_<date|all>[_<TYPE>]_<stamp>.csv. */
  export(filter?: CdrFilter, now?: number): Promise<CdrExport>;
  /** Deletes rows and CSV day folders before a date (strictly), or all of them. Exports are kept. */
  clear(scope: CdrClearScope): Promise<CdrClearResult>;
  /**
   * The original's day file being imported now (original-import.ts, in the background after a start),
   * and its rows added so far: answers about the CDR meanwhile are partial, and say so.
   */
  readonly importing?: { file: string; rows: number } | undefined;
}

/** A numbered batch and the statements that commit it (store-worker.ts runs them). */
export interface CdrWritePlan {
  stored: CdrRecord[];
  steps: WriteStep[];
}

const COLUMN_LIST = CDR_COLUMNS.join(', ');
/**
 * Times and delays an older build (round 29's, schema 6) wrote as fractions of a millisecond
 * (setup 23.188232421875): read as the whole milliseconds this build writes, so that DSP CDR, the console
 * and EXP CDR show one form. started_at is not among them: the pages' ORDER BY names it, and an alias would
 * sort by the expression instead of its index.
 */
const WHOLE_MS = new Set<string>(['ended_at', 'answered_at', 'pdd_ms', 'ring_ms', 'talk_ms', 'setup_ms']);
const SELECT_LIST = CDR_COLUMNS.map((c) =>
  WHOLE_MS.has(c) ? `CAST(ROUND(${c}) AS INTEGER) AS ${c}` : c,
).join(', ');
const INSERT_ROW = `INSERT INTO cdr (${COLUMN_LIST}) VALUES (${CDR_COLUMNS.map(() => '?').join(', ')})`;
// The last id issued only ever grows (ids compare as text: 20 digits): a batch committed late, by the
// worker or by another process, never moves it back.
const SET_LAST_ID =
  'INSERT INTO settings (key, value) VALUES (?, ?) ' +
  'ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE excluded.value > settings.value';
/** The settings keys marking the original's day files read (original-import.ts): <prefix><day>/<file>. */
export const IMPORTED = 'cdr.original_import:';
/** Rows an export or a clear takes at a time, the event loop free between two (about 20-30 ms each). */
const STEP_ROWS = 1000;
/** Rows of an export whose CSV lines are made in one turn of the event loop (a few ms). */
const CSV_ROWS = 250;
/** One step of CLR CDR: STEP_ROWS rows of the days before ?. */
const CLEAR_STEP = `DELETE FROM cdr WHERE record_id IN (SELECT record_id FROM cdr WHERE date < ? LIMIT ${STEP_ROWS})`;
/** A day in ms: how far ahead of now an imported record_id may move the counter. */
const DAY_MS = 86_400_000;
const NEWEST_FIRST = 'ORDER BY started_at DESC, record_id DESC';
const OLDEST_FIRST = 'ORDER BY started_at, record_id';

type Values = (string | number | null)[];

interface GroupRow {
  type: string;
  state: string;
  n: number;
}

interface AnsweredRow {
  n: number;
  talk: number;
  setup: number;
}

export class SqliteCdrStore implements CdrStore {
  readonly archive: CdrArchive;
  /** Set by the import of the original's day files while it reads one (original-import.ts). */
  importing: { file: string; rows: number } | undefined;
  readonly #db: Database;
  readonly #insertRow: Statement<Values>;
  readonly #lastId: Statement<[string], string>;
  readonly #setLastId: Statement<[string, string]>;
  readonly #insertTx;
  readonly #importTx;
  readonly #get: Statement<[string], CdrRecord>;
  readonly #startedAt: Statement<[string], number>;
  readonly #count: Statement<[], number>;
  readonly #cached = new Map<string, Statement>();
  /** The last record id this store numbered (committed or not). */
  #lastIssued: string | undefined;
  /** An export, a clear and the import of the original's day files' chunks, one at a time (maintain). */
  readonly #maintenance = new OneAtATime();
  /** Told of rows cleared or imported (the appliance's cdr topic: the consoles reload). */
  onChanged: ((change: CdrChange) => void) | undefined;

  readonly #readBehind: ReadBehind | undefined;

  /**
   * `readBehind`: where page() and stats() read, and clear() deletes, while it is available (the store's
   * worker).
   */
  constructor(db: Database, dataDir: string, readBehind?: ReadBehind) {
    this.#db = db;
    this.#readBehind = readBehind;
    this.archive = new CdrArchive(dataDir);
    this.#insertRow = db.prepare<Values>(INSERT_ROW);
    this.#lastId = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    this.#setLastId = db.prepare<[string, string]>(SET_LAST_ID);
    this.#insertTx = db.transaction((records: readonly NewCdrRecord[], now: number): CdrRecord[] => {
      const stored = this.#number(records, now);
      for (const record of stored) this.#insertRow.run(...rowValues(record));
      this.#setLastId.run(LAST_RECORD_ID_SETTING, this.#lastIssued!);
      return stored;
    });
    const importRow = db.prepare<Values>(INSERT_ROW.replace(/^INSERT /, 'INSERT OR IGNORE '));
    const imported = db
      .prepare<[string, string, string, string, string], number>(
        'SELECT 1 FROM cdr WHERE sip_call_id = ? AND record_type = ? AND date = ? AND start_time = ? AND call_id = ? LIMIT 1',
      )
      .pluck();
    const lastInSecond = db
      .prepare<[string, string], string | null>(
        'SELECT MAX(record_id) FROM cdr WHERE record_id BETWEEN ? AND ?',
      )
      .pluck();
    this.#importTx = db.transaction((records: readonly CdrRecord[]): number => {
      let added = 0;
      let newest = '';
      for (const record of records) {
        if (importRow.run(...rowValues(record)).changes === 1) {
          added++;
          if (isRecordId(record.record_id) && record.record_id > newest) newest = record.record_id;
          continue;
        }
        // Its id is taken: by this very row, imported before, or by another record IMS Lab numbered (its
        // ids and the original's are both a time and a counter): that one keeps it, this one gets a new
        // id, unless it was imported so before.
        const r = record;
        if (imported.get(r.sip_call_id, r.record_type, r.date, r.start_time, r.call_id) !== undefined)
          continue;
        // Its new id in its own second (the original's restarted counter gave two rows of one second the
        // same id), after the ids of that second stored or issued; the import's time only when that
        // second is full or the id is not one of 20 digits.
        const own = this.#freeIdInSecond(record.record_id, lastInSecond);
        if (own === undefined) {
          this.#number([record], Date.now());
          this.#insertRow.run(...rowValues(record));
          this.#setLastId.run(LAST_RECORD_ID_SETTING, this.#lastIssued!);
        } else {
          record.record_id = own;
          this.#insertRow.run(...rowValues(record));
          if (own > newest) newest = own;
        }
        added++;
      }
      // IMS Lab's next ids come after the original's: a day file of an original eight hours ahead (its
      // container in Asia/Shanghai, IMS Lab's in UTC) held ids IMS Lab would issue later, and each of its
      // batches that met one failed and was retried.
      // (Not past tomorrow: a row with an id far in the future would stop the counter's being a time.)
      if (newest !== '' && newest <= `${cdrStamp(Date.now() + DAY_MS)}999999`)
        this.#setLastId.run(LAST_RECORD_ID_SETTING, newest);
      return added;
    });
    this.#get = db.prepare<[string], CdrRecord>(`SELECT ${SELECT_LIST} FROM cdr WHERE record_id = ?`);
    this.#startedAt = db.prepare<[string], number>('SELECT started_at FROM cdr WHERE record_id = ?').pluck();
    this.#count = db.prepare<[], number>('SELECT COUNT(*) FROM cdr').pluck();
  }

  insert(records: readonly NewCdrRecord[], now: number = Date.now()): CdrRecord[] {
    if (records.length === 0) return [];
    return this.#insertTx.immediate(records, now);
  }

  importNumbered(records: readonly CdrRecord[]): number {
    const added = records.length === 0 ? 0 : this.#importTx.immediate(records);
    if (added > 0) this.onChanged?.({ type: 'imported', rows: added });
    return added;
  }

  plan(records: readonly NewCdrRecord[], now: number = Date.now()): CdrWritePlan {
    const stored = this.#number(records, now);
    return {
      stored,
      steps: [
        { sql: INSERT_ROW, rows: packedRows(stored, rowValues) },
        { sql: SET_LAST_ID, rows: [[LAST_RECORD_ID_SETTING, this.#lastIssued!]] },
      ],
    };
  }

  /**
   * Record ids after the last one issued: the later of the settings row (what any connection committed)
   * and what this store numbered, which may still be on its way to the worker. Two processes numbering
   * the same ids collide on the primary key: that batch fails, and is numbered again on its retry.
   */
  #number(records: readonly NewCdrRecord[], now: number): CdrRecord[] {
    const committed = this.#lastId.get(LAST_RECORD_ID_SETTING);
    let last = this.#lastIssued;
    if (last === undefined || (committed !== undefined && committed > last)) last = committed;
    const ids = nextRecordIds(last, now, records.length);
    // Numbered in place, not copied: a spread of 45 columns into a new object cost 2 µs and 4 KB a row.
    // A batch that fails to commit is numbered again when retried.
    const stored = records as CdrRecord[];
    for (let i = 0; i < stored.length; i++) stored[i]!.record_id = ids[i]!;
    if (ids.length > 0) this.#lastIssued = ids[ids.length - 1];
    return stored;
  }

  /**
   * The id after the last one of `recordId`'s second (YYYYmmddHHMMSS), stored or issued by this store;
   * undefined when `recordId` is not a record id or its second's counter is used up.
   */
  #freeIdInSecond(
    recordId: string,
    lastInSecond: { get(from: string, to: string): string | null | undefined },
  ): string | undefined {
    if (!isRecordId(recordId)) return undefined;
    const stamp = recordId.slice(0, 14);
    let last = lastInSecond.get(`${stamp}000000`, `${stamp}999999`) ?? `${stamp}000000`;
    const issued = this.#lastIssued;
    if (issued !== undefined && issued.startsWith(stamp) && issued > last) last = issued;
    const counter = Number(last.slice(14)) + 1;
    return counter > 999_999 ? undefined : `${stamp}${String(counter).padStart(6, '0')}`;
  }

  get(recordId: string): CdrRecord | undefined {
    return this.#get.get(recordId);
  }

  count(): number {
    return this.#count.get() ?? 0;
  }

  async page(query: CdrQuery = {}): Promise<CdrPage> {
    const params: FilterParams & { beforeAt?: number; beforeId?: string; limit?: number } =
      filterParams(query);
    const limit = pageLimit(query.limit);
    const from = cursor(query.before);
    const extra: string[] = [];
    if (from?.kind === 'id') {
      const at = this.#startedAt.get(from.recordId);
      if (at === undefined) {
        // A cursor that names no record: a wrong parameter (MML: RETCODE 3 naming BEFORE).
        throw new StoreError('invalid', `before: no CDR record ${from.recordId}`, 'before');
      }
      extra.push('(started_at, record_id) < (@beforeAt, @beforeId)');
      params.beforeAt = at;
      params.beforeId = from.recordId;
    } else if (from?.kind === 'time') {
      extra.push('started_at < @beforeAt');
      params.beforeAt = from.time;
    }
    const [total, rows] = await Promise.all([
      this.#read<number>(`SELECT COUNT(*) FROM cdr ${whereClause(params)}`, params, 'pluck'),
      this.#read<CdrRecord[]>(
        `SELECT ${SELECT_LIST} FROM cdr ${whereClause(params, extra)} ${NEWEST_FIRST} LIMIT @limit`,
        { ...params, limit: limit + 1 },
        'all',
      ),
    ]);
    const more = rows.length > limit;
    if (more) rows.length = limit;
    return {
      records: rows,
      total,
      limit,
      next: more ? rows[rows.length - 1]!.record_id : undefined,
    };
  }

  async stats(date?: string, type?: string): Promise<CdrStats> {
    const params: FilterParams = filterParams({ date, type });
    // A ringing call the operator (RMV CALL, CLR CALL) or the appliance's stop ended is CANCELLED
    // (from-events.ts callState). An ENDED row with no answer is still counted with the cancelled ones:
    // the original's rows of such a call (imported; it wrote ENDED) and an older IMS Lab's. Given up
    // before the answer, they would otherwise be in no column.
    const [groups, answered, unansweredEnded] = await Promise.all([
      this.#read<GroupRow[]>(
        `SELECT record_type AS type, call_state AS state, COUNT(*) AS n FROM cdr ${whereClause(params)}
       GROUP BY record_type, call_state`,
        params,
        'all',
      ),
      this.#read<AnsweredRow>(
        `SELECT COUNT(*) AS n, COALESCE(SUM(talk_ms), 0) AS talk, COALESCE(AVG(setup_ms), 0) AS setup
       FROM cdr ${whereClause(params, ["record_type = 'CALL'", 'answered_at IS NOT NULL'])}`,
        params,
        'get',
      ),
      this.#read<{ n: number }>(
        `SELECT COUNT(*) AS n FROM cdr ${whereClause(params, ["record_type = 'CALL'", "call_state = 'ENDED'", 'answered_at IS NULL'])}`,
        params,
        'get',
      ),
    ]);

    const byType: Record<string, number> = {};
    const byState: Record<string, number> = {};
    const of = (type: string, state?: string): number =>
      groups
        .filter((g) => g.type === type && (state === undefined || g.state === state))
        .reduce((sum, g) => sum + g.n, 0);
    let total = 0;
    for (const g of groups) {
      total += g.n;
      byType[g.type] = (byType[g.type] ?? 0) + g.n;
      byState[g.state] = (byState[g.state] ?? 0) + g.n;
    }
    const talkSeconds = Math.round(answered.talk / 10) / 100;
    return {
      date: params.date,
      total,
      byType,
      byState,
      registers: of('REGISTER', 'SUCCESS'),
      unregisters: of('REGISTER', 'UNREGISTERED') + of('REGISTER', 'EXPIRED'),
      options: of('OPTIONS'),
      messages: of('MESSAGE'),
      calls: of('CALL'),
      callsAnswered: answered.n,
      callsEnded: of('CALL', 'ENDED'),
      callsFailed: of('CALL', 'FAILED'),
      callsCancelled: of('CALL', 'CANCELLED') + unansweredEnded.n,
      talkSeconds,
      averageTalkSeconds: answered.n === 0 ? 0 : Math.round(answered.talk / answered.n / 10) / 100,
      averageSetupMs: Math.round(answered.setup),
    };
  }

  /**
   * The rows a step at a time, oldest first, the event loop free between two: a day of a million rows
   * written in one go held SIP for 21 s. Each step is a query of its own, run to its end (an iterator
   * left open across a turn keeps the connection busy for every other statement), in the store's worker
   * while it runs (read there, 1,000 rows of a 200,000-row day held the loop 12-40 ms a step, SIP slowed
   * the whole export); their CSV lines are made CSV_ROWS a turn. The next step starts after the last row
   * given, so rows written meanwhile after it are taken too. No clear nor import of the original's rows
   * meanwhile (maintain): an export beside a clear wrote 3,003 of 5,003 rows, a state that was neither
   * before the clear nor after it, and called it done.
   */
  async export(filter: CdrFilter = {}, now: number = Date.now()): Promise<CdrExport> {
    const params = filterParams(filter);
    const stamp = cdrStamp(now);
    const name =
      `cdr_export_${params.date ?? 'all'}${params.type === undefined ? '' : `_${params.type}`}` +
      `_${stamp.slice(0, 8)}_${stamp.slice(8)}`;
    const sql =
      `SELECT ${SELECT_LIST} FROM cdr ${whereClause(params, ['(started_at, record_id) > (@afterAt, @afterId)'])} ` +
      `${OLDEST_FIRST} LIMIT ${STEP_ROWS}`;
    const read = (after: { afterAt: number; afterId: string }): Promise<CdrRecord[]> =>
      this.#read<CdrRecord[]>(sql, { ...params, ...after }, 'all');
    async function* steps(): AsyncGenerator<CdrRecord[]> {
      let after = { afterAt: -1, afterId: '' };
      for (;;) {
        const rows = await read(after);
        if (rows.length === 0) return;
        for (let i = 0; i < rows.length; i += CSV_ROWS) {
          yield rows.slice(i, i + CSV_ROWS);
          await nextTurn();
        }
        const last = rows[rows.length - 1]!;
        after = { afterAt: last.started_at, afterId: last.record_id };
      }
    }
    return this.maintain(() => this.archive.writeExport(name, steps()));
  }

  /**
   * Runs `work` when no other maintenance of the CDR runs, and none starts before it ends: an export, a
   * clear, and each chunk of the import of the original's day files (original-import.ts), which would
   * otherwise add rows between a clear's steps and after it, from a day file the clear deleted.
   */
  maintain<T>(work: () => T | Promise<T>): Promise<T> {
    return this.#maintenance.run(work);
  }

  /**
   * A step of rows at a time, the event loop free between two (444,445 rows deleted in one statement
   * held SIP for 2.7 s); no import of the original's rows meanwhile (maintain). The original's day files
   * cleared with their rows are imported again if restored (a backup put back with cp -a keeps their
   * size and time, the marks of a file already read).
   */
  async clear(scope: CdrClearScope): Promise<CdrClearResult> {
    const all = 'all' in scope && scope.all === true;
    const before = all ? '~' : checkDate('before', (scope as { before?: unknown }).before);
    return this.maintain(() => this.#clear(all, before));
  }

  async #clear(all: boolean, before: string): Promise<CdrClearResult> {
    let rows = 0;
    for (;;) {
      const deleted = await this.#change(CLEAR_STEP, [before]);
      rows += deleted;
      if (deleted < STEP_ROWS) break;
    }
    this.onChanged?.({ type: 'cleared', rows });
    this.#statement('DELETE FROM settings WHERE key >= ? AND key < ?').run(IMPORTED, `${IMPORTED}${before}`);
    if (all) return { rows, days: this.archive.removeDays(undefined) };
    return { rows, days: this.archive.removeDays(before) };
  }

  /**
   * A step that changes rows in the store's worker while it runs (a step of 1,000 deleted rows held SIP
   * ~150 ms on this connection), else on this connection, the loop free before the next step.
   */
  async #change(sql: string, params: readonly (string | number | null)[]): Promise<number> {
    const behind = this.#readBehind;
    if (behind?.available() === true) return behind.change({ sql, params });
    const changes = this.#statement(sql).run(...params).changes;
    await nextTurn();
    return changes;
  }

  /** A read in the store's worker while it runs, else on this connection (the worker is not there). */
  async #read<T>(sql: string, params: object, shape: ReadShape): Promise<T> {
    const behind = this.#readBehind;
    if (behind?.available() === true) {
      return (await behind.read({ sql, params: params as Record<string, unknown>, shape })) as T;
    }
    const s = this.#statement(sql, shape === 'pluck');
    return (shape === 'all' ? s.all(params) : s.get(params)) as T;
  }

  /** A statement prepared on first use and kept (one per filter combination). */
  #statement(sql: string, pluck = false): Statement {
    const key = pluck ? `pluck:${sql}` : sql;
    let s = this.#cached.get(key);
    if (s === undefined) {
      s = this.#db.prepare(sql);
      if (pluck) s.pluck();
      this.#cached.set(key, s);
    }
    return s;
  }
}

/** A record's values in CDR_COLUMNS order, for the positional INSERT. */
function rowValues(record: CdrRecord): Values {
  const values: Values = [];
  for (const c of CDR_COLUMNS) values.push(record[c]); // packed (packedRows)
  return values;
}
