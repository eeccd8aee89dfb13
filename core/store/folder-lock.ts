// One IMS Lab at a time on a data folder: a second one (another headless server, the desktop app) would
// share the database but not the live state (its registrations would be unknown to the first, its admin
// password would replace the first's). The lock is SQLite's own on a small file beside the database,
// <dataDir>/ims-lab.lock, held in exclusive locking mode for as long as the appliance runs: the operating
// system releases it when the process ends, however it ends, so a crash leaves no stale lock. Tools that
// work on the folder beside a running server (`users import`) do not take it.
import { join } from 'node:path';
import { makeFolder } from './make-folder';
import BetterSqlite3 from 'better-sqlite3';
import { sqliteOptions } from './sqlite-binding';

export const LOCK_FILE = 'ims-lab.lock';

/** Another IMS Lab holds the data folder. */
export class FolderLockedError extends Error {
  constructor(readonly dataDir: string) {
    super(
      `data folder IMS_DATA_DIR=${dataDir} is in use by another IMS Lab (it holds ${join(dataDir, LOCK_FILE)}): ` +
        'stop it, or give this one another data folder',
    );
    this.name = 'FolderLockedError';
  }
}

export interface FolderLock {
  release(): void;
}

/** Takes the data folder's lock, or throws FolderLockedError when another process holds it. */
export function lockDataFolder(dataDir: string): FolderLock {
  makeFolder(dataDir, 0o700);
  const db = new BetterSqlite3(join(dataDir, LOCK_FILE), sqliteOptions({ timeout: 0 }));
  try {
    // In exclusive locking mode the first write transaction's lock is kept until the connection closes.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS holder (pid INTEGER); DELETE FROM holder;');
    db.prepare('INSERT INTO holder (pid) VALUES (?)').run(process.pid);
  } catch (err) {
    db.close();
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw new FolderLockedError(dataDir);
    throw err;
  }
  return { release: () => db.close() };
}
