import { describe, expect, it } from 'vitest';
import { commandName, RETCODE, type MmlResult } from '../../../core/mml/command';
import { duration, HISTORY_COMMAND_SHOWN } from '../../../core/mml/commands/system';
import { renderText, renderTexts } from '../../../core/mml/text';
import { zhDuration } from '../../../core/mml/zh-status';
import { IMS_VERSION } from '../../../core/version';
import { binding, NOW, openLab, run, useLabs, zhShownRows } from './lab';

useLabs();

describe('DSP SYSINFO', () => {
  it('shows version, platform, uptime, memory, data directory and counts in one row', async () => {
    const lab = openLab();
    lab.users.add({ username: '1001', password: 'x' });
    lab.location.put(binding('sip:1001@ims.lab', 'sip:1001@192.0.2.1'));
    const r = await run(lab, 'DSP SYSINFO');
    expect(r.retcode).toBe(0);
    const table = r.tables[0]!;
    const info = Object.fromEntries(table.columns.map((c, i) => [c.name, table.rows[0]![i]]));
    expect(info).toMatchObject({
      Product: 'IMS Lab',
      Version: IMS_VERSION,
      Node: process.version,
      'Data directory': lab.dir,
      Users: 1,
      Registrations: 1,
    });
    expect(info.Started).toBe(Math.floor(performance.timeOrigin));
    expect(info.Uptime).toMatch(/^(\d+[dhm] )*\d+s$/);
    // Memory in MB to two decimals, as DSP PERF gives the same figures (it was 142.84765625).
    for (const name of ['Process memory (MB)', 'Heap used (MB)']) {
      const mb = info[name] as number;
      expect(mb, name).toBeGreaterThan(0);
      expect(Math.round(mb * 100) / 100, name).toBe(mb);
    }
    // In Chinese as the original said it (X小时Y分钟Z秒); English stays as scripts parse it.
    const [zh] = await lab.engine.execute('DSP SYSINFO', 'tester', { lang: 'zh' });
    expect(zh!.tables[0]!.rows[0]).toContainEqual(expect.stringMatching(/^(\d+[dhm] )*\d+s$/));
    const zhInfo = zhShownRows(zh!.tables[0]!)[0]!;
    expect(renderText(zh!)).toMatch(/ {2}= {2}(\d+(天|小时|分钟))*\d+秒\n/);
    expect(zhInfo).toContainEqual(expect.stringMatching(/^(\d+(天|小时|分钟))*\d+秒$/));
    expect(zhInfo.filter((v) => typeof v === 'string' && /^(\d+[dhm] )*\d+s$/.test(v))).toEqual([]);
    expect(info['CPU cores']).toBeGreaterThan(0);
    expect(info['Memory total (MB)']).toBeGreaterThan(0);
    expect(table.columns.find((c) => c.name === 'Process memory (MB)')!.type).toBe('number');
    expect((await run(lab, 'DSP SYSINFO ALL')).message).toBe(
      'Unexpected word ALL after DSP SYSINFO; parameters are written NAME=value',
    );
  });

  it('keeps Started where it was when the wall clock steps back (it read an hour earlier: now - uptime)', async () => {
    const lab = openLab();
    const started = async (): Promise<unknown> => {
      const t = (await run(lab, 'DSP SYSINFO')).tables[0]!;
      return t.rows[0]![t.columns.findIndex((c) => c.name === 'Started')];
    };
    const before = await started();
    lab.clock.now -= 3_600_000;
    expect(await started()).toBe(before);
  });

  it('formats durations', () => {
    expect(duration(0)).toBe('0s');
    expect(duration(59.9)).toBe('59s');
    expect(duration(3600)).toBe('1h 0m 0s');
    expect(duration(93784)).toBe('1d 2h 3m 4s');
  });
});

describe('DSP HISTORY', () => {
  it('shows the commands run, newest last, of everyone or of one operator', async () => {
    const lab = openLab();
    await lab.engine.execute('DSP USER\nADD USER USERNAME=1001 PASSWORD=pw', 'alice');
    lab.clock.now = NOW + 1000;
    await lab.engine.execute('DSP REG STAT', 'bob');
    const r = await run(lab, 'DSP HISTORY LIMIT=2');
    expect(r.tables[0]!.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'No.:integer',
      'Time:time',
      'Who:string',
      'Command:string',
      'RETCODE:integer',
      'Message:string',
    ]);
    expect(r.tables[0]!.rows).toEqual([
      [2, NOW, 'alice', 'ADD USER USERNAME=1001 PASSWORD=*****', 0, 'User 1001 added'],
      [3, NOW + 1000, 'bob', 'DSP REG STAT', 0, 'Operation succeeded'],
    ]);
    const mine = await run(lab, 'DSP HISTORY WHO=alice', 'bob');
    expect(mine.tables[0]!.rows.map((row) => row[3])).toEqual([
      'DSP USER',
      'ADD USER USERNAME=1001 PASSWORD=*****',
    ]);
    // A full page with older commands behind it says how to see them; the page before the first.
    expect(r.message).toBe('Older commands: DSP HISTORY BEFORE=2 LIMIT=2');
    const before = await run(lab, 'DSP HISTORY BEFORE=2 LIMIT=2');
    expect(before.tables[0]!.rows.map((row) => [row[0], row[3]])).toEqual([[1, 'DSP USER']]);
    expect(before.message).toBe('Operation succeeded');
    const older = await run(lab, 'DSP HISTORY LIMIT=1 WHO=alice');
    expect(older.message).toBe('Older commands: DSP HISTORY BEFORE=2 LIMIT=1 WHO="alice"');
    expect((await run(lab, 'DSP HISTORY LIMIT=-1')).message).toBe(
      'Parameter LIMIT: expected an integer 1..1000, got "-1"',
    );
  });

  // README's own example, DSP HISTORY WHO=admin, found nothing: the console's commands are recorded as
  // admin@<its address>, and WHO= matched them exactly.
  it('WHO=<name> shows that operator from any address; WHO=<name>@<address> exactly that', async () => {
    const lab = openLab();
    await lab.engine.execute('DSP USER', 'admin@127.0.0.1');
    await lab.engine.execute('DSP REG STAT', 'admin@10.0.0.5');
    await lab.engine.execute('DSP CFG KEY=LOG.LEVEL', 'admin');
    await lab.engine.execute('DSP LOCKOUT', 'admin2@127.0.0.1'); // another operator, the same start
    await lab.engine.execute('SET LOG LEVEL=INFO', 'admin@@x'); // a name "admin@" from x: not admin
    const commands = async (who: string): Promise<unknown[]> =>
      (await run(lab, `DSP HISTORY LIMIT=100 WHO="${who}"`)).tables[0]!.rows.map((row) => [row[2], row[3]]);
    expect(await commands('admin')).toEqual([
      ['admin@127.0.0.1', 'DSP USER'],
      ['admin@10.0.0.5', 'DSP REG STAT'],
      ['admin', 'DSP CFG KEY=LOG.LEVEL'],
      ['admin@@x', 'SET LOG LEVEL=INFO'],
    ]);
    expect(await commands('admin@127.0.0.1')).toEqual([['admin@127.0.0.1', 'DSP USER']]);
    expect(await commands('admin@')).toEqual([]);
    expect(await commands('adm')).toEqual([]);
    expect(
      (await run(lab, 'HELP DSP HISTORY')).tables
        .flatMap((t) => t.rows)
        .flat()
        .join(' '),
    ).toContain('a name (admin) from any address, or name@address exactly');
  });

  it('cuts a long command, so that it does not pad every row of the text to its width', async () => {
    const lab = openLab();
    await lab.engine.execute(`ADD USER USERNAME=1001 PASSWORD=pw NAME="${'名'.repeat(5000)}"`, 'alice');
    for (let i = 0; i < 50; i++) await lab.engine.execute('DSP REG STAT', 'alice');
    const [r] = await lab.engine.execute('DSP HISTORY LIMIT=100', 'alice');
    const long = r!.tables[0]!.rows[0]![3] as string;
    expect([Array.from(long).length, long.endsWith('…')]).toEqual([HISTORY_COMMAND_SHOWN, true]);
    expect(long.startsWith('ADD USER USERNAME=1001 PASSWORD=***** NAME="名名')).toBe(true);
    // 52 rows of at most about 200 cells and the short ones: far below one padded row each of 10,000.
    expect(renderTexts([r!]).length).toBeLessThan(25_000);
  });
});

describe("the original's command tree entries", () => {
  it('HELP HOTKEY lists the terminal keys, Tab leaving the line and a pasted script too; HELP and HELP HELP name it; DSP SYSCFG shows the settings as DSP CFG', async () => {
    const lab = openLab();
    const keys = await run(lab, 'HELP HOTKEY');
    expect(keys.retcode).toBe(0);
    expect(keys.tables[0]!.rows.map((r) => r[0])).toEqual([
      'Enter',
      '↑ / ↓',
      'Tab',
      'Tab on an empty line or after Esc',
      'Shift+Tab',
      'Esc',
      'Ctrl+L',
      'Paste of several lines',
    ]);
    const [zh] = await lab.engine.execute('HELP HOTKEY', 'tester', { lang: 'zh' });
    expect(zh!.tables[0]!.rows.at(-1)).toEqual([
      '粘贴多行',
      '作为脚本执行，与 mml --file 相同: 跳过注释和空行，出错时指出所在行（单行粘贴则放入命令行）',
    ]);
    // HELP's own row and HELP HELP name it, in both languages.
    const help = (await run(lab, 'HELP')).tables[0]!.rows.find((r) => r[0] === 'HELP');
    expect(help![3]).toContain('HELP HOTKEY');
    expect((await run(lab, 'HELP HELP')).message).toContain('HELP HOTKEY shows the terminal keys');
    const [zhHelp] = await lab.engine.execute('HELP HELP', 'tester', { lang: 'zh' });
    expect(zhHelp!.message).toContain('HELP HOTKEY 显示终端快捷键');
    expect(zhHelp!.tables[0]!.rows[0]![5]).toContain('HOTKEY（终端快捷键）');
    const cfg = await run(lab, 'DSP SYSCFG');
    expect(cfg.retcode).toBe(0);
    expect(cfg.tables).toEqual((await run(lab, 'DSP CFG')).tables);
  });
});

describe('HELP through the engine', () => {
  it('lists every registered command of the appliance', async () => {
    const lab = openLab();
    const r = await run(lab, 'HELP');
    const names = lab.engine.registry.commands().map(commandName);
    expect(r.tables[0]!.rows.map((row) => row[0]).sort()).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining([
        'HELP',
        'DSP USER',
        'ADD USER',
        'MOD USER',
        'RMV USER',
        'IMP USER',
        'EXP USER',
        'DSP REG',
        'DSP REG STAT',
        'RMV REG',
        'CLR REG',
        'DSP CFG',
        'SET CFG',
        'EXP CFG',
        'SAVE CFG',
        'SET LOG',
        'DSP LOG',
        'DSP SYSINFO',
        'DSP HISTORY',
        'DSP LOCKOUT',
        'RMV LOCKOUT',
      ]),
    );
    // The 21 above, 18 call, CDR, performance, server status and dialer commands (see calls.test.ts) and
    // the 4 trace commands (trace.test.ts).
    expect(names).toEqual(expect.arrayContaining(['DSP TRACE', 'EXP TRACE', 'SET TRACE', 'CLR TRACE']));
    expect(names).toHaveLength(43);
  });

  it('describes every command without failing', async () => {
    const lab = openLab();
    for (const name of lab.engine.registry.commands().map(commandName)) {
      const r = await run(lab, `HELP CMD="${name}"`);
      expect(r.retcode, name).toBe(RETCODE.OK);
      expect(r.message.startsWith(`${name}: `), name).toBe(true);
      // Unquoted too, as the original's command tree inserted it: HELP CMD=ADD USER.
      const plain = await run(lab, `HELP CMD=${name}`);
      expect([name, plain.retcode, plain.message]).toEqual([name, RETCODE.OK, r.message]);
    }
    // Only HELP's CMD runs on over words: elsewhere a value with a space is still to be quoted.
    expect((await run(lab, 'MOD USER USERNAME=1001 NAME=John Smith')).retcode).toBe(RETCODE.SYNTAX_ERROR);
  });
});

describe('DSP HISTORY in 中文', () => {
  it("gives each command's answer in the asker's language", async () => {
    const lab = openLab();
    await lab.engine.execute('ADD USER USERNAME=7001 PASSWORD=pw7001', 'alice');
    const [en] = await lab.engine.execute('DSP HISTORY', 'alice');
    const message = en!.tables[0]!.columns.findIndex((c) => c.name === 'Message');
    expect(en!.tables[0]!.rows[0]![message]).toBe('User 7001 added');
    const [zh] = await lab.engine.execute('DSP HISTORY', 'alice', { lang: 'zh' });
    // The row is the same in every language (for scripts); the text writes it in Chinese.
    expect(zh!.tables[0]!.rows[0]![message]).toBe('User 7001 added');
    expect(zhShownRows(zh!.tables[0]!)[0]![message]).toBe('用户 7001 添加成功');
    expect(renderText(zh!)).toContain('用户 7001 添加成功');
  });
});

describe('read-only status in Chinese answers', () => {
  it('says how long in Chinese units (the original: X小时Y分钟Z秒), and nothing else', () => {
    expect(zhDuration('13s')).toBe('13秒');
    expect(zhDuration('6m 7s')).toBe('6分钟7秒');
    expect(zhDuration('1d 2h 3m 4s')).toBe('1天2小时3分钟4秒');
    expect(zhDuration('')).toBe('');
    expect(zhDuration('not started')).toBe('not started');
  });

  it('prints a yes or no cell as 是/否 in Chinese and YES/NO in English, byte for byte as before', () => {
    const result = (lang: 'en' | 'zh'): MmlResult => ({
      retcode: 0,
      message: 'ok',
      ...(lang === 'zh' ? { lang } : {}),
      tables: [
        {
          title: 't',
          columns: [
            { name: 'A', type: 'boolean' as const },
            { name: 'B', type: 'boolean' as const },
          ],
          rows: [[true, false]],
        },
      ],
    });
    expect(renderText(result('en'))).toBe(
      'RETCODE = 0  ok\n\nt\n-\nA  =  YES\nB  =  NO\n(Number of results = 1)\n\n---    END\n',
    );
    expect(renderText(result('zh'))).toBe(
      'RETCODE = 0  ok\n\nt\n-\nA  =  是\nB  =  否\n(结果个数 = 1)\n\n---    END\n',
    );
  });
});
