// The prompts a console can offer for MEDIA_FILE: the WAV files in the media/ folder of each place
// STR CALL looks (the data folder, the working folder, the installed app, the packaged app's resources), named as STR CALL
// takes them ('media/default.wav'), each once, sorted; and a prompt uploaded from a console, saved in
// the data folder's media/ once it decodes, never over or in front of another prompt.
import {
  constants,
  copyFileSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseWav, PromptError, promptSeconds } from './wav';

/** Most names listed (a console select, not a file browser). */
const MAX_PROMPTS = 500;

export function listPrompts(roots: readonly string[]): string[] {
  const names = new Set<string>();
  for (const root of roots) {
    let entries: string[];
    try {
      entries = readdirSync(join(root, 'media'));
    } catch {
      continue; // no media/ there
    }
    for (const e of entries) if (/\.wav$/i.test(e)) names.add(`media/${e}`);
  }
  return [...names].sort().slice(0, MAX_PROMPTS);
}

/** The names tried for one upload (a folder holding 100 of one name is a mistake to report). */
const MAX_TRIES = 100;

/**
 * Saves an uploaded prompt in <dataDir>/media/ once it decodes (a bad file is a PromptError and nothing
 * is written), under its own name or, when a prompt of that name is there already or in another root's
 * media/ (`roots`: where STR CALL looks, the prompts IMS Lab ships among them), as name_2.wav, _3...:
 * nothing is overwritten, and an upload named default.wav does not shadow the shipped one for every
 * campaign (the data folder is looked in first). Written beside and linked, so a reader never sees half a
 * file and a name taken meanwhile is not written over. Answers the name it was saved as.
 */
export function savePrompt(
  dataDir: string,
  name: string,
  bytes: Uint8Array,
  roots: readonly string[] = [dataDir],
): { file: string; source: string; seconds: number } {
  const prompt = parseWav(bytes, name); // checked, not resampled: only its length is said
  const dir = join(dataDir, 'media');
  const ext = extname(name);
  const base = basename(name, ext);
  const tmp = join(dir, `.${base}${ext}.${process.pid}.part`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, bytes);
    const saved = linkFree(tmp, dir, base, ext, roots);
    return {
      file: `media/${saved}`,
      source: prompt.source,
      seconds: Number(promptSeconds(prompt).toFixed(2)),
    };
  } catch (err) {
    // A full disk, a read-only folder: the operator's to fix, said naming the file as IMP and EXP do
    // (not "internal error"); the part written is removed below.
    if (err instanceof PromptError || typeof (err as NodeJS.ErrnoException).code !== 'string') throw err;
    throw new PromptError(join(dir, name), `cannot be written: ${(err as Error).message}`);
  } finally {
    rmSync(tmp, { force: true });
  }
}

/** Links `tmp` as <dir>/<base><ext>, or the first of <base>_2<ext>... no root's media/ holds; its name. */
function linkFree(tmp: string, dir: string, base: string, ext: string, roots: readonly string[]): string {
  for (let n = 1; n <= MAX_TRIES; n++) {
    const name = n === 1 ? `${base}${ext}` : `${base}_${n}${ext}`;
    if (roots.some((root) => existsSync(join(root, 'media', name)))) continue;
    try {
      place(tmp, join(dir, name)); // EEXIST when it was taken since: never over it
      return name;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`${base}${ext}: ${MAX_TRIES} prompts of that name in media/ already; choose another name`);
}

/** Puts `tmp` at `dest` whole, failing (EEXIST) when `dest` exists. */
function place(tmp: string, dest: string): void {
  try {
    linkSync(tmp, dest);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw err;
    // A file system without hard links (FAT, exFAT): a copy, still never over another file.
    copyFileSync(tmp, dest, constants.COPYFILE_EXCL);
  }
}
