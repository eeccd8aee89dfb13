// The Digest response computation (RFC 7616 §3.4.1, qop=auth; RFC 8760 for SHA-256), shared by the
// server's check and IMS Lab's own client (the dialer, and tests of SHA-256, which SIPp 3.6 lacks).
import { digestHash, ha1 as makeHa1, type DigestAlgorithm } from './ha1';
import { parseAuthHeader, quoted } from './auth-params';
import { randomToken } from '../message/ids';
import { fromWire } from '../message/message';

export interface DigestInputs {
  algorithm: DigestAlgorithm;
  ha1: string;
  method: string;
  uri: string;
  nonce: string;
  /** qop=auth: nonce-count (8 hex digits) and client nonce. */
  nc: string;
  cnonce: string;
}

/** response = H(HA1:nonce:nc:cnonce:auth:H(method:uri)). */
export function digestResponse(d: DigestInputs): string {
  const ha2 = digestHash(d.algorithm, `${d.method}:${d.uri}`);
  return digestHash(d.algorithm, `${d.ha1}:${d.nonce}:${d.nc}:${d.cnonce}:auth:${ha2}`);
}

/** RFC 2069 §2.1.1 (no qop): response = H(HA1:nonce:H(method:uri)). */
export function digestResponse2069(
  algorithm: DigestAlgorithm,
  ha1: string,
  method: string,
  uri: string,
  nonce: string,
): string {
  return digestHash(algorithm, `${ha1}:${nonce}:${digestHash(algorithm, `${method}:${uri}`)}`);
}

export interface ClientCredentials {
  username: string;
  password: string;
}

/**
 * A client's Authorization (or Proxy-Authorization) value answering one challenge, choosing the
 * topmost challenge whose algorithm it supports (RFC 8760 §2.4). Undefined when none is usable.
 * `challenges` are header values as received (bytes as latin1 chars): read as UTF-8 (RFC 3261 §25.1),
 * so that a non-ASCII realm hashes to its UTF-8 bytes and is written back as the same bytes.
 */
export function answerChallenge(
  challenges: readonly string[],
  creds: ClientCredentials,
  method: string,
  uri: string,
  nc = 1,
): string | undefined {
  for (const value of challenges) {
    const ch = parseAuthHeader(fromWire(value));
    if (ch === undefined || ch.scheme.toLowerCase() !== 'digest') continue;
    const algorithm = (ch.params.get('algorithm') ?? 'MD5').toUpperCase();
    if (algorithm !== 'MD5' && algorithm !== 'SHA-256') continue;
    const qops = (ch.params.get('qop') ?? '').split(',').map((q) => q.trim());
    if (!qops.includes('auth')) continue;
    const realm = ch.params.get('realm') ?? '';
    const nonce = ch.params.get('nonce') ?? '';
    const cnonce = randomToken(16);
    const ncText = nc.toString(16).padStart(8, '0');
    const response = digestResponse({
      algorithm,
      ha1: makeHa1(algorithm, creds.username, realm, creds.password),
      method,
      uri,
      nonce,
      nc: ncText,
      cnonce,
    });
    const opaque = ch.params.get('opaque');
    return (
      `Digest username=${quoted(creds.username)}, realm=${quoted(realm)}, nonce=${quoted(nonce)}, uri=${quoted(uri)}, ` +
      `response=${quoted(response)}, algorithm=${algorithm}, cnonce=${quoted(cnonce)}, qop=auth, nc=${ncText}` +
      (opaque !== undefined ? `, opaque=${quoted(opaque)}` : '')
    );
  }
  return undefined;
}
