// The journal of calls in progress (table cdr_live_calls, migration 9): the calls up at the CDR recorder's
// last flush, each with its latest snapshot, and the last moment the appliance was known to run while it
// held any (settings row cdr.alive_at). The recorder writes it in the batches it hands the store worker
// (or commits on the loop), the changes coalesced in memory (live-call-changes.ts); a start reads it back
// and writes a CDR row for each call an unclean stop (kill -9, a power cut) left there, which the original
// lost (original-server.md §12 item 23). A clean stop leaves it empty.
import type { Database, Statement, Transaction } from 'better-sqlite3';
import type { WriteStep } from '../store/store-worker';
import type { JournalChanges, JournaledCall } from './live-call-changes';

/** The settings key of the last moment the appliance was known to run with calls in the journal. */
export const ALIVE_AT_SETTING = 'cdr.alive_at';

const UPSERT = 'INSERT OR REPLACE INTO cdr_live_calls (id, started_at, call) VALUES (?, ?, ?)';
const DELETE = 'DELETE FROM cdr_live_calls WHERE id = ?';
const CLEAR = 'DELETE FROM cdr_live_calls';
const SET_ALIVE =
  'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value';
const CLEAR_ALIVE = 'DELETE FROM settings WHERE key = ?';

/** What a start finds in the journal. */
export interface JournalContents {
  calls: JournaledCall[];
  /** The last moment the appliance was known to run (ms since the epoch); undefined when not written. */
  aliveAt: number | undefined;
  /** Rows that are not a call snapshot (damaged by hand): skipped, named by id. */
  unreadable: string[];
}

/** Where the CDR recorder keeps its journal (a shared-database adapter would implement the same). */
export interface LiveCallJournal {
  /** The statements that apply `changes` and stamp `aliveAt`, for a batch of the store worker. */
  steps(changes: JournalChanges, aliveAt: number): WriteStep[];
  /** On the loop's own connection: `rows()` (the CDR rows' insert) and the changes in one transaction. */
  commit<T>(changes: JournalChanges | undefined, aliveAt: number, rows: () => T): T;
  /** The calls it holds now (read at start, before any is written). */
  read(): JournalContents;
}

export class SqliteLiveCallJournal implements LiveCallJournal {
  readonly #db: Database;
  readonly #read: Statement<[], { id: string; call: string }>;
  readonly #aliveAt: Statement<[string], string>;
  readonly #statements = new Map<string, Statement>();
  readonly #commitTx: Transaction<(steps: readonly WriteStep[], rows: () => unknown) => unknown>;

  constructor(db: Database) {
    this.#db = db;
    this.#read = db.prepare('SELECT id, call FROM cdr_live_calls ORDER BY started_at, id');
    this.#aliveAt = db.prepare<[string], string>('SELECT value FROM settings WHERE key = ?').pluck();
    // The CDR rows' insert (a transaction of its own, a savepoint inside this one) and the journal's steps.
    this.#commitTx = db.transaction((steps: readonly WriteStep[], rows: () => unknown): unknown => {
      const result = rows();
      for (const step of steps) {
        const s = this.#statement(step.sql);
        for (const row of step.rows) s.run(row);
      }
      return result;
    });
  }

  steps(changes: JournalChanges, aliveAt: number): WriteStep[] {
    if (changes.clearAll)
      return [
        { sql: CLEAR, rows: [[]] },
        { sql: CLEAR_ALIVE, rows: [[ALIVE_AT_SETTING]] },
      ];
    const steps: WriteStep[] = [];
    if (changes.deletes.length > 0) steps.push({ sql: DELETE, rows: changes.deletes.map((id) => [id]) });
    if (changes.upserts.length > 0) {
      const rows: WriteStep['rows'][number][] = [];
      for (const c of changes.upserts) rows.push([c.id, c.startedAt, JSON.stringify(c)]);
      steps.push({ sql: UPSERT, rows });
    }
    steps.push({ sql: SET_ALIVE, rows: [[ALIVE_AT_SETTING, String(aliveAt)]] });
    return steps;
  }

  commit<T>(changes: JournalChanges | undefined, aliveAt: number, rows: () => T): T {
    const steps = changes === undefined ? [] : this.steps(changes, aliveAt);
    return this.#commitTx.immediate(steps, rows) as T;
  }

  /** A statement of steps() prepared on first use and kept (five of them). */
  #statement(sql: string): Statement {
    let s = this.#statements.get(sql);
    if (s === undefined) {
      s = this.#db.prepare(sql);
      this.#statements.set(sql, s);
    }
    return s;
  }

  read(): JournalContents {
    const calls: JournaledCall[] = [];
    const unreadable: string[] = [];
    for (const row of this.#read.all()) {
      const call = parseCall(row.call);
      if (call === undefined) unreadable.push(row.id);
      else calls.push(call);
    }
    const stamp = Number(this.#aliveAt.get(ALIVE_AT_SETTING));
    return { calls, aliveAt: Number.isFinite(stamp) && stamp > 0 ? stamp : undefined, unreadable };
  }
}

/** A snapshot as written by steps(), or undefined when the text is not one. */
function parseCall(text: string): JournaledCall | undefined {
  try {
    const c = JSON.parse(text) as Partial<JournaledCall> | null;
    if (
      c === null ||
      typeof c !== 'object' ||
      typeof c.id !== 'string' ||
      typeof c.callId !== 'string' ||
      typeof c.startedAt !== 'number' ||
      typeof c.caller !== 'object' ||
      typeof c.callee !== 'object' ||
      typeof c.media !== 'object' ||
      (c.extraInfo !== undefined && typeof c.extraInfo !== 'string')
    )
      return undefined;
    return c as JournaledCall;
  } catch {
    return undefined;
  }
}
