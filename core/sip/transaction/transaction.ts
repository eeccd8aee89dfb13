// What the four transaction machines share: their states (RFC 3261 §17 plus RFC 6026's Accepted), the
// host they act through (send bytes, run timers, be forgotten), and timer bookkeeping by RFC letter.
import type { Peer } from '../transport/peer';
import type { TimerEntry, TimerTarget, TimerWheel } from './timer-wheel';
import type { TimerBase } from './timer-values';

export type TransactionState =
  'Calling' | 'Trying' | 'Proceeding' | 'Accepted' | 'Completed' | 'Confirmed' | 'Terminated';

/** The layer around a transaction: the I/O the machine asks for. */
export interface TransactionHost {
  /** `onError`: the transport could not send (§17.1.4, §17.2.4). */
  send(data: Buffer, to: Peer, kind: string, onError?: () => void): void;
  readonly timers: TimerWheel;
  readonly timerBase: TimerBase;
  /** Called once when the transaction terminates, to drop it from the matching tables. */
  forget(tx: Transaction): void;
  /** Counts a retransmission sent by a machine (requests by a client, responses by a server). */
  retransmitted(kind: string): void;
  /** The Server header value of locally built responses (§20.35), if any. */
  readonly serverName?: string;
}

export abstract class Transaction implements TimerTarget {
  abstract state: TransactionState;
  private readonly running: TimerEntry[] = [];

  constructor(
    /** The matching key (§17.1.3 / §17.2.3) under which the layer keeps it. */
    readonly key: string,
    protected readonly host: TransactionHost,
  ) {}

  /** The wheel's callback: forget the entry, then let the machine act on its timer. */
  onTimer(name: string): void {
    for (let i = 0; i < this.running.length; i++) {
      if (this.running[i]!.name === name) {
        this.running.splice(i, 1);
        break;
      }
    }
    if (this.state !== 'Terminated') this.timerFired(name);
  }

  protected abstract timerFired(name: string): void;

  protected startTimer(name: string, ms: number): void {
    this.stopTimer(name);
    this.running.push(this.host.timers.start(this, name, ms));
  }

  protected stopTimer(name: string): void {
    for (let i = 0; i < this.running.length; i++) {
      const e = this.running[i]!;
      if (e.name === name) {
        this.host.timers.cancel(e);
        this.running.splice(i, 1);
        return;
      }
    }
  }

  protected terminate(): void {
    if (this.state === 'Terminated') return;
    this.state = 'Terminated';
    for (const e of this.running) this.host.timers.cancel(e);
    this.running.length = 0;
    this.host.forget(this);
  }
}
