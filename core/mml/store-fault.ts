// A command that failed in the database or a file for a reason the operator can act on (RETCODE 7, could
// not be done), not a fault of IMS Lab (99): a damaged database file, named with the way out; a full disk
// or a read-only one, named by its folder; a file that could not be written (a full disk, no right to,
// a folder in its place: the file system's error, with the file it names), named; a database another
// program keeps locked, named with the way out. One classification
// for every command: the engine's (any error a handler lets through), SET CFG's and SET TRACE's (what
// applying a setting met), EXP CDR's.
import { join } from 'node:path';
import { DATABASE_FILE, isDatabaseLocked } from '../store/database';
import { damageAdviceFor, damagedFile, isDatabaseDamage } from '../store/database-damage';

/** The file system's codes of a storage fault (not IMS Lab's). */
const FILE_FAULTS = new Set([
  'ENOSPC',
  'EDQUOT',
  'EACCES',
  'EPERM',
  'EROFS',
  'EISDIR',
  'ENOTDIR',
  'EEXIST',
  'EIO',
]);

/** The answer's text for such a failure; undefined for any other error. */
export function storeFault(err: unknown, dataDir: string): string | undefined {
  const file = join(dataDir, DATABASE_FILE);
  if (isDatabaseDamage(err)) {
    // The file that raised it: ims-lab.db, or trace.db (its store names it).
    const damaged = damagedFile(err, file);
    return `The database ${damaged} is damaged (${(err as Error).message}): ${damageAdviceFor(damaged, file)}`;
  }
  const e = err as { code?: unknown; file?: unknown; path?: unknown; message?: unknown } | undefined;
  const code = e?.code;
  // The file named by the writer (new-file.ts: `file`), else by the file system's error (`path`).
  const named = typeof e?.file === 'string' ? e.file : typeof e?.path === 'string' ? e.path : undefined;
  const message = String(e?.message ?? err);
  if (typeof code === 'string' && named !== undefined && named !== file) {
    if (FILE_FAULTS.has(code)) return `Cannot write ${named}: ${message}`;
    // Another SQLite file than the database (trace.db): named, with SQLite's words.
    if (code.startsWith('SQLITE_')) return `Cannot write ${named}: ${message}`;
  }
  // SQLITE_BUSY: another program holds a write transaction open on the file; the loop does not wait for it.
  if (isDatabaseLocked(err))
    return (
      `${DATABASE_FILE} is locked by another program (a write transaction open on ${file}: DB Browser for ` +
      "SQLite with unsaved changes, a sqlite3 shell after BEGIN), or by a long write of IMS Lab's own (an " +
      'IMP USER or CLR CDR still running): close that program, or save or roll back there, and try again'
    );
  // SQLITE_FULL: the file system holding the database (or its WAL) has no room; nothing was changed.
  if (code === 'SQLITE_FULL')
    return `Disk full: ${dataDir} (the database ${file} could not grow; nothing was changed): free some space there`;
  if (typeof code === 'string' && code.startsWith('SQLITE_READONLY'))
    return `The database ${file} cannot be written (${(err as Error).message}): is ${dataDir} read-only?`;
  return undefined;
}
