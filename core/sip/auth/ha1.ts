// HA1 = H(username ":" realm ":" password) for the digest algorithms IMS Lab offers (RFC 7616 §3.4.2,
// RFC 8760). Stored instead of passwords, one per algorithm, for the realm they were computed for.
import { hash } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'SHA-256';
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'SHA-256'];

const HASH: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256' };

/**
 * Lower-case hex H(data) for a digest algorithm. The one-shot crypto.hash (Node 20.12) costs half of a
 * createHash()/update()/digest() chain for inputs this short: two of them per authenticated request.
 */
export function digestHash(algorithm: DigestAlgorithm, data: string): string {
  return hash(HASH[algorithm], data, 'hex');
}

export function ha1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}

/** HA1 for every algorithm IMS Lab offers: what is stored for a user, per realm. */
export function ha1Values(
  username: string,
  realm: string,
  password: string,
): Record<DigestAlgorithm, string> {
  return { MD5: ha1('MD5', username, realm, password), 'SHA-256': ha1('SHA-256', username, realm, password) };
}
