// A data folder this user may not write to is refused at start (exit 2, naming IMS_DATA_DIR) even when the
// database's -wal and -shm are there already (a kill -9 left them): SQLite opens such a database without
// writing to the folder, and the start went on, its exports, trace.db, config.json and tls/ failing later.
// Modes bind only a user other than root: the server runs as nobody (setpriv), so the test needs root.
import { chmodSync, chownSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { userInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import { HAS_BUILD, SERVER_BUNDLE, startProgram } from '../../support/processes';
import { serverEnv } from '../../support/lab-server';
import { tempDir } from '../../support/temp-dir';

const SETPRIV = '/usr/bin/setpriv';
const AS_NOBODY = ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, SERVER_BUNDLE];
const canRun = HAS_BUILD && userInfo().uid === 0 && existsSync(SETPRIV);

describe.skipIf(!canRun)('a data folder this user may not write to', () => {
  it('stops the start naming IMS_DATA_DIR, even with the WAL files of a killed server there', async () => {
    const top = tempDir('ims-unwritable-');
    chmodSync(top, 0o755);
    const dir = join(top, 'data');
    mkdirSync(dir);
    chownSync(dir, 65534, 65534);
    const env = serverEnv(dir);
    const first = startProgram(SETPRIV, AS_NOBODY, env);
    try {
      await first.waitFor(/bindings loaded/, 15_000);
    } finally {
      first.proc.kill('SIGKILL');
    }
    await first.exited;
    expect(existsSync(join(dir, 'ims-lab.db-wal'))).toBe(true);
    chmodSync(dir, 0o500);
    const second = startProgram(SETPRIV, AS_NOBODY, env);
    const timer = setTimeout(() => second.proc.kill('SIGKILL'), 15_000);
    const code = await second.exited;
    clearTimeout(timer);
    expect(code).toBe(2);
    expect(second.output()).toContain(
      `data folder IMS_DATA_DIR=${dir} cannot be used: ${dir}: this user may not write there`,
    );
    chmodSync(dir, 0o700);
  }, 60_000);
});
