// One IMS Lab at a time on a data folder (core/store/folder-lock.ts): a second headless server on the
// same folder stops at once, exit 2, naming the folder; the lock goes with its holder however it ends
// (kill -9 included), so the next start is not refused by a stale one. A data folder deleted under a
// running server turns /healthz to 503.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD, SERVER_BUNDLE, startNode } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';

let first: LabServer | undefined;
afterEach(async () => {
  if (first !== undefined) {
    await first.stop();
    removeDataDir(first.dataDir);
    first = undefined;
  }
});

const env = (dataDir: string): NodeJS.ProcessEnv => ({
  IMS_DATA_DIR: dataDir,
  SIP_HOST: '127.0.0.1',
  SIP_PORT: '0',
  HTTP_HOST: '127.0.0.1',
  HTTP_PORT: '0',
  SIP_WARMUP_CALLS: '0',
  IMS_ADMIN_PASSWORD: 'second-one',
});

describe.skipIf(!HAS_BUILD)('the data folder lock', () => {
  it('refuses a second server on the same folder, and lets the next one start after a kill -9', async () => {
    first = await startLabServer({ env: { IMS_ADMIN_PASSWORD: 'first-one' } });
    const second = startNode([SERVER_BUNDLE], env(first.dataDir));
    expect(await second.exited).toBe(2);
    expect(second.output()).toContain(
      `ims-lab: data folder IMS_DATA_DIR=${first.dataDir} is in use by another IMS Lab`,
    );
    process.kill(first.pid, 'SIGKILL');
    expect(await first.child.exited).toBe('SIGKILL');
    const third = await startLabServer({ dataDir: first.dataDir, env: { IMS_ADMIN_PASSWORD: 'first-one' } });
    expect(await third.stop()).toBe(0);
  });
});

describe.skipIf(!HAS_BUILD)('a data folder deleted while running', () => {
  it('turns /healthz to 503 "degraded", naming the database that is gone', async () => {
    first = await startLabServer({ env: { IMS_ADMIN_PASSWORD: 'first-one', HTTP_HOST: '127.0.0.1' } });
    const base = await consoleUrl(first);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    rmSync(first.dataDir, { recursive: true, force: true });
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { status: string; problem: string };
    expect(body.status).toBe('degraded');
    expect(body.problem).toContain(`the database ${join(first.dataDir, 'ims-lab.db')} is gone`);
  });
});
