// What test engineers read of a campaign: calls placed / answered / failed by SIP code, ASR (answered
// over completed calls, ITU-T E.411; calls the operator cleared before the answer are counted apart and
// left out: they are no seizure that failed), ACD (mean talk time of answered calls), post-dial delay (INVITE
// to first 18x, or to the final answer when no 18x came; cf. RFC 6076 §4.1) as p50/p95, and RTP packets
// sent, received and lost with mean and maximum interarrival jitter.

export interface CallResult {
  number: string;
  callId: string;
  /** Final status of the INVITE (200 when answered); 0 when the call never got one. */
  status: number;
  reason: string;
  answered: boolean;
  /** Who ended it: local (our BYE), remote (their BYE), cancelled, failed. */
  end: string;
  startedAt: number;
  endedAt: number;
  pddMs?: number;
  talkMs: number;
  rtpSent: number;
  rtpReceived: number;
  rtpLost: number;
  jitterMs: number;
  maxJitterMs: number;
  recording?: string;
  /** What did not go as asked though the call went on, e.g. DTMF not sent. */
  note?: string;
  /** Given up before the answer by STP CALL / STP DIALSVC (not the ring timeout). */
  cancelledByOperator?: boolean;
}

export interface CampaignFigures {
  placed: number;
  completed: number;
  answered: number;
  failed: number;
  /** Calls the operator cleared before the answer: neither answered nor failed, not in ASR. */
  cancelled: number;
  /** Failed calls by final SIP code, e.g. { "486": 1, "480": 1 } (not those the operator cleared). */
  byCode: Record<string, number>;
  asr: number | null;
  acdSeconds: number | null;
  pddP50Ms: number | null;
  pddP95Ms: number | null;
  rtpSent: number;
  rtpReceived: number;
  rtpLost: number;
  jitterMeanMs: number | null;
  jitterMaxMs: number | null;
}

/** What the calls still in progress add to a campaign's figures: answered at the answer, RTP so far. */
export interface LiveFigures {
  answered: number;
  rtpSent: number;
  rtpReceived: number;
  rtpLost: number;
  /** The post-dial delays of calls in progress whose first 18x or answer came. */
  pddMs?: number[];
  /** The jitter of calls in progress receiving RTP: the sum of their means, how many, their maximum. */
  jitterSumMs?: number;
  jitterCalls?: number;
  jitterMaxMs?: number | null;
}

const NO_LIVE: LiveFigures = { answered: 0, rtpSent: 0, rtpReceived: 0, rtpLost: 0 };

/** The p-th percentile (nearest rank) of sorted values. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

/** A campaign's calls by outcome, or the dialer's since it started. */
export interface Totals {
  placed: number;
  answered: number;
  failed: number;
  /** Ended by the operator before an answer: in neither answered nor failed (nor the ASR). */
  cancelled: number;
}

export class CampaignStatistics {
  placed = 0;
  private completed = 0;
  private answered = 0;
  private cancelled = 0;
  private readonly byCode = new Map<number, number>();
  private talkMs = 0;
  private readonly pdd: number[] = [];
  private rtpSent = 0;
  private rtpReceived = 0;
  private rtpLost = 0;
  private jitterSum = 0;
  private jitterCalls = 0;
  private jitterMax: number | null = null;

  add(r: CallResult): void {
    this.completed++;
    if (r.answered) {
      this.answered++;
      this.talkMs += r.talkMs;
    } else if (r.cancelledByOperator === true) this.cancelled++;
    else this.byCode.set(r.status, (this.byCode.get(r.status) ?? 0) + 1);
    if (r.pddMs !== undefined) this.pdd.push(r.pddMs);
    this.rtpSent += r.rtpSent;
    this.rtpReceived += r.rtpReceived;
    this.rtpLost += r.rtpLost;
    if (r.rtpReceived > 0) {
      this.jitterSum += r.jitterMs;
      this.jitterCalls++;
      this.jitterMax = Math.max(this.jitterMax ?? 0, r.maxJitterMs);
    }
  }

  /**
   * Placed, answered, failed and cancelled by the operator (`liveAnswered`: calls in progress answered),
   * without sorting the PDDs. Placed is the others and the calls in progress not answered yet.
   */
  counts(liveAnswered = 0): Totals {
    return {
      placed: this.placed,
      answered: this.answered + liveAnswered,
      failed: this.completed - this.answered - this.cancelled,
      cancelled: this.cancelled,
    };
  }

  /**
   * ACD is of completed calls; the counts and ASR include `live` calls answered (a seizure's outcome is
   * known at its answer: mid-campaign, 2 answered and talking beside 1 failed read ASR 0 % until they
   * hung up), PDD and jitter those of `live` calls known so far.
   */
  figures(live: LiveFigures = NO_LIVE): CampaignFigures {
    // A seizure's PDD and jitter are known while it is up, as its answer is (ASR): 10-minute calls
    // showed none for 10 minutes.
    const sorted = [...this.pdd, ...(live.pddMs ?? [])].sort((a, b) => a - b);
    const jitterCalls = this.jitterCalls + (live.jitterCalls ?? 0);
    const jitterSum = this.jitterSum + (live.jitterSumMs ?? 0);
    const liveMax = live.jitterMaxMs ?? null;
    const jitterMax =
      this.jitterMax === null
        ? liveMax
        : liveMax === null
          ? this.jitterMax
          : Math.max(this.jitterMax, liveMax);
    const round = (v: number | null, d = 2): number | null => (v === null ? null : Number(v.toFixed(d)));
    const seizures = this.completed - this.cancelled;
    return {
      placed: this.placed,
      completed: this.completed,
      answered: this.answered + live.answered,
      failed: seizures - this.answered,
      cancelled: this.cancelled,
      byCode: Object.fromEntries(
        [...this.byCode].sort((a, b) => a[0] - b[0]).map(([c, n]) => [String(c), n]),
      ),
      asr:
        seizures + live.answered === 0
          ? null
          : round((100 * (this.answered + live.answered)) / (seizures + live.answered)),
      acdSeconds: this.answered === 0 ? null : round(this.talkMs / this.answered / 1000),
      pddP50Ms: percentile(sorted, 50),
      pddP95Ms: percentile(sorted, 95),
      rtpSent: this.rtpSent + live.rtpSent,
      rtpReceived: this.rtpReceived + live.rtpReceived,
      rtpLost: this.rtpLost + live.rtpLost,
      jitterMeanMs: jitterCalls === 0 ? null : round(jitterSum / jitterCalls, 3),
      jitterMaxMs: round(jitterMax, 3),
    };
  }
}
