// A copy of the database before an upgrade rewrites its rows (a migration marked `rewrites`: 4 turns the
// CDR rows into the original's values), <file>.before-v<N>: the IMS Lab that wrote the database refuses
// it once upgraded, and going back to it is then giving it this copy back. Migrations that only add
// tables or columns need none (an older IMS Lab refuses them all the same, but the rows are as it wrote
// them). The copy is SQLite's VACUUM INTO, a consistent snapshot WAL included, readable by the appliance's
// user only; a copy that cannot be made (a full disk) is said, and the upgrade goes on without it.
// Each migration commits on its own, so an upgrade cut short (a kill, `docker stop` after its grace) has
// already locked the older IMS Lab out: the next start keeps the copy the first one made (of a lower
// schema than the database now) rather than copying the half-upgraded database over it. Every upgrade of
// an existing database says, before its first migration, that older IMS Labs refuse the folder from then
// on and where the way back is (the copy, or a backup from before the start when none is made).
import { existsSync, renameSync, rmSync } from 'node:fs';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { elapsedText, sizeText } from '../observe/amounts';
import type { Log } from '../observe/log';
import { MIGRATIONS, schemaVersion, type Migration } from './migrations';
import { privateFile } from './private-file';
import { sqliteOptions } from './sqlite-binding';

/** Where the copy of `file` made before `migration` goes. */
export const copyBefore = (file: string, migration: Migration): string =>
  `${file}.before-v${migration.version}`;

/**
 * Copies the database when a migration still to run rewrites rows, and says that the upgrade to come
 * closes the folder to older IMS Labs; returns the copy's path, if there is one.
 */
export function copyBeforeRewrite(
  db: Database,
  log: Log,
  migrations: readonly Migration[] = MIGRATIONS,
): string | undefined {
  const version = schemaVersion(db);
  const latest = migrations.at(-1)?.version ?? 0;
  if (version === 0 || version >= latest || db.memory) return undefined;
  const rewriting = migrations.find((m) => m.version > version && m.rewrites === true);
  const copy =
    rewriting === undefined
      ? undefined
      : (earlierCopy(db, log, rewriting, version) ?? copied(db, log, rewriting, version));
  const way =
    copy !== undefined
      ? `${copy} is the database as it was, for going back (README "Running headless")`
      : rewriting === undefined
        ? 'no copy is made (no migration to run rewrites rows): a backup from before this start is the way back'
        : 'it could not be copied (above): a backup from before this start is the way back';
  log.warning(
    `${db.name} is upgraded from schema ${version} to ${latest}: the IMS Lab versions that wrote schema ` +
      `${version} and older ones refuse it from its first migration on, even if this start is cut short; ${way}`,
  );
  return copy;
}

/**
 * The copy an earlier start made before an upgrade it did not finish (a lower schema than the database's
 * now, which later migrations of that start committed): kept, it is the way back.
 */
function earlierCopy(db: Database, log: Log, rewriting: Migration, version: number): string | undefined {
  const copy = copyBefore(db.name, rewriting);
  if (!existsSync(copy)) return undefined;
  try {
    const earlier = new BetterSqlite3(copy, sqliteOptions({ readonly: true, fileMustExist: true }));
    try {
      const was = schemaVersion(earlier);
      if (was === 0 || was >= version) return undefined;
      log.info(`kept ${copy} (schema ${was}): an earlier start made it and did not finish the upgrade`);
      return copy;
    } finally {
      earlier.close();
    }
  } catch {
    return undefined; // not a database: made anew
  }
}

function copied(db: Database, log: Log, rewriting: Migration, version: number): string | undefined {
  const copy = copyBefore(db.name, rewriting);
  const partial = `${copy}.partial`;
  const pages = Number(db.pragma('page_count', { simple: true }));
  const bytes = pages * Number(db.pragma('page_size', { simple: true }));
  log.info(
    `copying ${db.name} (schema ${version}, ${sizeText(bytes)}) to ${copy} before migration ` +
      `${rewriting.version} rewrites its rows: the IMS Lab that wrote it can be given the copy back`,
  );
  const started = performance.now();
  try {
    rmSync(partial, { force: true });
    db.prepare('VACUUM INTO ?').run(privateFile(partial));
    renameSync(partial, copy);
  } catch (err) {
    rmSync(partial, { force: true });
    log.warning(
      `${db.name} was not copied to ${copy} (${(err as Error).message}): upgrading it without a copy`,
    );
    return undefined;
  }
  log.info(`copied ${db.name} to ${copy} in ${elapsedText(performance.now() - started)}`);
  return copy;
}
