// A file written new, never over another: <dir>/<base><ext>, or <base>_2<ext>, _3... when one exists
// already (every EXP command's export: EXP CFG, EXP USER, EXP TRACE, EXP CDR; the console's uploads).
// Two exports in the same second got the same name, and the second wrote over the first.
//
// Written whole or not at all: the content goes to a temporary name first (.<base><ext>.<pid>-<n>.tmp,
// which no download route serves) and gets its name only once complete. A write cut short (a full disk)
// left a truncated export under its final name, served by the console's downloads as any other.
import {
  closeSync,
  linkSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** The names tried before giving up (a folder holding 100 of one name is a mistake to report). */
const MAX_TRIES = 100;

/**
 * The `n`th name tried for <base><ext> in `dir`: the name itself, then <base>_2<ext>, _3... One
 * convention for every export (EXP CDR's said -2 where EXP CFG's said _2).
 */
export function numberedName(dir: string, base: string, ext: string, n: number): string {
  return join(dir, n === 1 ? `${base}${ext}` : `${base}_${n}${ext}`);
}

let temporaries = 0;

/** A temporary name in `dir` for what will be <base><ext>: hidden (a dot), ending in .tmp. */
export function temporaryFileIn(dir: string, base: string, ext: string): string {
  return join(dir, `.${base}${ext}.${process.pid}-${++temporaries}.tmp`);
}

/**
 * Gives the complete file `tmp` the first free name of `nameOf(1)`, `nameOf(2)`...; returns it. A hard
 * link refuses a name that exists (EEXIST) as an exclusive create does, so no file is written over; on a
 * file system without hard links, a rename to a name not there. Throws the file system's error, with
 * `file` the last name tried; `tmp` is left to the caller.
 */
export function publishNewFile(tmp: string, nameOf: (n: number) => string): string {
  for (let n = 1; ; n++) {
    const file = nameOf(n);
    try {
      linkSync(tmp, file);
      rmSync(tmp, { force: true });
      return file;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && n < MAX_TRIES) continue;
      if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS')
        return renameUnlessThere(tmp, nameOf, n);
      throw Object.assign(err as Error, { file });
    }
  }
}

/** publishNewFile without hard links: the first name from `n` that is not there. */
function renameUnlessThere(tmp: string, nameOf: (n: number) => string, from: number): string {
  for (let i = from; ; i++) {
    const name = nameOf(i);
    try {
      // Claims the name (exclusive create), then puts the content in its place.
      writeFileSync(name, '', { flag: 'wx' });
      renameSync(tmp, name);
      return name;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || i >= MAX_TRIES)
        throw Object.assign(err as Error, { file: name });
    }
  }
}

/**
 * Writes `data` to a new file in `dir` (made when missing); returns the file. `mode`: its permissions
 * when created (0o600 for one with passwords). Throws the file system's error, with `file` the name
 * meant, for the caller to say; nothing of it is left behind then.
 */
export function writeNewFileIn(
  dir: string,
  base: string,
  ext: string,
  data: string | Uint8Array,
  mode = 0o644,
): string {
  mkdirSync(dir, { recursive: true });
  const tmp = temporaryFileIn(dir, base, ext);
  try {
    writeFileSync(tmp, data, { flag: 'wx', mode });
    return publishNewFile(tmp, (n) => numberedName(dir, base, ext, n));
  } catch (err) {
    rmSync(tmp, { force: true });
    const file = (err as { file?: string }).file ?? join(dir, `${base}${ext}`);
    throw Object.assign(err as Error, { file });
  }
}

/**
 * writeNewFileIn for content made a part at a time (EXP TRACE with filters: a pcap of up to 50,000
 * messages, about 50 MB, written in one turn held SIP 2 s; EXP USER): each part written as it comes, so
 * the loop runs between two when `parts` gives it a turn. The same names, modes, all or nothing.
 */
export async function writeNewFileInSteps(
  dir: string,
  base: string,
  ext: string,
  parts: AsyncIterable<Uint8Array>,
  mode = 0o644,
): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const tmp = temporaryFileIn(dir, base, ext);
  try {
    const fd = openSync(tmp, 'wx', mode);
    try {
      for await (const part of parts)
        for (let at = 0; at < part.length;) at += writeSync(fd, part, at, part.length - at);
    } finally {
      closeSync(fd);
    }
    return publishNewFile(tmp, (n) => numberedName(dir, base, ext, n));
  } catch (err) {
    rmSync(tmp, { force: true });
    const file = (err as { file?: string }).file ?? join(dir, `${base}${ext}`);
    throw Object.assign(err as Error, { file });
  }
}
