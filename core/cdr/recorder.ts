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
//
// With a journal (live-calls.ts), the calls up at a flush are also written there, in the flush's own
// batch, and removed in the batch that commits their row: a kill -9 or a power cut, which runs no stop(),
// leaves them there, and the next start writes their rows (recoverJournal). Coalesced in memory between
// two flushes (live-call-changes.ts): a call that starts and ends between two flushes costs the journal
// nothing; while it holds calls, a flush at least every ALIVE_STAMP_MS stamps the moment the appliance was
// last known to run, their end at the next start.
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
  uncleanStopCallRecord,
} from './from-events';
import type { ServerFor } from './from-events';
import type { CdrRecord, NewCdrRecord } from './record';
import { LiveCallChanges, type JournalChanges } from './live-call-changes';
import type { LiveCallJournal } from './live-calls';
import type { CdrSpill, SpilledRows } from './spill';
import { cdrCsvLine } from './csv';
import { UnknownDialogByes } from './unknown-dialog-bye';
import type { SipRequest } from '../sip/message/index';
import type { Peer } from '../sip/transport/peer';

export const DEFAULT_FLUSH_INTERVAL_MS = 50;
/** Longest wait between retries while the database (or the disk) keeps failing. */
const MAX_RETRY_MS = 5000;
/** How long a finished call is remembered to drop a repeated 'ended' (a safety net: it comes once). */
const ENDED_MEMORY_MS = 60 * 1000;
export const DEFAULT_MAX_PENDING = 100_000;
/** While the journal holds calls, the longest time between two stamps of "still running" (their end). */
export const ALIVE_STAMP_MS = 1000;

/** Where the timer's batches are committed off the event loop (core/store/store-worker.ts). */
export interface CdrWriteBehind extends WriteBehind {
  plan(records: readonly NewCdrRecord[], now: number): CdrWritePlan;
}

export interface CdrRecorderOptions {
  /** plan and importNumbered: for the spill (a stop's rows kept in a file, the next start's import). */
  store: Pick<CdrStore, 'insert'> & Partial<Pick<CdrStore, 'plan' | 'importNumbered'>>;
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
  /** The journal of calls in progress; undefined: none (a kill -9 loses the calls up, as before). */
  journal?: LiveCallJournal;
  /** Where a stop keeps the rows the database did not take (spill.ts); undefined: they are lost. */
  spill?: CdrSpill;
}

/** What another part adds to a call's row: fields now, and perhaps final ones a moment later. */
export interface CallAnnotation {
  fields: Partial<NewCdrRecord>;
  /** The row waits for these (bounded by the annotator) before it is written. */
  final?: Promise<Partial<NewCdrRecord>>;
}

export type CallAnnotator = (call: Readonly<Call>) => CallAnnotation | undefined;

/** The extra_info a call has from its start by its Call-ID (the dialer's campaign), or undefined: O(1). */
export type StartInfo = (callId: string) => string | undefined;

export class CdrRecorder {
  readonly #store: CdrRecorderOptions['store'];
  readonly #archive: Pick<CdrArchive, 'appendDay'> | undefined;
  readonly #log: Log;
  readonly #server: ServerFor;
  readonly #interval: number;
  readonly #recordOptions: () => boolean;
  readonly #recordRegistrations: () => boolean;
  readonly #maxPending: number;
  readonly #now: () => number;
  readonly #behind: CdrWriteBehind | undefined;
  readonly #journal: LiveCallJournal | undefined;
  /** The journal's changes since the last batch (undefined without a journal). */
  readonly #changes: LiveCallChanges | undefined;
  readonly #spill: CdrSpill | undefined;
  /** The journal's calls when stop() began: the spill's rows stand for them. */
  #journalAtStop: string[] = [];
  /** The journal's calls a spill not yet imported stands for: not recorded as an unclean stop's. */
  readonly #spilledCalls = new Set<string>();

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
  readonly #unknownByes = new UnknownDialogByes();
  #timer: NodeJS.Timeout | undefined;
  /** The armed timer's atLeastMs (#arm): a flush needed sooner than the journal's stamp re-arms it. */
  #timerAtLeast = 0;
  /** Consecutive failed attempts, for the retry back-off and the "works again" notice. */
  #dbFailures = 0;
  #csvFailures = 0;
  /** The last failure of each, for problem(). */
  #dbError = '';
  #csvError = '';
  #stopped = false;
  #written = 0;
  #dropped = 0;
  /** Since construction, for /metrics: failed database commits, rows appended to the CSV, failed appends. */
  #dbWriteFailures = 0;
  #csvRows = 0;
  #csvWriteFailures = 0;
  /** The batch handed to the write-behind and not yet committed (at most one at a time). */
  #inFlight: Promise<void> | undefined;
  #inFlightRows = 0;
  /** The journal's removals in that batch (calls whose rows it carries). */
  #inFlightDeletes: string[] = [];
  /** Adds to a call's row what another part knows of it (the dialer: call type and RTP figures). */
  #annotate: CallAnnotator | undefined;
  /** What the journal keeps of a call beside its snapshot (its row after an unclean stop carries it). */
  #startInfo: StartInfo | undefined;
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
    this.#journal = options.journal;
    this.#changes = options.journal === undefined ? undefined : new LiveCallChanges();
    this.#spill = options.spill;
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

  /** The counters of ims_cdr_*_total: rows written and failed attempts, database and CSV. */
  get figures(): { dbRows: number; dbFailures: number; csvRows: number; csvFailures: number } {
    return {
      dbRows: this.#written,
      dbFailures: this.#dbWriteFailures,
      csvRows: this.#csvRows,
      csvFailures: this.#csvWriteFailures,
    };
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
        if (this.#ended.has(key)) return;
        this.#live.set(e.call.id, e.call);
        if (this.#changes !== undefined && !this.#stopped) {
          this.#changes.changed(e.call);
          this.#arm();
        }
        return;
      }
      this.#live.delete(e.call.id);
      this.#changes?.ended(e.call.id);
      if (this.#ended.has(key)) return; // delivered twice: one row per call
      const record = callRecord(e.call, e.at);
      const extra = this.#annotate?.(e.call);
      if (extra !== undefined) Object.assign(record, extra.fields);
      this.#ended.set(detached(key), e.at);
      if (extra?.final === undefined) {
        this.#enqueueCall(e.call.id, record);
        return;
      }
      // The annotator's final fields come a moment later (the dialer's own end of the call, after the
      // BYE that ended the call here): the row waits for them, with what it has if they fail.
      this.#held.add(record);
      const id = e.call.id;
      const release = (fields?: Partial<NewCdrRecord>): void => {
        if (!this.#held.delete(record)) return; // written at stop() already
        if (fields !== undefined) Object.assign(record, fields);
        this.#enqueueCall(id, record);
      };
      extra.final.then(release, () => release());
    });
  };

  /**
   * Sets who may add to call rows (one annotator: the dialer), and what of it is known from a call's
   * start, kept in the journal of calls in progress for a row written after an unclean stop.
   */
  annotateCalls(annotate: CallAnnotator | undefined, startInfo?: StartInfo): void {
    this.#annotate = annotate;
    this.#startInfo = startInfo;
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
   * A BYE of a dialog through IMS Lab that no call of this process is of (Proxy's onUnknownDialogBye):
   * a call answered just before an unclean stop, which the journal did not hold yet. A row from what the
   * BYE says (unknown-dialog-bye.ts), once per Call-ID, and a WARNING with the count since the start.
   */
  readonly onUnknownDialogBye = (req: SipRequest, source: Peer): void => {
    this.#guard('BYE', () => {
      const record = this.#unknownByes.record(req, source, this.#now());
      if (record === undefined) return;
      this.#enqueue(record);
      this.#log.warning(
        `cdr: a BYE (Call-ID ${req.callId}) ended a call this IMS Lab did not see set up: answered just ` +
          `before an unclean stop, before the journal of calls in progress held it; a row with what the ` +
          `BYE says is written (${this.#unknownByes.count} such since the start)`,
      );
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
      this.#enqueueCall(call.id, record);
      n++;
    }
    return n;
  }

  /**
   * At a start, before any call: the calls the journal still holds were up when the appliance stopped
   * uncleanly (kill -9, a power cut: no stop() ran). Each becomes its CDR row (uncleanStopCallRecord:
   * ended at the last moment the appliance was known to run), committed at once on the loop's connection
   * with their removal from the journal, and said in a WARNING with their count. Returns how many.
   */
  recoverJournal(): number {
    const journal = this.#journal;
    const changes = this.#changes;
    if (journal === undefined || changes === undefined) return 0;
    const found = journal.read();
    for (const id of found.unreadable)
      this.#log.error(`cdr: the journal of calls in progress holds an unreadable entry ${id}: removed`);
    changes.adopt([...found.calls.map((c) => c.id), ...found.unreadable]);
    // Their BYEs come to a proxy that does not know them: no second row (onUnknownDialogBye).
    for (const call of found.calls) this.#unknownByes.recovered(call.callId);
    for (const id of found.unreadable) changes.recorded(id);
    // Those a spill not imported yet stands for (importSpilled): its rows are theirs, at the next start.
    found.calls = found.calls.filter((c) => !this.#spilledCalls.has(c.id));
    if (found.calls.length === 0) {
      if (found.unreadable.length > 0) this.flush();
      return 0;
    }
    const at =
      found.aliveAt ?? Math.max(...found.calls.map((c) => c.answeredAt ?? c.ringingAt ?? c.startedAt));
    let answered = 0;
    for (const call of found.calls) {
      if (call.answeredAt !== undefined) answered++;
      const key = endedKey(call);
      if (this.#ended.has(key)) continue;
      this.#ended.set(detached(key), at);
      this.#enqueueCall(call.id, uncleanStopCallRecord(call, at));
    }
    const n = found.calls.length;
    this.#log.warning(
      `cdr: ${n} call(s) were up when IMS Lab last stopped uncleanly (killed, or the power cut): ` +
        `${answered} answered (ENDED), ${n - answered} not answered (FAILED); written now with ` +
        `termination_reason UNCLEAN_SHUTDOWN, ended at ${new Date(at).toISOString()}, the last moment it was known to run`,
    );
    this.flush();
    return n;
  }

  /**
   * At a start, first of all: the rows the last stop could not write to the database and kept in a file
   * (spill.ts) are written now, each with its own end, and the journal's calls they stand for removed in
   * the same transaction (their rows are these, not an unclean stop's); then the file goes and a new
   * reserve is made. While the database still fails (the disk still full), the file stays for the next
   * start and its calls are left to it. Returns the rows added.
   */
  importSpilled(): number {
    const spill = this.#spill;
    if (spill === undefined) return 0;
    let kept: SpilledRows | undefined;
    let added = 0;
    try {
      kept = spill.read();
      if (kept !== undefined) {
        added = this.#importKept(kept);
        spill.remove();
        this.#log.warning(
          `cdr: ${kept.rows.length} records the last stop could not write to the database (the disk was full?) ` +
            `were kept in ${spill.file}: written now, each with its own end (${added} added)`,
        );
      }
    } catch (err) {
      for (const id of kept?.journal ?? []) this.#spilledCalls.add(id);
      this.#log.error(
        `cdr: the records the last stop kept in ${spill.file} cannot be written to the database yet ` +
          `(${reason(err)}): they stay there, written at the next start`,
      );
      return 0;
    }
    try {
      spill.reserve();
    } catch (err) {
      this.#log.warning(
        `cdr: no room could be set aside beside the database for the records a stop on a full disk ` +
          `cannot write (${reason(err)}): such a stop keeps them only if the disk has room then`,
      );
    }
    this.#afterCommit();
    return added;
  }

  /** A spill's rows and the removal of its calls from the journal, one transaction. */
  #importKept(kept: SpilledRows): number {
    const store = this.#store;
    if (store.importNumbered === undefined) throw new Error('this store cannot import numbered rows');
    const rows = (): number => store.importNumbered!(kept.rows);
    const journal = this.#journal;
    let added: number;
    if (journal === undefined) added = rows();
    else {
      const covered = new Set(kept.journal);
      const found = journal.read();
      const ids = [...found.calls.map((c) => c.id), ...found.unreadable];
      const changes: JournalChanges = {
        upserts: [],
        deletes: ids.filter((id) => covered.has(id)),
        clearAll: ids.every((id) => covered.has(id)),
      };
      added = journal.commit(changes, found.aliveAt ?? this.#now(), rows);
    }
    this.#written += added;
    // All added: none was archived before (an import cut short after its commit added none again).
    if (this.#archive !== undefined && added === kept.rows.length) this.#unarchived.push(...kept.rows);
    return added;
  }

  /**
   * Commits the queued rows in one transaction, then appends them to the CSV archive. Returns the rows
   * committed now. Never throws: a failure is logged and the batch kept for the next attempt.
   */
  flush(): number {
    this.#clearTimer();
    let committed = 0;
    const changes = this.#takeJournal();
    if (this.#pending.length > 0 || changes !== undefined) {
      const batch = this.#pending;
      this.#pending = [];
      const now = this.#now();
      const insert = (): CdrRecord[] => (batch.length === 0 ? [] : this.#store.insert(batch, now));
      try {
        const stored =
          this.#journal === undefined || changes === undefined
            ? insert()
            : this.#journal.commit(changes, now, insert);
        committed = stored.length;
        this.#committed(stored);
      } catch (err) {
        this.#failed(batch, err, changes);
      }
    }
    this.#afterCommit();
    return committed;
  }

  /**
   * The journal's changes for the batch being made; after stop(), an emptying of the whole journal:
   * every live call's row is queued by then, and this batch or one before it carries it.
   */
  #takeJournal(): JournalChanges | undefined {
    const changes = this.#changes;
    if (changes === undefined) return undefined;
    if (this.#stopped) changes.clearAll();
    else if (!changes.pending && changes.journaled > 0) return { upserts: [], deletes: [], clearAll: false }; // the "still running" stamp alone
    const taken = changes.take();
    // Looked up for the calls written at this flush only (not on each call event): one Map lookup each.
    const info = this.#startInfo;
    if (taken !== undefined && info !== undefined)
      taken.upserts = taken.upserts.map((c) => {
        const extraInfo = info(c.callId);
        return extraInfo === undefined ? c : { ...c, extraInfo };
      });
    return taken;
  }

  /**
   * Waits for the batch on its way to the write-behind, then commits on the loop whatever is still
   * pending (a batch the worker failed comes back). The appliance calls it after stop(), before closing
   * the database.
   */
  async settle(): Promise<void> {
    while (this.#inFlight !== undefined) await this.#inFlight;
    // After stop(), flush() also empties the journal: a batch of the worker's committed after stop()'s
    // own flush may have written a call into it again.
    if (this.#pending.length > 0 || (this.#stopped && this.#changes !== undefined)) this.flush();
    this.#keepUnwritten();
    if (!this.#stopped) return;
    // Said after the last try (stop() said it before settle()'s, which appended the row: a full disk had
    // room again once the WAL was cut back, and the line named a row the CSV then held).
    this.#appendCsv();
    if (this.#unarchived.length > 0)
      this.#log.error(
        `cdr: stopping with ${this.#unarchived.length} rows in the database but not appended to the CSV ` +
          `archive (${this.#csvError}): EXP CDR writes them`,
      );
  }

  /** The timer's flush through the write-behind: one batch at a time, the next waits for this one. */
  #flushBehind(behind: CdrWriteBehind): void {
    if (this.#inFlight !== undefined) return; // its settling arms the timer again
    const changes = this.#takeJournal();
    if (this.#pending.length === 0 && changes === undefined) {
      this.#afterCommit();
      return;
    }
    const batch = this.#pending;
    this.#pending = [];
    const now = this.#now();
    let plan: CdrWritePlan;
    try {
      plan = batch.length === 0 ? { stored: [], steps: [] } : behind.plan(batch, now);
      if (changes !== undefined) plan.steps.push(...this.#journal!.steps(changes, now));
    } catch (err) {
      this.#failed(batch, err, changes);
      this.#afterCommit();
      return;
    }
    this.#inFlightRows = batch.length;
    this.#inFlightDeletes = changes?.deletes ?? [];
    this.#inFlight = behind.write(plan.steps).then(
      () => this.#committed(plan.stored),
      (err: unknown) => this.#failed(batch, err, changes),
    );
    void this.#inFlight.finally(() => {
      this.#inFlight = undefined;
      this.#inFlightRows = 0;
      this.#inFlightDeletes = [];
      this.#afterCommit();
    });
  }

  #committed(stored: readonly CdrRecord[]): void {
    this.#written += stored.length;
    if (this.#archive !== undefined) this.#unarchived.push(...stored);
    // (Not after stop(): its rows were kept in the spill already, and this was the journal's emptying.)
    if (this.#dbFailures > 0 && !this.#stopped) this.#log.info(`cdr: database writes work again`);
    this.#dbFailures = 0;
  }

  /** A batch that did not commit goes back to the front of the queue, for the next attempt. */
  #failed(batch: NewCdrRecord[], err: unknown, changes?: JournalChanges): void {
    this.#pending = batch.concat(this.#pending);
    if (changes !== undefined) this.#changes?.giveBack(changes);
    this.#dbFailures++;
    this.#dbWriteFailures++;
    this.#dbError = reason(err);
    const what = batch.length > 0 ? `${batch.length} records` : 'the journal of calls in progress';
    this.#log.error(`cdr: could not write ${what}, will retry: ${this.#dbError}`);
  }

  #afterCommit(): void {
    this.#appendCsv();
    this.#forgetOldEnded();
    if (this.#stopped) return;
    if (this.#pending.length > 0 || this.#unarchived.length > 0 || this.#changes?.pending === true)
      this.#arm();
    else if (this.#changes !== undefined && this.#changes.journaled > 0) this.#arm(ALIVE_STAMP_MS);
  }

  /** Records the calls still up, flushes, and stops the timer. Later events are ignored. Idempotent. */
  stop(): void {
    if (this.#stopped) return;
    this.#journalAtStop = [...(this.#changes?.ids() ?? []), ...this.#inFlightDeletes];
    for (const record of this.#held) this.#enqueue(record);
    this.#held.clear();
    this.recordLiveCalls([...this.#live.values()]);
    this.#stopped = true; // after recordLiveCalls: its records are the last accepted
    this.flush();
    this.#clearTimer();
    if (this.#inFlight === undefined) this.#keepUnwritten(); // else settle() does, with what comes back
  }

  /**
   * After stop(): the rows the database did not take (a full disk) kept in the spill file for the next
   * start; where even that fails, in the log (its console lines reach journald, docker logs), one ERROR a
   * row, as the CSV archive's lines. Never throws.
   */
  #keepUnwritten(): void {
    if (!this.#stopped || this.#pending.length === 0) return;
    const batch = this.#pending;
    const spill = this.#spill;
    if (spill === undefined) {
      this.#log.error(`cdr: stopping with ${batch.length} records not written`);
      return;
    }
    this.#pending = [];
    let rows: CdrRecord[] | undefined;
    try {
      rows = this.#numbered(batch);
      spill.write({ rows, journal: this.#journalAtStop });
      this.#log.warning(
        `cdr: stopping with ${rows.length} records the database did not take (${this.#dbError}): kept in ` +
          `${spill.file}, written to the database at the next start before anything else`,
      );
    } catch (err) {
      this.#log.error(
        `cdr: stopping with ${batch.length} records the database did not take (${this.#dbError}), and ` +
          `${spill.file} could not be written either (${reason(err)}): their CSV lines follow, one a line`,
      );
      for (const r of (rows ?? batch) as Partial<CdrRecord>[])
        this.#log.error(
          `cdr: not written: ${typeof r.record_id === 'string' ? cdrCsvLine(r as CdrRecord).trimEnd() : JSON.stringify(r)}`,
        );
    }
  }

  /** The batch with record ids (a batch whose insert failed was numbered already). */
  #numbered(batch: NewCdrRecord[]): CdrRecord[] {
    if (batch.every((r) => typeof (r as Partial<CdrRecord>).record_id === 'string'))
      return batch as CdrRecord[];
    if (this.#store.plan === undefined) throw new Error('this store cannot number rows');
    return this.#store.plan(batch, this.#now()).stored;
  }

  #guard(kind: string, work: () => void): void {
    try {
      work();
    } catch (err) {
      this.#log.error(`cdr: a ${kind} event could not be recorded: ${reason(err)}`);
    }
  }

  /** A call's row; the journal, if it holds the call, loses it in the same batch. */
  #enqueueCall(id: string, record: NewCdrRecord): void {
    if (this.#stopped) {
      this.#enqueue(record);
      return;
    }
    this.#changes?.recorded(id);
    this.#enqueue(record);
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
        this.#csvRows += records.length;
        if (setAside !== undefined)
          this.#log.warning(
            `cdr: ${setAside.file} was renamed ${setAside.aside}, whole, and the day's rows go on in a new ` +
              `${setAside.file}: ${setAside.why} (the original's file, or an older IMS Lab's)`,
          );
      } catch (err) {
        failed.push(...records);
        this.#csvWriteFailures++;
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

  /**
   * Arms the flush timer unless armed to fire as soon; after failures it backs off (doubling, up to 5 s).
   * `atLeastMs`: no sooner than that (the journal's "still running" stamp).
   */
  #arm(atLeastMs = 0): void {
    if (this.#timer !== undefined) {
      if (this.#timerAtLeast <= atLeastMs) return; // armed already, as soon
      clearTimeout(this.#timer); // the stamp's timer, and a flush is needed sooner
    }
    const failures = Math.min(Math.max(this.#dbFailures, this.#csvFailures), 10);
    const delay = Math.max(this.#interval, Math.min(this.#interval * 2 ** failures, MAX_RETRY_MS), atLeastMs);
    this.#timerAtLeast = atLeastMs;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      const behind = this.#behind;
      if (behind !== undefined && behind.available()) this.#flushBehind(behind);
      else this.flush();
    }, delay);
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
