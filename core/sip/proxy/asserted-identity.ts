// IMS Lab as the edge of a trust domain to its phones (PROXY.ASSERT_IDENTITY=YES; off by default, when
// P-Asserted-Identity, P-Preferred-Identity and Privacy go on as sent). RFC 3325 (and 3GPP TS 24.229
// §5.2.6.3.3/§5.2.6.3.4, the P-CSCF facing its UEs), with IMS Lab the only member of the trust domain
// (no peer is declared trusted):
//  - §5: a P-Asserted-Identity from an untrusted node (every phone, every other server) is never passed
//    on. A request whose sender IMS Lab authenticated (digest, §22.3 of RFC 3261) gets one: that user's
//    identity, sip:user@SIP.DOMAIN;
//  - §6: a P-Preferred-Identity naming one of that user's identities (sip:/sips: user at a domain of ours,
//    tel: its number) selects it instead; the P-Preferred-Identity is always removed;
//  - §7: with Privacy: id the asserted identity goes to no untrusted node, so to no next hop here (the
//    Privacy header stays, for the callee to know the caller withheld its identity, RFC 3323 §4.2);
//  - responses: a callee's answer is not authenticated (no security association binds it to the
//    callee's registration, as a P-CSCF's IPsec or TLS does, TS 33.203), so its P-Asserted-Identity
//    and P-Preferred-Identity are removed, and none is asserted for it.
import {
  parseNameAddrList,
  unescape,
  type NameAddr,
  type SipMessage,
  type SipRequest,
} from '../message/index';
import type { LocalIdentity } from './local-identity';

const PAI = 'p-asserted-identity';
const PPI = 'p-preferred-identity';

/** Does this URI name `user` (one of its identities: a domain of ours, or its number)? */
function namesUser(na: NameAddr, user: string, me: LocalIdentity): boolean {
  const uri = na.uri;
  if (uri.kind === 'sip') return unescape(uri.user ?? '') === user && me.isOurDomain(uri);
  if (uri.kind === 'tel') return uri.number.replace(/[-.()]/g, '') === user; // RFC 3966 §5.1.1
  return false;
}

/** The first value of a header (PPI, PAI) naming one of `user`'s identities, as a header value. */
function preferred(req: SipRequest, header: string, user: string, me: LocalIdentity): string | undefined {
  if (!req.has(header)) return undefined;
  for (const line of req.headerValues(header)) {
    const values = parseNameAddrList(line, header === PPI ? 'P-Preferred-Identity' : 'P-Asserted-Identity');
    if (values === null) continue; // unreadable: ignored, and removed below
    for (const na of values) {
      try {
        if (!namesUser(na, user, me)) continue;
      } catch {
        continue; // a bad URI names nobody
      }
      return na.displayName === undefined ? `<${na.uriText}>` : `${na.displayName} <${na.uriText}>`;
    }
  }
  return undefined;
}

/**
 * A request as it arrived from a phone or another server: whatever identity it claims is removed, and
 * for a sender authenticated as `user` (its AOR `aor`) the identity IMS Lab asserts is put on. A spiral
 * (the user's request back from the hop we sent it to, RFC 3261 §16.3 step 4) keeps the one of that
 * user's identities it carries (chosen by its P-Preferred-Identity on the first pass). Returns whether
 * one was asserted.
 */
export function assertIdentity(
  req: SipRequest,
  user: string | undefined,
  aor: string | undefined,
  me: LocalIdentity,
  spiral = false,
): boolean {
  const chosen =
    user === undefined
      ? undefined
      : (preferred(req, PPI, user, me) ?? (spiral ? preferred(req, PAI, user, me) : undefined));
  req.removeHeader(PAI);
  req.removeHeader(PPI);
  if (user === undefined || aor === undefined) return false;
  req.appendHeader('P-Asserted-Identity', chosen ?? `<${aor}>`);
  return true;
}

/** RFC 3323 §4.2 priv-values (";"-separated; "," too, as lines may be folded into one list). */
function privacyId(req: SipRequest): boolean {
  for (const value of req.headerValues('privacy'))
    for (const v of value.split(/[;,]/)) if (v.trim().toLowerCase() === 'id') return true;
  return false;
}

/** RFC 3325 §7: Privacy: id keeps the asserted identity from every untrusted next hop (all of ours). */
export function hideWithheldIdentity(req: SipRequest): void {
  if (req.has(PAI) && req.has('privacy') && privacyId(req)) req.removeHeader(PAI);
}

/** A response from a callee (untrusted, unauthenticated): no identity of its goes upstream. */
export function dropClaimedIdentity(msg: SipMessage): void {
  msg.removeHeader(PAI);
  msg.removeHeader(PPI);
}
