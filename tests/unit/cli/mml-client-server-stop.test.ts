// A server that began to stop in the middle of an `mml --file` script answers the lines it ran and, in one
// RETCODE 7 "Not run: the server is stopping (lines a-b)", those it left. The client said "lines 1-4130
// answered; lines 4131-20000 not run" while 2726-4130 had not run, counted the one "Not run" as one failed
// command, and a one-piece script exited 1 (a command failed) with no line saying where to resume. Now:
// exit 4, the first line not run is where the script was cut short, and "Not run" is no failed command.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mmlClient } from '../../../core/cli/mml-client';
import { scriptChunks } from '../../../core/cli/script-chunks';

/** The server stops taking lines at this one. */
const STOP_AT = 7;
let server: Server;
let url = '';
let mmlRequests = 0;

beforeAll(async () => {
  // A fake console: each statement of a piece answered RETCODE 0 (line 3: RETCODE 5) up to STOP_AT, then
  // one "Not run" for the rest of the piece, as core/mml/engine.ts answers; any later piece refused.
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (req.url === '/api/login') return res.end(JSON.stringify({ token: 't' }));
      if (req.url !== '/api/mml') return res.end('{}');
      mmlRequests++;
      const { mml, firstLine = 1 } = JSON.parse(body) as { mml: string; firstLine?: number };
      const lines = mml.split('\n').filter((l) => l.trim() !== '').length;
      const last = firstLine + lines - 1;
      if (firstLine > STOP_AT) {
        res.statusCode = 503;
        return res.end(JSON.stringify({ error: 'stopping' }));
      }
      const results = [];
      for (let line = firstLine; line <= last; line++) {
        if (line === STOP_AT) {
          const message = `Not run: the server is stopping (lines ${line}-${last})`;
          results.push({ retcode: 7, message, line, tables: [] });
          break;
        }
        results.push({ retcode: line === 3 ? 5 : 0, message: `ok ${line}`, line, tables: [] });
      }
      res.end(JSON.stringify({ results, text: results.map((r) => r.message).join('\n') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function run(script: string): Promise<{ code: number; err: string }> {
  const err = new PassThrough();
  let text = '';
  err.on('data', (c: Buffer) => (text += c.toString()));
  const stdin = { isTTY: false, read: () => Promise.resolve(Buffer.from(script)) };
  const env = { IMS_URL: url, IMS_ADMIN_PASSWORD: 'x', IMS_LANG: '' };
  const code = await mmlClient(['--file', '-'], env, new PassThrough(), err, stdin);
  return { code, err: text };
}

/** n lines of about 20 KB each (a comment makes them long): 40 lines go in pieces of 12. */
const script = (n: number): string =>
  Array.from({ length: n }, (_, i) => `ADD USER USERNAME=u${i + 1} // ${'x'.repeat(20_000)}`).join('\n');

describe('mml: the server stopped in the middle of a script', () => {
  it('a one-piece script: exit 4, answered up to the line before the first not run', async () => {
    const { code, err } = await run(script(12));
    expect(err).toBe(
      'mml: 1 of 6 commands did not return RETCODE 0; the first, line 3: RETCODE = 5 ok 3\n' +
        'mml: script cut short: the server is stopping; lines 1-6 answered (above); lines 7-12 not run\n',
    );
    expect(code).toBe(4);
  });

  it('a script in pieces: resumes at the first line not run, no piece sent after it', async () => {
    const text = script(40);
    // The pieces the client makes of it: the stop falls in the first (several lines a piece).
    const pieces = scriptChunks(text);
    expect(pieces.length).toBeGreaterThan(2);
    expect(pieces[1]!.firstLine).toBeGreaterThan(STOP_AT);
    mmlRequests = 0;
    const { code, err } = await run(text);
    expect(err).toMatch(/; lines 1-6 answered \(above\); lines 7-40 not run\n$/);
    expect(code).toBe(4);
    expect(mmlRequests).toBe(1);
  });
});
