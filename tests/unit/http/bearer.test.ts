// "Authorization: Bearer <token>" with the scheme in any case: RFC 9110 §11.1 makes an authentication
// scheme case-insensitive, and "bearer" (lower case, as some HTTP clients write it) was refused 401.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWeb, type WebFixture } from './web-fixture';

let f: WebFixture;

beforeEach(async () => {
  f = await startWeb();
});

afterEach(async () => {
  await f.stop();
});

const session = (authorization: string) =>
  fetch(`${f.base}/api/session`, { method: 'POST', headers: { authorization } }).then((r) => r.status);

describe('the Authorization header', () => {
  it('takes the Bearer scheme in any case', async () => {
    const token = f.headers.authorization.slice('Bearer '.length);
    for (const scheme of ['Bearer', 'bearer', 'BEARER', 'bEaReR'])
      expect([scheme, await session(`${scheme} ${token}`)]).toEqual([scheme, 200]);
  });

  it('refuses another scheme, or no token', async () => {
    const token = f.headers.authorization.slice('Bearer '.length);
    for (const header of [`Basic ${token}`, `Bearer${token}`, 'Bearer ', 'Bearer'])
      expect([header, await session(header)]).toEqual([header, 401]);
  });
});
