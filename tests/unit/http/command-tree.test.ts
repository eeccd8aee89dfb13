// GET /api/command_tree keeps the original's tree (original-server.md §1.2, MMLCommandTree): every one of
// its 50 entries by its group and label, but the two whose command IMS Lab has not (重启服务 RST SERVICE,
// 清理日志 CLR LOG, which answer RETCODE 2 saying why); 查询系统配置, 查询指定呼叫, 查询外呼统计, 显示参数说明,
// 显示快捷键 and 配置管理's 修改日志级别 were missing.
import { describe, expect, it } from 'vitest';
import { commandTree } from '../../../core/http/original-compat';

/** The original's tree: group → its entries' labels (性能监控's five, DSP PERF TYPE=ALL|CPU|MEM|NET|MSG, by command). */
const ORIGINAL: Record<string, string[]> = {
  系统管理: ['查询系统状态', '查询系统配置', '修改日志级别', '查询服务状态', '重启服务'],
  用户管理: ['查询所有用户', '查询指定用户', '添加用户', '删除用户', '修改用户'],
  注册管理: ['查询注册列表', '查询指定注册', '查询注册统计', '强制注销', '清除所有注册'],
  呼叫管理: ['查询活跃呼叫', '查询呼叫统计', '查询指定呼叫', '强制挂断', '清除所有呼叫'],
  'CDR 管理': ['查询今日 CDR', '查询指定日期 CDR', '查询 CDR 统计', '导出 CDR', '清理旧 CDR'],
  配置管理: ['查询所有配置', '查询指定配置', '修改日志级别', '导出配置'],
  日志管理: ['查询日志配置', '修改日志级别', '查询最近日志', '搜索日志', '清理日志'],
  外呼管理: [
    '查询外呼服务状态',
    '启动外呼服务',
    '停止外呼服务',
    '发起单次外呼',
    '批量外呼',
    '查询外呼统计',
    '查询外呼配置',
  ],
  帮助信息: ['显示所有命令', '显示命令帮助', '显示参数说明', '显示快捷键'],
};
const ABSENT = ['系统管理 重启服务', '日志管理 清理日志'];

describe("the original's command tree", () => {
  it('has every entry of the original by group and label, but the two IMS Lab has no command for', () => {
    const tree = commandTree('zh');
    const missing = Object.entries(ORIGINAL).flatMap(([group, labels]) =>
      labels.filter((l) => tree[group]?.commands[l] === undefined).map((l) => `${group} ${l}`),
    );
    expect(missing).toEqual(ABSENT);
    expect(Object.values(ORIGINAL).flat()).toHaveLength(45);
    expect(Object.values(tree['性能监控']!.commands)).toEqual(
      expect.arrayContaining(['DSP PERF', ...['CPU', 'MEM', 'NET', 'MSG'].map((t) => `DSP PERF:TYPE=${t}`)]),
    );
  });

  it("maps them to IMS Lab's command for the job", () => {
    const tree = commandTree('zh');
    expect(tree['系统管理']!.commands['查询系统配置']).toBe('DSP CFG:CATEGORY=SIP');
    expect(tree['呼叫管理']!.commands['查询指定呼叫']).toBe('DSP CALL:CALLID=');
    expect(tree['配置管理']!.commands['修改日志级别']).toBe('SET CFG:KEY=LOG.LEVEL,VALUE=');
    expect(tree['外呼管理']!.commands['查询外呼统计']).toBe('DSP DIALSVC:CAMPAIGN=');
    expect(tree['帮助信息']!.commands['显示参数说明']).toBe('HELP:PARAM=');
    expect(tree['帮助信息']!.commands['显示快捷键']).toBe('HELP HOTKEY');
    // English too, each label its own.
    expect(commandTree('en').Help!.commands['Terminal keys']).toBe('HELP HOTKEY');
  });
});
