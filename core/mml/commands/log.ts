// Log commands (reference §1.2 日志管理): SET LOG (and the original's SET LOGLEVEL) changes the level at
// once, the same change as SET CFG KEY=LOG.LEVEL; DSP LOG shows the newest records kept in memory,
// filtered by level and keyword (the original's RECENT, SEARCH and KEYWORD were ignored, §1.2 #14).
import { LOG_LEVELS } from '../../observe/log';
import type { LogLevel } from '../../observe/log';
import { ok } from '../command';
import type { MmlCommand } from '../command';
import { limitParam } from './common';
import { changeSetting } from './config';

const setLog: MmlCommand = {
  verb: 'SET',
  object: 'LOG',
  aliases: ['LOGLEVEL'],
  group: 'Log',
  help: 'Changes the log level at once (SAVE CFG keeps it across restarts)',
  params: [
    {
      name: 'LEVEL',
      type: 'enum',
      values: LOG_LEVELS,
      required: true,
      aliases: ['LOGLEVEL'],
      help: 'The lowest level logged',
    },
  ],
  handler: (args, ctx) => changeSetting(ctx, 'LOG.LEVEL', args.str('LEVEL')),
};

const dspLog: MmlCommand = {
  verb: 'DSP',
  object: 'LOG',
  group: 'Log',
  help: 'Shows the newest log records, optionally of a level and above or containing a keyword',
  words: { RECENT: {}, SEARCH: {} },
  params: [
    limitParam(20, 1000, ['LINES']),
    { name: 'LEVEL', type: 'enum', values: LOG_LEVELS, help: 'Only records at this level or above' },
    {
      name: 'KEYWORD',
      type: 'string',
      min: 1,
      help: 'Only records whose text or source contains this (any case)',
    },
  ],
  handler: (args, ctx) => {
    const records = ctx.log.recent(args.int('LIMIT'), {
      level: args.optStr('LEVEL') as LogLevel | undefined,
      keyword: args.optStr('KEYWORD'),
    });
    return ok(`Log level ${ctx.log.level}; ${records.length} record(s)`, [
      {
        title: 'Log',
        columns: [
          { name: 'Time', type: 'time' },
          { name: 'Level', type: 'string' },
          { name: 'Source', type: 'string' },
          { name: 'Text', type: 'string' },
        ],
        rows: records.map((r) => [r.time, r.level, r.source, r.text]),
      },
    ]);
  },
};

export function logCommands(): MmlCommand[] {
  return [setLog, dspLog];
}
