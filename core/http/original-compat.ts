// The original's HTTP API, kept for its scripts (original-server.md §1.1, §7): deprecated, behind the
// same login as the rest of the API (the original had none), and without its CORS "*".
//   POST /api/execute {"command": "<MML>"} → {"retcode": 0|1, "retmsg", "output", "timestamp"}
//     retcode is the original's 0 (success) or 1 (failure); "code" adds IMS Lab's RETCODE. output is the
//     terminal text, or "ERROR: <message>" on failure; an empty command is the original's 空命令. A line
//     of several statements (the original took one) that fails in one also says what each one did.
//   GET /api/command_tree → {group: {icon, commands: {label: command}}}, in Chinese as the original's
import { commandName } from '../mml/command';
import type { MmlResult } from '../mml/command';
import { zhCommandHelp, zhWord } from '../mml/lang';
import type { MmlLang } from '../mml/lang';
import type { MmlRegistry } from '../mml/registry';
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

/** The original's group icons (its MMLCommandTree). */
const ICONS: Readonly<Record<string, string>> = {
  System: '⚙️',
  User: '👤',
  Registration: '📝',
  Call: '📞',
  CDR: '📊',
  Configuration: '🔧',
  Performance: '📈',
  Log: '📋',
  Dialer: '📢',
};

export interface CommandTreeGroup {
  icon: string;
  commands: Record<string, string>;
}

/**
 * Every command by group: label → the text the console inserts (the command and its required
 * parameters, e.g. "ADD USER USERNAME= PASSWORD="). Chinese group names and labels with lang zh.
 */
export function commandTree(registry: MmlRegistry, lang: MmlLang): Record<string, CommandTreeGroup> {
  const tree: Record<string, CommandTreeGroup> = {};
  for (const c of registry.commands()) {
    const group = lang === 'zh' ? zhWord(c.group) : c.group;
    const name = commandName(c);
    const required = c.params.filter((p) => p.required === true).map((p) => `${p.name}=`);
    const text = [name, ...required, ...(c.destructive ? ['CONFIRM=YES'] : [])].join(' ');
    const label = lang === 'zh' ? zhCommandHelp(name, c.help) : c.help;
    (tree[group] ??= { icon: ICONS[c.group] ?? '❓', commands: {} }).commands[`${name}: ${label}`] = text;
  }
  return tree;
}
