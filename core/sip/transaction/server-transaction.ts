// What both server machines share (RFC 3261 §17.2): the request, where responses go (§18.2.2,
// RFC 3581), the last response for retransmissions, and the To tag of locally built responses.
import { buildResponse, newTag, reasonPhrase, type ResponseOptions, type SipRequest } from '../message/index';
import type { Peer } from '../transport/peer';
import { responseTarget } from '../transport/response-target';
import { Transaction, type TransactionHost } from './transaction';
import { timerValues, type TimerValues } from './timer-values';

export interface ServerTransactionEvents {
  /** Timer H fired without an ACK, or the transport failed: the TU may want to know (§17.2.1, §17.2.4). */
  onFailure?(tx: ServerTransaction, reason: 'timeout' | 'transport'): void;
  /** The ACK for a non-2xx final arrived (INVITE only). */
  onAck?(tx: ServerTransaction, ack: SipRequest): void;
}

export abstract class ServerTransaction extends Transaction {
  /** Dropped once a final response is sent and only retransmission work is left. */
  request: SipRequest | undefined;
  readonly method: string;
  readonly source: Peer;
  readonly target: Peer;
  protected lastResponse: Buffer | undefined;
  protected lastKind = '';
  /** The status of the final response this TU gave with reply(), once given (the registrar counts it). */
  finalStatus: number | undefined;
  protected readonly t: TimerValues;
  private tag: string | undefined;
  events: ServerTransactionEvents = {};

  constructor(key: string, host: TransactionHost, request: SipRequest, source: Peer) {
    super(key, host);
    this.request = request;
    this.method = request.method;
    this.source = source;
    this.target = responseTarget(request.topVia, source);
    this.t = timerValues(host.timerBase, source.transport);
  }

  /** The To tag this UAS puts on its responses (one per transaction). */
  get toTag(): string {
    return (this.tag ??= newTag());
  }

  /**
   * Builds and sends a response to the request (§8.2.6); `opts.toTag` overrides the transaction's. Its
   * bytes (a UAS core retransmits its 2xx itself, §13.3.1.4), or undefined when nothing was sent.
   */
  reply(status: number, opts: ResponseOptions = {}): Buffer | undefined {
    const request = this.request;
    if (request === undefined) return undefined;
    const server = this.host.serverName;
    const headers =
      server === undefined ? opts.headers : [...(opts.headers ?? []), ['Server', server] as const];
    const bytes = buildResponse(request, status, { toTag: this.toTag, ...opts, headers });
    this.respond(bytes, status);
    if (status >= 200) this.finalStatus = status;
    // Refused once its handling began (a header found malformed or wrong late): said to whoever marks it.
    if (status === 400) this.host.refused?.(request, `400 ${opts.reason ?? reasonPhrase(400)}`);
    return bytes;
  }

  /**
   * Ends the transaction without a final response: RFC 4320 §4.2, a non-INVITE request no answer came
   * for in time (a 408 MUST NOT be sent: the client's own Timer F ends its side).
   */
  abandon(): void {
    this.request = undefined;
    this.terminate();
  }

  /** Sends response bytes the TU built or relayed (a proxy's forwarded response). */
  abstract respond(data: Buffer, status: number): void;

  /** A retransmission of the request (or, for INVITE, an ACK) matched this transaction. */
  abstract receive(request: SipRequest): void;

  protected transmit(data: Buffer, kind: string): void {
    this.lastResponse = data;
    this.lastKind = kind;
    this.host.send(data, this.target, kind, this, this.method);
  }

  protected retransmitLast(): void {
    if (this.lastResponse === undefined) return;
    this.host.retransmitted(this.lastKind);
    this.host.send(this.lastResponse, this.target, this.lastKind, this, this.method);
  }

  private transportFailed = false;

  /**
   * §17.2.4 / §18.2.2: a response could not be sent (no route, the TCP connection gone and none could be
   * opened): the TU is told, once; the machine's own timers still end the transaction.
   */
  transportError(): void {
    if (this.transportFailed) return;
    this.transportFailed = true;
    this.events.onFailure?.(this, 'transport');
  }
}
