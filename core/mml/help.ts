// HELP, built from the registry's declarations so that it lists every command and every parameter:
//   HELP / HELP ALL            all commands, by group
//   HELP DSP                   the commands of a verb
//   HELP DSP USER, HELP CMD="DSP USER"   one command: its parameters, types, defaults, allowed values
//   HELP PARAM=USERNAME        the commands that take a parameter
//   HELP HOTKEY                the console terminal's keys (the original's command tree offered it)
import { closest } from '../config/closest';
import { allParams, commandName, failure, ok, RETCODE } from './command';
import type { MmlCommand, MmlParam, MmlResult, MmlTable } from './command';
import { zhCommandHelp, zhWord } from './lang';
import { allowed } from './params';
import { ZH_PARAM_TYPES, zhAllowed, zhParamHelp } from './zh-params';
import type { MmlRegistry } from './registry';
import { HELP_TOPICS } from './help-topics';

export function helpCommand(registry: MmlRegistry): MmlCommand {
  return {
    verb: 'HELP',
    object: '',
    group: 'System',
    help: 'Lists the commands, or shows one command (HELP DSP USER) with its parameters; HELP HOTKEY shows the terminal keys',
    words: 'any',
    params: [
      {
        name: 'CMD',
        type: 'string',
        help: 'A command to describe, e.g. "DSP USER", a verb such as DSP, or HOTKEY (the terminal keys)',
      },
      { name: 'PARAM', type: 'string', help: 'A parameter name: lists the commands that take it' },
    ],
    handler: (args, _ctx, call) => {
      const param = args.optStr('PARAM');
      if (param !== undefined) return paramHelp(registry, param, call.lang === 'zh');
      return helpResult(registry, args.optStr('CMD') ?? args.words.join(' '), call.lang === 'zh');
    },
  };
}

/** Commands in groups (in the order their first command was registered, HELP's own last), then as registered. */
function grouped(commands: readonly MmlCommand[]): MmlCommand[] {
  const groups = [
    ...new Set([...commands.filter((c) => c.verb !== 'HELP'), ...commands].map((c) => c.group)),
  ];
  return groups.flatMap((g) => commands.filter((c) => c.group === g));
}

function listTable(title: string, commands: readonly MmlCommand[], zh = false): MmlTable {
  return {
    title,
    columns: [
      { name: 'Command', type: 'string' },
      { name: 'Group', type: 'string' },
      { name: 'Confirm', type: 'boolean' },
      { name: 'Description', type: 'string' },
    ],
    rows: grouped(commands).map((c) =>
      zh
        ? [commandName(c), zhWord(c.group), c.destructive === true, zhCommandHelp(commandName(c), c.help)]
        : [commandName(c), c.group, c.destructive === true, c.help],
    ),
  };
}

export function helpResult(registry: MmlRegistry, topic: string, zh = false): MmlResult {
  const wanted = topic.trim().toUpperCase().replace(/\s+/g, ' ');
  const all = registry.commands();
  if (wanted === '' || wanted === 'ALL') {
    return ok(`${all.length} commands; HELP <command> (e.g. HELP DSP USER) shows its parameters`, [
      listTable('Commands', all, zh),
    ]);
  }
  if (HELP_TOPICS.includes(wanted) || wanted === 'HOTKEYS') return hotkeys(zh);
  const command = registry.get(wanted);
  if (command !== undefined) return details(command, zh);
  const ofVerb = all.filter((c) => c.verb === wanted);
  if (ofVerb.length > 0) {
    return ok(`${ofVerb.length} ${wanted} commands; HELP <command> shows its parameters`, [
      listTable(`${wanted} commands`, ofVerb, zh),
    ]);
  }
  const guess = closest(
    wanted,
    all.map((c) => commandName(c)),
  );
  return failure(
    RETCODE.UNKNOWN_COMMAND,
    `No command ${wanted}` + (guess === undefined ? '; HELP lists them all' : `. Did you mean ${guess}?`),
  );
}

/**
 * The keys of the console's MML terminal (renderer/src/views/terminal/TerminalView.tsx: onKey, onPaste):
 * the key in English and Chinese, what it does in English and Chinese.
 */
const HOTKEYS: readonly [key: string, keyZh: string, en: string, zh: string][] = [
  ['Enter', 'Enter', 'Runs the command line', '执行命令'],
  ['↑ / ↓', '↑ / ↓', 'Walks the command history', '浏览历史命令'],
  [
    'Tab',
    'Tab',
    'Completes the command or parameter name on a line with text',
    '在有内容的命令行上补全命令或参数名',
  ],
  [
    'Tab on an empty line or after Esc',
    '空命令行上或 Esc 之后的 Tab',
    'Moves the focus on to Run, as anywhere else (the keyboard can always leave the line)',
    '与其他地方一样把焦点移到“执行”（键盘总能离开命令行）',
  ],
  ['Shift+Tab', 'Shift+Tab', 'Moves the focus back', '把焦点移回前一个控件'],
  [
    'Esc',
    'Esc',
    'Hides the hints; Tab moves the focus until the line changes',
    '关闭提示；命令行改变之前 Tab 移动焦点',
  ],
  ['Ctrl+L', 'Ctrl+L', 'Clears the output', '清空输出'],
  [
    'Paste of several lines',
    '粘贴多行',
    'Runs them as a script, as mml --file does: comments and blank lines skipped, an error naming its line (one line is pasted into the line)',
    '作为脚本执行，与 mml --file 相同: 跳过注释和空行，出错时指出所在行（单行粘贴则放入命令行）',
  ],
];

function hotkeys(zh: boolean): MmlResult {
  return ok(undefined, [
    {
      title: 'Terminal keys',
      columns: [
        { name: 'Key', type: 'string' },
        { name: 'Action', type: 'string' },
      ],
      rows: HOTKEYS.map(([key, keyZh, en, cn]) => (zh ? [keyZh, cn] : [key, en])),
    },
  ]);
}

function details(c: MmlCommand, zh = false): MmlResult {
  const name = commandName(c);
  const notes = [`${name}: ${zh ? zhCommandHelp(name, c.help) : c.help}`];
  if (c.aliases?.length) notes.push(`Also written: ${c.aliases.map((a) => `${c.verb} ${a}`).join(', ')}`);
  if (c.words !== undefined && c.words !== 'any') {
    const words = Object.entries(c.words).map(([w, implied]) => {
      const meaning = Object.entries(implied).map(([k, v]) => `${k}=${v}`);
      return meaning.length === 0 ? w : `${w} (${meaning.join(' ')})`;
    });
    notes.push(`Words after the object: ${words.join(', ')}`);
  }
  if (c.atLeastOne !== undefined) notes.push(`Give at least one of ${c.atLeastOne.join(', ')}`);
  if (c.destructive) notes.push('It cannot be undone: it runs only with CONFIRM=YES');
  const params = allParams(c);
  return ok(notes.join('\n'), [
    {
      title: `Parameters of ${name}`,
      columns: [
        { name: 'Parameter', type: 'string' },
        { name: 'Type', type: 'string' },
        { name: 'Required', type: 'boolean' },
        { name: 'Default', type: 'string' },
        { name: 'Allowed', type: 'string' },
        { name: 'Description', type: 'string' },
      ],
      rows: params.map((p) => {
        const [type, what, help] = described(p, zh);
        const name = p.aliases?.length ? `${p.name} (${p.aliases.join(', ')})` : p.name;
        return [name, type, p.required === true, p.default ?? null, what, help];
      }),
    },
  ]);
}

/** A parameter's type, what it allows and its description, in Chinese with zh (HELP's own cells). */
function described(p: MmlParam, zh: boolean): [type: string, allowed: string, help: string] {
  return zh
    ? [ZH_PARAM_TYPES[p.type], zhAllowed(allowed(p)), zhParamHelp(p.help)]
    : [p.type, allowed(p), p.help];
}

function paramHelp(registry: MmlRegistry, param: string, zh = false): MmlResult {
  const name = param.trim().toUpperCase();
  const rows: unknown[][] = [];
  for (const c of grouped(registry.commands())) {
    const p = allParams(c).find((q) => q.name === name || q.aliases?.includes(name));
    if (p !== undefined) {
      const [type, what, help] = described(p, zh);
      rows.push([commandName(c), type, p.required === true, what, help]);
    }
  }
  if (rows.length === 0) {
    const every = new Set(registry.commands().flatMap((c) => allParams(c).map((p) => p.name)));
    const guess = closest(name, every);
    return failure(
      RETCODE.NOT_FOUND,
      `No command takes a parameter ${name}` + (guess === undefined ? '' : `. Did you mean ${guess}?`),
    );
  }
  return ok(`${rows.length} commands take ${name}`, [
    {
      title: `Commands with ${name}`,
      columns: [
        { name: 'Command', type: 'string' },
        { name: 'Type', type: 'string' },
        { name: 'Required', type: 'boolean' },
        { name: 'Allowed', type: 'string' },
        { name: 'Description', type: 'string' },
      ],
      rows,
    },
  ]);
}
