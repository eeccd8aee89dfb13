// A server that accepts the connection and closes it without an answer (IMS Lab out of file descriptors,
// EMFILE; a listener that is not IMS Lab's): `mml` exited 0 with no output (fetch's promise left pending,
// the event loop empty), `mml --login` too. Now exit 2, "cannot reach ...". The loop emptying is played
// by emitting 'beforeExit', as node does when nothing is left to wait for.
import { createServer, type Server } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mmlClient, type ScriptInput } from '../../../core/cli/mml-client';

const TERMINAL: ScriptInput = { isTTY: true, read: () => Promise.resolve(Buffer.alloc(0)) };

let server: Server;
let url = '';
beforeAll(async () => {
  server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const [out, err] = [new PassThrough(), new PassThrough()];
  const text = { out: '', err: '' };
  out.on('data', (c: Buffer) => (text.out += c.toString()));
  err.on('data', (c: Buffer) => (text.err += c.toString()));
  const env = { IMS_URL: url, IMS_ADMIN_PASSWORD: 'a-password' };
  // Nothing but the closed request left: node would emit 'beforeExit' (the test runner keeps the loop up).
  const empty = setInterval(() => process.emit('beforeExit', 0), 20);
  try {
    return { code: await mmlClient(args, env, out, err, TERMINAL), ...text };
  } finally {
    clearInterval(empty);
  }
}

describe('mml client: a connection closed without an answer', () => {
  for (const args of [['--login'], ['DSP USER']])
    it(`exits 2 saying the server cannot be reached (${args[0]})`, async () => {
      // Twice: fetch rejected the first request of the process ("other side closed") and left the next pending.
      for (const r of [await run(args), await run(args)]) {
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toMatch(
          new RegExp(
            `^mml: cannot reach ${url}: (the server closed the connection without an answer|other side closed)`,
          ),
        );
      }
    }, 3000);
});
