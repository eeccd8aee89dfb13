// The target set of a request (RFC 3261 §16.5), where the proxy core (proxy.ts) sends it:
//   the next Route; else the location service for a user at our domain, whatever port the URI names
//   (480 no binding; an unknown user answers the same unless the request was authenticated, so nobody
//   learns which users exist), but a user at another port of our host with no binding there is another
//   element when relaying is on (sent on to it); else, in a dialog or when relaying is on, the
//   Request-URI itself (403 otherwise). A binding registered with a Path is reached along it (RFC 3327 §5.4: preloaded Route
//   set, next hop the first Path URI; path-target.ts).
// And a lab-friendly rule for in-dialog requests: one (or an ACK for a 2xx) that came with no Route at all
//   and names a user at our domain (SIPp's built-in uac sends its ACK and BYE to sip:<service>@<proxy>)
//   goes to the other party of the dialog the call tracker knows, else to the user's bindings.
// A GRUU of ours (RFC 5627 §7), in a dialog or not, reaches the one device it names, with a Route still
//   ahead in a dialog too (dialogGruu: the phone behind an edge proxy that Record-Routed).
import {
  formatSipUri,
  sentFromElsewhere,
  unescape,
  uriParam,
  userNumber,
  type SipRequest,
  type SipUri,
} from '../message/index';
import { ALLOW } from '../dispatcher';
import type { Binding } from '../registrar/binding';
import type { GruuMaker } from '../registrar/gruu';
import { instanceOf, onePerDevice, otherFlows } from '../registrar/instance';
import type { LocationService } from '../registrar/location';
import type { Peer } from '../transport/peer';
import { behindNat, bindingTarget, namesContact, type Target } from './binding-target';
import type { CallTracker } from './call-tracker';
import type { LocalIdentity } from './local-identity';
import { parseCidrList, type Cidr } from './network';
import { literalHop, resolveHops, type HopResolver } from './next-hop';
import { resolvedPathTarget } from './path-target';
import type { ProxyConfig } from './proxy-config';
import type { Refusal } from './request-checks';

/** What the target set reads: the registrations, the users, and the dialogs the call tracker knows. */
export interface TargetDeps {
  location: LocationService;
  /** Whether a user exists (UserStore.exists): never its credentials, which take longer for one that does. */
  users: { exists(username: string): boolean };
  /** The canonical AOR of a user (the registrar's). */
  aorOf(user: string): string;
  calls: CallTracker;
  /** Is there a live connection to this peer (TCP, TLS, WS, WSS)? Assumed when absent. */
  isConnected?(peer: Peer): boolean;
  /** Reads the temporary GRUUs the registrar made (RFC 5627); none are routed without it. */
  gruus?: GruuMaker;
}

const RELAY_OFF: Refusal = {
  status: 403,
  reason: 'Forbidden (relaying to other domains is off: PROXY.RELAY_FOREIGN)',
};

/** RELAY_OFF for a preloaded Route past us: the Request-URI may well be ours, the Route names the host. */
function relayOffByRoute(host: string): Refusal {
  return {
    status: 403,
    reason: `Forbidden (the Route names another host, ${host}, and relaying is off: PROXY.RELAY_FOREIGN)`,
  };
}

const NO_DIALOG: Refusal = {
  status: 481,
  reason: 'Call/Transaction Does Not Exist (no such dialog here)',
};

/**
 * The user a Request-URI names: its user part unescaped; with user=phone a telephone-subscriber (RFC 3261
 * §19.1.6, RFC 3966 §3): the number without its parameters (sip:1002;phone-context=ims.lab@...;user=phone,
 * as a TS 24.229 UE dials a local number, is 1002, as tel:1002;phone-context=ims.lab is) and without its
 * visual separators (RFC 3966 §5.1.1: sip:1-0-0-2@...;user=phone is 1002, as tel:1-0-0-2 is).
 */
function userOf(ruri: SipUri): string {
  return userNumber(ruri, unescape);
}

/** The methods IMS Lab knows (its Allow); another is an extension method (§8.2.1, §21.5.2). */
export const KNOWN_METHODS: ReadonlySet<string> = new Set(ALLOW.split(', '));

/**
 * The methods PROXY.AUTH_METHODS decides for (proxy.ts needsCredentials): those IMS Lab knows, and
 * PUBLISH (RFC 3903 §4), relayed to a user's bindings though IMS Lab is no event state compositor (so not
 * in its Allow). Left out of this, PUBLISH was an extension method, challenged whatever the setting said.
 */
export const AUTH_METHOD_CHOICES: ReadonlySet<string> = new Set([...KNOWN_METHODS, 'PUBLISH']);

/**
 * Methods that exist only within a dialog (BYE §15, PRACK RFC 3262 §4, UPDATE RFC 3311 §5, INFO RFC 6086
 * §4.2.1). Out of any dialog through us (every dialog IMS Lab sets up is marked, dialog-token.ts), one for
 * a user of ours gets the 481 the phone would give, from IMS Lab whether or not the user is registered:
 * relayed, the phone's 481 against IMS Lab's 480 told anyone who is registered.
 */
const DIALOG_ONLY: ReadonlySet<string> = new Set(['BYE', 'PRACK', 'UPDATE', 'INFO']);

/** The answer for a user that is unknown or not registered, to a request without valid credentials. */
const UNREACHABLE = 'Temporarily Unavailable';

/** Where a request goes: a new Request-URI (or none), the next hop, and a preloaded Route set (RFC 3327). */
export interface Onward {
  uri: string | undefined;
  hop: Peer;
  route?: readonly string[];
  /** A UA behind a NAT (binding-target.ts behindNat): our Record-Route names the flow to it. */
  nat?: boolean;
  /**
   * Where it goes instead should this target's flow fail, in turn (RFC 5626 §5.3, binding-target.ts), or
   * its address (RFC 3263 §4.3: a name's other addresses, hopTargets).
   */
  alternates?: readonly Onward[];
  /**
   * An alternate that is another address of the name the target was resolved from (RFC 3263 §4.3), not
   * a device's other flow: a 503 from the address before it moves the request here too.
   */
  sameName?: true;
}

/**
 * The target of a Route or Request-URI that is its own next hop: its first address, and for a name with
 * several the others as its alternates, each tried in turn should the one before fail (RFC 3263 §4.3;
 * response-context.ts failedFlow: a transport error, or a timeout before anything but 100; or a 503,
 * address-failover.ts). Only the first was tried: a lab's second P-CSCF address was never used when the
 * first was down.
 */
async function hopTargets(uri: SipUri, resolver: HopResolver): Promise<Onward[]> {
  const [hop, ...others] = await resolveHops(uri, resolver);
  if (others.length === 0) return [{ uri: undefined, hop: hop! }];
  const alternates = others.map((h): Onward => ({ uri: undefined, hop: h, sameName: true }));
  return [{ uri: undefined, hop: hop!, alternates }];
}

/** The transports a sips: request may take (§26.2.2). */
const SECURE: ReadonlySet<string> = new Set(['TLS', 'WSS']);

/** May a sips: request go on over this transport (§26.2.2)? */
export function carriesSips(transport: string): boolean {
  return SECURE.has(transport);
}
const NO_TLS = 'Temporarily Unavailable (no TLS registration for a sips: URI)';

/**
 * RFC 3261 §26.2.2, RFC 5630 §3.1.3: a sips: request goes on over TLS only (or WSS), never down to a
 * phone registered over UDP or TCP, whether it named the AOR or a GRUU of the phone's.
 */
function securedFor(ruri: SipUri, targets: Onward[]): Onward[] {
  if (ruri.scheme !== 'sips') return targets;
  const secure = (t: Onward): boolean => carriesSips(t.hop.transport);
  return targets
    .filter(secure)
    .map((t) => (t.alternates === undefined ? t : { ...t, alternates: t.alternates.filter(secure) }));
}

/**
 * One proxy's §16.5 rules, made once with it; reconfigure gives them a new PROXY.RELAY_FOREIGN and
 * SIP.LOCAL_NETWORK_CIDR (the NAT handling of binding-target.ts).
 */
export class TargetSet {
  private localNetworks: Cidr[];

  constructor(
    private config: ProxyConfig,
    private readonly deps: TargetDeps,
    /** How next hops named by a host are resolved (next-hop.ts). */
    readonly resolver: HopResolver,
  ) {
    this.localNetworks = parseCidrList(config.localNetworks);
  }

  /** PROXY.RELAY_FOREIGN: whether a request out of any dialog of ours may go to another domain. */
  get relaysForeign(): boolean {
    return this.config.relayForeign;
  }

  reconfigure(config: ProxyConfig): void {
    this.config = config;
    this.localNetworks = parseCidrList(config.localNetworks);
  }

  /** Where a request goes, one Onward per branch; or the answer to send instead (a Refusal). */
  async targets(
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
      if (!inDialog && !this.config.relayForeign) return relayOffByRoute(uri.host);
      return hopTargets(uri, this.resolver);
    }
    let ruri = req.requestUri as SipUri;
    const maddr = uriParam(ruri, 'maddr');
    if (typeof maddr === 'string') {
      // §16.4: a maddr naming us is stripped, and the request goes on as without it. §16.5: one naming
      // another host makes the Request-URI the only target, sent where maddr says (the user's bindings
      // are not asked: they got it before), and to a host not ours that is relaying.
      if (!me.isOurDomain({ ...ruri, host: maddr })) {
        if (!inDialog && !this.config.relayForeign) return RELAY_OFF;
        return hopTargets(ruri, this.resolver);
      }
      req.setUri(
        formatSipUri({ ...ruri, params: ruri.params.filter((p) => p.name.toLowerCase() !== 'maddr') }),
      );
      ruri = req.requestUri as SipUri;
    }
    // RFC 6761 §6.4: a .invalid host never resolves; a browser makes its Contact up with one (RFC 7118
    // §5), so a Request-URI naming it is for the registration that has it, down that WebSocket.
    if (ruri.host.toLowerCase().endsWith('.invalid')) {
      const b = this.deps.location.findContact((contact) => namesContact(contact, ruri));
      const t = b && (this.bindingTarget(b) ?? (await resolvedPathTarget(b, this.resolver)));
      if (t !== undefined) return [t];
      return { status: 480, reason: 'Temporarily Unavailable (no registration has this contact)' };
    }
    const user = ruri.user === undefined || ruri.user === '' ? undefined : userOf(ruri);
    const ours = me.isOurDomain(ruri);
    if (ours && user !== undefined && uriParam(ruri, 'gr') !== undefined) return this.gruuTargets(ruri, user);
    if (ours && user !== undefined && inDialog && !routed) {
      const lenient = this.dialogTargets(req, user);
      if (lenient.length > 0) return lenient;
      if (me.isMe(ruri.host, ruri.port)) return NO_DIALOG;
    }
    if (ours && !inDialog) {
      // Another element on a host of ours (its own port): sent on to it, as to any address.
      if (user === undefined && ruri.port !== undefined && !me.isMe(ruri.host, ruri.port)) {
        return hopTargets(ruri, this.resolver);
      }
      if (user === undefined) return this.toNobody(req);
      if (DIALOG_ONLY.has(req.method)) return NO_DIALOG;
      const known = this.deps.users.exists(user);
      // A port of ours names the AOR; another port on our host may name one of its contacts (§16.5).
      const device = ruri.port !== undefined && !me.isMe(ruri.host, ruri.port) ? ruri : undefined;
      // With none of the user's contacts there, it names another element on our host (a SIPp UAS as a
      // "static user", a gateway): §16.5 makes a Request-URI this element is not responsible for the only
      // target, and Kamailio's `myself` compares the port. Sent on to it when relaying is on (the user's
      // bindings elsewhere are not that element); with relaying off, the user's bindings as before.
      if (device !== undefined && this.config.relayForeign && !(known && this.bindingAt(user, device)))
        return hopTargets(ruri, this.resolver);
      // No enumeration: without valid credentials an unknown user answers exactly like an unregistered one.
      if (!known && authenticated) {
        return { status: 404 };
      }
      // Looked up for an unknown user too (it finds none): skipped, the time taken told who exists.
      const found = await this.resolvedBindingTargets(user, device);
      const all = known ? found : [];
      const out = securedFor(ruri, all);
      if (out.length < all.length && out.length === 0) {
        return { status: 480, reason: authenticated ? NO_TLS : UNREACHABLE };
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
    return hopTargets(ruri, this.resolver);
  }

  /**
   * RFC 5627 §7.1, RFC 3261 §16.5: an in-dialog request whose Request-URI is a GRUU of ours, with a Route
   * (or a flow token of ours) still ahead once ours are popped: the B side of a dialog with a phone behind
   * an edge proxy that Record-Routed (route set: us, the edge proxy). IMS Lab owns the GRUU's domain, so
   * it resolves it to the device's contact, and the binding's Path goes ahead of the Route left (RFC 3327
   * §5.4), as for the first request; sent on as it was, the edge proxy could not resolve our GRUU (478).
   * Undefined for any other request, which goes by its Route or flow as before.
   */
  dialogGruu(req: SipRequest, me: LocalIdentity): Promise<Onward[] | Refusal> | undefined {
    const ruri = req.requestUri;
    if (ruri.kind !== 'sip' || ruri.user === undefined || ruri.user === '') return undefined;
    if (uriParam(ruri, 'gr') === undefined || !me.isOurDomain(ruri)) return undefined;
    return this.gruuTargets(ruri, userOf(ruri));
  }

  /**
   * RFC 5627 §7: a public GRUU (`gr=<instance ID>`) or a temporary one (`gr`, the user a token the
   * registrar sealed) reaches the bindings of that instance only: 480 when it has none now (the token's
   * binding has gone, or the device is not registered), 404 for a temporary GRUU we never made.
   */
  async gruuTargets(ruri: SipUri, user: string): Promise<Onward[] | Refusal> {
    const gr = uriParam(ruri, 'gr');
    const named =
      typeof gr === 'string' ? { user, instance: gr.toLowerCase() } : this.deps.gruus?.readTemporary(user);
    if (named === undefined) return { status: 404, reason: 'Not Found (not a GRUU of ours)' };
    const createdAt = 'createdAt' in named ? named.createdAt : undefined;
    const registered = this.deps.location
      .lookup(this.deps.aorOf(named.user))
      .filter(
        (b) =>
          instanceOf(b.contactParams) === named.instance &&
          (createdAt === undefined || b.createdAt === createdAt),
      );
    const bindings = onePerDevice(registered);
    const all = await Promise.all(
      bindings.map((b) => this.bindingTarget(b) ?? resolvedPathTarget(b, this.resolver)),
    );
    const found = await this.withOtherFlows(
      all.filter((t) => t !== undefined),
      registered,
    );
    const out = securedFor(ruri, found);
    if (out.length < found.length && out.length === 0) return { status: 480, reason: NO_TLS };
    if (out.length === 0)
      return { status: 480, reason: 'Temporarily Unavailable (the device of this GRUU is not registered)' };
    return out;
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

  /** Has the user a binding whose contact the Request-URI names itself (namesContact)? */
  private bindingAt(user: string, device: SipUri): boolean {
    return this.deps.location.lookup(this.deps.aorOf(user)).some((b) => namesContact(b.contact, device));
  }

  /**
   * The registered contacts of a user, each with where to send (NAT handling in binding-target.ts), one
   * per device (instance.ts); only the one a Request-URI names itself, when it names one (`device`), not
   * every device of the user.
   */
  private bindingTargets(user: string, device?: SipUri): Target[] {
    const out: Target[] = [];
    for (const b of onePerDevice(this.deps.location.lookup(this.deps.aorOf(user)))) {
      const t = this.bindingTarget(b);
      if (t !== undefined) out.push(t);
    }
    return deviceOnly(out, device);
  }

  /** The same, a Path whose first URI names a host resolved first (RFC 3327 §5.4, path-target.ts). */
  private async resolvedBindingTargets(user: string, device?: SipUri): Promise<Target[]> {
    const registered = this.deps.location.lookup(this.deps.aorOf(user));
    const bindings = onePerDevice(registered);
    const all = await Promise.all(
      bindings.map((b) => this.bindingTarget(b) ?? resolvedPathTarget(b, this.resolver)),
    );
    return deviceOnly(
      await this.withOtherFlows(
        all.filter((t) => t !== undefined),
        registered,
      ),
      device,
    );
  }

  /**
   * RFC 5626 §5.3: each target with the other flows of its device among `registered` as its alternates
   * (otherFlows, newest first), reached as any binding is. A target whose device has one flow, or none
   * (no instance ID), is left as it is: that costs a length check.
   */
  private async withOtherFlows(targets: Target[], registered: readonly Binding[]): Promise<Target[]> {
    if (registered.length < 2) return targets; // one binding: no other flow (most users)
    for (let i = 0; i < targets.length; i++) {
      const t = targets[i]!;
      const others = otherFlows(registered, t.binding);
      if (others.length === 0) continue;
      const found = await Promise.all(
        others.map((b) => this.bindingTarget(b) ?? resolvedPathTarget(b, this.resolver)),
      );
      const alternates = found.filter((a) => a !== undefined);
      if (alternates.length > 0) targets[i] = { ...t, alternates };
    }
    return targets;
  }

  /**
   * Is the sender of a dialog-creating request behind a NAT (binding-target.ts behindNat), judged by its
   * first Contact? Our Record-Route facing it then names its flow.
   */
  senderBehindNat(req: SipRequest, source: Peer): boolean {
    if (source.transport !== 'UDP' && source.transport !== 'TCP') return false;
    const uri = req.contacts[0]?.uri;
    // RFC 5626 §5.3: a Contact with `ob` asks the edge proxy to keep the dialog on the flow it came over.
    if (uri?.kind === 'sip' && uriParam(uri, 'ob') !== undefined) return true;
    return behindNat(
      uri?.kind === 'sip' ? literalHop(uri) : undefined,
      source,
      this.localNetworks,
      sentFromElsewhere(req.topVia.host, source.address),
    );
  }

  /** Where a request for this binding goes (binding-target.ts), by this proxy's local networks. */
  bindingTarget(b: Binding): Target | undefined {
    return bindingTarget(b, this.localNetworks, (p) => this.deps.isConnected?.(p) ?? true);
  }

  /**
   * An in-dialog request that came without Route to a user of ours: the dialog's other party when the
   * call tracker knows the dialog, else the user's contact its Request-URI names (the remote target,
   * RFC 3261 §12.2.1.1: another fork's 2xx's Contact), else every binding of the user (a BYE resolves on
   * the first 2xx).
   */
  dialogTargets(req: SipRequest, user: string): (Onward & { uri: string })[] {
    const peer = this.deps.calls.dialogPeer(req);
    if (peer !== undefined) return [peer];
    if (!this.deps.users.exists(user)) return [];
    const ruri = req.requestUri;
    return this.bindingTargets(user, ruri.kind === 'sip' ? ruri : undefined);
  }
}

/** Only the target a Request-URI names itself, when it names one of the user's contacts (§16.5). */
function deviceOnly(out: Target[], device: SipUri | undefined): Target[] {
  if (device === undefined) return out;
  const named = out.filter((t) => namesContact(t.uri, device));
  return named.length > 0 ? named : out;
}
