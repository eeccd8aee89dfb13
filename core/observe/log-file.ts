// Reading a day's log file back (DSP LOG DATE=..., as the original's DSP LOG read logs/<date>/): where
// it is, and its newest records, parsed from the lines the logger writes
// ("2026-11-24 09:30:00.123 [INFO    ] [registrar] text"). A line that does not start so continues the
// record above it (a DEBUG record may span lines). Only the file's last MAX_READ_BYTES are read: a
// day's file at DEBUG can be hundreds of MB, and this runs on the event loop.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { LogLevel } from './log';
import {
  CONTINUATION,
  localStamp,
  LOG_FILE_NAME,
  RECENT_RECORDS,
  recordFilter,
  type Logger,
  type LogRecord,
  type RecentLogFilter,
} from './logger';

/** How much of the end of a file is read at most. */
export const MAX_READ_BYTES = 16 * 1024 * 1024;

const LINE =
  /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)\.(\d{3}) \[(DEBUG|INFO|WARNING|ERROR)\s*\] \[([^\]]*)\] ?/;

/** <dataDir>/logs/<day>/ims-sip-server.log */
export function logFileOf(dataDir: string, day: string): string {
  return join(dataDir, 'logs', day, LOG_FILE_NAME);
}

export interface LogFileTail {
  records: LogRecord[];
  /** The file is longer than what was read: older records were not looked at. */
  truncated: boolean;
}

/**
 * The newest `limit` records of a log file that match, oldest first. Throws the file system's error
 * (ENOENT when the day has no log).
 */
export function readLogFileTail(
  file: string,
  limit: number,
  filter: RecentLogFilter = {},
  maxBytes = MAX_READ_BYTES,
): LogFileTail {
  const fd = openSync(file, 'r');
  let text: string;
  let truncated: boolean;
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, maxBytes);
    const buf = Buffer.allocUnsafe(length);
    let read = 0;
    while (read < length) {
      const n = readSync(fd, buf, read, length - read, size - length + read);
      if (n === 0) break;
      read += n;
    }
    truncated = length < size;
    text = buf.toString('utf8', 0, read);
  } finally {
    closeSync(fd);
  }
  // A cut file starts inside a line: that part line is not a record of its own.
  const lines = text.split('\n');
  if (truncated) lines.shift();
  const records: LogRecord[] = [];
  for (const line of lines) {
    const m = LINE.exec(line);
    if (m === null) {
      // A record's further lines are indented (logger.ts); older files have them as they are.
      const last = records.at(-1);
      if (last !== undefined && line !== '') {
        last.text += `\n${line.startsWith(CONTINUATION) ? line.slice(CONTINUATION.length) : line}`;
        last.line += `\n${line}`;
      }
      continue;
    }
    const [, y, mo, d, h, mi, s, ms, level, source] = m;
    records.push({
      time: new Date(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, +ms!).getTime(),
      level: level as LogLevel,
      source: source!,
      text: line.slice(m[0].length),
      line,
    });
  }
  return { records: records.filter(recordFilter(filter)).slice(-limit), truncated };
}

/** How much of today's file a start reads back: its newest lines, a few MB, parsed once at start. */
export const READ_BACK_BYTES = 8 * 1024 * 1024;

/**
 * At start, before the first line: the end of today's file into the logger's memory, so that a console
 * opened (or reconnected) after a restart still has the lines before it. Nothing when there is no file
 * yet; a file that cannot be read is said in the returned text (the logger is not ready to say it).
 */
export function rememberToday(logger: Logger, dataDir: string, now = Date.now()): string | undefined {
  try {
    logger.remember(
      readLogFileTail(logFileOf(dataDir, localStamp(now).day), RECENT_RECORDS, {}, READ_BACK_BYTES).records,
    );
    return undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `today's log file could not be read back: ${(err as Error).message}`;
  }
}
