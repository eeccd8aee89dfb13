// A console in a browser and the data folder it cannot reach otherwise: an upload for IMP USER kept in
// imports/ (never over another file; a refused one leaves nothing), and the files EXP USER and EXP CFG
// write, downloaded; all of it only after a login, and only bare file names of those folders.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';

const PASSWORD = 'data-files-secret';
let server: LabServer;
let base: string;
let auth: { authorization: string };

async function mml(command: string): Promise<{ retcode: number; message: string }> {
  const res = await fetch(`${base}/api/mml`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ mml: command, lang: 'en' }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: { retcode: number; message: string }[] }).results[0]!;
}

function upload(name: string, body: string | Uint8Array, headers: Record<string, string> = auth) {
  return fetch(`${base}/api/import/${encodeURIComponent(name)}`, { method: 'PUT', headers, body });
}

const imports = (): string[] =>
  existsSync(join(server.dataDir, 'imports')) ? readdirSync(join(server.dataDir, 'imports')).sort() : [];

describe.skipIf(!HAS_BUILD)(
  'headless console: uploads for IMP USER, downloads of EXP USER and EXP CFG',
  () => {
    beforeAll(async () => {
      server = await startLabServer({ env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' } });
      base = await consoleUrl(server);
      const res = await fetch(`${base}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ password: PASSWORD }),
      });
      auth = { authorization: `Bearer ${((await res.json()) as { token: string }).token}` };
    });

    afterAll(async () => {
      if (server) {
        expect(await server.stop()).toBe(0);
        removeDataDir(server.dataDir);
      }
    });

    it("keeps an upload of the original's users.json in imports/, which IMP USER then reads", async () => {
      const users = JSON.stringify({ '7001': { password: 'pw7001', service_type: 'GOLD' } });
      const first = await upload('users.json', users);
      expect([first.status, await first.json()]).toEqual([
        201,
        { file: 'imports/users.json', bytes: users.length },
      ]);
      // The same name again is a new file: nothing uploaded before is overwritten.
      const again = await upload('users.json', users);
      expect(await again.json()).toMatchObject({ file: 'imports/users_2.json' });
      // A name with a folder or spaces in it is a plain name in imports/.
      const odd = await upload('../my users.json', users);
      expect(await odd.json()).toMatchObject({ file: 'imports/my_users.json' });
      expect(imports()).toEqual(['my_users.json', 'users.json', 'users_2.json']);
      expect(await mml('IMP USER:FILE="imports/users.json"')).toMatchObject({ retcode: 0 });
      expect((await mml('DSP USER:USERNAME=7001')).retcode).toBe(0);
    });

    it('refuses an upload without a login, from another site, of another type or over 64 MB, and keeps nothing', async () => {
      const before = imports();
      const anonymous = await upload('x.json', '{}', {});
      expect(anonymous.status).toBe(401);
      const crossSite = await upload('x.json', '{}', { ...auth, origin: 'http://evil.example' });
      expect(crossSite.status).toBe(403);
      const wrongType = await upload('passwd', 'root:x:0:0');
      expect([wrongType.status, await wrongType.json()]).toEqual([
        400,
        { error: 'passwd: expected a .json or .csv file (what IMP USER reads)' },
      ]);
      const huge = await upload('big.csv', new Uint8Array(64 * 1024 * 1024 + 1));
      expect([huge.status, await huge.json()]).toEqual([
        413,
        { error: 'larger than 64 MB (what IMP USER reads)' },
      ]);
      expect(imports()).toEqual(before);
    });

    it('refuses a body sent with a content coding (415, Accept-Encoding: identity), the API and uploads alike', async () => {
      // RFC 9110 §15.5.16: gzip'd JSON was "not UTF-8 text"; a gzip'd users file was kept, unreadable.
      const before = imports();
      const users = gzipSync(JSON.stringify({ '7002': { password: 'pw7002' } }));
      const gz = { ...auth, 'content-encoding': 'gzip' };
      const up = await upload('users.json', users, gz);
      expect([up.status, up.headers.get('accept-encoding'), await up.json()]).toEqual([
        415,
        'identity',
        { error: 'Content-Encoding gzip is not taken: send the body as it is (identity)' },
      ]);
      expect(imports()).toEqual(before);
      const api = await fetch(`${base}/api/mml`, {
        method: 'POST',
        headers: { ...gz, 'content-type': 'application/json' },
        body: gzipSync(JSON.stringify({ mml: 'ADD USER:USERNAME=7003,PASSWORD=pw7003' })),
      });
      expect([api.status, api.headers.get('accept-encoding')]).toEqual([415, 'identity']);
      expect((await mml('DSP USER:USERNAME=7003')).retcode).not.toBe(0);
      // identity is no coding: taken as before.
      const plain = await upload('plain.json', '{}', { ...auth, 'content-encoding': 'identity' });
      expect(plain.status).toBe(201);
    });

    it('downloads what EXP USER and EXP CFG wrote, to a logged-in console only', async () => {
      const users = await mml('EXP USER');
      const usersFile = /(users_export_[\w-]+\.json)/.exec(users.message)![1]!;
      const got = await fetch(`${base}/api/data-export/${usersFile}`, { headers: auth });
      expect(got.status).toBe(200);
      expect(got.headers.get('content-disposition')).toBe(`attachment; filename="${usersFile}"`);
      expect(await got.text()).toContain('"7001"');
      expect((await fetch(`${base}/api/data-export/${usersFile}`)).status).toBe(401);

      const cfg = await mml('EXP CFG');
      const cfgFile = /(config_export_[\w-]+\.json)/.exec(cfg.message)![1]!;
      const config = (await (
        await fetch(`${base}/api/data-export/${cfgFile}`, { headers: auth })
      ).json()) as {
        categories: Record<string, unknown>;
      };
      expect(Object.keys(config.categories).length).toBeGreaterThan(0);

      // Only the exports' own names: not the secret key beside them, not another folder.
      for (const name of ['..%2Fsecret.key', 'secret.key', 'users_export_x.json%2F..%2F..%2Fconfig.json']) {
        const r = await fetch(`${base}/api/data-export/${name}`, { headers: auth });
        expect([name, r.status]).toEqual([name, 400]);
      }
      const missing = await fetch(`${base}/api/data-export/users_export_19990101_000000.json`, {
        headers: auth,
      });
      expect(missing.status).toBe(404);
    });
  },
);
