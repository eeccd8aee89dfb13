// secret.key belongs with ims-lab.db: the users' passwords are encrypted with it. A folder copied or
// restored without it started with a new key and said nothing; EXP USER and SET CFG AUTH.REALM failed
// later (RETCODE 99). Now the start stops naming the file (exit 2 from the server), and makes no new key.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Appliance } from '../../../core/appliance';
import { loopbackAppliance } from './loopback-appliance';
import { startupFault } from '../../../core/cli/startup-fault';
import { removeDataDir } from '../../support/lab-server';

let appliance: Appliance | undefined;
let dataDir = '';
afterEach(async () => {
  await appliance?.stop();
  appliance = undefined;
  removeDataDir(dataDir);
});

const make = loopbackAppliance;

/** A data folder that has run once (its default users' passwords stored encrypted). */
async function usedFolder(): Promise<string> {
  dataDir = mkdtempSync(join(tmpdir(), 'ims-secret-key-'));
  appliance = make(dataDir);
  await appliance.start();
  await appliance.stop();
  appliance = undefined;
  return dataDir;
}

/** The start-up fault line the server prints (and exits 2 with) for what constructing throws. */
function refusal(dir: string): string | undefined {
  try {
    appliance = make(dir);
  } catch (err) {
    return startupFault(err, dir);
  }
  return undefined;
}

describe("a data folder's secret.key", () => {
  it('missing: the start stops naming it, and no new key is made', async () => {
    const dir = await usedFolder();
    const key = join(dir, 'secret.key');
    rmSync(key);
    expect(refusal(dir)).toBe(
      `${key} is missing, and the users' passwords stored in this database were encrypted with it: put back ` +
        'the secret.key that was beside this database (a new one would not decrypt them)',
    );
    expect(existsSync(key)).toBe(false);
  });

  it('replaced: the start stops naming it', async () => {
    const dir = await usedFolder();
    writeFileSync(join(dir, 'secret.key'), Buffer.alloc(32, 7));
    expect(refusal(dir)).toMatch(
      new RegExp(`^${join(dir, 'secret.key')} does not decrypt the users' passwords`),
    );
  });
});
