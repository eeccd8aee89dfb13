// One IMS Lab at a time on a data folder (core/store/folder-lock.ts): a second headless server on the
// same folder stops at once, exit 2, naming the folder; the lock goes with its holder however it ends
// (kill -9 included), so the next start is not refused by a stale one. A data folder deleted under a
// running server turns /healthz to 503, and so does a full disk while CDR records cannot be written.
import { closeSync, mkdtempSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createSocket } from 'node:dgram';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HAS_BUILD, SERVER_BUNDLE, startNode } from '../../support/processes';
import { consoleUrl, removeDataDir, runMml, startLabServer, type LabServer } from '../../support/lab-server';
import { canMount, mountTmpfs, unmountTmpfs } from '../../support/tmpfs';

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
    // HEAD answers as GET (RFC 9110 §9.3.2): a probe using it sees the 503 too; /metrics is not the page.
    const head = await fetch(`${base}/healthz`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type')]).toEqual([503, 'application/json']);
    const metrics = await fetch(`${base}/metrics`, { method: 'HEAD' });
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });
});

describe.skipIf(!HAS_BUILD)('a database moved away under a running server', () => {
  // ADD USER answered RETCODE 0 while /healthz said "what is written now is lost at the next start": the
  // user went into the moved file, and the next start on the folder made a new database without it.
  it('refuses the commands that change the users (RETCODE 7, naming why) until it is put back', async () => {
    first = await startLabServer({ env: { IMS_ADMIN_PASSWORD: 'first-one', HTTP_HOST: '127.0.0.1' } });
    const file = join(first.dataDir, 'ims-lab.db');
    const away = join(mkdtempSync(join(tmpdir(), 'ims-moved-')), 'ims-lab.db');
    const mml = async (command: string) => (await runMml(first!, 'first-one', command)).results[0]!;
    await consoleUrl(first);
    renameSync(file, away);
    try {
      const add = await mml('ADD USER USERNAME=5555 PASSWORD=pw5555x');
      expect(add.retcode).toBe(7);
      expect(add.message).toContain(`the database ${file} is gone`);
      expect(add.message).toMatch(/^Not done: /);
      // Reading goes on.
      expect((await mml('DSP USER USERNAME=1001')).retcode).toBe(0);
    } finally {
      renameSync(away, file);
      rmSync(join(away, '..'), { recursive: true, force: true });
    }
    expect((await mml('ADD USER USERNAME=5555 PASSWORD=pw5555x')).retcode).toBe(0);
  });
});

describe.skipIf(!HAS_BUILD || !canMount)('a full disk under a running server', () => {
  let disk: string | undefined;
  afterEach(async () => {
    // The server first (the outer afterEach would remove the mount point's files after this one).
    await first?.stop();
    first = undefined;
    if (disk !== undefined) unmountTmpfs(disk);
    disk = undefined;
  });

  it('turns /healthz to 503 "degraded" while CDR records cannot be written, and back once they are', async () => {
    disk = mountTmpfs('24m')!;
    first = await startLabServer({
      dataDir: disk,
      env: { IMS_ADMIN_PASSWORD: 'first-one', HTTP_HOST: '127.0.0.1' },
    });
    const base = await consoleUrl(first);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    // Fill the disk to the last byte, then ask for rows (an OPTIONS is one, CDR.OPTIONS).
    const filler = join(disk, 'filler');
    const fd = openSync(filler, 'w');
    try {
      for (;;) writeSync(fd, Buffer.alloc(64 * 1024));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    }
    try {
      for (;;) writeSync(fd, Buffer.alloc(512));
    } catch {
      // full
    }
    closeSync(fd);
    const sip = createSocket('udp4');
    const options = (i: number): Buffer =>
      Buffer.from(
        `OPTIONS sip:${first!.host}:${first!.udpPort} SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-full-${i}\r\n` +
          `Max-Forwards: 70\r\nFrom: <sip:probe@lab>;tag=${i}\r\nTo: <sip:${first!.host}>\r\nCall-ID: full-${i}@lab\r\n` +
          `CSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n`,
      );
    let status = 200;
    let problem = '';
    for (let i = 0; i < 100 && status === 200; i++) {
      sip.send(options(i), first.udpPort, first.host);
      await sleep(100);
      const res = await fetch(`${base}/healthz`);
      status = res.status;
      problem = ((await res.json()) as { problem?: string }).problem ?? '';
    }
    sip.close();
    expect(status).toBe(503);
    expect(problem).toMatch(
      /^CDR (records cannot be written to the database|rows cannot be appended to the CSV)/,
    );
    rmSync(filler);
    // The recorder retries (backing off up to 5 s): once there is room the rows land and all is well.
    for (let i = 0; i < 150 && status !== 200; i++) {
      await sleep(100);
      status = (await fetch(`${base}/healthz`)).status;
    }
    expect(status).toBe(200);
  }, 40_000);
});
