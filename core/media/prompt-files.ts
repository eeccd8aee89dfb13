// The prompts a console can offer for MEDIA_FILE: the WAV files in the media/ folder of each place
// STR CALL looks (the data folder, the working folder, the installed app, the packaged app's resources), named as STR CALL
// takes them ('media/default.wav'), each once, sorted; and a prompt uploaded from a console, saved in
// the data folder's media/ once it decodes.
import { mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decodeWav, TELEPHONE_RATE } from './wav';

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

/**
 * Saves an uploaded prompt as <dataDir>/media/<name> once it decodes (a bad file is a PromptError and
 * nothing is written); written beside and renamed, so a reader never sees half a file.
 */
export function savePrompt(
  dataDir: string,
  name: string,
  bytes: Uint8Array,
): { file: string; source: string; seconds: number } {
  const prompt = decodeWav(bytes, name);
  const dir = join(dataDir, 'media');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, basename(name));
  const tmp = `${path}.${process.pid}.part`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
  return {
    file: `media/${basename(name)}`,
    source: prompt.source,
    seconds: Number((prompt.samples.length / TELEPHONE_RATE).toFixed(2)),
  };
}
