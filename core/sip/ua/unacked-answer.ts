// The user agent's 2xx to a re-INVITE until its ACK comes (RFC 3261 §13.3.1.4): the UAS core, not the
// transaction (in Accepted it sends nothing, RFC 6026 §7.1), passes it to the transport again after
// T1, the interval doubling up to T2; the ACK stops it. 64*T1 after the first without an ACK, the
// session is to be ended with a BYE: `onNoAck` is told. The agent sends UDP only, so always retransmitted.
import type { TimerEntry, TimerTarget, TimerWheel } from '../transaction/timer-wheel';
import type { TimerBase } from '../transaction/timer-values';

export class UnackedAnswer implements TimerTarget {
  private entry: TimerEntry | undefined;
  /** Since the first transmission (ms): the sum of the intervals waited, not the wheel's clock. */
  private at = 0;
  private wait: number;
  private readonly limit: number;

  constructor(
    /** The INVITE's CSeq number, which its ACK carries (§13.2.2.4). */
    readonly cseq: number,
    private readonly resend: () => void,
    private readonly onNoAck: () => void,
    private readonly wheel: TimerWheel,
    private readonly base: TimerBase,
  ) {
    this.wait = base.t1;
    this.limit = 64 * base.t1;
    this.entry = wheel.start(this, '2xx', this.wait);
  }

  onTimer(): void {
    this.entry = undefined;
    this.at += this.wait;
    if (this.at >= this.limit) {
      this.onNoAck();
      return;
    }
    this.resend();
    this.wait = Math.min(2 * this.wait, this.base.t2, this.limit - this.at);
    this.entry = this.wheel.start(this, '2xx', this.wait);
  }

  /** The ACK came, or the call is over. */
  stop(): void {
    this.wheel.cancel(this.entry);
    this.entry = undefined;
  }
}
