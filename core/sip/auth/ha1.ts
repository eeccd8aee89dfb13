// HA1 = H(username ":" realm ":" password) for the digest algorithms IMS Lab offers (RFC 7616 §3.4.2,
// RFC 8760). Stored instead of passwords, one per algorithm, for the realm they were computed for.
import { createHash } from 'node:crypto';

export type DigestAlgorithm = 'MD5' | 'SHA-256';
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'SHA-256'];

const HASH: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256' };

/** Lower-case hex H(data) for a digest algorithm. */
export function digestHash(algorithm: DigestAlgorithm, data: string): string {
  return createHash(HASH[algorithm]).update(data, 'utf8').digest('hex');
}

export function ha1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return digestHash(algorithm, `${username}:${realm}:${password}`);
}
