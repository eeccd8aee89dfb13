// The mml client's command line as CI steps write it: `mml "$CMD"` with CMD unset exited 0, "nothing to
// run", while /api/mml answers the empty command RETCODE 1; an empty file or one of comments only is
// still done with nothing to run (README).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mmlClient, type ScriptInput } from '../../../core/cli/mml-client';
import { tempDir } from '../../support/temp-dir';

const TERMINAL: ScriptInput = { isTTY: true, read: () => Promise.resolve(Buffer.alloc(0)) };

/** Nothing listens on port 1: a run that gets as far as sending says "cannot reach". */
async function run(args: string[]): Promise<{ code: number; err: string }> {
  const err = new PassThrough();
  let text = '';
  err.on('data', (c: Buffer) => (text += c.toString()));
  const env = { IMS_URL: 'http://127.0.0.1:1', IMS_ADMIN_PASSWORD: 'x' };
  const code = await mmlClient(args, env, new PassThrough(), err, TERMINAL);
  return { code, err: text };
}

describe('mml client: an empty command', () => {
  it('refuses a command argument given empty, blank or a comment only: exit 2', async () => {
    for (const args of [[''], ['   '], ['', ''], ['# DSP USER']]) {
      expect(await run(args), JSON.stringify(args)).toEqual({
        code: 2,
        err: 'mml: the command given is empty (blank or a comment only: an unset variable?); nothing was run\n',
      });
    }
  });

  it('is done with a script file empty or of comments only: exit 0, nothing to run', async () => {
    const file = join(tempDir('ims-mml-'), 'empty.mml');
    writeFileSync(file, '// nothing today\n\n');
    expect(await run(['--file', file])).toEqual({
      code: 0,
      err: 'mml: nothing to run: the script holds no command (only blank lines or comments)\n',
    });
  });
});
