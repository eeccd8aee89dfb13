// The response context of a stateful proxy (RFC 3261 §16): one server transaction upstream, one client
// transaction per branch downstream, and the rules that tie them together:
//  - §16.7 step 3-5: provisional responses (but 100) are relayed at once and restart Timer C; every 2xx
//    is relayed at once; other finals are kept until every branch has ended;
//  - §16.7 step 6-7: then the best one is relayed (best-response.ts), 503 becoming 500, challenges merged;
//  - §16.7 step 10 / §16.10: a 2xx or 6xx, or a CANCEL from upstream, cancels every pending branch (a
//    branch with no provisional yet is cancelled as soon as one arrives, §9.1); the caller who cancelled
//    is answered 487, and a 6xx relayed, once no branch can end sooner (answerNow). Those CANCELs say
//    why (RFC 3326 §2): "Call completed elsewhere" after a 2xx, the 6xx itself, or the caller's own Reason;
//  - §16.6 step 11 / §16.8: Timer C: a branch with a provisional is cancelled and ends with the answer to
//    that (its 487 shown upstream as the 408 "no answer"; a 2xx that crossed the CANCEL relayed, so the
//    call goes on), one without is a 408; a branch whose CANCEL gets no answer ends after 64*T1 (§9.1);
//  - §8.1.3.1: a transaction timeout is a 408, a transport error a 503 (both made up here); a non-INVITE
//    request is never answered 408 (RFC 4320 §4.2): its transaction ends without an answer; the 500 a
//    transport error becomes upstream names the hop (transport, host or address, port), as the log does;
//  - §17.2.4: when our responses cannot reach the caller (its server transaction reports a transport
//    error), the pending branches are cancelled;
//  - sequential forking tries the next target only after a branch ends with a 3xx-5xx;
//  - RFC 5626 §5.3: a branch to one flow of a device (one reg-id of its instance) whose flow failed (a
//    430, or a 408, a transport error or a closed connection before the device said anything but 100) is
//    replaced by a branch to the device's next flow, newest first, unseen by the caller (the replaced
//    branch's final is not among step 6's candidates); any other final (a 486, a 487, a 6xx, a no-answer
//    after ringing) ends the device's turn (MUST NOT try another flow);
//  - RFC 3263 §4.3: a branch to one address of a next hop's name that failed alike (a transport error,
//    a timeout) is replaced by a branch to the name's next address, by the same rule, and so is one the
//    address answered 503 (address-failover.ts); the caller gets the last address's answer if all fail.
import type { Log } from '../../observe/log';
import type { SipRequest, SipResponse } from '../message/index';
import type { Relay2xx } from '../transaction/accepted-invite';
import { dropClaimedIdentity } from './asserted-identity';
import type { ClientTransaction, ClientTransactionUser } from '../transaction/client-transaction';
import { cancelRequest } from '../transaction/invite-companions';
import type { TransactionLayer } from '../transaction/layer';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { TimerEntry, TimerTarget, TimerWheel } from '../transaction/timer-wheel';
import { hopText, samePeer, type Peer } from '../transport/peer';
import { overloadedAddress, overloadedText } from './address-failover';
import { bestResponse, gatheredChallenges, type BranchFinal } from './best-response';
import { CLOSED_CONNECTION_FINAL } from './closed-connection';
import { SIPS_UNREACHABLE_FINAL, sipsUnreachable } from './sips-unreachable';
import { sipReason } from './reason-header';

/** What the proxy core learns from a context (the call tracker and the MESSAGE record listen). */
export interface ContextListener {
  /** A provisional response relayed upstream. */
  provisional?(response: SipResponse, branch: Branch): void;
  /** A 2xx relayed upstream (every one of them: the first, retransmissions, other forks). */
  success?(response: SipResponse, branch: Branch): void;
  /**
   * The first final response sent upstream when it is not a 2xx (relayed or made up here), with the
   * branch it came from (undefined when made up for the whole context). `downstream`: the branch's own
   * response a made-up one stands for (a callee's 503, answered 500 upstream, §16.7 step 6).
   */
  failure?(
    status: number,
    reason: string,
    response: SipResponse | undefined,
    branch?: Branch,
    downstream?: SipResponse,
  ): void;
}

/** A request ready for one branch (forwarded-request.ts), and the device's other flows to try after it. */
export interface Forward {
  request: SipRequest;
  hop: Peer;
  /**
   * RFC 5626 §5.3: the same request for the device's other flows, newest first; RFC 3263 §4.3: for the
   * next hop name's other addresses. Most have none.
   */
  alternates?: readonly Forward[];
  /** An alternate that is another address of the name the one before it was resolved from (RFC 3263). */
  sameName?: true;
}

const NO_ALTERNATES: readonly Forward[] = [];

export class Branch implements TimerTarget {
  provisional = false;
  /** A provisional other than 100 came (a 100 is hop by hop, §16.7 step 5): the device has the request. */
  rang = false;
  /** Where the request goes instead should this branch's flow or address fail (failedFlow). */
  alternates: readonly Forward[] = NO_ALTERNATES;
  /** It goes to a name's address other than the first (Forward.sameName). */
  sameName = false;
  /**
   * Another flow of its device (RFC 5626 §5.3) or another address of its hop's name (RFC 3263 §4.3)
   * took its place: its final is not one §16.7 step 6 chooses from, the replacement's answer stands for
   * it (a flow's 430 never reaches the caller when the device's other flow answered 486).
   */
  replaced = false;
  final: BranchFinal | undefined;
  /** To be cancelled once it has a provisional (§9.1), with these headers (Reason, RFC 3326). */
  cancelWanted: ReasonHeaders | undefined;
  cancelled = false;
  /** Timer C cancelled it: its 487 means "no answer" (408 upstream). */
  timedOut = false;
  tx: ClientTransaction | undefined;
  /** Our CANCEL's transaction: told to let go of us once the context is done (it lingers for Timer K). */
  cancelTx: ClientTransaction | undefined;
  timerC: TimerEntry | undefined;

  constructor(
    private readonly context: ResponseContext,
    /** The request as sent on this branch (our Via on top); dropped when the branch ends. */
    public request: SipRequest | undefined,
    readonly hop: Peer,
  ) {}

  get pending(): boolean {
    return this.final === undefined;
  }

  onTimer(): void {
    this.timerC = undefined;
    this.context.timerC(this);
  }
}

const NONE_WAITING: readonly never[] = [];

/** The Reason headers (RFC 3326) a CANCEL of ours carries; often none. */
type ReasonHeaders = [string, string][];
const NO_REASON: ReasonHeaders = [];

/**
 * §16.7 step 10: another branch answered. RFC 3326 §2's example: a phone told this does not log a
 * missed call.
 */
const COMPLETED_ELSEWHERE: ReasonHeaders = [['Reason', sipReason(200, 'Call completed elsewhere')]];

/** §16.8: Timer C's own CANCEL, the callee did not answer in time. */
const NO_ANSWER: ReasonHeaders = [['Reason', sipReason(408, 'Request Timeout')]];

/** A 2xx that lost the caller's Via (§16.7 step 3): what the caller is told instead. */
const NO_VIA_LEFT = "Bad Gateway (the callee's 2xx has no Via for the caller: RFC 3261 §16.7 step 3)";

/** A branch cancelled before it said anything: a 487 made up here (answerNow). */
const CANCELLED_UNANSWERED: BranchFinal = { status: 487, response: undefined };

/**
 * §16.7 step 3: our Via off the top of a response going upstream; one with no Via left was meant for us
 * and is not forwarded. The transaction layer runs it for a 2xx that arrives once the context is gone.
 */
export const UPSTREAM: Relay2xx = (response) => {
  response.removeFirstValue('via');
  if (response.via.length === 0) return undefined;
  response.ensureContentLength(); // a datagram may lack it; a stream must not (§18.3, §20.14)
  return response.toBuffer();
};

/** UPSTREAM as a trust-domain edge (PROXY.ASSERT_IDENTITY): no identity the callee claims goes on. */
export const UPSTREAM_UNCLAIMED: Relay2xx = (response) => {
  dropClaimedIdentity(response);
  return UPSTREAM(response);
};

export interface ContextDeps {
  layer: TransactionLayer;
  timers: TimerWheel;
  timerCMs: number;
  /** How a response goes upstream (§16.7 step 3): UPSTREAM, or UPSTREAM_UNCLAIMED (asserted-identity.ts). */
  upstream: Relay2xx;
  /** Where a next hop that cannot be reached is reported (named, with the request's Call-ID). */
  log?: Log;
  /** Called once the context has nothing left to do. */
  done(context: ResponseContext): void;
}

export class ResponseContext implements ClientTransactionUser {
  readonly branches: Branch[] = [];
  /** Sequential forking's targets not tried yet. */
  private waiting: readonly Forward[] = NONE_WAITING;
  private finalSent = false;
  /** Timer C ended a branch: a made-up 408 says "no answer". */
  private timerCExpired = false;
  private cancelled = false;
  /** A branch ended with a 6xx (§16.7 step 10): the others are cancelled, no new one is started. */
  private declined = false;
  private readonly isInvite: boolean;
  /** True while fork() starts parallel branches: none is judged before all exist. */
  private forking = false;
  /** The branch whose request is being sent: a transport error may come before its tx is known. */
  private starting: Branch | undefined;

  /**
   * Dropped when the context is done (the call tracker has what it needs by then): the context lingers
   * with its client transactions (Timer M, 32 s), and the listener holds the whole call.
   */
  private listener: ContextListener | undefined;

  constructor(
    readonly server: ServerTransaction,
    private readonly deps: ContextDeps,
    listener?: ContextListener,
  ) {
    this.isInvite = server.method === 'INVITE';
    this.listener = listener;
    // §17.2.4: the caller cannot be reached with our responses any more; ringing on is pointless.
    server.events.onFailure = (_tx, why) => {
      if (why === 'transport') this.cancel();
    };
  }

  /** Starts branches: all at once (parallel), or the first and the rest in order as each fails. */
  fork(requests: readonly Forward[], sequential: boolean): void {
    if (sequential) {
      this.waiting = requests.slice(1);
      this.startBranch(requests[0]!);
    } else {
      // §16.7 step 6: the best response is chosen once no branch is pending. A send that fails at once
      // (a WebSocket flow gone, a Contact at port 0) ends its branch inside startBranch, before the later
      // branches exist: the caller heard 500 while the other devices rang, then their 200.
      this.forking = true;
      try {
        for (const r of requests) this.startBranch(r);
      } finally {
        this.forking = false;
      }
      if (this.branches.length > 0) this.checkDone();
    }
  }

  /**
   * A WebSocket connection has closed (RFC 7118 §5: nothing sent over it can be answered any other way):
   * the caller's, so every branch is cancelled as for its CANCEL (§17.2.4); or a callee's, whose
   * branches end now rather than at Timer C.
   */
  connectionClosed(peer: Peer): void {
    if (samePeer(this.server.source, peer)) {
      this.cancel();
      return;
    }
    for (const b of this.branches) if (samePeer(b.hop, peer)) this.lost(b, CLOSED_CONNECTION_FINAL);
  }

  /**
   * §16.10: a CANCEL for our INVITE: cancel every pending branch, start no new one. `reasons`: the
   * caller's Reason headers, passed on downstream (RFC 3326 allows them in a CANCEL; Kamailio does too).
   */
  cancel(reasons = NO_REASON): void {
    this.cancelled = true;
    this.waiting = NONE_WAITING;
    for (const b of this.branches) this.cancelBranch(b, reasons);
    this.answerNow();
  }

  // ---------------------------------------------------------------- ClientTransactionUser

  onResponse(response: SipResponse, tx: ClientTransaction): void {
    const branch = this.branchOf(tx);
    if (branch === undefined) return;
    const status = response.status;
    if (status < 200) {
      // A 100 is a provisional too: a CANCEL may now go (§9.1), and Timer C cancels rather than gives up
      // (§16.8). It is hop by hop (§16.7 step 5) and does not restart Timer C (§16.7 step 2).
      branch.provisional = true;
      if (status !== 100) branch.rang = true;
      if (branch.cancelWanted !== undefined) this.cancelBranch(branch, branch.cancelWanted);
      else if (this.isInvite && status !== 100) this.restartTimerC(branch);
      if (status === 100) return;
      if (!this.finalSent && this.relay(response)) this.listener?.provisional?.(response, branch);
      return;
    }
    this.stopTimerC(branch);
    if (status < 300) {
      // §16.7 step 5: every 2xx is forwarded, even after another final; step 3: not one with no Via
      // left once ours is off, which was meant for us (relayed as one of ours, a 200 had our To tag, no
      // Contact, no SDP: a dialog the caller could not use). That one ends the branch as a 502 naming it.
      const bytes = this.deps.upstream(response);
      if (bytes === undefined) {
        if (branch.final !== undefined) return;
        branch.final = { status: 502, response: undefined, reason: NO_VIA_LEFT };
        this.branchEnded(branch);
        return;
      }
      branch.final ??= { status, response };
      this.finalSent = true;
      this.server.respond(bytes, status);
      this.listener?.success?.(response, branch);
      this.cancelOthers(branch, COMPLETED_ELSEWHERE);
      this.checkDone();
      return;
    }
    if (branch.final !== undefined) return; // e.g. a 487 after the CANCEL's wait ran out
    // §16.8: the 487 that answers Timer C's CANCEL is the no-answer timeout the caller is told of.
    branch.final =
      branch.timedOut && status === 487 ? { status: 408, response: undefined } : { status, response };
    if (status >= 600) {
      this.declined = true;
      this.cancelOthers(branch, [['Reason', sipReason(status, response.reasonText)]]);
    }
    this.branchEnded(branch);
  }

  onTimeout(tx: ClientTransaction): void {
    this.madeUpFinal(tx, 408);
  }

  onTransportError(tx: ClientTransaction): void {
    this.madeUpFinal(tx, 503);
  }

  /** Timer C fired on a branch (§16.8). */
  timerC(branch: Branch): void {
    if (!branch.pending) return;
    this.timerCExpired = true;
    if (branch.provisional && !branch.cancelled) {
      // §16.8: CANCEL the branch, which then ends with the callee's answer to it. Its 487 becomes the
      // 408 "no answer" upstream (what a no-answer timeout looks like on other proxies, and what an
      // operator expects to see); a 2xx that crossed the CANCEL is relayed as any other (§16.7 step 5).
      branch.timedOut = true;
      this.cancelBranch(branch, NO_ANSWER);
      return;
    }
    // No provisional at all (§16.8: as if a 408 had come), or no answer to our CANCEL: the branch is over,
    // and its client transaction with it (§9.1).
    branch.tx?.abandon();
    branch.final = { status: 408, response: undefined };
    this.branchEnded(branch);
  }

  /**
   * A branch that cannot end by itself: its CANCEL could not be sent, or its connection has closed (a
   * browser's WebSocket: no response can come any other way, RFC 7118 §5). It ends now, as a 503 would
   * (or as `final`: a closed WebSocket's 480, closed-connection.ts); Timer C's CANCEL that could not go
   * is the no-answer timeout it was sent for (§16.8: a 408).
   */
  lost(branch: Branch, final: BranchFinal = { status: 503, response: undefined }): void {
    if (!branch.pending) return;
    this.stopTimerC(branch);
    branch.tx?.abandon();
    branch.final = branch.timedOut ? { status: 408, response: undefined } : final;
    this.branchEnded(branch);
  }

  // ---------------------------------------------------------------- inside

  private startBranch({ request, hop, alternates, sameName }: Forward): void {
    const branch = new Branch(this, request, hop);
    if (alternates !== undefined) branch.alternates = alternates;
    if (sameName === true) branch.sameName = true;
    this.branches.push(branch);
    if (this.isInvite) this.restartTimerC(branch);
    // A send that fails at once (a closed WebSocket, no route, port 0) reports its transport error
    // before sendRequest returns the transaction: the branch must still get its 503.
    this.starting = branch;
    try {
      branch.tx = this.deps.layer.sendRequest(request, hop, this);
    } finally {
      this.starting = undefined;
    }
  }

  private branchOf(tx: ClientTransaction): Branch | undefined {
    return this.branches.find((b) => b.tx === tx) ?? this.starting;
  }

  private madeUpFinal(tx: ClientTransaction, status: number): void {
    const branch = this.branchOf(tx);
    if (branch === undefined || !branch.pending) return;
    this.stopTimerC(branch);
    if (status === 503) {
      const next = branch.alternates[0];
      this.deps.log?.warning(
        `next hop unreachable: ${hopText(branch.hop)} for ${this.server.method} (Call-ID ${branch.request?.callId})` +
          (next === undefined ? '' : `; trying ${hopText(next.hop)}`),
      );
    }
    branch.final =
      status === 503 && sipsUnreachable(branch.request, branch.hop)
        ? SIPS_UNREACHABLE_FINAL
        : { status, response: undefined };
    this.branchEnded(branch);
  }

  private branchEnded(ended: Branch): void {
    // Most branches have no alternates, and are no alternate themselves.
    if ((ended.alternates.length > 0 || ended.sameName) && this.replaceBranch(ended)) return;
    if (!this.cancelled && !this.finalSent && this.waiting.length > 0) {
      const best = bestResponse(this.finals());
      if (best === undefined || best.status < 600) {
        const next = this.waiting[0]!;
        this.waiting = this.waiting.slice(1);
        this.startBranch(next);
        return;
      }
    }
    this.checkDone();
  }

  /**
   * RFC 5626 §5.3: the device's next flow takes the failed one's place; RFC 3263 §4.3: the name's next
   * address, after a 503 from this one too (address-failover.ts: logged as an unreachable address is,
   * the last address's as well). False when none does.
   */
  private replaceBranch(ended: Branch): boolean {
    const alternates = ended.alternates;
    ended.alternates = NO_ALTERNATES;
    const next = alternates[0];
    let replace = next !== undefined && this.failedFlow(ended);
    const final = ended.final!;
    if (
      final.response !== undefined &&
      (ended.sameName || next?.sameName === true) &&
      overloadedAddress(final, ended.rang || ended.timedOut)
    ) {
      replace = next?.sameName === true && this.mayReplace();
      const method = this.server.method;
      const tried = replace ? next!.hop : undefined;
      this.deps.log?.warning(overloadedText(ended.hop, method, ended.request?.callId, final.response, tried));
    }
    if (!replace) return false;
    ended.replaced = true;
    this.startBranch({
      request: next!.request,
      hop: next!.hop,
      sameName: next!.sameName,
      alternates: alternates.slice(1),
    });
    return true;
  }

  /** No branch replaces one that ended once the caller cancelled, a final went upstream, or a 6xx came. */
  private mayReplace(): boolean {
    return !(this.cancelled || this.finalSent || this.declined);
  }

  /**
   * RFC 5626 §5.3: did this branch end because its flow failed, so that "the proxy SHOULD replace the
   * failed branch with another target ... with the same AOR and instance-id, but a different reg-id"?
   * A 430 (Flow Failed); or a 408 (ours, Timer B or Timer C, or from downstream), a transport error or a
   * closed connection made up here, while the device had said nothing but 100: one that rang and was
   * not answered (Timer C's CANCEL) is a no-answer, not a failed flow. Any other final ends the device's
   * turn: "the proxy MUST NOT forward the same request to another target representing the same AOR and
   * instance-id". Nor is one started once the caller cancelled, a final went upstream, or a 6xx came.
   * The same decides for a next hop's other addresses (RFC 3263 §4.3: a transport error or a timeout is
   * a failure to contact it, and the next address is tried; a response from it ends the hop's turn, but a
   * 503 before ringing: replaceBranch, address-failover.ts).
   */
  private failedFlow(b: Branch): boolean {
    if (!this.mayReplace()) return false;
    const final = b.final!;
    if (final.status === 430) return true;
    if (b.rang || b.timedOut) return false;
    if (final.status === 408) return true;
    return (
      final.response === undefined &&
      (final.status === 503 || final === CLOSED_CONNECTION_FINAL || final === SIPS_UNREACHABLE_FINAL)
    );
  }

  private checkDone(): void {
    if (this.forking) return; // fork() checks once every branch is started
    if (this.branches.some((b) => b.pending) || this.waiting.length > 0) {
      this.answerNow();
      return;
    }
    if (!this.finalSent) this.sendBest(this.finals());
    // An INVITE client transaction lingers 32 s (Timer M) holding this context, and the server
    // transaction (Timer J or L) holds its failure hook: keep nothing big, hold on to nothing.
    this.listener = undefined;
    this.server.events.onFailure = undefined;
    for (const b of this.branches) {
      this.stopTimerC(b);
      b.cancelTx?.forgetUser();
      b.cancelTx = undefined;
      b.request = undefined;
      b.alternates = NO_ALTERNATES;
      if (b.final !== undefined) b.final = { status: b.final.status, response: undefined };
    }
    this.deps.done(this);
    // Nothing is left for the context but relaying further 2xx (deps.upstream): the layer does that with
    // compact records (RFC 6026 Accepted), and this context, its branches and machines go.
    this.deps.layer.settle(
      this.server,
      this.branches.map((b) => b.tx),
      this.deps.upstream,
    );
  }

  /**
   * The caller cancelled, or a branch declined (6xx, §16.7 step 10), and every branch still pending has
   * had no provisional: none may be CANCELled until one comes (§9.1), and one that never answers would
   * hold the caller's INVITE until Timer B, 32 s (a stale binding beside a phone that declined kept the
   * caller waiting that long for its 603). The caller is answered now: its 487, or the 6xx (the best
   * answer whatever the others say), as if those branches had ended with 487 (what Kamailio's tm does
   * for a CANCEL by default). They go on: one that rings later is CANCELled then (its 180 goes no
   * further), one that stays silent ends with Timer B, and a 2xx that still comes is relayed (§16.7
   * step 5: the caller ACKs it and hangs up).
   */
  private answerNow(): void {
    if (!(this.cancelled || this.declined) || this.finalSent || !this.isInvite) return;
    if (this.branches.length === 0) return;
    if (this.branches.some((b) => b.pending && b.provisional)) return; // their 487 comes soon
    this.sendBest(this.finals(CANCELLED_UNANSWERED));
  }

  /**
   * §16.7 step 6's candidates: each branch's final (`unanswered` for one still pending), but not a
   * replaced one's (its replacement's answer stands for it).
   */
  private finals(unanswered?: BranchFinal): BranchFinal[] {
    const out: BranchFinal[] = [];
    for (const b of this.branches) {
      const final = b.final ?? unanswered;
      if (!b.replaced && final !== undefined) out.push(final);
    }
    return out;
  }

  private sendBest(finals: BranchFinal[]): void {
    this.finalSent = true;
    const best = bestResponse(finals)!;
    const from = this.branches.find((b) => b.final === best);
    if (!this.isInvite && best.status === 408) {
      // RFC 4320 §4.2: a transaction-stateful element MUST NOT send a 408 to a non-INVITE request; the
      // client's transaction times out on its own (and the record still says why: the callee's own 408
      // as it came, else ours for a branch that never answered).
      this.server.abandon();
      const own = best.response;
      if (own !== undefined) this.listener?.failure?.(408, own.reasonText, own, from);
      else this.listener?.failure?.(408, 'Request Timeout (no final answer)', undefined, from);
      return;
    }
    const challenges = best.status === 401 || best.status === 407 ? gatheredChallenges(finals) : [];
    if (best.response !== undefined && best.status !== 503 && challenges.length <= 1) {
      const reason = best.response.reasonText;
      this.relay(best.response);
      this.listener?.failure?.(best.status, reason, best.response, from);
      return;
    }
    if (this.cancelled && best.response === undefined) {
      // The caller cancelled and no branch said anything final: what it asked for is what happened.
      this.server.reply(487);
      this.listener?.failure?.(487, 'Request Terminated', undefined, from);
      return;
    }
    // Made up here, a 503 turned into 500 (§16.7 step 6), or challenges merged from several branches.
    const status = best.status === 503 ? 500 : best.status;
    const reason =
      best.response === undefined
        ? best.reason !== undefined
          ? best.reason
          : best.status === 408
            ? this.timerCExpired
              ? 'Request Timeout (no answer)'
              : 'Request Timeout (no final answer)'
            : from === undefined
              ? 'Server Internal Error (next hop unreachable)'
              : `Server Internal Error (next hop unreachable: ${this.unreachable(from.hop)})`
        : best.status === 503
          ? `Server Internal Error (next hop: 503 ${best.response.reasonText})`
          : best.response.reasonText;
    this.server.reply(status, { reason, headers: challenges });
    const downstream = best.status === 503 ? best.response : undefined;
    this.listener?.failure?.(status, reason, undefined, from, downstream);
  }

  /**
   * The hop no branch could reach, as the 500 names it: a name with the addresses of it tried, each of
   * which failed so (RFC 3263 §4.3), else its address.
   */
  private unreachable(hop: Peer): string {
    if (hop.name === undefined) return hopText(hop);
    const tried = this.branches
      .filter((b) => b.final?.status === 503 && b.final.response === undefined)
      .map((b) => b.hop)
      .filter((h) => h.name === hop.name && h.port === hop.port && h.transport === hop.transport);
    return hopText(
      hop,
      tried.map((h) => h.address),
    );
  }

  /**
   * §16.7 step 3: our Via off the top, then upstream through the server transaction. A response with no
   * Via left was meant for us and is not forwarded: a provisional goes no further (false), a failure is
   * answered upstream as our own.
   */
  private relay(response: SipResponse): boolean {
    const bytes = this.deps.upstream(response);
    if (bytes !== undefined) this.server.respond(bytes, response.status);
    else if (response.status >= 300) this.server.reply(response.status, { reason: response.reasonText });
    else return false;
    return true;
  }

  private cancelOthers(except: Branch, reasons: ReasonHeaders): void {
    this.waiting = NONE_WAITING;
    for (const b of this.branches) if (b !== except) this.cancelBranch(b, reasons);
  }

  /**
   * §9.1: CANCEL only a pending INVITE branch, and only once it has had a provisional response. The
   * first reason to cancel it is the one its CANCEL gives (`reasons`, RFC 3326).
   */
  private cancelBranch(branch: Branch, reasons: ReasonHeaders): void {
    if (!this.isInvite || !branch.pending || branch.cancelled) return;
    if (!branch.provisional) {
      branch.cancelWanted ??= reasons;
      return;
    }
    branch.cancelled = true;
    if (branch.request === undefined) return;
    const cancel = cancelRequest(branch.request, reasons);
    const user: ClientTransactionUser = {
      onResponse: () => undefined,
      onTransportError: () => this.lost(branch),
    };
    branch.cancelTx = this.deps.layer.sendRequest(cancel.request, branch.hop, user, cancel.bytes);
    // The branch now ends with its 487, or gives up on it after 64*T1 (§9.1), when Timer C fires again
    // (unless the CANCEL could not even be sent: then it has ended already).
    if (branch.pending)
      this.restartTimerC(branch, Math.min(this.deps.timerCMs, 64 * this.deps.layer.timerBase.t1));
  }

  private restartTimerC(branch: Branch, ms = this.deps.timerCMs): void {
    this.stopTimerC(branch);
    branch.timerC = this.deps.timers.start(branch, 'C', ms);
  }

  private stopTimerC(branch: Branch): void {
    if (branch.timerC !== undefined) this.deps.timers.cancel(branch.timerC);
    branch.timerC = undefined;
  }
}
