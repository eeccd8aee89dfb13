// The store's worker thread: its own connection to the appliance's database file, for the work that
// must not run on the event loop (DESIGN.md, The event loop is sacred).
//
// WAL checkpoints. SQLite's automatic checkpoint runs inside the commit that crosses 1000 pages of WAL,
// on the thread that commits: here the event loop, which then relays no SIP for the copy and the two
// fsyncs (measured: a CDR flush's p99 went from 23 to 47 ms with them, on this VM). Instead, the
// appliance's connection does not checkpoint (but past 64 MB of WAL, below) and the worker runs a PASSIVE
// checkpoint every second (SQLite's WAL docs, "Checkpointing": a passive checkpoint never blocks writers
// or readers and a writer resets the WAL once it has all been copied).
//
// A bounded WAL. A writer resets the WAL only when a checkpoint has copied all of it, and a checkpoint
// on another thread never catches up with commits that never pause (a 30,000-line provisioning script
// commits every quarter millisecond on the loop): the file grew for the whole burst (726 MB for a 10 MB
// database) and kept that size until a restart. So the appliance's connection checkpoints after all
// once its WAL passes loopCheckpointPages (64 MB), which only such a burst reaches: between its own
// commits, the copy (little is left, the worker copies each second) completes and the next commit
// starts the WAL again; and journal_size_limit gives the file back down to 64 MB after a reset.
//
// Write-behind batches. write() hands the worker a list of statements, each with its rows of
// parameters, and the worker runs them in one IMMEDIATE transaction: the B-tree work of a batch (a CDR
// row touches seven of them, 30-50 µs a row) leaves the event loop, which only prepares the rows.
// Batches commit in the order given. The caller keeps what it handed over until the promise settles,
// and on a rejection has its batch back unchanged (nothing was committed). writeCounted() answers the rows
// each step changed: IMP USER's final write (users-import-write.ts) is such a batch.
//
// After a full disk. A transaction the disk could not take (IMP USER of 100,000 users: "nothing was
// changed") still wrote its frames into the WAL file, which kept that size (8.5 MB) for good: the room the
// refused command took stayed taken, and the CSV archive, the log and the next checkpoint failed for it.
// After a SQLITE_FULL (here, or one the appliance's connection met: diskFull()) the worker checkpoints
// with TRUNCATE (SQLite's WAL docs: the WAL file back to zero bytes once all of it is in the database),
// never waiting for a reader, each second until it succeeds.
//
// If the worker cannot run, SQLite's own checkpoint is put back and a warning logged, and write()
// rejects at once: durability never depends on the worker, callers write on their own connection.
//
// Reads off the loop. read() runs one statement (SELECT) in the worker and gives its rows back: a CDR
// page whose filter scans a day (a Call-ID part, a state; 200,000 rows: 0.1-0.6 s) held SIP for that
// long on the loop's connection. Reads and batches run in the order handed over; an error keeps its
// SQLite code (a damaged page, SQLITE_CORRUPT, is told as such). Without the worker, reads run on the
// appliance's connection.
//
// Clears off the loop. change() runs one statement that changes rows (a step of CLR CDR's DELETE, 1,000
// rows) in the worker, its own transaction, and gives how many rows it changed: the steps of a week's
// clear (140,000 rows) held SIP ~150 ms a step on the loop's connection, 10.8 s long.
//
// The check at start. check() runs PRAGMA quick_check in the worker (about 0.9 s per 224 MB of CDR on
// this VM, on the second core: the event loop and the start-up rehearsal go on meanwhile); batches
// handed over after it wait for it (the worker takes its messages in order). Without the worker it runs
// on the appliance's connection.
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { Log } from '../observe/log';
import { WAL_SIZE_LIMIT } from './database';
import { QUICK_CHECK_LINES } from './database-damage';
import { sqliteBinding } from './sqlite-binding';

/** SQLite's default (pages), restored when the worker is not there. */
const AUTOCHECKPOINT_PAGES = 1000;
/** The appliance's connection's own checkpoint while the worker runs: past 64 MB of WAL only. */
const LOOP_CHECKPOINT_PAGES = 16_384;

const STOP_TIMEOUT_MS = 3000;

/** One statement of a batch and the rows of parameters it runs with (positional: `?`). */
export interface WriteStep {
  sql: string;
  rows: readonly (readonly (string | number | null)[])[];
}

/**
 * The rows of a step, made with push. V8's optimised Array.prototype.map returns a holey array, and the
 * structured clone that carries a batch to the worker writes a holey array as a sparse one, index by
 * index: 2-3 times slower to write and to read back than a packed one (45-column CDR rows measured).
 */
export function packedRows<T>(
  items: readonly T[],
  row: (item: T) => WriteStep['rows'][number],
): WriteStep['rows'] {
  const rows: WriteStep['rows'][number][] = [];
  for (const item of items) rows.push(row(item));
  return rows;
}

/** How a read gives its rows: all of them, the first, or the first row's first column. */
export type ReadShape = 'all' | 'get' | 'pluck';

/** A SELECT with its named parameters (@name), and the shape of its answer. */
export interface ReadRequest {
  sql: string;
  params: Record<string, unknown>;
  shape: ReadShape;
}

/** A statement that changes rows (a DELETE step) with its positional parameters (`?`). */
export interface ChangeRequest {
  sql: string;
  params: readonly (string | number | null)[];
}

/**
 * Where a store runs its reads that may scan many rows, and the steps of a clear: the worker, while it
 * runs (StoreWorker).
 */
export interface ReadBehind {
  /** False while the worker is not running: the store then reads (and clears) on the event loop itself. */
  available(): boolean;
  /** Runs the read off the loop; rejects with SQLite's error (its code kept). */
  read(request: ReadRequest): Promise<unknown>;
  /** Runs the statement off the loop, its own transaction; resolves with how many rows it changed. */
  change(request: ChangeRequest): Promise<number>;
}

/** What a store hands its batches to: the worker, while it runs (StoreWorker implements it). */
export interface WriteBehind {
  /** False while the worker is not running: the store then commits on the event loop itself. */
  available(): boolean;
  /** Commits the steps in one transaction off the loop; rejects when nothing of them was committed. */
  write(steps: readonly WriteStep[]): Promise<void>;
}

// Plain JavaScript, run with eval: the same file for the bundle, the desktop app and the tests. It loads
// better-sqlite3 from the path the appliance resolved, so it does not depend on the working folder.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true, nativeBinding: workerData.nativeBinding });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
db.pragma('journal_size_limit = ' + workerData.walSizeLimit);
const statements = new Map();
function statement(sql, pluck) {
  const key = pluck ? 'pluck:' + sql : sql;
  let s = statements.get(key);
  if (s === undefined) {
    s = db.prepare(sql);
    if (pluck) s.pluck();
    statements.set(key, s);
  }
  return s;
}
function read(r) {
  const s = statement(r.sql, r.shape === 'pluck');
  return r.shape === 'all' ? s.all(r.params) : s.get(r.params);
}
const commit = db.transaction((steps) => {
  const changed = [];
  for (const step of steps) {
    const s = statement(step.sql);
    let n = 0;
    for (const row of step.rows) n += s.run(row).changes;
    changed.push(n);
  }
  return changed;
});
let truncateWal = false;
function truncate() {
  try {
    db.pragma('busy_timeout = 0');
    const r = db.pragma('wal_checkpoint(TRUNCATE)')[0];
    if (r !== undefined && r.busy === 0) truncateWal = false;
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  } finally {
    db.pragma('busy_timeout = 5000');
  }
}
function failed(err) {
  if (!err || err.code !== 'SQLITE_FULL') return;
  truncateWal = true;
  truncate();
}
const timer = setInterval(() => {
  if (truncateWal) return truncate();
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    failed(err);
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'truncate') {
    truncateWal = true;
    truncate();
    return;
  }
  if (m === 'stop') {
    clearInterval(timer);
    db.close();
    parentPort.close();
    return;
  }
  if (m.check === true) {
    let problems;
    try {
      problems = db.pragma('quick_check(' + workerData.checkLines + ')', { simple: false })
        .map((row) => String(Object.values(row)[0]))
        .filter((line) => line !== 'ok');
    } catch (err) {
      problems = [String(err && err.message || err)];
    }
    parentPort.postMessage({ id: m.id, problems });
    return;
  }
  try {
    if (m.read !== undefined) parentPort.postMessage({ id: m.id, rows: read(m.read) });
    else if (m.change !== undefined)
      parentPort.postMessage({ id: m.id, changes: statement(m.change.sql).run(m.change.params).changes });
    else parentPort.postMessage({ id: m.id, changed: commit.immediate(m.steps) });
  } catch (err) {
    failed(err);
    parentPort.postMessage({ id: m.id, failed: String(err && err.message || err), code: err && err.code });
  }
});
parentPort.postMessage({ ready: true });
`;

export interface StoreWorkerOptions {
  /** How often the worker checkpoints (ms). */
  intervalMs?: number;
  /** WAL pages past which the appliance's connection checkpoints itself (tests give fewer). */
  loopCheckpointPages?: number;
  /** Where better-sqlite3 is loaded from in the worker (tests give a wrong one). */
  module?: string;
}

interface Reply {
  ready?: boolean;
  error?: string;
  id?: number;
  failed?: string;
  /** SQLite's error code of a failed read or batch. */
  code?: string;
  problems?: string[];
  rows?: unknown;
  changes?: number;
  /** A batch's rows changed, step by step. */
  changed?: number[];
}

interface Waiting {
  resolve: (reply: Reply) => void;
  reject: (err: Error) => void;
}

/** A failed statement of the worker, with SQLite's code as better-sqlite3's SqliteError has it. */
export class WorkerSqliteError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'SqliteError';
  }
}

export class StoreWorker implements WriteBehind, ReadBehind {
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;
  private lastError = '';
  private nextId = 1;
  /** Batches handed over and not yet answered, by id (answers come in order). */
  private readonly waiting = new Map<number, Waiting>();

  constructor(
    private readonly db: Database,
    private readonly log: Log,
    private readonly options: StoreWorkerOptions = {},
  ) {}

  /** Starts the worker; resolves once it runs (or once SQLite's own checkpoints are back). */
  start(): Promise<void> {
    if (this.worker !== undefined) return Promise.resolve();
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          file: this.db.name,
          module: this.options.module ?? require.resolve('better-sqlite3'),
          nativeBinding: sqliteBinding(),
          intervalMs: this.options.intervalMs ?? 1000,
          walSizeLimit: WAL_SIZE_LIMIT,
          checkLines: QUICK_CHECK_LINES,
        },
      });
    } catch (err) {
      this.fallBack(err);
      return Promise.resolve();
    }
    this.worker = worker;
    this.db.pragma(`wal_autocheckpoint = ${this.options.loopCheckpointPages ?? LOOP_CHECKPOINT_PAGES}`);
    return new Promise((resolve) => {
      worker.on('message', (m: Reply) => {
        if (m.ready === true) resolve();
        else if (m.id !== undefined) this.answer(m.id, m);
        else if (m.error !== undefined && m.error !== this.lastError) {
          // Reported once per distinct fault: a locked file retried every second must not flood the log.
          this.lastError = m.error;
          this.log.warning(`WAL checkpoint failed (retried every second): ${m.error}`);
        }
      });
      this.exited = new Promise<void>((done) => {
        worker.once('exit', () => {
          this.failWaiting('the store worker stopped');
          if (this.worker === worker) {
            this.worker = undefined;
            this.fallBack('the store worker stopped');
          }
          resolve();
          done();
        });
      });
      worker.on('error', (err) => this.log.warning(`store worker: ${err.message}`));
    });
  }

  /**
   * Commits the steps in one transaction in the worker. Rejects when the worker is not running (at once)
   * or the transaction failed (nothing of it committed).
   */
  write(steps: readonly WriteStep[]): Promise<void> {
    return this.post(steps, () => undefined);
  }

  /** As write(), resolving with the rows each step changed (IMP USER's added and updated users). */
  writeCounted(steps: readonly WriteStep[]): Promise<number[]> {
    return this.post(steps, (reply) => reply.changed ?? []);
  }

  private post<T>(steps: readonly WriteStep[], answer: (reply: Reply) => T): Promise<T> {
    const worker = this.worker;
    if (worker === undefined) return Promise.reject(new Error('the store worker is not running'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: (reply) => resolve(answer(reply)), reject });
      worker.postMessage({ id, steps });
    });
  }

  /**
   * Runs a SELECT in the worker, after the batches handed over before it. Rejects when the worker is
   * not running (at once) or the statement failed (SQLite's code kept).
   */
  read(request: ReadRequest): Promise<unknown> {
    const worker = this.worker;
    if (worker === undefined) return Promise.reject(new Error('the store worker is not running'));
    const id = this.nextId++;
    return new Promise<unknown>((resolve, reject) => {
      this.waiting.set(id, { resolve: (reply) => resolve(reply.rows), reject });
      worker.postMessage({ id, read: request });
    });
  }

  /**
   * Runs a statement that changes rows in the worker, after the batches and reads handed over before it,
   * as its own transaction; resolves with how many rows it changed. Rejects when the worker is not
   * running (at once) or the statement failed (SQLite's code kept; nothing of it committed).
   */
  change(request: ChangeRequest): Promise<number> {
    const worker = this.worker;
    if (worker === undefined) return Promise.reject(new Error('the store worker is not running'));
    const id = this.nextId++;
    return new Promise<number>((resolve, reject) => {
      this.waiting.set(id, { resolve: (reply) => resolve(reply.changes ?? 0), reject });
      worker.postMessage({ id, change: request });
    });
  }

  /**
   * PRAGMA quick_check of the whole file: what it found wrong (its first lines), none when the file is
   * sound. In the worker while it runs; on the appliance's connection otherwise.
   */
  check(): Promise<string[]> {
    const worker = this.worker;
    if (worker === undefined) {
      try {
        const rows = this.db.pragma(`quick_check(${QUICK_CHECK_LINES})`, { simple: false }) as Record<
          string,
          unknown
        >[];
        return Promise.resolve(rows.map((r) => String(Object.values(r)[0])).filter((l) => l !== 'ok'));
      } catch (err) {
        return Promise.resolve([(err as Error).message]);
      }
    }
    const id = this.nextId++;
    return new Promise<string[]>((resolve, reject) => {
      this.waiting.set(id, { resolve: (reply) => resolve(reply.problems ?? []), reject });
      worker.postMessage({ id, check: true });
    });
  }

  /**
   * The appliance's connection met a full disk (SQLITE_FULL): the worker truncates the WAL as soon as it
   * can (above). Without the worker, done here at once, unless a reader holds the WAL.
   */
  diskFull(): void {
    const worker = this.worker;
    if (worker !== undefined) {
      worker.postMessage('truncate');
      return;
    }
    if (!this.db.open) return;
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    try {
      this.db.pragma('busy_timeout = 0');
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // Still no room for the checkpoint: the next disk-full error tries again.
    } finally {
      this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /** Batches handed to write() (and reads to read()) not yet answered. */
  get inFlight(): number {
    return this.waiting.size;
  }

  /**
   * Stops the worker once the batches already handed over are answered, and waits for it to close its
   * connection (before the appliance closes its own).
   */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    worker.postMessage('stop'); // after every batch: the worker takes its messages in order
    const timeout = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timeout);
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }

  /** True while the worker does the checkpoints and takes batches. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  available(): boolean {
    return this.running;
  }

  private answer(id: number, reply: Reply): void {
    const w = this.waiting.get(id);
    if (w === undefined) return;
    this.waiting.delete(id);
    if (reply.failed === undefined) w.resolve(reply);
    else w.reject(new WorkerSqliteError(reply.failed, reply.code));
  }

  private failWaiting(why: string): void {
    for (const w of this.waiting.values()) w.reject(new Error(why));
    this.waiting.clear();
  }

  private fallBack(why: unknown): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    const text = why instanceof Error ? why.message : String(why);
    this.log.warning(`WAL checkpoints run on the main thread (${text})`);
  }
}
