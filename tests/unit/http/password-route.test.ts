// POST /api/password: a malformed body or a short new password answered 400 before anything is checked; a
// wrong current password a failed login (401, then 429); once changed, the other consoles closed as a
// logout closes them, the asking one kept; the old password refused, the new one opening a session.
// (AdminAuth.changePassword's own rules: admin-auth.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SESSION_ENDED_CLOSE } from '../../../core/control/contract';
import { PASSWORD, startWeb, type WebFixture } from './web-fixture';

let f: WebFixture | undefined;
afterEach(async () => {
  await f?.stop();
  f = undefined;
});

describe('POST /api/password', () => {
  const post = (body: unknown, token: string, origin?: string) =>
    fetch(`${f!.base}/api/password`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(origin !== undefined && { origin }),
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const answer = async (r: Promise<Response>) => {
    const res = await r;
    return [res.status, await res.json()] as const;
  };
  const own = () => f!.headers.authorization.slice('Bearer '.length);
  const openConsole = async (token: string) => {
    const ws = new WebSocket(`ws://127.0.0.1:${f!.port}/ws?token=${token}`);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return { ws, closed };
  };

  it('changes it: the other consoles closed as a logout closes them, this one kept; old refused, new opens', async () => {
    f = await startWeb();
    const login = await f.auth.login(PASSWORD, '192.0.2.7');
    if (!login.ok) throw new Error('login refused');
    const other = login.token;
    const mineWs = await openConsole(own());
    const otherWs = await openConsole(other);
    expect(await answer(post({ current: PASSWORD, password: 'new-secret-2026' }, own()))).toEqual([
      200,
      { ok: true, sessionsEnded: 1, configured: true },
    ]);
    expect(await otherWs.closed).toBe(SESSION_ENDED_CLOSE);
    expect(mineWs.ws.readyState).toBe(WebSocket.OPEN);
    const session = (token: string) =>
      fetch(`${f!.base}/api/session`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect((await session(own())).status).toBe(200);
    expect((await session(other)).status).toBe(401);
    const logIn = (password: string) =>
      fetch(`${f!.base}/api/login`, { method: 'POST', body: JSON.stringify({ password }) });
    expect((await logIn(PASSWORD)).status).toBe(401);
    expect((await logIn('new-secret-2026')).status).toBe(200);
    mineWs.ws.close();
    await mineWs.closed;
  });

  it('answers a malformed body or a short new password 400 before any check (not counted), a wrong current one 401 then 429', async () => {
    f = await startWeb();
    for (const body of ['', '{"password": "new-secret-2026"}', '{"current": 1, "password": "x"}'])
      expect(await answer(post(body, own()))).toEqual([
        400,
        { error: 'current, password: expected the current and the new password as strings' },
      ]);
    for (let i = 0; i < 5; i++)
      expect(await answer(post({ current: 'wrong-guess', password: 'short' }, own()))).toEqual([
        400,
        { error: 'password: at least 8 characters' },
      ]);
    // Eight 400s: nothing counted. Then wrong current passwords are failed logins.
    for (let i = 0; i < 5; i++)
      expect(await answer(post({ current: 'wrong-guess', password: 'new-secret-2026' }, own()))).toEqual([
        401,
        { error: 'current: wrong password' },
      ]);
    const locked = await post({ current: PASSWORD, password: 'new-secret-2026' }, own());
    expect([locked.status, locked.headers.get('retry-after')]).toEqual([429, '60']);
    // Without a session, or from another site's page: refused before the body is read.
    expect((await post({ current: PASSWORD, password: 'new-secret-2026' }, 'made-up')).status).toBe(401);
    expect((await post({}, own(), 'http://evil.example')).status).toBe(403);
    expect(await f.auth.login(PASSWORD, '192.0.2.30')).toMatchObject({ ok: true }); // unchanged
  });
});
