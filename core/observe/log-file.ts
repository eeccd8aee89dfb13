// Reading a day's log file back (DSP LOG DATE=..., as the original's DSP LOG read logs/<date>/): where
// it is, and its newest records, parsed from the lines the logger writes
// ("2026-11-24 09:30:00.123 [INFO    ] [registrar] text"). A line that does not start so continues the
// record above it (a DEBUG record may span lines). Only the file's last MAX_READ_BYTES are read: a
// day's file at DEBUG can be hundreds of MB. DSP LOG DATE= reads it off the event loop (readLogFileTailAsync:
// chunks read by the pool, parsed a chunk a turn): read at once, its 16 MB held SIP 1.1-1.9 s. Older
// records are paged: each record's place in the file is its first byte, and a page that leaves older
// records unread names where the next one ends (`next`, DSP LOG ... BEFORE=): a busy day's file is read
// whole, a window of MAX_READ_BYTES at a time, however large it is. A line's zoneless local stamp is read
// back to its instant in file order (log-stamp.ts: a fall-back night's repeated hour), a window after
// a look at the lines before it.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { LogLevel } from './log';
import { type ByteRange, instantBefore, LOG_LINE, LogStampClock } from './log-stamp';
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

/** <dataDir>/logs/<day>/ims-sip-server.log */
export function logFileOf(dataDir: string, day: string): string {
  return join(dataDir, 'logs', day, LOG_FILE_NAME);
}

export interface LogFileTail {
  records: LogRecord[];
  /** The file is longer than what was read: older records were not looked at. */
  truncated: boolean;
  /**
   * Where the next page (older records) ends, a byte offset in the file to read before (BEFORE=):
   * the first byte of the oldest record shown when older ones matched, else of the window read when the
   * file goes on before it; undefined when there is nothing older.
   */
  next?: number;
}

/** The part of a file a page reads: the `maxBytes` before `before` (default: its end). */
function windowOf(
  size: number,
  maxBytes: number,
  before: number | undefined,
): { start: number; end: number } {
  const end = Math.min(size, before ?? size);
  return { start: Math.max(0, end - maxBytes), end };
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
  before?: number,
): LogFileTail {
  const fd = openSync(file, 'r');
  let text: string;
  let start: number;
  let previous: number | undefined;
  try {
    const size = fstatSync(fd).size;
    const window = windowOf(size, maxBytes, before);
    start = window.start;
    const walk = instantBefore(start, size, MAX_READ_BYTES);
    let step = walk.next();
    while (!step.done) step = walk.next(readRangeSync(fd, step.value));
    previous = step.value;
    text = readRangeSync(fd, { position: start, length: window.end - start }).toString('utf8');
  } finally {
    closeSync(fd);
  }
  const parser = new TailParser(limit, filter, start, previous);
  for (const line of text.split('\n')) parser.line(line);
  return parser.end();
}

/** The bytes of a range of the file (fewer at its end). */
function readRangeSync(fd: number, { position, length }: ByteRange): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buf, read, length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return buf.subarray(0, read);
}

/** As readRangeSync, read by the pool. */
async function readRange(handle: FileHandle, { position, length }: ByteRange): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await handle.read(buf, read, length - read, position + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return buf.subarray(0, read);
}

/**
 * Lines into records, keeping the newest `limit` that match (a record matches once whole), each with its
 * first byte's offset in the file. The window read starts at `start`: past the file's start, inside a
 * line, which is not a record of its own (nor are the further lines after it). Stamps are read in file
 * order from `previous`, the instant of the record before the window (log-stamp.ts).
 */
class TailParser {
  private readonly kept: LogRecord[] = [];
  private readonly keptAt: number[] = [];
  private current: LogRecord | undefined;
  private currentAt = 0;
  private readonly matches: (r: LogRecord) => boolean;
  private readonly clock: LogStampClock;
  /** The offset of the next line; where the first record of the window starts (-1: none yet). */
  private at: number;
  private firstRecordAt = -1;
  private skipping: boolean;
  /** Records that matched in all, kept or not. */
  private matched = 0;

  constructor(
    private readonly limit: number,
    filter: RecentLogFilter,
    private readonly start = 0,
    previous?: number,
  ) {
    this.matches = recordFilter(filter);
    this.clock = new LogStampClock(previous);
    this.at = start;
    this.skipping = start > 0;
  }

  line(line: string): void {
    const at = this.at;
    // Lines are counted in bytes (UTF-8), their newline included: a record's place in the file.
    this.at += Buffer.byteLength(line) + 1;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    const m = LOG_LINE.exec(line);
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
    if (this.firstRecordAt < 0) this.firstRecordAt = at;
    this.currentAt = at;
    this.current = {
      time: this.clock.read(line),
      level: m[8] as LogLevel,
      source: m[9]!,
      text: line.slice(m[0].length),
      line,
    };
  }

  private done(): void {
    const r = this.current;
    this.current = undefined;
    if (r === undefined || !this.matches(r)) return;
    this.matched++;
    this.kept.push(r);
    this.keptAt.push(this.currentAt);
    // Trimmed now and then, not at each record: the newest `limit` are what is kept in the end.
    if (this.limit > 0 && this.kept.length >= 2 * this.limit + 1024) {
      this.kept.splice(0, this.kept.length - this.limit);
      this.keptAt.splice(0, this.keptAt.length - this.limit);
    }
  }

  end(): LogFileTail {
    this.done();
    const records = this.kept.slice(-this.limit);
    const truncated = this.start > 0;
    let next: number | undefined;
    // Older records that matched were left out: the next page ends at the oldest shown.
    if (records.length > 0 && this.matched > records.length) next = this.keptAt.at(-records.length);
    // The file goes on before the window: the next page ends where the window's first record starts
    // (the one cut by the window's start is read whole there), or at the window if none started in it.
    else if (truncated) next = this.firstRecordAt >= 0 ? this.firstRecordAt : this.start;
    return next === undefined ? { records, truncated } : { records, truncated, next };
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
  before?: number,
): Promise<LogFileTail> {
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const { start, end } = windowOf(size, maxBytes, before);
    const length = end - start;
    const walk = instantBefore(start, size, MAX_READ_BYTES);
    let step = walk.next();
    while (!step.done) step = walk.next(await readRange(handle, step.value));
    const parser = new TailParser(limit, filter, start, step.value);
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.allocUnsafe(Math.min(chunkBytes, Math.max(length, 1)));
    let rest = '';
    for (let read = 0; read < length;) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, length - read), start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
      const lines = (rest + decoder.write(buf.subarray(0, bytesRead))).split('\n');
      rest = lines.pop()!;
      for (const line of lines) parser.line(line);
    }
    parser.line(rest + decoder.end());
    return parser.end();
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
