// secret.key belongs with ims-lab.db: the users' passwords are encrypted with it. A folder copied or
// restored without it started with a new key and said nothing; EXP USER and SET CFG AUTH.REALM failed
// later (RETCODE 99). Now the start stops naming the file (exit 2 from the server), and makes no new key.
// A folder in its place, or no file descriptor left to read it with (`ulimit -n 24`), gave a bare stack
// trace from readKey and exit 1: now the start stops naming the file too, and the built server started
// under a range of low `ulimit -n` values stops each time with one line (exit 2), never a stack trace.
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loopbackAppliance } from './loopback-appliance';
import { startupFault } from '../../../core/cli/startup-fault';
import { serverEnv } from '../../support/lab-server';
import { HAS_BUILD, SERVER_BUNDLE, startNode, startProgram, type Child } from '../../support/processes';
import { useHeldAppliance } from './held-appliance';

const held = useHeldAppliance();

const make = loopbackAppliance;

/** A data folder that has run once (its default users' passwords stored encrypted). */
async function usedFolder(): Promise<string> {
  held.dataDir = mkdtempSync(join(tmpdir(), 'ims-secret-key-'));
  held.appliance = make(held.dataDir);
  await held.appliance.start();
  await held.appliance.stop();
  held.appliance = undefined;
  return held.dataDir;
}

/** The start-up fault line the server prints (and exits 2 with) for what constructing throws. */
function refusal(dir: string): string | undefined {
  try {
    held.appliance = make(dir);
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

  it('a folder in its place: the start stops naming it', async () => {
    const dir = await usedFolder();
    const key = join(dir, 'secret.key');
    rmSync(key);
    mkdirSync(key);
    expect(refusal(dir)).toBe(
      `${key} cannot be read: it is a folder, not a file: put back the secret.key that was beside this database (EISDIR)`,
    );
  });
});

/** The built server on `dir`, under `ulimit -n <limit>` when given; resolves once it exits (killed after 15 s). */
async function builtServer(dir: string, limit?: number): Promise<{ code: number | string; output: string }> {
  const env = serverEnv(dir, { HTTP_HOST: '127.0.0.1' });
  const c: Child =
    limit === undefined
      ? startNode([SERVER_BUNDLE], env)
      : startProgram(
          'bash',
          ['-c', `ulimit -n ${limit} && exec "$0" "$1"`, process.execPath, SERVER_BUNDLE],
          env,
        );
  // A start that is not refused serves: stopped once it says so.
  void c.waitFor(/Console on /, 15_000).then(
    () => c.proc.kill('SIGTERM'),
    () => c.proc.kill('SIGKILL'),
  );
  const code = await c.exited;
  return { code, output: c.output() };
}

describe.skipIf(!HAS_BUILD)('the built server and a secret.key it cannot read', () => {
  it('a folder in its place: one line naming it, exit 2 (a stack trace and exit 1 before)', async () => {
    const dir = await usedFolder();
    const key = join(dir, 'secret.key');
    renameSync(key, join(dir, 'secret.key.bak'));
    mkdirSync(key);
    const { code, output } = await builtServer(dir);
    expect(code).toBe(2);
    expect(output).toContain(`ims-lab: ${key} cannot be read: it is a folder, not a file`);
    expect(output).not.toMatch(/^\s+at /m);
  });

  it('too few file descriptors: each start stops with one line naming the limit, exit 2, or serves', async () => {
    const dir = await usedFolder();
    const refused: string[] = [];
    // Node itself needs about 18 to load the bundle; from about 36 the server starts. Each limit on the way
    // runs out at another file: the network interfaces, the database, secret.key, a listener.
    for (let limit = 20; limit <= 36; limit++) {
      const { code, output } = await builtServer(dir, limit);
      if (/Console on /.test(output)) continue;
      expect([limit, code, output]).toEqual([limit, 2, expect.stringMatching(/^ims-lab: /m)]);
      expect(output).not.toMatch(/^\s+at /m);
      refused.push(/^ims-lab: (.*)$/m.exec(output)![1]!);
    }
    // Each names the limit: not SIP_PORT ("cannot be bound: bind EMFILE") nor the database alone
    // ("unable to open database file") as it did at 20.
    for (const line of refused) expect(line).toMatch(/too many open files|ulimit -n/);
  }, 120_000);
});
