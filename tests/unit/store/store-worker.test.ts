// The store worker (core/store/store-worker.ts). WAL checkpoints: the appliance's connection stops
// checkpointing, the worker's copies the WAL into the database file; without the worker SQLite's own
// automatic checkpoint comes back. Real SQLite files; the database file only grows when some connection
// checkpoints, which is what these tests watch. Write-behind batches: committed whole and in order, or
// not at all.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SILENT_LOG, type Log } from '../../../core/observe/log';
import { packedRows, StoreWorker } from '../../../core/store/store-worker';
import { closeDatabase, DATABASE_FILE, type Database } from '../../../core/store/database';
import { isDatabaseDamage } from '../../../core/store/database-damage';
import { addFiller, damageTable } from '../../support/damaged-database';
import { clonesDensely } from '../../support/dense-clone';
import { makeDataDir, open, useDataDirs } from './data-dir';

useDataDirs();

function recorder(): { warnings: string[]; log: Log } {
  const warnings: string[] = [];
  return { warnings, log: { ...SILENT_LOG, warning: (m: string) => warnings.push(m) } };
}

function newWorker(db: Database, log: Log, module?: string): StoreWorker {
  return new StoreWorker(db, log, { intervalMs: 50, module });
}

/** About 4 MB of rows: four times SQLite's automatic checkpoint threshold. */
function write(db: Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS filler (v TEXT)');
  const insert = db.prepare('INSERT INTO filler (v) VALUES (?)');
  const row = 'x'.repeat(1000);
  for (let i = 0; i < 40; i++)
    db.transaction(() => {
      for (let j = 0; j < 100; j++) insert.run(row);
    })();
}

const autocheckpoint = (db: Database): number => db.pragma('wal_autocheckpoint', { simple: true }) as number;

describe('store worker: WAL checkpoints', () => {
  it('moves the checkpoints to its worker: the main connection no longer does them, the worker does', async () => {
    const db = open(makeDataDir());
    const { warnings, log } = recorder();
    const c = newWorker(db, log);
    await c.start();
    expect(c.running).toBe(true);
    expect(autocheckpoint(db)).toBe(16_384); // only past 64 MB of WAL
    const before = statSync(db.name).size;
    write(db);
    // The pages reach the database file only through the worker's checkpoints.
    await vi.waitFor(() => expect(statSync(db.name).size).toBeGreaterThan(before + 3_000_000), {
      timeout: 10_000,
    });
    await c.stop();
    expect(c.running).toBe(false);
    expect(autocheckpoint(db)).toBe(1000);
    expect(warnings).toEqual([]);
  });

  it('keeps the WAL bounded under commits that never pause, and cuts the file back after them', async () => {
    const db = open(makeDataDir());
    db.pragma('journal_size_limit = 1000000'); // WAL_SIZE_LIMIT (64 MB), scaled down as the pages are
    const c = new StoreWorker(db, SILENT_LOG, { intervalMs: 20, loopCheckpointPages: 256 });
    await c.start();
    db.exec('CREATE TABLE IF NOT EXISTS burst (v TEXT)');
    const insert = db.prepare('INSERT INTO burst (v) VALUES (?)');
    const row = 'y'.repeat(3000);
    const wal = (): number => statSync(`${db.name}-wal`).size;
    // A provisioning script's commits, one after another on this thread (each a page or two of WAL);
    // the worker's checkpoints run beside them on theirs. Bounded in count and time.
    let largest = 0;
    const until = Date.now() + 4000;
    for (let i = 0; i < 40_000 && Date.now() < until; i++) {
      insert.run(row);
      if (i % 500 === 0) largest = Math.max(largest, wal());
    }
    // Without the loop's own checkpoint this WAL grew with every commit (hundreds of MB here) and stayed.
    expect(largest).toBeLessThan(40_000_000);
    insert.run(row); // the next commit after the worker's checkpoint starts the WAL again, cut back
    await vi.waitFor(
      () => {
        insert.run(row);
        expect(wal()).toBeLessThanOrEqual(1_000_000 + 16_384);
      },
      { timeout: 10_000 },
    );
    await c.stop();
  });

  it('without its worker nothing is checkpointed until SQLite does it again (the control case)', () => {
    const db = open(makeDataDir());
    db.pragma('wal_autocheckpoint = 0');
    const before = statSync(db.name).size;
    write(db);
    expect(statSync(db.name).size).toBe(before);
  });

  it('a worker that cannot load SQLite gives the checkpoints back to SQLite, with a warning', async () => {
    const db = open(makeDataDir());
    const { warnings, log } = recorder();
    const c = newWorker(db, log, '/nonexistent/better-sqlite3');
    await c.start();
    expect(c.running).toBe(false);
    expect(autocheckpoint(db)).toBe(1000);
    expect(warnings.join('\n')).toMatch(/WAL checkpoints run on the main thread/);
    const before = statSync(db.name).size;
    write(db);
    expect(statSync(db.name).size).toBeGreaterThan(before + 3_000_000);
  });
});

describe('store worker: write-behind batches', () => {
  const CREATE = 'CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)';
  const INSERT = 'INSERT INTO t (k, v) VALUES (?, ?)';
  const rows = (db: Database): unknown[] => db.prepare('SELECT k, v FROM t ORDER BY rowid').raw().all();

  /** A database with table t and a started worker on it. */
  async function started(): Promise<{ db: Database; w: StoreWorker; warnings: string[]; log: Log }> {
    const db = open(makeDataDir());
    db.exec(CREATE);
    const { warnings, log } = recorder();
    const w = newWorker(db, log);
    await w.start();
    return { db, w, warnings, log };
  }

  it('commits each batch whole, in the order given, with positional parameters', async () => {
    const { db, w, warnings } = await started();
    const first = w.write([
      {
        sql: INSERT,
        rows: [
          ['a', 1],
          ['b', null],
        ],
      },
    ]);
    const second = w.write([
      { sql: INSERT, rows: [['c', 3]] },
      { sql: 'UPDATE t SET v = ? WHERE k = ?', rows: [[20, 'b']] },
    ]);
    expect(w.inFlight).toBe(2);
    await Promise.all([first, second]);
    expect(w.inFlight).toBe(0);
    // Seen by the appliance's own connection at once.
    expect(rows(db)).toEqual([
      ['a', 1],
      ['b', 20],
      ['c', 3],
    ]);
    await w.stop();
    expect(warnings).toEqual([]);
  });

  it('a batch that fails commits nothing of itself, says why, and the next one still commits', async () => {
    const { db, w } = await started();
    await w.write([{ sql: INSERT, rows: [['a', 1]] }]);
    const failing = w.write([
      { sql: INSERT, rows: [['b', 2]] },
      { sql: INSERT, rows: [['a', 9]] }, // the primary key: the whole batch rolls back
    ]);
    const next = w.write([{ sql: INSERT, rows: [['c', 3]] }]);
    await expect(failing).rejects.toThrow(/UNIQUE constraint failed: t.k/);
    await next;
    expect(rows(db)).toEqual([
      ['a', 1],
      ['c', 3],
    ]);
    await w.stop();
  });

  it('stop() waits for the batches handed over; write() refuses at once when the worker is not there', async () => {
    const { db, w, log } = await started();
    const many = Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]);
    const pending = w.write([{ sql: INSERT, rows: many }]);
    await w.stop();
    await pending;
    expect(rows(db)).toHaveLength(5000);
    await expect(w.write([{ sql: INSERT, rows: [['z', 0]] }])).rejects.toThrow(/not running/);
    const broken = newWorker(db, log, '/nonexistent/better-sqlite3');
    await broken.start();
    await expect(broken.write([{ sql: INSERT, rows: [['z', 0]] }])).rejects.toThrow(/not running/);
  });
});

describe('packedRows', () => {
  it('makes rows the structured clone writes densely, also once V8 has optimised the caller', () => {
    const items = [1, 2, 3];
    const rows = () => packedRows(items, (i) => [`a${i}`, i, null]);
    for (let i = 0; i < 20_000; i++) rows();
    expect(rows()).toEqual([
      ['a1', 1, null],
      ['a2', 2, null],
      ['a3', 3, null],
    ]);
    expect(clonesDensely(rows())).toBe(true);
  });
});

describe('store worker: reads off the loop', () => {
  it('answers all rows, the first or its first column, after the batches handed over before it', async () => {
    const db = open(makeDataDir());
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
    const w = newWorker(db, SILENT_LOG);
    await w.start();
    void w.write([
      {
        sql: 'INSERT INTO t (k, v) VALUES (?, ?)',
        rows: [
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ],
      },
    ]);
    const sql = 'SELECT k, v FROM t WHERE v >= @min ORDER BY v';
    const [all, first, count] = await Promise.all([
      w.read({ sql, params: { min: 2 }, shape: 'all' }),
      w.read({ sql, params: { min: 2 }, shape: 'get' }),
      w.read({ sql: 'SELECT COUNT(*) FROM t WHERE v >= @min', params: { min: 2 }, shape: 'pluck' }),
    ]);
    expect(all).toEqual([
      { k: 'b', v: 2 },
      { k: 'c', v: 3 },
    ]);
    expect(first).toEqual({ k: 'b', v: 2 });
    expect(count).toBe(2);
    await w.stop();
    await expect(w.read({ sql, params: { min: 0 }, shape: 'all' })).rejects.toThrow(
      'the store worker is not running',
    );
  });

  it("a failed read rejects with SQLite's message and code: a damaged page is told as damage", async () => {
    const dir = makeDataDir();
    addFiller(join(dir, DATABASE_FILE), 2000);
    damageTable(join(dir, DATABASE_FILE), 'filler');
    const db = open(dir);
    const w = newWorker(db, SILENT_LOG);
    await w.start();
    await expect(w.read({ sql: 'SELECT * FROM nowhere', params: {}, shape: 'all' })).rejects.toMatchObject({
      message: 'no such table: nowhere',
      code: 'SQLITE_ERROR',
    });
    const damaged = await w.read({ sql: 'SELECT * FROM filler', params: {}, shape: 'all' }).catch((e) => e);
    expect(isDatabaseDamage(damaged)).toBe(true);
    await w.stop();
  });
});

describe('store worker: steps that change rows (CLR CDR)', () => {
  it('runs a statement after what was handed over before it and answers how many rows it changed', async () => {
    const db = open(makeDataDir());
    db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
    const w = newWorker(db, SILENT_LOG);
    await w.start();
    void w.write([
      { sql: 'INSERT INTO t (k, v) VALUES (?, ?)', rows: packedRows([1, 2, 3, 4, 5], (v) => [`k${v}`, v]) },
    ]);
    const step = 'DELETE FROM t WHERE rowid IN (SELECT rowid FROM t WHERE v < ? LIMIT 2)';
    expect(await w.change({ sql: step, params: [5] })).toBe(2);
    expect(await w.change({ sql: step, params: [5] })).toBe(2);
    expect(await w.change({ sql: step, params: [5] })).toBe(0);
    expect(db.prepare('SELECT k FROM t').pluck().all()).toEqual(['k5']); // committed, seen by the loop's connection
    await expect(w.change({ sql: 'DELETE FROM nowhere', params: [] })).rejects.toMatchObject({
      message: 'no such table: nowhere',
      code: 'SQLITE_ERROR',
    });
    await w.stop();
    await expect(w.change({ sql: step, params: [9] })).rejects.toThrow('the store worker is not running');
  });
});

describe('store worker: the check at start', () => {
  it('runs quick_check over the whole file: nothing for a sound one, the damage of pages the open never reads', async () => {
    const dir = makeDataDir();
    const sound = open(dir);
    const c = newWorker(sound, SILENT_LOG);
    await c.start();
    expect(await c.check()).toEqual([]);
    await c.stop();
    expect(await c.check()).toEqual([]); // on the appliance's connection, without the worker
    closeDatabase(sound);

    addFiller(join(dir, DATABASE_FILE), 2000);
    damageTable(join(dir, DATABASE_FILE), 'filler');
    const damaged = open(dir); // the open does not see it
    const d = newWorker(damaged, SILENT_LOG);
    await d.start();
    const problems = await d.check();
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.length).toBeLessThanOrEqual(5);
    await d.stop();
    expect((await d.check()).length).toBeGreaterThan(0);
  });
});
