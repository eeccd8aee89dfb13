// A script gets the same answer whichever way it comes (POST /api/mml with or without "lang", the
// WebSocket): the control contract's checks on all of them. With "lang", /api/mml ran a script of any
// length and named a missing one otherwise; a script of Chinese text within the contract's length was
// refused as a body (413) or closed the WebSocket (1009).
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { MAX_SCRIPT } from '../../../core/control/contract';
import { startWeb, type WebFixture } from './web-fixture';

let f: WebFixture;

beforeEach(async () => {
  f = await startWeb();
});

afterEach(async () => {
  await f.stop();
});

async function overHttp(body: object): Promise<[number, unknown]> {
  const res = await fetch(`${f.base}/api/mml`, {
    method: 'POST',
    headers: { ...f.headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return [res.status, await res.json()];
}

async function overWebSocket(request: object): Promise<unknown> {
  const token = f.headers.authorization.slice('Bearer '.length);
  const ws = new WebSocket(`ws://127.0.0.1:${f.port}/ws?token=${token}`);
  await once(ws, 'open');
  const closed = once(ws, 'close').then(([code]) => ({ closed: code as number }));
  const answered = once(ws, 'message').then(([data]) => JSON.parse(String(data)) as unknown);
  ws.send(JSON.stringify({ id: 1, ...request }));
  const outcome = await Promise.race([answered, closed]);
  ws.close();
  return outcome;
}

const TOO_LONG = `mml: longer than ${MAX_SCRIPT} characters`;

describe('scripts over HTTP and the WebSocket', () => {
  it('refuses a script longer than the contract takes, with "lang" too', async () => {
    const mml = `DSP USER:USERNAME="${'1'.repeat(270_000)}"`;
    for (const body of [{ mml }, { mml, lang: 'en' }, { mml, lang: 'zh' }])
      expect(await overHttp(body)).toEqual([400, { error: TOO_LONG }]);
    expect(await overWebSocket({ op: 'execute', mml, lang: 'en' })).toEqual({
      id: 1,
      ok: false,
      error: TOO_LONG,
    });
    // The original's /api/execute too, naming its own field.
    const res = await fetch(`${f.base}/api/execute`, {
      method: 'POST',
      headers: { ...f.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ command: mml }),
    });
    expect([res.status, await res.json()]).toEqual([
      400,
      { error: `command: longer than ${MAX_SCRIPT} characters` },
    ]);
  });

  it('names a missing script and a wrong language alike on every path', async () => {
    const missing = { error: 'mml: required' };
    expect(await overHttp({})).toEqual([400, missing]);
    expect(await overHttp({ lang: 'en' })).toEqual([400, missing]);
    expect(await overWebSocket({ op: 'execute' })).toEqual({ id: 1, ok: false, ...missing });
    const lang = { error: 'lang: expected one of en, zh' };
    expect(await overHttp({ mml: 'DSP USER', lang: 'fr' })).toEqual([400, lang]);
    expect(await overWebSocket({ op: 'execute', mml: 'DSP USER', lang: 'fr' })).toEqual({
      id: 1,
      ok: false,
      ...lang,
    });
  });

  it('answers a script of Chinese text over the length with the length, not a cut connection', async () => {
    // 3 bytes a character in UTF-8: more than the 512 KB body the server took, within the contract's count.
    const mml = `ADD USER:USERNAME=1,DISPLAY_NAME="${'用'.repeat(MAX_SCRIPT)}"`;
    expect(await overHttp({ mml, lang: 'zh' })).toEqual([400, { error: TOO_LONG }]);
    expect(await overWebSocket({ op: 'execute', mml })).toEqual({ id: 1, ok: false, error: TOO_LONG });
    // As Python's json.dumps sends it, \uXXXX: 6 bytes a character.
    const escaped = JSON.stringify({ mml }).replace(/用/g, '\\u7528');
    const res = await fetch(`${f.base}/api/mml`, {
      method: 'POST',
      headers: { ...f.headers, 'content-type': 'application/json' },
      body: escaped,
    });
    expect([res.status, await res.json()]).toEqual([400, { error: TOO_LONG }]);
  });

  it('still runs a script within the limits, in the language asked', async () => {
    const [status, body] = await overHttp({ mml: 'DSP USER', lang: 'zh' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ results: [{ retcode: 0 }] });
  });
});
