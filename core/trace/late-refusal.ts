// A request refused once its handling began (RFC 3261 §8.2: the registrar's 400 for a second Expires or a
// Contact it cannot take, a header found malformed late): the transport had handed it on, and the trace
// kept it as accepted. It is marked as the transport's refusals are, its `error` the answer ("400
// Duplicate Expires header": labelled "REGISTER (malformed)", "! 400 ..." in the ladder), in the ring and
// in trace.db's batch still waiting. The refusal comes while the request is handled, before the next one
// is received, so the last message received is all there is to remember; HEP has sent it already.
import type { SipMessage } from '../sip/message/index';
import type { HeldMessage } from './held-message';

/** A row waiting for trace.db's next batch (TraceStore.push). */
export interface WaitingRow {
  error: string | undefined;
}

export class LastReceived {
  private message: SipMessage | undefined;
  private seq = 0;
  private held: HeldMessage | undefined;
  private row: WaitingRow | undefined;

  /** A message received that parsed and passed the transport's checks, as kept: ring record, trace.db row. */
  keep(message: SipMessage, seq: number, held: HeldMessage | undefined, row: WaitingRow | undefined): void {
    this.message = message;
    this.seq = seq;
    this.held = held;
    this.row = row;
  }

  /** Marks `message` refused, `error` why, when it is the last received (else nothing). */
  refused(message: SipMessage, error: string): boolean {
    if (message !== this.message) return false;
    // The ring's record is reused once it lets the message go: still this message's only with its seq.
    if (this.held !== undefined && this.held.seq === this.seq) this.held.error = error;
    if (this.row !== undefined) this.row.error = error;
    this.message = this.held = this.row = undefined;
    return true;
  }
}
