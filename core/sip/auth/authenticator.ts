// Digest authentication of requests (RFC 3261 §22, RFC 7616, RFC 8760): challenges, one header per
// configured algorithm with the preferred first, and the check of credentials:
//  - an unknown user and a wrong password get the same fresh challenge, so a scanner learns nothing;
//  - the right password of an INACTIVE or SUSPENDED account gets 403;
//  - a username user@realm (an IMS private identity, private-identity.ts) is its user's account;
//  - qop=auth is required, unless rfc2069 allows an answer without qop (RFC 3261 §22.4 backwards
//    compatibility, for the original's test client and older phones): its nonce is then good for one
//    use only, so a replay still fails; the uri must be the Request-URI (or name this server itself, as
//    SIPp signs it: servesUri below), nonces expire (stale=true only when the response was right,
//    RFC 7616 §3.3) and nonce-counts must grow;
//  - a nonce is good only from the source it was given to (an IPv4 address or an IPv6 /64, any port;
//    nonces.ts): credentials with a nonce given to another source are neither checked nor counted, only
//    challenged afresh, so a forged UDP source cannot spend a phone's lock-out, nor one nonce carry
//    guesses from many forged sources;
//  - a (source, user name) pair that keeps failing is locked out for a while, and so is a source that
//    fails across many user names (lockout.ts; an IPv6 source is its /64); an unknown user costs the same
//    hash and locks the same. The appliance's own user agent (the auto dialer's socket, ownAgent) is not
//    held to it: a SIPp run of wrong passwords from the server's address locked the dialer out too.
import { algorithmsFor } from './client-quirks';
import { accountOf } from './private-identity';
import { timingSafeEqual } from 'node:crypto';
import type { Counter } from '../../observe/counters';
import { SILENT_LOG, type Log } from '../../observe/log';
import type { SipRequest } from '../message/index';
import { fromWire } from '../message/message';
import { parseUri, type SipUri } from '../message/uri';
import { parseAuthHeader, quoted } from './auth-params';
import { digestResponse, digestResponse2069 } from './digest';
import type { DigestAlgorithm } from './ha1';
import type { Peer } from '../transport/peer';
import { failureKey } from './failure-key';
import { Lockout, type LockoutPolicy, type LockScope } from './lockout';
import { NonceIssuer, type NonceCheck } from './nonces';

export interface AuthConfig {
  realm: string;
  /** Challenge order: the first is the most preferred (RFC 8760 §2.4). */
  algorithms: DigestAlgorithm[];
  nonceLifetimeSeconds: number;
  lockout: LockoutPolicy;
  /** Accept answers without qop (RFC 2069 form); each such nonce is single-use. Absent: no. */
  rfc2069?: boolean;
}

export const DEFAULT_AUTH: AuthConfig = {
  realm: 'ims.lab',
  algorithms: ['MD5', 'SHA-256'],
  nonceLifetimeSeconds: 300,
  lockout: { failures: 5, windowSeconds: 60, lockSeconds: 120, sourceFailures: 30 },
  rfc2069: true,
};

/** Who hears of lockouts: a lock imposed (once per lock, for the log) and each attempt it refused. */
export interface LockoutWatch {
  locked(source: string, user: string, scope: LockScope, seconds: number): void;
  refused(source: string): void;
}

/** HA1 for a user name that does not exist: the check costs the same hash either way. */
const NOBODY_HA1: Readonly<Record<DigestAlgorithm, string>> = {
  MD5: '0'.repeat(32),
  'SHA-256': '0'.repeat(64),
};

/**
 * 3GPP TS 24.229 §5.1.1.2.1: an IMS UE's initial REGISTER carries an Authorization with its private
 * identity and an empty nonce and response (RFC 3261 §22.4 lets the realm's challenge follow): the normal
 * way in, not a failure.
 */
const EMPTY_CREDENTIALS = 'initial request with empty credentials (nonce="")';
const NOT_OUR_NONCE = 'a nonce IMS Lab did not give, or from before a restart';
const NOT_OUR_REALM = 'no credentials for our realm';
const NOT_OFFERED = 'an algorithm IMS Lab does not offer';
/**
 * RFC 7616 §3.3: stale=true only when the response is valid for the nonce. This one's is not computed
 * (to check it uncounted would let a guesser learn from the stale flag which password is right), so the
 * challenge says stale=false, as for a nonce IMS Lab did not give; the phone signs the new nonce.
 */
const foreignNonce = (issuedTo: string | undefined): string =>
  `a nonce given to ${issuedTo ?? 'another source'}, not to this address (not checked, not counted)`;

export interface CredentialLookup {
  credentials(
    username: string,
  ): { status: string; realm: string; ha1: Readonly<Record<DigestAlgorithm, string>> } | undefined;
}

export type AuthOutcome =
  | { kind: 'ok'; username: string }
  /**
   * Answer 401/407 with fresh challenges. `failed`: our realm's credentials were checked and are wrong
   * (a refusal), not missing, another realm's, of an unknown nonce or stale (the normal way in).
   */
  | {
      kind: 'challenge';
      stale: boolean;
      failed?: true;
      /**
       * Why failed credentials failed (no such user, wrong password...): for the operator's log only,
       * never in the answer, which is the same whatever it is (it must not tell who exists).
       */
      cause?: string;
      /** Why credentials the request did bring were not checked (for the log: not a failure). */
      unchecked?: string;
    }
  /** Right password, but the account may not be used (403). */
  | { kind: 'forbidden'; reason: string }
  /** The source is locked out (403 with Retry-After). */
  | { kind: 'locked'; retryAfter: number }
  /** Credentials that cannot be for this request (400, RFC 7616 §3.4.6: uri differs). */
  | { kind: 'bad-request'; reason: string };

/**
 * RFC 7616 §3.4.6: the digest-uri must be for this request. Compared on scheme, host and port only:
 * SIPp (and some phones) put the Request-URI's host without its user, e.g. uri="sip:10.0.0.1:5060" for
 * INVITE sip:1002@10.0.0.1:5060; the response hash covers whatever uri was sent, so nothing is weakened
 * beyond the user part.
 */
function sameUri(a: string, b: string): boolean {
  if (a === b) return true;
  const x = parseUri(a);
  const y = parseUri(b);
  if (x === null && y !== null && y.kind === 'sip') return bareIpv6Form(a, y);
  if (x === null || y === null || x.kind !== 'sip' || y.kind !== 'sip') return false;
  return (
    x.scheme === y.scheme &&
    (x.user === undefined || x.user === y.user) &&
    x.host.toLowerCase() === y.host.toLowerCase() &&
    (x.port ?? 5060) === (y.port ?? 5060)
  );
}

/**
 * SIPp writes an IPv6 Request-URI's host without its brackets (uri="sip:::1:5060" for INVITE
 * sip:1002@[::1]:5060), which no URI parser reads: the same host and port, spelled so, is that uri.
 */
function bareIpv6Form(a: string, y: SipUri): boolean {
  if (y.host.charCodeAt(0) !== 0x5b) return false;
  const text = a.toLowerCase();
  const bare = `${y.scheme}:${y.host.slice(1, -1).toLowerCase()}`;
  return text === `${bare}:${y.port ?? 5060}` || (y.port === undefined && text === bare);
}

/** Does host[:port] name this very server (ServedDomains.isMe)? */
export type ServerAddress = (host: string, port: number | undefined) => boolean;

/**
 * A digest-uri with no user part that names this very server (one of its addresses or names at one of
 * its SIP ports): SIPp's `[authentication]` signs `sip:<remote_ip>:<remote_port>` whatever the
 * Request-URI (its -auth_uri default), so a CSV run calling many users signs the server's address.
 * RFC 2617 §3.2.2.5 makes the uri check a SHOULD, and Kamailio 5.6's auth module does not compare it
 * at all (its docs: checking it "will also not work with a lot of UA implementations"). Such a uri
 * names no other element, so the response still binds the credentials to us, and the nonce and its
 * count still stop a replay; any other mismatch keeps its 400.
 */
function namesServer(uri: string, isServer: ServerAddress): boolean {
  const u = parseUri(uri);
  if (u !== null) return u.kind === 'sip' && u.user === undefined && isServer(u.host, u.port);
  // SIPp's IPv6 form: the host without brackets (sip:::1:5060).
  const m = /^sips?:([0-9a-f:.]+):(\d{1,5})$/i.exec(uri);
  return m !== null && m[1]!.includes(':') && isServer(`[${m[1]!}]`, Number(m[2]));
}

function equalHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));
}

export class DigestAuthenticator {
  private readonly nonces: NonceIssuer;
  readonly lockout: Lockout;
  /** Told of every lock and every refused attempt (the appliance logs and counts them). */
  watch: LockoutWatch | undefined;
  /** Where failures are told (auth-reply.ts writes one INFO line each). */
  log: Log = SILENT_LOG;
  /** This server's own addresses and ports: a digest-uri naming them is taken (namesServer). */
  isServer: ServerAddress | undefined;
  /**
   * Is this where the appliance's own user agent sends from (the auto dialer's open socket)? Its requests
   * are checked as any, but neither refused by a lock-out nor counted in one: it shares the server's
   * address with whatever else runs on the host (a SIPp run of wrong passwords locked the whole address,
   * the dialer with it), and it guesses nothing (its password is the setting's).
   */
  ownAgent: ((source: Peer) => boolean) | undefined;

  constructor(
    private config: AuthConfig,
    private readonly users: CredentialLookup,
    private readonly failures?: Counter,
    /** The steady clock (ms) nonce ages and lock-outs are measured on (lockout.ts, nonces.ts). */
    now: () => number = () => performance.now(),
  ) {
    this.nonces = new NonceIssuer(config.nonceLifetimeSeconds, now);
    this.lockout = new Lockout(config.lockout, now);
  }

  get realm(): string {
    return this.config.realm;
  }

  reconfigure(config: AuthConfig): void {
    this.config = config;
    this.nonces.setLifetime(config.nonceLifetimeSeconds);
    this.lockout.policy = config.lockout;
  }

  /**
   * Challenge header values, one per algorithm, sharing one fresh nonce given to `source` (the address
   * the request came from: good from there only, nonces.ts); `userAgent` lets a phone that
   * cannot skip an unknown algorithm get only the one it knows, as does a web phone (`viaTransport` WS
   * or WSS) (client-quirks.ts).
   */
  challenges(source: Peer | string, stale = false, userAgent?: string, viaTransport?: string): string[] {
    // Realm and nonce quoted once for all the algorithms' challenges (one 401 per registration).
    const nonce = this.nonces.issue(typeof source === 'string' ? source : source.address);
    const head = `Digest realm=${quoted(this.config.realm)}, nonce=${quoted(nonce)}, algorithm=`;
    const tail = stale ? ', qop="auth", stale=true' : ', qop="auth"';
    const out: string[] = [];
    for (const algorithm of algorithmsFor(this.config.algorithms, userAgent, viaTransport))
      out.push(head + algorithm + tail);
    return out;
  }

  /**
   * Checks the request's Authorization (REGISTER, 401) or Proxy-Authorization (others, 407). `source`:
   * where it came from (an address alone is held to the lock-out whatever its port).
   */
  check(
    req: SipRequest,
    header: 'authorization' | 'proxy-authorization',
    source: Peer | string,
  ): AuthOutcome {
    const sourceAddress = typeof source === 'string' ? source : source.address;
    // The lock-out's key for this request; none for our own user agent (ownAgent).
    const held = typeof source !== 'string' && this.ownAgent?.(source) === true ? undefined : sourceAddress;
    const locked = held === undefined ? 0 : this.lockout.lockedFor(held);
    if (locked > 0) return this.refused(sourceAddress, locked);

    let params: Map<string, string> | undefined;
    for (const value of req.headerValues(header)) {
      // The header's bytes as UTF-8 text (RFC 3261 §25.1: a quoted-string's UTF8-NONASCII): a realm or
      // username with non-ASCII characters compares with the configured realm and the user's name, and
      // hashes (as UTF-8, RFC 7616 §3.4.2) to the bytes the client hashed.
      const h = parseAuthHeader(fromWire(value));
      if (
        h !== undefined &&
        h.scheme.toLowerCase() === 'digest' &&
        h.params.get('realm') === this.config.realm
      ) {
        params = h.params;
        break;
      }
    }
    // No credentials for our realm (or an unknown scheme, RFC 4475 §3.3.7): challenge.
    if (params === undefined) return { kind: 'challenge', stale: false, unchecked: NOT_OUR_REALM };

    const username = params.get('username') ?? '';
    // The account: lockouts and the outcome name it (a user@realm username is its user's).
    const account = accountOf(username) ?? username;
    const nonce = params.get('nonce') ?? '';
    const uri = params.get('uri');
    const response = (params.get('response') ?? '').toLowerCase();
    const algorithm = (params.get('algorithm') ?? 'MD5').toUpperCase() as DigestAlgorithm;
    const qop = params.get('qop');
    const ncText = params.get('nc') ?? '';
    const cnonce = params.get('cnonce') ?? '';
    if (!this.config.algorithms.includes(algorithm))
      return { kind: 'challenge', stale: false, unchecked: NOT_OFFERED };
    if (uri === undefined) return { kind: 'bad-request', reason: 'Authorization has no uri parameter' };
    // The Request-URI the client signed: as it sent it (a tel: one is rewritten before this, telToSip).
    if (!sameUri(uri, req.receivedUri) && !(this.isServer !== undefined && namesServer(uri, this.isServer)))
      return { kind: 'bad-request', reason: 'Authorization uri does not match the Request-URI' };
    const nonceState = this.nonces.inspect(nonce, sourceAddress);
    if (nonceState.check === 'invalid')
      return { kind: 'challenge', stale: false, unchecked: nonce === '' ? EMPTY_CREDENTIALS : NOT_OUR_NONCE };
    if (nonceState.check === 'foreign')
      return { kind: 'challenge', stale: false, unchecked: foreignNonce(nonceState.issuedTo) };

    const pairLocked = held === undefined ? 0 : this.lockout.lockedFor(held, account);
    if (pairLocked > 0) return this.refused(sourceAddress, pairLocked);

    const creds = this.users.credentials(username);
    if (qop === undefined && this.config.rfc2069 === true) {
      return this.checkRfc2069(req, params, creds, nonceState, held);
    }
    const nc = /^[0-9a-fA-F]{8}$/.test(ncText) ? parseInt(ncText, 16) : -1;
    const expected = digestResponse({
      algorithm,
      ha1: (creds ?? { ha1: NOBODY_HA1 }).ha1[algorithm],
      method: req.method,
      uri,
      nonce,
      nc: ncText,
      cnonce,
    });
    const correct =
      creds !== undefined &&
      creds.realm === this.config.realm &&
      qop === 'auth' &&
      nc > 0 &&
      cnonce !== '' &&
      equalHex(response, expected);
    if (!correct)
      return this.failed(
        held,
        account,
        failureCause(creds, this.config.realm, qop !== 'auth' || nc <= 0 || cnonce === ''),
      );
    if (nonceState.check === 'stale') return { kind: 'challenge', stale: true };
    if (!this.nonces.useCount(nonceState.slot, nc))
      return this.failed(held, account, 'nonce count not above the last one (a replay?)');
    if (held !== undefined) this.lockout.succeed(held, account);
    if (creds.status !== 'ACTIVE') return { kind: 'forbidden', reason: `Account ${creds.status}` };
    return { kind: 'ok', username: account };
  }

  /**
   * RFC 2069 form (no qop, cnonce, nc): response = H(HA1:nonce:H(method:uri)). Without a nonce-count
   * the nonce is spent by its first use (NonceIssuer.useOnce), so the same answer cannot be replayed.
   */
  private checkRfc2069(
    req: SipRequest,
    params: Map<string, string>,
    creds: ReturnType<CredentialLookup['credentials']>,
    nonceState: { check: NonceCheck; slot: number },
    held: string | undefined,
  ): AuthOutcome {
    const username = params.get('username') ?? '';
    const account = accountOf(username) ?? username;
    const algorithm = (params.get('algorithm') ?? 'MD5').toUpperCase() as DigestAlgorithm;
    const nonce = params.get('nonce') ?? '';
    const expected = digestResponse2069(
      algorithm,
      (creds ?? { ha1: NOBODY_HA1 }).ha1[algorithm],
      req.method,
      params.get('uri') ?? '',
      nonce,
    );
    const correct =
      creds !== undefined &&
      creds.realm === this.config.realm &&
      params.get('cnonce') === undefined &&
      params.get('nc') === undefined &&
      equalHex((params.get('response') ?? '').toLowerCase(), expected);
    const malformed = params.get('cnonce') !== undefined || params.get('nc') !== undefined;
    if (!correct) return this.failed(held, account, failureCause(creds, this.config.realm, malformed));
    if (nonceState.check === 'stale') return { kind: 'challenge', stale: true };
    if (!this.nonces.useOnce(nonceState.slot))
      return this.failed(held, account, 'nonce already used (a replay?)');
    if (held !== undefined) this.lockout.succeed(held, account);
    if (creds.status !== 'ACTIVE') return { kind: 'forbidden', reason: `Account ${creds.status}` };
    return { kind: 'ok', username: account };
  }

  /** A failure, counted against `held` (the source's address; undefined: our own agent's, not counted). */
  private failed(held: string | undefined, username: string, cause: string): AuthOutcome {
    this.failures?.inc();
    const scope = held === undefined ? undefined : this.lockout.fail(held, username);
    if (scope === undefined || held === undefined)
      return { kind: 'challenge', stale: false, failed: true, cause };
    const seconds = this.config.lockout.lockSeconds;
    // What is locked: the address, an IPv6 one's /64 (failure-key.ts), as DSP LOCKOUT lists it.
    this.watch?.locked(failureKey(held), username, scope, seconds);
    return { kind: 'locked', retryAfter: seconds };
  }

  private refused(sourceAddress: string, retryAfter: number): AuthOutcome {
    this.watch?.refused(sourceAddress);
    return { kind: 'locked', retryAfter };
  }
}

/**
 * Why credentials that were checked failed, in the operator's words (the log's; the answer is the same
 * challenge whatever it is). `malformed`: the digest's qop, nc or cnonce are not what its form needs.
 */
function failureCause(
  creds: ReturnType<CredentialLookup['credentials']>,
  realm: string,
  malformed: boolean,
): string {
  if (creds === undefined) return 'no such user';
  if (creds.realm !== realm) return `the user's password is for realm ${creds.realm}, not ${realm}`;
  if (malformed) return 'qop, nc or cnonce missing or malformed';
  return 'wrong password (the digest response does not match)';
}
