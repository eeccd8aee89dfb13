// Interoperability with phones that cannot take a challenge they do not understand. RFC 8760 §2.4: a
// UAC picks the first challenge whose algorithm it supports and ignores the others. libre before 2.0
// (baresip 1.x, still Debian 12's baresip) instead fails the whole request with ENOSYS as soon as a
// 401/407 carries an algorithm other than MD5, so such a phone is offered only the MD5 challenge.
// JsSIP (3.x, browser softphones over WebSocket) keeps only the last WWW-Authenticate of a 401 and gives
// up unless its algorithm is MD5: it is offered only the MD5 challenge too.
import type { DigestAlgorithm } from './ha1';

const MD5_ONLY = /^(baresip v[01]\.|JsSIP \d)/i;

/** The algorithms to challenge this client with, in order, from the configured ones. */
export function algorithmsFor(
  configured: readonly DigestAlgorithm[],
  userAgent: string | undefined,
): DigestAlgorithm[] {
  if (userAgent !== undefined && MD5_ONLY.test(userAgent) && configured.includes('MD5')) return ['MD5'];
  return [...configured];
}
