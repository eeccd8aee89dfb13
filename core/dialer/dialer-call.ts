// One dialer call: an RTP port pair from the range, an SDP offer (PCMU, PCMA, telephone-event), the
// user agent's INVITE; on the answer the prompt streams in the law the far end chose, DTMF digits go
// out as RFC 4733 events, and when the prompt's duration is over the call is ended with BYE. An
// unanswered call is cancelled after the ring timeout. Whatever ends it, the media is closed and the
// ports released before the result is reported. When the dialer ends it (BYE, CANCEL), the result is
// reported at once: the BYE's or INVITE's transaction finishes in the background (`signalling`), as a
// dead far end would hold it for Timer F / B (32 s, RFC 3261 §17.1).
import type { G711Law } from '../media/g711';
import type { MediaClock } from '../media/media-clock';
import { NoFreePairError, type RtpPortPool } from '../media/port-pool';
import { RtpSession, type MediaSummary } from '../media/rtp-session';
import { reasonWords } from '../sip/proxy/reason-header';
import { answerTo, farEndReceives, farEndSends } from '../sip/sdp/answer';
import { buildOffer, parseSdp, SdpParseError } from '../sip/sdp/index';
import type { CallOutcome, CancelCause, OutboundCall } from '../sip/ua/outbound-call';
import { mediaNotes } from './media-notes';
import type { UserAgent } from '../sip/ua/user-agent';
import { anchoredClock } from '../observe/anchored-clock';
import { answeredMedia, type AnsweredMedia } from './media-answer';
import { dtmfEvent } from '../media/dtmf';
import type { CallResult } from './statistics';

export interface DialerCallSpec {
  number: string;
  /** The prompt encoded in a law. */
  audio: (law: G711Law) => Buffer;
  /** 0: the prompt once. */
  durationMs: number;
  dtmf?: string;
  /** Where to write what the far end sent (RECORD=YES), or undefined. */
  recordTo?: (callId: string) => string;
  ringTimeoutMs: number;
  /** Told at the answer (the campaign's figures count it then). */
  onAnswered?: () => void;
}

export interface DialerCallEnv {
  ua: UserAgent;
  pool: RtpPortPool;
  clock: MediaClock;
  /** Address the RTP sockets bind and the SDP advertises. */
  bindHost: string;
  advertised: string;
  /** The wall clock: the time of day a call or a campaign starts at. */
  now: () => number;
  /** The steady clock (ms) its later times are measured on (anchored-clock.ts); tests give a fake one. */
  elapsed: () => number;
  /** Each RTP packet's send time minus its ideal time, ms (the benchmark's probe). */
  probe?: (latenessMs: number) => void;
  /** Says what went wrong without ending the call (the log's WARNING). */
  warn?: (text: string) => void;
  /** Told a call's Call-ID as its INVITE goes (the CDR journal's extra_info is known from then). */
  placed?: (callId: string) => void;
}

/** The result's note when DTMF was asked for and the far end cannot take RFC 4733 events. */
export const NO_TELEPHONE_EVENT = 'DTMF not sent: the answer offers no telephone-event';

/** The result's note for an answered call whose far end said it sends and sent no RTP. */
export const NO_RTP_RECEIVED = 'no RTP received from the far end (one-way audio)';

/** The result's note for digits the answer's telephone-event does not list (RFC 4733 §2.4.1). */
export const unlistedDtmf = (digits: string, events: string): string =>
  `DTMF ${digits} not sent: the answer's telephone-event lists events ${events} only`;

/**
 * The digits to send as events: those the answer's telephone-event lists (RFC 4733 §2.4.1, §7.1.1: a
 * receiver takes the events it lists); the others, unsent, in order.
 */
function listedDigits(digits: string, m: AnsweredMedia): { send: string; unlisted: string } {
  let send = '';
  let unlisted = '';
  for (const c of digits.toUpperCase()) {
    if (m.events === undefined || m.events.codes.has(dtmfEvent(c))) send += c;
    else unlisted += c;
  }
  return { send, unlisted };
}

/**
 * The ring timeout's CANCEL says why in a Q.850 cause (RFC 3326 §2), 19 "No answer from user (user
 * alerted)", as FreeSWITCH's NO_ANSWER does: the proxy's CDR row writes it as its end_reason, "No answer
 * (Q.850 19)", beside the 487 its status holds; a SIP cause 480 there read as a second, other SIP code.
 */
const NO_ANSWER: CancelCause = { q850: 19 };

/** A call given up with no final answer to its INVITE: its status is 0, its reason says so. */
export const NO_FINAL_ANSWER = 'no final answer to the INVITE';

/** How long a call given up before its answer waits for a 2xx crossing the CANCEL (ms). */
const CANCEL_CROSSING_MS = 500;

/** The result's (or a campaign's) note: its notes joined, or nothing. */
export const noteOf = (notes: string[]): { note?: string } =>
  notes.length === 0 ? {} : { note: notes.join('; ') };

const delay = (ms: number): Promise<undefined> =>
  new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());

export type DialerCallState = 'dialing' | 'ringing' | 'answered' | 'ended';

export class DialerCall {
  state: DialerCallState = 'dialing';
  callId = '';
  readonly startedAt: number;
  answeredAt: number | undefined;
  private session: RtpSession | undefined;
  private call: OutboundCall | undefined;
  private stopReason: string | undefined;
  /** When we ended it (hangup): the end of a call given up before any answer. */
  private hungUpAt: number | undefined;
  private summary: MediaSummary | undefined;
  private endedLocally: (() => void) | undefined;
  private note: string | undefined;
  /** Why the call was ended when its signalling failed mid-call (our 2xx to a re-INVITE never ACKed). */
  private endNote: string | undefined;
  /** The far end's SDP said it sends (sendrecv, sendonly) at some time in the call (RFC 3264 §6.1). */
  private farEndSends = false;
  /** The cause of the CANCEL asked for: Q.850 19 at the ring timeout, 487 when stopped. */
  private cancelCause: CancelCause | undefined;
  /** Resolves when the call's SIP side is over; it may outlive the result (see above). */
  signalling: Promise<void> = Promise.resolve();
  /** The call's clock: its start on the wall clock, what elapsed since on the steady one. */
  private readonly now: () => number;

  constructor(
    readonly spec: DialerCallSpec,
    private readonly env: DialerCallEnv,
  ) {
    this.now = anchoredClock(env.now, env.elapsed);
    this.startedAt = this.now();
  }

  /** Now on the call's own clock (what its times are read on), for the console to count on. */
  clockNow(): number {
    return this.now();
  }

  /** The post-dial delay once the first 18x or the answer came (as the result's pddMs), while it is up. */
  pddMs(): number | undefined {
    const p = this.call?.progress();
    const at = p?.ringingAt ?? p?.answeredAt;
    return p === undefined || at === undefined ? undefined : at - p.invitedAt;
  }

  /** The final answer's SIP code once it came (200 while the call is up), as the result's status. */
  answerStatus(): number | undefined {
    const s = this.call?.progress().status;
    return s === undefined || s === 0 ? undefined : s;
  }

  /** Live media figures (or the final ones once closed). */
  media(): MediaSummary | undefined {
    return this.summary ?? this.session?.summary();
  }

  /** Ends the call (BYE with `byeCause`, or CANCEL before the answer with `cancelCause`, in its Reason). */
  hangup(reason = 'Ended by operator', cancelCause: CancelCause = 487, byeCause = 200): void {
    this.hungUpAt ??= this.now();
    this.stopReason ??= reason;
    this.cancelCause ??= cancelCause;
    this.closeMedia();
    this.call?.hangup(reason, cancelCause, byeCause);
    this.endedLocally?.();
  }

  private closeMedia(): void {
    if (this.session !== undefined && this.summary === undefined) this.summary = this.session.close();
  }

  async run(): Promise<CallResult> {
    const env = this.env;
    const spec = this.spec;
    let sockets;
    try {
      sockets = await env.pool.open(env.bindHost);
    } catch (err) {
      // Every usable pair taken meanwhile (another program's found held on the way): no call was
      // placed, the campaign puts the number back until a pair is given back (campaign.ts).
      if (err instanceof NoFreePairError && env.pool.usable > 0) throw err;
      return this.result({ status: 0, reason: (err as Error).message, answered: false, end: 'failed' });
    }
    const session = new RtpSession(sockets, env.pool, env.clock, {
      cname: `${env.ua.options.username}@${env.advertised}`,
      record: spec.recordTo !== undefined,
    });
    this.session = session;
    session.onSendLateness = env.probe;
    if (this.stopReason !== undefined) {
      this.closeMedia();
      return this.result({
        status: 0,
        reason: this.stopReason,
        answered: false,
        end: 'cancelled',
        cancelledByOperator: true,
      });
    }
    // RFC 3264 §8: each description of ours given out has the next version.
    let version = 1;
    const sessionId = String(Date.now());
    const ours = () => ({
      address: env.advertised,
      port: session.port,
      sessionId,
      sessionVersion: version,
      username: env.ua.options.username,
    });
    const offer = (): Buffer => {
      const description = buildOffer(ours());
      version++;
      return description.toBuffer();
    };
    // A re-INVITE (hold, resume): its direction mirrored, its codecs kept; while the far end does not
    // receive, we send nothing (RFC 3264 §6.1, §8.4). An offer with no codec of ours has no answer: the
    // re-INVITE is refused (488) and the session goes on as it was (RFC 3261 §14.2).
    const answerFor = (theirs: Buffer): Buffer | undefined => {
      const answer = answerTo(theirs, ours());
      if (answer === undefined) return undefined;
      version++;
      const sdp = parseSdp(theirs);
      if (!(sdp instanceof SdpParseError)) session.hold(!farEndReceives(sdp));
      return answer.toBuffer();
    };
    const call = env.ua.call({ number: spec.number, sdp: offer(), answerFor, offer, now: this.now });
    this.call = call;
    this.callId = call.callId;
    env.placed?.(call.callId);
    this.signalling = call.outcome.then(() => undefined);
    const endedLocally = new Promise<undefined>((r) => (this.endedLocally = () => r(undefined)));
    const ring = setTimeout(() => {
      if (!call.answered) this.hangup('No answer', NO_ANSWER);
    }, spec.ringTimeoutMs);
    ring.unref();
    /** The answer's address and port: a fork's 2xx naming the same is no other source. */
    let answeredAt: string | undefined;
    call.events = {
      ringing: () => {
        if (this.state === 'dialing') this.state = 'ringing';
      },
      answered: (sdp) => {
        this.state = 'answered';
        this.answeredAt = this.now();
        clearTimeout(ring);
        spec.onAnswered?.();
        const m = answeredMedia(sdp, 1); // our offer: one m=audio (sip/sdp/offer.ts)
        if (typeof m === 'string') {
          // RFC 3326: the BYE's Reason says the answer was not acceptable (488), not a success (200).
          this.hangup(m, 487, 488);
          return;
        }
        // DTMF goes only as RFC 4733 events, which the answer must have taken (§7.1.1's
        // telephone-event): without it the call goes on, its result and the log saying so.
        if (spec.dtmf !== undefined && m.telephoneEvent === undefined) {
          this.note = NO_TELEPHONE_EVENT;
          env.warn?.(
            `dialer: call to ${spec.number} (${this.callId}): DTMF ${spec.dtmf} not sent: the answer offers no telephone-event`,
          );
        }
        const digits = spec.dtmf === undefined ? undefined : listedDigits(spec.dtmf, m);
        if (digits !== undefined && digits.unlisted !== '' && m.events !== undefined) {
          this.note = unlistedDtmf(digits.unlisted, m.events.text);
          env.warn?.(`dialer: call to ${spec.number} (${this.callId}): ${this.note}`);
        }
        answeredAt = `${m.address} ${m.port}`;
        // RECORD=YES: the recording goes to its file from now on, a block a second (recording-file.ts).
        if (spec.recordTo !== undefined) session.recording?.writeTo(spec.recordTo(call.callId));
        session.onFinished = () => this.hangup('Normal');
        // RFC 3264 §6.1: an answer that is sendonly or inactive does not receive: nothing is sent to it.
        const answer = parseSdp(sdp);
        if (!(answer instanceof SdpParseError)) {
          session.hold(!farEndReceives(answer));
          this.farEndSends = farEndSends(answer);
        }
        session.start({
          remote: { address: m.address, port: m.port },
          payloadType: m.payloadType,
          law: m.law,
          audio: spec.audio(m.law),
          durationMs: spec.durationMs,
          // RFC 3264 §6.1: packets of the length the far end asked for (20 ms when it is none we send).
          ptimeMs: m.ptimeMs,
          ptimeRefused: m.ptimeRefused,
          rtcp: m.rtcp,
          dtmf:
            digits !== undefined && digits.send !== '' && m.telephoneEvent !== undefined
              ? { digits: digits.send, payloadType: m.telephoneEvent }
              : undefined,
        });
      },
      // Another phone of the AOR answered too (its 2xx ACKed and ended with BYE, RFC 3261 §13.2.2.4):
      // its RTP is no part of the call's figures or recording.
      forked: (sdp) => {
        const m = answeredMedia(sdp);
        if (typeof m !== 'string' && `${m.address} ${m.port}` !== answeredAt)
          session.ignore({ address: m.address, port: m.port });
      },
      // A re-INVITE's offer (answered by answerFor) or the answer in the ACK of our offer (a re-INVITE
      // without SDP): where, in which codec and whether to send from now on (RFC 3264 §8).
      remoteSdp: (sdp) => {
        const m = answeredMedia(sdp);
        if (typeof m !== 'string') {
          session.retarget({ ...m, remote: { address: m.address, port: m.port } }, spec.audio);
        }
        const parsed = parseSdp(sdp);
        if (!(parsed instanceof SdpParseError)) {
          session.hold(!farEndReceives(parsed));
          this.farEndSends ||= farEndSends(parsed);
        }
      },
      // RFC 3261 §13.3.1.4: our 2xx to its re-INVITE never ACKed: ended with BYE, the note says why.
      unacknowledged: (reason, why) => {
        this.endNote = why;
        this.hangup(reason, 487, 408);
      },
    };
    let theirs = await Promise.race([call.outcome, endedLocally]);
    // Given up before the answer: the INVITE's final answer may still come, a 2xx that crossed our
    // CANCEL (RFC 3261 §9.1: then the call was answered, ACKed and ended with a BYE, as the CDR says);
    // a moment is allowed for it; with none, the result says no final answer came (status 0), not the
    // 487 we asked for: the INVITE's final answer after a CANCEL may be any (302, a 2xx), §9.1.
    if (theirs === undefined && !call.answered)
      theirs = await Promise.race([call.outcome, delay(CANCEL_CROSSING_MS)]);
    const crossed = theirs?.answered === true && this.hungUpAt !== undefined && this.answeredAt === undefined;
    const outcome = theirs ?? this.endedByUs(call);
    clearTimeout(ring);
    this.closeMedia();
    this.state = 'ended';
    // A call never answered has no talk to record (early media is not recorded): no empty WAV for it.
    // The last block and the header's final sizes are written before the result goes (a stop waits).
    const recording = outcome.answered ? await this.saveRecording(call.callId) : this.dropRecording();
    // Our own reason when we ended it: the talk's end, or the CANCEL's ('No answer' at the ring timeout,
    // not the 487 it brings back). A talk the far end ended is a normal end, as its CDR row says: the
    // 2xx's reason phrase ("200 Answering") tells nothing of the hangup.
    const ourReason =
      outcome.answered || (outcome.end === 'cancelled' && (outcome.status === 487 || theirs === undefined));
    // The far end's BYE may say why (RFC 3326): the proxy's at CALL.MAX_DURATION says "Maximum call
    // duration", as the CDR row does; a callee that hung up says nothing, or its own words.
    const fallback = outcome.answered ? (reasonWords(outcome.byeReason) ?? 'Normal') : outcome.reason;
    const stopped = this.stopReason ?? fallback;
    const reason = !ourReason
      ? outcome.reason
      : crossed
        ? `${stopped} (the answer crossed our CANCEL: ACKed and ended with BYE)`
        : theirs === undefined && !outcome.answered
          ? `${stopped}; ${NO_FINAL_ANSWER}`
          : stopped;
    return this.result({
      status: outcome.status,
      reason,
      answered: outcome.answered,
      end: outcome.end,
      // Cleared by STP CALL / STP DIALSVC before any answer (its 487, if one came, is our CANCEL's, §9.1).
      ...(ourReason && !outcome.answered && this.cancelCause === 487 ? { cancelledByOperator: true } : {}),
      pddMs:
        outcome.ringingAt !== undefined
          ? outcome.ringingAt - outcome.invitedAt
          : outcome.answeredAt !== undefined
            ? outcome.answeredAt - outcome.invitedAt
            : // The delay to the failure indication (ITU-T E.721), theirs, not our CANCEL's; but not a
              // timer's 408 (timerTimeout): as our ring timeout's CANCEL, its wait is a setting's length.
              theirs !== undefined &&
                outcome.status >= 200 &&
                !this.timerTimeout(outcome) &&
                this.hungUpAt === undefined
              ? outcome.endedAt - outcome.invitedAt
              : undefined,
      talkMs: outcome.answeredAt === undefined ? 0 : outcome.endedAt - outcome.answeredAt,
      endedAt: outcome.endedAt,
      recording,
    });
  }

  /**
   * A 408 that came 64*T1 or more after the INVITE: the proxy's, made when nothing answered within its
   * Timer B or C (RFC 3261 §16.8, §17.1.1.2), its delay the timer's length, not a delay anyone signalled.
   * A callee's own 408, sooner, is a failure indication like a 480, and has its post-dial delay.
   */
  private timerTimeout(outcome: CallOutcome): boolean {
    return (
      outcome.status === 408 && outcome.endedAt - outcome.invitedAt >= 64 * this.env.ua.options.timerBase.t1
    );
  }

  /**
   * The outcome of a call we ended, at the moment we did: answered, the talk ends now (BYE sent);
   * else no final answer (status 0: none came, §9.1), with no PDD unless it rang.
   */
  private endedByUs(call: OutboundCall): CallOutcome {
    const p = call.progress();
    const now = this.hungUpAt ?? this.now();
    return p.answeredAt !== undefined
      ? { ...p, callId: call.callId, status: p.status, answered: true, end: 'local', endedAt: now }
      : { ...p, callId: call.callId, status: 0, answered: false, end: 'cancelled', endedAt: now };
  }

  /** The recording's file, whole (its last block and final header written), or undefined. */
  private async saveRecording(callId: string): Promise<string | undefined> {
    const rec = this.session?.recording;
    if (this.spec.recordTo === undefined || rec === undefined) return undefined;
    return rec.finish(this.spec.recordTo(callId));
  }

  private dropRecording(): undefined {
    this.session?.recording?.discard();
    return undefined;
  }

  private result(
    r: Partial<CallResult> & Pick<CallResult, 'status' | 'reason' | 'answered' | 'end'>,
  ): CallResult {
    const m = this.summary;
    return {
      number: this.spec.number,
      callId: this.callId,
      startedAt: this.startedAt,
      endedAt: r.endedAt ?? this.now(),
      talkMs: 0,
      rtpSent: m?.sent.packets ?? 0,
      rtpReceived: m?.received.received ?? 0,
      rtpLost: m?.received.lost ?? 0,
      jitterMs: m?.received.jitterMs ?? 0,
      maxJitterMs: m?.received.maxJitterMs ?? 0,
      ...noteOf([
        ...(this.note === undefined ? [] : [this.note]),
        ...(this.endNote === undefined ? [] : [this.endNote]),
        // One-way audio, the first thing a voice-quality test looks for: the far end said it sends.
        ...(r.answered && this.farEndSends && m !== undefined && m.received.received === 0
          ? [NO_RTP_RECEIVED]
          : []),
        ...mediaNotes(m),
      ]),
      ...r,
    };
  }
}
