// mkdir -p, one level at a time. Node's recursive mkdirSync retries a level that answers ENOENT while the
// folder above it exists: under /proc (IMS_DATA_DIR=/proc/x) that is every try, and the start spun at
// 100% CPU without a word instead of stopping on the data folder that cannot be made.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/** Makes `path` and the folders above it that are missing; throws the file system's error for a level. */
export function makeFolder(path: string, mode = 0o777): void {
  const missing: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    try {
      statSync(p);
      break; // there (a file in the way is mkdir's EEXIST or ENOTDIR below)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    missing.unshift(p);
    if (dirname(p) === p) break;
  }
  if (missing.length === 0) {
    mkdirSync(path, { recursive: true, mode }); // an existing folder: nothing; a file: EEXIST
    return;
  }
  for (const p of missing) mkdirSync(p, { mode });
}
