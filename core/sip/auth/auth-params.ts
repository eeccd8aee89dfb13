// The Digest challenge/credentials syntax (RFC 3261 §25.1, RFC 7616 §3.3-3.4): a scheme token, then
// comma-separated auth-params, each name=token or name=quoted-string. Names are case-insensitive.
import { TOKEN } from '../message/chars';

export interface AuthHeader {
  /** The scheme as written ("Digest"); compare case-insensitively. */
  scheme: string;
  /** Parameter values with quotes and quoted-pairs removed, by lower-case name. */
  params: Map<string, string>;
}

/** Parses a WWW-Authenticate / Authorization value; undefined when it is not well-formed. */
export function parseAuthHeader(value: string): AuthHeader | undefined {
  let i = 0;
  const n = value.length;
  const skipWs = (): void => {
    while (i < n && (value[i] === ' ' || value[i] === '\t')) i++;
  };
  const token = (): string => {
    const start = i;
    while (i < n) {
      const c = value.charCodeAt(i);
      if (c >= 128 || TOKEN[c] === 0) break;
      i++;
    }
    return value.slice(start, i);
  };
  skipWs();
  const scheme = token();
  if (scheme === '') return undefined;
  const params = new Map<string, string>();
  skipWs();
  while (i < n) {
    const name = token().toLowerCase();
    if (name === '') return undefined;
    skipWs();
    if (value[i] !== '=') return undefined;
    i++;
    skipWs();
    let v: string;
    if (value[i] === '"') {
      i++;
      v = '';
      while (i < n && value[i] !== '"') {
        if (value[i] === '\\' && i + 1 < n) i++;
        v += value[i];
        i++;
      }
      if (i >= n) return undefined;
      i++;
    } else {
      v = token();
      if (v === '') return undefined;
    }
    params.set(name, v);
    skipWs();
    if (i < n) {
      if (value[i] !== ',') return undefined;
      i++;
      skipWs();
    }
  }
  return { scheme, params };
}

/** Writes an auth-param value quoted (for realm, nonce, etc.). */
export function quoted(v: string): string {
  return `"${v.replace(/(["\\])/g, '\\$1')}"`;
}
