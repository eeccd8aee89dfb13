// A login whose body holds no password string ({"passwd"}, a number, nothing) is a malformed request: 400
// naming the field, and not one of the 5 failures a minute that lock the address out (it was answered
// "wrong password" and counted, so a client sending the wrong field locked the admin out).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD, startWeb, type WebFixture } from './web-fixture';

let f: WebFixture;

beforeEach(async () => {
  f = await startWeb();
});

afterEach(async () => {
  await f.stop();
});

async function login(body: string): Promise<[number, unknown]> {
  const res = await fetch(`${f.base}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return [res.status, await res.json()];
}

describe('POST /api/login', () => {
  it('answers a body without a password string 400, and does not count it towards the lock-out', async () => {
    const malformed = [
      JSON.stringify({ passwd: PASSWORD }),
      JSON.stringify({ password: 123 }),
      JSON.stringify({ password: null }),
      '',
      '[]',
      '"right-password"',
    ];
    for (const body of malformed)
      expect([body, ...(await login(body))]).toEqual([body, 400, { error: 'password: expected a string' }]);
    // Six malformed requests: no lock-out, the right password opens a session.
    const [status] = await login(JSON.stringify({ password: PASSWORD }));
    expect(status).toBe(200);
  });

  it('still counts a wrong password: the fifth locks the address out', async () => {
    for (let i = 0; i < 5; i++)
      expect(await login(JSON.stringify({ password: 'wrong-guess' }))).toEqual([
        401,
        { error: 'wrong password' },
      ]);
    expect((await login(JSON.stringify({ password: PASSWORD })))[0]).toBe(429);
  });
});
