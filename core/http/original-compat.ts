// The original's HTTP API, kept for its scripts (original-server.md §1.1, §7): deprecated, behind the
// same login as the rest of the API (the original had none), and without its CORS "*".
//   POST /api/execute {"command": "<MML>"} → {"retcode": 0|1, "retmsg", "output", "timestamp"}
//     retcode is the original's 0 (success) or 1 (failure); "code" adds IMS Lab's RETCODE. output is the
//     terminal text, or "ERROR: <message>" on failure; an empty command is the original's 空命令. A line
//     of several statements (the original took one) that fails in one also says what each one did.
//   GET /api/command_tree → {group: {icon, commands: {label: command}}}, in Chinese as the original's,
//     its group names and labels (the console's sidebar's tree)
import type { MmlResult } from '../mml/command';
import { COMMAND_TREE } from '../mml/command-tree';
import type { MmlLang } from '../mml/lang';
import { localDateTime, renderTexts } from '../mml/text';
import { escapeControls } from '../observe/controls';

export interface ExecuteAnswer {
  retcode: 0 | 1;
  retmsg: string;
  output: string;
  timestamp?: string;
  /** IMS Lab's return code of the first failing statement (0 when all succeeded). */
  code?: number;
}

/** The original's answer to POST /api/execute; `results` undefined: the command was empty. */
export function executeAnswer(results: readonly MmlResult[] | undefined, now: number): ExecuteAnswer {
  if (results === undefined) return { retcode: 1, retmsg: '空命令', output: 'ERROR: 命令不能为空' };
  const failed = results.find((r) => r.retcode !== 0);
  const timestamp = localDateTime(now);
  if (failed !== undefined) {
    // Several statements: the others ran (ADD USER ...; FOO added the user), and a script told only
    // "ERROR" would take the line as having done nothing: each statement's answer follows.
    const each = results.length > 1 ? `\n\n${renderTexts(results, { echo: true, lines: false })}` : '';
    return {
      retcode: 1,
      retmsg: failed.message,
      output: `ERROR: ${escapeControls(failed.message)}${each}`,
      timestamp,
      code: failed.retcode,
    };
  }
  return {
    retcode: 0,
    retmsg: 'Success',
    output: renderTexts(results, { echo: false, lines: false }),
    timestamp,
    code: 0,
  };
}

export interface CommandTreeGroup {
  icon: string;
  commands: Record<string, string>;
}

/**
 * The original's tree as its console had it (original-server.md §1.2), its group names, icons and labels:
 * label → the text the console inserts (the command and its required parameters, e.g.
 * "ADD USER:USERNAME=,PASSWORD="). The console's sidebar shows the same tree (core/mml/command-tree.ts);
 * a script that looked a command up by its label (查询所有用户) finds it. English with lang en.
 */
export function commandTree(lang: MmlLang): Record<string, CommandTreeGroup> {
  const tree: Record<string, CommandTreeGroup> = {};
  for (const group of COMMAND_TREE) {
    const commands: Record<string, string> = {};
    for (const entry of group.entries) commands[entry.label[lang]] = entry.command;
    tree[group.name[lang]] = { icon: group.icon, commands };
  }
  return tree;
}
