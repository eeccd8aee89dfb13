// The appliance's logger: levels DEBUG/INFO/WARNING/ERROR, one line per record
// ("2026-11-24 09:30:00.123 [INFO   ] [registrar] text"), to the console, to the original's file layout
// logs/YYYY-MM-DD/ims-sip-server.log under the data folder (appended, a new folder each day), and to
// subscribers (the live log topic). File writes are buffered and flushed every 200 ms or on close.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Log, LogLevel } from './log';

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
  /** Records kept in memory for DSP LOG and the log view (default 1000, the original's LOG.MAX_ENTRIES). */
  recentCapacity?: number;
}

/** A selection of recent records. */
export interface RecentLogFilter {
  /** Only records at this level or above. */
  level?: LogLevel;
  /** Only records whose text or source contains this, ignoring case. */
  keyword?: string;
}

export class Logger {
  private levelRank: number;
  private readonly listeners = new Set<(r: LogRecord) => void>();
  private pending: string[] = [];
  private pendingDay = '';
  private flushTimer: NodeJS.Timeout | undefined;
  /** A ring of the newest records written; `ringNext` is where the next one goes. */
  private readonly ring: LogRecord[] = [];
  private ringNext = 0;

  constructor(private readonly options: LoggerOptions) {
    this.levelRank = RANK[options.level];
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

  write(level: LogLevel, source: string, text: string): void {
    if (RANK[level] < this.levelRank) return;
    const time = Date.now();
    const { day, stamp } = localStamp(time);
    const line = `${stamp} [${level.padEnd(7)}] [${source}] ${text}`;
    if (this.options.console !== false)
      (level === 'ERROR' ? process.stderr : process.stdout).write(`${line}\n`);
    if (this.options.dataDir !== undefined) {
      if (day !== this.pendingDay) this.flush();
      this.pendingDay = day;
      this.pending.push(line);
      this.flushTimer ??= setTimeout(() => this.flush(), 200).unref();
    }
    const record: LogRecord = { time, level, source, text, line };
    const capacity = this.options.recentCapacity ?? 1000;
    if (capacity > 0) {
      if (this.ring.length < capacity) this.ring.push(record);
      else this.ring[this.ringNext] = record;
      this.ringNext = (this.ringNext + 1) % capacity;
    }
    for (const l of this.listeners) l(record);
  }

  /** The newest `limit` records in memory that match the filter, oldest first. */
  recent(limit: number, filter: RecentLogFilter = {}): LogRecord[] {
    const out: LogRecord[] = [];
    const minRank = filter.level === undefined ? 0 : RANK[filter.level];
    const keyword = filter.keyword?.toLowerCase();
    const n = this.ring.length;
    for (let k = 1; k <= n && out.length < limit; k++) {
      const r = this.ring[(this.ringNext - k + n) % n]!;
      if (RANK[r.level] < minRank) continue;
      if (
        keyword !== undefined &&
        !r.text.toLowerCase().includes(keyword) &&
        !r.source.toLowerCase().includes(keyword)
      )
        continue;
      out.push(r);
    }
    return out.reverse();
  }

  /** Writes buffered lines to the day's file. */
  flush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0 || this.options.dataDir === undefined) return;
    const dir = join(this.options.dataDir, 'logs', this.pendingDay);
    const lines = this.pending;
    this.pending = [];
    try {
      mkdirSync(dir, { recursive: true });
      appendFileSync(join(dir, 'ims-sip-server.log'), `${lines.join('\n')}\n`);
    } catch (err) {
      process.stderr.write(`logger: cannot write ${dir}: ${String(err)}\n`);
    }
  }
}
