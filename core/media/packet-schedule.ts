// When each RTP packet of a stream is due: packet n at start + n × 20 ms on a monotonic clock, whatever
// the lateness of the timer that wakes the sender. The sender asks how many packets are due now and
// sends exactly that many, so a late wake-up is caught up at once and nothing drifts: a 10-minute
// stream is 30,000 packets, not 30,000 timer intervals.
export const PACKET_MS = 20;

export class PacketSchedule {
  /** Packets handed out so far. */
  sent = 0;

  constructor(
    /** Monotonic ms of packet 0. */
    readonly startAt: number,
    /** How many packets in all; Infinity until stopped. */
    readonly total: number = Infinity,
    readonly intervalMs: number = PACKET_MS,
  ) {}

  /** Packets due at `now` and not yet handed out. */
  due(now: number): number {
    if (now < this.startAt) return 0;
    const upTo = Math.min(Math.floor((now - this.startAt) / this.intervalMs) + 1, this.total);
    return Math.max(0, upTo - this.sent);
  }

  /** Takes the packets due at `now` (at most `most`): the index of the first and how many. */
  take(now: number, most = Infinity): { first: number; count: number } {
    const first = this.sent;
    const count = Math.min(this.due(now), most);
    this.sent += count;
    return { first, count };
  }

  /** The ideal send time of packet n. */
  timeOf(n: number): number {
    return this.startAt + n * this.intervalMs;
  }

  /** When the next packet is due; Infinity when all are sent. */
  get nextAt(): number {
    return this.sent >= this.total ? Infinity : this.timeOf(this.sent);
  }

  get done(): boolean {
    return this.sent >= this.total;
  }
}
