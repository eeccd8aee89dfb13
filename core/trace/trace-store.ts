// Traced messages in SQLite (<dataDir>/trace.db, a file of its own so that the trace's churn never
// touches the appliance's database): written in batches by a timer, never per message (DESIGN.md, The
// event loop is sacred), trimmed by age (days) and by size (MB) after each batch, and read back by
// Call-ID when the ring no longer holds a dialog. Each batch also updates a summary row per dialog
// (trace_dialog), so that the dialogs can be listed and filtered after the ring let them go or a restart.
import type { TransportName } from '../sip/transport/peer';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Database, Statement } from 'better-sqlite3';
import { elapsedText, sizeText } from '../observe/amounts';
import { SILENT_LOG, type Log } from '../observe/log';
import { isDatabaseDamage } from '../store/database-damage';
import { privateFile } from '../store/private-file';
import { sqliteOptions } from '../store/sqlite-binding';
import { setAsideDamaged, setAsideText } from './trace-damage';
import { userKey } from './user-key';
import { finalStatusAfter, type TraceDialogSummary } from './trace-dialog';
import { hasPart, type TraceFilter } from './trace-filter';
import { firstLineOf, kindOf, partiesOfData, type TraceKind, type TraceMessage } from './trace-message';
import type { WaitingRow } from './late-refusal';

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

// Version 1 (PRAGMA user_version): a summary per dialog, what the ring keeps of one, for the list and its
// filters. Sets of words are ' a b ' (instr finds ' a '); endpoints 'address|port'.
const DIALOG_SCHEMA = `
CREATE TABLE IF NOT EXISTS trace_dialog (
  call_id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  method TEXT NOT NULL,
  first_line TEXT NOT NULL,
  from_user TEXT NOT NULL,
  to_user TEXT NOT NULL,
  users TEXT NOT NULL,
  messages INTEGER NOT NULL,
  start_us INTEGER NOT NULL,
  last_us INTEGER NOT NULL,
  last_id INTEGER NOT NULL,
  final_status INTEGER NOT NULL,
  methods TEXT NOT NULL,
  class_bits INTEGER NOT NULL,
  addresses TEXT NOT NULL,
  endpoints TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS trace_dialog_start ON trace_dialog(start_us);
CREATE INDEX IF NOT EXISTS trace_dialog_last_id ON trace_dialog(last_id);
`;

/** A set of words grows no longer than this (a Call-ID reused by many peers stays one bounded row). */
const MAX_WORDS_CHARS = 2000;

interface DialogRow {
  call_id: string;
  kind: TraceKind;
  method: string;
  first_line: string;
  from_user: string;
  to_user: string;
  users: string;
  messages: number;
  start_us: number;
  last_us: number;
  last_id: number;
  final_status: number;
  methods: string;
  class_bits: number;
  addresses: string;
  endpoints: string;
}

function addWord(words: string, word: string): string {
  if (word === '' || words.includes(` ${word} `) || words.length > MAX_WORDS_CHARS) return words;
  return `${words}${word} `;
}

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
  kind: TraceKind;
  method: string;
  status: number;
  cseq_method: string;
  retransmission: number;
  error: string | null;
  data: Buffer;
}

export class TraceStore {
  private readonly file: string;
  // Opened by open(): again, on a new file, when the one open is found damaged (recover).
  private db!: Database;
  private insertRow!: Statement;
  private byCallId!: Statement;
  private dialogOf!: Statement;
  private putDialog!: Statement;
  /** The dialogs a listing leaves out (those the ring lists): read by the trace_skip SQL function. */
  private skip: (callId: string) => boolean = () => false;
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
  private storedBytes = 0;
  private storedRows = 0;
  /** Rows written and rows trimmed since the start. */
  written = 0;
  trimmed = 0;
  /** Batches whose write failed since the start (their messages not kept). */
  writeFailures = 0;

  /**
   * Told when a trim let dialogs go (their count): the consoles' Trace lists count what trace.db holds,
   * and no event per dialog says which went (thousands at once).
   */
  onTrimmed: ((dialogs: number) => void) | undefined;

  constructor(
    dataDir: string,
    private retention: TraceRetention,
    private readonly onError: (err: unknown) => void = () => undefined,
    private readonly flushMs = 500,
    /** Told of the work a trace.db of an older IMS Lab takes once (seconds for a large one). */
    private readonly log: Log = SILENT_LOG,
  ) {
    this.file = join(dataDir, TRACE_DATABASE_FILE);
    try {
      this.open();
    } catch (err) {
      // A damaged file found by the open (its header, its schema, the summing up of an older one).
      if (!this.recover(err)) throw err;
    }
  }

  private open(): void {
    const file = this.file;
    try {
      this.db = new BetterSqlite3(privateFile(file), sqliteOptions());
    } catch (err) {
      // SQLite's "unable to open database file" names none: the answer names it (mml/store-fault.ts).
      throw Object.assign(err as Error, { file });
    }
    // Free pages go back to the file system after a trim, so the file follows the limit.
    if (this.db.pragma('auto_vacuum', { simple: true }) !== 2) {
      const bytes = this.usedBytes();
      const told = bytes > 0 ? this.tell(`compacting ${this.db.name} (${sizeText(bytes)}), once`) : undefined;
      this.db.pragma('auto_vacuum = INCREMENTAL');
      this.db.exec('VACUUM');
      told?.(`compacted ${this.db.name}`);
    }
    this.db.pragma('journal_mode = TRUNCATE');
    this.db.pragma('synchronous = OFF'); // a trace is not precious; a crash loses the last batch at most
    this.db.exec(SCHEMA);
    this.db.function('trace_skip', (callId: unknown) => (this.skip(String(callId)) ? 1 : 0));
    this.db.function('trace_has_part', { deterministic: true }, (callId: unknown, part: unknown) =>
      hasPart(String(callId), String(part)) ? 1 : 0,
    );
    const version = Number(this.db.pragma('user_version', { simple: true }));
    if (version < 1) this.db.exec(DIALOG_SCHEMA);
    this.dialogOf = this.db.prepare('SELECT * FROM trace_dialog WHERE call_id = ?');
    this.putDialog = this.db.prepare(
      `INSERT OR REPLACE INTO trace_dialog (call_id, kind, method, first_line, from_user, to_user, users,
        messages, start_us, last_us, last_id, final_status, methods, class_bits, addresses, endpoints)
        VALUES (@call_id, @kind, @method, @first_line, @from_user, @to_user, @users, @messages, @start_us,
        @last_us, @last_id, @final_status, @methods, @class_bits, @addresses, @endpoints)`,
    );
    if (version < 1) this.summarizeStored();
    this.insertRow = this.db.prepare(
      `INSERT INTO trace_message (time_us, direction, transport, local_address, local_port, remote_address,
        remote_port, call_id, kind, method, status, cseq_method, retransmission, error, data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.byCallId = this.db.prepare('SELECT * FROM trace_message WHERE call_id = ? ORDER BY id');
    this.storedRows = (this.db.prepare('SELECT count(*) AS n FROM trace_message').get() as { n: number }).n;
    this.storedBytes = this.usedBytes();
  }

  /**
   * A damaged trace.db (trace-damage.ts) set aside, with a WARNING, and a new one opened in its place;
   * false when `err` is no damage, or the file could not be set aside (then `err` stands, naming trace.db).
   */
  private recover(err: unknown): boolean {
    if (!isDatabaseDamage(err)) return false;
    Object.assign(err as Error, { file: this.file });
    try {
      if (this.db?.open) this.db.close();
    } catch {
      // closed whatever state it is in: the file is renamed all the same
    }
    let aside: string;
    try {
      aside = setAsideDamaged(this.file);
    } catch (e) {
      this.log.error(`trace: ${this.file} is damaged and could not be set aside: ${(e as Error).message}`);
      return false;
    }
    this.open();
    this.log.warning(setAsideText(this.file, aside, (err as Error).message));
    return true;
  }

  /** `work` done; again on a new trace.db when the open one is found damaged doing it (recover). */
  private guarded<T>(work: () => T): T {
    try {
      return work();
    } catch (err) {
      if (!this.recover(err)) throw err;
    }
    return work();
  }

  get rows(): number {
    return this.storedRows;
  }

  get bytes(): number {
    return this.storedBytes;
  }

  setRetention(retention: TraceRetention): void {
    this.retention = retention;
    this.guarded(() => this.trim(Date.now() * 1000));
  }

  /** Queues a message for the next batch; returns its row while it waits (a late refusal marks it). */
  push(m: TraceMessage, kind: TraceKind): WaitingRow {
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
    const row: Pending = {
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
    };
    this.pending.push(row);
    this.timer ??= setTimeout(() => this.flush(), this.flushMs);
    return row;
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
    let committed = false;
    try {
      const write = (): void =>
        this.db.transaction(() => {
          const ids: number[] = [];
          for (const p of batch) {
            const { lastInsertRowid } = this.insertRow.run(
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
            ids.push(Number(lastInsertRowid));
          }
          this.summarize(batch, ids, data);
        })();
      this.guarded(write);
      committed = true;
      this.storedRows += batch.length;
      this.written += batch.length;
      if (this.lostInOutage > 0) {
        this.log.info(
          `trace: trace.db writes work again (${this.lostInOutage} messages of the outage not kept)`,
        );
        this.lostInOutage = 0;
      }
      this.guarded(() => this.trim(nowUs));
    } catch (err) {
      if (committed) {
        this.onError(err); // the trim's
        return;
      }
      // A full disk fails every flush (two a second) until there is room: said once, then once it
      // works again with what was lost meanwhile (as the CDR recorder does).
      if (this.lostInOutage === 0) this.onError(err);
      this.lostInOutage += batch.length;
      this.writeFailures++;
    }
  }

  /** Messages not kept since writes to trace.db began failing (0: they work). */
  private lostInOutage = 0;

  /**
   * Updates the summaries of the batch's dialogs: one read and one write per dialog, and a parse of a
   * dialog's first message only (its users), never one per message.
   */
  private summarize(batch: readonly Pending[], ids: readonly number[], data: Buffer): void {
    const dialogs = new Map<string, DialogRow>();
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      let d = dialogs.get(p.callId);
      if (d === undefined) {
        d = (this.dialogOf.get(p.callId) as DialogRow | undefined) ?? newDialogRow(p, data);
        dialogs.set(p.callId, d);
      }
      d.messages++;
      d.last_us = p.timeUs;
      d.last_id = ids[i]!;
      d.methods = addWord(d.methods, p.method);
      if (p.status > 0) {
        const statusClass = Math.floor(p.status / 100);
        if (statusClass >= 1 && statusClass <= 6) d.class_bits |= 1 << statusClass;
      }
      d.final_status = finalStatusAfter(d.final_status, d.method, p);
      d.addresses = addWord(addWord(d.addresses, p.remoteAddress), p.localAddress);
      d.endpoints = addWord(d.endpoints, `${p.remoteAddress}|${p.remotePort}`);
      d.endpoints = addWord(d.endpoints, `${p.localAddress}|${p.localPort}`);
    }
    for (const d of dialogs.values()) this.putDialog.run(d);
  }

  /** Says a line now, and returns what says the next one with the time since. */
  private tell(line: string): (done: string) => void {
    this.log.info(line);
    const started = performance.now();
    return (done) => this.log.info(`${done} in ${elapsedText(performance.now() - started)}`);
  }

  /** A trace.db written before the summaries: its messages summed up once, a slice at a time. */
  private summarizeStored(): void {
    const messages = this.db.prepare('SELECT count(*) FROM trace_message').pluck().get() as number;
    const told =
      messages > 0
        ? this.tell(
            `summing up the ${messages} messages of ${this.db.name} for the trace's list of dialogs, once`,
          )
        : undefined;
    const slice = this.db.prepare('SELECT * FROM trace_message WHERE id > ? ORDER BY id LIMIT 5000');
    this.db.transaction(() => {
      for (let after = 0; ;) {
        const rows = slice.all(after) as Row[];
        if (rows.length === 0) break;
        const batch: Pending[] = [];
        const parts: Buffer[] = [];
        let at = 0;
        for (const r of rows) {
          batch.push({
            timeUs: r.time_us,
            direction: r.direction,
            transport: r.transport,
            localAddress: r.local_address,
            localPort: r.local_port,
            remoteAddress: r.remote_address,
            remotePort: r.remote_port,
            callId: r.call_id,
            kind: r.kind,
            method: r.method,
            status: r.status,
            cseqMethod: r.cseq_method,
            retransmission: r.retransmission === 1,
            error: r.error ?? undefined,
            start: at,
            end: at + r.data.length,
          });
          parts.push(r.data);
          at += r.data.length;
        }
        this.summarize(
          batch,
          rows.map((r) => r.id),
          Buffer.concat(parts),
        );
        after = rows[rows.length - 1]!.id;
      }
      this.db.pragma('user_version = 1');
    })();
    told?.(`summed up ${this.db.name}`);
  }

  /**
   * The stored dialogs that match, newest first, at most `limit`, leaving out those `skip` names (the
   * ring's own); `total` counts all that match. The filters as the ring's (matches), read from the
   * summaries: the users are those of a dialog's first message stored.
   */
  dialogs(
    f: TraceFilter,
    limit: number,
    skip: (callId: string) => boolean,
  ): { dialogs: TraceDialogSummary[]; total: number } {
    this.flush();
    const where = ['NOT trace_skip(call_id)'];
    const params: (string | number)[] = [];
    const has = (column: string, word: string): void => {
      where.push(`instr(${column}, ?) > 0`);
      params.push(` ${word} `);
    };
    if (f.callId !== undefined) {
      where.push('trace_has_part(call_id, ?)');
      params.push(f.callId);
    }
    if (f.method !== undefined) has('methods', f.method.toUpperCase());
    if (f.finalClass !== undefined) {
      where.push('final_status BETWEEN ? AND ?');
      params.push(f.finalClass * 100, f.finalClass * 100 + 99);
    }
    if (f.statusClass !== undefined) {
      const c = f.statusClass;
      where.push('(class_bits & ?) != 0');
      params.push(c >= 1 && c <= 6 ? 1 << c : 0);
    }
    if (f.address !== undefined)
      has(
        f.port === undefined ? 'addresses' : 'endpoints',
        f.port === undefined ? f.address : `${f.address}|${f.port}`,
      );
    if (f.fromUs !== undefined) {
      where.push('last_us >= ?');
      params.push(f.fromUs);
    }
    if (f.toUs !== undefined) {
      where.push('start_us <= ?');
      params.push(f.toUs);
    }
    if (f.kind !== undefined) {
      where.push('kind = ?');
      params.push(f.kind);
    }
    if (f.user !== undefined) has('users', userKey(f.user));
    // The text search in trace.db: the Call-ID and the users only. Reading its stored messages' bytes held
    // the event loop (SIP) 2.6-8.8 s over 400,000 messages (400 MB) a query, and the console asks again
    // once a second while dialogs come: the messages' text is searched in the ring (memory) alone.
    if (f.text !== undefined) {
      where.push('(trace_has_part(call_id, ?) OR instr(users, ?) > 0)');
      params.push(f.text, userKey(f.text));
    }
    const clause = where.join(' AND ');
    this.skip = skip;
    try {
      const { rows, n } = this.guarded(() => ({
        rows: this.db
          .prepare(`SELECT * FROM trace_dialog WHERE ${clause} ORDER BY start_us DESC LIMIT ?`)
          .all(...params, limit) as DialogRow[],
        n: (
          this.db.prepare(`SELECT count(*) AS n FROM trace_dialog WHERE ${clause}`).get(...params) as {
            n: number;
          }
        ).n,
      }));
      return {
        dialogs: rows.map((d) => ({
          callId: d.call_id,
          kind: d.kind,
          firstLine: d.first_line,
          from: d.from_user,
          to: d.to_user,
          messages: d.messages,
          startUs: d.start_us,
          lastUs: d.last_us,
          finalStatus: d.final_status,
        })),
        total: n,
      };
    } finally {
      this.skip = () => false;
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
      // A dialog goes with its last message (the summaries keep the count of all it had, as the ring does).
      const dialogs = this.db
        .prepare(
          'DELETE FROM trace_dialog WHERE last_id < coalesce((SELECT min(id) FROM trace_message), 9e18)',
        )
        .run().changes;
      if (dialogs > 0) this.onTrimmed?.(dialogs);
      this.trimmed += before - this.storedRows;
      this.db.pragma('incremental_vacuum');
    }
    this.storedBytes = this.usedBytes();
  }

  /**
   * The stored start and message count of these Call-IDs (those stored), for the ring's dialogs that
   * began before a restart: trace.db holds their older messages, the ring only the newer ones.
   */
  spans(callIds: readonly string[]): Map<string, { startUs: number; messages: number }> {
    this.flush();
    return this.guarded(() => {
      const out = new Map<string, { startUs: number; messages: number }>();
      for (let i = 0; i < callIds.length; i += 500) {
        const part = callIds.slice(i, i + 500);
        const rows = this.db
          .prepare(
            `SELECT call_id, start_us, messages FROM trace_dialog WHERE call_id IN (${part.map(() => '?').join(', ')})`,
          )
          .all(...part) as Pick<DialogRow, 'call_id' | 'start_us' | 'messages'>[];
        for (const r of rows) out.set(r.call_id, { startUs: r.start_us, messages: r.messages });
      }
      return out;
    });
  }

  /** The stored messages of a Call-ID, oldest first. */
  messagesOf(callId: string): TraceMessage[] {
    this.flush();
    return this.guarded(() => this.byCallId.all(callId) as Row[]).map((r) => ({
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
    // A damaged trace.db is set aside and a new one started: what CLR TRACE asks for, all the same.
    return this.guarded(() => {
      const n = this.db.prepare('DELETE FROM trace_message').run().changes;
      this.db.prepare('DELETE FROM trace_dialog').run();
      this.storedRows = 0;
      this.db.pragma('incremental_vacuum');
      this.storedBytes = this.usedBytes();
      return n;
    });
  }

  close(): void {
    this.flush();
    if (this.db.open) this.db.close();
  }
}

/** A dialog's summary as its first stored message starts it (as newDialog does the ring's). */
function newDialogRow(p: Pending, data: Buffer): DialogRow {
  const bytes = data.subarray(p.start, p.end);
  const parties = partiesOfData(bytes);
  const method = p.cseqMethod !== '' ? p.cseqMethod : p.method;
  return {
    call_id: p.callId,
    kind: p.error !== undefined && p.callId === '' ? 'malformed' : kindOf(method),
    method,
    first_line: firstLineOf(bytes),
    from_user: parties.from,
    to_user: parties.to,
    users: addWord(addWord(addWord(' ', parties.uri), parties.from), parties.to),
    messages: 0,
    start_us: p.timeUs,
    last_us: p.timeUs,
    last_id: 0,
    final_status: 0,
    methods: ' ',
    class_bits: 0,
    addresses: ' ',
    endpoints: ' ',
  };
}

/**
 * Forgets the rows of a trace.db that is not open (persistence turned off after it was written): opened
 * just for this. Returns how many it held; 0 when there is no trace.db.
 */
export function clearClosedStore(dataDir: string, retention: TraceRetention, log?: Log): number {
  if (!existsSync(join(dataDir, TRACE_DATABASE_FILE))) return 0;
  const store = new TraceStore(dataDir, retention, undefined, undefined, log);
  try {
    return store.clear();
  } finally {
    store.close();
  }
}
