// IMS_URL checked before anything is sent: with IMS_TOKEN (no login first) a URL with no scheme, an empty
// one or an ftp:// one was the script's own request failing, and the client said exit 4, "line 1 sent but
// not answered: they may or may not have run". Now: exit 2, one line naming IMS_URL and what is wrong.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { mmlClient, type ScriptInput } from '../../../core/cli/mml-client';

const TERMINAL: ScriptInput = { isTTY: true, read: () => Promise.resolve(Buffer.alloc(0)) };

async function run(env: NodeJS.ProcessEnv): Promise<{ code: number; err: string }> {
  const err = new PassThrough();
  let text = '';
  err.on('data', (c: Buffer) => (text += c.toString()));
  const code = await mmlClient(['DSP USER'], env, new PassThrough(), err, TERMINAL);
  return { code, err: text };
}

describe('mml client: IMS_URL', () => {
  for (const auth of [{ IMS_TOKEN: 'a-token' }, { IMS_ADMIN_PASSWORD: 'a-password' }]) {
    const mode = Object.keys(auth)[0]!;
    it(`refuses a malformed IMS_URL before sending anything, exit 2 (${mode})`, async () => {
      expect(await run({ ...auth, IMS_URL: '127.0.0.1:21310' })).toEqual({
        code: 2,
        err: 'mml: IMS_URL "127.0.0.1:21310" is not a URL: write it as http://host:port (http://127.0.0.1:21310?); nothing was run\n',
      });
      expect(await run({ ...auth, IMS_URL: 'localhost:8888' })).toEqual({
        code: 2,
        err: 'mml: IMS_URL "localhost:8888" must start with http:// or https:// (http://localhost:8888?); nothing was run\n',
      });
      expect(await run({ ...auth, IMS_URL: 'ftp://x' })).toEqual({
        code: 2,
        err: 'mml: IMS_URL "ftp://x" must start with http:// or https://; nothing was run\n',
      });
      expect(await run({ ...auth, IMS_URL: '' })).toEqual({
        code: 2,
        err: "mml: IMS_URL is empty: set it to the console's address (unset, it is http://127.0.0.1:8888); nothing was run\n",
      });
    });
  }
});
