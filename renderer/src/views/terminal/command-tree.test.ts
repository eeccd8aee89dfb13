// The command tree fills the terminal's line with commands the appliance has, with parameters it takes.
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../../core/mml/index';
import { allParams } from '../../../../core/mml/command';
import { parseCommand } from '../../../../core/mml/grammar';
import { COMMAND_TREE, treeMatches } from './command-tree';
import { commandName } from '../../../../core/mml/command';

describe('the command tree', () => {
  const registry = createRegistry();
  for (const entry of COMMAND_TREE.flatMap((g) => g.entries)) {
    it(`${entry.command}: a command of the appliance, with its parameters`, () => {
      const parsed = parseCommand(entry.command.replace(/=(?=,|$)/g, '=x'), 1, 1);
      const found = registry.lookup(parsed.verb, parsed.words);
      expect(found, entry.command).toBeDefined();
      const names = new Set(allParams(found!.command).map((p) => p.name));
      for (const name of parsed.params.keys()) expect(names, `${entry.command}: ${name}`).toContain(name);
    });
  }

  it('has every command HELP lists under a group the tree shows (the trace commands, DSP/RMV LOCKOUT)', () => {
    const inTree = new Set(
      COMMAND_TREE.flatMap((g) => g.entries).map((x) => {
        const parsed = parseCommand(x.command.replace(/=(?=,|$)/g, '=x'), 1, 1);
        return commandName(registry.lookup(parsed.verb, parsed.words)!.command);
      }),
    );
    for (const name of ['DSP TRACE', 'EXP TRACE', 'SET TRACE', 'CLR TRACE', 'DSP LOCKOUT', 'RMV LOCKOUT'])
      expect(inTree, name).toContain(name);
  });

  it("finds a group by the console's words for it: 话单 and 跟踪 in 中文, trace in English", () => {
    const found = (text: string, lang: 'en' | 'zh') =>
      COMMAND_TREE.flatMap((g) => treeMatches(g, text, lang)).map((x) => x.command);
    expect(found('话单', 'zh')).toContain('DSP CDR');
    expect(found('跟踪', 'zh')).toContain('DSP TRACE');
    expect(found('trace', 'en')).toEqual(expect.arrayContaining(['DSP TRACE', 'CLR TRACE:CONFIRM=YES']));
    expect(found('锁定', 'zh')).toContain('DSP LOCKOUT');
    expect(found('', 'zh')).toHaveLength(COMMAND_TREE.flatMap((g) => g.entries).length);
  });

  it("fills 'All users' and 'All registrations' with DSP USER ALL and DSP REG ALL, every row, as the original's entries did", () => {
    const entry = (en: string) => COMMAND_TREE.flatMap((g) => g.entries).find((x) => x.label.en === en);
    expect([entry('All users')?.label.zh, entry('All users')?.command]).toEqual([
      '查询所有用户',
      'DSP USER ALL',
    ]);
    expect([entry('All registrations')?.label.zh, entry('All registrations')?.command]).toEqual([
      '查询注册列表',
      'DSP REG ALL',
    ]);
  });
});
