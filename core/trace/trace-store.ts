// Traced messages in SQLite (<dataDir>/trace.db, a file of its own so that the trace's churn never
// touches the appliance's database): written in batches by a timer, never per message (DESIGN.md, The
// event loop is sacred), trimmed by age (days) and by size (MB) after each batch, and read back by
// Call-ID when the ring no longer holds a dialog.
import type { TransportName } from '../sip/transport/peer';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import type { TraceKind, TraceMessage } from './trace-message';

export const TRACE_DATABASE_FILE = 'trace.db';

/** The batch's byte buffer to start with (it grows for a larger batch, and shrinks back after it). */
const BATCH_DATA_BYTES = 256 * 1024;

export interface TraceRetention {
  days: number;
  maxBytes: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS trace_message (
  id INTEGER PRIMARY KEY,
  time_us INTEGER NOT NULL,
  direction TEXT NOT NULL,
  transport TEXT NOT NULL,
  local_address TEXT NOT NULL,
  local_port INTEGER NOT NULL,
  remote_address TEXT NOT NULL,
  remote_port INTEGER NOT NULL,
  call_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  method TEXT NOT NULL,
  status INTEGER NOT NULL,
  cseq_method TEXT NOT NULL,
  retransmission INTEGER NOT NULL,
  error TEXT,
  data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS trace_message_call_id ON trace_message(call_id);
`;

/**
 * A queued message: its fields read when queued (a message the ring holds is a record it reuses once it
 * lets the message go, which may be before the batch is written).
 */
interface Pending {
  timeUs: number;
  direction: string;
  transport: string;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  callId: string;
  kind: TraceKind;
  method: string;
  status: number;
  cseqMethod: string;
  retransmission: boolean;
  error: string | undefined;
  start: number;
  end: number;
}

interface Row {
  id: number;
  time_us: number;
  direction: 'in' | 'out';
  transport: TransportName;
  local_address: string;
  local_port: number;
  remote_address: string;
  remote_port: number;
  call_id: string;
  method: string;
  status: number;
  cseq_method: string;
  retransmission: number;
  error: string | null;
  data: Buffer;
}

export class TraceStore {
  private readonly db: Database;
  private readonly insertRow: Statement;
  private readonly byCallId: Statement;
  /** The next batch: each message's row, its bytes at start..end in `batchData`. */
  private pending: Pending[] = [];
  /**
   * The batch's bytes, copied when queued: a message's own bytes are the ring's and are written over
   * once the ring lets it go, which may be before the batch is written. Reused from batch to batch.
   */
  private batchData = Buffer.allocUnsafeSlow(BATCH_DATA_BYTES);
  private batchUsed = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Bytes the database's pages in use take, after the last batch. */
  private storedBytes: number;
  private storedRows: number;
  /** Rows written and rows trimmed since the start. */
  written = 0;
  trimmed = 0;

  constructor(
    dataDir: string,
    private retention: TraceRetention,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly flushMs = 500,
  ) {
    this.db = new BetterSqlite3(join(dataDir, TRACE_DATABASE_FILE));
    // Free pages go back to the file system after a trim, so the file follows the limit.
    if (this.db.pragma('auto_vacuum', { simple: true }) !== 2) {
      this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.exec('VACUUM');
    }
    this.db.pragma('journal_mode = TRUNCATE');
    this.db.pragma('synchronous = OFF'); // a trace is not precious; a crash loses the last batch at most
    this.db.exec(SCHEMA);
    this.insertRow = this.db.prepare(
      `INSERT INTO trace_message (time_us, direction, transport, local_address, local_port, remote_address,
        remote_port, call_id, kind, method, status, cseq_method, retransmission, error, data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byCallId = this.db.prepare('SELECT * FROM trace_message WHERE call_id = ? ORDER BY id');
    this.storedRows = (this.db.prepare('SELECT count(*) AS n FROM trace_message').get() as { n: number }).n;
    this.storedBytes = this.usedBytes();
  }

  get rows(): number {
    return this.storedRows;
  }

  get bytes(): number {
    return this.storedBytes;
  }

  setRetention(retention: TraceRetention): void {
    this.retention = retention;
    this.trim(Date.now() * 1000);
  }

  /** Queues a message for the next batch. */
  push(m: TraceMessage, kind: TraceKind): void {
    const data = m.data;
    const start = this.batchUsed;
    const end = start + data.length;
    if (end > this.batchData.length) {
      const larger = Buffer.allocUnsafeSlow(Math.max(end, 2 * this.batchData.length));
      this.batchData.copy(larger, 0, 0, start);
      this.batchData = larger;
    }
    data.copy(this.batchData, start);
    this.batchUsed = end;
    this.pending.push({
      timeUs: m.timeUs,
      direction: m.direction,
      transport: m.transport,
      localAddress: m.local.address,
      localPort: m.local.port,
      remoteAddress: m.remote.address,
      remotePort: m.remote.port,
      callId: m.callId,
      kind,
      method: m.method,
      status: m.status,
      cseqMethod: m.cseqMethod,
      retransmission: m.retransmission,
      error: m.error,
      start,
      end,
    });
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
  }

  /** Writes what is queued in one transaction, then trims; never throws (the fault is reported). */
  flush(nowUs = Date.now() * 1000): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    const data = this.batchData;
    this.pending = [];
    this.batchUsed = 0;
    if (data.length > 4 * BATCH_DATA_BYTES) this.batchData = Buffer.allocUnsafeSlow(BATCH_DATA_BYTES);
    if (batch.length === 0) return;
    try {
      this.db.transaction(() => {
        for (const p of batch) {
          this.insertRow.run(
            p.timeUs,
            p.direction,
            p.transport,
            p.localAddress,
            p.localPort,
            p.remoteAddress,
            p.remotePort,
            p.callId,
            p.kind,
            p.method,
            p.status,
            p.cseqMethod,
            p.retransmission ? 1 : 0,
            p.error ?? null,
            data.subarray(p.start, p.end),
          );
        }
      })();
      this.storedRows += batch.length;
      this.written += batch.length;
      this.trim(nowUs);
    } catch (err) {
      this.onError(err);
    }
  }

  /** Bytes the database's pages in use take (rows, indexes), what DB_MB limits. */
  private usedBytes(): number {
    const pages = Number(this.db.pragma('page_count', { simple: true }));
    const free = Number(this.db.pragma('freelist_count', { simple: true }));
    return (pages - free) * Number(this.db.pragma('page_size', { simple: true }));
  }

  /**
   * Deletes rows older than the retention days, then the oldest until the pages in use fit the size
   * (down to 90% of it, so that trimming happens now and then rather than on every batch), and gives the
   * free pages back to the file system.
   */
  private trim(nowUs: number): void {
    const before = this.storedRows;
    const cutoff = nowUs - this.retention.days * 86_400_000_000;
    // Rows are written in time order, so the old ones are those before the first recent one: found from
    // the oldest end, without a time index to update on every insert.
    this.storedRows -= this.db
      .prepare(
        `DELETE FROM trace_message WHERE id < coalesce(
          (SELECT id FROM trace_message WHERE time_us >= ? ORDER BY id LIMIT 1),
          (SELECT max(id) + 1 FROM trace_message))`,
      )
      .run(cutoff).changes;
    let used = this.usedBytes();
    for (let round = 0; round < 8 && used > this.retention.maxBytes && this.storedRows > 0; round++) {
      const perRow = used / this.storedRows;
      const excess = used - this.retention.maxBytes * 0.9;
      const n = Math.min(this.storedRows, Math.ceil(excess / perRow));
      const deleted = this.db
        .prepare('DELETE FROM trace_message WHERE id IN (SELECT id FROM trace_message ORDER BY id LIMIT ?)')
        .run(n).changes;
      this.storedRows -= deleted;
      used = this.usedBytes();
    }
    if (this.storedRows < before) {
      this.trimmed += before - this.storedRows;
      this.db.pragma('incremental_vacuum');
    }
    this.storedBytes = this.usedBytes();
  }

  /** The stored messages of a Call-ID, oldest first. */
  messagesOf(callId: string): TraceMessage[] {
    this.flush();
    return (this.byCallId.all(callId) as Row[]).map((r) => ({
      seq: r.id,
      timeUs: r.time_us,
      direction: r.direction,
      transport: r.transport,
      local: { address: r.local_address, port: r.local_port },
      remote: { address: r.remote_address, port: r.remote_port },
      data: r.data,
      callId: r.call_id,
      method: r.method,
      status: r.status,
      cseqMethod: r.cseq_method,
      retransmission: r.retransmission === 1,
      error: r.error ?? undefined,
    }));
  }

  clear(): number {
    this.pending = [];
    this.batchUsed = 0;
    const n = this.db.prepare('DELETE FROM trace_message').run().changes;
    this.storedRows = 0;
    this.db.pragma('incremental_vacuum');
    this.storedBytes = this.usedBytes();
    return n;
  }

  close(): void {
    this.flush();
    if (this.db.open) this.db.close();
  }
}

/**
 * Forgets the rows of a trace.db that is not open (persistence turned off after it was written): opened
 * just for this. Returns how many it held; 0 when there is no trace.db.
 */
export function clearClosedStore(dataDir: string, retention: TraceRetention): number {
  if (!existsSync(join(dataDir, TRACE_DATABASE_FILE))) return 0;
  const store = new TraceStore(dataDir, retention);
  try {
    return store.clear();
  } finally {
    store.close();
  }
}
