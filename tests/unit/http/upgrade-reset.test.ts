// A refused console WebSocket upgrade whose client resets the connection at once (a probe, a killed
// browser): the socket's error is the refusal's end, not the server's. With no listener for it, one
// unauthenticated connection stopped the whole process, SIP with it ("read ECONNRESET ... Unhandled
// 'error' event").
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resetAfterUpgrade } from '../../support/upgrade-reset';
import { startWeb, type WebFixture } from './web-fixture';

let f: WebFixture;

beforeEach(async () => {
  f = await startWeb();
});

afterEach(async () => {
  await f.stop();
});

describe('a WebSocket upgrade reset by its client', () => {
  it('leaves the server serving, whatever the refusal: no token, a bad one, another path, another site', async () => {
    const token = f.headers.authorization.slice('Bearer '.length);
    for (let round = 0; round < 20; round++) {
      await resetAfterUpgrade(f.port, '/ws');
      await resetAfterUpgrade(f.port, '/ws?token=x');
      await resetAfterUpgrade(f.port, `/socket?token=${token}`);
      await resetAfterUpgrade(f.port, `/ws?token=${token}`, 'Origin: http://evil.example\r\n');
      await resetAfterUpgrade(f.port, `/ws?token=${token}`); // taken, then reset
    }
    const res = await fetch(`${f.base}/healthz`);
    expect(res.status).toBe(200);
  });
});
