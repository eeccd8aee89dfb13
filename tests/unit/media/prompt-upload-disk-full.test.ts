// A prompt uploaded from a console onto a full disk (a real one: a tmpfs, which needs root; skipped
// elsewhere): an answer naming the file (a PromptError, which the console shows as it is, not
// "internal error: Error: ENOSPC"), and nothing left in media/. Before, its .part file stayed there.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { savePrompt } from '../../../core/media/prompt-files';
import { PromptError } from '../../../core/media/wav';
import { canMount, fillDisk, useTmpfsDisks } from '../../support/tmpfs';

const mount = useTmpfsDisks();
const WAV = readFileSync(join(import.meta.dirname, '../../../media/default.wav'));

describe.skipIf(!canMount)('a prompt uploaded onto a full disk', () => {
  it('is refused naming the file, and leaves nothing in media/', () => {
    const disk = mount('1m');
    const dir = join(disk, 'data');
    savePrompt(dir, 'first.wav', WAV); // media/ made while there is room
    fillDisk(disk);
    let thrown: unknown;
    try {
      savePrompt(dir, 'prompt.wav', WAV);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(PromptError);
    expect((thrown as Error).message).toMatch(
      `${join(dir, 'media', 'prompt.wav')}: cannot be written: ENOSPC: no space left on device`,
    );
    expect(readdirSync(join(dir, 'media'))).toEqual(['first.wav']);
  });
});
