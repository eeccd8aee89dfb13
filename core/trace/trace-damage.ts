// A damaged trace.db (SQLite's SQLITE_CORRUPT or SQLITE_NOTADB): most often a copy of a running data
// folder taken while a batch was being written (trace.db keeps a rollback journal, not a WAL, so such a
// copy may hold half a batch and a journal of another moment), or a disk fault. It holds only the SIP
// trace, so IMS Lab does not stop, nor send the operator to ims-lab.db, for it: the file is set aside
// under a name of its own, with its journal (SQLite finds a database's journal by its name + "-journal",
// so sqlite3 ".recover" on the set-aside file still sees it), and a new, empty trace.db is started.
import { existsSync, renameSync } from 'node:fs';
import { localStamp } from '../observe/logger';

/** `file`'s set-aside name: <file>.damaged-<local date>-<hhmmss>, with -2, -3... if taken. */
function asideName(file: string, now: number): string {
  const { day, stamp } = localStamp(now);
  const base = `${file}.damaged-${day}-${stamp.slice(11, 19).replace(/:/g, '')}`;
  for (let n = 1; ; n++) {
    const name = n === 1 ? base : `${base}-${n}`;
    if (!existsSync(name) && !existsSync(`${name}-journal`)) return name;
  }
}

/**
 * Renames the (closed) damaged database `file` and its journal, if any, out of the way; returns the new
 * name of the database. Throws the file system's error (no right to rename) with the file named.
 */
export function setAsideDamaged(file: string, now = Date.now()): string {
  const aside = asideName(file, now);
  try {
    renameSync(file, aside);
    if (existsSync(`${file}-journal`)) renameSync(`${file}-journal`, `${aside}-journal`);
  } catch (err) {
    throw Object.assign(err as Error, { file });
  }
  return aside;
}

/** The warning said when a damaged trace.db was set aside. */
export function setAsideText(file: string, aside: string, why: string): string {
  return (
    `trace: ${file} is damaged (${why}; a copy of a running data folder can cut a batch of it in two): ` +
    `set aside as ${aside} and a new, empty ${file} started. It held only the SIP trace (ims-lab.db, ` +
    `the users and CDR, is not concerned): delete ${aside} when its messages are not wanted`
  );
}
