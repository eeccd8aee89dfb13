// System commands (reference §1.2 系统管理): DSP SYSINFO (version, Node, OS, uptime, CPU, memory, data
// directory) and DSP HISTORY, the persistent command history. HELP is the registry's own (help.ts).
import {
  arch,
  cpus,
  freemem,
  hostname,
  loadavg,
  release,
  totalmem,
  type,
  uptime as hostUptime,
} from 'node:os';
import { processStartedAt } from '../../observe/metrics';
import { processMemory } from '../../observe/process-memory';
import { IMS_VERSION } from '../../version';
import { ok } from '../command';
import type { MmlCommand } from '../command';
import { limitParam, megabytes } from './common';

const MB = 1024 * 1024;

/** 93784 → "1d 2h 3m 4s". */
export function duration(seconds: number): string {
  const s = Math.floor(seconds);
  const parts = [
    [Math.floor(s / 86_400), 'd'],
    [Math.floor((s % 86_400) / 3600), 'h'],
    [Math.floor((s % 3600) / 60), 'm'],
  ] as const;
  const head = parts.findIndex(([n]) => n > 0);
  return [...(head < 0 ? [] : parts.slice(head)).map(([n, u]) => `${n}${u}`), `${s % 60}s`].join(' ');
}

const dspSysinfo: MmlCommand = {
  verb: 'DSP',
  object: 'SYSINFO',
  group: 'System',
  help: 'Shows the version, platform, uptime, CPU, memory and data directory',
  params: [],
  handler: (_args, ctx) => {
    const processUptime = process.uptime();
    const cores = cpus();
    const memory = processMemory();
    return ok(undefined, [
      {
        title: 'System information',
        columns: [
          { name: 'Product', type: 'string' },
          { name: 'Version', type: 'string' },
          { name: 'Node', type: 'string' },
          { name: 'OS', type: 'string' },
          { name: 'Host', type: 'string' },
          { name: 'Started', type: 'time' },
          { name: 'Uptime', type: 'string' },
          { name: 'Host uptime', type: 'string' },
          { name: 'CPU', type: 'string' },
          { name: 'CPU cores', type: 'integer' },
          { name: 'Load average', type: 'string' },
          { name: 'Memory total (MB)', type: 'integer' },
          { name: 'Memory free (MB)', type: 'integer' },
          { name: 'Process memory (MB)', type: 'number' },
          { name: 'Heap used (MB)', type: 'number' },
          { name: 'Data directory', type: 'string' },
          { name: 'Users', type: 'integer' },
          { name: 'Registrations', type: 'integer' },
        ],
        rows: [
          [
            'IMS Lab',
            IMS_VERSION,
            process.version,
            `${type()} ${release()} ${arch()}`,
            hostname(),
            processStartedAt(),
            duration(processUptime),
            duration(hostUptime()),
            cores[0]?.model.trim() ?? 'unknown',
            cores.length,
            loadavg()
              .map((n) => n.toFixed(2))
              .join(' '),
            Math.round(totalmem() / MB),
            Math.round(freemem() / MB),
            // To two decimals, as DSP PERF shows the same figures (not 142.84765625).
            megabytes(memory.rss),
            megabytes(memory.heapUsed),
            ctx.dataDir,
            ctx.users.count(),
            ctx.location.bindingCount,
          ],
        ],
      },
    ]);
  },
};

/**
 * Characters of a command DSP HISTORY shows: one long command (a NAME of 5,000 characters) padded every
 * row of the text to its width (1,000 rows were 5.2 MB, 4.6 s to draw in the terminal).
 */
export const HISTORY_COMMAND_SHOWN = 200;

/** A command cut to HISTORY_COMMAND_SHOWN characters, "…" saying so. */
function shownCommand(command: string): string {
  const chars = Array.from(command);
  return chars.length <= HISTORY_COMMAND_SHOWN
    ? command
    : `${chars.slice(0, HISTORY_COMMAND_SHOWN - 1).join('')}…`;
}

const dspHistory: MmlCommand = {
  verb: 'DSP',
  object: 'HISTORY',
  group: 'System',
  help: 'Shows the commands run, newest last (kept across restarts; a command over 200 characters cut)',
  params: [
    limitParam(20, 1000),
    {
      name: 'WHO',
      type: 'string',
      help: 'Only the commands of this operator: a name (admin) from any address, or name@address exactly',
    },
    {
      name: 'BEFORE',
      type: 'integer',
      min: 1,
      help: 'Only the commands numbered below this (the page before one whose first No. it is)',
    },
  ],
  handler: (args, ctx) => {
    const limit = args.int('LIMIT');
    const who = args.optStr('WHO');
    const entries = ctx.history.recent(limit, who, args.optInt('BEFORE'));
    // A full page may have older commands behind it (10,000 are kept): the command that shows them.
    const first = entries[0]?.id;
    const older =
      entries.length === limit && first !== undefined && ctx.history.recent(1, who, first).length > 0
        ? `DSP HISTORY BEFORE=${first}${limit === 20 ? '' : ` LIMIT=${limit}`}${who === undefined ? '' : ` WHO=${JSON.stringify(who)}`}`
        : undefined;
    const result = ok(older === undefined ? undefined : `Older commands: ${older}`, [
      {
        title: 'Command history',
        columns: [
          { name: 'No.', type: 'integer' },
          { name: 'Time', type: 'time' },
          { name: 'Who', type: 'string' },
          { name: 'Command', type: 'string' },
          { name: 'RETCODE', type: 'integer' },
          { name: 'Message', type: 'string' },
        ],
        rows: entries.map((e) => [e.id, e.at, e.who, shownCommand(e.command), e.retcode, e.message]),
        // Every command kept (of WHO): a page of a long history says how many there are in all.
        total: ctx.history.count(who),
      },
    ]);
    return older === undefined ? result : { ...result, next: older };
  },
};

export function systemCommands(): MmlCommand[] {
  return [dspSysinfo, dspHistory];
}
