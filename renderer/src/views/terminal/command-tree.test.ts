// The command tree fills the terminal's line with commands the appliance has, with parameters it takes.
import { describe, expect, it } from 'vitest';
import { createRegistry } from '../../../../core/mml/index';
import { allParams } from '../../../../core/mml/command';
import { parseCommand } from '../../../../core/mml/grammar';
import { COMMAND_TREE } from './command-tree';

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
});
