// The Call-IDs of the calls the tracker ended in the last 64*T1 (32 s): a BYE of such a call that comes
// late (both parties hung up at once, RFC 3261 §15; IMS Lab's own BYE crossed a party's) is of a dialog
// this process knew, not one set up before a restart (unknown-dialog-bye.ts). Kept in the order they
// ended, the oldest forgotten as new ones come: a Map insert per ended call, nothing per message.

/** How long an ended call's Call-ID is remembered (64*T1, RFC 3261 §17.1.2.2: a BYE's transaction). */
export const ENDED_LATELY_MS = 32_000;

export class EndedLately {
  readonly #at = new Map<string, number>();

  constructor(private readonly windowMs = ENDED_LATELY_MS) {}

  /** The call of this Call-ID ended at `now` (a monotonic clock). */
  mark(callId: string, now: number): void {
    this.#at.delete(callId); // to the end of the order
    this.#at.set(callId, now);
    for (const [id, at] of this.#at) {
      if (at > now - this.windowMs) break;
      this.#at.delete(id);
    }
  }

  /** Did a call of this Call-ID end within the window before `now`? */
  has(callId: string, now: number): boolean {
    const at = this.#at.get(callId);
    return at !== undefined && at > now - this.windowMs;
  }
}
