// What arrives on a call's RTP port, for the call's figures and its RTCP reports: one SourceStats per
// RTP source (SSRC, RFC 3550 §8), so that a far end that changes its SSRC mid-call (a new media source
// after a re-INVITE, a media server going from its announcement to the bridged call) is counted whole,
// not only its first stream. A new SSRC is a source once two packets of it came in sequence (the
// probation of RFC 3550 A.1, MIN_SEQUENTIAL): a stray packet is not one. The call's figures are the sums
// over its sources; the jitter and the RTCP reception report are those of the newest source.
import { SourceStats, type ReceiveSummary } from './source-stats';

export type { ReceiveSummary } from './source-stats';

/** Sources a call counts at most; packets of further ones are ignored. */
const MAX_SOURCES = 16;

interface Probation {
  ssrc: number;
  sequence: number;
  timestamp: number;
  arrivalMs: number;
  timed: boolean;
}

export class ReceiveStats {
  private readonly sources = new Map<number, SourceStats>();
  /**
   * The newest source (its jitter is the call's, its report block goes in RTCP); a late packet of an
   * older one does not make that one current again.
   */
  private current: SourceStats | undefined;
  /** The first packet of an SSRC not yet a source (A.1: probation). */
  private probation: Probation | undefined;

  constructor(
    /** RTP clock rate of the payload (8000 for G.711). */
    private readonly clockRate = 8000,
  ) {}

  /**
   * One RTP packet arrived at `arrivalMs` (any monotonic ms clock). `timed` false: a packet counted for
   * loss and order but not for jitter, an RFC 4733 event (SourceStats.packet).
   */
  packet(sequence: number, timestamp: number, ssrc: number, arrivalMs: number, timed = true): void {
    let source = this.sources.get(ssrc);
    if (source === undefined) {
      const p = this.probation;
      if (
        this.sources.size > 0 &&
        (p === undefined || p.ssrc !== ssrc || ((p.sequence + 1) & 0xffff) !== sequence)
      ) {
        this.probation = { ssrc, sequence, timestamp, arrivalMs, timed };
        return;
      }
      if (this.sources.size >= MAX_SOURCES) return;
      source = new SourceStats(ssrc, this.clockRate);
      this.sources.set(ssrc, source);
      if (p !== undefined && p.ssrc === ssrc) source.packet(p.sequence, p.timestamp, p.arrivalMs, p.timed);
      this.probation = undefined;
      this.current = source;
    }
    source.packet(sequence, timestamp, arrivalMs, timed);
  }

  /** The call's figures: packets summed over its sources; the jitter now of the newest, the largest of all. */
  summary(): ReceiveSummary {
    const all = [...this.sources.values()].map((s) => s.summary());
    const sum = (f: (r: ReceiveSummary) => number): number => all.reduce((n, r) => n + f(r), 0);
    const latest = this.current?.summary();
    return {
      received: sum((r) => r.received),
      expected: sum((r) => r.expected),
      lost: sum((r) => r.lost),
      outOfOrder: sum((r) => r.outOfOrder),
      duplicates: sum((r) => r.duplicates),
      jitterMs: latest?.jitterMs ?? 0,
      maxJitterMs: Math.max(0, ...all.map((r) => r.maxJitterMs)),
      ssrc: latest?.ssrc ?? 0,
    };
  }

  /** The newest source's reception report block (RFC 3550 §6.4.1); only when `active`. */
  reportBlock(): ReturnType<SourceStats['reportBlock']> {
    return this.current!.reportBlock();
  }

  get active(): boolean {
    return this.current !== undefined;
  }
}
