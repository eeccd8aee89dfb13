// Test support for the store: a fresh data directory per test under the OS temp dir, removed afterwards,
// and a user store opened on it with a real SQLite file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { closeDatabase, openDatabase } from '../../../core/store/database';
import type { Database, OpenOptions } from '../../../core/store/database';
import { SqliteUserStore } from '../../../core/store/users';
import type { UserStoreOptions } from '../../../core/store/users';

const opened: Database[] = [];
const dirs: string[] = [];

/** Registers the clean-up in the calling test file; call once at its top level. */
export function useDataDirs(): void {
  afterEach(() => {
    for (const db of opened.splice(0)) closeDatabase(db);
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
}

export function makeDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ims-lab-store-'));
  dirs.push(dir);
  return dir;
}

/** Opens the database of a data dir; closed automatically after the test. */
export function open(dataDir: string, options?: OpenOptions): Database {
  const db = openDatabase(dataDir, options);
  opened.push(db);
  return db;
}

export interface UserFixture {
  dir: string;
  db: Database;
  users: SqliteUserStore;
}

export function openUsers(
  dir = makeDataDir(),
  options: UserStoreOptions = { realm: 'sip.local' },
): UserFixture {
  const db = open(dir);
  return { dir, db, users: new SqliteUserStore(db, dir, options) };
}

/** Every users row, for "the table is exactly unchanged" checks. */
export function snapshot(db: Database): unknown[] {
  return db.prepare('SELECT * FROM users ORDER BY username').all();
}
