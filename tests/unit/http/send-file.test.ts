// Files the server cannot read, asked for over HTTP: a folder named like an export (EISDIR), a file it may
// not open (EACCES, faked: the tests run as root, whom chmod 000 does not stop). Each gets an answer
// naming the file, and the server goes on (an unheard stream 'error' ended the process).
import { appendFileSync, promises as fsp, mkdirSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startWeb, type WebFixture } from './web-fixture';

let f: WebFixture;

beforeEach(async () => {
  f = await startWeb();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await f.stop();
});

const exportsDir = (): string => join(f.appliance.cdr.archive.root, 'exports');

/** Makes fs.promises.open fail with EACCES for paths ending in `suffix`, as for a root-owned 0600 file. */
function denyOpen(suffix: string): void {
  const open = fsp.open.bind(fsp);
  vi.spyOn(fsp, 'open').mockImplementation((path, ...rest) => {
    if (String(path).endsWith(suffix))
      return Promise.reject(
        Object.assign(new Error(`EACCES: permission denied, open '${String(path)}'`), {
          code: 'EACCES',
        }),
      );
    return open(path, ...rest);
  });
}

async function stillServing(): Promise<void> {
  expect((await fetch(`${f.base}/healthz`)).status).toBe(200);
}

describe('downloads the server cannot read', () => {
  it('answers a folder named x.csv in CDR/exports/ with a 500 naming it, and keeps running', async () => {
    mkdirSync(join(exportsDir(), 'x.csv'), { recursive: true });
    const res = await fetch(`${f.base}/api/export/x.csv`, { headers: f.headers });
    expect([res.status, await res.json()]).toEqual([
      500,
      { error: 'CDR/exports/x.csv: a folder, not a file' },
    ]);
    await stillServing();
  });

  it('answers an export it may not open (EACCES) with a 403 naming it', async () => {
    mkdirSync(exportsDir(), { recursive: true });
    writeFileSync(join(exportsDir(), 'locked.csv'), 'a,b\n');
    denyOpen('locked.csv');
    const res = await fetch(`${f.base}/api/export/locked.csv`, { headers: f.headers });
    expect([res.status, await res.json()]).toEqual([
      403,
      { error: 'CDR/exports/locked.csv: the server is not allowed to read it (EACCES)' },
    ]);
    await stillServing();
  });

  it('still sends an export it can read, with its length; a missing one is 404', async () => {
    mkdirSync(exportsDir(), { recursive: true });
    writeFileSync(join(exportsDir(), 'ok.csv'), 'a,b\n1,2\n');
    const res = await fetch(`${f.base}/api/export/ok.csv`, { headers: f.headers });
    expect([res.status, res.headers.get('content-length'), await res.text()]).toEqual([
      200,
      '8',
      'a,b\n1,2\n',
    ]);
    const missing = await fetch(`${f.base}/api/export/none.csv`, { headers: f.headers });
    expect([missing.status, await missing.json()]).toEqual([404, { error: 'no export none.csv' }]);
  });
});

describe("the console's own files the server cannot read", () => {
  it('answers an unreadable asset with a 403 naming it; a folder is the page, as an unknown path', async () => {
    mkdirSync(join(f.rendererDir, 'assets', 'app.js'), { recursive: true });
    writeFileSync(join(f.rendererDir, 'assets', 'style.css'), 'body{}');
    denyOpen('style.css');
    const css = await fetch(`${f.base}/assets/style.css`);
    expect([css.status, await css.json()]).toEqual([
      403,
      { error: "the console's assets/style.css: the server is not allowed to read it (EACCES)" },
    ]);
    const folder = await fetch(`${f.base}/assets/app.js`);
    expect([folder.status, await folder.text()]).toEqual([200, '<div id="root"></div>']);
    await stillServing();
  });
});

// DSP LOG shows 1,000 records a page: the Logs view downloads a day's file whole, logged in only.
describe("a day's log file", () => {
  const logFile = (day: string): string => join(f.dataDir, 'logs', day, 'ims-sip-server.log');

  it('is sent whole under its download name, to a logged-in console only; other names are refused', async () => {
    mkdirSync(join(logFile('2025-10-31'), '..'), { recursive: true });
    const text = '2025-10-31 23:59:58.001 [INFO    ] [sip] line 1\n'.repeat(3000);
    writeFileSync(logFile('2025-10-31'), text);
    const url = `${f.base}/api/log/ims-sip-server_2025-10-31.log`;
    const res = await fetch(url, { headers: f.headers });
    expect([res.status, res.headers.get('content-disposition'), await res.text()]).toEqual([
      200,
      'attachment; filename="ims-sip-server_2025-10-31.log"',
      text,
    ]);
    expect((await fetch(url)).status).toBe(401);
    for (const bad of ['ims-sip-server_x.log', '..%2F2025-10-31%2Fims-sip-server.log', 'ims-sip-server.log'])
      expect((await fetch(`${f.base}/api/log/${bad}`, { headers: f.headers })).status).toBe(400);
    const missing = await fetch(`${f.base}/api/log/ims-sip-server_2025-10-01.log`, { headers: f.headers });
    expect([missing.status, await missing.json()]).toEqual([
      404,
      { error: 'no log file ims-sip-server_2025-10-01.log' },
    ]);
  });

  // Today's file is written while it is sent: the answer ends at the length its Content-Length said (the
  // read went on to the lines written after, past that length, and the answer failed).
  it('is sent as long as it was when opened, while lines are appended', async () => {
    const file = logFile('2025-11-01');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, 'first line\n');
    const open = fsp.open.bind(fsp);
    vi.spyOn(fsp, 'open').mockImplementation(async (path, ...rest) => {
      const handle = await open(path, ...rest);
      if (String(path) !== file) return handle;
      // Lines come once its length is known.
      const stat = handle.stat.bind(handle);
      handle.stat = (async () => {
        const st = await stat();
        appendFileSync(file, 'a line written meanwhile\n'.repeat(1000));
        return st;
      }) as typeof handle.stat;
      return handle;
    });
    const errors: string[] = [];
    f.appliance.logger.subscribe((r) => {
      if (r.level === 'ERROR') errors.push(r.text);
    });
    // On the wire: what a client that trusts Content-Length leaves unread lies on the connection, and
    // a keep-alive connection's next answer is read from it.
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(f.port, '127.0.0.1');
      let got = '';
      socket.on('data', (d) => (got += d.toString('latin1')));
      socket.on('end', () => resolve(got));
      socket.on('error', reject);
      socket.write(
        `GET /api/log/ims-sip-server_2025-11-01.log HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
          `Authorization: ${f.headers.authorization}\r\nConnection: close\r\n\r\n`,
      );
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n[^]*content-length: 11\r\n/i);
    expect(body).toBe('first line\n');
    expect(errors).toEqual([]);
  });
});
