// WAL checkpoints in a worker thread (core/store/checkpointer.ts): the appliance's connection stops
// checkpointing, the worker's copies the WAL into the database file; without the worker SQLite's own
// automatic checkpoint comes back. Real SQLite files; the database file only grows when some connection
// checkpoints, which is what these tests watch.
import { statSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { SILENT_LOG, type Log } from '../../../core/observe/log';
import { WalCheckpointer } from '../../../core/store/checkpointer';
import type { Database } from '../../../core/store/database';
import { makeDataDir, open, useDataDirs } from './data-dir';

useDataDirs();

function recorder(): { warnings: string[]; log: Log } {
  const warnings: string[] = [];
  return { warnings, log: { ...SILENT_LOG, warning: (m: string) => warnings.push(m) } };
}

function newCheckpointer(db: Database, log: Log, module?: string): WalCheckpointer {
  return new WalCheckpointer(db, log, { intervalMs: 50, module });
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

describe('WAL checkpointer', () => {
  it('moves the checkpoints to its worker: the main connection no longer does them, the worker does', async () => {
    const db = open(makeDataDir());
    const { warnings, log } = recorder();
    const c = newCheckpointer(db, log);
    await c.start();
    expect(c.running).toBe(true);
    expect(autocheckpoint(db)).toBe(0);
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
    const c = newCheckpointer(db, log, '/nonexistent/better-sqlite3');
    await c.start();
    expect(c.running).toBe(false);
    expect(autocheckpoint(db)).toBe(1000);
    expect(warnings.join('\n')).toMatch(/WAL checkpoints run on the main thread/);
    const before = statSync(db.name).size;
    write(db);
    expect(statSync(db.name).size).toBeGreaterThan(before + 3_000_000);
  });
});
