// The data folder's own folders (logs/, CDR/, exports/...), checked at start-up: one that is a file
// (an operator's copy gone wrong, `touch logs`) stops the start with its name, as a data folder that is
// a file does (cli/startup-fault.ts), instead of an appliance that starts and then loses its log lines
// or CDR archive. What does not exist yet is left to be created when first written.
import { statSync } from 'node:fs';
import { join } from 'node:path';

/** Throws an EEXIST error naming the first of `names` under `dataDir` that exists and is no folder. */
export function checkSubfolders(dataDir: string, names: readonly string[]): void {
  for (const name of names) {
    const path = join(dataDir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat !== undefined && !stat.isDirectory()) {
      throw Object.assign(new Error(`EEXIST: ${path} is not a folder`), { code: 'EEXIST', path });
    }
  }
}
