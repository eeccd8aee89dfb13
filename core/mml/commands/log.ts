// Log commands (reference §1.2 日志管理): SET LOG (and the original's SET LOGLEVEL) changes the level at
// once, the same change as SET CFG KEY=LOG.LEVEL; DSP LOG shows the newest records kept in memory, or
// of a day's file with DATE= (as the original read logs/<date>/), filtered by level and keyword (the
// original's RECENT, SEARCH and KEYWORD were ignored, §1.2 #14); DSP LOG CFG says where and what is
// logged (the original's command tree inserted it, and it was not implemented). LIMIT is 1000 at most:
// older records page on with BEFORE=, which the answer names (its `next`, as DSP HISTORY and DSP CDR
// page): in memory, a record's number since start; in a day's file, its first byte, so that a busy
// day's file is read whole, however far back.
import { LOG_LEVELS } from '../../observe/log';
import type { LogLevel } from '../../observe/log';
import { logFileOf, MAX_READ_BYTES, READ_CHUNK_BYTES, readLogFileTailAsync } from '../../observe/log-file';
import type { LogRecord } from '../../observe/logger';
import { MmlError, ok, RETCODE } from '../command';
import type { MmlArgs } from '../command';
import type { MmlCommand, MmlContext, MmlResult } from '../command';
import { localDate } from '../params';
import { limitParam, nextPageStatement } from './common';
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
  help: "Shows the newest log records (of today's memory, or of a day's file with DATE), optionally of a level and above or containing a keyword; DSP LOG CFG: the log's settings and file",
  words: { RECENT: {}, SEARCH: {}, CFG: {} },
  params: [
    limitParam(20, 1000, ['LINES']),
    { name: 'LEVEL', type: 'enum', values: LOG_LEVELS, help: 'Only records at this level or above' },
    {
      name: 'KEYWORD',
      type: 'string',
      min: 1,
      help: 'Only records whose text or source contains this (any case)',
    },
    { name: 'DATE', type: 'date', help: "Read that day's file, logs/<date>/ims-sip-server.log" },
    {
      name: 'BEFORE',
      type: 'integer',
      min: 0,
      help: 'Paging: only records older than this place (the answer of the previous page gives the command)',
    },
  ],
  handler: async (args, ctx) => {
    if (args.words.includes('CFG')) return logSettings(ctx);
    const filter = { level: args.optStr('LEVEL') as LogLevel | undefined, keyword: args.optStr('KEYWORD') };
    const date = args.optStr('DATE');
    const limit = args.int('LIMIT');
    const before = args.optInt('BEFORE');
    if (date === undefined) {
      const { records, next } = ctx.log.recentPage(limit, filter, before);
      // The level written now, then what was asked (LEVEL=WARNING beside "Log level INFO" read as a filter).
      const shown = filter.level === undefined ? '' : `, ${filter.level} and above shown`;
      return recordsResult(
        `Log level ${ctx.log.level}${shown}; ${records.length} record(s)`,
        records,
        nextPage(args, next),
      );
    }
    const file = logFileOf(ctx.dataDir, date);
    let tail;
    try {
      tail = await readLogFileTailAsync(file, limit, filter, MAX_READ_BYTES, READ_CHUNK_BYTES, before);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new MmlError(RETCODE.NOT_FOUND, `No log file for ${date}: ${file}`);
      throw new MmlError(RETCODE.OPERATION_FAILED, `Cannot read ${file}: ${(err as Error).message}`);
    }
    return recordsResult(
      `${file}: ${tail.records.length} record(s)`,
      tail.records,
      nextPage(args, tail.next),
    );
  },
};

/** The command that shows the records before `next` with the same filters, when there are any. */
function nextPage(args: MmlArgs, next: number | undefined): string | undefined {
  if (next === undefined) return undefined;
  return nextPageStatement('DSP LOG', args, ['DATE', 'LEVEL', 'KEYWORD'], {
    LIMIT: args.int('LIMIT'),
    BEFORE: next,
  });
}

function recordsResult(message: string, records: readonly LogRecord[], next?: string): MmlResult {
  const result = ok(next === undefined ? message : `${message}; older records: ${next}`, [
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
  return next === undefined ? result : { ...result, next };
}

/** DSP LOG CFG: the level, today's file and the memory the console's log view reads. */
function logSettings(ctx: MmlContext): MmlResult {
  return ok(undefined, [
    {
      title: 'Log settings',
      columns: [
        { name: 'Level', type: 'string' },
        { name: "Today's file", type: 'string' },
        { name: 'Line format', type: 'string' },
      ],
      rows: [
        [
          ctx.log.level,
          logFileOf(ctx.dataDir, localDate(ctx.now())),
          'YYYY-MM-DD HH:MM:SS.mmm [LEVEL   ] [source] text',
        ],
      ],
    },
  ]);
}

export function logCommands(): MmlCommand[] {
  return [setLog, dspLog];
}
