// The log records kept in memory for the console's Logs view (its snapshot, when it opens, reloads or
// reconnects) and DSP LOG: RECENT_RECORDS (logger.ts) within a bound on their
// text (a DEBUG record holds a whole SIP message), and the newest WARNING and ERROR records in a ring of
// their own, so that a flood of INFO or DEBUG lines does not push a lock-out or a refusal out of reach.
// A push costs a few array writes: it runs for every line written, SIP path included.
import type { LogRecord } from './logger';

const RANK = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40 } as const;

/** A fixed ring of records, each numbered in the order written (the two rings merge by that number). */
class Ring {
  readonly records: (LogRecord | undefined)[];
  readonly seqs: Float64Array;
  /** Where the next record goes, and how many are held. */
  next = 0;
  count = 0;

  constructor(readonly capacity: number) {
    this.records = new Array<LogRecord | undefined>(capacity);
    this.seqs = new Float64Array(capacity);
  }

  push(r: LogRecord, seq: number): void {
    this.records[this.next] = r;
    this.seqs[this.next] = seq;
    this.next = (this.next + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
  }

  /** The slot of the k-th newest record (k from 0). */
  slot(k: number): number {
    return (this.next - 1 - k + this.capacity * 2) % this.capacity;
  }

  /** Drops the oldest record; returns it. */
  dropOldest(): LogRecord {
    const at = this.slot(this.count - 1);
    const r = this.records[at]!;
    this.records[at] = undefined;
    this.count--;
    return r;
  }
}

/** A record's share of the text bound: its message and its line (characters, about bytes). */
const sizeOf = (r: LogRecord): number => r.text.length + r.line.length + 64;

export interface RecentLogLimits {
  /** Records kept at most (0: none). */
  records: number;
  /** Their text at most, in characters (about bytes). */
  chars: number;
  /** WARNING and ERROR records kept besides, however many lines came after them. */
  alerts: number;
}

export class RecentLog {
  private readonly all: Ring | undefined;
  private readonly alerts: Ring | undefined;
  private chars = 0;
  private seq = 0;

  constructor(private readonly limits: RecentLogLimits) {
    this.all = limits.records > 0 ? new Ring(limits.records) : undefined;
    this.alerts = limits.records > 0 && limits.alerts > 0 ? new Ring(limits.alerts) : undefined;
  }

  push(r: LogRecord): void {
    const all = this.all;
    if (all === undefined) return;
    const seq = this.seq++;
    if (all.count === all.capacity) this.chars -= sizeOf(all.dropOldest());
    all.push(r, seq);
    this.chars += sizeOf(r);
    while (this.chars > this.limits.chars && all.count > 1) this.chars -= sizeOf(all.dropOldest());
    if (this.alerts !== undefined && RANK[r.level] >= RANK.WARNING) this.alerts.push(r, seq);
  }

  /**
   * The newest `limit` records that pass `wanted`, oldest first: those still held, and before them the
   * WARNING and ERROR records older than the oldest held.
   */
  newest(limit: number, wanted: (r: LogRecord) => boolean): LogRecord[] {
    return this.page(limit, wanted).records;
  }

  /**
   * As newest(), of the records numbered below `before` (each is numbered in the order written, from 0
   * at start); `next`: the number of the oldest shown when older ones pass too (the next page's before).
   */
  page(
    limit: number,
    wanted: (r: LogRecord) => boolean,
    before = Infinity,
  ): { records: LogRecord[]; next?: number } {
    const out: LogRecord[] = [];
    let oldest = 0;
    let more = false;
    const all = this.all;
    if (all === undefined || limit <= 0) return { records: out };
    const take = (r: LogRecord, seq: number): boolean => {
      if (seq >= before || !wanted(r)) return false;
      if (out.length === limit) return (more = true);
      out.push(r);
      oldest = seq;
      return false;
    };
    for (let k = 0; k < all.count && !more; k++) take(all.records[all.slot(k)]!, all.seqs[all.slot(k)]!);
    const alerts = this.alerts;
    if (alerts !== undefined && !more) {
      const oldestHeld = all.count > 0 ? all.seqs[all.slot(all.count - 1)]! : Infinity;
      for (let k = 0; k < alerts.count && !more; k++) {
        const at = alerts.slot(k);
        if (alerts.seqs[at]! < oldestHeld) take(alerts.records[at]!, alerts.seqs[at]!);
      }
    }
    out.reverse();
    return more ? { records: out, next: oldest } : { records: out };
  }

  /** Records held now, and their text in characters. */
  size(): { records: number; chars: number; alerts: number } {
    return { records: this.all?.count ?? 0, chars: this.chars, alerts: this.alerts?.count ?? 0 };
  }
}
