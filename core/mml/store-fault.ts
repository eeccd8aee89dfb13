// A command that failed in the database for a reason the operator can act on (RETCODE 7, could not be
// done), not a fault of IMS Lab (99): a damaged database file, named with the way out; a full disk or a
// read-only one, named by its folder.
import { join } from 'node:path';
import { DATABASE_FILE } from '../store/database';
import { damageAdvice, isDatabaseDamage } from '../store/database-damage';

/** The answer's text for such a failure; undefined for any other error. */
export function storeFault(err: unknown, dataDir: string): string | undefined {
  const file = join(dataDir, DATABASE_FILE);
  if (isDatabaseDamage(err))
    return `The database ${file} is damaged (${(err as Error).message}): ${damageAdvice(file)}`;
  const code = (err as { code?: unknown } | undefined)?.code;
  // SQLITE_FULL: the file system holding the database (or its WAL) has no room; nothing was changed.
  if (code === 'SQLITE_FULL')
    return `Disk full: ${dataDir} (the database ${file} could not grow; nothing was changed): free some space there`;
  if (typeof code === 'string' && code.startsWith('SQLITE_READONLY'))
    return `The database ${file} cannot be written (${(err as Error).message}): is ${dataDir} read-only?`;
  return undefined;
}
