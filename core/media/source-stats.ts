// What arrives from one RTP source, one SSRC (RFC 3550 §6.4.1, appendix A.1, A.3, A.8): packets, the
// extended highest sequence number with wrap-around, expected and lost packets, out-of-order arrivals
// and the interarrival jitter J += (|D| - J) / 16 in timestamp units, reported here in milliseconds.
// A call's receiver keeps one per source (receive-stats.ts).
const RTP_SEQ_MOD = 1 << 16;
const MAX_DROPOUT = 3000;
const MAX_MISORDER = 100;

export interface ReceiveSummary {
  received: number;
  expected: number;
  lost: number;
  outOfOrder: number;
  duplicates: number;
  /** Interarrival jitter now and its largest value, ms. */
  jitterMs: number;
  maxJitterMs: number;
  /** SSRC of the stream counted (the first seen), 0 when none. */
  ssrc: number;
}

export class SourceStats {
  private started = false;
  private baseSeq = 0;
  private maxSeq = 0;
  private cycles = 0;
  private received = 0;
  private outOfOrder = 0;
  private duplicates = 0;
  private lastTransit = 0;
  private haveTransit = false;
  /** Jitter in timestamp units (A.8). */
  private jitter = 0;
  private maxJitter = 0;
  /** For the RTCP reception report's fraction lost (A.3): expected and received at the last report. */
  private expectedPrior = 0;
  private receivedPrior = 0;
  private readonly seen = new Uint8Array(RTP_SEQ_MOD / 8);

  constructor(
    /** The source's SSRC. */
    readonly ssrc: number,
    /** RTP clock rate of the payload (8000 for G.711). */
    private readonly clockRate = 8000,
  ) {}

  /**
   * One RTP packet of this source arrived at `arrivalMs` (any monotonic ms clock). `timed` false: a packet counted for loss and order but not for jitter, an RFC 4733 event, whose
   * packets all carry the event's start timestamp (§2.5.1.2) and would read as network jitter.
   */
  packet(sequence: number, timestamp: number, arrivalMs: number, timed = true): void {
    if (!this.started) {
      this.started = true;
      this.baseSeq = sequence;
      this.maxSeq = sequence;
    }
    const bit = 1 << (sequence & 7);
    const byte = sequence >> 3;
    const udelta = (sequence - this.maxSeq + RTP_SEQ_MOD) % RTP_SEQ_MOD;
    if (this.received > 0 && udelta === 0) {
      this.duplicates++;
      return;
    }
    if (this.received === 0 || (udelta > 0 && udelta < MAX_DROPOUT)) {
      if (this.received > 0 && sequence < this.maxSeq) this.cycles += RTP_SEQ_MOD; // wrapped
      // Clear the "seen" marks of the sequence numbers skipped over, for duplicate detection later.
      for (let s = (this.maxSeq + 1) & 0xffff, k = 0; k < udelta - 1; k++, s = (s + 1) & 0xffff)
        this.seen[s >> 3]! &= ~(1 << (s & 7));
      this.maxSeq = sequence;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // A very large jump: the sender restarted; re-synchronise (A.1, simplified).
      this.baseSeq = sequence;
      this.maxSeq = sequence;
      this.cycles = 0;
      this.received = 0;
      this.expectedPrior = 0;
      this.receivedPrior = 0;
      this.seen.fill(0);
    } else {
      // Late: before the highest seen, inside the misorder window.
      if (this.seen[byte]! & bit) {
        this.duplicates++;
        return;
      }
      this.outOfOrder++;
    }
    this.seen[byte]! |= bit;
    this.received++;
    if (!timed) return;
    // A.8: transit time in timestamp units; the arrival clock's origin cancels out in D.
    const arrival = (arrivalMs * this.clockRate) / 1000;
    const transit = arrival - timestamp;
    if (this.haveTransit) {
      let d = transit - this.lastTransit;
      // Timestamps wrap at 2^32: take the shortest difference.
      if (d > 2 ** 31) d -= 2 ** 32;
      else if (d < -(2 ** 31)) d += 2 ** 32;
      this.jitter += (Math.abs(d) - this.jitter) / 16;
      if (this.jitter > this.maxJitter) this.maxJitter = this.jitter;
    }
    this.lastTransit = transit;
    this.haveTransit = true;
  }

  get extendedMax(): number {
    return this.cycles + this.maxSeq;
  }

  summary(): ReceiveSummary {
    const expected = this.received === 0 ? 0 : this.extendedMax - this.baseSeq + 1;
    return {
      received: this.received,
      expected,
      lost: Math.max(0, expected - this.received),
      outOfOrder: this.outOfOrder,
      duplicates: this.duplicates,
      jitterMs: (this.jitter * 1000) / this.clockRate,
      maxJitterMs: (this.maxJitter * 1000) / this.clockRate,
      ssrc: this.ssrc,
    };
  }

  /** A reception report block's figures (RFC 3550 §6.4.1, A.3); advances the "prior" counters. */
  reportBlock(): {
    ssrc: number;
    fractionLost: number;
    cumulativeLost: number;
    extendedMax: number;
    jitter: number;
  } {
    const expected = this.received === 0 ? 0 : this.extendedMax - this.baseSeq + 1;
    const expectedInterval = expected - this.expectedPrior;
    const receivedInterval = this.received - this.receivedPrior;
    this.expectedPrior = expected;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost =
      expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval << 8) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost,
      cumulativeLost: Math.max(0, Math.min(expected - this.received, 0x7fffff)),
      extendedMax: this.extendedMax >>> 0,
      jitter: Math.floor(this.jitter) >>> 0,
    };
  }

  get active(): boolean {
    return this.started;
  }
}
