// The registrar (RFC 3261 §10.3), step by step:
//  1. the domain must be ours (served-domains.ts: our addresses at any port, SIP.DOMAIN(S), any name
//     when SIP.DOMAINS is empty);
//  2. Require with an extension we do not support (path, gruu and outbound we do) → 420 (§8.2.2.3);
//     Path without Supported: path → 420 naming path (RFC 3327 §5.3, path.ts);
//  3. digest authentication → 401 (§22.4), 403 for disabled accounts or a locked-out source;
//  4. the authenticated user must own the AOR in To (the original let anyone register anything) → 403;
//  5. the AOR must be a user we know → 404; without authentication (AUTH.REGISTER off), an ACTIVE one
//     → 403 otherwise, as step 3 refuses a disabled account;
//  6. Contact: * only alone (one of it) and with Expires: 0 → 400;
//  7. per contact: expiry from its expires parameter, else Expires, else the default (a malformed one
//     counts as 3600); below the minimum → 423 with Min-Expires, above the maximum → capped;
//     Call-ID/CSeq ordering; 0 removes; a contact with an instance ID updates that device's binding,
//     whatever its Contact URI was (RFC 5626 §6, instance.ts), and must be a URN (§4.1) → 400
//     otherwise; a Contact over 1,024 characters → 400;
//     no more bindings than the maximum once the request applies; a Contact that is IMS Lab's own
//     address and port → 403 (calls would loop back);
//     all of it checked before anything changes, so a refused REGISTER changes nothing;
//  8. 200 listing every current binding with its remaining expires (and q), plus Date, and the REGISTER's
//     Path values (RFC 3327 §5.3), which every binding it created or refreshed keeps as its path vector,
//     with a Service-Route to us (RFC 3608) and P-Associated-URI (RFC 7315) beside them; Require:
//     outbound when it registered a SIP Outbound flow (RFC 5626 §6, outbound.ts; 439 when its first
//     hop cannot keep one).
// A REGISTER without Contact fetches the bindings.
import {
  checkMessage,
  detached,
  keptText,
  SipParseError,
  parseUri,
  sentFromElsewhere,
  sipUriEquals,
  unescape,
  userNumber,
  type NameAddr,
  type SipRequest,
  type SipUri,
} from '../message/index';
import { parseDeltaSeconds } from '../message/scalar-headers';
import { formatParams, paramValue } from '../message/scanner';
import type { DigestAuthenticator } from '../auth/authenticator';
import { authenticate } from '../auth/auth-reply';
import type { ServerTransaction } from '../transaction/server-transaction';
import type { Peer } from '../transport/peer';
import type { Counter, CounterSet } from '../../observe/counters';
import type { Binding } from './binding';
import type { GruuMaker } from './gruu';
import { instanceOf, isUrn, otherDevice, sameDevice } from './instance';
import type { LocationService } from './location';
import { GRUU_TAG, OUTBOUND_TAG, PATH_TAG, REGISTRAR_EXTENSIONS, supports } from './option-tags';
import { outboundUse } from './outbound';
import { keptPath, pathUnsupported, pathVector } from './path';
import { ServedDomains } from './served-domains';

export interface RegistrarConfig {
  /** Domain of the canonical AORs (sip:<user>@<domain>). */
  domain: string;
  /** Domains this registrar answers for; empty: any host name (every name maps to the same users). */
  domains: string[];
  /** The appliance's one notion of our domains, shared with the proxy; made from the above when absent. */
  served?: ServedDomains;
  minExpires: number;
  maxExpires: number;
  defaultExpires: number;
  maxContacts: number;
  /** Challenge REGISTER (default true). */
  authenticate: boolean;
  /** RFC 5626 §5.4: the Flow-Timer (s) of an outbound registration's 200; 0 sends none. */
  flowTimer?: number;
}

export const DEFAULT_REGISTRAR: RegistrarConfig = {
  domain: 'ims.lab',
  domains: [],
  minExpires: 60,
  maxExpires: 7200,
  defaultExpires: 3600,
  maxContacts: 10,
  authenticate: true,
};

interface Refusal {
  status: number;
  reason?: string;
  headers?: [string, string][];
}

/** A response the transaction layer sends without a transaction (§8.2.7). */
export interface StatelessAnswer {
  status: number;
  headers: [string, string][];
}

export interface UserDirectory {
  credentials(username: string): { status: string } | undefined;
}

interface ContactUpdate {
  contact: NameAddr;
  uri: SipUri;
  /** Its parameters as kept with the binding (without expires and q). */
  params: string;
  expires: number;
  q: number | undefined;
  /** The binding it updates: the same device's (RFC 5626 §6), else the same Contact URI's. */
  existing: Binding | undefined;
  /** Another binding with this Contact URI, when `existing` is the device's under another one. */
  displaced: Binding | undefined;
}

/** q-value = "0" ["." 0*3DIGIT] / "1" ["." 0*3("0")] (§25.1). */
function parseQ(v: string | null | undefined): number | undefined | null {
  if (v === undefined) return undefined;
  if (v === null || !/^(0(\.\d{0,3})?|1(\.0{0,3})?)$/.test(v)) return null;
  return Number(v);
}

/**
 * §20.10 and §20.19: a malformed expiry (not 1*DIGIT, or beyond 2^32-1) "SHOULD be treated as equivalent
 * to 3600" (RFC 4475 §3.1.2.4 says the same of overlarge ones), not refused.
 */
const MALFORMED_EXPIRES = 3600;

/**
 * A Contact's URI and parameters are stored, listed in every 200 of the AOR (with GRUUs made of its
 * +sip.instance) and in reg event NOTIFYs: one of 20,000 characters made the 200 too big for a datagram,
 * unanswered, and kept the AOR's other phones from registering over UDP. A URN instance ID (RFC 5626
 * §4.1) is about 50; Kamailio's registrar refuses a Contact over 512 ("Contact/received too long").
 */
const MAX_CONTACT_LENGTH = 1024;

/** The Expires header's seconds, undefined when absent. */
function expiresHeader(req: SipRequest): number | undefined {
  try {
    return req.expires;
  } catch (err) {
    if (err instanceof SipParseError) return MALFORMED_EXPIRES;
    throw err;
  }
}

/** A Contact's expires parameter: its seconds, or undefined when it has none. */
function expiresParam(contact: NameAddr): number | undefined {
  const raw = paramValue(contact.params, 'expires');
  if (raw === undefined) return undefined;
  return (raw === null ? undefined : parseDeltaSeconds(raw)) ?? MALFORMED_EXPIRES;
}

/**
 * The AOR as the UA wrote it: the To URI without its ;parameters, as the original filed bindings under
 * (original-server.md §2.3), e.g. sip:1001@127.0.0.1:26060.
 */
function registeredAorOf(req: SipRequest): string {
  const raw = (req.to.uri as SipUri).raw;
  const semi = raw.indexOf(';');
  return semi < 0 ? raw : raw.slice(0, semi);
}

/** sip_registrations_total, Registrar.registrations: every result at 0 from the start. */
export function registrationsCounter(counters: CounterSet): Counter {
  return counters.counter(
    'sip_registrations_total',
    'REGISTER requests answered by the registrar, by result: accepted (2xx), removed (2xx to Expires 0 or Contact: *), rejected (any other final response but a 401/407 challenge)',
    'result',
    ['accepted', 'removed', 'rejected'],
  );
}

/**
 * `text` as a string of its own (detached.ts): the one the binding being refreshed already holds when it
 * is the same. A refresh repeats most of them, and a new copy per refresh would be one more string that
 * lives as long as the binding and dies in V8's old generation, where only a full GC finds it.
 */
function kept(held: string | undefined, text: string): string {
  return held === text ? held : detached(text);
}

export class Registrar {
  private readonly served: ServedDomains;
  private dateSecond = -1;
  private dateText = '';
  /**
   * RFC 3608 §6.1: the route to us a UA registered through an edge proxy uses for its own requests (a
   * Service-Route); set by the appliance once our addresses are known (LocalIdentity's Record-Route).
   */
  serviceRoute: ((source: Peer) => string) | undefined;
  /** RFC 5627: makes the GRUUs of a phone that supports them; set by the appliance (its key). */
  gruus: GruuMaker | undefined;

  constructor(
    private config: RegistrarConfig,
    private readonly location: LocationService,
    private readonly auth: DigestAuthenticator,
    private readonly users: UserDirectory,
    private readonly now: () => number = Date.now,
  ) {
    this.served = config.served ?? new ServedDomains(config);
  }

  reconfigure(config: RegistrarConfig): void {
    this.config = config;
    this.served.setNames(config);
  }

  /** The canonical AOR of a user: what bindings are filed under and looked up by. */
  aorOf(user: string): string {
    return `sip:${user}@${this.config.domain}`;
  }

  /**
   * The canonical AOR a SIP URI with a user names (ServedDomains.namesAor: a host of ours, no port or one
   * of ours; the user unescaped, RFC 3261 §19.1.4, and a user=phone number without separators, as routing
   * reads it): sip:1002@127.0.0.1:5060, sip:1002@localhost and sip:1002@ims.lab are sip:1002@ims.lab.
   * Undefined for another place, where the URI names only itself (an element or a contact there).
   */
  aorNamedBy(uri: SipUri): string | undefined {
    if (uri.user === undefined || uri.user === '' || !this.served.namesAor(uri.host, uri.port))
      return undefined;
    return this.aorOf(userNumber(uri, unescape));
  }

  /** The canonical AOR now of one filed under the domain of before (sip:user@old → sip:user@domain). */
  canonicalAor(aor: string): string {
    const at = aor.lastIndexOf('@');
    return aor.startsWith('sip:') && at > 4 ? this.aorOf(aor.slice(4, at)) : aor;
  }

  /** Is a host (of a Request-URI or To) one of ours? */
  isOurDomain(host: string): boolean {
    return this.served.isOurs(host);
  }

  /**
   * Steps 1-2 and the message checks: the refusal to send, or undefined when the REGISTER may go on. A
   * header the registrar reads that is malformed (§10.3, the 'full' check) is thrown: the transaction
   * layer answers its 400 and counts and logs it as a malformed message (sip_late_parse_errors_total, a
   * WARNING), as the reg event notifier's and an OPTIONS to IMS Lab's; answered here, it was counted
   * nowhere and logged by nothing.
   */
  private precheck(req: SipRequest): Refusal | undefined {
    const problem = checkMessage(req, 'full');
    if (problem !== null) throw problem;
    const to = req.to.uri;
    if (to.kind !== 'sip' || to.user === undefined)
      return { status: 404, reason: 'Not Found (the AOR in To must be a SIP URI with a user)' };
    const ruri = req.requestUri;
    if (ruri.kind !== 'sip' || !this.isOurDomain(ruri.host) || !this.isOurDomain(to.host))
      return { status: 404, reason: 'Not Found (domain not served here)' };
    // §8.2.2.3: 420 for what the REGISTER Requires and we do not support (path, gruu, outbound we do).
    const unsupported = req.tokens('require').filter((t) => !REGISTRAR_EXTENSIONS.includes(t.toLowerCase()));
    if (unsupported.length > 0) return { status: 420, headers: [['Unsupported', unsupported.join(', ')]] };
    if (pathUnsupported(req)) {
      return {
        status: 420,
        reason: 'Bad Extension (Path without Supported: path)',
        headers: [['Unsupported', PATH_TAG]],
      };
    }
    return undefined;
  }

  /**
   * §8.2.7 / §26.3.2.4: a REGISTER without credentials is challenged statelessly, so that a challenge
   * costs no transaction (a retransmission simply gets a fresh 401). Returns the 401 to send, or
   * undefined when the REGISTER needs the stateful path (credentials, a refusal, a locked-out source).
   */
  statelessChallenge(req: SipRequest, source: Peer): StatelessAnswer | undefined {
    if (!this.config.authenticate || req.has('authorization')) return undefined;
    if (this.precheck(req) !== undefined) return undefined;
    const outcome = this.auth.check(req, 'authorization', source);
    if (outcome.kind !== 'challenge') return undefined;
    const challenges = this.auth.challenges(
      source,
      outcome.stale,
      req.header('user-agent'),
      req.topVia.transport,
    );
    return { status: 401, headers: challenges.map((c) => ['WWW-Authenticate', c] as [string, string]) };
  }

  /**
   * Counts each REGISTER's outcome, as Kamailio's registrar:accepted_regs / rejected_regs do: accepted (a
   * 2xx that adds, refreshes or fetches bindings), removed (a 2xx to Expires 0 or Contact: *, §10.2.2),
   * rejected (any other final response but a challenge, 401/407: sip_auth_failures_total has those that
   * failed). The appliance sets it; not counted when absent.
   */
  registrations: Counter | undefined;

  handle(req: SipRequest, tx: ServerTransaction, source: Peer): void {
    const removal = this.answer(req, tx, source);
    const status = tx.finalStatus;
    if (this.registrations === undefined || status === undefined || status === 401 || status === 407) return;
    this.registrations.inc(status >= 300 ? 'rejected' : removal === true ? 'removed' : 'accepted');
  }

  /** Answers a REGISTER (§10.3); true when its 2xx removed bindings only. */
  private answer(req: SipRequest, tx: ServerTransaction, source: Peer): boolean | void {
    const refusal = this.precheck(req);
    if (refusal !== undefined) {
      tx.reply(refusal.status, { reason: refusal.reason, headers: refusal.headers });
      return;
    }
    const user = unescape((req.to.uri as SipUri).user!);
    if (this.config.authenticate) {
      const username = authenticate(this.auth, 'registrar', req, tx, source);
      if (username === undefined) return;
      // §10.3 step 4: the authenticated user may register only its own AOR.
      if (username !== user) {
        tx.reply(403, { reason: 'Forbidden (credentials are not for this address-of-record)' });
        return;
      }
    } else {
      const status = this.users.credentials(user)?.status;
      if (status === undefined) {
        tx.reply(404);
        return;
      }
      // Without digest only ACTIVE users register too, as on the authenticated path (a disabled user may
      // no longer register, nor be reached). Which status it is goes to the log, not to the phone: anyone
      // may send this REGISTER, where the authenticated path tells it only to the right password.
      if (status !== 'ACTIVE') {
        this.auth.log.info(
          `auth: refused ${user} (REGISTER without authentication) from ${source.address}: Account ${status}`,
        );
        tx.reply(403, { reason: 'Forbidden (account not active)' });
        return;
      }
    }
    return this.update(req, tx, source, this.aorOf(user));
  }

  private update(req: SipRequest, tx: ServerTransaction, source: Peer, aor: string): boolean | void {
    const now = this.now();
    const path = pathVector(req);
    if (path === null) {
      tx.reply(400, { reason: 'Malformed Path header (each value a <sip:...> URI, RFC 3327 §4)' });
      return;
    }
    const stars = req.contactStars;
    if (stars > 0) {
      // §10.3 step 6: "*" only alone and with Expires 0.
      if (stars > 1 || req.contacts.length > 0 || expiresHeader(req) !== 0) {
        tx.reply(400, { reason: 'Contact: * needs Expires: 0 and no other Contact' });
        return;
      }
      for (const b of this.location.lookup(aor)) {
        if (b.callId === req.callId && req.cseq.seq <= b.cseq) {
          tx.reply(500, { reason: 'Out of order CSeq for this Call-ID' });
          return;
        }
      }
      this.location.removeAor(aor, 'unregister', { callId: req.callId, cseq: req.cseq.seq });
      this.ok(tx, req, aor, path, source);
      return true;
    }

    // Check every contact before changing anything.
    const updates: ContactUpdate[] = [];
    const header = expiresHeader(req) ?? this.config.defaultExpires;
    for (const contact of req.contacts) {
      const uri = contact.uri;
      if (uri.kind !== 'sip') {
        tx.reply(400, { reason: 'Contact must be a SIP or SIPS URI' });
        return;
      }
      const expires = expiresParam(contact) ?? header;
      const loop = expires > 0 && this.served.isOwnHost(uri.host) ? this.leadsBack(uri, aor, req) : undefined;
      if (loop !== undefined) {
        tx.reply(403, { reason: `Forbidden (this Contact is ${loop}: calls to it would come back here)` });
        return;
      }
      if (expires > 0 && expires < this.config.minExpires) {
        tx.reply(423, { headers: [['Min-Expires', String(this.config.minExpires)]] });
        return;
      }
      const q = parseQ(paramValue(contact.params, 'q'));
      if (q === null) {
        tx.reply(400, { reason: 'Malformed Contact q parameter' });
        return;
      }
      const params = formatParams(contact.params.filter((p) => !/^(expires|q)$/i.test(p.name)));
      if (contact.uriText.length + params.length > MAX_CONTACT_LENGTH) {
        tx.reply(400, {
          reason: `Contact too long (at most ${MAX_CONTACT_LENGTH} characters with its parameters)`,
        });
        return;
      }
      // RFC 5626 §4.1: the instance ID MUST be a URN; anything else would be handed out in a GRUU. (A
      // binding made before this check may still be removed.)
      const instance = expires > 0 ? instanceOf(params) : undefined;
      if (instance !== undefined && !isUrn(instance)) {
        tx.reply(400, { reason: `Bad Request (+sip.instance "<${instance}>" is not a URN, RFC 5626 §4.1)` });
        return;
      }
      // §10.3 step 7: the contacts apply in order; the same URI twice is its last one's (expires=0 after
      // expires=100 removes it).
      const twice = updates.findIndex((u) => sipUriEquals(u.uri, uri));
      if (twice >= 0) updates.splice(twice, 1);
      updates.push({
        contact,
        uri,
        params,
        expires: Math.min(expires, this.config.maxExpires),
        q,
        existing: undefined,
        displaced: undefined,
      });
    }
    const current = this.location.lookup(aor);
    let after = current.length; // bindings once the request applies
    for (const u of updates) {
      const byUri = current.find((b) => this.sameContact(b, u.uri));
      // RFC 5626 §6: a device's Expires: 0 for a Contact URI another device (another instance) holds now
      // (two phones at the same private address behind two NATs) is not that device's to remove.
      if (u.expires === 0 && byUri !== undefined && otherDevice(byUri.contactParams, u.params)) continue;
      const existing = sameDevice(current, u.params) ?? byUri;
      u.existing = existing;
      if (byUri !== existing) u.displaced = byUri;
      if (u.displaced !== undefined) after--;
      if (existing === undefined) {
        if (u.expires > 0) after++;
        continue;
      }
      if (u.expires === 0) after--;
      // §10.3 step 7: a REGISTER older than the binding's (same Call-ID, CSeq not higher) must not apply.
      if (existing.callId === req.callId && req.cseq.seq <= existing.cseq) {
        tx.reply(500, { reason: 'Out of order CSeq for this Call-ID' });
        return;
      }
    }
    if (after > this.config.maxContacts) {
      tx.reply(403, { reason: `Forbidden (more than ${this.config.maxContacts} contacts)` });
      return;
    }
    // RFC 5626 §6: a flow registered through a first hop that cannot keep it is refused (outbound.ts).
    const outbound = updates.some((u) => u.params.includes('reg-id'))
      ? outboundUse(
          req,
          path,
          updates.map((u) => u.params),
        )
      : 'none';
    if (outbound === 'first-hop-lacks-outbound') {
      tx.reply(439, { reason: 'First Hop Lacks Outbound Support (its Path has no ob, RFC 5626 §6)' });
      return;
    }

    // Bindings live for hours: keep copies, not slices that pin the REGISTER (detached.ts), and a
    // refresh keeps the copies it already has.
    // A User-Agent of 256 characters at most (kept-text.ts): it is in every refresh's CDR row and DSP REG.
    const userAgent = keptText(req.headerText('user-agent') ?? '');
    const registeredAor = registeredAorOf(req);
    const request = { callId: req.callId, cseq: req.cseq.seq };
    const elsewhere = sentFromElsewhere(req.topVia.host, source.address);
    for (const u of updates) {
      const existing = u.existing;
      // The device's new Contact URI takes the place of the one another binding had (it moved back).
      if (u.displaced !== undefined) this.location.remove(aor, u.displaced.contact, 'unregister', request);
      if (u.expires === 0) {
        if (existing !== undefined) this.location.remove(aor, existing.contact, 'unregister', request);
        continue;
      }
      // §10.3 step 7: the binding takes the Contact as this REGISTER writes it, the same URI written
      // another way too (`;line=abc` added, which §19.1.4 ignores when comparing): requests for the AOR
      // go to it as the device now asks. The text kept was the first REGISTER's, without the ;line=.
      const contactText = kept(existing?.contact, u.contact.uriText);
      const aorText = kept(existing?.aor, aor);
      const binding: Binding = {
        aor: aorText,
        contact: contactText,
        contactParams: kept(existing?.contactParams, u.params),
        expiresAt: now + u.expires * 1000,
        q: u.q,
        callId: kept(existing?.callId, req.callId),
        cseq: req.cseq.seq,
        sourceAddress: kept(existing?.sourceAddress, source.address),
        sourcePort: source.port,
        transport: source.transport,
        userAgent: kept(existing?.userAgent, userAgent),
        createdAt: existing?.createdAt ?? now,
        updatedAt: now,
        sentFromElsewhere: elsewhere,
      };
      if (registeredAor !== aorText) binding.registeredAor = kept(existing?.registeredAor, registeredAor);
      // RFC 3327 §5.3: the path vector goes with the binding; a refresh without Path leaves none.
      const bindingPath = keptPath(existing?.path, path);
      if (bindingPath !== undefined) binding.path = bindingPath;
      this.location.put(
        binding,
        existing !== undefined && existing.contact !== contactText ? existing.contact : undefined,
      );
    }
    this.ok(tx, req, aor, path, source, outbound === 'flow');
    return updates.length > 0 && updates.every((u) => u.expires === 0);
  }

  /**
   * What a Contact naming one of our hosts is when it leads back to IMS Lab, or undefined: a binding to
   * it would send every call for the AOR back here, taken for a new request (a second challenge to the
   * caller, then a loop). That is our address and port, a GRUU of ours, or the address-of-record itself
   * (RFC 5627 §5.1 refuses the last two with 403 for that reason).
   */
  private leadsBack(uri: SipUri, aor: string, req: SipRequest): string | undefined {
    if (this.served.isMe(uri.host, uri.port)) return 'IMS Lab itself';
    if (paramValue(uri.params, 'gr') !== undefined) return 'a GRUU of IMS Lab';
    for (const of of [parseUri(aor), req.to.uri]) {
      if (of?.kind === 'sip' && sipUriEquals(of, uri)) return 'the address-of-record itself';
    }
    return undefined;
  }

  private sameContact(b: Binding, uri: SipUri): boolean {
    if (b.contact === uri.raw) return true;
    const mine = parseUri(b.contact);
    return mine !== null && mine.kind === 'sip' && sipUriEquals(mine, uri);
  }

  /**
   * §10.3 step 8: 200 with every current binding and its remaining time; RFC 3327 §5.3: and the Path
   * values (only ever there with Supported: path, step 2). Registered through an edge proxy (a P-CSCF),
   * the UA also learns the route to us for its own requests (RFC 3608 §6.1 Service-Route) and its
   * default public identity, the AOR (RFC 7315 §4.1 P-Associated-URI), as an IMS registrar says them.
   */
  private ok(
    tx: ServerTransaction,
    req: SipRequest,
    aor: string,
    path: readonly string[] | undefined,
    source: Peer,
    outbound = false,
  ): void {
    const now = this.now();
    const headers: [string, string][] = [];
    let gruu: boolean | undefined; // Supported: gruu, read when a contact has an instance ID
    for (const b of this.location.lookup(aor)) {
      const left = Math.max(0, Math.ceil((b.expiresAt - now) / 1000));
      let value = `<${b.contact}>;expires=${left}${b.q === undefined ? '' : `;q=${b.q}`}${b.contactParams}`;
      // RFC 5627 §6.2: each contact with an instance ID gets both GRUUs (a new temporary one each time).
      if (
        this.gruus !== undefined &&
        b.contactParams.includes('instance') &&
        (gruu ??= supports(req, GRUU_TAG))
      ) {
        const made = this.gruus.gruusOf(b, this.config.domain);
        if (made !== undefined) value += `;pub-gruu="${made.pub}";temp-gruu="${made.temp}"`;
      }
      headers.push(['Contact', value]);
    }
    if (path !== undefined) {
      headers.push(['Path', path.join(', ')]);
      if (this.serviceRoute !== undefined) headers.push(['Service-Route', this.serviceRoute(source)]);
      headers.push(['P-Associated-URI', `<${aor}>`]);
    }
    if (outbound) {
      // RFC 5626 §6: the flow is ours to keep; §5.4: and how often the UA should say it is alive.
      headers.push(['Require', OUTBOUND_TAG]);
      if ((this.config.flowTimer ?? 0) > 0) headers.push(['Flow-Timer', String(this.config.flowTimer)]);
    }
    headers.push(['Date', this.date(now)]);
    tx.reply(200, { headers });
  }

  /** The Date header's value (§20.17, an RFC 1123 date in GMT), made once a second. */
  private date(now: number): string {
    const second = Math.floor(now / 1000);
    if (second !== this.dateSecond) {
      this.dateSecond = second;
      this.dateText = new Date(second * 1000).toUTCString();
    }
    return this.dateText;
  }
}
