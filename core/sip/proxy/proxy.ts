// The stateful proxy core (RFC 3261 §16), for every request the dispatcher does not answer itself:
//   §16.3 validation (loop 482, Proxy-Require 420; syntax, scheme and Max-Forwards 0 are checked below us)
//   §16.4 route preprocessing (strict-router fix, our Route popped)
//   §22.3 authentication of out-of-dialog requests from our users (407), per configured method
//   §16.5 targets: the next Route; else the location service for a user at our domain, whatever port
//         the URI names (480 no binding; an unknown user answers the same unless the request was
//         authenticated, so nobody learns which users exist); else, in a dialog or when relaying is on,
//         the Request-URI itself (403 otherwise). A binding registered with a Path is reached along it
//         (RFC 3327 §5.4: preloaded Route set, next hop the first Path URI; path-target.ts)
//   lab-friendly in-dialog routing: a request (or ACK for a 2xx) that came with no Route at all and names
//         a user at our domain (SIPp's built-in uac sends its ACK and BYE to sip:<service>@<proxy>)
//         goes to the other party of the dialog the call tracker knows, else to the user's bindings
//   §16.6 forwarding: one copy per target, Request-URI, Max-Forwards, Record-Route on dialog-creating
//         requests, our Via with a loop-detecting branch, then a client transaction per branch
//   §16.7-16.10 responses, Timer C and CANCEL in the response context (response-context.ts)
// ACK for a 2xx (no transaction of its own) and responses no transaction knows are forwarded statelessly.
import type { MessageEvent } from '../../calls/call';
import type { Log } from '../../observe/log';
import type { DigestAuthenticator } from '../auth/authenticator';
import { authenticate } from '../auth/auth-reply';
import {
  parseMessage,
  reasonPhrase,
  SipParseError,
  SipRequest,
  unescape,
  type SipResponse,
  type SipUri,
} from '../message/index';
import { ALLOW, type RequestRouter } from '../dispatcher';
import type { StatelessAnswer } from '../registrar/registrar';
import type { Binding } from '../registrar/binding';
import type { LocationService } from '../registrar/location';
import type { TransactionLayer } from '../transaction/layer';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { TimerWheel } from '../transaction/timer-wheel';
import type { Peer } from '../transport/peer';
import { responseTarget } from '../transport/response-target';
import { bindingTarget, namesContact, type Target } from './binding-target';
import type { CallTracker } from './call-tracker';
import { flowHop, flowToken, TAMPERED } from './flow-token';
import type { LocalIdentity } from './local-identity';
import { proxyBranch, statelessBranch } from './loop-hash';
import { answeredMessage, messageEvent } from './message-record';
import { parseCidrList, type Cidr } from './network';
import { literalHop, resolveHop } from './next-hop';
import { pushRoutes, resolvedPathTarget } from './path-target';
import type { ProxyConfig } from './proxy-config';
import { checkLoop, checkProxyRequire, type Refusal } from './request-checks';
import { ResponseContext, type ContextDeps, type ContextListener } from './response-context';
import { preprocessRoutes, strictNextHop } from './route-preprocess';

export interface ProxyDeps {
  layer: TransactionLayer;
  timers: TimerWheel;
  location: LocationService;
  users: { credentials(username: string): { status: string } | undefined };
  auth: DigestAuthenticator;
  /** The canonical AOR of a user (the registrar's). */
  aorOf(user: string): string;
  calls: CallTracker;
  log: Log;
  /** Sends bytes with no transaction (stateless forwarding). */
  send(data: Buffer, to: Peer, kind: string): void;
  /** Is there a live connection to this peer (TCP, TLS, WS, WSS)? Assumed when absent. */
  isConnected?(peer: Peer): boolean;
  onMessage?(e: MessageEvent): void;
}

const RELAY_OFF: Refusal = {
  status: 403,
  reason: 'Forbidden (relaying to other domains is off: PROXY.RELAY_FOREIGN)',
};

const NO_DIALOG: Refusal = {
  status: 481,
  reason: 'Call/Transaction Does Not Exist (no such dialog here)',
};

const KNOWN_METHODS: ReadonlySet<string> = new Set(ALLOW.split(', '));

/** The answer for a user that is unknown or not registered, to a request without valid credentials. */
const UNREACHABLE = 'Temporarily Unavailable';

/** Requests that create a dialog when sent outside one (§12.1; RFC 6665 SUBSCRIBE, RFC 3515 REFER). */
const DIALOG_CREATING = new Set(['INVITE', 'SUBSCRIBE', 'REFER', 'NOTIFY']);

interface Forward {
  request: SipRequest;
  hop: Peer;
}

/** Where a request goes: a new Request-URI (or none), the next hop, and a preloaded Route set (RFC 3327). */
interface Onward {
  uri: string | undefined;
  hop: Peer;
  route?: readonly string[];
}

/** The transports a sips: request may take (§26.2.2). */
const SECURE: ReadonlySet<string> = new Set(['TLS', 'WSS']);

export class Proxy implements RequestRouter {
  private readonly contexts = new Map<ServerTransaction, ResponseContext>();
  private localNetworks: Cidr[];
  identity: LocalIdentity | undefined;
  /** What every response context is given: one object for all (thousands linger for Timer M). */
  private contextDeps: ContextDeps;

  constructor(
    private config: ProxyConfig,
    private readonly deps: ProxyDeps,
  ) {
    this.localNetworks = parseCidrList(config.localNetworks);
    this.contextDeps = this.newContextDeps();
  }

  reconfigure(config: ProxyConfig): void {
    this.config = config;
    this.localNetworks = parseCidrList(config.localNetworks);
    this.contextDeps = this.newContextDeps();
  }

  private newContextDeps(): ContextDeps {
    return {
      layer: this.deps.layer,
      timers: this.deps.timers,
      timerCMs: this.config.timerCSeconds * 1000,
      done: (c) => this.contexts.delete(c.server),
    };
  }

  get contextCount(): number {
    return this.contexts.size;
  }

  /** A WebSocket connection has closed: the calls ringing over it are told (ResponseContext). */
  connectionClosed(peer: Peer): void {
    for (const context of [...this.contexts.values()]) context.connectionClosed(peer);
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
    return req.routes.every((r) => r.uri.kind === 'sip' && me.isMe(r.uri.host, r.uri.port));
  }

  route(req: SipRequest, tx: ServerTransaction | undefined, source: Peer): void {
    const me = this.identity;
    if (me === undefined) {
      tx?.reply(503, { reason: 'Service Unavailable (starting)' });
      return;
    }
    if (tx === undefined) {
      this.forwardAck(req, me, source);
      return;
    }
    if (req.method === 'CANCEL') {
      this.cancel(req, tx);
      return;
    }
    const refusal = checkLoop(req, me) ?? checkProxyRequire(req);
    if (refusal !== undefined) {
      this.refuse(req, tx, source, refusal);
      return;
    }
    const routed = req.routes.length > 0;
    const inDialog = this.inDialog(req, me);
    const popped = preprocessRoutes(req, me);
    let authenticated = false;
    if (this.needsCredentials(req, me, inDialog)) {
      const user = authenticate(this.deps.auth, 'proxy', req, tx, source.address);
      if (user === undefined) return;
      const from = req.from.uri as SipUri;
      if (unescape(from.user ?? '') !== user) {
        this.refuse(req, tx, source, {
          status: 403,
          reason: 'Forbidden (From is not the authenticated user)',
        });
        return;
      }
      // §22.3: the credentials were for us; the next hop has no use for them.
      req.removeHeader('proxy-authorization');
      authenticated = true;
    }
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
    const flowTarget = flow !== undefined ? Promise.resolve([{ uri: undefined, hop: flow }]) : undefined;
    (flowTarget ?? this.targets(req, me, inDialog, routed, authenticated))
      .then((targets) => {
        if ('status' in targets) this.refuse(req, tx, source, targets);
        else this.forward(req, tx, source, me, targets, inDialog);
      })
      .catch((err: unknown) => {
        if (err instanceof SipParseError) {
          this.refuse(req, tx, source, { status: err.status, reason: err.reason });
          return;
        }
        this.deps.log.warning(`cannot route ${req.method} ${req.uri}: ${String(err)}`);
        this.refuse(req, tx, source, { status: 500, reason: 'Server Internal Error (routing failed)' });
      });
  }

  /**
   * Our own final answer. An initial INVITE refused here is still a call attempt, recorded as failed
   * (not a malformed one: a header the call record reads may be what is wrong with it).
   */
  private refuse(req: SipRequest, tx: ServerTransaction, source: Peer, r: Refusal): void {
    tx.reply(r.status, { reason: r.reason, headers: r.headers });
    if (r.status === 400 || req.to.tag !== undefined) return;
    const text = r.reason ?? reasonPhrase(r.status);
    try {
      // A call or a MESSAGE IMS Lab refuses itself (404, 480, 403...) is a FAILED row, as one its
      // callee refuses is; a malformed request is none (its headers may not read).
      if (req.method === 'INVITE') this.deps.calls.refused(req, source, r.status, text);
      else if (req.method === 'MESSAGE' && this.deps.onMessage !== undefined && this.identity !== undefined) {
        const record = messageEvent(req, source, undefined, this.identity);
        this.deps.onMessage(answeredMessage(record, r.status, text, undefined, Date.now()));
      }
    } catch (err) {
      if (!(err instanceof SipParseError)) throw err;
    }
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
    if ((checkLoop(req, me) ?? checkProxyRequire(req)) !== undefined) return undefined;
    const outcome = this.deps.auth.check(req, 'proxy-authorization', source.address);
    if (outcome.kind !== 'challenge') return undefined;
    const challenges = this.deps.auth.challenges(
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
    response.ensureContentLength();
    this.deps.send(response.toBuffer(), responseTarget(response.topVia, undefined), String(response.status));
  }

  // ---------------------------------------------------------------- §16.5 targets

  private async targets(
    req: SipRequest,
    me: LocalIdentity,
    inDialog: boolean,
    routed: boolean,
    authenticated: boolean,
  ): Promise<Onward[] | Refusal> {
    const route = req.routes[0];
    if (route !== undefined) {
      const uri = route.uri;
      if (uri.kind !== 'sip') {
        return { status: 416, reason: 'Unsupported URI Scheme (Route)' };
      }
      // A preloaded Route past us is relaying all the same: to wherever it names.
      if (!inDialog && !this.config.relayForeign) return RELAY_OFF;
      return [{ uri: undefined, hop: await resolveHop(uri) }];
    }
    const ruri = req.requestUri as SipUri;
    // RFC 6761 §6.4: a .invalid host never resolves; a browser makes its Contact up with one (RFC 7118
    // §5), so a Request-URI naming it is for the registration that has it, down that WebSocket.
    if (ruri.host.toLowerCase().endsWith('.invalid')) {
      const b = this.deps.location.findContact((contact) => namesContact(contact, ruri));
      const t = b && (this.bindingTarget(b) ?? (await resolvedPathTarget(b)));
      if (t !== undefined) return [t];
      return { status: 480, reason: 'Temporarily Unavailable (no registration has this contact)' };
    }
    const user = ruri.user === undefined || ruri.user === '' ? undefined : unescape(ruri.user);
    const ours = me.isOurDomain(ruri);
    if (ours && user !== undefined && inDialog && !routed) {
      const lenient = this.dialogTargets(req, user);
      if (lenient.length > 0) return lenient;
      if (me.isMe(ruri.host, ruri.port)) return NO_DIALOG;
    }
    if (ours && !inDialog) {
      // Another element on a host of ours (its own port): sent on to it, as to any address.
      if (user === undefined && ruri.port !== undefined && !me.isMe(ruri.host, ruri.port)) {
        return [{ uri: undefined, hop: await resolveHop(ruri) }];
      }
      if (user === undefined) return this.toNobody(req);
      const known = this.deps.users.credentials(user) !== undefined;
      // No enumeration: without valid credentials an unknown user answers exactly like an unregistered one.
      if (!known && authenticated) {
        return { status: 404 };
      }
      // A port of ours names the AOR; another port on our host may name one of its contacts (§16.5).
      const device = ruri.port !== undefined && !me.isMe(ruri.host, ruri.port) ? ruri : undefined;
      const all = known ? await this.resolvedBindingTargets(user, device) : [];
      // RFC 3261 §26.2.2, RFC 5630 §3.1.3: a sips: request goes on over TLS only (or WSS), never down
      // to a phone registered over UDP or TCP.
      const out = ruri.scheme === 'sips' ? all.filter((t) => SECURE.has(t.hop.transport)) : all;
      if (out.length < all.length && out.length === 0) {
        const why = 'Temporarily Unavailable (no TLS registration for a sips: URI)';
        return { status: 480, reason: authenticated ? why : UNREACHABLE };
      }
      if (out.length === 0) {
        return {
          status: 480,
          reason: authenticated ? 'Temporarily Unavailable (not registered)' : UNREACHABLE,
        };
      }
      return out;
    }
    if (!inDialog && !this.config.relayForeign && !me.isMe(ruri.host, ruri.port)) return RELAY_OFF;
    if (me.isMe(ruri.host, ruri.port)) {
      return req.to.tag !== undefined
        ? NO_DIALOG
        : { status: 404, reason: 'Not Found (nothing here answers this request)' };
    }
    return [{ uri: undefined, hop: await resolveHop(ruri) }];
  }

  /**
   * A request to our address with no user, other than OPTIONS and REGISTER (answered before the proxy):
   * §12.2.2 481 in a dialog we do not hold; §21.5.2 501 for a method we do not know (with what we do,
   * §8.2.1); else 404, as for a user we do not have.
   */
  private toNobody(req: SipRequest): Refusal {
    if (req.to.tag !== undefined) return NO_DIALOG;
    if (!KNOWN_METHODS.has(req.method)) return { status: 501, headers: [['Allow', ALLOW]] };
    return { status: 404, reason: 'Not Found (no user in the Request-URI)' };
  }

  /**
   * The registered contacts of a user, each with where to send (NAT handling in binding-target.ts); only
   * the one a Request-URI names itself, when it names one (`device`), not every device of the user.
   */
  private bindingTargets(user: string, device?: SipUri): Target[] {
    const out: Target[] = [];
    for (const b of this.deps.location.lookup(this.deps.aorOf(user))) {
      const t = this.bindingTarget(b);
      if (t !== undefined) out.push(t);
    }
    return deviceOnly(out, device);
  }

  /** The same, a Path whose first URI names a host resolved first (RFC 3327 §5.4, path-target.ts). */
  private async resolvedBindingTargets(user: string, device?: SipUri): Promise<Target[]> {
    const bindings = this.deps.location.lookup(this.deps.aorOf(user));
    const all = await Promise.all(bindings.map((b) => this.bindingTarget(b) ?? resolvedPathTarget(b)));
    return deviceOnly(
      all.filter((t) => t !== undefined),
      device,
    );
  }

  private bindingTarget(b: Binding): Target | undefined {
    return bindingTarget(b, this.localNetworks, (p) => this.deps.isConnected?.(p) ?? true);
  }

  /**
   * An in-dialog request that came without Route to a user of ours: the dialog's other party when the
   * call tracker knows the dialog, else every binding of the user (a BYE resolves on the first 2xx).
   */
  private dialogTargets(req: SipRequest, user: string): (Onward & { uri: string })[] {
    const peer = this.deps.calls.dialogPeer(req);
    if (peer !== undefined) return [peer];
    return this.deps.users.credentials(user) === undefined ? [] : this.bindingTargets(user);
  }

  // ---------------------------------------------------------------- §16.6 forwarding

  private forward(
    req: SipRequest,
    tx: ServerTransaction,
    source: Peer,
    me: LocalIdentity,
    targets: readonly Onward[],
    inDialog: boolean,
  ): void {
    // The call tracker and MESSAGE record see the request as it arrived (Request-URI before retargeting).
    const listener = this.listenerFor(req, source, tx, targets, inDialog, me);
    req.decrementMaxForwards(); // step 3 (70 when absent; the dispatcher already refused 0)
    const recordRoute = !inDialog && DIALOG_CREATING.has(req.method);
    const viaRoute = req.routes.length > 0;
    const forwards: Forward[] = [];
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      // Step 1: a copy per target. Never the original: the server transaction answers from it (a made-up
      // 408 or 500), and that answer must not carry the Via we add below.
      const copy = parseMessage(req.toBuffer()) as SipRequest;
      const branch = proxyBranch(copy); // loop hash over the request as it reached us
      if (t.uri !== undefined) copy.setUri(t.uri); // step 2
      if (t.route !== undefined) pushRoutes(copy, t.route); // RFC 3327 §5.4: the binding's path
      if (viaRoute || t.route !== undefined) strictNextHop(copy); // step 6
      if (recordRoute) {
        // Step 4; RFC 5658: two entries when the request changes transport, or when a side is reached
        // over a connection its entry must name (RFC 5626 §5.3 flow token, flow-token.ts).
        const inFlow = flowToken(source);
        const outFlow = flowToken(t.hop);
        if (source.transport !== t.hop.transport || inFlow !== undefined || outFlow !== undefined)
          copy.prependHeader('Record-Route', me.recordRoute(source.transport, inFlow));
        copy.prependHeader('Record-Route', me.recordRoute(t.hop.transport, outFlow));
      }
      copy.prependHeader('Via', me.via(t.hop.transport, branch)); // step 8
      copy.ensureContentLength(); // a datagram may lack it; a stream must not (§18.3, §20.14)
      forwards.push({ request: copy, hop: t.hop });
    }
    const context = new ResponseContext(tx, this.contextDeps, listener);
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
  ): ContextListener | undefined {
    if (req.method === 'INVITE' && !inDialog) {
      return this.deps.calls.invite(req, source, () => this.contexts.get(tx)?.cancel());
    }
    if (inDialog) return this.deps.calls.inDialog(req);
    const onMessage = this.deps.onMessage;
    if (req.method === 'MESSAGE' && onMessage !== undefined) {
      const hop = targets[0]?.hop;
      // Read now: the request is retargeted and forwarded before its answer comes.
      const record = messageEvent(req, source, hop, me);
      const report = (status: number, text: string, answer: SipResponse | undefined): void =>
        onMessage(answeredMessage(record, status, text, answer, Date.now()));
      return {
        success: (r) => report(r.status, r.reasonText, r),
        failure: (status, reason, r) => report(status, reason, r),
      };
    }
    return undefined;
  }

  // ---------------------------------------------------------------- CANCEL, ACK

  /** §16.10: 200 to the CANCEL, then cancel the INVITE's pending branches; 481 when we know no INVITE. */
  private cancel(req: SipRequest, tx: ServerTransaction): void {
    const invite = this.deps.layer.inviteFor(req);
    const context = invite === undefined ? undefined : this.contexts.get(invite);
    if (context === undefined) {
      // §9.2: a CANCEL of an INVITE already answered has no effect but is answered 200 (the caller's
      // CANCEL crossed our 2xx); one that matches no INVITE transaction, 481.
      tx.reply(this.deps.layer.hasInviteFor(req) ? 200 : 481);
      return;
    }
    tx.reply(200);
    this.deps.calls.cancelled(req.callId, req.from.tag, req.header('reason'));
    context.cancel();
  }

  /**
   * An ACK for a 2xx (§13.2.2.4) travels end to end: forwarded statelessly along its Route (§16.11); one
   * that came with no Route to a user of ours goes where an in-dialog request would (dialogTargets).
   */
  private forwardAck(req: SipRequest, me: LocalIdentity, source: Peer): void {
    if (req.method !== 'ACK') return;
    if (checkLoop(req, me) !== undefined) return;
    this.deps.calls.inDialog(req);
    const routed = req.routes.length > 0;
    const flow = flowHop(preprocessRoutes(req, me), source);
    if (flow === TAMPERED) return;
    if (flow !== undefined) {
      this.sendAck(req, me, flow);
      return;
    }
    const route = req.routes[0]?.uri;
    const ruri = req.requestUri;
    if (
      !routed &&
      ruri.kind === 'sip' &&
      ruri.user !== undefined &&
      ruri.user !== '' &&
      me.isOurDomain(ruri)
    ) {
      const targets = this.dialogTargets(req, unescape(ruri.user));
      if (targets.length > 0) {
        for (let i = 0; i < targets.length; i++) {
          const t = targets[i]!;
          const copy = i === targets.length - 1 ? req : (parseMessage(req.toBuffer()) as SipRequest);
          copy.setUri(t.uri);
          if (t.route !== undefined) pushRoutes(copy, t.route);
          this.sendAck(copy, me, t.hop);
        }
        return;
      }
    }
    const next = route ?? ruri;
    if (next.kind !== 'sip' || (route === undefined && me.isMe(next.host, next.port))) return;
    const hop = literalHop(next);
    if (hop === undefined) {
      resolveHop(next)
        .then((h) => this.sendAck(req, me, h))
        .catch(() => undefined);
      return;
    }
    this.sendAck(req, me, hop);
  }

  private sendAck(req: SipRequest, me: LocalIdentity, hop: Peer): void {
    if (req.decrementMaxForwards() < 0) return;
    if (req.routes.length > 0) strictNextHop(req); // §16.6 step 6, as for any request
    req.prependHeader('Via', me.via(hop.transport, statelessBranch(req)));
    req.ensureContentLength();
    this.deps.send(req.toBuffer(), hop, 'ACK');
  }

  // ---------------------------------------------------------------- helpers

  /** §22.3: out of a dialog, from our domain, of a method the configuration authenticates. */
  private needsCredentials(req: SipRequest, me: LocalIdentity, inDialog?: boolean): boolean {
    if (!this.config.authMethods.includes(req.method) || !this.fromOurDomain(req, me)) return false;
    return !(inDialog ?? this.inDialog(req, me));
  }

  /**
   * In a dialog that went through us (§16.12): a To tag, and our Route on top (we Record-Route every
   * dialog we set up, §16.6 step 4), a Request-URI we Record-Routed (the strict router's, §16.4), or a
   * dialog the call tracker knows (SIPp's built-in uac sends its BYE without Route). A To tag alone is
   * anyone's to write: taken at its word it skipped the challenge and PROXY.RELAY_FOREIGN.
   */
  private inDialog(req: SipRequest, me: LocalIdentity): boolean {
    if (req.to.tag === undefined) return false;
    const top = req.routes[0]?.uri;
    if (top !== undefined && top.kind === 'sip' && me.isMe(top.host, top.port)) return true;
    const ruri = req.requestUri;
    if (ruri.kind === 'sip' && ruri.user === undefined && me.isRecordRouted(ruri)) return true;
    return this.deps.calls.dialogPeer(req) !== undefined;
  }

  private fromOurDomain(req: SipRequest, me: LocalIdentity): boolean {
    const from = req.from.uri;
    return from.kind === 'sip' && me.isOurDomain(from);
  }
}

/** Only the target a Request-URI names itself, when it names one of the user's contacts (§16.5). */
function deviceOnly(out: Target[], device: SipUri | undefined): Target[] {
  if (device === undefined) return out;
  const named = out.filter((t) => namesContact(t.uri, device));
  return named.length > 0 ? named : out;
}
