// What the four transaction machines share: their states (RFC 3261 §17 plus RFC 6026's Accepted), the
// host they act through (send bytes, run timers, be forgotten), and timer bookkeeping by RFC letter.
import type { SipRequest } from '../message/index';
import type { Peer } from '../transport/peer';
import type { SendFailureSink } from '../transport/send-failure';
import type { TimerEntry, TimerTarget, TimerWheel } from './timer-wheel';
import type { TimerBase } from './timer-values';

export type TransactionState =
  'Calling' | 'Trying' | 'Proceeding' | 'Accepted' | 'Completed' | 'Confirmed' | 'Terminated';

/** The layer around a transaction: the I/O the machine asks for. */
export interface TransactionHost {
  /**
   * `onError`: the transport could not send (§17.1.4, §17.2.4); `replyTo`: for a response, the method of
   * its request (sip_replies_total).
   */
  send(data: Buffer, to: Peer, kind: string, onError?: SendFailureSink, replyTo?: string): void;
  readonly timers: TimerWheel;
  readonly timerBase: TimerBase;
  /** Called once when the transaction terminates, to drop it from the matching tables. */
  forget(tx: Transaction): void;
  /**
   * A non-INVITE server transaction reached Completed on an unreliable transport: the layer keeps its final
   * response for retransmissions until Timer J (`ms`), in place of the machine (completed-non-invite.ts).
   */
  completed(key: string, response: Buffer, target: Peer, kind: string, ms: number, method: string): void;
  /** Counts a retransmission sent by a machine (requests by a client, responses by a server). */
  retransmitted(kind: string): void;
  /** The Server header value of locally built responses (§20.35), if any. */
  readonly serverName?: string;
  /** A request a server transaction answered 400 itself (§8.2, §21.4.1): `why` its status and reason. */
  refused?(request: SipRequest, why: string): void;
}

export abstract class Transaction implements TimerTarget, SendFailureSink {
  abstract state: TransactionState;
  // The running timers: no machine runs more than two at once (A+B, E+F, G+H). Two fields rather than
  // an array: tens of thousands of transactions linger for Timers J, L and M, and an array costs ~150 B.
  private timer0: TimerEntry | undefined;
  private timer1: TimerEntry | undefined;

  constructor(
    /** The matching key (§17.1.3 / §17.2.3) under which the layer keeps it. */
    readonly key: string,
    protected readonly host: TransactionHost,
  ) {}

  /** The transport could not send for this transaction. */
  abstract transportError(err?: Error): void;

  /** The wheel's callback: forget the entry, then let the machine act on its timer. */
  onTimer(name: string): void {
    if (this.timer0?.name === name) this.timer0 = undefined;
    else if (this.timer1?.name === name) this.timer1 = undefined;
    if (this.state !== 'Terminated') this.timerFired(name);
  }

  protected abstract timerFired(name: string): void;

  protected startTimer(name: string, ms: number): void {
    this.stopTimer(name);
    const entry = this.host.timers.start(this, name, ms);
    if (this.timer0 === undefined) this.timer0 = entry;
    else if (this.timer1 === undefined) this.timer1 = entry;
    else
      throw new Error(
        `transaction ${this.key}: a third timer (${name}) while ${this.timer0.name} and ${this.timer1.name} run`,
      );
  }

  protected stopTimer(name: string): void {
    if (this.timer0?.name === name) {
      this.host.timers.cancel(this.timer0);
      this.timer0 = undefined;
    } else if (this.timer1?.name === name) {
      this.host.timers.cancel(this.timer1);
      this.timer1 = undefined;
    }
  }

  /** When the named timer fires (ms since the epoch), if it runs. */
  protected dueOf(name: string): number | undefined {
    if (this.timer0?.name === name) return this.timer0.due;
    return this.timer1?.name === name ? this.timer1.due : undefined;
  }

  protected terminate(): void {
    if (this.state === 'Terminated') return;
    this.state = 'Terminated';
    this.host.timers.cancel(this.timer0);
    this.host.timers.cancel(this.timer1);
    this.timer0 = this.timer1 = undefined;
    this.host.forget(this);
  }
}
