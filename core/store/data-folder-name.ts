// IMS_DATA_DIR with a blank around it (`IMS_DATA_DIR=/data ` from an env, compose or systemd file). Builds
// before round 37 used the value as given, so a bench run that way for weeks has all its data in a folder
// whose name holds the blank ("/data "); this build trims the value (README "Running headless") and would
// start on the other, new folder: default users 1001-1003, a new TLS certificate, no CDRs, without a word.
// Refused instead (exit 2), naming both folders: the data is never used from a name the README says is not
// the one given, and never left behind silently. The operator renames the folder (one step) or points
// IMS_DATA_DIR at the folder they mean.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DATABASE_FILE } from './database';

/** The data folder an older build made from IMS_DATA_DIR as given, and the one this build takes. */
export class BlankInDataFolderError extends Error {
  constructor(
    readonly asGiven: string,
    readonly trimmed: string,
    given: string,
    trimmedHasDatabase: boolean,
  ) {
    super(
      `IMS_DATA_DIR=${JSON.stringify(given)} has a blank around it: this IMS Lab takes it as ${trimmed}, ` +
        `but the folder as given, "${asGiven}" (older IMS Lab versions used the value untrimmed), holds ` +
        `${DATABASE_FILE}: not started, rather than on another, new data folder. ` +
        (trimmedHasDatabase
          ? `${trimmed} holds ${DATABASE_FILE} too: keep the folder you want, move the other aside ` +
            `(mv "${asGiven}" ${trimmed} if it is the one), `
          : `Rename it (mv "${asGiven}" ${trimmed}) to keep using its data, `) +
        'or set IMS_DATA_DIR exactly, without the blank, to the folder you mean',
    );
    this.name = 'BlankInDataFolderError';
  }
}

/**
 * Throws BlankInDataFolderError when `given` (IMS_DATA_DIR as set) differs from its trimmed form and the
 * folder it names untrimmed holds a database; `dataDir` is the folder this build takes (the trimmed one).
 */
export function checkDataFolderName(given: string | undefined, dataDir: string): void {
  if (given === undefined || given.trim() === '' || given === given.trim()) return;
  const asGiven = resolve(given);
  if (asGiven === dataDir || !existsSync(join(asGiven, DATABASE_FILE))) return;
  throw new BlankInDataFolderError(asGiven, dataDir, given, existsSync(join(dataDir, DATABASE_FILE)));
}
