// Methods and status codes: HEAD on a download answers as GET without the body (RFC 9110 §9.3.2; it was
// 404); a method a path does not take is 405 with Allow (RFC 9110 §15.5.6) on every route, where GET and
// PUT routes said 404; a logout needs no body (one that was not JSON got 400 and did not log out).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWeb, type WebFixture } from './web-fixture';

let f: WebFixture;

beforeEach(async () => {
  f = await startWeb();
});

afterEach(async () => {
  await f.stop();
});

describe('HEAD', () => {
  it('answers a download as GET does, without the body', async () => {
    const exports = join(f.appliance.cdr.archive.root, 'exports');
    mkdirSync(exports, { recursive: true });
    writeFileSync(join(exports, 'ok.csv'), 'a,b\n1,2\n');
    const res = await fetch(`${f.base}/api/export/ok.csv`, { method: 'HEAD', headers: f.headers });
    expect([res.status, res.headers.get('content-length'), res.headers.get('content-type')]).toEqual([
      200,
      '8',
      'text/csv; charset=utf-8',
    ]);
    expect(await res.text()).toBe('');
    const missing = await fetch(`${f.base}/api/export/none.csv`, { method: 'HEAD', headers: f.headers });
    expect(missing.status).toBe(404);
    const anonymous = await fetch(`${f.base}/api/export/ok.csv`, { method: 'HEAD' });
    expect(anonymous.status).toBe(401);
    const tree = await fetch(`${f.base}/api/command_tree`, { method: 'HEAD', headers: f.headers });
    expect(tree.status).toBe(200);
  });
});

describe('a method a path does not take', () => {
  it('is 405 with Allow on every route; a path that is no API is 404', async () => {
    const cases: [string, string, string][] = [
      ['POST', '/api/export/ok.csv', 'GET, HEAD'],
      ['DELETE', '/api/trace-export/trace_x.pcap', 'GET, HEAD'],
      ['PUT', '/api/data-export/users_export_x.json', 'GET, HEAD'],
      ['POST', '/api/command_tree', 'GET, HEAD'],
      ['GET', '/api/import/users.json', 'PUT'],
      ['POST', '/api/import/users.json', 'PUT'],
      ['GET', '/api/mml', 'POST'],
      ['PUT', '/api/logout', 'POST'],
      ['GET', '/api/password', 'POST'],
      ['POST', '/healthz', 'GET, HEAD'],
      ['DELETE', '/', 'GET, HEAD'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await fetch(`${f.base}${path}`, { method, headers: f.headers });
      expect([method, path, res.status, res.headers.get('allow')]).toEqual([method, path, 405, allow]);
      expect(await res.json()).toEqual({ error: expect.stringContaining(`use ${allow}`) as unknown });
    }
    const nope = await fetch(`${f.base}/api/nope`, { method: 'POST', headers: f.headers });
    expect([nope.status, await nope.json()]).toEqual([404, { error: 'no API /api/nope' }]);
  });
});

describe('POST /api/logout', () => {
  it('logs out whatever body comes with it', async () => {
    const out = await fetch(`${f.base}/api/logout`, { method: 'POST', headers: f.headers, body: 'not JSON' });
    expect([out.status, await out.json()]).toEqual([200, { ok: true }]);
    const session = await fetch(`${f.base}/api/session`, { method: 'POST', headers: f.headers });
    expect(session.status).toBe(401);
  });
});
