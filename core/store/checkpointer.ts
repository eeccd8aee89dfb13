// WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that crosses
// 1000 pages of WAL, on the thread that commits: here the event loop, which then relays no SIP for the
// copy and the two fsyncs (measured: a CDR flush's p99 went from 23 to 47 ms with them, on this VM).
// Instead, the appliance's connection never checkpoints (wal_autocheckpoint = 0) and a worker thread with
// its own connection to the same file runs a PASSIVE checkpoint every second (SQLite's WAL docs,
// "Checkpointing": a passive checkpoint never blocks writers or readers and a writer resets the WAL once
// it has all been copied). If the worker cannot run, SQLite's own checkpoint is put back and a warning
// logged: durability never depends on the worker.
import { Worker } from 'node:worker_threads';
import type { Database } from 'better-sqlite3';
import type { Log } from '../observe/log';

/** SQLite's default (pages), restored when the worker is not there. */
const AUTOCHECKPOINT_PAGES = 1000;
const STOP_TIMEOUT_MS = 3000;

// Plain JavaScript, run with eval: the same file for the bundle, the desktop app and the tests. It loads
// better-sqlite3 from the path the appliance resolved, so it does not depend on the working folder.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
}, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m !== 'stop') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ ready: true });
`;

export interface CheckpointerOptions {
  /** How often the worker checkpoints (ms). */
  intervalMs?: number;
  /** Where better-sqlite3 is loaded from in the worker (tests give a wrong one). */
  module?: string;
}

export class WalCheckpointer {
  private worker: Worker | undefined;
  private exited: Promise<void> | undefined;
  private lastError = '';

  constructor(
    private readonly db: Database,
    private readonly log: Log,
    private readonly options: CheckpointerOptions = {},
  ) {}

  /** Hands checkpoints to the worker; resolves once it runs (or once SQLite's own are back). */
  start(): Promise<void> {
    if (this.worker !== undefined) return Promise.resolve();
    const file = this.db.name;
    let worker: Worker;
    try {
      worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: {
          file,
          module: this.options.module ?? require.resolve('better-sqlite3'),
          intervalMs: this.options.intervalMs ?? 1000,
        },
      });
    } catch (err) {
      this.fallBack(err);
      return Promise.resolve();
    }
    this.worker = worker;
    this.db.pragma('wal_autocheckpoint = 0');
    return new Promise((resolve) => {
      worker.on('message', (m: { ready?: boolean; error?: string }) => {
        if (m.ready === true) resolve();
        else if (m.error !== undefined && m.error !== this.lastError) {
          // Reported once per distinct fault: a locked file retried every second must not flood the log.
          this.lastError = m.error;
          this.log.warning(`WAL checkpoint failed (retried every second): ${m.error}`);
        }
      });
      this.exited = new Promise<void>((done) => {
        worker.once('exit', () => {
          if (this.worker === worker) {
            this.worker = undefined;
            this.fallBack('the checkpoint worker stopped');
          }
          resolve();
          done();
        });
      });
      worker.on('error', (err) => this.log.warning(`WAL checkpoint worker: ${err.message}`));
    });
  }

  /** Stops the worker and waits for it to close its connection (before the appliance closes its own). */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (worker === undefined) return;
    this.worker = undefined;
    worker.postMessage('stop');
    const timeout = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timeout);
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
  }

  /** True while the worker does the checkpoints. */
  get running(): boolean {
    return this.worker !== undefined;
  }

  private fallBack(why: unknown): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    const text = why instanceof Error ? why.message : String(why);
    this.log.warning(`WAL checkpoints run on the main thread (${text})`);
  }
}
