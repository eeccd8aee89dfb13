// Files the server cannot read, asked for over HTTP: a folder named like an export (EISDIR), a file it may
// not open (EACCES, faked: the tests run as root, whom chmod 000 does not stop). Each gets an answer
// naming the file, and the server goes on (an unheard stream 'error' ended the process).
import { promises as fsp, mkdirSync, writeFileSync } from 'node:fs';
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
