// A file written new, never over another: <dir>/<base><ext>, or <base>_2<ext>, _3... when one exists
// already (the exports of the original's layout, the trace's exports, the console's uploads). Two
// exports in the same second got the same name, and the second wrote over the first.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The names tried before giving up (a folder holding 100 of one name is a mistake to report). */
const MAX_TRIES = 100;

/**
 * Writes `data` to a new file in `dir` (made when missing); returns the file. `mode`: its permissions
 * when created (0o600 for one with passwords). Throws the file system's error, with `file` the last
 * name tried, for the caller to say.
 */
export function writeNewFileIn(
  dir: string,
  base: string,
  ext: string,
  data: string | Uint8Array,
  mode = 0o644,
): string {
  mkdirSync(dir, { recursive: true });
  let file = join(dir, `${base}${ext}`);
  for (let n = 2; ; n++) {
    try {
      writeFileSync(file, data, { flag: 'wx', mode });
      return file;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > MAX_TRIES)
        throw Object.assign(err as Error, { file });
      file = join(dir, `${base}_${n}${ext}`);
    }
  }
}
