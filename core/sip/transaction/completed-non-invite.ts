// A non-INVITE server transaction in Completed (RFC 3261 §17.2.2), kept as the little that state still
// needs: its key, the final response (to resend on every retransmitted request) and where it went, for
// Timer J (64*T1 on UDP). Tens of thousands wait at once under load (every REGISTER, BYE, MESSAGE and
// OPTIONS for 32 s), so the machine itself is let go: the response is kept as a latin1 string (the same
// bytes, in the heap, without a Buffer's three objects and its external memory) and the expiry is a FIFO
// swept by one timer (linger-queue.ts), not a timer each.
import type { Peer } from '../transport/peer';
import { REPLY_METHODS, replyMethodIndex } from '../../observe/reply-counts';

export interface CompletedHost {
  /** `replyTo`: the response's CSeq method (sip_replies_total). */
  send(data: Buffer, to: Peer, kind: string, onError?: undefined, replyTo?: string): void;
  retransmitted(kind: string): void;
}

export class CompletedNonInvite {
  private readonly response: string;
  /** The request's method as one of the counter's constants: no slice of the request's text kept alive. */
  private readonly method: string;

  constructor(
    readonly key: string,
    response: Buffer,
    private readonly target: Peer,
    private readonly kind: string,
    method: string,
    /** When Timer J fires (ms since the epoch). */
    readonly due: number,
    private readonly host: CompletedHost,
  ) {
    this.response = response.toString('latin1');
    this.method = REPLY_METHODS[replyMethodIndex(method)]!;
  }

  /** A retransmission of the request: the final response again, byte for byte. */
  receive(): void {
    this.host.retransmitted(this.kind);
    this.host.send(Buffer.from(this.response, 'latin1'), this.target, this.kind, undefined, this.method);
  }
}
