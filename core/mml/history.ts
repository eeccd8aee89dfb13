// The persistent command history: every statement the engine ran (who, when, the command with secret
// values masked, its return code and message), in SQLite table mml_history (migration 3). DSP HISTORY
// and the terminal's history view read it. Commands come at operator speed, so one insert per command
// is fine; the table is pruned to the newest maxEntries rows now and then.
// An entry the database refuses for a lock another program holds (SQLITE_BUSY: the loop's connection
// does not wait, database.ts) waits in memory, oldest first, and is written when the lock is gone.
import type { Database, Statement, Transaction } from 'better-sqlite3';
import { isDatabaseLocked } from '../store/database';
import type { Log } from '../observe/log';

export interface MmlHistoryEntry {
  /** Increasing with every entry. */
  id: number;
  /** When it ran, ms since the epoch. */
  at: number;
  who: string;
  command: string;
  retcode: number;
  message: string;
}

export interface MmlHistory {
  append(entry: Omit<MmlHistoryEntry, 'id'>): void;
  /**
   * The newest `limit` entries (of one operator when `who` is given; before entry number `before` when
   * given: the page older than one whose first is `before`), oldest first. A `who` without "@" is the
   * operator from any address ("admin": admin@127.0.0.1, admin@10.0.0.5, and "admin" itself); with one,
   * exactly that.
   */
  recent(limit: number, who?: string, before?: number): MmlHistoryEntry[];
  /** How many entries are kept (of one operator when `who` is given, read as recent() reads it). */
  count(who?: string): number;
}

export interface SqliteMmlHistoryOptions {
  /** Entries kept (default 10,000); older ones are deleted. */
  maxEntries?: number;
  /** Told when entries wait for a locked database, and when they are written. */
  log?: Log;
  /** Between two tries to write entries that wait (ms; default 1,000). */
  retryMs?: number;
}

type NewEntry = Omit<MmlHistoryEntry, 'id'>;

/** How many appends between two prunes. */
const PRUNE_EVERY = 100;

export class SqliteMmlHistory implements MmlHistory {
  readonly #insert: Statement<[number, string, string, number, string]>;
  readonly #recent: Statement<[number, number], MmlHistoryEntry>;
  readonly #recentOf: Statement<[string, string, string, number, number], MmlHistoryEntry>;
  readonly #count: Statement<[], number>;
  readonly #countOf: Statement<[string, string, string], number>;
  readonly #prune: Statement<[number]>;
  readonly #max: number;
  readonly #insertAll: Transaction<(entries: readonly NewEntry[]) => void>;
  readonly #log: Log | undefined;
  readonly #retryMs: number;
  /** Entries not yet written (the database was locked), oldest first. */
  #waiting: NewEntry[] = [];
  #retry: NodeJS.Timeout | undefined;
  /** Whether entries have waited since the last write (told once, and again when written). */
  #deferred = false;
  #appends = 0;

  constructor(db: Database, options: SqliteMmlHistoryOptions = {}) {
    this.#max = options.maxEntries ?? 10_000;
    this.#log = options.log;
    this.#retryMs = options.retryMs ?? 1000;
    this.#insert = db.prepare(
      'INSERT INTO mml_history (at, who, command, retcode, message) VALUES (?, ?, ?, ?, ?)',
    );
    const columns = 'id, at, who, command, retcode, message';
    this.#recent = db.prepare(
      `SELECT * FROM (SELECT ${columns} FROM mml_history WHERE id < ? ORDER BY id DESC LIMIT ?) ORDER BY id`,
    );
    // The name, exactly, or who@address for a name without "@": the range [name@, nameA) of the
    // (who, id) index ('@' 0x40 and 'A' 0x41 are neighbours in SQLite's BINARY order) holds exactly the
    // texts starting "name@"; an empty range ['', '') for a who with "@".
    this.#recentOf = db.prepare(
      `SELECT * FROM (SELECT ${columns} FROM mml_history WHERE (who = ? OR (who >= ? AND who < ?)) AND id < ? ORDER BY id DESC LIMIT ?) ORDER BY id`,
    );
    // At most maxEntries (+ PRUNE_EVERY) rows, counted on an index: cheap enough for every DSP HISTORY.
    this.#count = db.prepare<[], number>('SELECT COUNT(*) FROM mml_history').pluck();
    this.#countOf = db
      .prepare<[string, string, string], number>(
        'SELECT COUNT(*) FROM mml_history WHERE who = ? OR (who >= ? AND who < ?)',
      )
      .pluck();
    this.#prune = db.prepare('DELETE FROM mml_history WHERE id <= (SELECT MAX(id) FROM mml_history) - ?');
    this.#insertAll = db.transaction((entries: readonly NewEntry[]) => {
      for (const e of entries) this.#insert.run(e.at, e.who, e.command, e.retcode, e.message);
    });
  }

  append(entry: NewEntry): void {
    this.#waiting.push(entry);
    if (this.#retry === undefined) this.#write();
    if (++this.#appends % PRUNE_EVERY === 0 && this.#waiting.length === 0) this.#prune.run(this.#max);
  }

  /** Entries waiting for the database (locked by another program). */
  get waiting(): number {
    return this.#waiting.length;
  }

  /** Writes the entries waiting; those a lock refuses wait for the next try (other errors are thrown). */
  #write(): void {
    const entries = this.#waiting;
    try {
      this.#insertAll.immediate(entries);
    } catch (err) {
      if (!isDatabaseLocked(err)) {
        this.#waiting = [];
        throw err;
      }
      // At most maxEntries kept, as the table keeps.
      if (entries.length > this.#max) entries.splice(0, entries.length - this.#max);
      if (!this.#deferred)
        this.#log?.warning(
          `MML: the command history waits (${(err as Error).message}): its entries are written when the database is free`,
        );
      this.#deferred = true;
      this.#retry = setTimeout(() => this.#retryWrite(), this.#retryMs).unref();
      return;
    }
    this.#waiting = [];
    if (this.#deferred)
      this.#log?.info(`MML: ${entries.length} command history entries written, the database free again`);
    this.#deferred = false;
  }

  /** A last try to write the entries waiting, before the database closes; those it cannot are named. */
  stop(): void {
    if (this.#waiting.length === 0) return;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    const left = this.#waiting.length;
    this.#retryWrite();
    if (this.#waiting.length > 0) {
      this.#log?.error(`MML: ${left} command history entries not written (the database is still locked)`);
      clearTimeout(this.#retry);
      this.#retry = undefined;
      this.#waiting = [];
    }
  }

  #retryWrite(): void {
    this.#retry = undefined;
    try {
      this.#write();
    } catch (err) {
      this.#deferred = false;
      this.#log?.error(`MML: cannot record the command history: ${String(err)}`);
    }
  }

  recent(limit: number, who?: string, before = Number.MAX_SAFE_INTEGER): MmlHistoryEntry[] {
    if (who === undefined) return this.#recent.all(before, limit);
    const [from, to] = who.includes('@') ? ['', ''] : [`${who}@`, `${who}A`];
    return this.#recentOf.all(who, from, to, before, limit);
  }

  count(who?: string): number {
    if (who === undefined) return this.#count.get()!;
    const [from, to] = who.includes('@') ? ['', ''] : [`${who}@`, `${who}A`];
    return this.#countOf.get(who, from, to)!;
  }
}
