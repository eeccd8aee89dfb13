// The stateful proxy core (RFC 3261 §16), for every request the dispatcher does not answer itself:
//   §16.3 validation (loop 482, Proxy-Require 420; syntax, scheme and Max-Forwards 0 are checked below us)
//   §16.4 route preprocessing (strict-router fix, our Route popped)
//   §22.3 authentication of out-of-dialog requests from our users (407), per configured method
//   §16.5 targets (target-set.ts): the next Route; else the location service for a user at our domain;
//         else the Request-URI itself; and the lab-friendly routing of an in-dialog request with no Route
//   §16.6 forwarding: one copy per target, Request-URI, Max-Forwards, Record-Route on dialog-creating
//         requests, our Via with a loop-detecting branch, then a client transaction per branch
//   §16.7-16.10 responses, Timer C and CANCEL in the response context (response-context.ts)
// ACK for a 2xx (no transaction of its own, stateless-ack.ts) and responses no transaction knows are
// forwarded statelessly.
import type { MessageEvent, OptionsEvent } from '../../calls/call';
import type { Counter, CounterSet } from '../../observe/counters';
import type { Log } from '../../observe/log';
import type { DigestAuthenticator } from '../auth/authenticator';
import { authenticate } from '../auth/auth-reply';
import {
  reasonPhrase,
  SipParseError,
  SipRequest,
  unescape,
  type SipResponse,
  type SipUri,
  type Uri,
} from '../message/index';
import type { RequestRouter } from '../dispatcher';
import type { StatelessAnswer } from '../registrar/registrar';
import type { TransactionLayer } from '../transaction/layer';
import type { InviteServerTransaction } from '../transaction/server-invite';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { TimerWheel } from '../transaction/timer-wheel';
import type { Peer } from '../transport/peer';
import { responseTarget } from '../transport/response-target';
import type { Binding } from '../registrar/binding';
import type { Target } from './binding-target';
import { assertIdentity, dropClaimedIdentity, hideWithheldIdentity } from './asserted-identity';
import { carriesDialogMark } from './dialog-token';
import { flowHop, TAMPERED } from './flow-token';
import { prepared, type Forwarding } from './forwarded-request';
import type { LocalIdentity } from './local-identity';
import { isRegEvent, type RegEventNotifier } from './reg-event';
import { answeredRecord, messageEvent } from './message-record';
import { optionsEvent } from './options-record';
import { OurCredentials } from './our-credentials';
import { ownMailboxRefusal } from './own-mailbox';
import { sipReason } from './reason-header';
import type { ProxyConfig } from './proxy-config';
import { checkLoop, checkProxyRequire, type Refusal } from './request-checks';
import {
  ResponseContext,
  UPSTREAM,
  UPSTREAM_UNCLAIMED,
  type ContextDeps,
  type ContextListener,
  type Forward,
} from './response-context';
import { preprocessRoutes } from './route-preprocess';
import { StatelessAck } from './stateless-ack';
import type { HopResolver } from './next-hop';
import { faultKind, routingFault, UNROUTABLE_WHYS } from './routing-fault';
import { sendFamilies, systemLookup, type HostLookup } from '../transport/host-addresses';
import { sameRequest, spiralOrigin, type SpiralOrigin } from './spiral-origin';
import { AUTH_METHOD_CHOICES, KNOWN_METHODS, TargetSet, type Onward, type TargetDeps } from './target-set';

/** What the proxy core is given: what its target set reads (location, users, calls...), and: */
export interface ProxyDeps extends TargetDeps {
  layer: TransactionLayer;
  timers: TimerWheel;
  auth: DigestAuthenticator;
  log: Log;
  /** Sends bytes with no transaction (stateless forwarding); `replyTo`: a response's CSeq method. */
  send(data: Buffer, to: Peer, kind: string, onError?: undefined, replyTo?: string): void;
  onMessage?(e: MessageEvent): void;
  /** An OPTIONS for a user, relayed or refused here, with its final answer (the CDR's OPTIONS row). */
  onOptions?(e: OptionsEvent): void;
  /**
   * A BYE carrying the mark of a dialog through IMS Lab (dialog-token.ts: under secret.key, so possibly
   * set up by the process before a restart) that no call up, or ended in the last 32 s, is of: the call
   * was answered by an IMS Lab killed before its journal held it. Relayed as before; told for its CDR row.
   */
  onUnknownDialogBye?(req: SipRequest, source: Peer): void;
  /** The registrar's reg event notifier (RFC 3680): SUBSCRIBEs to a user's own registrations. */
  regEvents?: RegEventNotifier;
  /** How a next hop's host name becomes addresses (next-hop.ts); the system resolver when absent. */
  lookup?: HostLookup;
  /** Where sip_unroutable_total is kept (routing-fault.ts); not counted when absent. */
  counters?: CounterSet;
}

/**
 * The caller's Reason headers (RFC 3326 §2), each line as it came, for the CANCELs sent downstream
 * (§16.10): what the caller said reaches the callees (Kamailio passes it on too). None: none added.
 */
function callerReasons(cancel: SipRequest): [string, string][] | undefined {
  if (!cancel.has('reason')) return undefined;
  return cancel.headerValues('reason').map((v) => ['Reason', v]);
}

/** Requests that create a dialog when sent outside one (§12.1; RFC 6665 SUBSCRIBE, RFC 3515 REFER). */
const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

/** Our refusals of an in-dialog request that say its target is gone (not forged, not looping). */
const PARTY_GONE = new Set([404, 410, 430, 480, 481]);

/**
 * Record-Route this request? Every dialog-creating one outside a dialog (§16.6 step 4), and every NOTIFY,
 * in a dialog too: a proxy that Record-Routes SUBSCRIBE (we do) MUST add Record-Route to all NOTIFY
 * requests (RFC 6665 §4.3), since a NOTIFY may reach the subscriber before the 200 to its SUBSCRIBE, or
 * come from a fork that never answered, and then its Record-Route is the dialog's route set (§4.1.2.4).
 * Kamailio's default configuration does the same (record_route() for an in-dialog NOTIFY).
 */
function recordRoutes(req: SipRequest, inDialog: boolean): boolean {
  return req.method === 'NOTIFY' || (!inDialog && DIALOG_CREATING.has(req.method));
}

/** The user a From names, to match the authenticated one: a sip: user, a tel: number without its visual separators (RFC 3966 §5.1.1); none for another scheme. */
function fromUser(from: Uri): string {
  if (from.kind === 'sip') return unescape(from.user ?? '');
  if (from.kind === 'tel') return from.number.replace(/[-.()]/g, '');
  return '';
}

/**
 * RFC 3323 §4.1.1.3: a caller who withholds its number sends From: sip:anonymous@anonymous.invalid (3GPP
 * TS 24.229's number withholding); once authenticated it is that user calling, and is let through.
 */
function isAnonymous(from: Uri): boolean {
  return (
    from.kind === 'sip' &&
    from.host.toLowerCase() === 'anonymous.invalid' &&
    (from.user ?? '').toLowerCase() === 'anonymous'
  );
}

/** Does every Route name us (none is left once ours are popped, §16.4)? */
function onlyOurRoutes(req: SipRequest, me: LocalIdentity): boolean {
  return req.routes.every((r) => r.uri.kind === 'sip' && me.isMe(r.uri.host, r.uri.port));
}

export class Proxy implements RequestRouter {
  private readonly contexts = new Map<ServerTransaction, ResponseContext>();
  /**
   * Initial INVITEs whose next hop's name is being looked up (RFC 3263), with the call started for each
   * at its arrival (route): a CANCEL, or the operator's RMV CALL, ends it before any branch exists.
   */
  private readonly lookingUp = new Map<ServerTransaction, ContextListener>();
  /** Lookups of a next hop's name started so far: route() tells from it that a request waits on one. */
  private lookups = 0;
  /**
   * The branches of requests forwarded once their sender was authenticated, while their context lives:
   * the same request back (a spiral through an application server or an edge proxy, §16.3 step 4) is
   * that user's, and is not challenged again; its credentials for our realm were taken off (§22.3), so
   * each pass was a new 407 and the caller never got through. "The same" is checked whole (SpiralOrigin):
   * the hop we sent it to knows our Via, and with it alone could send anything as that user.
   */
  private readonly authenticatedBranches = new Map<string, SpiralOrigin>();
  private readonly branchesOf = new Map<ResponseContext, string[]>();
  identity: LocalIdentity | undefined;
  /** What every response context is given: one object for all (thousands linger for Timer M). */
  private contextDeps: ContextDeps;
  /** §16.5, made once: it holds the config's relaying rule and local networks (reconfigure). */
  private readonly targetSet: TargetSet;
  private readonly ack: StatelessAck;
  private readonly credentials: OurCredentials;
  /** Requests refused before any branch because their next hop could not be had, by why. */
  private readonly unroutable: Counter | undefined;

  constructor(
    private config: ProxyConfig,
    private readonly deps: ProxyDeps,
  ) {
    const identity = (): LocalIdentity | undefined => this.identity;
    const resolver: HopResolver = {
      lookup: (host) => {
        this.lookups++;
        return (deps.lookup ?? systemLookup)(host);
      },
      // The families our SIP listener sends on, read at each lookup (the identity comes at start).
      get families() {
        return sendFamilies(identity()?.options.bindHost ?? '0.0.0.0');
      },
    };
    this.targetSet = new TargetSet(config, deps, resolver);
    this.credentials = new OurCredentials(deps.auth);
    this.ack = new StatelessAck(deps, this.targetSet, this.credentials);
    this.contextDeps = this.newContextDeps();
    this.unroutable = deps.counters?.counter(
      'sip_unroutable_total',
      'Requests refused because their next hop could not be had (a name that does not resolve, a transport= not supported), by why',
      'why',
      UNROUTABLE_WHYS,
    );
  }

  /** Where a request for this binding would go (§16.5): the NAT keep-alives ask (nat-keepalive.ts). */
  bindingTarget(b: Binding): Target | undefined {
    return this.targetSet.bindingTarget(b);
  }

  reconfigure(config: ProxyConfig): void {
    this.config = config;
    this.targetSet.reconfigure(config);
    this.contextDeps = this.newContextDeps();
  }

  private newContextDeps(): ContextDeps {
    return {
      layer: this.deps.layer,
      timers: this.deps.timers,
      timerCMs: this.config.timerCSeconds * 1000,
      upstream: this.config.assertIdentity ? UPSTREAM_UNCLAIMED : UPSTREAM,
      log: this.deps.log,
      done: (c) => {
        this.contexts.delete(c.server);
        const branches = this.branchesOf.get(c);
        if (branches === undefined) return;
        this.branchesOf.delete(c);
        for (const b of branches) this.authenticatedBranches.delete(b);
      },
    };
  }

  get contextCount(): number {
    return this.contexts.size;
  }

  /** A WebSocket connection has closed: the calls ringing (ResponseContext) and answered over it end. */
  connectionClosed(peer: Peer): void {
    for (const context of [...this.contexts.values()]) context.connectionClosed(peer);
    this.deps.calls.connectionClosed(peer);
  }

  /**
   * A tel: Request-URI (RFC 3966; IMS and VoLTE phones dial them) names a number: with no ENUM here it
   * is the local user of that number, the Request-URI rewritten to ours with user=phone (RFC 3261
   * §19.1.6; §16.5 lets a proxy retarget). False when it cannot (not started, not a tel: URI).
   */
  telToSip(req: SipRequest): boolean {
    const uri = req.requestUri;
    if (this.identity === undefined || uri.kind !== 'tel' || uri.number === '') return false;
    req.setUri(this.identity.numberUri(uri.number));
    return true;
  }

  /**
   * A request for IMS Lab itself: no user, and our address (or our domain with no port), with no Route
   * but ours (§16.4: after preprocessing nothing is left). Another element's address, even on our host,
   * or a Route past us, is routed on (a gateway's keep-alive must reach the gateway).
   */
  addressedToUs(req: SipRequest): boolean {
    const me = this.identity;
    const uri = req.requestUri;
    if (uri.kind !== 'sip' || (uri.user !== undefined && uri.user !== '')) return false;
    if (me === undefined) return true;
    if (!me.isMe(uri.host, uri.port) && !(uri.port === undefined && me.isOurDomain(uri))) return false;
    return onlyOurRoutes(req, me);
  }

  /** A Route that is not ours: the request goes on past us (§16.4). */
  routedPastUs(req: SipRequest): boolean {
    const me = this.identity;
    return me !== undefined && !onlyOurRoutes(req, me);
  }

  /**
   * An INVITE the dispatcher answered 483 (its Max-Forwards spent, §16.3 step 3): when it is a later pass
   * of a live call (a spiral going round), that 483 is IMS Lab's, not the callee's, when it comes back.
   */
  answeredHere(req: SipRequest, status: number, toTag: string): void {
    if (req.method === 'INVITE' && req.to.tag === undefined) this.deps.calls.refusedPass(req, status, toTag);
  }

  route(req: SipRequest, tx: ServerTransaction | undefined, source: Peer): void {
    const me = this.identity;
    if (me === undefined) {
      tx?.reply(503, { reason: 'Service Unavailable (starting)' });
      return;
    }
    if (tx === undefined) {
      if (this.config.assertIdentity) assertIdentity(req, undefined, undefined, me); // RFC 3325 §5
      this.ack.forward(req, me, source);
      return;
    }
    if (req.method === 'CANCEL') {
      this.cancel(req, tx);
      return;
    }
    if (req.method === 'SUBSCRIBE' && this.regEventRefresh(req, tx, source, me)) return;
    const refusal = checkLoop(req, me) ?? checkProxyRequire(req);
    if (refusal !== undefined) {
      this.refuse(req, tx, source, refusal);
      return;
    }
    const routed = req.routes.length > 0;
    const inDialog = this.inDialog(req, me);
    const popped = preprocessRoutes(req, me);
    let authenticated: string | undefined;
    const challenged = this.needsCredentials(req, me, inDialog);
    if (challenged) authenticated = this.authenticatedSpiral(req, me);
    const spiral = authenticated !== undefined;
    if (challenged && authenticated === undefined) {
      // An initial INVITE, MESSAGE or OPTIONS refused here (credentials that failed, a locked-out source,
      // a suspended account) is one IMS Lab refuses itself: a FAILED row as for 404 or 480 (the dialer's
      // placed calls and the CDR agree). The normal challenge of one without credentials is none.
      const refused = (status: number, reason: string): void => {
        if (req.to.tag !== undefined) return;
        try {
          if (req.method === 'INVITE') this.deps.calls.refused(req, source, status, reason);
          else if (req.method === 'MESSAGE') this.messageRefused(req, source, status, reason);
          else if (req.method === 'OPTIONS')
            this.deps.onOptions?.(optionsEvent(req, source, status, reason, Date.now()));
        } catch (err) {
          if (!(err instanceof SipParseError)) throw err;
        }
      };
      const user = authenticate(this.deps.auth, 'proxy', req, tx, source, refused);
      if (user === undefined) return;
      if (fromUser(req.from.uri) !== user && !isAnonymous(req.from.uri)) {
        // Its row and log line name who tried: the From is someone else's (another user's number).
        const spoofed = { status: 403, reason: 'Forbidden (From is not the authenticated user)' };
        this.refuse(req, tx, source, spoofed, undefined, user);
        return;
      }
      authenticated = user;
    }
    // RFC 3325 §§5-6: as a trust domain's edge, the identity of an authenticated sender is IMS Lab's to
    // assert, and no other's is passed on (asserted-identity.ts). Off (the default): as sent.
    if (this.config.assertIdentity)
      assertIdentity(
        req,
        authenticated,
        authenticated === undefined ? undefined : this.deps.aorOf(authenticated),
        me,
        spiral,
      );
    // RFC 5626 §5.3: a Route of ours naming another connection sends the request down that one; a token
    // not ours gets 403, a connection that has closed 430.
    const flow = flowHop(popped, source);
    if (flow === TAMPERED) {
      this.refuse(req, tx, source, { status: 403, reason: 'Forbidden (a flow token that is not ours)' });
      return;
    }
    if (flow !== undefined && this.deps.isConnected?.(flow) === false) {
      this.refuse(req, tx, source, { status: 430, reason: 'Flow Failed (its connection has closed)' });
      return;
    }
    if (req.method === 'SUBSCRIBE' && !inDialog) {
      // RFC 3842 / RFC 6665 §8.3.2: a user's own message-summary is no phone's to answer (own-mailbox.ts).
      const mailbox = ownMailboxRefusal(req, me, this.subscriberOf(req, me, authenticated));
      if (mailbox !== undefined) {
        this.refuse(req, tx, source, mailbox);
        return;
      }
      if (this.regEventSubscribe(req, tx, source, me, authenticated)) return;
    }
    // A GRUU of ours in a dialog is resolved whatever Route or flow is left (RFC 5627 §7.1, target-set.ts).
    const gruu = inDialog && routed ? this.targetSet.dialogGruu(req, me) : undefined;
    const flowTarget =
      gruu === undefined && flow !== undefined ? Promise.resolve([{ uri: undefined, hop: flow }]) : undefined;
    const lookups = this.lookups;
    const found =
      gruu ?? flowTarget ?? this.targetSet.targets(req, me, inDialog, routed, authenticated !== undefined);
    // A call waiting on its next hop's name starts now, at the INVITE's arrival: its start and setup time
    // count the lookup (they began once it ended, hiding a slow DNS), and DSP CALL shows it meanwhile. A
    // counter compared: nothing more for a next hop given by address.
    const early =
      this.lookups !== lookups && req.method === 'INVITE' && !inDialog
        ? this.waitForName(req, tx, source, authenticated)
        : undefined;
    found
      .then((targets) => {
        if (early !== undefined) this.lookingUp.delete(tx);
        // RFC 3261 §16.10: an INVITE the caller cancelled while its next hop's name was looked up has had
        // its 487 (cancelWhileRouting): it is not forwarded now, nor refused again. One property read.
        if (tx.request === undefined) return;
        if ('status' in targets) this.refuse(req, tx, source, targets, early, authenticated);
        else this.forward(req, tx, source, me, targets, inDialog, authenticated, early);
      })
      .catch((err: unknown) => {
        if (early !== undefined) this.lookingUp.delete(tx);
        if (tx.request === undefined) return; // cancelled meanwhile: answered 487 (§16.10)
        if (err instanceof SipParseError) {
          // Logged as the transport's 400s are (it went unlogged: a synchronous one is, by the layer).
          this.refuse(req, tx, source, { status: err.status, reason: err.reason }, early, authenticated);
          this.deps.layer.malformedLate(err, source, true);
          return;
        }
        this.unroutable?.inc(faultKind(err));
        this.deps.log.warning(`cannot route ${req.method} ${req.uri}: ${String(err)}`);
        this.refuse(req, tx, source, { status: 500, reason: routingFault(err) }, early, authenticated);
      });
  }

  /** The call of an initial INVITE waiting on its next hop's name, started now (route). */
  private waitForName(
    req: SipRequest,
    tx: ServerTransaction,
    source: Peer,
    authenticated: string | undefined,
  ): ContextListener | undefined {
    try {
      const listener = this.startCall(req, source, tx, authenticated);
      this.lookingUp.set(tx, listener);
      return listener;
    } catch (err) {
      if (err instanceof SipParseError) return undefined; // started, and refused, once routed
      throw err;
    }
  }

  /** The call an initial INVITE starts (call-tracker.ts), and how the operator's end cancels it. */
  private startCall(
    req: SipRequest,
    source: Peer,
    tx: ServerTransaction,
    authenticated: string | undefined,
  ): ContextListener {
    // The operator's (or the maximum duration's) CANCEL says why, as its BYE would (RFC 3326 §2).
    return this.deps.calls.invite(
      req,
      source,
      (why) => {
        const context = this.contexts.get(tx);
        if (context !== undefined) context.cancel([['Reason', sipReason(487, why)]]);
        else this.endWhileLookingUp(tx);
      },
      authenticated === undefined ? undefined : this.deps.aorOf(authenticated),
      // Its P-Asserted-Identity is IMS Lab's own (route): the CDR says "(asserted)", not "(as sent)".
      authenticated !== undefined && this.config.assertIdentity,
    );
  }

  /** RMV CALL of a call whose next hop's name is being looked up: 487 now, never forwarded (§16.10). */
  private endWhileLookingUp(tx: ServerTransaction): void {
    const listener = this.lookingUp.get(tx);
    if (listener === undefined) return;
    this.lookingUp.delete(tx);
    tx.reply(487);
    listener.failure?.(487, reasonPhrase(487), undefined);
  }

  /**
   * Our own final answer. An initial INVITE refused here is still a call attempt, recorded as failed
   * (not a malformed one: a header the call record reads may be what is wrong with it).
   */
  private refuse(
    req: SipRequest,
    tx: ServerTransaction,
    source: Peer,
    r: Refusal,
    /** The call already started for it (while its next hop's name was looked up): it fails. */
    started?: ContextListener,
    /** The user whose credentials it passed (§22.3): its row names them (a From spoofed, a 480...). */
    authenticated?: string,
  ): void {
    tx.reply(r.status, { reason: r.reason, headers: r.headers });
    // §15.1.1: a party that sends BYE has ended its session whatever the answer. When the other party
    // cannot be reached (its flow closed, 430; its GRUU's device gone, 480...), the call ends here too,
    // or it stayed up unrecorded until the maximum duration. A forged or looping BYE (403, 482) does not.
    if (req.method === 'BYE' && req.to.tag !== undefined && PARTY_GONE.has(r.status))
      this.deps.calls.byeRefused(req, r.status, reasonPhrase(r.status));
    // A call started while its next hop's name was looked up fails with the answer, a 400 too.
    if (started !== undefined) {
      started.failure?.(r.status, r.reason ?? reasonPhrase(r.status), undefined);
      return;
    }
    if (r.status === 400 || req.to.tag !== undefined) return;
    const text = r.reason ?? reasonPhrase(r.status);
    const aor = authenticated === undefined ? undefined : this.deps.aorOf(authenticated);
    try {
      // A call or a MESSAGE IMS Lab refuses itself (404, 480, 403...) is a FAILED row, as one its
      // callee refuses is; a malformed request is none (its headers may not read). A call that comes
      // back to us (482, §16.3 item 4) is the same attempt, recorded once: by its first pass.
      if (req.method === 'INVITE') {
        if (r.status !== 482 || !this.deps.calls.knows(req))
          this.deps.calls.refused(req, source, r.status, text, tx.toTag, aor);
        else this.deps.calls.refusedPass(req, r.status, tx.toTag);
      } else if (req.method === 'MESSAGE') {
        this.messageRefused(req, source, r.status, text, aor);
      } else if (req.method === 'OPTIONS' && this.deps.onOptions !== undefined) {
        this.deps.onOptions(optionsEvent(req, source, r.status, text, Date.now()));
      }
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
    }
  }

  /** A MESSAGE IMS Lab answered itself with a final failure: its FAILED row (README, CDR). */
  private messageRefused(req: SipRequest, source: Peer, status: number, text: string, aor?: string): void {
    if (this.deps.onMessage === undefined || this.identity === undefined) return;
    const record = messageEvent(req, source, undefined, this.identity);
    if (aor !== undefined) record.authenticatedAs = aor;
    this.deps.onMessage({ ...answeredRecord(record, status, text, undefined, Date.now()), refused: true });
  }

  /**
   * §22.3 and §8.2.7: an out-of-dialog request from one of our users, of a method that must carry
   * credentials, without any: the 407 goes out without a transaction (its ACK is absorbed by the layer,
   * a retransmission gets a fresh 407), so a challenge costs no machine, no 100 Trying and no Timer G,
   * H or I. Everything else (credentials, a refusal, a locked-out source) takes the stateful path.
   */
  statelessChallenge(req: SipRequest, source: Peer): StatelessAnswer | undefined {
    const me = this.identity;
    if (me === undefined || req.method === 'CANCEL' || req.method === 'ACK') return undefined;
    if (!this.needsCredentials(req, me) || req.has('proxy-authorization')) return undefined;
    if (this.authenticatedSpiral(req, me) !== undefined) return undefined;
    if (req.method === 'SUBSCRIBE' && this.isRegEventRefresh(req)) return undefined; // ours to answer
    if ((checkLoop(req, me) ?? checkProxyRequire(req)) !== undefined) return undefined;
    const outcome = this.deps.auth.check(req, 'proxy-authorization', source);
    if (outcome.kind !== 'challenge') return undefined;
    const challenges = this.deps.auth.challenges(
      source,
      outcome.stale,
      req.header('user-agent'),
      req.topVia.transport,
    );
    return { status: 407, headers: challenges.map((c) => ['Proxy-Authenticate', c] as [string, string]) };
  }

  /** Responses no client transaction matched: a 2xx retransmission after ours ended, mostly. */
  strayResponse(response: SipResponse): void {
    const me = this.identity;
    if (me === undefined || !me.isMe(response.topVia.host, response.topVia.port)) return;
    response.removeFirstValue('via');
    if (response.via.length === 0) return; // it was for us
    if (this.config.assertIdentity) dropClaimedIdentity(response); // RFC 3325 §5 (asserted-identity.ts)
    response.ensureContentLength();
    const target = responseTarget(response.topVia, undefined);
    this.deps.send(response.toBuffer(), target, String(response.status), undefined, response.cseq.method);
  }

  // ---------------------------------------------------------------- §16.6 forwarding

  private forward(
    req: SipRequest,
    tx: ServerTransaction,
    source: Peer,
    me: LocalIdentity,
    targets: readonly Onward[],
    inDialog: boolean,
    authenticated?: string,
    /** The call started at the INVITE's arrival, while its next hop's name was looked up. */
    started?: ContextListener,
  ): void {
    this.credentials.remove(req); // §22.3: ours end here, on in-dialog requests too
    // The call tracker and MESSAGE record see the request as it arrived (Request-URI before retargeting).
    const listener = started ?? this.listenerFor(req, source, tx, targets, inDialog, me, authenticated);
    try {
      this.fork(req, tx, source, me, targets, inDialog, listener, authenticated);
    } catch (err) {
      // A header read only now does not parse (a Contact's URI for the NAT check): the caller gets the
      // 400 naming it (route's catch), and the call started for it ends with that answer. It stayed
      // "calling" for ever: 20,000 such INVITEs held 20,000 calls and 100 MB.
      if (err instanceof SipParseError) listener?.failure?.(err.status, err.reason, undefined);
      throw err;
    }
  }

  /** §16.6 steps 1-8 for each target, then the response context that sends them and gathers answers. */
  private fork(
    req: SipRequest,
    tx: ServerTransaction,
    source: Peer,
    me: LocalIdentity,
    targets: readonly Onward[],
    inDialog: boolean,
    listener: ContextListener | undefined,
    authenticated?: string,
  ): void {
    req.decrementMaxForwards(); // step 3 (70 when absent; the dispatcher already refused 0)
    // RFC 3325 §7: Privacy: id, and every next hop is outside the trust domain (read by the CDR before).
    if (this.config.assertIdentity) hideWithheldIdentity(req);
    const recordRoute = recordRoutes(req, inDialog);
    const how: Forwarding = {
      req,
      source,
      me,
      recordRoute,
      natted: recordRoute && this.targetSet.senderBehindNat(req, source),
      mark: recordRoute ? me.dialogs.of(req) : undefined,
      viaRoute: req.routes.length > 0,
    };
    const forwards: Forward[] = [];
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const forward = prepared(how, t);
      // RFC 5626 §5.3: the device's other flows (RFC 3263 §4.3: the next hop name's other addresses),
      // prepared alike, for the context to try in turn should this one fail. Most targets have none.
      if (t.alternates !== undefined && t.alternates.length > 0)
        forward.alternates = t.alternates.map((a) => prepared(how, a));
      forwards.push(forward);
    }
    const context = new ResponseContext(tx, this.contextDeps, listener);
    if (authenticated !== undefined) {
      const branches: string[] = [];
      for (const f of forwards) {
        branches.push(f.request.topVia.branch!);
        // A device's other flow (RFC 5626 §5.3) may carry the request on instead: its spiral is the user's too.
        if (f.alternates !== undefined) for (const a of f.alternates) branches.push(a.request.topVia.branch!);
      }
      const origin = spiralOrigin(req, authenticated);
      for (const b of branches) this.authenticatedBranches.set(b, origin);
      this.branchesOf.set(context, branches);
    }
    if (req.method === 'INVITE') this.contexts.set(tx, context);
    context.fork(forwards, this.config.forking === 'sequential');
  }

  private listenerFor(
    req: SipRequest,
    source: Peer,
    tx: ServerTransaction,
    targets: readonly { hop: Peer }[],
    inDialog: boolean,
    me: LocalIdentity,
    authenticated?: string,
  ): ContextListener | undefined {
    if (req.method === 'INVITE' && !inDialog) return this.startCall(req, source, tx, authenticated);
    if (inDialog) {
      const call = this.deps.calls.inDialog(req);
      // inDialog with no call known: the mark made it so (Proxy.inDialog). Nothing more for a known one.
      if (call === undefined && req.method === 'BYE' && !this.deps.calls.knewLately(req))
        this.deps.onUnknownDialogBye?.(req, source);
      // A MESSAGE in a dialog (RFC 3428 §4) is a row as any other: the original wrote one for every
      // MESSAGE it forwarded. The call tracker gives a MESSAGE no listener of its own.
      return req.method === 'MESSAGE' ? (this.messageListener(req, source, targets, me) ?? call) : call;
    }
    if (req.method === 'MESSAGE') return this.messageListener(req, source, targets, me, authenticated);
    const onOptions = this.deps.onOptions;
    if (req.method === 'OPTIONS' && onOptions !== undefined) {
      // A row of what the asker got, as for a MESSAGE: the first final answer. Read now: the row
      // starts when the OPTIONS came, not when its answer (or Timer F, 32 s on) did.
      const record = optionsEvent(req, source, 0, '', Date.now());
      let reported = false;
      const report = (status: number, text: string, answer: SipResponse | undefined, by?: Peer): void => {
        if (reported) return;
        reported = true;
        onOptions(answeredRecord(record, status, text, answer, Date.now(), by));
      };
      return {
        success: (r, branch) => report(r.status, r.reasonText, r, branch.hop),
        failure: (status, reason, r, branch) => report(status, reason, r, branch?.hop),
      };
    }
    return undefined;
  }

  /** The listener that makes a MESSAGE's row (what the sender got), none when nobody records them. */
  private messageListener(
    req: SipRequest,
    source: Peer,
    targets: readonly { hop: Peer }[],
    me: LocalIdentity,
    authenticated?: string,
  ): ContextListener | undefined {
    const onMessage = this.deps.onMessage;
    if (onMessage === undefined) return undefined;
    const hop = targets[0]?.hop;
    // Read now: the request is retargeted and forwarded before its answer comes.
    const record = messageEvent(req, source, hop, me);
    if (authenticated !== undefined) record.authenticatedAs = this.deps.aorOf(authenticated);
    // One row per MESSAGE: forked to several devices, each may answer 2xx (only the first goes back,
    // §16.7 step 5), and the row is of what the sender got.
    let reported = false;
    const report = (status: number, text: string, answer: SipResponse | undefined, by?: Peer): void => {
      if (reported) return;
      reported = true;
      onMessage(answeredRecord(record, status, text, answer, Date.now(), by));
    };
    return {
      success: (r, branch) => report(r.status, r.reasonText, r, branch.hop),
      failure: (status, reason, r, branch) => report(status, reason, r, branch?.hop),
    };
  }

  // ---------------------------------------------------------------- CANCEL

  /** §16.10: 200 to the CANCEL, then cancel the INVITE's pending branches; 481 when we know no INVITE. */
  private cancel(req: SipRequest, tx: ServerTransaction): void {
    const invite = this.deps.layer.inviteFor(req);
    const context = invite === undefined ? undefined : this.contexts.get(invite);
    if (context === undefined && invite?.state === 'Proceeding' && invite.request !== undefined) {
      this.cancelWhileRouting(req, tx, invite);
      return;
    }
    if (context === undefined) {
      // §9.2: a CANCEL of an INVITE already answered has no effect but is answered 200 (the caller's
      // CANCEL crossed our 2xx); so is one of a non-INVITE request ("regardless of the method of the
      // original request, as long as the CANCEL matched an existing transaction"), which is not passed on
      // (§9.1: a CANCEL SHOULD NOT be sent for a non-INVITE). One that matches no transaction, 481.
      tx.reply(this.matchesTransaction(req) ? 200 : 481);
      return;
    }
    // §9.2: the 200 carries the To tag of the INVITE's own answers, the 487 made up here included.
    tx.reply(200, { toTag: invite!.toTag });
    this.deps.calls.cancelled(req);
    context.cancel(callerReasons(req));
  }

  /**
   * RFC 3261 §9.2, §16.10: a CANCEL for an INVITE not answered yet and not forwarded either: its targets
   * are still being found (the next hop's name looked up, RFC 3263; up to 10 s with a resolver that does
   * not answer). The CANCEL gets its 200 and the INVITE its 487 now, as when no branch has a provisional
   * (response-context.ts), and route() forwards it no more once the lookup ends (the request is gone from
   * its answered transaction). It was answered 200 as a CANCEL crossing our 2xx, and the INVITE went on
   * after it: the callee rang, and answered, a caller who had hung up.
   */
  private cancelWhileRouting(req: SipRequest, tx: ServerTransaction, invite: InviteServerTransaction): void {
    const request = invite.request!;
    tx.reply(200, { toTag: invite.toTag });
    invite.reply(487);
    // An initial INVITE is a call all the same: a CANCELLED row, the caller's (as for a branch cancelled
    // before it rang).
    if (request.to.tag !== undefined) return;
    try {
      // Started at its arrival (route), or (a lookup begun after the first turn) now.
      const started = this.lookingUp.get(invite);
      if (started !== undefined) this.lookingUp.delete(invite);
      const listener = started ?? this.deps.calls.invite(request, invite.source, () => undefined);
      this.deps.calls.cancelled(req);
      listener.failure?.(487, reasonPhrase(487), undefined);
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
    }
  }

  /** Whether a CANCEL matches a server transaction of any method it may cancel (§9.2). */
  private matchesTransaction(cancel: SipRequest): boolean {
    const layer = this.deps.layer;
    if (layer.hasServerFor(cancel, 'INVITE')) return true;
    for (const method of KNOWN_METHODS)
      if (method !== 'ACK' && method !== 'CANCEL' && layer.hasServerFor(cancel, method)) return true;
    return false;
  }

  // ---------------------------------------------------------------- helpers

  /**
   * The user a request was authenticated as on its earlier pass through us: a Via of ours below the top
   * one (the hop that sent it back), of a request we forwarded for that user, and the request that one
   * was (sameRequest). A callee that copied our Via under its own could otherwise send any request, to
   * anyone, as its caller, while the caller's transaction lived.
   */
  private authenticatedSpiral(req: SipRequest, me: LocalIdentity): string | undefined {
    if (this.authenticatedBranches.size === 0) return undefined;
    const vias = req.via;
    for (let i = 1; i < vias.length; i++) {
      const via = vias[i]!;
      const origin = via.branch === undefined ? undefined : this.authenticatedBranches.get(via.branch);
      if (origin !== undefined && me.isMe(via.host, via.port) && sameRequest(req, origin)) return origin.user;
    }
    return undefined;
  }

  /**
   * §22.3: out of a dialog, of a method the configuration authenticates (or one IMS Lab does not know,
   * for a user), from whoever may be one of our users: a sip: From of our domain, or a From that is no
   * SIP URI at all (tel:1001 names our user 1001, as a tel: Request-URI does; urn: or another scheme
   * names no other domain). Unchallenged, such a From passed for a user of ours, and an OPTIONS told who
   * is registered.
   */
  private needsCredentials(req: SipRequest, me: LocalIdentity, inDialog?: boolean): boolean {
    // An extension method for a user is challenged too: relayed unchallenged, a phone's answer (501,
    // 405) against IMS Lab's 480 told who is registered. For IMS Lab itself it gets its 501 (§8.2.1).
    const extension =
      !AUTH_METHOD_CHOICES.has(req.method) && req.requestUri.kind === 'sip' && !!req.requestUri.user;
    if (!this.config.authMethods.includes(req.method) && !extension) return false;
    // A From of another domain names no user of ours: not challenged (it has no credentials here). A tel:
    // From has no domain: the same once SIP.DOMAINS names ours (LocalIdentity.ownsBareNumbers).
    const from = req.from.uri;
    if (from.kind === 'sip' && !me.isOurDomain(from)) return false;
    if (from.kind === 'tel' && !me.ownsBareNumbers) return false;
    return !(inDialog ?? this.inDialog(req, me));
  }

  /**
   * In a dialog that went through us (§16.12): a To tag, and our Route on top (we Record-Route every
   * dialog we set up, §16.6 step 4) or a Request-URI we Record-Routed (the strict router's, §16.4),
   * carrying the mark of the dialog (dialog-token.ts); or a dialog the call tracker knows (SIPp's
   * built-in uac sends its BYE without Route). A To tag, or a Route naming us, is anyone's to write:
   * taken at its word it skipped the challenge and PROXY.RELAY_FOREIGN (an open relay).
   */
  private inDialog(req: SipRequest, me: LocalIdentity): boolean {
    if (req.to.tag === undefined) return false;
    if (carriesDialogMark(req.routes[0]?.uri, req.requestUri, req, me)) return true;
    return this.deps.calls.throughTrackedCall(req);
  }

  // ---------------------------------------------------------------- the reg event (RFC 3680)

  /** RFC 6665 §4.1.2.2: a refresh of a reg event subscription IMS Lab holds (481 for one it does not). */
  private regEventRefresh(req: SipRequest, tx: ServerTransaction, source: Peer, me: LocalIdentity): boolean {
    if (!this.isRegEventRefresh(req)) return false;
    this.deps.regEvents!.refresh(req, tx, source, me);
    return true;
  }

  /** A SUBSCRIBE in a reg event dialog of ours (IMS Lab the notifier), or one addressed to us as such. */
  private isRegEventRefresh(req: SipRequest): boolean {
    const regEvents = this.deps.regEvents;
    if (regEvents === undefined || req.to.tag === undefined) return false;
    return regEvents.knows(req) || (isRegEvent(req) && this.addressedToUs(req));
  }

  /**
   * A SUBSCRIBE to the reg event of a user of ours: the registrar is the notifier. The watcher is who was
   * authenticated, or else a From of our domain (SUBSCRIBE not challenged), never a foreign one.
   */
  private regEventSubscribe(
    req: SipRequest,
    tx: ServerTransaction,
    source: Peer,
    me: LocalIdentity,
    authenticated: string | undefined,
  ): boolean {
    const regEvents = this.deps.regEvents;
    if (regEvents === undefined || !isRegEvent(req) || !this.forOurUser(req, me)) return false;
    // A To tag names a dialog, and IMS Lab holds no such subscription (a refresh sent to the AOR rather
    // than to our Contact, after a restart or an end): 481 (RFC 3261 §12.2.2, RFC 6665 §4.1.2.2), not a
    // new subscription whose NOTIFY's From would carry the phone's tag and ours.
    if (req.to.tag !== undefined) {
      tx.reply(481, { reason: 'Subscription Does Not Exist' });
      return true;
    }
    regEvents.subscribe(req, tx, source, me, this.subscriberOf(req, me, authenticated));
    return true;
  }

  /** Who subscribes: the authenticated user, or else a From user of our domain, never a foreign one. */
  private subscriberOf(
    req: SipRequest,
    me: LocalIdentity,
    authenticated: string | undefined,
  ): string | undefined {
    if (authenticated !== undefined) return authenticated;
    return this.fromOurDomain(req, me) ? unescape((req.from.uri as SipUri).user ?? '') : undefined;
  }

  /** A request for a user at our domain, with no Route left once ours are popped (§16.4). */
  private forOurUser(req: SipRequest, me: LocalIdentity): boolean {
    const uri = req.requestUri;
    return req.routes.length === 0 && uri.kind === 'sip' && (uri.user ?? '') !== '' && me.isOurDomain(uri);
  }

  private fromOurDomain(req: SipRequest, me: LocalIdentity): boolean {
    const from = req.from.uri;
    return from.kind === 'sip' && me.isOurDomain(from);
  }
}
