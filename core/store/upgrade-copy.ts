// A copy of the database before an upgrade rewrites its rows (a migration marked `rewrites`: 4 turns the
// CDR rows into the original's values), <file>.before-v<N>: the IMS Lab that wrote the database refuses
// it once upgraded, and going back to it is then giving it this copy back. Migrations that only add
// tables or columns need none (an older IMS Lab refuses them all the same, but the rows are as it wrote
// them). The copy is SQLite's VACUUM INTO, a consistent snapshot WAL included, readable by the appliance's
// user only; a copy that cannot be made (a full disk) is said, and the upgrade goes on without it.
import { renameSync, rmSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { elapsedText, sizeText } from '../observe/amounts';
import type { Log } from '../observe/log';
import { MIGRATIONS, schemaVersion, type Migration } from './migrations';
import { privateFile } from './private-file';

/** Where the copy of `file` made before `migration` goes. */
export const copyBefore = (file: string, migration: Migration): string =>
  `${file}.before-v${migration.version}`;

/** Copies the database when a migration still to run rewrites rows; returns the copy's path, if made. */
export function copyBeforeRewrite(
  db: Database,
  log: Log,
  migrations: readonly Migration[] = MIGRATIONS,
): string | undefined {
  const version = schemaVersion(db);
  const rewriting = migrations.find((m) => m.version > version && m.rewrites === true);
  if (version === 0 || rewriting === undefined || db.memory) return undefined;
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
