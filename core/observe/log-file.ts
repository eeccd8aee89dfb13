// Reading a day's log file back (DSP LOG DATE=..., as the original's DSP LOG read logs/<date>/): where
// it is, and its newest records, parsed from the lines the logger writes
// ("2026-11-24 09:30:00.123 [INFO    ] [registrar] text"). A line that does not start so continues the
// record above it (a DEBUG record may span lines). Only the file's last MAX_READ_BYTES are read: a
// day's file at DEBUG can be hundreds of MB. DSP LOG DATE= reads it off the event loop (readLogFileTailAsync:
// chunks read by the pool, parsed a chunk a turn): read at once, its 16 MB held SIP 1.1-1.9 s.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
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
  const parser = new TailParser(limit, filter);
  for (const line of lines) parser.line(line);
  return { records: parser.end(), truncated };
}

/** Lines into records, keeping the newest `limit` that match (a record matches once whole). */
class TailParser {
  private readonly kept: LogRecord[] = [];
  private current: LogRecord | undefined;
  private readonly matches: (r: LogRecord) => boolean;

  constructor(
    private readonly limit: number,
    filter: RecentLogFilter,
  ) {
    this.matches = recordFilter(filter);
  }

  line(line: string): void {
    const m = LINE.exec(line);
    if (m === null) {
      // A record's further lines are indented (logger.ts); older files have them as they are.
      const last = this.current;
      if (last !== undefined && line !== '') {
        last.text += `\n${line.startsWith(CONTINUATION) ? line.slice(CONTINUATION.length) : line}`;
        last.line += `\n${line}`;
      }
      return;
    }
    this.done();
    const [, y, mo, d, h, mi, s, ms, level, source] = m;
    this.current = {
      time: new Date(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, +ms!).getTime(),
      level: level as LogLevel,
      source: source!,
      text: line.slice(m[0].length),
      line,
    };
  }

  private done(): void {
    const r = this.current;
    this.current = undefined;
    if (r === undefined || !this.matches(r)) return;
    this.kept.push(r);
    // Trimmed now and then, not at each record: the newest `limit` are what is kept in the end.
    if (this.limit > 0 && this.kept.length >= 2 * this.limit + 1024)
      this.kept.splice(0, this.kept.length - this.limit);
  }

  end(): LogRecord[] {
    this.done();
    return this.kept.slice(-this.limit);
  }
}

/** What readLogFileTailAsync reads a turn. */
export const READ_CHUNK_BYTES = 256 * 1024;

/**
 * readLogFileTail's answer, read off the event loop: chunks read by the pool, each parsed in its own
 * turn, so that SIP is answered meanwhile (DSP LOG DATE=).
 */
export async function readLogFileTailAsync(
  file: string,
  limit: number,
  filter: RecentLogFilter = {},
  maxBytes = MAX_READ_BYTES,
  chunkBytes = READ_CHUNK_BYTES,
): Promise<LogFileTail> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const length = Math.min(size, maxBytes);
    const truncated = length < size;
    const parser = new TailParser(limit, filter);
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(length, 1)));
    let rest = '';
    // A cut file starts inside a line: that part line is not a record of its own.
    let skipFirst = truncated;
    for (let read = 0; read < length;) {
      const { bytesRead } = await handle.read(
        buf,
        0,
        Math.min(buf.length, length - read),
        size - length + read,
      );
      if (bytesRead === 0) break;
      read += bytesRead;
      const lines = (rest + decoder.write(buf.subarray(0, bytesRead))).split('\n');
      rest = lines.pop()!;
      if (skipFirst && lines.length > 0) {
        lines.shift();
        skipFirst = false;
      }
      for (const line of lines) parser.line(line);
    }
    rest += decoder.end();
    if (!skipFirst) parser.line(rest);
    return { records: parser.end(), truncated };
  } finally {
    await handle.close();
  }
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
