// The appliance's logger: levels DEBUG/INFO/WARNING/ERROR, one line per record
// ("2026-11-24 09:30:00.123 [INFO    ] [registrar] text"), to the console, to the original's file layout
// logs/YYYY-MM-DD/ims-sip-server.log under the data folder (appended, a new folder each day), and to
// subscribers (the live log topic). Writing never blocks the caller (the SIP path): a record is queued,
// the console gets the queued lines in one write per batch, and the file gets them by asynchronous
// appends, in order, every 100 ms; close() writes what is left and waits for it (at stop). While the
// appliance is built (writeAtOnce), lines are written as they come: it may upgrade a database meanwhile.
import { appendFileSync, mkdirSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Log, LogLevel } from './log';
import { escapeControls } from './controls';
import { RecentLog } from './recent-log';

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
  /** The file appends in flight, chained so that they land in order. */
  private writing: Promise<void> = Promise.resolve();
  /** The newest records written, and the newest warnings and errors. */
  private readonly kept: RecentLog;

  constructor(private readonly options: LoggerOptions) {
    this.levelRank = RANK[options.level];
    this.kept = new RecentLog({
      records: options.recentCapacity ?? RECENT_RECORDS,
      chars: options.recentChars ?? RECENT_CHARS,
      alerts: RECENT_ALERTS,
    });
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
      const stdout = text(false);
      const stderr = text(true);
      if (stdout !== '') process.stdout.write(stdout);
      if (stderr !== '') process.stderr.write(stderr);
    }
    const dataDir = this.options.dataDir;
    if (this.pending.length === 0 || dataDir === undefined) return;
    const batches = this.pending;
    this.pending = [];
    this.writing = this.writing.then(async () => {
      for (const { day, lines } of batches) {
        const dir = join(dataDir, 'logs', day);
        const file = join(dir, LOG_FILE_NAME);
        try {
          await mkdir(dir, { recursive: true });
          await appendFile(file, `${lines.join('\n')}\n`);
          this.writeProblem = undefined;
          if (this.linesLost > 0) {
            process.stderr.write(
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
          // Said on stderr (once an outage, its lines lost counted when it ends), and by problem() to
          // /healthz while it lasts.
          this.writeProblem = `log lines cannot be written to ${file}: ${String(err)}`;
          if (this.linesLost === 0) {
            process.stderr.write(`logger: cannot write ${file}: ${String(err)}\n`);
            this.lostFrom = lines[0]!.slice(0, STAMP_LENGTH);
            this.lostWhy = String(err);
          }
          this.lostTo = lines.at(-1)!.slice(0, STAMP_LENGTH);
          this.linesLost += lines.length;
        }
      }
    });
  }

  /** The last write to the log file failed, and why (a full disk, a folder gone); undefined when well. */
  private writeProblem: string | undefined;
  /** Lines lost since writes to the log file began failing (0: they work). */
  private linesLost = 0;
  /** The first and last lost lines' time stamps, and the first failure. */
  private lostFrom = '';
  private lostTo = '';
  private lostWhy = '';

  /** What keeps log lines from their file now, for /healthz; undefined when they are written. */
  problem(): string | undefined {
    return this.writeProblem;
  }

  /** Writes everything queued and resolves once it is in the file (at stop). */
  async close(): Promise<void> {
    this.flush();
    await this.writing;
    open.delete(this);
  }

  /** Writes what is queued synchronously: only for the process's exit and writeAtOnce, never on the SIP path. */
  flushSync(): void {
    const dataDir = this.options.dataDir;
    const batches = this.pending;
    this.pending = [];
    this.flush(); // the console part (synchronous already); no file lines are left for it
    if (dataDir === undefined) return;
    for (const { day, lines } of batches) {
      const dir = join(dataDir, 'logs', day);
      try {
        mkdirSync(dir, { recursive: true });
        appendFileSync(join(dir, LOG_FILE_NAME), `${lines.join('\n')}\n`);
      } catch {
        // Exiting: nowhere left to report it.
      }
    }
  }
}
