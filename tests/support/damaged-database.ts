// A database file damaged where its open does not look: the leaf pages of one table zeroed in place (a
// disk fault, a copy cut short), found by SQLite's dbstat table. The file must be closed (its WAL
// checkpointed) before, and is opened again after.
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { SqliteMmlHistory } from '../../core/mml/history';
import { closeDatabase, DATABASE_FILE, openDatabase } from '../../core/store/database';

/** Zeroes the leaf pages of `table` in `file`; returns how many. */
export function damageTable(file: string, table: string): number {
  const db = new BetterSqlite3(file);
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db
    .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'")
    .pluck()
    .all(table) as number[];
  db.close();
  if (pages.length === 0) throw new Error(`table ${table} has no leaf page in ${file}`);
  const fd = openSync(file, 'r+');
  try {
    for (const page of pages) writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
  return pages.length;
}

/** Rows of about 1 KB in a table of their own (one the appliance never reads): `count` of them. */
export function addFiller(file: string, count: number): void {
  const db = new BetterSqlite3(file);
  db.exec('CREATE TABLE IF NOT EXISTS filler (v TEXT)');
  const insert = db.prepare('INSERT INTO filler (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < count; i++) insert.run(`${i} ${'x'.repeat(1000)}`);
  })();
  db.close();
}

/**
 * A data folder's database with 200 long MML history entries (`who`, from `at` on), its history's pages
 * then damaged (DSP HISTORY reads them); returns the database file.
 */
export function damagedHistory(dataDir: string, who: string, at: number): string {
  const db = openDatabase(dataDir);
  const history = new SqliteMmlHistory(db);
  for (let i = 0; i < 200; i++)
    history.append({ at: at + i, who, command: `DSP USER ${'x'.repeat(200)}`, retcode: 0, message: '' });
  closeDatabase(db);
  const file = join(dataDir, DATABASE_FILE);
  damageTable(file, 'mml_history');
  return file;
}

/**
 * A backup of a closed database put back beside the write-ahead log of the newer one it replaces, as
 * after a stop that was not clean (`kill -9`, a power cut): the newer database grew by `count` rows of
 * `filler` (checkpointed into its file), then more went to its -wal, copied with its -shm while it was
 * open; `file` is then the backup again, with that -wal and -shm beside it. SQLite replays the log into
 * the backup, whose file lacks the pages the log's b-tree points to.
 */
export function backupBesideNewerLog(file: string, count = 2000): void {
  const backup = readFileSync(file);
  addFiller(file, count);
  const db = new BetterSqlite3(file);
  db.pragma('wal_autocheckpoint = 0');
  const insert = db.prepare('INSERT INTO filler (v) VALUES (?)');
  db.transaction(() => {
    for (let i = 0; i < count / 10; i++) insert.run(`late ${i} ${'y'.repeat(1000)}`);
  })();
  const wal = readFileSync(`${file}-wal`);
  const shm = readFileSync(`${file}-shm`);
  db.close();
  writeFileSync(file, backup);
  writeFileSync(`${file}-wal`, wal);
  writeFileSync(`${file}-shm`, shm);
}
