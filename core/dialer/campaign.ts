// A campaign: the numbers to call, how many calls at once (CONCURRENCY) and how many new calls a second
// (RATE), the prompt and its duration, DTMF and recording. It runs in the background: calls are started
// while fewer than CONCURRENCY are up and the rate allows, each result goes into the statistics and out
// as an event. stop() ends the calls in progress (BYE / CANCEL) and starts no more.
import type { G711Law } from '../media/g711';
import { NoFreePairError } from '../media/port-pool';
import { anchoredClock } from '../observe/anchored-clock';
import { DialerCall, noteOf, type DialerCallEnv } from './dialer-call';
import { nextSlot } from './launch-pace';
import { waitingNote } from './waiting-note';
import {
  CampaignStatistics,
  type CallResult,
  type CampaignFigures,
  type LiveFigures,
  type Totals,
} from './statistics';

/** What a campaign's calls run on, and whom it tells when the account's credentials are refused. */
export interface CampaignEnv extends DialerCallEnv {
  credentialsRefused?: () => void;
}

export interface CampaignSpec {
  numbers: string[];
  audio: (law: G711Law) => Buffer;
  mediaFile: string;
  durationMs: number;
  concurrency: number;
  /** New calls per second. */
  rate: number;
  dtmf?: string;
  recordTo?: (number: string, callId: string) => string;
  ringTimeoutMs: number;
}

export type CampaignState = 'running' | 'stopping' | 'finished' | 'stopped';

export interface LiveCallView {
  number: string;
  callId: string;
  state: string;
  startedAt: number;
  answeredAt?: number;
  /** The answer's SIP code and the post-dial delay once known, as the result gives them at the end. */
  status?: number;
  pddMs?: number;
  rtpSent: number;
  rtpReceived: number;
  /** Now on the call's own clock as this was read: the console counts its talk time on it. */
  clockAt: number;
}

export interface CampaignSnapshot {
  id: string;
  state: CampaignState;
  mediaFile: string;
  durationMs: number;
  concurrency: number;
  rate: number;
  /** DTMF digits sent in each answered call, if any. */
  dtmf?: string;
  /** RECORD=YES: what the far end sends is recorded (absent in a summary kept by an older IMS Lab). */
  record?: boolean;
  total: number;
  inProgress: number;
  startedAt: number;
  endedAt?: number;
  /** When its first and its latest call were placed (call-rate.ts). */
  firstPlacedAt?: number;
  lastPlacedAt?: number;
  /**
   * Now on the campaign's own clock as this was read, while it runs: the console counts its elapsed time
   * and call rate on it (plus the browser's steady time since), so a wall clock step moves neither.
   */
  clockAt?: number;
  figures: CampaignFigures;
  /** What ended it, when not its own end: "Interrupted by shutdown: 60 of 300 placed". */
  note?: string;
  live: LiveCallView[];
  /** The most recent results, newest last. */
  recent: CallResult[];
}

export type CampaignEvent =
  { type: 'progress'; campaign: CampaignSnapshot } | { type: 'call'; campaignId: string; result: CallResult };

const RECENT = 200;

/**
 * A call refused for the account's credentials, not for the callee: 407 to an INVITE the user agent had
 * signed (it answers one challenge, RFC 3261 §22.3), 403 for a locked-out source or a disabled account.
 */
export function credentialsRefused(r: CallResult): boolean {
  if (r.answered) return false;
  if (r.status === 401 || r.status === 407) return true;
  return r.status === 403 && /too many failed attempts|Account [A-Z]+\)/.test(r.reason);
}

export class Campaign {
  state: CampaignState = 'running';
  readonly stats = new CampaignStatistics();
  readonly startedAt: number;
  endedAt: number | undefined;
  /** See CampaignSnapshot.note: what ended it. */
  note: string | undefined;
  /** Its CONCURRENCY held to the RTP port pairs at its start (port-cap.ts), its Note's first part. */
  capNote: string | undefined;
  /** When its first and its latest call were placed (the call rate achieved, call-rate.ts). */
  private firstPlacedAt: number | undefined;
  private lastPlacedAt: number | undefined;
  private next = 0;
  /** Numbers put back: their call found no RTP port pair it could open (placed again first). */
  private readonly retry: string[] = [];
  private readonly live = new Set<DialerCall>();
  /** Calls with a result whose BYE or CANCEL is still under way (their CDR rows are still the dialer's). */
  private readonly lingering = new Set<DialerCall>();
  private readonly recent: CallResult[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastLaunch = -Infinity;
  /** The first call's slot (performance.now()), from which lastPlacedAt counts. */
  private firstSlot: number | undefined;
  private readonly done: Promise<void>;
  private resolveDone!: () => void;
  /** The campaign's clock: its start on the wall clock, what elapsed since on the steady one. */
  private readonly now: () => number;

  constructor(
    readonly id: string,
    readonly spec: CampaignSpec,
    private readonly env: CampaignEnv,
    private readonly emit: (e: CampaignEvent) => void,
  ) {
    this.now = anchoredClock(env.now, env.elapsed);
    this.startedAt = this.now();
    this.done = new Promise((r) => (this.resolveDone = r));
  }

  /** Resolves when every call has ended (finished or stopped). */
  get finished(): Promise<void> {
    return this.done;
  }

  get inProgress(): number {
    return this.live.size;
  }

  /** Live and lingering calls (the CDR annotation looks up its RTP figures by Call-ID). */
  *calls(): Iterable<DialerCall> {
    yield* this.live;
    yield* this.lingering;
  }

  /** Resolves when the BYEs and CANCELs of ended calls have their answers (or timed out). */
  signallingDone(): Promise<void> {
    return Promise.all([...this.lingering].map((c) => c.signalling)).then(() => undefined);
  }

  start(): void {
    this.pump();
  }

  /** Ends the calls in progress and places no more. */
  stop(reason = 'Ended by operator'): Promise<void> {
    if (this.state === 'running') {
      this.state = 'stopping';
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      for (const c of this.live) c.hangup(reason);
      this.settle();
    }
    return this.done;
  }

  private pump(): void {
    this.timer = undefined;
    if (this.state !== 'running') return;
    const interval = 1000 / this.spec.rate;
    const placed = this.stats.placed;
    while (
      (this.retry.length > 0 || this.next < this.spec.numbers.length) &&
      this.live.size < this.spec.concurrency &&
      this.pairFree()
    ) {
      // Paced on the monotonic clock: a wall clock stepped back two minutes held the campaign as long.
      const now = performance.now();
      const slot = nextSlot(this.lastLaunch, interval, now);
      if (slot > now) {
        this.timer = setTimeout(() => this.pump(), slot - now);
        this.timer.unref();
        break;
      }
      this.lastLaunch = slot;
      this.launch(this.retry.shift() ?? this.spec.numbers[this.next++]!);
    }
    // Calls placed between results are news too (the console's progress panel follows the events).
    if (this.stats.placed !== placed) this.progress();
    if (this.timer === undefined) this.settle();
  }

  /**
   * Whether an RTP port pair is free for one more call: a call without one would fail without being
   * placed and count against the answer ratio (DIALER.RTP_PORT_MIN/MAX narrower than CONCURRENCY, or
   * another campaign's calls holding the pairs). The call waits instead: wake() when a pair is given
   * back. A range of no pair at all lets one call at a time go, to fail saying so.
   */
  private pairFree(): boolean {
    const pool = this.env.pool;
    // Pairs another program holds count as none (port-pool.ts): the call waits for one of ours.
    return pool.usable === 0 ? this.live.size === 0 : pool.free > 0;
  }

  /** An RTP port pair was given back (by any campaign's call): a call waiting for one may go. */
  wake(): void {
    if (this.state === 'running' && this.timer === undefined) this.pump();
  }

  private progress(): void {
    this.emit({ type: 'progress', campaign: this.snapshot(false) });
  }

  private launch(number: string): void {
    const spec = this.spec;
    const recordTo = spec.recordTo;
    const call = new DialerCall(
      {
        number,
        audio: spec.audio,
        durationMs: spec.durationMs,
        dtmf: spec.dtmf,
        recordTo: recordTo === undefined ? undefined : (callId) => recordTo(number, callId),
        ringTimeoutMs: spec.ringTimeoutMs,
        onAnswered: () => this.progress(),
      },
      this.env,
    );
    this.live.add(call);
    this.stats.placed++;
    // The span between placings on the launch grid's monotonic clock (launch-pace.ts): the wall clock's
    // whole milliseconds made 4 calls at RATE=7 span 428 ms, "7.01 calls/s" above the RATE asked.
    this.firstPlacedAt ??= call.startedAt;
    this.firstSlot ??= this.lastLaunch;
    this.lastPlacedAt = this.firstPlacedAt + (this.lastLaunch - this.firstSlot);
    void call.run().then(
      (result) => this.ended(call, result),
      (err: unknown) =>
        err instanceof NoFreePairError
          ? this.putBack(call, number)
          : this.ended(call, {
              number,
              callId: call.callId,
              status: 0,
              reason: `internal error: ${String(err)}`,
              answered: false,
              end: 'failed',
              startedAt: call.startedAt,
              endedAt: Math.max(call.startedAt, this.now()),
              talkMs: 0,
              rtpSent: 0,
              rtpReceived: 0,
              rtpLost: 0,
              jitterMs: 0,
              maxJitterMs: 0,
            }),
    );
  }

  /**
   * A call that found no RTP port pair to open (every usable one taken while it tried, another
   * program's found held on the way): it was never placed, is no seizure in ASR, and goes again once a
   * pair is given back (wake).
   */
  private putBack(call: DialerCall, number: string): void {
    this.live.delete(call);
    this.stats.placed--;
    if (this.state === 'running') this.retry.unshift(number);
    if (this.state === 'running' && this.timer === undefined) this.pump();
    else this.settle();
    this.progress();
  }

  private ended(call: DialerCall, result: CallResult): void {
    if (this.state === 'running' && credentialsRefused(result)) this.halt(result);
    this.live.delete(call);
    this.lingering.add(call);
    // Its Note counts it while its INVITE waits for its final answer (waiting-note.ts); once that
    // comes, an ended campaign says so too (a running one's next progress does).
    void call.signalling.then(() => {
      this.lingering.delete(call);
      if (this.endedAt !== undefined) this.progress();
    });
    this.stats.add(result);
    this.recent.push(result);
    if (this.recent.length > RECENT) this.recent.shift();
    this.emit({ type: 'call', campaignId: this.id, result });
    if (this.state === 'running' && this.timer === undefined) this.pump();
    else this.settle();
    this.progress();
  }

  /**
   * The account's credentials were refused: every further call would be too (the dialer's own socket is
   * not held to the lock-out, authenticator.ts ownAgent, so nothing else on its address pays). No more
   * calls are placed; those in progress end as they will; the Note and the log say why.
   */
  private halt(r: CallResult): void {
    const account = this.env.ua.options.username;
    this.note =
      `Stopped: the account ${account}'s credentials were refused (${r.status} ${r.reason}); ` +
      `${this.stats.placed} of ${this.spec.numbers.length} placed`;
    this.env.warn?.(`dialer: campaign ${this.id} stopped: ${this.note.slice('Stopped: '.length)}`);
    this.env.credentialsRefused?.();
    this.state = 'stopping';
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Finishes the campaign once nothing is left to do. */
  private settle(): void {
    if (this.live.size > 0 || this.endedAt !== undefined) return;
    if (this.state === 'running' && (this.next < this.spec.numbers.length || this.retry.length > 0)) return;
    this.state = this.state === 'running' ? 'finished' : 'stopped';
    this.endedAt = this.now();
    this.resolveDone();
  }

  /** Calls placed, answered (at the answer), failed and cancelled by the operator so far. */
  counts(): Totals {
    let answered = 0;
    for (const c of this.live) if (c.answeredAt !== undefined) answered++;
    return this.stats.counts(answered);
  }

  private liveFigures(): LiveFigures {
    const f: LiveFigures = {
      answered: 0,
      rtpSent: 0,
      rtpReceived: 0,
      rtpLost: 0,
      pddMs: [],
      jitterSumMs: 0,
      jitterCalls: 0,
      jitterMaxMs: null,
    };
    for (const c of this.live) {
      if (c.answeredAt !== undefined) f.answered++;
      const pdd = c.pddMs();
      if (pdd !== undefined) f.pddMs!.push(pdd);
      const m = c.media();
      f.rtpSent += m?.sent.packets ?? 0;
      f.rtpReceived += m?.received.received ?? 0;
      f.rtpLost += m?.received.lost ?? 0;
      if (m !== undefined && m.received.received > 0) {
        f.jitterSumMs! += m.received.jitterMs;
        f.jitterCalls!++;
        f.jitterMaxMs = Math.max(f.jitterMaxMs ?? 0, m.received.maxJitterMs);
      }
    }
    return f;
  }

  /**
   * Calls with a result whose INVITE still waits for its final answer (given up, the CANCEL's 487 not
   * come): the proxy writes their CDR rows then. An answered call's row is written at its BYE.
   */
  private unanswered(): number {
    let n = 0;
    for (const c of this.lingering) if (c.answeredAt === undefined) n++;
    return n;
  }

  /** The campaign now; without `detail`, no live-call list and no recent results (for events). */
  snapshot(detail = true): CampaignSnapshot {
    return {
      id: this.id,
      state: this.state,
      mediaFile: this.spec.mediaFile,
      durationMs: this.spec.durationMs,
      concurrency: this.spec.concurrency,
      rate: this.spec.rate,
      ...(this.spec.dtmf === undefined ? {} : { dtmf: this.spec.dtmf }),
      record: this.spec.recordTo !== undefined,
      total: this.spec.numbers.length,
      inProgress: this.live.size,
      startedAt: this.startedAt,
      endedAt: this.endedAt,
      ...(this.endedAt === undefined ? { clockAt: this.now() } : {}),
      ...(this.firstPlacedAt === undefined
        ? {}
        : { firstPlacedAt: this.firstPlacedAt, lastPlacedAt: this.lastPlacedAt }),
      figures: this.stats.figures(this.liveFigures()),
      ...noteOf([this.capNote, this.note, waitingNote(this.unanswered())].filter((n) => n !== undefined)),
      live: !detail
        ? []
        : [...this.live].slice(0, RECENT).map((c) => {
            const m = c.media();
            return {
              number: c.spec.number,
              callId: c.callId,
              state: c.state,
              startedAt: c.startedAt,
              answeredAt: c.answeredAt,
              status: c.answerStatus(),
              pddMs: c.pddMs(),
              rtpSent: m?.sent.packets ?? 0,
              rtpReceived: m?.received.received ?? 0,
              clockAt: c.clockNow(),
            };
          }),
      recent: detail ? [...this.recent] : [],
    };
  }
}
