// A server stopped (SIGTERM) while it runs a script from `mml`: it cut the request's connection at once
// and went on running the script's lines until its database closed, their answers never sent, so that a
// pipeline could not tell where to resume. Now it takes no further line once stopping and answers the
// lines that ran, the rest in one RETCODE 7 naming them; what ran is exactly what is stored. The client
// exits 4 (cut short), naming the first line not run as where to resume.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { HAS_BUILD, ROOT, SERVER_BUNDLE } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';

const PASSWORD = 'stop-mid-script-secret';
const LINES = 6000;
let server: LabServer;

describe.skipIf(!HAS_BUILD)('server stopped in the middle of an mml script', () => {
  afterAll(async () => {
    if (server) {
      await server.stop();
      removeDataDir(server.dataDir);
    }
  });

  it('answers the lines that ran and names those it did not run', async () => {
    server = await startLabServer({ env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' } });
    const base = await consoleUrl(server);
    // One request (about 240 KB): seconds of work.
    const file = join(server.dataDir, 'stop.mml');
    writeFileSync(
      file,
      Array.from({ length: LINES }, (_, i) => `ADD USER USERNAME=st${i + 1} PASSWORD=pw${i}`).join('\n') +
        '\n',
    );
    const client = spawn(process.execPath, [SERVER_BUNDLE, 'mml', '--file', file], {
      cwd: ROOT,
      env: { ...process.env, IMS_URL: base, IMS_ADMIN_PASSWORD: PASSWORD, IMS_LANG: '' },
    });
    let out = '';
    let err = '';
    client.stdout.on('data', (d: Buffer) => (out += d.toString()));
    client.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = new Promise<number | null>((resolve) => client.on('close', resolve));
    // The server has begun the script (its log says each line run): stop it.
    await server.child.waitFor(/ADD USER USERNAME=st\d+ PASSWORD=\*+ → RETCODE 0/, 20_000);
    expect(await server.stop()).toBe(0);

    // Cut short (README exit code 4), not a command that failed (1).
    expect(await code).toBe(4);
    const notRun = /RETCODE = 7 {2}Not run: the server is stopping \(lines (\d+)-6000\)/.exec(out);
    expect(notRun, out.slice(-500)).not.toBeNull();
    const first = Number(notRun![1]);
    expect(first).toBeGreaterThan(1);
    expect(first).toBeLessThan(LINES);
    expect(out.match(/User st\d+ added/g)).toHaveLength(first - 1);
    expect(out).toContain(`User st${first - 1} added`);
    // Where to resume: the first line not run (the "Not run" answer is no failed command).
    expect(err).toBe(
      `mml: script cut short: the server is stopping; lines 1-${first - 1} answered (above); ` +
        `lines ${first}-6000 not run\n`,
    );
    // Exactly the lines answered were stored.
    const db = new BetterSqlite3(join(server.dataDir, 'ims-lab.db'), { readonly: true });
    const stored = db.prepare("SELECT count(*) FROM users WHERE username LIKE 'st%'").pluck().get();
    db.close();
    expect(stored).toBe(first - 1);
  });
});
