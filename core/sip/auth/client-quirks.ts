// Interoperability with phones that cannot take a challenge they do not understand. RFC 8760 §2.4: a
// UAC picks the first challenge whose algorithm it supports and ignores the others. libre before 2.0
// (baresip 1.x, still Debian 12's baresip) instead fails the whole request with ENOSYS as soon as a
// 401/407 carries an algorithm other than MD5, so such a phone is offered only the MD5 challenge.
// JsSIP 3.x and SIP.js 0.21 (browser softphones over WebSocket) keep only the last WWW-Authenticate or
// Proxy-Authenticate and give up unless its algorithm is MD5: they are offered only the MD5 challenge too.
// Web phones often set a User-Agent of their own, so every client whose request came over a WebSocket
// (its Via says WS or WSS, RFC 7118 §5) is taken for one of them.
import type { DigestAlgorithm } from './ha1';

const MD5_ONLY = /^(baresip v[01]\.|JsSIP \d|SIP\.js\/)/i;

/** The algorithms to challenge this client with, in order, from the configured ones. */
export function algorithmsFor(
  configured: readonly DigestAlgorithm[],
  userAgent: string | undefined,
  viaTransport?: string,
): DigestAlgorithm[] {
  if (!configured.includes('MD5')) return [...configured];
  if (viaTransport === 'WS' || viaTransport === 'WSS') return ['MD5'];
  if (userAgent !== undefined && MD5_ONLY.test(userAgent)) return ['MD5'];
  return [...configured];
}
