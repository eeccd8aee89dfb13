// What both client machines share (RFC 3261 §17.1): the request bytes for retransmission, the next hop,
// and the transaction user's callbacks.
import type { SipRequest, SipResponse } from '../message/index';
import type { Peer } from '../transport/peer';
import { Transaction, type TransactionHost } from './transaction';
import { timerValues, type TimerValues } from './timer-values';

export interface ClientTransactionUser {
  /** Provisional and final responses, once each (retransmitted finals are absorbed). */
  onResponse(response: SipResponse, tx: ClientTransaction): void;
  /** Timer B or F fired with no final response: the TU treats it as a 408 (§8.1.3.1). */
  onTimeout?(tx: ClientTransaction): void;
  /** The transport could not send (`err`: the socket's word, if any): treated as a 503 (§8.1.3.1). */
  onTransportError?(tx: ClientTransaction, err?: Error): void;
}

const NO_USER: ClientTransactionUser = { onResponse: () => undefined };

export abstract class ClientTransaction extends Transaction {
  protected readonly t: TimerValues;
  readonly method: string;
  /** The request and its bytes, dropped once a final response leaves only timers to run. */
  protected request: SipRequest | undefined;
  protected bytes: Buffer | undefined;

  constructor(
    key: string,
    host: TransactionHost,
    request: SipRequest,
    bytes: Buffer,
    readonly target: Peer,
    protected user: ClientTransactionUser,
  ) {
    super(key, host);
    this.request = request;
    this.bytes = bytes;
    this.method = request.method;
    this.t = timerValues(host.timerBase, target.transport);
  }

  /** Frees what only the sending phase needs (tens of thousands of transactions linger in D, K, M). */
  protected release(): void {
    this.request = undefined;
    this.bytes = undefined;
  }

  /**
   * The TU wants no more word of this transaction: it lets go of the TU (a machine in Completed lingers
   * for Timer D or K only to absorb or ACK retransmitted finals, §17.1.1.2, §17.1.2.2, and tells the TU
   * nothing it would act on).
   */
  forgetUser(): void {
    this.user = NO_USER;
  }

  /** Sends the request and starts the timers. */
  abstract start(): void;

  /** A response whose top Via branch and CSeq method matched (§17.1.3). */
  abstract receive(response: SipResponse): void;

  /**
   * The TU gives up on a transaction still waiting for its final response (§9.1: no final response 64*T1
   * after our CANCEL; the connection it went down has closed): it ends here, the TU told nothing. An INVITE
   * in Proceeding has no timer of its own left (§17.1.1.2), so without this it would stay for good.
   */
  abandon(): void {
    if (this.state === 'Terminated') return;
    this.release();
    this.terminate();
  }

  transportError(err?: Error): void {
    if (this.state === 'Terminated') return;
    this.user.onTransportError?.(this, err);
    this.terminate();
  }

  protected sendRequest(retransmission: boolean): void {
    if (this.bytes === undefined) return;
    if (retransmission) this.host.retransmitted(this.method);
    // §17.1.4: a transport failure ends the transaction; the TU treats it as a 503 (§8.1.3.1).
    this.host.send(this.bytes, this.target, this.method, this);
  }
}
