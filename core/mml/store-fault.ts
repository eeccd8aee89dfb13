// A command that failed in the database for a reason the operator can act on (RETCODE 7, could not be
// done), not a fault of IMS Lab (99): a damaged database file, named with the way out.
import { join } from 'node:path';
import { DATABASE_FILE } from '../store/database';
import { damageAdvice, isDatabaseDamage } from '../store/database-damage';

/** The answer's text for such a failure; undefined for any other error. */
export function storeFault(err: unknown, dataDir: string): string | undefined {
  if (isDatabaseDamage(err)) {
    const file = join(dataDir, DATABASE_FILE);
    return `The database ${file} is damaged (${(err as Error).message}): ${damageAdvice(file)}`;
  }
  return undefined;
}
