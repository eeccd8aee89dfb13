// Answering an authentication outcome, the same way for the registrar (401 / Authorization /
// WWW-Authenticate, RFC 3261 §22.4) and the proxy (407 / Proxy-Authorization / Proxy-Authenticate,
// §22.3): a challenge per configured algorithm, 403 for a disabled account or a locked-out source
// (with Retry-After), 400 for credentials that cannot be for this request.
import type { SipRequest } from '../message/index';
import type { ServerTransaction } from '../transaction/server-transaction';
import { addressPort } from '../../address-port';
import type { Peer } from '../transport/peer';
import type { DigestAuthenticator } from './authenticator';

export type AuthRole = 'registrar' | 'proxy';

/** The 403's reason phrase for a locked-out source. */
export const LOCKED_OUT = 'Forbidden (too many failed attempts)';

/** The user and method a request's credentials were for, for the log. */
/** The longest user name a log line shows whole. */
const MAX_SHOWN = 64;

export function whoseCredentials(req: SipRequest, header: string): string {
  // As UTF-8 text (RFC 3261 §25.1): a non-ASCII name is logged as its characters, not its bytes.
  const m = /username\s*=\s*"([^"]*)"/i.exec(req.headerText(header) ?? '');
  const name = m?.[1];
  // An empty name read as a blank ("failed for  (OPTIONS)"): said so. A long one (8,000 characters made
  // an 8 KB log line per attempt) is cut, saying how long it was.
  const chars = name === undefined ? [] : [...name]; // characters, not UTF-16 units: a cut splits no pair
  const shown =
    name === undefined
      ? '?'
      : name === ''
        ? '(empty user name)'
        : chars.length > MAX_SHOWN
          ? `${chars.slice(0, MAX_SHOWN).join('')}… (${chars.length} characters)`
          : name;
  return `${shown} (${req.method})`;
}

/** Where a request came from and which it is, as the SIP lines say it: `192.0.2.1:5062 (UDP), Call-ID abc`. */
function where(req: SipRequest, source: Peer): string {
  return `${addressPort(source.address, source.port)} (${source.transport}), Call-ID ${req.callId}`;
}

/**
 * The address-of-record the request is for (a REGISTER's To, §10.3; another request's From) when its
 * user is not the credentials' user name: `, AOR sip:1002@lab`; '' otherwise.
 */
function otherAor(req: SipRequest, role: AuthRole): string {
  const party = role === 'registrar' ? req.to : req.from;
  const uri = party.uri;
  const user = uri.kind === 'sip' ? (uri.user ?? '') : '';
  const m = /username\s*=\s*"([^"@]*)/i.exec(
    req.headerText(role === 'proxy' ? 'proxy-authorization' : 'authorization') ?? '',
  );
  return m === null || m[1] === user ? '' : `, AOR ${party.uriText}`;
}

/**
 * Checks the request's credentials; answers it and returns undefined unless they are good, in which
 * case it returns the authenticated username and sends nothing. `refused` hears the answers that refuse
 * the request (our realm's credentials that failed, a locked-out source, a disabled account), not the
 * challenge of a request without them (none, another realm's, an unknown nonce's) nor a stale nonce's
 * (RFC 7616 §3.3: the same credentials signed again pass), which are the normal way in.
 */
export function authenticate(
  auth: DigestAuthenticator,
  role: AuthRole,
  req: SipRequest,
  tx: ServerTransaction,
  source: Peer,
  refused?: (status: number, reason: string) => void,
): string | undefined {
  const proxy = role === 'proxy';
  const header = proxy ? 'proxy-authorization' : 'authorization';
  const outcome = auth.check(req, header, source);
  switch (outcome.kind) {
    case 'ok':
      return outcome.username;
    case 'challenge': {
      // A first request without credentials is the normal challenge, and so is one whose credentials
      // were not checked (an IMS UE's initial REGISTER with nonce="", TS 24.229 §5.1.1.2.1; another
      // realm's; an unknown nonce): said at DEBUG. Credentials checked and wrong are a failure.
      if (outcome.failed === true) {
        // The cause is the operator's alone: the answer below is the same challenge whatever it is.
        auth.log.info(
          `auth: failed for ${whoseCredentials(req, header)}${otherAor(req, role)} from ${where(req, source)}: ${outcome.cause ?? 'credentials refused'}`,
        );
      } else if (outcome.unchecked !== undefined && req.has(header)) {
        auth.log.debug(
          `auth: challenged ${whoseCredentials(req, header)} from ${where(req, source)}: ${outcome.unchecked}`,
        );
      }
      const name = proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
      const status = proxy ? 407 : 401;
      tx.reply(status, {
        headers: auth
          .challenges(source, outcome.stale, req.header('user-agent'), req.topVia.transport)
          .map((c) => [name, c] as const),
      });
      if (outcome.failed === true)
        refused?.(status, proxy ? 'Proxy Authentication Required' : 'Unauthorized');
      return undefined;
    }
    case 'locked':
      tx.reply(403, {
        reason: LOCKED_OUT,
        headers: [['Retry-After', String(outcome.retryAfter)]],
      });
      refused?.(403, LOCKED_OUT);
      return undefined;
    case 'forbidden':
      auth.log.info(
        `auth: refused ${whoseCredentials(req, header)} from ${where(req, source)}: ${outcome.reason}`,
      );
      tx.reply(403, { reason: `Forbidden (${outcome.reason})` });
      refused?.(403, `Forbidden (${outcome.reason})`);
      return undefined;
    case 'bad-request':
      tx.reply(400, { reason: outcome.reason });
      return undefined;
  }
}
