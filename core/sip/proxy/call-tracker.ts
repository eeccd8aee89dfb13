// Every INVITE dialog the proxy routes (RFC 3261 §12), as a Call (core/calls/call.ts): created by the
// initial INVITE, moved on by the responses the proxy relays (18x ringing, 2xx answered, final failure),
// by CANCEL, BYE and re-INVITE (media), and ended by the operator or the maximum call duration, in which
// case the proxy, being on the route (Record-Route), sends BYE both ways itself (§15.1.1 as a B2BUA
// would; RFC 3326 Reason says why), or by a party's WebSocket closing (the other party gets our BYE), or
// by its session timer passing without a refresh (RFC 4028 §8.3: recorded ended, no BYE sent).
// Each change is a CallEvent; an ended call leaves the table at once.
import type { Call, CallEvent, CallMedia, CallParty, HangupBy } from '../../calls/call';
import { OPERATOR_END_REASON } from '../../calls/call';
import {
  keptText,
  newBranch,
  parseNameAddr,
  typedUser,
  userNumber,
  type SipRequest,
  type SipResponse,
} from '../message/index';
import { Dialog } from '../ua/dialog';
import type { TransactionLayer } from '../transaction/layer';
import type { TimerEntry, TimerTarget, TimerWheel } from '../transaction/timer-wheel';
import { DEFAULT_TIMERS } from '../transaction/timer-values';
import { samePeer, type Peer } from '../transport/peer';
import { hasSdp, mediaOf, sdpProblem, unofferedCodecs } from './call-media';
import { lateRead } from './late-read';
import { CLOSED_CONNECTION_PHRASE } from './closed-connection';
import type { LocalIdentity } from './local-identity';
import { firstRouteHop } from './next-hop';
import { reasonWords, responseQ850 } from './reason-header';
import { reliableProvisional } from './reliable-provisional';
import { SESSION_EXPIRED_REASON, sessionIntervalMs } from './session-expires';
import { referOutcome, referrer, referTarget, replacedDialog } from './transfer-headers';
import type { Branch, ContextListener } from './response-context';
import { EndedLately } from './ended-lately';
import type { DialogCounts } from '../../observe/metrics';

export interface CallTrackerDeps {
  layer: TransactionLayer;
  timers: TimerWheel;
  identity: () => LocalIdentity;
  /** Answered calls are ended after this long; 0: never. */
  maxCallMs: () => number;
  /**
   * How long an answered call waits for the caller's ACK (64*T1, RFC 3261 §13.3.1.4: the callee then
   * gives up its 2xx and SHOULD end the session); default 32 s.
   */
  ackWaitMs?: () => number;
  /** The user a temporary GRUU of ours names (RFC 5627 §3.2), undefined for any other user part. */
  gruuUser?: (user: string) => string | undefined;
  /** The wall clock (default Date.now): a call's start time. */
  now?: () => number;
  /**
   * A monotonic clock for the times after the start (default performance.now; `now` when only that is
   * given, as tests do): a call's ringing, answer and end times are its start plus what elapsed, so a
   * wall clock stepped mid-call (NTP, an operator) makes no negative or hour-long duration.
   */
  elapsed?: () => number;
  /**
   * A party's BYE got no final answer from the other party before Timer F (RFC 3261 §17.1.2.2; RFC 4320:
   * no 408 goes back). The call was recorded ended at the BYE; the other party never heard of it, and its
   * leg may still be up: the log says so.
   */
  byeUnanswered?: (call: Call, by: 'caller' | 'callee') => void;
}

/** Why an answered call the caller never ACKed was ended (its CDR's end_reason). */
export const NO_ACK_REASON = 'No ACK for the 2xx';
export const CONNECTION_CLOSED_REASON = 'WebSocket closed';

/** What a live call needs beyond the Call itself: the dialog as the proxy saw it. */
class LiveCall implements TimerTarget {
  callerTag: string;
  callerCSeq: number;
  calleeCSeq = 0;
  callerHop: Peer;
  calleeHop: Peer | undefined;
  /** The To of the answer (with the callee's tag). */
  calleeTo = '';
  /** The answering callee's tag (the answer's To tag); undefined before the answer. */
  calleeTag: string | undefined;
  /** Record-Route values of the answer, top first. */
  recordRoute: string[] = [];
  /** The Request-URI the answered branch's INVITE was sent to: the BYE's target when the Contact was unreadable. */
  calleeTarget: string | undefined;
  /**
   * SDP answers of provisional responses, by the To tag of their early dialog (a reliable 183's, RFC
   * 3262 §5): the 2xx of that dialog need not repeat it (RFC 3264 §4, RFC 6337 §3.1.1).
   */
  earlyMedia: Map<string, CallMedia> | undefined;
  /** An unreliable provisional that carried SDP (its status and reason): no answer (answerProblem). */
  previewSdp: string | undefined;
  /** The INVITE carried an SDP offer (readable or not); without one the 2xx makes the offer (a late offer). */
  offered = false;
  maxTimer: TimerEntry | undefined;
  /** Running from the answer until the caller's ACK passes (§13.3.1.4). */
  ackTimer: TimerEntry | undefined;
  /** The session interval of the last 2xx to an INVITE or UPDATE that had one (RFC 4028). */
  sessionTimer: TimerEntry | undefined;
  cancelledByCaller = false;
  /** What the caller's CANCEL said in its Reason header (RFC 3326), as words. */
  cancelReason: string | undefined = undefined;
  endingBy: HangupBy | undefined;
  /** Why the operator (or the maximum duration) is ending it, kept until the 487 comes back. */
  endingReason?: string;
  /** CANCELs the INVITE's pending branches, saying why (RFC 3326 Reason text). */
  cancelInvite: ((why: string) => void) | undefined;
  /** The live call this one's INVITE with Replaces takes over (RFC 3891), until it fails. */
  replacing: LiveCall | undefined;
  /** The INVITE's CSeq number: a pass of it back through us (a spiral) carries the same. */
  readonly inviteSeq: number;
  /**
   * The INVITE came back through us (a spiral, spiralPass): in-dialog requests pass us twice too, and
   * only their first pass is this call's (a request with a Via of ours below the top is a second pass).
   */
  spiralled = false;
  /**
   * IMS Lab's own final answer to a later pass of the INVITE (refusedPass: a loop's 482, Max-Forwards
   * spent 483), by its To tag: relayed back to this pass by the hop between, it is no callee's answer.
   */
  ownRefusal: { status: number; toTag: string } | undefined;

  constructor(
    readonly tracker: CallTracker,
    readonly call: Call,
    readonly callerFrom: string,
    invite: SipRequest,
    source: Peer,
    /** The monotonic clock at the start (CallTracker.timeIn). */
    readonly startedElapsed: number,
  ) {
    this.callerTag = invite.from.tag ?? '';
    this.callerCSeq = invite.cseq.seq;
    this.inviteSeq = invite.cseq.seq;
    this.callerHop = source;
  }

  onTimer(name: string): void {
    if (name === 'ack') {
      // No ACK for 64*T1: the caller is gone, the callee gives up its 2xx; nobody talks.
      this.ackTimer = undefined;
      this.tracker.end(this.call.id, 'timeout', NO_ACK_REASON);
      return;
    }
    if (name === 'session') {
      this.sessionTimer = undefined;
      this.tracker.sessionExpired(this);
      return;
    }
    this.maxTimer = undefined;
    this.tracker.end(this.call.id, 'timeout');
  }
}

function party(header: string, msg: SipRequest, which: 'from' | 'to'): CallParty {
  const na = which === 'from' ? msg.from : msg.to;
  const uri = na.uri;
  return {
    header,
    uri: na.uriText,
    number: userNumber(uri, typedUser),
    address: '',
    port: 0,
    userAgent: '',
    contact: '',
  };
}

/**
 * What the caller dialled (the CDR's request_uri): the Request-URI as received, a tel: one as it came
 * (RFC 3966; not the SIP URI of ours it is routed as, Proxy.telToSip, which drops its phone-context and
 * names IMS Lab's host:port); otherwise the Request-URI once §16.4 restored a strict router's.
 */
function dialledUri(req: SipRequest): string {
  const received = req.receivedUri;
  return received !== req.uri && /^tel:/i.test(received) ? received : req.uri;
}

/** The media of an INVITE without a (readable) SDP offer, until an answer says more. */
const NO_OFFER: CallMedia = Object.freeze({ kinds: [], codecs: [], direction: 'sendrecv' }) as CallMedia;
/** The media of a call answered without a readable SDP answer (Call.mediaProblem says why). */
const NO_MEDIA: CallMedia = Object.freeze({ kinds: [], codecs: [], direction: '' }) as CallMedia;

/**
 * Why an answer (2xx) agreed no media, when neither it nor a provisional response of its early dialog
 * had an SDP to read: its SDP cannot be read; the INVITE made an offer and the 2xx carries no answer
 * (RFC 3264 §5; RFC 3261 §13.2.1: the answer is in the 2xx unless a reliable provisional had it, RFC
 * 3262); or the INVITE made none (a late offer) and the 2xx carries no offer (RFC 3261 §13.2.1, §13.3.1.4:
 * the offer is then in the first reliable non-failure response, the 2xx unless a reliable provisional).
 */
function answerProblem(live: LiveCall, response: SipResponse): string {
  const answer = `the ${response.status} ${response.reasonText}`.trim();
  const unreadable = sdpProblem(response);
  if (unreadable !== undefined) return `${answer}'s SDP cannot be read (${unreadable})`;
  const preview =
    live.previewSdp === undefined
      ? ''
      : `; the SDP of the ${live.previewSdp} before it is no answer, not being sent reliably (no 100rel, RFC 3262)`;
  return live.offered
    ? `${answer} carries no SDP answer to the INVITE's offer (RFC 3264 §5)${preview}`
    : `${answer} carries no SDP offer, the INVITE having none (no offer in the 2xx of a late offer, RFC 3261 §13.2.1)`;
}

/**
 * A callee's failure as the record says it: its status, and what it said of why. RFC 6432: a gateway's
 * Q.850 cause, "486 Busy Here (Q.850 17 User busy)"; RFC 3261 §20.43: its Warning, `488 Not Acceptable
 * Here (Warning: 399 uas "Codec PCMU not allowed")`.
 */
function refusalWords(response: SipResponse): string {
  const q850 = responseQ850(response.headerValues('reason'));
  const warning = response.headerValues('warning').join(', ');
  return [
    `${response.status} ${keptText(response.reasonText)}`,
    q850 === undefined ? '' : ` (${q850})`,
    warning === '' ? '' : ` (Warning: ${keptText(warning)})`,
  ].join('');
}

const IGNORE: { onResponse: () => void } = { onResponse: () => undefined };

/** Does a request whose callee-side tag is `tag` belong to the call's dialog (always, before the answer)? */
function inCallDialog(live: LiveCall, tag: string | undefined): boolean {
  return live.calleeTag === undefined || tag === undefined || tag === live.calleeTag;
}

/** The contact of the call's other party than the sender, and where to send to it; undefined if unknown. */
function peerOf(live: LiveCall, fromCaller: boolean): { uri: string; hop: Peer } | undefined {
  const uri = fromCaller ? live.call.callee.contact : live.call.caller.contact;
  const hop = fromCaller ? live.calleeHop : live.callerHop;
  return uri === '' || hop === undefined ? undefined : { uri, hop };
}

export class CallTracker {
  private readonly calls = new Map<string, LiveCall>();
  private readonly endedLately = new EndedLately();
  private readonly listeners = new Set<(e: CallEvent) => void>();
  private readonly now: () => number;
  private readonly elapsed: () => number;

  constructor(private readonly deps: CallTrackerDeps) {
    this.now = deps.now ?? Date.now;
    this.elapsed = deps.elapsed ?? deps.now ?? (() => performance.now());
  }

  /**
   * The wall time of now in a call: its start plus the monotonic time since, in whole milliseconds as
   * the wall clock gives them (performance.now()'s fractions made the CDR's ms columns 507.72…).
   */
  private timeIn(live: LiveCall): number {
    return live.call.startedAt + Math.round(this.elapsed() - live.startedElapsed);
  }

  on(listener: (e: CallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get size(): number {
    return this.calls.size;
  }

  /**
   * The dialogs by state (RFC 3261 §12.1): early once a 18x is relayed, confirmed once a 2xx is. Counted
   * when asked (/metrics, DSP PERF, the status), not kept up per message.
   */
  dialogCounts(): DialogCounts {
    let early = 0;
    let confirmed = 0;
    for (const live of this.calls.values()) {
      const state = live.call.state;
      if (state === 'ringing') early++;
      else if (state === 'answered') confirmed++;
    }
    return { early, confirmed };
  }

  /** Snapshots of the live calls. */
  list(): Call[] {
    return [...this.calls.values()].map((l) => snapshot(l.call));
  }

  get(id: string): Call | undefined {
    const live = this.calls.get(id);
    return live && snapshot(live.call);
  }

  /**
   * Now on a live call's clock (its start plus the steady time since, as its answer and end are): what
   * DSP CALL's Duration counts to. On the wall clock, a 3 s call read 86404 s after a clock stepped a day.
   */
  nowIn(id: string): number | undefined {
    const live = this.calls.get(id);
    return live && this.timeIn(live);
  }

  /**
   * An initial INVITE about to be forwarded; returns what follows its responses. `authenticatedAs`: the
   * canonical AOR of the user its credentials passed as, when it was challenged.
   */
  invite(
    req: SipRequest,
    source: Peer,
    cancelInvite: (why: string) => void,
    authenticatedAs?: string,
    /** Its P-Asserted-Identity is IMS Lab's own (PROXY.ASSERT_IDENTITY), not the caller's. */
    identityAsserted = false,
  ): ContextListener {
    const first = this.spiralOf(req);
    if (first !== undefined) return this.spiralPass(first, req);
    const live = this.start(req, source, authenticatedAs, false, identityAsserted);
    live.cancelInvite = cancelInvite;
    return {
      provisional: (response, branch) => this.ringing(live, response, branch),
      success: (response, branch) => this.answered(live, response, branch),
      failure: (status, reason, response, branch, downstream) =>
        this.failed(live, status, reason, branch, response, downstream),
    };
  }

  /**
   * An initial INVITE the proxy answered itself with a failure (no such user, not registered, a loop,
   * relaying off...): a call attempt all the same, started and failed at once, so that the CDR, the
   * answer ratio and the log count it; `authenticatedAs` as invite()'s, when its credentials passed.
   */
  refused(
    req: SipRequest,
    source: Peer,
    status: number,
    reason: string,
    toTag?: string,
    authenticatedAs?: string,
  ): void {
    // A spiral's pass refused here: the hop that sent it back answers the caller's pass with it (or
    // tries another target), and that pass's answer is the call's.
    if (this.spiralOf(req) !== undefined) {
      if (toTag !== undefined) this.refusedPass(req, status, toTag);
      return;
    }
    this.finish(
      this.start(req, source, authenticatedAs, true),
      'failed',
      status,
      reason,
      `${status} ${reason}`,
      'system',
    );
  }

  /**
   * IMS Lab answered a later pass of a live call's INVITE itself (a spiral that loops: 482, RFC 3261
   * §16.3 item 4; one whose Max-Forwards ran out: 483, §16.3 step 3), with To tag `toTag`. The hop that
   * sent the pass back relays that answer to the first pass: if it ends the call, IMS Lab refused it (the
   * system's, as README says of a loop's 482), not the callee the hop stands for.
   */
  refusedPass(req: SipRequest, status: number, toTag: string): void {
    const live = this.spiralOf(req);
    if (live !== undefined) live.ownRefusal = { status, toTag };
  }

  /**
   * The callee, from To; a temporary GRUU's number is the user it reaches: its user part is an opaque
   * token (RFC 5627 §3.2) that CDR filters and statistics by user would not find.
   */
  private calleeParty(req: SipRequest): CallParty {
    const callee = party(req.headerText('to')!, req, 'to');
    callee.number = this.deps.gruuUser?.(callee.number) ?? callee.number;
    return callee;
  }

  /**
   * The live call whose INVITE this one is, back through us (RFC 3261 §16.3 step 4, a spiral: an
   * application server or edge proxy retargeted it and sent it back): the same Call-ID, From tag and CSeq,
   * and a Via of ours below the top one. One call, as Kamailio's dialog module counts a spiral
   * (detect_spirals): the caller's dialog with whoever answers at the end.
   */
  private spiralOf(req: SipRequest): LiveCall | undefined {
    const live = this.calls.get(req.callId);
    if (live === undefined || live.callerTag !== (req.from.tag ?? '') || live.inviteSeq !== req.cseq.seq)
      return undefined;
    return this.passedUs(req) ? live : undefined;
  }

  /** Has the request passed us before (a Via of ours below the top one, the hop that sent it back)? */
  private passedUs(req: SipRequest): boolean {
    const me = this.deps.identity();
    const vias = req.via;
    for (let i = 1; i < vias.length; i++) if (me.isMe(vias[i]!.host, vias[i]!.port)) return true;
    return false;
  }

  /**
   * A later pass of a call's INVITE (spiralOf). Its responses reach us before the caller's pass gets
   * them back through the other hop, so its branch is the callee's: where the call rings and who answers
   * (the callee hop and contact a BYE of ours goes to, with the answer's whole Record-Route: sendBye's
   * route sets, ours first and last in it). Its failures are left to the caller's pass (the other hop may
   * try another target). No call is started for it: one call, one record.
   */
  private spiralPass(live: LiveCall, req: SipRequest): ContextListener {
    live.spiralled = true;
    const uri = dialledUri(req);
    const target = req.requestUri;
    const number = userNumber(target, typedUser);
    return {
      provisional: (response, branch) => this.ringing(live, response, branch),
      success: (response, branch) => {
        if (live.call.state === 'answered' || !this.calls.has(live.call.id)) return;
        if (uri !== live.call.requestUri) {
          live.call.retargetedTo = uri;
          if (number !== '') live.call.callee.number = this.deps.gruuUser?.(number) ?? number;
        }
        this.answered(live, response, branch);
      },
      failure: (_status, _reason, _response, branch) => {
        if (branch === undefined || live.call.callee.address !== '') return;
        live.call.callee.address = branch.hop.address;
        live.call.callee.port = branch.hop.port;
        live.call.callee.transport = branch.hop.transport;
      },
    };
  }

  /** `refused`: IMS Lab refuses the INVITE as it arrives (refused()): said on the call before it is told. */
  private start(
    req: SipRequest,
    source: Peer,
    authenticatedAs?: string,
    refused = false,
    identityAsserted = false,
  ): LiveCall {
    const at = this.now();
    const me = this.deps.identity();
    let id = req.callId;
    if (this.calls.has(id)) id = `${id};${req.from.tag ?? at}`;
    const caller = party(req.headerText('from')!, req, 'from');
    caller.address = source.address;
    caller.port = source.port;
    caller.transport = source.transport;
    caller.userAgent = keptText(req.headerText('user-agent') ?? '');
    // Checked by the transport (checkMessage 'routing'); read leniently all the same, so that a call
    // refused here (refused()) is recorded whatever its Contact: unreadable is unknown ('').
    caller.contact = lateRead(() => req.contacts[0]?.uriText ?? '', '');
    const call: Call = {
      id,
      callId: req.callId,
      state: 'calling',
      caller,
      callee: this.calleeParty(req),
      requestUri: dialledUri(req),
      media: mediaOf(req) ?? NO_OFFER,
      startedAt: at,
      statusCode: 0,
      statusText: '',
      endReason: '',
      cseq: `${req.cseq.seq} INVITE`,
      serverAddress: me.addressFor(source.address), // SERVER_IP6 for an IPv6 caller, as in its Via
      serverPort: me.portFor(source.transport), // the listener the caller reached
    };
    if (refused) call.refusedOnArrival = true;
    if (authenticatedAs !== undefined) {
      call.authenticatedAs = authenticatedAs;
      const asserted = req.headerText('p-asserted-identity');
      if (asserted !== undefined) call.assertedIdentity = keptText(asserted);
      if (asserted !== undefined && identityAsserted) call.identityAsserted = true;
    }
    const referredBy = req.headerText('referred-by');
    if (referredBy !== undefined) call.referredBy = referrer(referredBy);
    const replaces = replacedDialog(req.headerText('replaces') ?? '');
    if (replaces !== undefined) call.replaces = replaces.callId;
    const live = new LiveCall(this, call, req.header('from')!, req, source, this.elapsed());
    live.offered = call.media !== NO_OFFER || hasSdp(req);
    if (replaces !== undefined) this.takeOver(live, replaces);
    this.calls.set(id, live);
    this.emit('started', live);
    return live;
  }

  /**
   * A CANCEL for the call's INVITE arrived from the caller; its CSeq (the INVITE's number, method CANCEL)
   * is the call's last, as the original's CDR wrote it.
   */
  cancelled(cancel: SipRequest): void {
    const live = this.find(cancel.callId, cancel.from.tag);
    if (live === undefined || live.call.state === 'answered') return;
    live.cancelledByCaller = true;
    live.cancelReason = reasonWords(cancel.headerText('reason'));
    live.call.cseq = `${cancel.cseq.seq} CANCEL`;
  }

  /** A request inside a dialog (BYE, re-INVITE, UPDATE, INFO...); returns a listener for its answer. */
  inDialog(req: SipRequest): ContextListener | undefined {
    const fromTag = req.from.tag;
    const live = this.liveOf(req);
    if (live === undefined) return undefined;
    // The second pass of a spiralled call's request (the first was counted: ACK, BYE, re-INVITE).
    if (live.spiralled && this.passedUs(req)) return undefined;
    const fromCaller = fromTag === live.callerTag;
    // Once answered, the call is the answering branch's dialog: a request in another one (a second
    // fork's 2xx, which the caller ACKs and BYEs at once, §13.2.2.4) is relayed but not this call's.
    if (!inCallDialog(live, fromCaller ? req.to.tag : fromTag)) return undefined;
    if (req.method === 'ACK' && fromCaller && live.ackTimer !== undefined) {
      this.deps.timers.cancel(live.ackTimer);
      live.ackTimer = undefined;
    }
    // An ACK with SDP is the answer to an offer the 2xx made (an INVITE without SDP, a late offer: RFC
    // 3261 §13.2.1, RFC 3264 §4): the media the call has is this one's, not the offer's.
    if (req.method === 'ACK' && live.call.state === 'answered') {
      const answer = mediaOf(req);
      if (answer !== undefined) {
        live.call.media = answer;
        this.emit('media', live);
      }
    }
    const seq = req.cseq.seq;
    if (req.method !== 'ACK' && req.method !== 'CANCEL') {
      if (fromCaller) live.callerCSeq = Math.max(live.callerCSeq, seq);
      else live.calleeCSeq = Math.max(live.calleeCSeq, seq);
    }
    live.call.cseq = `${seq} ${req.method}`;
    if (req.method === 'BYE' && fromCaller && live.call.state !== 'answered') {
      this.earlyBye(live, req);
      return undefined;
    }
    if (req.method === 'BYE') {
      const why = reasonWords(req.headerText('reason')) ?? 'Normal';
      const by = fromCaller ? 'caller' : 'callee';
      this.finish(live, 'ended', 200, 'OK', why, by);
      const unanswered = this.deps.byeUnanswered;
      if (unanswered === undefined) return undefined;
      // Only a BYE that got no answer at all (ours made up at Timer F); an answer, even a 481, was heard.
      return {
        failure: (status, _reason, response) => {
          if (status === 408 && response === undefined) unanswered(snapshot(live.call), by);
        },
      };
    }
    if (req.method === 'REFER') return this.refer(live, req, fromCaller);
    if (req.method === 'NOTIFY') {
      if (live.call.transfer !== undefined) this.transferOutcome(live, req, fromCaller);
      return undefined;
    }
    if (req.method !== 'INVITE' && req.method !== 'UPDATE') return undefined;
    // re-INVITE or UPDATE (RFC 3311 §5.1: either may hold, resume or add video in a confirmed dialog):
    // the answer's SDP, or the offer's when the answer has none.
    const offered = mediaOf(req);
    return {
      success: (response) => {
        if (live.call.state === 'answered' && this.calls.has(live.call.id)) this.armSession(live, response);
        const media = mediaOf(response) ?? offered;
        if (media === undefined || live.call.state !== 'answered') return;
        live.call.media = media;
        if (media.direction === 'sendrecv') delete live.call.heldBy;
        else live.call.heldBy = fromCaller ? 'caller' : 'callee';
        this.emit('media', live);
      },
    };
  }

  /** A REFER in the call (RFC 3515): once accepted (2xx), the call was transferred to its Refer-To. */
  private refer(live: LiveCall, req: SipRequest, fromCaller: boolean): ContextListener | undefined {
    const referTo = req.headerText('refer-to');
    if (referTo === undefined) return undefined;
    return {
      success: () => {
        if (live.call.state !== 'answered' || !this.calls.has(live.call.id)) return;
        const { uri, attended } = referTarget(referTo);
        live.call.transfer = { to: uri, by: fromCaller ? 'caller' : 'callee', attended };
      },
    };
  }

  /**
   * RFC 3515 §2.4.5: the 202 only accepts the REFER; its recipient's NOTIFY says how the call it placed
   * ended. A failure (`SIP/2.0 404 Not Found`) while the call is up marks the transfer failed: the call
   * goes on between the same parties. A 2xx keeps it transferred.
   */
  private transferOutcome(live: LiveCall, req: SipRequest, fromCaller: boolean): void {
    const transfer = live.call.transfer!;
    // The REFER's recipient reports (the other party than the one that sent it).
    if ((fromCaller ? 'caller' : 'callee') === transfer.by) return;
    const outcome = referOutcome(req);
    if (outcome === undefined || live.call.state !== 'answered') return;
    // A new object: the call's earlier snapshots (events) share the old one.
    const { failed: _earlier, ...accepted } = transfer;
    live.call.transfer =
      outcome.status < 300 ? accepted : { ...accepted, failed: `${outcome.status} ${outcome.phrase}`.trim() };
  }

  /**
   * A BYE of an answered call that IMS Lab refused because the other party cannot be reached (its flow
   * closed, its GRUU's device gone): the sender's session is over (§15.1.1), and so is the call, ended by
   * the sender; why says the other party never heard it.
   */
  byeRefused(req: SipRequest, status: number, text: string): void {
    const live = this.liveOf(req);
    if (live === undefined || live.call.state !== 'answered') return;
    const fromCaller = req.from.tag === live.callerTag;
    if (!inCallDialog(live, fromCaller ? req.to.tag : req.from.tag)) return;
    const why = reasonWords(req.headerText('reason')) ?? 'Normal';
    live.call.cseq = `${req.cseq.seq} BYE`;
    this.finish(
      live,
      'ended',
      200,
      'OK',
      `${why} (the BYE got ${status} ${text})`,
      fromCaller ? 'caller' : 'callee',
    );
  }

  /**
   * RFC 3261 §15: the caller may BYE an early dialog. Nobody answered: the callee ends the INVITE with
   * 487, and the call is recorded as a CANCEL's would be (not as an answered call that ended), or as
   * answered if the callee answers all the same.
   */
  private earlyBye(live: LiveCall, req: SipRequest): void {
    live.cancelledByCaller = true;
    live.cancelReason = reasonWords(req.headerText('reason')) ?? 'User Cancelled (BYE before the answer)';
  }

  /** Is the request's Call-ID and tag one of a call being tracked (any of its forks' dialogs)? */
  knows(req: SipRequest): boolean {
    return this.liveOf(req) !== undefined;
  }

  /** A call of this request's Call-ID is up, or ended within the last 32 s (ended-lately.ts). */
  knewLately(req: SipRequest): boolean {
    return this.knows(req) || this.endedLately.has(req.callId, this.elapsed());
  }

  /**
   * The other party of the dialog an in-dialog request belongs to (its contact as the Request-URI, and
   * where to send), for a request that came without the route set (SIPp's built-in uac); undefined when
   * no live call matches, that party's contact is unknown, or the request is in another fork's dialog
   * of the call (a dialog is the Call-ID and both tags, RFC 3261 §12: the ACK and BYE of a second 2xx
   * went to the callee that answered first, its Request-URI rewritten); it then goes by its Request-URI.
   */
  dialogPeer(req: SipRequest): { uri: string; hop: Peer } | undefined {
    const live = this.liveOf(req);
    if (live === undefined) return undefined;
    const fromCaller = req.from.tag === live.callerTag;
    if (!inCallDialog(live, fromCaller ? req.to.tag : req.from.tag)) return undefined;
    return peerOf(live, fromCaller);
  }

  /**
   * Is the request in a dialog of a call being tracked whose other party is known, in any of its forks'
   * dialogs (the proxy takes it as in a dialog through us: not challenged, routed leniently)?
   */
  throughTrackedCall(req: SipRequest): boolean {
    const live = this.liveOf(req);
    return live !== undefined && peerOf(live, req.from.tag === live.callerTag) !== undefined;
  }

  /** Ends a call on the operator's word (or the maximum duration): BYE both ways, or CANCEL if unanswered. */
  end(id: string, by: HangupBy = 'operator', why?: string): boolean {
    const live = this.calls.get(id);
    if (live === undefined) return false;
    const reason = why ?? (by === 'timeout' ? 'Maximum call duration' : OPERATOR_END_REASON);
    if (live.call.state !== 'answered') {
      live.endingBy = by;
      live.endingReason = reason;
      live.cancelInvite?.(reason);
      // The 487 (or a timeout) ends it; if no branch ever answered anything, end it here.
      if (this.calls.has(id)) this.finish(live, 'cancelled', 487, 'Request Terminated', reason, by);
      return true;
    }
    this.sendBye(live, true, reason);
    this.sendBye(live, false, reason);
    this.finish(live, 'ended', 200, 'OK', reason, by);
    return true;
  }

  /**
   * A WebSocket connection closed (a browser's tab, RFC 7118 §5): nothing can reach the party on it any
   * more, nor will its BYE come. Each answered call of that party ends now: the other party gets our BYE,
   * and the record says who went. (A call still ringing ends in its response context.)
   */
  connectionClosed(peer: Peer): void {
    for (const live of [...this.calls.values()]) {
      if (live.call.state !== 'answered') continue;
      const callerGone = samePeer(live.callerHop, peer);
      if (!callerGone && (live.calleeHop === undefined || !samePeer(live.calleeHop, peer))) continue;
      this.sendBye(live, callerGone, CONNECTION_CLOSED_REASON);
      this.finish(live, 'ended', 200, 'OK', CONNECTION_CLOSED_REASON, callerGone ? 'caller' : 'callee');
    }
  }

  /** Does a live call (ringing or answered) reach one of its parties over this peer's connection? */
  reachedOver(peer: Peer): boolean {
    for (const live of this.calls.values())
      if (samePeer(live.callerHop, peer) || (live.calleeHop !== undefined && samePeer(live.calleeHop, peer)))
        return true;
    return false;
  }

  /**
   * At shutdown, while the transport still runs: every live call is ended as the operator would end it,
   * BYE both ways for an answered one (RFC 3261 §15.1.1), CANCEL for one still ringing (§9.1, its caller
   * then gets the 487): neither phone is left in a call nobody records (the dialog's Record-Route still
   * routed its BYE after the restart, unrecorded). Each is recorded ended at once.
   */
  hangUpAll(reason: string): void {
    for (const id of [...this.calls.keys()]) this.end(id, 'system', reason);
  }

  /**
   * After the transport stopped: what hangUpAll could not end (no 487 came back in time) gets its end
   * here (a CDR row), reason 'System shutdown'.
   */
  endAll(reason = 'System shutdown'): number {
    const all = [...this.calls.values()];
    for (const live of all) {
      const answered = live.call.state === 'answered';
      this.finish(
        live,
        answered ? 'ended' : 'failed',
        answered ? 200 : 503,
        answered ? 'OK' : 'Service Unavailable',
        reason,
        'system',
      );
    }
    return all.length;
  }

  // ---------------------------------------------------------------- responses

  private ringing(live: LiveCall, response: SipResponse, branch: Branch): void {
    const call = live.call;
    if (response.status > 100) {
      // RFC 3261 §13.2.1: only a reliable provisional's SDP is an answer the 2xx need not repeat.
      if (reliableProvisional(response)) {
        const early = mediaOf(response);
        if (early !== undefined) (live.earlyMedia ??= new Map()).set(response.to.tag ?? '', early);
      } else if (live.previewSdp === undefined && hasSdp(response)) {
        live.previewSdp = `${response.status} ${keptText(response.reasonText)}`.trim();
      }
    }
    if (call.state !== 'calling' || response.status < 180) return;
    call.state = 'ringing';
    call.ringingAt = this.timeIn(live);
    call.callee.address = branch.hop.address;
    call.callee.port = branch.hop.port;
    call.callee.transport = branch.hop.transport;
    this.emit('ringing', live);
  }

  private answered(live: LiveCall, response: SipResponse, branch: Branch): void {
    const call = live.call;
    if (call.state === 'answered' || !this.calls.has(call.id)) return;
    // Read before the call changes: a header the 2xx carries malformed (relayed all the same, §16.7 step
    // 5) is recorded unknown (Contact '', no Record-Route; mediaOf's Content-Type likewise), not left
    // half-way as an ANSWERED call with no ACK timer nor maximum duration. The callee's BYE then goes
    // where the INVITE went.
    const contact = lateRead(() => response.contacts[0]?.uriText ?? '', '');
    const recordRoute = lateRead(() => response.recordRoutes.map((r) => r.raw), []);
    const media = mediaOf(response);
    call.state = 'answered';
    // Only an unanswered call is cancelled; the hook holds the INVITE's server transaction.
    live.cancelInvite = undefined;
    call.answeredAt = this.timeIn(live);
    call.statusCode = response.status;
    call.statusText = keptText(response.reasonText);
    call.callee.header = response.headerText('to') ?? call.callee.header;
    call.callee.address = branch.hop.address;
    call.callee.port = branch.hop.port;
    call.callee.transport = branch.hop.transport;
    call.callee.userAgent = keptText(
      response.headerText('server') ?? response.headerText('user-agent') ?? '',
    );
    call.callee.contact = contact;
    live.calleeTarget = branch.request?.uri;
    const agreed = media ?? live.earlyMedia?.get(response.to.tag ?? '');
    if (agreed !== undefined) {
      const unoffered = unofferedCodecs(call.media, agreed);
      if (unoffered.length > 0)
        call.mediaNote = `answer codec ${unoffered.join(', ')} not in the offer (RFC 3264 §6.1)`;
      call.media = agreed;
    } else {
      // Not the caller's offer: nothing was agreed (a tester hunting "no audio" must see it).
      call.media = NO_MEDIA;
      call.mediaProblem = answerProblem(live, response);
    }
    live.earlyMedia = undefined;
    live.previewSdp = undefined;
    live.calleeTo = response.header('to') ?? live.calleeTo; // as on the wire: the operator's BYE uses it
    live.calleeTag = response.to.tag;
    live.calleeHop = branch.hop;
    live.recordRoute = recordRoute;
    const max = this.deps.maxCallMs();
    if (max > 0) live.maxTimer = this.deps.timers.start(live, 'max-duration', max);
    live.ackTimer = this.deps.timers.start(live, 'ack', this.deps.ackWaitMs?.() ?? 64 * DEFAULT_TIMERS.t1);
    this.armSession(live, response);
    this.emit('answered', live);
  }

  /**
   * RFC 3891 §3: an INVITE with Replaces naming a live call of ours takes it over. Its recipient accepts
   * and BYEs the old dialog, the BYE often before its 2xx reaches us (linphonec), so the old call is
   * marked as the INVITE passes, and unmarked if the INVITE fails while the old call is still up.
   */
  private takeOver(live: LiveCall, dialog: NonNullable<ReturnType<typeof replacedDialog>>): void {
    const old = dialog.tags.map((tag) => this.find(dialog.callId, tag)).find((l) => l !== undefined);
    if (old === undefined || old === live) return;
    old.call.replacedBy = live.call.callId;
    live.replacing = old;
  }

  /**
   * A 2xx to the INVITE, or to a re-INVITE or UPDATE in the call: its Session-Expires (re)starts the
   * session timer, its absence stops it (RFC 4028 §7.2, §8.2, §9).
   */
  private armSession(live: LiveCall, response: SipResponse): void {
    if (live.sessionTimer !== undefined) this.deps.timers.cancel(live.sessionTimer);
    const interval = sessionIntervalMs(response.headerText('session-expires'));
    live.sessionTimer =
      interval === undefined ? undefined : this.deps.timers.start(live, 'session', interval);
  }

  /**
   * The session interval passed without a refresh: both UAs should have ended the session (§10), and a
   * proxy MAY drop the call's state but MUST NOT send a BYE (§8.3). The record ends here.
   */
  sessionExpired(live: LiveCall): void {
    this.finish(live, 'ended', 200, 'OK', SESSION_EXPIRED_REASON, 'timeout');
  }

  private failed(
    live: LiveCall,
    status: number,
    reason: string,
    branch: Branch | undefined,
    response?: SipResponse,
    downstream?: SipResponse,
  ): void {
    if (!this.calls.has(live.call.id)) return;
    if (branch !== undefined && live.call.callee.address === '') {
      live.call.callee.address = branch.hop.address;
      live.call.callee.port = branch.hop.port;
      live.call.callee.transport = branch.hop.transport;
    }
    if (live.endingBy !== undefined) {
      const why =
        live.endingReason ?? (live.endingBy === 'timeout' ? 'Maximum call duration' : OPERATOR_END_REASON);
      this.finish(live, 'cancelled', status, reason, why, live.endingBy);
    } else if (live.cancelledByCaller && status === 487) {
      this.finish(live, 'cancelled', status, reason, live.cancelReason ?? 'User Cancelled', 'caller');
    } else if (response === undefined && reason === CLOSED_CONNECTION_PHRASE) {
      // The callee's browser went while it rang: recorded as an answered call's end is when it goes.
      this.finish(live, 'failed', status, reason, CONNECTION_CLOSED_REASON, 'callee');
    } else {
      // A failure IMS Lab made up itself (no response: the next hop unreachable) is the system's, as the
      // calls it refuses outright are, its 408 (Timer C, §16.8; a transaction timeout, §17.1.1.2) a
      // timeout's; a relayed one is the callee's, its own 408 too, and so is a callee's 503 the caller
      // got as 500 (§16.7 step 6): the record names the 503, the status stays the one sent.
      // IMS Lab's own 482/483 to a later pass, relayed back by the hop between (refusedPass): the system's.
      const own =
        response !== undefined &&
        live.ownRefusal?.status === response.status &&
        live.ownRefusal.toTag === response.to.tag;
      const refusal = own ? undefined : (response ?? downstream);
      const by: HangupBy = refusal !== undefined ? 'callee' : status === 408 ? 'timeout' : 'system';
      const why =
        status === 408 && reason.includes('no answer')
          ? 'No answer (Timer C)'
          : own
            ? `${status} ${reason} (IMS Lab's own answer to the INVITE's pass back through it)`
            : refusal === undefined
              ? `${status} ${reason}`
              : refusalWords(refusal);
      this.finish(live, 'failed', status, reason, why, by);
    }
  }

  // ---------------------------------------------------------------- inside

  /** The live call of a request from either party (by its From tag, else its To tag). */
  private liveOf(req: SipRequest): LiveCall | undefined {
    return this.find(req.callId, req.from.tag) ?? this.find(req.callId, req.to.tag);
  }

  private find(callId: string, tag: string | undefined): LiveCall | undefined {
    const live = this.calls.get(callId);
    if (live !== undefined && (tag === undefined || live.callerTag === tag || live.calleeTo.includes(tag)))
      return live;
    return tag === undefined ? undefined : this.calls.get(`${callId};${tag}`);
  }

  private finish(
    live: LiveCall,
    state: 'ended' | 'failed' | 'cancelled',
    status: number,
    text: string,
    reason: string,
    by: HangupBy,
  ): void {
    const call = live.call;
    if (!this.calls.has(call.id)) return;
    this.calls.delete(call.id);
    this.endedLately.mark(call.callId, this.elapsed());
    if (live.maxTimer !== undefined) this.deps.timers.cancel(live.maxTimer);
    if (live.ackTimer !== undefined) this.deps.timers.cancel(live.ackTimer);
    if (live.sessionTimer !== undefined) this.deps.timers.cancel(live.sessionTimer);
    call.state = state;
    call.endedAt = this.timeIn(live);
    if (call.statusCode === 0 || state !== 'ended') {
      call.statusCode = status;
      call.statusText = text;
    }
    call.endReason = reason;
    call.hangupBy = by;
    const old = live.replacing?.call;
    if (state !== 'ended' && old?.replacedBy === call.callId && this.calls.has(old.id)) delete old.replacedBy;
    this.emit('ended', live);
  }

  /**
   * A BYE from the proxy into the dialog: towards the callee as if from the caller, or the reverse.
   * Route: the Record-Route entries between us and that party (none in a lab with direct UAs).
   */
  private sendBye(live: LiveCall, toCallee: boolean, reason: string): void {
    const me = this.deps.identity();
    const call = live.call;
    // Ours may be two entries in a row (RFC 5658: the call changed transport or address family).
    const ourIndex = live.recordRoute.findIndex((r) => this.isOurs(r, me));
    const ourLast = live.recordRoute.findLastIndex((r) => this.isOurs(r, me));
    const before = ourIndex < 0 ? [] : live.recordRoute.slice(0, ourIndex);
    const after = ourIndex < 0 ? [] : live.recordRoute.slice(ourLast + 1).reverse();
    const routes = toCallee ? before : after;
    const target = toCallee ? call.callee.contact || (live.calleeTarget ?? '') : call.caller.contact;
    const hop = toCallee ? live.calleeHop : live.callerHop;
    if (target === '' || hop === undefined) return;
    const seq = toCallee ? ++live.callerCSeq : (live.calleeCSeq = Math.max(live.calleeCSeq, 1000) + 1);
    // §12: the dialog as that party's peer holds it; the proxy speaks for the other party.
    const dialog = new Dialog({
      callId: call.callId,
      local: toCallee ? live.callerFrom : live.calleeTo,
      remote: toCallee ? live.calleeTo : live.callerFrom,
      localSeq: seq - 1,
      remoteSeq: 0,
      remoteTarget: target,
      routeSet: routes,
    });
    const bye = dialog.request('BYE', {
      via: me.via(hop.transport, newBranch(), hop.address),
      headers: [['Reason', `SIP;cause=200;text="${reason}"`]],
    });
    this.deps.layer.sendRequest(bye.request, firstRouteHop(bye.request) ?? hop, IGNORE, bye.bytes);
  }

  private isOurs(recordRoute: string, me: LocalIdentity): boolean {
    try {
      const uri = parseNameAddr(recordRoute, 'Record-Route')?.uri;
      return uri !== undefined && uri.kind === 'sip' && me.isMe(uri.host, uri.port);
    } catch {
      return false; // a malformed entry from downstream is not ours
    }
  }

  private emit(type: CallEvent['type'], live: LiveCall): void {
    if (this.listeners.size === 0) return;
    const e: CallEvent = { type, call: snapshot(live.call), at: this.now() };
    for (const l of this.listeners) l(e);
  }
}

function snapshot(call: Call): Call {
  return {
    ...call,
    caller: { ...call.caller },
    callee: { ...call.callee },
    media: { ...call.media, kinds: [...call.media.kinds], codecs: [...call.media.codecs] },
  };
}
