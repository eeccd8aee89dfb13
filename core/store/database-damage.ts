// A damaged database file: SQLite's SQLITE_CORRUPT (a page that does not hold what the b-tree says) and
// SQLITE_NOTADB (a header that is not SQLite's). The open reads only the header and the schema pages, so
// damage elsewhere (a page of CDR rows, an index) is found by PRAGMA quick_check (SQLite's docs,
// "PRAGMA quick_check": integrity_check without the check that indexes match their tables, O(N)) or by
// the first statement that reads the page. Either way the operator is told the file and the way out.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** SQLite's codes for a file that is not (any longer) a valid database; extended codes included. */
export function isDatabaseDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/**
 * What to do with a damaged database: a copy to put back, or what SQLite can read out of it; and, when
 * its -wal and -shm lie beside it, moving them aside with it. They are its write-ahead log: SQLite
 * replays it into whatever file is put in the database's place, so a backup put back beside them is
 * damaged the same way (the damage itself is often that: a backup put back beside the log of the database
 * it replaced, after a stop that was not clean), and putting it back again failed again.
 */
export function damageAdvice(file: string): string {
  const recovered = join(dirname(file), 'recovered.db');
  const advice =
    `stop IMS Lab, then put back a copy (your backup, or an ${file}.before-* beside it: what was written ` +
    `since is not in it), or recover what is readable: sqlite3 ${file} ".recover" | sqlite3 ${recovered}, ` +
    `and move ${recovered} to ${file}`;
  const log = [`${file}-wal`, `${file}-shm`].filter((f) => existsSync(f));
  if (log.length === 0) return advice;
  const names = log.join(' and ');
  return (
    `${advice}; either way, move ${names} aside with the damaged file before putting another in its place (its write-ahead log: SQLite ` +
    `would replay ${log.length === 1 ? 'it' : 'them'} into the file put in its place, and damage it the ` +
    `same way, as it does when ${file} was itself put back from a copy beside ${log.length === 1 ? 'it' : 'them'})`
  );
}

/** The file a damage error is of: the one named on it (trace.db's store names its own), else `database`. */
export function damagedFile(err: unknown, database: string): string {
  const named = (err as { file?: unknown } | undefined)?.file;
  return typeof named === 'string' ? named : database;
}

/**
 * The way out for a damaged `file`: the database's (damageAdvice), or, for trace.db (the only other
 * SQLite file of the data folder: the SIP trace, nothing else reads it), moving it away. Sending the
 * operator to put back an older ims-lab.db for a fault in trace.db would lose what was written since.
 */
export function damageAdviceFor(file: string, database: string): string {
  if (file === database) return damageAdvice(file);
  return (
    `it holds only the SIP trace (the users, CDR and settings are in ${database}, which is not concerned): ` +
    `stop IMS Lab, move ${file} away (or delete it), and start: a new, empty one is made`
  );
}

/** A database found damaged by the check at start (Appliance.start): stops the start (exit 2). */
export class DatabaseDamagedError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`database ${file} is damaged (${problems.join('; ')}): ${damageAdvice(file)}`);
    this.name = 'DatabaseDamagedError';
  }
}

/** The first lines of quick_check (at most this many are asked for: one is enough to refuse). */
export const QUICK_CHECK_LINES = 5;
