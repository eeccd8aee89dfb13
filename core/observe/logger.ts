// The appliance's logger: levels DEBUG/INFO/WARNING/ERROR, one line per record
// ("2026-11-24 09:30:00.123 [INFO    ] [registrar] text"), to the console, to the original's file layout
// logs/YYYY-MM-DD/ims-sip-server.log under the data folder (appended, a new folder each day), and to
// subscribers (the live log topic). Writing never blocks the caller (the SIP path): a record is queued,
// the console gets the queued lines in one write per batch, and the file gets them by asynchronous
// appends, in order, every 100 ms; close() writes what is left and waits for it (at stop), a bounded
// time. While the appliance is built (writeAtOnce), lines are written as they come: it may upgrade a
// database meanwhile. What waits is bounded: a file write that does not complete (a FIFO nobody reads,
// a hung mount) or a console nobody reads (stdout a stalled pipe, or a terminal: written without waiting,
// terminal-output.ts) has lines dropped and counted beyond a cap, said once writing works again, and a
// stuck file write is a problem() for /healthz.
import { closeSync, constants, mkdirSync, openSync, writeSync } from 'node:fs';
import { mkdir, open as openFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Log, LogLevel } from './log';
import { escapeControls } from './controls';
import { RecentLog } from './recent-log';
import { drained, processOutputWithoutWaiting } from './terminal-output';

export { CONTROL_BUT_LINES, escapeControls } from './controls';

/** The day's file, in logs/<YYYY-MM-DD>/ under the data folder (the original's name). */
export const LOG_FILE_NAME = 'ims-sip-server.log';
/** A line's time stamp, `2026-12-07 15:46:48.298`, its first characters. */
const STAMP_LENGTH = 23;

const RANK: Record<LogLevel, number> = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40 };

export interface LogRecord {
  time: number;
  level: LogLevel;
  source: string;
  text: string;
  line: string;
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

export function localStamp(t: number): { day: string; stamp: string } {
  const d = new Date(t);
  const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return {
    day,
    stamp: `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`,
  };
}

export interface LoggerOptions {
  level: LogLevel;
  /** Folder that holds logs/<day>/ims-sip-server.log; undefined: no file. */
  dataDir?: string;
  console?: boolean;
  /**
   * Records kept in memory for DSP LOG and the console's Logs view, which asks for up to its largest
   * "Lines kept" when it opens (default RECENT_RECORDS; 0: none).
   */
  recentCapacity?: number;
  /** Their text at most, in characters (default RECENT_CHARS): DEBUG records hold whole SIP messages. */
  recentChars?: number;
  /** File lines waiting for a write that does not complete, in characters at most (default BACKLOG_CHARS). */
  backlogChars?: number;
  /** The console's streams (default process.stdout and process.stderr). */
  stdout?: Writable;
  stderr?: Writable;
}

/**
 * Records kept in memory: 10,000 INFO lines take 7.7 MB of heap (50,000, the console's largest "Lines
 * kept", took 38.6 MB, too much beside the soak's 300 MB target); a console keeping more gets these and
 * then the lines as they come.
 */
export const RECENT_RECORDS = 10_000;
/** 16 MB of text at most: 10,000 INFO lines fit; at DEBUG, with a SIP message a record, some thousands. */
export const RECENT_CHARS = 16 * 1024 * 1024;
/** WARNING and ERROR records kept besides, however many lines came after them. */
export const RECENT_ALERTS = 1000;

/** A selection of recent records. */
export interface RecentLogFilter {
  /** Only records at this level or above. */
  level?: LogLevel;
  /** Only records whose text or source contains this, ignoring case. */
  keyword?: string;
}

/** The indent of a record's further lines in the file: no line a record carries can pass for a record. */
export const CONTINUATION = '    ';

const indented = (text: string): string =>
  text.includes('\n') ? text.replace(/\n/g, `\n${CONTINUATION}`) : text;

/** The test a record passes to be in a selection (DSP LOG, from memory or from a day's file). */
export function recordFilter(filter: RecentLogFilter): (r: LogRecord) => boolean {
  const minRank = filter.level === undefined ? 0 : RANK[filter.level];
  const keyword = filter.keyword?.toLowerCase();
  return (r) =>
    RANK[r.level] >= minRank &&
    (keyword === undefined ||
      r.text.toLowerCase().includes(keyword) ||
      r.source.toLowerCase().includes(keyword));
}

/** How long lines wait to be written together. */
const BATCH_MS = 100;

/**
 * File lines waiting while a write does not complete, in characters, beyond which they are dropped and
 * counted; a console stream's unwritten bytes likewise. At DEBUG, 250 calls/s write ~2 MB/s.
 */
export const BACKLOG_CHARS = 8 * 1024 * 1024;
/** A file write pending this long is a problem() (/healthz degraded). */
export const STUCK_WRITE_MS = 5000;
/** close() waits this long at most for the file's writes (at stop): then the lines left are given up. */
export const CLOSE_WAIT_MS = 2000;

/**
 * The file opened to append without waiting: a FIFO in its place nobody reads (a log shipper down) is
 * refused (ENXIO; a full one EAGAIN), its lines lost and counted as for a full disk, where a blocking open
 * never returned: a thread of the pool held for good, which process.exit() waits for (SIGTERM never
 * finished). A regular file is written as before.
 */
const APPEND_NO_WAIT = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;

const charsOf = (lines: readonly string[]): number => lines.reduce((n, l) => n + l.length + 1, 0);

/** Loggers with lines to lose if the process exits before their batch is written (see onExit). */
const open = new Set<Logger>();
let exitHooked = false;

/** At process exit (process.exit, a crash) the queued lines are written synchronously: none is lost. */
function onExit(): void {
  for (const logger of open) logger.flushSync();
}

export class Logger {
  private levelRank: number;
  private readonly listeners = new Set<(r: LogRecord) => void>();
  /** File lines waiting, by day (a batch may cross midnight). */
  private pending: { day: string; lines: string[] }[] = [];
  /** Console lines waiting: [stderr?, line]. */
  private consolePending: [boolean, string][] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** File batches handed on, appended one after the other in order, and their characters. */
  private fileQueue: { day: string; lines: string[] }[] = [];
  private fileQueueChars = 0;
  /** The appends run (drain), and resolves once fileQueue is empty. */
  private draining: Promise<void> | undefined;
  /** The append in flight: its file, and since when. */
  private appending: { file: string; since: number } | undefined;
  /** Console lines dropped, stdout's and stderr's, while their reader did not keep up. */
  private readonly consoleDropped = { stdout: 0, stderr: 0 };
  /** The newest records written, and the newest warnings and errors. */
  private readonly kept: RecentLog;

  constructor(private readonly options: LoggerOptions) {
    this.levelRank = RANK[options.level];
    this.kept = new RecentLog({
      records: options.recentCapacity ?? RECENT_RECORDS,
      chars: options.recentChars ?? RECENT_CHARS,
      alerts: RECENT_ALERTS,
    });
    // The process's own terminal: written without waiting, as a pipe is (its lines bounded below).
    if (options.console !== false && (options.stdout === undefined || options.stderr === undefined))
      processOutputWithoutWaiting();
    if (options.console !== false || options.dataDir !== undefined) {
      open.add(this);
      if (!exitHooked) {
        process.on('exit', onExit);
        exitHooked = true;
      }
    }
  }

  get level(): LogLevel {
    return this.options.level;
  }

  setLevel(level: LogLevel): void {
    this.options.level = level;
    this.levelRank = RANK[level];
  }

  enabled(level: LogLevel): boolean {
    return RANK[level] >= this.levelRank;
  }

  /** A Log for one component; its name appears in every line. */
  for(source: string): Log {
    return {
      debug: (m) => this.write('DEBUG', source, m),
      info: (m) => this.write('INFO', source, m),
      warning: (m) => this.write('WARNING', source, m),
      error: (m) => this.write('ERROR', source, m),
    };
  }

  subscribe(listener: (r: LogRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(level: LogLevel, source: string, raw: string): void {
    if (RANK[level] < this.levelRank) return;
    const time = Date.now();
    const { day, stamp } = localStamp(time);
    const text = escapeControls(raw);
    const line = `${stamp} [${level.padEnd(8)}] [${source}] ${indented(text)}`;
    if (this.options.console !== false) this.consolePending.push([level === 'ERROR', line]);
    if (this.options.dataDir !== undefined) {
      const last = this.pending.at(-1);
      if (last !== undefined && last.day === day) last.lines.push(line);
      else this.pending.push({ day, lines: [line] });
    }
    if (this.atOnce) this.flushSync();
    else if (this.options.console !== false || this.options.dataDir !== undefined) {
      this.flushTimer ??= setTimeout(() => this.flush(), BATCH_MS).unref();
    }
    const record: LogRecord = { time, level, source, text, line };
    this.kept.push(record);
    for (const l of this.listeners) l(record);
  }

  /** Lines are written as they come (writeAtOnce). */
  private atOnce = false;

  /**
   * Writes each line as it comes, console and file, while on: for start-up, whose long synchronous work
   * (a database upgrade) holds the loop, so a batched line saying what is being done would wait it out.
   * Never while the SIP path runs.
   */
  writeAtOnce(on: boolean): void {
    this.atOnce = on;
    if (on) this.flushSync();
  }

  /**
   * The newest `limit` records in memory that match the filter, oldest first (with, before those held,
   * the warnings and errors older than them).
   */
  recent(limit: number, filter: RecentLogFilter = {}): LogRecord[] {
    return this.kept.newest(limit, recordFilter(filter));
  }

  /**
   * As recent(), of the records numbered below `before` (numbered in the order written since start), and
   * `next`: the number to page on with when older records match (DSP LOG BEFORE=).
   */
  recentPage(
    limit: number,
    filter: RecentLogFilter = {},
    before?: number,
  ): { records: LogRecord[]; next?: number } {
    return this.kept.page(limit, recordFilter(filter), before);
  }

  /**
   * Records written before this logger, oldest first, taken into memory as if just written (not written
   * again): at start, the end of today's file, so that a console opened after a restart has the lines
   * before it (the last process's, its stop included).
   */
  remember(records: readonly LogRecord[]): void {
    for (const r of records) this.kept.push(r);
  }

  /** What the memory holds: records, their text in characters, and warnings or errors kept besides. */
  held(): { records: number; chars: number; alerts: number } {
    return this.kept.size();
  }

  /**
   * Hands the queued lines on: the console's in one write per stream, the file's to an asynchronous
   * append (in order after those in flight). Does not wait for the file: see close().
   */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.consolePending.length > 0) {
      const out = this.consolePending;
      this.consolePending = [];
      const text = (toErr: boolean): string =>
        out
          .filter(([e]) => e === toErr)
          .map(([, l]) => `${l}\n`)
          .join('');
      this.toConsole('stdout', text(false));
      this.toConsole('stderr', text(true));
    }
    if (this.pending.length === 0 || this.options.dataDir === undefined) return;
    const batches = this.pending;
    this.pending = [];
    const cap = this.options.backlogChars ?? BACKLOG_CHARS;
    for (const batch of batches) {
      const chars = charsOf(batch.lines);
      // A batch is taken when none waits (however large); beyond the cap, dropped and counted.
      if (this.fileQueue.length > 0 && this.fileQueueChars + chars > cap) {
        const file = this.appending?.file ?? this.fileOf(batch.day);
        this.lose(
          file,
          batch.lines,
          `writes to it did not complete, and more than ${Math.round(cap / 1024)} KB of lines waited`,
        );
        continue;
      }
      this.fileQueue.push(batch);
      this.fileQueueChars += chars;
    }
    this.draining ??= this.drain();
  }

  /** A console stream's lines, unless its reader has not taken the last ones (then dropped, counted). */
  private toConsole(name: 'stdout' | 'stderr', text: string): void {
    if (text === '') return;
    const stream = this.options[name] ?? process[name];
    const lines = text.split('\n').length - 1;
    if (stream.writableLength > (this.options.backlogChars ?? BACKLOG_CHARS)) {
      this.consoleDropped[name] += lines;
      return;
    }
    const dropped = this.consoleDropped[name];
    this.consoleDropped[name] = 0;
    const note =
      dropped > 0
        ? `${localStamp(Date.now()).stamp} [${'WARNING'.padEnd(8)}] [logger] ${dropped} log line(s) were ` +
          `not written to the ${name === 'stdout' ? 'standard output' : 'standard error'}: its reader did not ` +
          `keep up (the log file has them)\n`
        : '';
    stream.write(`${note}${text}`);
  }

  private fileOf(day: string): string {
    return join(this.options.dataDir!, 'logs', day, LOG_FILE_NAME);
  }

  /** Appends the queued batches, in order, until none is left. */
  private async drain(): Promise<void> {
    for (let batch = this.fileQueue.shift(); batch !== undefined; batch = this.fileQueue.shift()) {
      this.fileQueueChars -= charsOf(batch.lines);
      await this.append(batch);
    }
    this.draining = undefined;
  }

  private async append({ day, lines }: { day: string; lines: string[] }): Promise<void> {
    const file = this.fileOf(day);
    this.appending = { file, since: Date.now() };
    try {
      await mkdir(join(this.options.dataDir!, 'logs', day), { recursive: true });
      const handle = await openFile(file, APPEND_NO_WAIT, 0o666);
      try {
        await handle.appendFile(`${lines.join('\n')}\n`);
      } finally {
        await handle.close();
      }
      this.writeProblem = undefined;
      if (this.linesLost > 0) {
        (this.options.stderr ?? process.stderr).write(
          `logger: ${file} is written again (${this.linesLost} lines lost meanwhile)\n`,
        );
        // The file itself, DSP LOG and the Logs view mark the gap (stderr is not kept anywhere a
        // headless server's operator reads later).
        this.write(
          'WARNING',
          'logger',
          `${this.linesLost} log line(s) from ${this.lostFrom} to ${this.lostTo} could not be written ` +
            `to this file (${this.lostWhy}); DSP LOG and the console's Logs view show them while they are kept`,
        );
      }
      this.linesLost = 0;
    } catch (err) {
      // Said by problem() to /healthz while it lasts.
      this.writeProblem = `log lines cannot be written to ${file}: ${String(err)}`;
      this.lose(file, lines, String(err));
    } finally {
      this.appending = undefined;
    }
  }

  /**
   * Lines that do not reach the file: said on stderr once an outage, counted, and named in a WARNING
   * (in the file, DSP LOG and the Logs view) once the file is written again.
   */
  private lose(file: string, lines: readonly string[], why: string): void {
    if (this.linesLost === 0) {
      (this.options.stderr ?? process.stderr).write(`logger: cannot write ${file}: ${why}\n`);
      this.lostFrom = lines[0]!.slice(0, STAMP_LENGTH);
      this.lostWhy = why;
    }
    this.lostTo = lines.at(-1)!.slice(0, STAMP_LENGTH);
    this.linesLost += lines.length;
  }

  /** The last write to the log file failed, and why (a full disk, a folder gone); undefined when well. */
  private writeProblem: string | undefined;
  /** Lines lost since writes to the log file began failing (0: they work). */
  private linesLost = 0;
  /** The first and last lost lines' time stamps, and the first failure. */
  private lostFrom = '';
  private lostTo = '';
  private lostWhy = '';

  /**
   * What keeps log lines from their file now, for /healthz; undefined when they are written: a write
   * that fails, or one pending STUCK_WRITE_MS or more (the lines after it wait, and beyond a cap are lost).
   */
  problem(): string | undefined {
    const a = this.appending;
    if (a !== undefined && Date.now() - a.since >= STUCK_WRITE_MS) {
      const seconds = Math.floor((Date.now() - a.since) / 1000);
      return `a write of log lines to ${a.file} has not completed for ${seconds} s (lines wait, and are dropped beyond ${Math.round((this.options.backlogChars ?? BACKLOG_CHARS) / 1024)} KB)`;
    }
    return this.writeProblem;
  }

  /** File lines handed on and not yet written (in characters, the append in flight not counted). */
  backlog(): number {
    return this.fileQueueChars;
  }

  /**
   * Writes everything queued and resolves once it is in the file and taken by the console's reader (at
   * stop: the process may exit next, and what a stream still holds then is lost), or after CLOSE_WAIT_MS
   * at most: a write that does not complete (a FIFO nobody reads, a hung mount, a terminal nobody reads)
   * must not keep the process.
   */
  async close(): Promise<void> {
    this.flush();
    const waits: Promise<void>[] = [];
    if (this.draining !== undefined) waits.push(this.draining);
    if (this.options.console !== false)
      for (const name of ['stdout', 'stderr'] as const)
        waits.push(drained(this.options[name] ?? process[name], CLOSE_WAIT_MS));
    if (waits.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const waited = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, CLOSE_WAIT_MS);
        timer.unref();
      });
      await Promise.race([Promise.all(waits), waited]);
      clearTimeout(timer);
    }
    open.delete(this);
  }

  /**
   * Writes what is queued synchronously: only for the process's exit and writeAtOnce, never on the SIP
   * path. The file is opened without blocking: a FIFO nobody reads (ENXIO) must not hold the exit.
   */
  flushSync(): void {
    const dataDir = this.options.dataDir;
    const batches = [...this.fileQueue, ...this.pending];
    this.fileQueue = [];
    this.fileQueueChars = 0;
    this.pending = [];
    this.flush(); // the console part (synchronous already); no file lines are left for it
    if (dataDir === undefined) return;
    for (const { day, lines } of batches) {
      const file = this.fileOf(day);
      try {
        mkdirSync(join(dataDir, 'logs', day), { recursive: true });
        const fd = openSync(file, APPEND_NO_WAIT, 0o666);
        try {
          writeSync(fd, `${lines.join('\n')}\n`);
        } finally {
          closeSync(fd);
        }
      } catch (err) {
        this.lose(file, lines, String(err));
      }
    }
  }
}
