// An INVITE transaction pair in Accepted (RFC 6026 §7.1, §7.2) once its transaction user is done with
// it (a proxy's response context with every branch final), kept as the little that state still needs
// until Timer L / Timer M (64*T1, 32 s): the layer swaps the machines for these records (linger-queue.ts)
// so that the machines, and the TU they hold, are let go. Tens of thousands wait at once under load:
// one pair for every call answered in the last 32 s.
import type { SipResponse } from '../message/index';
import type { Peer } from '../transport/peer';

/**
 * What the TU does to a further 2xx before it goes upstream (a proxy takes its Via off the top, RFC 3261
 * §16.7 step 3), as the bytes to send; undefined when it goes nowhere (no Via left: it was for us). One
 * function for every record, not a closure per call.
 */
export type Relay2xx = (response: SipResponse) => Buffer | undefined;

export interface AcceptedHost {
  /** `replyTo`: a response's CSeq method (sip_replies_total). */
  send(data: Buffer, to: Peer, kind: string, onError?: undefined, replyTo?: string): void;
}

/**
 * The server side until Timer L: it absorbs INVITE retransmissions (the layer counts them) and sends
 * nothing, as the Accepted machine did; a 2xx end to end is the client record's to relay.
 */
export class AcceptedInviteServer {
  constructor(
    readonly key: string,
    /** When Timer L fires (ms since the epoch). */
    readonly due: number,
  ) {}

  receive(): void {
    // §17.2.1 / RFC 6026 §7.1: absorbed.
  }
}

/**
 * The client side until Timer M: every further 2xx (a retransmission, or another fork's) goes to the TU
 * in Accepted (RFC 6026 §7.2); here the TU's relay runs in its place and the bytes go where the server
 * transaction sent its 2xx, as the Accepted server machine would have sent them.
 */
export class AcceptedInviteClient {
  constructor(
    readonly key: string,
    /** When Timer M fires (ms since the epoch). */
    readonly due: number,
    /** The upstream response target; undefined when the server transaction was not Accepted (it sent a
     * non-2xx final, and drops every 2xx after it). */
    private readonly upstream: Peer | undefined,
    private readonly relay: Relay2xx,
    private readonly host: AcceptedHost,
  ) {}

  receive(response: SipResponse): void {
    const status = response.status;
    if (status < 200 || status >= 300) return;
    const bytes = this.relay(response);
    if (bytes !== undefined && this.upstream !== undefined)
      this.host.send(bytes, this.upstream, String(status), undefined, 'INVITE');
  }
}
