// One IMS Lab at a time on a data folder (core/store/folder-lock.ts): a second headless server on the
// same folder stops at once, exit 2, naming the folder; the lock goes with its holder however it ends
// (kill -9 included), so the next start is not refused by a stale one.
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD, SERVER_BUNDLE, startNode } from '../../support/processes';
import { removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';

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
