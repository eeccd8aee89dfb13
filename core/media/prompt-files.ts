// The prompts a console can offer for MEDIA_FILE: the WAV files in the media/ folder of each place
// STR CALL looks (the data folder, the working folder, the packaged app's resources), named as STR CALL
// takes them ('media/default.wav'), each once, sorted.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

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
