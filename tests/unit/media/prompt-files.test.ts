import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listPrompts } from '../../../core/media/prompt-files';

describe('listPrompts', () => {
  const dirs: string[] = [];
  const root = (files: string[]): string => {
    const d = mkdtempSync(join(tmpdir(), 'ims-prompts-'));
    dirs.push(d);
    if (files.length > 0) mkdirSync(join(d, 'media'));
    for (const f of files) writeFileSync(join(d, 'media', f), '');
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('lists the WAV files of each media/ folder once, as STR CALL names them, sorted', () => {
    const a = root(['default.wav', 'ivr.WAV', 'README.md']);
    const b = root(['default.wav', 'busy.wav']);
    const none = root([]);
    expect(listPrompts([a, none, b])).toEqual(['media/busy.wav', 'media/default.wav', 'media/ivr.WAV']);
  });

  it('is empty when no root has a media/ folder', () => {
    expect(listPrompts([root([]), join(tmpdir(), 'no-such-folder-ims')])).toEqual([]);
  });

  it('lists the repository media/ folder (the default prompt)', () => {
    expect(listPrompts([process.cwd()])).toContain('media/default.wav');
  });
});
