// The data folder's folders IMS Lab writes as it runs (logs/, CDR/ and their newest day folders, with the
// files in them), checked at start-up: a folder restored with another owner (`chown -R` of the top, then
// logs/ and CDR/ given back to root) started "running", its log lines on standard error only and the
// CDR rows in the database only, the day's CSV never made, while a database of another owner stopped the
// start naming the file and its owner. Such a folder now stops it the same way (exit 2, startup-fault.ts).
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The day folders' names (logs/2026-12-07, CDR/2026-12-07). */
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The newest day folders checked in each: today's and yesterday's (a call's row goes to its start day). */
const NEWEST_DAYS = 2;

/** A path this user may not write: the message names it, its owner and what to do. */
export class NotWritableError extends Error {
  constructor(
    readonly path: string,
    dataDir: string,
  ) {
    super(`data folder IMS_DATA_DIR=${dataDir} cannot be used: ${notWritable(path)}`);
    this.name = 'NotWritableError';
  }
}

/** "this user (uid N) may not write <path>, owned by uid M: check ... (chown -R ...)". */
export function notWritable(path: string): string {
  let owner = '';
  try {
    owner = `, owned by uid ${statSync(path).uid}`;
  } catch {
    // not to be read either: named without its owner
  }
  const uid = process.getuid?.();
  return (
    `this user${uid === undefined ? '' : ` (uid ${uid})`} may not write ${path}${owner}: check the owner and ` +
    `permissions of the files in the data folder, not only of the folder (chown -R to the user IMS Lab runs as)`
  );
}

/**
 * Throws NotWritableError for the first of `folders` under `dataDir`, of their newest day folders or of
 * the files in those, that exists and that this user may not write (EACCES, EPERM). What does not exist
 * yet is made when first written; a read-only file system is the data folder's own check's.
 */
export function checkWritable(
  dataDir: string,
  folders: readonly string[],
  access: (path: string, mode: number) => void = accessSync,
): void {
  const check = (path: string, mode: number): void => {
    try {
      access(path, mode);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') throw new NotWritableError(path, dataDir);
    }
  };
  const folderMode = constants.W_OK | constants.X_OK;
  for (const name of folders) {
    const folder = join(dataDir, name);
    if (!isFolder(folder)) continue;
    check(folder, folderMode);
    const days = entries(folder)
      .filter((d) => DAY.test(d))
      .sort()
      .slice(-NEWEST_DAYS);
    for (const day of days) {
      const dayFolder = join(folder, day);
      if (!isFolder(dayFolder)) continue;
      check(dayFolder, folderMode);
      for (const file of entries(dayFolder)) check(join(dayFolder, file), constants.W_OK);
    }
  }
}

function isFolder(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
}

function entries(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return []; // not to be read: its own check said so
  }
}
