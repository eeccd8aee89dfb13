// Moving from the original without surprises (issue 11), against the built server with real SIP over
// UDP: the original's /api/execute and /api/command_tree behind the login, answers in Chinese, a
// registration found by the AOR the phone registered, the original's RFC 2069 digest client, OPTIONS
// and unregistration rows in the CSV as the original wrote them, the log at INFO telling the story,
// and a 10,000-user IMP USER during which an OPTIONS ping is still answered.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ha1 } from '../../../core/sip/auth/ha1';
import { digestResponse2069 } from '../../../core/sip/auth/digest';
import { parseAuthHeader } from '../../../core/sip/auth/auth-params';
import { localStamp } from '../../../core/observe/logger';
import { HAS_BUILD } from '../../support/processes';
import { consoleUrl, removeDataDir, startLabServer, type LabServer } from '../../support/lab-server';
import {
  RegisteringUa,
  contactOf,
  openUdp,
  parseResponse,
  requestBytes,
  responseTo,
  type SipChannel,
} from '../../support/sip-client';
import { readCsv } from '../../support/csv';

const PASSWORD = 'compat-test-secret';
const USERS = [
  { username: '1001', password: 'pw1001' },
  { username: '1002', password: 'pw1002' },
];
let server: LabServer;
let base: string;
let token: string;

async function api(path: string, body?: unknown, auth = true): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: auth ? { authorization: `Bearer ${token}` } : {},
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function mml(text: string, lang?: 'en' | 'zh') {
  const res = await api('/api/mml', { mml: text, ...(lang ? { lang } : {}) });
  expect(res.status).toBe(200);
  return (await res.json()) as {
    results: {
      retcode: number;
      message: string;
      tables: { columns: { name: string }[]; rows: unknown[][] }[];
    }[];
    text: string;
  };
}

async function eventually<T>(what: string, read: () => T, ok: (v: T) => boolean, ms = 5000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = read();
    if (ok(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function cdrRows(): Record<string, string>[] {
  const day = localStamp(Date.now()).day;
  let text: string;
  try {
    text = readFileSync(join(server.dataDir, 'CDR', day, `cdr_${day}.csv`), 'utf8');
  } catch {
    return [];
  }
  const [header, ...rows] = readCsv(text);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

function logText(): string {
  const day = localStamp(Date.now()).day;
  try {
    return readFileSync(join(server.dataDir, 'logs', day, 'ims-sip-server.log'), 'utf8');
  } catch {
    return '';
  }
}

function options(ch: SipChannel, callId: string, cseq: number): Buffer {
  return requestBytes(ch, { method: 'OPTIONS', user: '1001', callId, cseq });
}

describe.skipIf(!HAS_BUILD)('the original’s users: API, MML, SIP, CDR and log', () => {
  beforeAll(async () => {
    server = await startLabServer({
      users: USERS,
      env: { IMS_ADMIN_PASSWORD: PASSWORD, HTTP_HOST: '127.0.0.1' },
    });
    base = await consoleUrl(server);
    const login = await fetch(`${base}/api/login`, {
      method: 'POST',
      body: JSON.stringify({ password: PASSWORD }),
    });
    token = ((await login.json()) as { token: string }).token;
  });

  afterAll(async () => {
    if (server) {
      expect(await server.stop()).toBe(0);
      removeDataDir(server.dataDir);
    }
  });

  it("keeps POST /api/execute and GET /api/command_tree in the original's shape, behind the login", async () => {
    expect((await api('/api/execute', { command: 'DSP USER' }, false)).status).toBe(401);
    expect((await api('/api/command_tree', undefined, false)).status).toBe(401);

    const okRes = await api('/api/execute', { command: 'DSP USER' });
    expect(okRes.status).toBe(200);
    const ok = (await okRes.json()) as Record<string, unknown>;
    expect(Object.keys(ok).sort()).toEqual(['code', 'output', 'retcode', 'retmsg', 'timestamp']);
    expect(ok).toMatchObject({ retcode: 0, retmsg: 'Success', code: 0 });
    expect(ok.output).toMatch(/1001/);
    expect(ok.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);

    // In Chinese by default, as the original answered (its scripts match its texts); English on request.
    const bad = (await (await api('/api/execute', { command: 'DSP USER USERNAME=9999' })).json()) as Record<
      string,
      unknown
    >;
    expect(bad).toMatchObject({
      retcode: 1,
      retmsg: '用户 9999 不存在',
      output: 'ERROR: 用户 9999 不存在',
      code: 5,
    });
    const added = (await (
      await api('/api/execute', { command: 'ADD USER USERNAME=7001 PASSWORD=7001pass' })
    ).json()) as Record<string, unknown>;
    expect(added).toMatchObject({ retcode: 0, retmsg: 'Success' });
    expect(added.output).toMatch(/用户 7001 添加成功[\s\S]*用户名\s+=\s+7001/);
    const en = (await (
      await api('/api/execute', { command: 'DSP USER USERNAME=9999', lang: 'en' })
    ).json()) as Record<string, unknown>;
    expect(en).toMatchObject({ retcode: 1, retmsg: 'User 9999 does not exist' });
    expect(await (await api('/api/execute', { command: '  ' })).json()).toEqual({
      retcode: 1,
      retmsg: '空命令',
      output: 'ERROR: 命令不能为空',
    });
    // A command that is no text is named, not taken for an empty one.
    // Several statements, one failing: the others ran, and the answer says what each did.
    const several = (await (
      await api('/api/execute', { command: 'ADD USER USERNAME=7002 PASSWORD=7002pass; FOO' })
    ).json()) as Record<string, unknown>;
    expect(several).toMatchObject({ retcode: 1, code: 2 });
    expect(several.output).toMatch(/^ERROR: .*FOO[\s\S]*ADD USER USERNAME=7002[\s\S]*用户 7002 添加成功/);
    const notText = await api('/api/execute', { command: 123 });
    expect(notText.status).toBe(400);
    expect(await notText.json()).toEqual({ error: 'command: must be a string' });

    // The original's tree (original-server.md §1.2): its group names, icons and labels, as the console's
    // sidebar shows them; it served "DSP SYSINFO: 查询系统信息…" keys and no 帮助信息 group.
    type Tree = Record<string, { icon: string; commands: Record<string, string> }>;
    // In Chinese by default, as the original's tree.
    for (const query of ['', '?lang=zh']) {
      const treeZh = (await (await api(`/api/command_tree${query}`)).json()) as Tree;
      expect(Object.keys(treeZh)).toEqual([
        '系统管理',
        '用户管理',
        '注册管理',
        '呼叫管理',
        'CDR 管理',
        '配置管理',
        '性能监控',
        '日志管理',
        '信令跟踪',
        '外呼管理',
        '帮助信息',
      ]);
      expect(treeZh['系统管理']!.icon).toBe('⚙️');
      expect(treeZh['帮助信息']!.icon).toBe('❓');
      expect(treeZh['系统管理']!.commands['查询系统状态']).toBe('DSP SYSINFO');
      expect(treeZh['用户管理']!.commands['查询所有用户']).toBe('DSP USER ALL');
      expect(treeZh['用户管理']!.commands['添加用户']).toBe('ADD USER:USERNAME=,PASSWORD=');
      expect(treeZh['注册管理']!.commands['强制注销']).toBe('RMV REG:USERNAME=,CONFIRM=YES');
      expect(treeZh['外呼管理']!.commands['启动外呼服务']).toBe('STR DIALSVC');
    }
    const tree = (await (await api('/api/command_tree?lang=en')).json()) as Tree;
    expect(tree.Users!.icon).toBe('👤');
    expect(tree.Users!.commands['All users']).toBe('DSP USER ALL');
    expect(tree.Registrations!.commands['Remove all']).toBe('CLR REG:CONFIRM=YES');
  });

  it('answers MML in Chinese when asked (lang zh), keywords unchanged', async () => {
    const r = await mml('HELP DSP REG', 'zh');
    expect(r.results[0]!.retcode).toBe(0);
    expect(r.text).toMatch(/^RETCODE = 0 {2}DSP REG: 查询注册列表/m);
    expect(r.text).toMatch(/\(结果个数 = \d+\)/);
    expect(r.text).toContain('URI');
    expect((await mml('HELP DSP REG')).text).toMatch(/^RETCODE = 0 {2}DSP REG: Lists the registrations/m);
  });

  it('finds a registration by the AOR as the phone registered it, by contact and by substring', async () => {
    const ch = await openUdp({ host: server.host, port: server.udpPort });
    try {
      const ua = new RegisteringUa(ch, USERS[0]!);
      const contact = contactOf(ch, '1001');
      expect((await ua.register([contact], 600)).status).toBe(200);
      const registeredAs = `sip:1001@${server.host}`; // the To the phone sent
      const byAor = await mml(`DSP REG URI=${registeredAs}`);
      expect(byAor.results[0]!.retcode).toBe(0);
      const t = byAor.results[0]!.tables[0]!;
      expect(t.columns.slice(0, 3).map((c) => c.name)).toEqual(['AOR', 'Registered as', 'Contact']);
      expect(t.rows.map((r) => r.slice(0, 3))).toEqual([
        ['sip:1001@ims.lab', registeredAs, `sip:1001@127.0.0.1:${ch.localPort}`],
      ]);
      expect((await mml(`DSP REG URI=sip:1001@127.0.0.1:${ch.localPort}`)).results[0]!.retcode).toBe(0);
      expect((await mml('DSP REG URI=1001')).results[0]!.tables[0]!.rows).toHaveLength(1);
      expect((await mml('DSP REG URI=sip:1009@ims.lab')).results[0]!.retcode).toBe(5);

      // The phone unregisters: the CDR row is the original's REGISTER/UNREGISTERED with the AOR as registered.
      expect((await ua.register([contact], 0)).status).toBe(200);
      const rows = await eventually('the REGISTER rows', cdrRows, (r) =>
        r.some((x) => x.call_state === 'UNREGISTERED'),
      );
      const regs = rows.filter((r) => r.caller_number === '1001');
      expect(regs.map((r) => `${r.record_type} ${r.call_state} ${r.caller_uri} ${r.expires}`)).toEqual([
        `REGISTER SUCCESS ${registeredAs} 600`,
        `REGISTER UNREGISTERED ${registeredAs} `,
      ]);
      expect(regs[1]!.aor).toBe('sip:1001@ims.lab');
    } finally {
      await ch.close();
    }
  });

  it("registers the original's RFC 2069 client (no qop); its answer cannot be replayed", async () => {
    const ch = await openUdp({ host: server.host, port: server.udpPort });
    try {
      const callId = `rfc2069-${Date.now()}@127.0.0.1`;
      const contact = contactOf(ch, '1002');
      ch.send(requestBytes(ch, { user: '1002', callId, cseq: 1, contacts: [contact], expires: 300 }));
      const challenge = await responseTo(ch, 1);
      expect(challenge.status).toBe(401);
      const ch0 = parseAuthHeader(challenge.headerValues('www-authenticate')[0]!)!;
      const realm = ch0.params.get('realm')!;
      const nonce = ch0.params.get('nonce')!;
      const uri = `sip:${server.host}:${server.udpPort}`;
      const response = digestResponse2069('MD5', ha1('MD5', '1002', realm, 'pw1002'), 'REGISTER', uri, nonce);
      const authorization = `Digest username="1002", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}"`;
      ch.send(
        requestBytes(ch, { user: '1002', callId, cseq: 2, contacts: [contact], expires: 300, authorization }),
      );
      expect((await responseTo(ch, 2)).status).toBe(200);
      ch.send(
        requestBytes(ch, { user: '1002', callId, cseq: 3, contacts: [contact], expires: 300, authorization }),
      );
      expect((await responseTo(ch, 3)).status).toBe(401);
    } finally {
      await ch.close();
    }
    // The log at INFO tells it: the binding, the replay refused.
    const log = await eventually('the log lines', logText, (t) => /auth: failed for 1002/.test(t));
    expect(log).toMatch(
      /\[INFO {4}\] \[sip\] registration: sip:1002@ims\.lab \(as sip:1002@127\.0\.0\.1\) bound /,
    );
    expect(log).toMatch(/\[INFO {4}\] \[auth\] auth: failed for 1002 \(REGISTER\) from 127\.0\.0\.1/);
    expect(log).toMatch(/\[INFO {4}\] \[sip\] registration: sip:1001@ims\.lab .* unregistered by the UA/);
  });

  it('writes an OPTIONS row for an OPTIONS it answers (CDR.OPTIONS on by default), none when turned off', async () => {
    const ch = await openUdp({ host: server.host, port: server.udpPort });
    try {
      ch.send(options(ch, 'ka-on@127.0.0.1', 1));
      expect(parseResponse(await ch.next()).status).toBe(200);
      const rows = await eventually('the OPTIONS row', cdrRows, (r) =>
        r.some((x) => x.record_type === 'OPTIONS'),
      );
      const row = rows.find((r) => r.call_id === 'ka-on@127.0.0.1')!;
      expect(row).toMatchObject({
        record_type: 'OPTIONS',
        call_state: 'COMPLETED',
        caller_number: '1001',
        caller_ip: '127.0.0.1',
        caller_port: String(ch.localPort),
        status_code: '200',
        status_text: 'OK',
        server_ip: '',
        cseq: '1 OPTIONS',
        transport: 'UDP', // IMS Lab's column: keep-alives from browsers told apart
      });
      expect(row.caller_uri).toMatch(/^<sip:1001@127\.0\.0\.1>;tag=/);
      expect((await mml('DSP CDR TYPE=OPTIONS')).results[0]!.tables[0]!.rows.length).toBeGreaterThan(0);

      expect((await mml('SET CFG KEY=CDR.OPTIONS VALUE=NO')).results[0]!.retcode).toBe(0);
      ch.send(options(ch, 'ka-off@127.0.0.1', 2));
      expect(parseResponse(await ch.next()).status).toBe(200);
      await new Promise((r) => setTimeout(r, 500));
      expect(cdrRows().some((r) => r.call_id === 'ka-off@127.0.0.1')).toBe(false);
      expect((await mml('SET CFG KEY=CDR.OPTIONS VALUE=YES')).results[0]!.retcode).toBe(0);
    } finally {
      await ch.close();
    }
  });

  it('IMP USER of 10,000 users: an OPTIONS ping sent meanwhile is answered before the import ends', async () => {
    const file: Record<string, { password: string; service_type: string }> = {};
    for (let i = 0; i < 10_000; i++) file[String(200_000 + i)] = { password: `p${i}`, service_type: 'GOLD' };
    writeFileSync(join(server.dataDir, 'many.json'), JSON.stringify(file));
    const ch = await openUdp({ host: server.host, port: server.udpPort });
    try {
      let importDone = 0;
      const started = Date.now();
      const importing = mml('IMP USER FILE=many.json').then((r) => {
        importDone = Date.now();
        return r;
      });
      // Ping until the import answers (bounded: at most 400 pings, 10 ms apart).
      const answered: { sent: number; at: number }[] = [];
      let n = 0;
      while (importDone === 0 && n < 400) {
        n++;
        const sent = Date.now();
        ch.send(options(ch, `ping-${n}@127.0.0.1`, n));
        try {
          await ch.next(2000);
          answered.push({ sent, at: Date.now() });
        } catch {
          break;
        }
        await new Promise((r) => setTimeout(r, 10));
      }
      const r = await importing;
      expect(r.results[0]!.retcode, r.results[0]!.message).toBe(0);
      expect(r.results[0]!.message).toMatch(/kept as given: "GOLD" ×10000/);
      // Interleaved: pings were answered while the import was still running.
      expect(answered.length).toBeGreaterThan(0);
      expect(answered[0]!.at).toBeLessThan(importDone);
      const worst = Math.max(...answered.map((a) => a.at - a.sent));
      process.stdout.write(
        `[figure] IMP USER 10000: ${importDone - started} ms; ${answered.length} OPTIONS pings answered meanwhile, slowest ${worst} ms\n`,
      );
    } finally {
      await ch.close();
    }
  });
});
