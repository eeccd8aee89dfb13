// A WebSocket upgrade that is refused says why in a JSON body, as the HTTP API's other errors do: a
// script with an expired token saw only "Unexpected server response: 401" (an empty body).
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWeb, type WebFixture } from './web-fixture';

let f: WebFixture;

beforeEach(async () => {
  f = await startWeb();
});

afterEach(async () => {
  await f.stop();
});

/** An upgrade to a WebSocket (RFC 6455 §4.1) at path; the refusal's status, type and body. */
async function upgrade(path: string, headers: Record<string, string> = {}) {
  const req = request(`${f.base}${path}`, {
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'sec-websocket-version': '13',
      ...headers,
    },
  });
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  let body = '';
  for await (const chunk of res) body += String(chunk);
  return [res.statusCode, res.headers['content-type'], JSON.parse(body) as unknown];
}

describe('a refused WebSocket upgrade', () => {
  it('says why in JSON: no token, a token that opens no session, another path, another site', async () => {
    const json = 'application/json';
    expect(await upgrade('/ws')).toEqual([
      401,
      json,
      { error: 'log in first: POST /api/login, then open /ws?token=<token>' },
    ]);
    expect(await upgrade('/ws?token=expired-or-logged-out')).toEqual([
      401,
      json,
      {
        error:
          'token not valid (expired, logged out, or from before a new admin password): log in again with POST /api/login',
      },
    ]);
    const token = f.headers.authorization.slice('Bearer '.length);
    expect(await upgrade(`/socket?token=${token}`)).toEqual([
      404,
      json,
      { error: "no WebSocket at /socket: the console's is /ws?token=<token>" },
    ]);
    expect(await upgrade(`/ws?token=${token}`, { origin: 'http://evil.example' })).toEqual([
      403,
      json,
      { error: 'a request from another site (Origin) is refused' },
    ]);
  });
});
