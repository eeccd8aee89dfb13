// MML answers in English or Chinese by the console's language (issue 11): keywords, parameter names and
// values stay as typed; the return-code line, messages, titles, column names and HELP read in Chinese.
import { describe, expect, it } from 'vitest';
import { RETCODE } from '../../../core/mml/command';
import { zhMessage } from '../../../core/mml/lang';
import { renderText } from '../../../core/mml/text';
import { openLab, useLabs } from './lab';

useLabs();

describe('MML in Chinese (lang zh)', () => {
  it('HELP lists every command with Chinese groups and descriptions; names stay English', async () => {
    const lab = openLab();
    const [en] = await lab.engine.execute('HELP', 'tester');
    const [zh] = await lab.engine.execute('HELP', 'tester', { lang: 'zh' });
    expect(zh!.retcode).toBe(0);
    expect(zh!.tables[0]!.columns.map((c) => c.name)).toEqual(['命令', '分组', '需确认', '说明']);
    expect(zh!.tables[0]!.rows.map((r) => r[0])).toEqual(en!.tables[0]!.rows.map((r) => r[0]));
    const byName = new Map(zh!.tables[0]!.rows.map((r) => [r[0], r]));
    expect(byName.get('DSP USER')).toEqual(['DSP USER', '用户管理', false, expect.stringContaining('查询')]);
    expect(byName.get('DSP REG')![1]).toBe('注册管理');
    expect(zh!.message).toMatch(/^共 \d+ 条命令/);
    const text = renderText(zh!);
    expect(text).toMatch(/^RETCODE = 0 {2}共 \d+ 条命令/m);
    expect(text).toMatch(/\(结果个数 = \d+\)/);
    expect(text.trimEnd().endsWith('---    END')).toBe(true);
    // One command's details.
    const [one] = await lab.engine.execute('HELP DSP USER', 'tester', { lang: 'zh' });
    expect(one!.message.split('\n')[0]).toMatch(/^DSP USER: 查询/);
    expect(one!.tables[0]!.columns.map((c) => c.name)).toContain('参数');
  });

  it('errors name the parameter in Chinese; English stays the default and the history keeps English', async () => {
    const lab = openLab();
    const [bad] = await lab.engine.execute('DSP USER LIMIT=0', 'tester', { lang: 'zh' });
    expect(bad).toMatchObject({ retcode: RETCODE.PARAMETER_ERROR });
    expect(bad!.message).toBe('参数 LIMIT 错误: 应为整数 1..1000，实际为 "0"');
    // Every parameter that does not fit, one line each (dialer F5: RATE was left out).
    const [two] = await lab.engine.execute('STR CALL BATCH NUMBERS=2001 RATE=abc CONCURRENCY=0', 'tester', {
      lang: 'zh',
    });
    expect(two).toMatchObject({ retcode: RETCODE.PARAMETER_ERROR });
    expect(two!.message).toBe(
      '参数 RATE 错误: 应为整数 1..1000，实际为 "abc"\n参数 CONCURRENCY 错误: 应为整数 1..5000，实际为 "0"',
    );
    const [aliased] = await lab.engine.execute('DSP LOG RECENT LINES=0', 'tester', { lang: 'zh' });
    expect(aliased!.message).toBe('参数 LINES (LIMIT) 错误: 应为整数 1..1000，实际为 "0"');
    const [missing] = await lab.engine.execute('ADD USER USERNAME=2001', 'tester', { lang: 'zh' });
    expect(missing!.message).toMatch(/^缺少必需参数: PASSWORD/);
    const [none] = await lab.engine.execute('DSP USER USERNAME=4242', 'tester', { lang: 'zh' });
    expect(none).toMatchObject({ retcode: RETCODE.NOT_FOUND, message: '用户 4242 不存在' });
    const [en] = await lab.engine.execute('DSP USER USERNAME=4242', 'tester');
    expect(en!.message).toBe('User 4242 does not exist');
    expect(renderText(en!)).not.toMatch(/结果个数/);
    expect(lab.history.recent(2).map((e) => e.message)).toEqual([
      'User 4242 does not exist',
      'User 4242 does not exist',
    ]);
  });
});

describe('MML in Chinese: the common answers', () => {
  it('user changes read in Chinese; the values stay as typed', async () => {
    const lab = openLab();
    const zh = async (text: string) => (await lab.engine.execute(text, 'tester', { lang: 'zh' }))[0]!;
    expect((await zh('ADD USER USERNAME=2001 PASSWORD=x')).message).toBe('用户 2001 添加成功');
    expect((await zh('MOD USER USERNAME=2001 STATUS=INACTIVE')).message).toBe('用户 2001 修改成功');
    const list = await zh('DSP USER');
    expect(list.tables[0]!.columns.map((c) => c.name)).toContain('用户名');
    expect(list.tables[0]!.rows.some((r) => r.includes('INACTIVE'))).toBe(true);
    expect((await zh('RMV USER USERNAME=2001 CONFIRM=YES')).message).toBe('用户 2001 删除成功');
    expect((await zh('RMV USER USERNAME=2001')).message).toBe('RMV USER 不可撤销: 需要确认参数 CONFIRM=YES');
  });
});

describe('Chinese answers whatever the value', () => {
  // A value with a space, an empty one, or CJK: the message reads in Chinese all the same.
  it.each([
    ['DSP USER USERNAME="a b"', '用户 a b 不存在'],
    ['DSP USER USERNAME="用户 x"', '用户 用户 x 不存在'],
    ['HELP PARAM=""', '没有命令带参数 '],
    ['HELP PARAM="A B"', '没有命令带参数 A B'],
    ['SET CFG KEY="a b" VALUE=1', '参数 KEY 错误: 没有配置项 A B：DSP CFG 列出全部配置项'],
  ])('%s', async (text, message) => {
    const lab = openLab();
    const [r] = await lab.engine.execute(text, 'tester', { lang: 'zh' });
    expect(r!.message).toBe(message);
  });

  // Messages of parts the unit lab does not run (the SIP stack's lockouts, the dialer, the trace, CDR).
  it.each([
    ['No lockout or failed attempt recorded for user ', '没有用户  的锁定或认证失败记录'],
    [
      'No lockout or failed attempt recorded for user a b from 192.0.2.1',
      '没有来自 192.0.2.1 的用户 a b 的锁定或认证失败记录',
    ],
    ['Lifted the lockout of address 192.0.2.1', '已解除地址 192.0.2.1 的锁定'],
    ['No campaign 用户 X', '没有外呼任务 用户 X'],
    ['No message of Call-ID  is held', '没有保留 Call-ID  的消息'],
    [
      'Parameter URI: 1001 is a part of 2 AORs (sip:10011@ims.lab, sip:1001@ims.lab); give the whole AOR, e.g. URI=sip:1001@ims.lab or USERNAME=1001',
      '参数 URI 错误: 1001 是 2 个 AOR 的一部分（sip:10011@ims.lab, sip:1001@ims.lab），请给出完整的 AOR，例如 URI=sip:1001@ims.lab 或 USERNAME=1001',
    ],
    [
      'Parameter BEFORE: no CDR record 99999999999999999999',
      '参数 BEFORE 错误: 没有编号为 99999999999999999999 的 CDR 记录',
    ],
  ])('%s', (english, chinese) => {
    expect(zhMessage(english)).toBe(chinese);
  });
});

it('says in Chinese that there is no CLR LOG', async () => {
  const lab = openLab();
  const [r] = await lab.engine.execute('CLR LOG BEFORE=2025-01-01 CONFIRM=YES', 'tester', { lang: 'zh' });
  expect([r!.retcode, r!.message]).toEqual([
    RETCODE.UNKNOWN_COMMAND,
    '没有 CLR LOG 命令：日志不通过 MML 清理；日志是数据目录 logs/ 下按天存放的文件（DSP SYSINFO 显示数据目录），请在那里删除',
  ]);
});
