// The CDR recorder: subscribes to the SIP stack's call, registration and MESSAGE events and turns them
// into rows, written behind the SIP path (DESIGN.md, The event loop is sacred). Events only queue a
// record; a timer flushes the queue within flushIntervalMs (one transaction per flush, never one insert
// per message), so a row is committed within about 50 ms of its event and survives a crash or kill -9
// from then on (SQLite WAL). The CSV archive is appended from the same flush, after the commit. The
// period is short so that a flush is short: its rows are numbered and handed over in one callback of
// the loop (README, Performance: flushes every 200 ms held it 3-8 ms at a time at 1,000 calls/s).
// With a write-behind (the appliance's store worker), the timer's flushes number the rows on the loop and
// hand the inserts to the worker's thread, one batch at a time; flush() and stop() still commit on the
// loop's own connection, at once.
//
// Fixes the original's losses (original-server.md §12 items 23, 24): a call still up at stop() gets its
// row (ENDED, "System shutdown"); a registration refresh with the same Call-ID is a row of its own; a
// call's 'ended' delivered twice still gives one row. A failing flush is logged and retried with the
// same batch; nothing is ever thrown into the event's emitter.
import type { Call, CallEvent, MessageEvent, OptionsEvent } from '../calls/call';
import type { Log } from '../observe/log';
import { detached } from '../sip/message/detached';
import type { RegistrationEvent } from '../sip/registrar/binding';
import type { CdrStore, CdrWritePlan } from './cdr-store';
import type { WriteBehind } from '../store/store-worker';
import type { CdrArchive } from './csv';
import {
  callRecord,
  messageRecord,
  optionsRecord,
  registrationRecord,
  shutdownCallRecord,
} from './from-events';
import type { ServerFor } from './from-events';
import type { CdrRecord, NewCdrRecord } from './record';

export const DEFAULT_FLUSH_INTERVAL_MS = 50;
/** Longest wait between retries while the database (or the disk) keeps failing. */
const MAX_RETRY_MS = 5000;
/** How long a finished call is remembered to drop a repeated 'ended' (a safety net: it comes once). */
const ENDED_MEMORY_MS = 60 * 1000;
export const DEFAULT_MAX_PENDING = 100_000;

/** Where the timer's batches are committed off the event loop (core/store/store-worker.ts). */
export interface CdrWriteBehind extends WriteBehind {
  plan(records: readonly NewCdrRecord[], now: number): CdrWritePlan;
}

export interface CdrRecorderOptions {
  store: Pick<CdrStore, 'insert'>;
  /** Where the CSV copy goes; undefined: no CSV (the database only). */
  archive: Pick<CdrArchive, 'appendDay'> | undefined;
  log: Log;
  /** The proxy's own address for server_ip/server_port of REGISTER rows (known once SIP has started). */
  server?: ServerFor;
  flushIntervalMs?: number;
  /** Whether OPTIONS rows are written (setting CDR.OPTIONS); default yes, as the original. */
  recordOptions?: () => boolean;
  /** Whether REGISTER rows are written (setting CDR.REGISTER); default yes, as the original. */
  recordRegistrations?: () => boolean;
  /** Records kept while the database fails; beyond it new records are dropped and counted. */
  maxPending?: number;
  now?: () => number;
  writeBehind?: CdrWriteBehind;
}

/** What another part adds to a call's row: fields now, and perhaps final ones a moment later. */
export interface CallAnnotation {
  fields: Partial<NewCdrRecord>;
  /** The row waits for these (bounded by the annotator) before it is written. */
  final?: Promise<Partial<NewCdrRecord>>;
}

export type CallAnnotator = (call: Readonly<Call>) => CallAnnotation | undefined;

export class CdrRecorder {
  readonly #store: Pick<CdrStore, 'insert'>;
  readonly #archive: Pick<CdrArchive, 'appendDay'> | undefined;
  readonly #log: Log;
  readonly #server: ServerFor;
  readonly #interval: number;
  readonly #recordOptions: () => boolean;
  readonly #recordRegistrations: () => boolean;
  readonly #maxPending: number;
  readonly #now: () => number;
  readonly #behind: CdrWriteBehind | undefined;

  /** Waiting for the database. */
  #pending: NewCdrRecord[] = [];
  /** Committed, waiting for the CSV archive. */
  #unarchived: CdrRecord[] = [];
  /** Calls seen started and not yet ended, by Call.id: recorded at stop() if still up. */
  readonly #live = new Map<string, Readonly<Call>>();
  /**
   * Calls already recorded (key: id + start) in the last ENDED_MEMORY_MS, with when: a second 'ended' is
   * dropped. Keys are flat copies (detached): a Call-ID is a slice of the INVITE's header text and would
   * keep the whole message alive that long (17 MB at 750 calls/s).
   */
  readonly #ended = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  /** Consecutive failed attempts, for the retry back-off and the "works again" notice. */
  #dbFailures = 0;
  #csvFailures = 0;
  /** The last failure of each, for problem(). */
  #dbError = '';
  #csvError = '';
  #stopped = false;
  #written = 0;
  #dropped = 0;
  /** The batch handed to the write-behind and not yet committed (at most one at a time). */
  #inFlight: Promise<void> | undefined;
  #inFlightRows = 0;
  /** Adds to a call's row what another part knows of it (the dialer: call type and RTP figures). */
  #annotate: CallAnnotator | undefined;
  /** Call rows waiting for their annotation's final fields (written at stop() with what they have). */
  readonly #held = new Set<NewCdrRecord>();

  constructor(options: CdrRecorderOptions) {
    this.#store = options.store;
    this.#archive = options.archive;
    this.#log = options.log;
    this.#server = options.server ?? (() => undefined);
    this.#interval = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.#recordOptions = options.recordOptions ?? (() => true);
    this.#recordRegistrations = options.recordRegistrations ?? (() => true);
    this.#maxPending = options.maxPending ?? DEFAULT_MAX_PENDING;
    this.#now = options.now ?? Date.now;
    this.#behind = options.writeBehind;
  }

  /** Rows committed to the database since construction. */
  get written(): number {
    return this.#written;
  }

  /** Rows waiting for the database (with those on their way to the write-behind). */
  get pending(): number {
    return this.#pending.length + this.#inFlightRows;
  }

  /** Rows dropped because the queue was full while the database failed. */
  get dropped(): number {
    return this.#dropped;
  }

  /**
   * What keeps records from their files now, for /healthz: the database or the CSV archive failing (a
   * full disk, a read-only folder), with what waits and the last error; undefined when all is well.
   */
  problem(): string | undefined {
    const parts: string[] = [];
    if (this.#dbFailures > 0) {
      const dropped = this.#dropped > 0 ? `, ${this.#dropped} dropped since the start` : '';
      parts.push(
        `CDR records cannot be written to the database (${this.pending} waiting${dropped}): ${this.#dbError}`,
      );
    }
    if (this.#csvFailures > 0)
      parts.push(
        `CDR rows cannot be appended to the CSV archive (${this.#unarchived.length} waiting): ${this.#csvError}`,
      );
    return parts.length === 0 ? undefined : parts.join('; ');
  }

  /** Calls started and not yet ended. */
  get liveCalls(): number {
    return this.#live.size;
  }

  /**
   * LocationService.on(recorder.onRegistration): every bound/refreshed/expired/removed is a row, unless
   * CDR.REGISTER is off.
   */
  readonly onRegistration = (e: RegistrationEvent): void => {
    this.#guard('registration', () => {
      if (this.#recordRegistrations())
        this.#enqueue(registrationRecord(e, this.#server(e.binding.transport, e.binding.sourceAddress)));
    });
  };

  /** The call tracker's events: 'ended' writes the call's one row; the others track live calls. */
  readonly onCall = (e: CallEvent): void => {
    this.#guard('call', () => {
      const key = endedKey(e.call);
      if (e.type !== 'ended') {
        if (!this.#ended.has(key)) this.#live.set(e.call.id, e.call);
        return;
      }
      this.#live.delete(e.call.id);
      if (this.#ended.has(key)) return; // delivered twice: one row per call
      const record = callRecord(e.call, e.at);
      const extra = this.#annotate?.(e.call);
      if (extra !== undefined) Object.assign(record, extra.fields);
      this.#ended.set(detached(key), e.at);
      if (extra?.final === undefined) {
        this.#enqueue(record);
        return;
      }
      // The annotator's final fields come a moment later (the dialer's own end of the call, after the
      // BYE that ended the call here): the row waits for them, with what it has if they fail.
      this.#held.add(record);
      const release = (fields?: Partial<NewCdrRecord>): void => {
        if (!this.#held.delete(record)) return; // written at stop() already
        if (fields !== undefined) Object.assign(record, fields);
        this.#enqueue(record);
      };
      extra.final.then(release, () => release());
    });
  };

  /** Sets who may add to call rows (one annotator: the dialer). */
  annotateCalls(annotate: CallAnnotator | undefined): void {
    this.#annotate = annotate;
  }

  readonly onMessage = (e: MessageEvent): void => {
    this.#guard('message', () => this.#enqueue(messageRecord(e)));
  };

  /** An OPTIONS answered by IMS Lab: a row unless CDR.OPTIONS is off. */
  readonly onOptions = (e: OptionsEvent): void => {
    this.#guard('options', () => {
      if (this.#recordOptions()) this.#enqueue(optionsRecord(e));
    });
  };

  /**
   * Records calls still up as ENDED by the system ("System shutdown") at `at`, unless already recorded.
   * stop() does this for the calls it saw start; a tracker may pass its own list. Returns how many.
   */
  recordLiveCalls(calls: Iterable<Readonly<Call>>, at: number = this.#now()): number {
    let n = 0;
    for (const call of calls) {
      const key = endedKey(call);
      this.#live.delete(call.id);
      if (this.#ended.has(key)) continue;
      const record = shutdownCallRecord(call, at);
      this.#ended.set(detached(key), at);
      this.#enqueue(record);
      n++;
    }
    return n;
  }

  /**
   * Commits the queued rows in one transaction, then appends them to the CSV archive. Returns the rows
   * committed now. Never throws: a failure is logged and the batch kept for the next attempt.
   */
  flush(): number {
    this.#clearTimer();
    let committed = 0;
    if (this.#pending.length > 0) {
      const batch = this.#pending;
      this.#pending = [];
      try {
        const stored = this.#store.insert(batch, this.#now());
        committed = stored.length;
        this.#committed(stored);
      } catch (err) {
        this.#failed(batch, err);
      }
    }
    this.#afterCommit();
    return committed;
  }

  /**
   * Waits for the batch on its way to the write-behind, then commits on the loop whatever is still
   * pending (a batch the worker failed comes back). The appliance calls it after stop(), before closing
   * the database.
   */
  async settle(): Promise<void> {
    while (this.#inFlight !== undefined) await this.#inFlight;
    if (this.#pending.length > 0) this.flush();
  }

  /** The timer's flush through the write-behind: one batch at a time, the next waits for this one. */
  #flushBehind(behind: CdrWriteBehind): void {
    if (this.#inFlight !== undefined) return; // its settling arms the timer again
    if (this.#pending.length === 0) {
      this.#afterCommit();
      return;
    }
    const batch = this.#pending;
    this.#pending = [];
    let plan: CdrWritePlan;
    try {
      plan = behind.plan(batch, this.#now());
    } catch (err) {
      this.#failed(batch, err);
      this.#afterCommit();
      return;
    }
    this.#inFlightRows = batch.length;
    this.#inFlight = behind.write(plan.steps).then(
      () => this.#committed(plan.stored),
      (err: unknown) => this.#failed(batch, err),
    );
    void this.#inFlight.finally(() => {
      this.#inFlight = undefined;
      this.#inFlightRows = 0;
      this.#afterCommit();
    });
  }

  #committed(stored: readonly CdrRecord[]): void {
    this.#written += stored.length;
    if (this.#archive !== undefined) this.#unarchived.push(...stored);
    if (this.#dbFailures > 0) this.#log.info(`cdr: database writes work again`);
    this.#dbFailures = 0;
  }

  /** A batch that did not commit goes back to the front of the queue, for the next attempt. */
  #failed(batch: NewCdrRecord[], err: unknown): void {
    this.#pending = batch.concat(this.#pending);
    this.#dbFailures++;
    this.#dbError = reason(err);
    this.#log.error(`cdr: could not write ${batch.length} records, will retry: ${this.#dbError}`);
  }

  #afterCommit(): void {
    this.#appendCsv();
    this.#forgetOldEnded();
    if (!this.#stopped && (this.#pending.length > 0 || this.#unarchived.length > 0)) this.#arm();
  }

  /** Records the calls still up, flushes, and stops the timer. Later events are ignored. Idempotent. */
  stop(): void {
    if (this.#stopped) return;
    for (const record of this.#held) this.#enqueue(record);
    this.#held.clear();
    this.recordLiveCalls([...this.#live.values()]);
    this.#stopped = true; // after recordLiveCalls: its records are the last accepted
    this.flush();
    this.#clearTimer();
    if (this.#pending.length > 0) {
      this.#log.error(`cdr: stopping with ${this.#pending.length} records not written`);
    }
    if (this.#unarchived.length > 0) {
      this.#log.error(
        `cdr: stopping with ${this.#unarchived.length} rows not appended to the CSV archive (they are in the database: EXP CDR writes them)`,
      );
    }
  }

  #guard(kind: string, work: () => void): void {
    try {
      work();
    } catch (err) {
      this.#log.error(`cdr: a ${kind} event could not be recorded: ${reason(err)}`);
    }
  }

  #enqueue(record: NewCdrRecord): void {
    if (this.#stopped) {
      this.#log.warning(`cdr: a ${record.record_type} record after stop() was not written`);
      return;
    }
    if (this.#pending.length >= this.#maxPending) {
      if (this.#dropped++ === 0 || this.#dropped % 1000 === 0) {
        this.#log.error(`cdr: ${this.#dropped} records dropped: the database has been failing too long`);
      }
      return;
    }
    this.#pending.push(record);
    this.#arm();
  }

  /** The CSV copy of committed rows, one append per day; a failing day is kept and retried. */
  #appendCsv(): void {
    if (this.#archive === undefined || this.#unarchived.length === 0) return;
    const byDay = new Map<string, CdrRecord[]>();
    for (const r of this.#unarchived) {
      const day = byDay.get(r.date);
      if (day === undefined) byDay.set(r.date, [r]);
      else day.push(r);
    }
    const failed: CdrRecord[] = [];
    for (const [date, records] of byDay) {
      try {
        const setAside = this.#archive.appendDay(date, records);
        if (setAside !== undefined)
          this.#log.warning(
            `cdr: ${setAside.file} was renamed ${setAside.aside}, whole, and the day's rows go on in a new ` +
              `${setAside.file}: ${setAside.why} (the original's file, or an older IMS Lab's)`,
          );
      } catch (err) {
        failed.push(...records);
        this.#csvError = reason(err);
        this.#log.error(`cdr: could not append ${records.length} rows to the ${date} CSV: ${this.#csvError}`);
      }
    }
    if (failed.length > 0) this.#csvFailures++;
    else if (this.#csvFailures > 0) {
      this.#csvFailures = 0;
      this.#log.info('cdr: CSV archive writes work again');
    }
    this.#unarchived = failed;
  }

  /** Arms the flush timer unless armed; after failures it backs off (doubling, up to 5 s). */
  #arm(): void {
    if (this.#timer !== undefined) return;
    const failures = Math.min(Math.max(this.#dbFailures, this.#csvFailures), 10);
    const delay = Math.min(this.#interval * 2 ** failures, MAX_RETRY_MS);
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        const behind = this.#behind;
        if (behind !== undefined && behind.available()) this.#flushBehind(behind);
        else this.flush();
      },
      Math.max(this.#interval, delay),
    );
    this.#timer.unref();
  }

  #clearTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #forgetOldEnded(): void {
    const horizon = this.#now() - ENDED_MEMORY_MS;
    for (const [key, at] of this.#ended) {
      if (at >= horizon) break; // insertion order is (nearly) time order
      this.#ended.delete(key);
    }
  }
}

/** A call's identity for "already recorded": its id, and its start in case a tracker reuses an id. */
function endedKey(call: Readonly<Call>): string {
  return `${call.id}\u0000${call.startedAt}`;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
