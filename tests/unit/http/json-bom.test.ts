// A JSON body that starts with a UTF-8 byte order mark (PowerShell 5's Out-File and -InFile write one) was
// answered 400 "body is not valid JSON". RFC 8259 §8.1: a parser MAY ignore a leading BOM rather than
// treat it as an error; README says a BOM is fine in script files, and now in a request body too.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD, startWeb, type WebFixture } from './web-fixture';

let f: WebFixture;

beforeEach(async () => {
  f = await startWeb();
});

afterEach(async () => {
  await f.stop();
});

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

async function post(
  path: string,
  body: Buffer,
  headers: Record<string, string> = {},
): Promise<[number, unknown]> {
  const res = await fetch(`${f.base}${path}`, { method: 'POST', headers, body });
  return [res.status, await res.json()];
}

describe('a UTF-8 byte order mark before a JSON body', () => {
  it('is ignored by /api/mml, /api/execute and /api/login (RFC 8259 §8.1)', async () => {
    const [status, answer] = await post(
      '/api/mml',
      Buffer.concat([BOM, Buffer.from(JSON.stringify({ mml: 'ADD USER USERNAME=8201 PASSWORD=pw' }))]),
      f.headers,
    );
    expect(status).toBe(200);
    expect((answer as { results: { retcode: number }[] }).results[0]!.retcode).toBe(0);
    expect(f.appliance.users.get('8201')).toBeDefined();
    const [executed, original] = await post(
      '/api/execute',
      Buffer.concat([BOM, Buffer.from(JSON.stringify({ command: 'DSP USER USERNAME=8201', lang: 'en' }))]),
      f.headers,
    );
    expect([executed, (original as { retcode: number }).retcode]).toEqual([200, 0]);
    const [login] = await post(
      '/api/login',
      Buffer.concat([BOM, Buffer.from(JSON.stringify({ password: PASSWORD }))]),
    );
    expect(login).toBe(200);
  });

  it('is one mark only: two, or one inside the text, are still not JSON', async () => {
    const body = Buffer.concat([BOM, BOM, Buffer.from('{"mml":"DSP USER"}')]);
    expect(await post('/api/mml', body, f.headers)).toEqual([400, { error: 'body is not valid JSON' }]);
    const inside = Buffer.concat([Buffer.from('{"mml":'), BOM, Buffer.from('"DSP USER"}')]);
    expect(await post('/api/mml', inside, f.headers)).toEqual([400, { error: 'body is not valid JSON' }]);
  });
});
