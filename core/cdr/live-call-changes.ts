// What the journal of calls in progress (live-calls.ts) must be told at the CDR recorder's next flush,
// gathered in memory between two flushes so that the SIP path pays nothing per message: an event only
// sets the call's latest snapshot in a map (or deletes it), and a call that starts and ends between two
// flushes never reaches the journal at all. Only calls alive at a flush are written (their latest
// snapshot, once however many events came), and each is removed in the transaction that commits its
// CDR row (the recorder queues both in one batch), so that after an unclean stop a call has its row or
// its journal entry, never both and never neither. Pure: no I/O, no clock.
import type { Call } from '../calls/call';
import { detached } from '../sip/message/detached';

/**
 * A call as the journal keeps it: its snapshot and the extra_info another part gave it at its start (the
 * dialer's `dialer campaign=C0001`), which its row written after an unclean stop carries.
 */
export type JournaledCall = Call & { extraInfo?: string };

/** One flush's worth of changes to the journal. */
export interface JournalChanges {
  /** Live calls to write (insert or replace), their latest snapshot. */
  upserts: Readonly<JournaledCall>[];
  /** Calls to remove: their CDR row is in the same batch. */
  deletes: string[];
  /** Remove every call (a clean stop: every live call's row is in the batch). */
  clearAll: boolean;
}

export class LiveCallChanges {
  /** Ids in the journal, written or on their way (flat copies: an id is a slice of the INVITE's text). */
  readonly #journaled = new Set<string>();
  /** Live calls whose snapshot changed since the last take(), by id. */
  readonly #changed = new Map<string, Readonly<Call>>();
  /** Journaled calls whose row is queued: removed with it. */
  readonly #gone = new Set<string>();
  #clearAll = false;

  /** A call started or changed (ringing, answered, re-INVITE): its snapshot goes in at the next flush. */
  changed(call: Readonly<Call>): void {
    this.#changed.set(call.id, call);
  }

  /** A call ended: nothing to write for it any more (its row is on its way, recorded() removes it). */
  ended(id: string): void {
    this.#changed.delete(id);
  }

  /** A call's CDR row was queued: if the journal holds it, it is removed in that row's batch. */
  recorded(id: string): void {
    this.#changed.delete(id);
    if (this.#journaled.delete(id)) this.#gone.add(id);
  }

  /** The journal is to be emptied with the next batch (a clean stop). */
  clearAll(): void {
    this.#clearAll = true;
    this.#changed.clear();
    this.#gone.clear();
    this.#journaled.clear();
  }

  /** Calls the journal already holds (those a start found, until their rows are queued). */
  adopt(ids: Iterable<string>): void {
    for (const id of ids) this.#journaled.add(id);
  }

  /** The ids of the calls the journal may hold: journaled, and those whose removal is not written yet. */
  ids(): string[] {
    return [...this.#journaled, ...this.#gone];
  }

  /** Something to write at the next flush. */
  get pending(): boolean {
    return this.#changed.size > 0 || this.#gone.size > 0 || this.#clearAll;
  }

  /** Calls the journal holds (or will once the batch on its way commits). */
  get journaled(): number {
    return this.#journaled.size;
  }

  /** The changes for the next batch, forgotten here (giveBack() if that batch fails); undefined: none. */
  take(): JournalChanges | undefined {
    if (!this.pending) return undefined;
    const taken: JournalChanges = {
      upserts: [...this.#changed.values()],
      deletes: [...this.#gone],
      clearAll: this.#clearAll,
    };
    for (const call of taken.upserts) this.#journaled.add(detached(call.id));
    this.#changed.clear();
    this.#gone.clear();
    this.#clearAll = false;
    return taken;
  }

  /** A batch that did not commit: its changes are made again with the next one, unless overtaken. */
  giveBack(taken: JournalChanges): void {
    if (taken.clearAll) {
      this.clearAll();
      return;
    }
    for (const id of taken.deletes) this.#gone.add(id);
    for (const call of taken.upserts) {
      // Still up (not recorded since) and not changed again meanwhile: its snapshot is written again.
      if (this.#journaled.has(call.id) && !this.#changed.has(call.id)) this.#changed.set(call.id, call);
    }
  }
}
