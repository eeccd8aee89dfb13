// /api/mml as a scripting interface in any language: with "lang": "zh" the column names were Chinese
// and so were the cells that are words (DSP DIALSVC's State 'stopped' → '已停止', DSP CFG's Source
// 'default' → '缺省值', Type 'ip' → 'IP 地址'), and a column had no identifier but its display label. Now
// every column has a `key` (its English name) and every titled table one (its English title), the rows
// are the same in every language, and only the names shown and the text (what the console and `mml`
// print) follow the language. Against the built server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { login } from '../../support/console-client';
import {
  consoleUrl,
  removeDataDir,
  startLabServer,
  type LabServer,
  type MmlAnswer,
} from '../../support/lab-server';
import { HAS_BUILD } from '../../support/processes';

const PASSWORD = 'keys-admin-pass-1';

describe.skipIf(!HAS_BUILD)('/api/mml: keys and cells that do not depend on "lang"', () => {
  let server: LabServer;
  let base: string;
  let token: string;

  const mml = async (text: string, lang?: 'en' | 'zh'): Promise<MmlAnswer> => {
    const res = await fetch(`${base}/api/mml`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: JSON.stringify({ mml: text, ...(lang && { lang }) }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as MmlAnswer;
  };

  beforeAll(async () => {
    server = await startLabServer({
      users: [{ username: '1001', password: 'pw-1001' }],
      env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' },
    });
    base = await consoleUrl(server);
    token = await login(base, PASSWORD);
  }, 30_000);

  afterAll(async () => {
    if (server === undefined) return;
    expect(await server.stop()).toBe(0);
    removeDataDir(server.dataDir);
  });

  /** The cell of the first row under the column whose key is `key`. */
  const cell = (a: MmlAnswer, key: string, table = 0): unknown => {
    const t = a.results[0]!.tables[table]!;
    const i = t.columns.findIndex((c) => c.key === key);
    expect(i, `no column ${key} in ${JSON.stringify(t.columns)}`).toBeGreaterThanOrEqual(0);
    return t.rows[0]![i];
  };

  it('DSP DIALSVC: State is "stopped" under the key State in both languages; the text says 已停止', async () => {
    const en = await mml('DSP DIALSVC');
    const zh = await mml('DSP DIALSVC', 'zh');
    const [et, zt] = [en.results[0]!.tables[0]!, zh.results[0]!.tables[0]!];
    expect(zt.key).toBe(et.title);
    expect(zt.key).toBe('Auto dialer');
    expect(zt.title).not.toBe(et.title);
    expect(zt.columns.map((c) => c.key)).toEqual(et.columns.map((c) => c.name));
    expect(et.columns.map((c) => c.key)).toEqual(et.columns.map((c) => c.name));
    expect(zt.columns[0]).toEqual({ key: 'State', name: '状态', type: 'string' });
    expect(cell(en, 'State')).toBe('stopped');
    expect(cell(zh, 'State')).toBe('stopped');
    expect(cell(zh, 'Cancelled by operator (not in ASR)')).toBe(0);
    // What a person reads in Chinese is unchanged.
    expect(zh.text).toMatch(/状态 += +已停止/);
    expect(en.text).toMatch(/State += +stopped/);
  });

  it('DSP CFG: Source and Type as the settings name them; the text in Chinese', async () => {
    const en = await mml('DSP CFG KEY=SIP.SERVER_IP');
    const zh = await mml('DSP CFG KEY=SIP.SERVER_IP', 'zh');
    expect(zh.results[0]!.tables[0]!.rows).toEqual(en.results[0]!.tables[0]!.rows);
    expect(cell(zh, 'Type')).toBe('ip');
    expect(['default', 'env']).toContain(cell(zh, 'Source'));
    expect(zh.text).toMatch(/\nSIP\.SERVER_IP .* (缺省值|环境变量) +IP 地址 /);
  });

  it('DSP USER: the same keys and rows in both languages, the names shown in Chinese', async () => {
    const en = await mml('DSP USER');
    const zh = await mml('DSP USER', 'zh');
    expect(zh.results[0]!.tables[0]!.columns.map((c) => c.key)).toEqual(
      en.results[0]!.tables[0]!.columns.map((c) => c.name),
    );
    expect(zh.results[0]!.tables[0]!.columns[0]!.name).toBe('用户名');
    expect(zh.results[0]!.tables[0]!.rows).toEqual(en.results[0]!.tables[0]!.rows);
    expect(cell(zh, 'Username')).toBe('1001');
  });
});
