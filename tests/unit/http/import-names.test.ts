// The name an upload for IMP USER is kept under: its letters and digits in any script, as a WAV prompt's
// (PUT /api/import/用户.json was kept as upload.json, while 提示.wav kept its name).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importName } from '../../../core/http/data-files';
import { startWeb, type WebFixture } from './web-fixture';

describe('importName', () => {
  it("keeps a name's letters and digits in any script", () => {
    expect(importName('用户.json')).toEqual({ base: '用户', ext: '.json' });
    expect(importName('пользователи_2024.CSV')).toEqual({ base: 'пользователи_2024', ext: '.csv' });
    expect(importName('ユーザー一覧.json')).toEqual({ base: 'ユーザー一覧', ext: '.json' });
  });

  it('composes a decomposed letter (a macOS name) before it looks at it', () => {
    expect(importName('Mu\u0308ller.json')).toEqual({ base: 'M\u00fcller', ext: '.json' });
  });

  it('still makes folders, spaces and other signs _, and hides nothing', () => {
    expect(importName('../my users.json')).toEqual({ base: 'my_users', ext: '.json' });
    expect(importName('.hidden.csv')).toEqual({ base: 'hidden', ext: '.csv' });
    expect(importName('a/b\\c:d.json')).toEqual({ base: 'a_b_c_d', ext: '.json' });
    expect(importName('😀.json')).toEqual({ base: 'upload', ext: '.json' });
    expect(importName('passwd')).toBeUndefined();
  });

  it('keeps a long name within a file name of 255 bytes', () => {
    const { base } = importName(`${'𠀀'.repeat(80)}.json`)!; // 4 bytes each in UTF-8
    expect(Buffer.byteLength(base)).toBeLessThanOrEqual(200);
    expect(base).toBe('𠀀'.repeat(50));
  });
});

describe('PUT /api/import/<name>', () => {
  let f: WebFixture;
  beforeEach(async () => {
    f = await startWeb();
  });
  afterEach(async () => {
    await f.stop();
  });

  it('keeps 用户.json as imports/用户.json, which IMP USER then reads', async () => {
    const users = JSON.stringify({ '7101': { password: 'pw7101' } });
    const res = await fetch(`${f.base}/api/import/${encodeURIComponent('用户.json')}`, {
      method: 'PUT',
      headers: f.headers,
      body: users,
    });
    expect([res.status, await res.json()]).toEqual([201, { file: 'imports/用户.json', bytes: users.length }]);
    const [result] = await f.appliance.mml.execute('IMP USER:FILE="imports/用户.json"', 'test', {
      lang: 'en',
    });
    expect(result!.retcode).toBe(0);
  });
});
