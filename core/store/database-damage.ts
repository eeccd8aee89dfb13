// A damaged database file: SQLite's SQLITE_CORRUPT (a page that does not hold what the b-tree says) and
// SQLITE_NOTADB (a header that is not SQLite's). The open reads only the header and the schema pages, so
// damage elsewhere (a page of CDR rows, an index) is found by PRAGMA quick_check (SQLite's docs,
// "PRAGMA quick_check": integrity_check without the check that indexes match their tables, O(N)) or by
// the first statement that reads the page. Either way the operator is told the file and the way out.
import { dirname, join } from 'node:path';

/** SQLite's codes for a file that is not (any longer) a valid database; extended codes included. */
export function isDatabaseDamage(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB');
}

/** What to do with a damaged database: a copy to put back, or what SQLite can read out of it. */
export function damageAdvice(file: string): string {
  const recovered = join(dirname(file), 'recovered.db');
  return (
    `stop IMS Lab, then put back a copy (your backup, or an ${file}.before-* beside it: what was written ` +
    `since is not in it), or recover what is readable: sqlite3 ${file} ".recover" | sqlite3 ${recovered}, ` +
    `and move ${recovered} to ${file}`
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
