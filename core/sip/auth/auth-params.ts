// The Digest challenge/credentials syntax (RFC 3261 §25.1, RFC 7616 §3.3-3.4): a scheme token, then
// comma-separated auth-params, each name=token or name=quoted-string. Names are case-insensitive.
import { TOKEN } from '../message/chars';
import { unquote } from '../message/scanner';

export interface AuthHeader {
  /** The scheme as written ("Digest"); compare case-insensitively. */
  scheme: string;
  /** Parameter values with quotes and quoted-pairs removed, by lower-case name. */
  params: Map<string, string>;
}

const SP = 0x20;
const HT = 0x09;
const DQUOTE = 0x22;
const BACKSLASH = 0x5c;

function skipWs(value: string, i: number): number {
  for (let c = value.charCodeAt(i); c === SP || c === HT; c = value.charCodeAt(++i));
  return i;
}

function tokenEnd(value: string, i: number): number {
  for (let c = value.charCodeAt(i); c < 128 && TOKEN[c] !== 0; c = value.charCodeAt(++i));
  return i;
}

/** From just inside a quoted-string: the index of its closing quote, quoted-pairs skipped; -1 if none. */
function closingQuote(value: string, i: number): number {
  while (i < value.length) {
    const c = value.charCodeAt(i);
    if (c === DQUOTE) return i;
    i += c === BACKSLASH ? 2 : 1;
  }
  return -1;
}

/**
 * Parses a WWW-Authenticate / Authorization value; undefined when it is not well-formed. A quoted value is
 * one slice (its quoted-pairs, §25.1, undone only when it has any): an Authorization is parsed per request.
 */
export function parseAuthHeader(value: string): AuthHeader | undefined {
  const n = value.length;
  let i = skipWs(value, 0);
  let end = tokenEnd(value, i);
  const scheme = value.slice(i, end);
  if (scheme === '') return undefined;
  const params = new Map<string, string>();
  i = skipWs(value, end);
  while (i < n) {
    end = tokenEnd(value, i);
    if (end === i) return undefined;
    const name = value.slice(i, end).toLowerCase();
    i = skipWs(value, end);
    if (value.charCodeAt(i) !== 0x3d) return undefined; // =
    i = skipWs(value, i + 1);
    let v: string;
    if (value.charCodeAt(i) === DQUOTE) {
      end = closingQuote(value, i + 1);
      if (end < 0) return undefined;
      v = unquote(value.slice(i, end + 1));
      i = end + 1;
    } else {
      end = tokenEnd(value, i);
      if (end === i) return undefined;
      v = value.slice(i, end);
      i = end;
    }
    params.set(name, v);
    i = skipWs(value, i);
    if (i < n) {
      if (value.charCodeAt(i) !== 0x2c) return undefined; // ,
      i = skipWs(value, i + 1);
    }
  }
  return { scheme, params };
}

/** Writes an auth-param value quoted (for realm, nonce, etc.). */
export function quoted(v: string): string {
  // A nonce or realm seldom holds a quote or backslash (RFC 3261 §25.1's quoted-pair): no regex pass then.
  if (v.indexOf('"') < 0 && v.indexOf('\\') < 0) return `"${v}"`;
  return `"${v.replace(/(["\\])/g, '\\$1')}"`;
}
