// Every MML answer in 中文 is Chinese through and through (issue 11): every command has a Chinese HELP
// line and every parameter a Chinese description; the titles, column names and messages of the commands
// read in Chinese, keeping only keywords, parameter names, values and the Latin names a Chinese SIP
// engineer uses as they are (SIP, AOR, Call-ID, RTP, MB ...). A new command, column or message without
// its Chinese fails here.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteCdrStore } from '../../../core/cdr/cdr-store';
import { loadSettings, SETTINGS } from '../../../core/config/settings';
import type { SettingSource } from '../../../core/config/settings';
import type { CampaignSnapshot } from '../../../core/dialer/campaign';
import type { Dialer, DialerSnapshot } from '../../../core/dialer/dialer';
import { allParams, commandName } from '../../../core/mml/command';
import type { MmlResult } from '../../../core/mml/command';
import { createRegistry } from '../../../core/mml/commands/index';
import { zhMessage, zhTitle, zhWord } from '../../../core/mml/lang';
import { allowed } from '../../../core/mml/params';
import { ZH_COMMAND_HELP, ZH_TABLE_COLUMNS, ZH_WORDS } from '../../../core/mml/zh';
import { ZH_PARAM_HELP, zhAllowed } from '../../../core/mml/zh-params';
import { ZH_SETTING_HELP, ZH_SETTING_SOURCES, ZH_SETTING_TYPES } from '../../../core/mml/zh-settings';
import { CounterSet } from '../../../core/observe/counters';
import { idleServerStatus } from '../../support/server-status';
import { PerfSampler } from '../../../core/observe/perf-sampler';
import { MessageTap } from '../../../core/sip/transport/message-tap';
import { SipTrace, traceConfig } from '../../../core/trace/index';
import { CALL_ID, FLOW, play, registration } from '../trace/flow';
import { makeDir, openLab, useLabs, zhShownRows } from './lab';
import type { Lab } from './lab';

useLabs();

/** Latin words kept in Chinese text: protocol, product and header names, abbreviations, units. */
const KEPT = new Set([
  'SIP',
  'SIPp',
  'CDR',
  'AOR',
  'URI',
  'Call-ID',
  'reg-id',
  'q', // a Contact's q (RFC 3261 §20.10), as reg-id: the parameter's name
  'Flow-Timer',
  'P-Asserted-Identity', // RFC 3325 header names, as Call-ID
  'P-Preferred-Identity',
  'Outbound',
  'Request-URI',
  'Contact',
  'From',
  'To',
  'Via',
  'Record-Route',
  'Path',
  'WebSocket',
  'nonce',
  'qop',
  'Homer',
  'heplify-server',
  'CSeq',
  'IP',
  'IPv4',
  'IPv6',
  'RTP',
  'UDP',
  'TCP',
  'TLS',
  'WS',
  'WSS',
  'HEP',
  'HEPv3',
  'CPU',
  'ID',
  'MB',
  'KB',
  'ms',
  'ASR',
  'ACD',
  'PDD',
  'CIDR',
  'WAV',
  'CSV',
  'JSON',
  'RFC',
  'MML',
  'pcap',
  'Wireshark',
  'tshark',
  'ON',
  'OFF',
]);

/**
 * The English words left in a Chinese text. Kept: KEPT, quoted values, keywords and values (upper case:
 * DSP, USERNAME, ACTIVE, OFFSET+LIMIT), anything with a digit, "=", "/", "@", ":", "." or "<" (values, NAME=value, paths, URIs, keys,
 * placeholders), letter ranges (A-Z, a-z).
 */
function englishIn(text: string): string[] {
  const unquoted = text.replace(/"(?:[^"\\]|\\.)*"/g, ' ');
  const tokens = unquoted.split(/[^A-Za-z0-9_.\-:/@<>=*#+]+/).filter((t) => /[A-Za-z]/.test(t));
  return tokens.filter(
    (t) =>
      !KEPT.has(t) &&
      !/^[A-Z][A-Z0-9_+-]*$/.test(t) &&
      !/[\d=/@:.<]/.test(t) &&
      !/^[A-Za-z]-[A-Za-z]$/.test(t),
  );
}

/** The English left in the titles, column names and message of a result; [] when all is Chinese. */
function englishOf(r: MmlResult, cells: readonly string[] = []): string[] {
  const texts = [r.message];
  for (const t of r.tables) {
    texts.push(t.title ?? '', ...t.columns.map((c) => c.name));
    // Cells that are text, not data (HELP's descriptions), by column name, as the answer's text writes
    // them (the rows are the same in every language: zh-cells.ts).
    const shown = zhShownRows(t);
    for (const [i, c] of t.columns.entries()) {
      if (cells.includes(c.name)) texts.push(...shown.map((row) => String(row[i] ?? '')));
    }
  }
  return texts.flatMap(englishIn);
}

describe('every command and parameter has its Chinese', () => {
  const registry = createRegistry();

  it('HELP has a Chinese line for every registered command, and a Chinese name for its group', () => {
    const missing = registry.commands().filter((c) => ZH_COMMAND_HELP[commandName(c)] === undefined);
    expect(missing.map(commandName)).toEqual([]);
    for (const c of registry.commands()) {
      expect(englishIn(ZH_COMMAND_HELP[commandName(c)]!), commandName(c)).toEqual([]);
      expect(ZH_WORDS[c.group], c.group).toBeDefined();
    }
  });

  it('every parameter of every command has a Chinese description, and what it allows reads in Chinese', () => {
    const missing: string[] = [];
    for (const c of registry.commands()) {
      for (const p of allParams(c)) {
        const zh = ZH_PARAM_HELP[p.help];
        if (zh === undefined) missing.push(`${commandName(c)} ${p.name}: ${p.help}`);
        else expect(englishIn(zh), `${commandName(c)} ${p.name}`).toEqual([]);
        expect(englishIn(zhAllowed(allowed(p))), `${commandName(c)} ${p.name}`).toEqual([]);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every setting has a Chinese description, and its type and source a Chinese name', () => {
    const keys = SETTINGS.map((d) => d.key);
    expect(keys.filter((k) => !Object.hasOwn(ZH_SETTING_HELP, k))).toEqual([]);
    // No description of a setting that is gone (or misspelt).
    expect(Object.keys(ZH_SETTING_HELP).filter((k) => !keys.includes(k))).toEqual([]);
    for (const k of keys) expect(englishIn(ZH_SETTING_HELP[k]!), k).toEqual([]);
    for (const d of SETTINGS) expect(ZH_SETTING_TYPES[d.type], d.key).toBeDefined();
    for (const t of Object.values(ZH_SETTING_TYPES)) expect(englishIn(t), t).toEqual([]);
    for (const s of Object.values(ZH_SETTING_SOURCES)) expect(englishIn(s), s).toEqual([]);
  });

  it('HELP <command> in 中文 has no English but names and values, for every command', async () => {
    const lab = openLab();
    for (const c of registry.commands()) {
      const [r] = await lab.engine.execute(`HELP ${commandName(c)}`, 'tester', { lang: 'zh' });
      expect(r!.retcode).toBe(0);
      expect(englishOf(r!, ['类型', '取值范围', '说明']), commandName(c)).toEqual([]);
    }
    const [all] = await lab.engine.execute('HELP', 'tester', { lang: 'zh' });
    expect(englishOf(all!, ['分组', '说明'])).toEqual([]);
    const [param] = await lab.engine.execute('HELP PARAM=USERNAME', 'tester', { lang: 'zh' });
    expect(englishOf(param!, ['类型', '取值范围', '说明'])).toEqual([]);
  });

  it('every column name and fixed title the commands write has a Chinese name', () => {
    const dir = join(__dirname, '../../../core/mml/commands');
    const columns = new Set<string>();
    const titles = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      for (const m of source.matchAll(
        /\{ name: '([^']+)', type: '(?:string|integer|number|time|boolean)' \}/g,
      ))
        columns.add(m[1]!);
      for (const m of source.matchAll(/title: '([^']+)'/g)) titles.add(m[1]!);
    }
    expect(columns.size).toBeGreaterThan(150);
    const overridden = new Set(Object.values(ZH_TABLE_COLUMNS).flatMap((o) => Object.keys(o)));
    const untranslated = [...columns].filter((c) => zhWord(c) === c && !overridden.has(c) && !KEPT.has(c));
    expect(untranslated.filter((c) => englishIn(c).length > 0)).toEqual([]);
    expect([...columns].flatMap((c) => englishIn(zhWord(c)))).toEqual([]);
    expect([...titles].flatMap((t) => englishIn(zhTitle(t)))).toEqual([]);
  });

  it('the fixed messages the commands write have a Chinese text', () => {
    const dir = join(__dirname, '../../../core/mml/commands');
    const messages: string[] = [];
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      for (const m of source.matchAll(/new MmlError\(\s*RETCODE\.\w+,\s*(['"])(.+?)\1\s*\)/g))
        messages.push(m[2]!);
      for (const m of source.matchAll(/\bok\((['"])(.+?)\1[,)]/g)) messages.push(m[2]!);
    }
    expect(messages.length).toBeGreaterThan(10);
    expect(messages.flatMap((m) => englishIn(zhMessage(m)).map((w) => `${m}: ${w}`))).toEqual([]);
  });
});

describe('messages with variable parts and the reasons inside them', () => {
  it.each([
    [
      'Unknown command FOO: there is no verb FOO (verbs: ADD, CLR, DSP). Did you mean DSP?',
      '未知命令: FOO（没有动词 FOO，可用动词: ADD, CLR, DSP）。您是否要输入 DSP？',
    ],
    [
      'Unknown command DSP FOO: DSP takes CALL, USER. Did you mean DSP CFG?',
      '未知命令: DSP FOO（DSP 可带的对象: CALL, USER）。您是否要输入 DSP CFG？',
    ],
    [
      'Parameter VALUE: PROXY.TIMER_C expected an integer 1000..600000, got "abc"',
      '参数 VALUE 错误: PROXY.TIMER_C 应为整数 1000..600000，实际为 "abc"',
    ],
    [
      'Parameter STATUS: expected one of ACTIVE, INACTIVE, got "X"',
      '参数 STATUS 错误: 应为 ACTIVE, INACTIVE 之一，实际为 "X"',
    ],
    [
      'Parameter USERNAME: must be 1..64 characters of A-Z a-z 0-9 . _ + -, got "a b"',
      '参数 USERNAME 错误: 应为 1..64 个字符（A-Z a-z 0-9 . _ + -），实际为 "a b"',
    ],
    [
      'Unknown parameter FOO for DSP USER; allowed: USERNAME, STATUS. Did you mean USERNAME?',
      'DSP USER 不支持参数 FOO；可用参数: USERNAME, STATUS。您是否要输入 USERNAME？',
    ],
    [
      'Unexpected word FOO after DSP CDR (it accepts TODAY, YESTERDAY); parameters are written NAME=value',
      'DSP CDR 之后不应有 FOO（可跟的词: TODAY, YESTERDAY）；参数应写作 NAME=value',
    ],
    ['DSP needs an object: CALL, USER', 'DSP 需要对象: CALL, USER'],
    [
      'Syntax error at column 5: unexpected "," (a parameter is missing)',
      '语法错误（第 5 列）: 不应有 ","（缺少参数）',
    ],
    [
      'LOG.LEVEL = DEBUG (was INFO); not saved yet: SAVE CFG writes it to config.json',
      'LOG.LEVEL = DEBUG（原值 INFO）；尚未保存: SAVE CFG 将其写入 config.json',
    ],
    ['User 1001 already exists', '用户 1001 已存在'],
    [
      'No lockout or failed attempt recorded for user 1001 from 192.0.2.1',
      '没有来自 192.0.2.1 的用户 1001 的锁定或认证失败记录',
    ],
    ['Lifted the lockout of user 1001', '已解除用户 1001 的锁定'],
    [
      'Note: service types IMS Lab does not define, kept as given: "GOLD"',
      '注意: IMS Lab 未定义的服务类型，按原样保留: "GOLD"',
    ],
    [
      'Parameter BEFORE: must be a record_id (20 digits), got "abc"',
      '参数 BEFORE 错误: 应为 record_id（20 位数字），实际为 "abc"',
    ],
    [
      'Parameter VALUE: cannot be applied: TRACE.HEP_COLLECTOR: expected host:port, got "x"',
      '参数 VALUE 错误: 无法生效: TRACE.HEP_COLLECTOR: 应为 host:port，实际为 "x"',
    ],
    [
      'in memory: 2 dialogs, 17 messages (0.0 MB of 64); trace.db on: 17 messages (0.1 MB); HEP to 10.0.0.1:9060: 5 sent, 0 failed',
      '内存中: 会话 2 个，消息 17 条（已用 0.0 MB，上限 64 MB）；trace.db 已开启: 消息 17 条（0.1 MB）；HEP 发往 10.0.0.1:9060: 已发送 5 条，失败 0 条',
    ],
    [
      'Trace cleared: 3 messages in memory, 2 in trace.db',
      '信令跟踪已清除: 内存中 3 条消息，trace.db 中 2 条',
    ],
    [
      'Calling 3 numbers in the background: campaign C0001 (DSP DIALSVC CAMPAIGN=C0001 follows it)',
      '正在后台呼叫 3 个号码: 外呼任务 C0001（DSP DIALSVC CAMPAIGN=C0001 查看进度）',
    ],
    [
      'Calling 3 numbers (3 repeats left out) in the background: campaign C0001 (DSP DIALSVC CAMPAIGN=C0001 follows it)',
      '正在后台呼叫 3 个号码（已略去 3 个重复号码）: 外呼任务 C0001（DSP DIALSVC CAMPAIGN=C0001 查看进度）',
    ],
    [
      'Calling 2002 (1 repeat left out) in the background: campaign C0002 (DSP DIALSVC CAMPAIGN=C0002 follows it)',
      '正在后台呼叫 2002（已略去 1 个重复号码）: 外呼任务 C0002（DSP DIALSVC CAMPAIGN=C0002 查看进度）',
    ],
    [
      'Parameter CALLEE: one number only, got 2; give a list as STR CALL BATCH NUMBERS=2001,2002',
      '参数 CALLEE 错误: 只能是一个号码，实际为 2 个；号码列表请用 STR CALL BATCH NUMBERS=2001,2002',
    ],
    [
      'Deleted all 12 CDR record(s) and 2 CSV day folder(s) (2025-10-01, 2025-10-02); exports are kept',
      '已删除全部 12 条 CDR 记录和 2 个 CSV 日目录（2025-10-01, 2025-10-02）；导出文件保留',
    ],
  ])('%s', (english, chinese) => {
    expect(zhMessage(english)).toBe(chinese);
  });
});

/** A lab with every optional part: perf, status, calls, CDR, lockouts, trace and a dialer. */
function fullLab(): Lab {
  const lab = openLab();
  const perf = new PerfSampler({
    counters: new CounterSet(),
    autoStart: false,
    now: () => lab.clock.now,
    readHostNetwork: () => undefined,
    eventLoop: { read: () => ({ p50Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 }), start: () => {}, stop: () => {} },
    gc: {
      read: () => ({ young: { count: 0, pauseMs: 0, maxMs: 0 }, full: { count: 0, pauseMs: 0, maxMs: 0 } }),
      totals: () => ({ young: { count: 0, pauseMs: 0, maxMs: 0 }, full: { count: 0, pauseMs: 0, maxMs: 0 } }),
      start: () => {},
      stop: () => {},
    },
  });
  lab.clock.now += 1000;
  perf.sample();
  lab.clock.now += 1000;
  perf.sample();
  lab.ctx.perf = perf;
  const status = idleServerStatus({ version: '1.0.0', pid: 42, startedAt: lab.clock.now, uptimeSeconds: 2 });
  lab.ctx.status = () => status;
  lab.ctx.calls = { size: 0, list: () => [], get: () => undefined, end: () => false };
  lab.ctx.cdr = new SqliteCdrStore(lab.db, lab.dir);
  lab.ctx.lockouts = {
    locks: () => [{ source: '192.0.2.7', user: undefined, secondsLeft: 90 }],
    lift: () => 0,
  };
  const tap = new MessageTap();
  lab.ctx.trace = new SipTrace(tap, lab.dir, traceConfig(lab.settings));
  play(tap, [...FLOW, ...registration(7001), ...registration(7002)]);
  tap.emit(
    'in',
    Buffer.from('HELLO WORLD\r\n\r\n'),
    'UDP',
    { address: '127.0.0.1', port: 5060 },
    '127.0.0.1',
    5070,
    undefined,
    '400 Malformed start line',
  );
  const campaign = {
    id: 'C0001',
    state: 'finished',
    mediaFile: 'media/default.wav',
    total: 1,
    inProgress: 0,
    figures: { placed: 1, answered: 1, failed: 0, byCode: {}, asr: 100, acdSeconds: 2 },
    live: [
      {
        number: '1010',
        callId: 'c-1',
        state: 'answered',
        startedAt: 0,
        answeredAt: 1,
        rtpSent: 50,
        rtpReceived: 49,
      },
    ],
    recent: [
      { number: '1009', status: 200, reason: 'OK', answered: true, end: 'dialer', pddMs: 80, talkMs: 2000 },
    ],
  } as unknown as CampaignSnapshot;
  const snapshot = {
    state: 'running',
    registered: true,
    account: '0000',
    rtpPortsInUse: 0,
    campaigns: [campaign],
    totals: { placed: 1, answered: 1, failed: 0 },
    mediaFiles: [],
  } as unknown as DialerSnapshot;
  lab.ctx.dialer = {
    state: 'running',
    snapshot: () => snapshot,
    pendingSettings: () => ['DIALER.USERNAME=0001'],
    campaign: (id: string) => (id === 'C0001' ? campaign : undefined),
  } as unknown as Dialer;
  return lab;
}

describe('the answers in 中文 have no English but names, keywords and values', () => {
  it.each([
    'DSP PERF',
    'DSP PERF SAMPLES=2',
    'DSP SRVSTAT',
    'DSP SYSINFO',
    'DSP CALL STAT',
    'DSP CALL',
    'DSP LOCKOUT',
    'RMV LOCKOUT USERNAME=1001',
    'DSP TRACE',
    `DSP TRACE CALLID="${CALL_ID}"`,
    `EXP TRACE CALLID="${CALL_ID}" FORMAT=TEXT`,
    'DSP TRACE CALLID=REG-700',
    'DSP TRACE CALLID=""',
    'EXP TRACE CALLID=reg-700',
    'SET TRACE RINGMB=32',
    'CLR TRACE CONFIRM=YES',
    'DSP DIALSVC',
    'DSP DIALSVC CAMPAIGN=C0001',
    'DSP DIALSVC CFG',
    'DSP CFG KEY=LOG.LEVEL',
    'SET CFG KEY=LOG.LEVEL VALUE=DEBUG',
    'SET CFG KEY=PROXY.TIMER_C VALUE=abc',
    'SET CFG KEY=SIP.PORT VALUE=0',
    'SET CFG KEY=AUTH.ALGORITHMS VALUE=MD4',
    'SET CFG KEY=REG.MIN_EXPIRES VALUE=9000',
    'EXP CFG',
    'SAVE CFG',
    'DSP CDR STAT',
    'DSP CDR',
    'DSP REG STAT',
    'DSP LOG',
    'DSP HISTORY',
    'DSP USER',
    'ADD USER USERNAME=2001 PASSWORD=x',
    'ADD USER USERNAME=2001 PASSWORD=x STATUS=GONE',
    'ADD USER USERNAME=2001',
    'DSP USER LIMIT=0',
    'FOO',
    'DSP FOO',
    'DSP',
    'DSP USER FOO',
    'DSP USER NAMES=1',
    'RMV USER USERNAME=2001',
    'HELP ADD USER',
    'HELP FOO BAR',
    'DSP USER USERNAME="a',
  ])('%s', async (command) => {
    const lab = fullLab();
    const [r] = await lab.engine.execute(command, 'tester', { lang: 'zh' });
    expect(englishOf(r!), `${command} → ${r!.message}`).toEqual([]);
  });

  it("IMP USER's refusals read in Chinese: entries at fault, a file that is not UTF-8, one that is no list", async () => {
    const lab = fullLab();
    await lab.engine.execute('ADD USER USERNAME=4004 PASSWORD=x', 'tester');
    writeFileSync(
      join(lab.dir, 'a.json'),
      JSON.stringify({
        '4004': { password: 'y' },
        '4003': { username: 'bad name', password: 'z' },
        '4005': {},
        '4007': 5,
      }),
    );
    writeFileSync(join(lab.dir, 'g.json'), Buffer.from([0x7b, 0xd5, 0xc5, 0x7d]));
    writeFileSync(join(lab.dir, 'n.json'), JSON.stringify('x'));
    writeFileSync(
      join(lab.dir, 'u.csv'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('x', 'utf16le')]),
    );
    for (const file of ['a.json', 'g.json', 'n.json', 'u.csv']) {
      const [r] = await lab.engine.execute(`IMP USER FILE=${file}`, 'tester', { lang: 'zh' });
      expect(englishOf(r!), `${file} → ${r!.message}`).toEqual([]);
    }
  });

  it('DSP CALL STAT, DSP LOCKOUT, DSP SRVSTAT and HELP ADD USER read as a tester expects', async () => {
    const lab = fullLab();
    const zh = async (text: string) => (await lab.engine.execute(text, 'tester', { lang: 'zh' }))[0]!;
    const stat = await zh('DSP CALL STAT');
    expect(stat.tables.map((t) => t.title)).toEqual(['活跃呼叫统计', '今日呼叫 (CDR)']);
    expect(stat.tables[0]!.columns.map((c) => c.name)).toEqual(['呼叫中', '振铃中', '已接听', '总数']);
    const locks = await zh('DSP LOCKOUT');
    expect(locks.tables[0]!.rows).toEqual([['192.0.2.7', '(every user name)', 90]]);
    expect(zhShownRows(locks.tables[0]!)).toEqual([['192.0.2.7', '（所有用户名）', 90]]);
    expect((await zh('RMV LOCKOUT SOURCE=192.0.2.7')).message).toBe(
      '没有地址 192.0.2.7 的锁定或认证失败记录',
    );
    expect((await lab.engine.execute('RMV LOCKOUT SOURCE=192.0.2.7', 'tester'))[0]!.message).toBe(
      'No lockout or failed attempt recorded for address 192.0.2.7',
    );
    const status = await zh('DSP SRVSTAT');
    expect(status.tables[0]!.title).toBe('服务状态');
    expect(status.tables[0]!.rows[0]![4]).toBe('not started');
    expect(zhShownRows(status.tables[0]!)[0]![4]).toBe('未启动');
    const help = await zh('HELP ADD USER');
    expect(help.message).toBe('ADD USER: 添加用户\n也可写作: ADD USR');
    expect(help.tables[0]!.title).toBe('ADD USER 的参数');
    const password = help.tables[0]!.rows.find((r) => r[0] === 'PASSWORD')!;
    expect(password).toEqual([
      'PASSWORD',
      '字符串',
      true,
      null,
      '1..128 个字符的文本',
      expect.stringMatching(/^摘要认证密码/),
    ]);
    // English is unchanged.
    const [en] = await lab.engine.execute('HELP ADD USER', 'tester');
    expect(en!.message).toBe('ADD USER: Adds a user\nAlso written: ADD USR');
    expect(en!.tables[0]!.rows.find((r) => r[0] === 'PASSWORD')).toEqual([
      'PASSWORD',
      'string',
      true,
      null,
      'text of 1..128 characters',
      'Digest password, stored encrypted',
    ]);
    // The characters a user name may hold, as ADD USER's check names them.
    expect(en!.tables[0]!.rows.find((r) => r[0] === 'USERNAME')![5]).toContain('A-Z a-z 0-9 . _ + -');
    expect(help.tables[0]!.rows.find((r) => r[0] === 'USERNAME')![5]).toContain('A-Z a-z 0-9 . _ + -');
    const [enLocks] = await lab.engine.execute('DSP LOCKOUT', 'tester');
    expect(enLocks!.tables[0]!.rows).toEqual([['192.0.2.7', '(every user name)', 90]]);
  });
});

describe('DSP CFG in 中文', () => {
  /** A lab whose settings come from every source: default, config.json, the environment and MML. */
  async function cfgLab(): Promise<Lab> {
    const dir = makeDir();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ 'REG.MIN_EXPIRES': 30 }));
    const lab = openLab(dir, loadSettings(dir, { SIP_PORT: '5070' }));
    const [set] = await lab.engine.execute('SET CFG KEY=SIP.TLS_PORT VALUE=5071', 'tester');
    expect(set!.retcode).toBe(0);
    const sources = new Set<SettingSource>(SETTINGS.map((d) => lab.settings.source(d.key)));
    expect([...sources].sort()).toEqual(['default', 'env', 'file', 'mml']);
    return lab;
  }

  it('has no English in its title, column names, message, source, type, allowed values and descriptions', async () => {
    const lab = await cfgLab();
    const [r] = await lab.engine.execute('DSP CFG ALL', 'tester', { lang: 'zh' });
    expect(r!.retcode).toBe(0);
    expect(r!.tables[0]!.rows).toHaveLength(SETTINGS.length);
    expect(englishOf(r!, ['来源', '类型', '取值范围', '说明'])).toEqual([]);
    expect(r!.message).toBe('未保存: SIP.TLS_PORT（SAVE CFG 写入 config.json）\n等待重启生效: SIP.TLS_PORT');
    const table = r!.tables[0]!;
    expect(table.title).toBe('系统配置一览');
    expect(table.columns.map((c) => c.name)).toEqual([
      '配置项',
      '当前值',
      '缺省值',
      '来源',
      '类型',
      '取值范围',
      '需重启',
      '待重启生效',
      '说明',
    ]);
    // The rows are the same in every language (for scripts: Source 'env', Type 'integer'); the answer's
    // text writes them in Chinese.
    const [en] = await lab.engine.execute('DSP CFG ALL', 'tester');
    expect(table.rows).toEqual(en!.tables[0]!.rows);
    expect(table.columns.map((c) => c.key)).toEqual(en!.tables[0]!.columns.map((c) => c.name));
    const byKey = new Map(zhShownRows(table).map((row) => [row[0], row]));
    expect(byKey.get('SIP.PORT')).toEqual([
      'SIP.PORT',
      '5070',
      '5060',
      '环境变量',
      '整数',
      '0..65535',
      true,
      false,
      'SIP 端口，UDP 和 TCP 共用（0: 任选一个空闲端口）',
    ]);
    expect(byKey.get('REG.MIN_EXPIRES')!.slice(0, 5)).toEqual([
      'REG.MIN_EXPIRES',
      '30',
      '60',
      '配置文件',
      '整数',
    ]);
    expect(byKey.get('SIP.TLS_PORT')!.slice(3, 4)).toEqual(['MML 命令']);
    expect(byKey.get('LOG.LEVEL')!.slice(3)).toEqual([
      '缺省值',
      '枚举',
      'DEBUG, INFO, WARNING, ERROR',
      false,
      false,
      '日志级别',
    ]);
    expect(byKey.get('AUTH.ALGORITHMS')!.slice(1, 6)).toEqual([
      'MD5,SHA-256',
      'MD5,SHA-256',
      '缺省值',
      '列表',
      '取自 MD5, SHA-256 的项',
    ]);
    expect(byKey.get('SIP.LOCAL_NETWORK_CIDR')!.slice(4, 6)).toEqual([
      'CIDR 网段',
      'CIDR 列表（IPv4、IPv6）',
    ]);
    expect(byKey.get('PROXY.AUTH_METHODS')!.slice(4, 6)).toEqual([
      '列表',
      'SIP 方法，如 INVITE（RFC 3261 §25.1：不含空格）',
    ]);
    expect(byKey.get('SIP.TCP')!.slice(4, 6)).toEqual(['布尔', 'YES, NO']);
    // A category or key filter reads the same.
    const [one] = await lab.engine.execute('DSP CFG CATEGORY=TRACE', 'tester', { lang: 'zh' });
    expect(englishOf(one!, ['来源', '类型', '取值范围', '说明'])).toEqual([]);
  });

  it('leaves the English answer as it was', async () => {
    const lab = await cfgLab();
    const [r] = await lab.engine.execute('DSP CFG ALL', 'tester');
    const byKey = new Map(r!.tables[0]!.rows.map((row) => [row[0], row]));
    // (A whole English row is config.test.ts's; here the cells 中文 changes stay English.)
    expect(byKey.get('SIP.PORT')!.slice(3, 5)).toEqual(['env', 'integer']);
    expect(byKey.get('SIP.TLS_PORT')![3]).toBe('mml');
    expect(byKey.get('AUTH.ALGORITHMS')!.slice(4, 6)).toEqual(['list', 'items of MD5, SHA-256']);
    for (const d of SETTINGS) expect(byKey.get(d.key)![8], d.key).toBe(d.help);
    expect(r!.tables[0]!.title).toBe('Settings');
    expect(r!.message).toBe(
      'Not saved: SIP.TLS_PORT (SAVE CFG writes config.json)\nWaiting for a restart: SIP.TLS_PORT',
    );
  });

  it('SAVE CFG says in Chinese why a broken config.json is left alone', async () => {
    const lab = await cfgLab();
    writeFileSync(join(lab.dir, 'config.json'), '{ broken');
    const [r] = await lab.engine.execute('SAVE CFG', 'tester', { lang: 'zh' });
    expect(r!.message).toMatch(/^配置未保存: .*config\.json: 不是有效的 JSON（.*），未覆盖$/);
    writeFileSync(join(lab.dir, 'config.json'), '[]');
    const [array] = await lab.engine.execute('SAVE CFG', 'tester', { lang: 'zh' });
    expect(array!.message).toMatch(/^配置未保存: .*config\.json: 应为 JSON 对象，未覆盖$/);
    writeFileSync(join(lab.dir, 'config.json'), '{}');
    const [saved] = await lab.engine.execute('SAVE CFG', 'tester', { lang: 'zh' });
    expect(saved!.message).toBe(`已保存 SIP.TLS_PORT 到 ${join(lab.dir, 'config.json')}`);
  });
});
