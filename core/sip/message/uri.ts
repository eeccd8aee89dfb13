// URIs in SIP (RFC 3261 §19.1, §25.1): SIP and SIPS URIs in full, TEL URIs (RFC 3966) loosely, and
// any other absoluteURI kept opaque (RFC 4475 §3.3.2-3.3.4: unknown schemes parse; the application
// decides, e.g. 416 for a Request-URI it cannot route).
import { isIPv4, isIPv6 } from 'node:net';
import {
  DIGIT,
  HEX,
  HNVCHAR,
  HOSTCHAR,
  PARAMCHAR,
  PASSWORD,
  SCHEME,
  TELCHAR,
  URIC,
  USER,
  hexValue,
} from './chars';
import type { Param } from './scanner';

export interface SipUri {
  readonly kind: 'sip';
  /** 'sip' or 'sips', lower-case. */
  readonly scheme: 'sip' | 'sips';
  /** user part as written (still %-escaped); undefined when the URI has no userinfo. */
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** host as written: a name, an IPv4 address, or an IPv6 reference with its brackets. */
  readonly host: string;
  readonly port: number | undefined;
  /** uri-parameters as written (names and values still escaped). */
  readonly params: readonly Param[];
  /** headers part after "?", as written; undefined when absent. */
  readonly headers: string | undefined;
  /** The URI exactly as it appeared. */
  readonly raw: string;
}

export interface TelUri {
  readonly kind: 'tel';
  readonly scheme: 'tel';
  readonly number: string;
  readonly params: readonly Param[];
  readonly raw: string;
}

export interface OtherUri {
  readonly kind: 'other';
  /** Lower-case scheme. */
  readonly scheme: string;
  readonly raw: string;
}

export type Uri = SipUri | TelUri | OtherUri;

/**
 * A number as the user part of a SIP URI (RFC 3261 §25.1: unreserved, user-unreserved, else escaped):
 * a service code such as *21# goes as *21%23.
 */
export function escapeUser(number: string): string {
  return number.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** "%" HEX HEX → the octet, as a char code 0..255 in the returned (latin1) string. */
export function unescape(s: string): string {
  if (s.indexOf('%') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length) {
      const h = hexValue(s.charCodeAt(i + 1));
      const l = hexValue(s.charCodeAt(i + 2));
      if (h >= 0 && l >= 0) {
        out += String.fromCharCode(h * 16 + l);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

/** Do all chars belong to `cls`, allowing %-escapes (with two hex digits)? Empty is allowed when `empty`. */
function escapedRun(cls: Uint8Array, s: string, from: number, to: number, empty = false): boolean {
  if (from >= to) return empty;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= to || HEX[s.charCodeAt(i + 1)] !== 1 || HEX[s.charCodeAt(i + 2)] !== 1) return false;
      i += 2;
    } else if (c >= 128 || cls[c] === 0) {
      return false;
    }
  }
  return true;
}

/** Parses "[" IPv6 "]" or a hostname / IPv4 address. Returns the index after the host, or -1. */
function hostEnd(s: string, from: number, to: number): number {
  if (s.charCodeAt(from) === 0x5b) {
    const close = s.indexOf(']', from);
    if (close < 0 || close >= to) return -1;
    // RFC 5118 §4.10: a reference with three colons before an embedded IPv4 address is refused,
    // following RFC 4291's IPv6 text form (RFC 3261's ABNF admits it by mistake).
    return isIPv6(s.slice(from + 1, close)) ? close + 1 : -1;
  }
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c >= 128 || HOSTCHAR[c] === 0) break;
    i++;
  }
  return i > from ? i : -1;
}

/** The port portAt() read last (undefined when there was none): a result slot instead of a tuple. */
let portRead: number | undefined;

/** Reads ":" port (1..5 digits, 0..65535) at `i` into portRead; returns the index after, or -1 on error. */
function portAt(s: string, i: number, to: number): number {
  portRead = undefined;
  if (i >= to || s.charCodeAt(i) !== 0x3a) return i;
  let j = i + 1;
  let port = 0;
  while (j < to && DIGIT[s.charCodeAt(j)] === 1) {
    port = port * 10 + (s.charCodeAt(j) - 0x30);
    j++;
  }
  if (j === i + 1 || j - i - 1 > 5 || port > 65535) return -1;
  portRead = port;
  return j;
}

/** ;name[=value] uri-parameters from `i` up to `to`; null on a syntax error. */
function uriParams(s: string, i: number, to: number, params: Param[]): number {
  while (i < to && s.charCodeAt(i) === 0x3b) {
    let j = i + 1;
    while (j < to) {
      const c = s.charCodeAt(j);
      if (c === 0x3b || c === 0x3f || c === 0x3d) break;
      j++;
    }
    if (!escapedRun(PARAMCHAR, s, i + 1, j)) return -1;
    const name = s.slice(i + 1, j);
    let value: string | null = null;
    if (j < to && s.charCodeAt(j) === 0x3d) {
      let k = j + 1;
      while (k < to) {
        const c = s.charCodeAt(k);
        if (c === 0x3b || c === 0x3f) break;
        k++;
      }
      if (!escapedRun(PARAMCHAR, s, j + 1, k)) return -1;
      value = s.slice(j + 1, k);
      j = k;
    }
    params.push({ name, value });
    i = j;
  }
  return i;
}

function parseSip(s: string, from: number, to: number, scheme: 'sip' | 'sips'): SipUri | null {
  let i = from;
  let user: string | undefined;
  let password: string | undefined;
  // userinfo: '@' can only appear once, escaped elsewhere (user, password, params and headers exclude it).
  const at = s.indexOf('@', i);
  if (at >= 0 && at < to) {
    const second = s.indexOf('@', at + 1);
    if (second >= 0 && second < to) return null;
    const colon = s.indexOf(':', i);
    const userEnd = colon >= 0 && colon < at ? colon : at;
    if (!escapedRun(USER, s, i, userEnd)) return null;
    user = s.slice(i, userEnd);
    if (userEnd < at) {
      if (!escapedRun(PASSWORD, s, userEnd + 1, at, true)) return null;
      password = s.slice(userEnd + 1, at);
    }
    i = at + 1;
  }
  const he = hostEnd(s, i, to);
  if (he < 0) return null;
  const host = s.slice(i, he);
  const afterPort = portAt(s, he, to);
  if (afterPort < 0) return null;
  const port = portRead;
  const params: Param[] = [];
  const afterParams = uriParams(s, afterPort, to, params);
  if (afterParams < 0) return null;
  let headers: string | undefined;
  if (afterParams < to) {
    if (s.charCodeAt(afterParams) !== 0x3f) return null;
    // headers = "?" header *("&" header); header = hname "=" hvalue
    headers = s.slice(afterParams + 1, to);
    for (const h of headers.split('&')) {
      const eq = h.indexOf('=');
      if (eq <= 0 || !escapedRun(HNVCHAR, h, 0, eq) || !escapedRun(HNVCHAR, h, eq + 1, h.length, true))
        return null;
    }
  }
  return {
    kind: 'sip',
    scheme,
    user,
    password,
    host,
    port,
    params,
    headers,
    raw: s.slice(from - scheme.length - 1, to),
  };
}

function parseTel(s: string, from: number, to: number): TelUri | null {
  let i = from;
  while (i < to && s.charCodeAt(i) !== 0x3b) i++;
  if (i === from) return null;
  for (let k = from; k < i; k++) {
    const c = s.charCodeAt(k);
    if (c >= 128 || TELCHAR[c] === 0) return null;
  }
  const params: Param[] = [];
  if (uriParams(s, i, to, params) !== to) return null;
  return { kind: 'tel', scheme: 'tel', number: s.slice(from, i), params, raw: s.slice(from - 4, to) };
}

/** Parses the URI occupying s[from, to). Returns null when it is not a valid URI. */
export function parseUri(s: string, from = 0, to = s.length): Uri | null {
  let i = from;
  const first = s.charCodeAt(i);
  if (!((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return null;
  while (i < to && SCHEME[s.charCodeAt(i)] === 1) i++;
  if (i >= to || s.charCodeAt(i) !== 0x3a) return null;
  const scheme = s.slice(from, i).toLowerCase();
  const rest = i + 1;
  if (rest >= to) return null;
  if (scheme === 'sip' || scheme === 'sips') return parseSip(s, rest, to, scheme);
  if (scheme === 'tel') return parseTel(s, rest, to);
  if (!escapedRun(URIC, s, rest, to)) return null;
  return { kind: 'other', scheme, raw: s.slice(from, to) };
}

/** The value of a uri-parameter, compared by unescaped, case-insensitive name (§19.1.4). */
export function uriParam(uri: SipUri | TelUri, name: string): string | null | undefined {
  for (const p of uri.params) {
    const n = p.name.indexOf('%') >= 0 ? unescape(p.name) : p.name;
    if (n.length === name.length && n.toLowerCase() === name)
      return p.value === null ? null : unescape(p.value);
  }
  return undefined;
}

/** The host without IPv6 brackets, lower-case: what a socket or a comparison needs. */
export function hostAddress(host: string): string {
  return (host.charCodeAt(0) === 0x5b ? host.slice(1, -1) : host).toLowerCase();
}

/** Is the host a literal IP address (not a name to resolve)? */
export function isIpHost(host: string): boolean {
  return host.charCodeAt(0) === 0x5b || isIPv4(host);
}

/** Writes a SIP URI from parts; params as given. */
export function formatSipUri(u: {
  scheme?: 'sip' | 'sips';
  user?: string | undefined;
  host: string;
  port?: number | undefined;
  params?: readonly Param[];
}): string {
  let out = `${u.scheme ?? 'sip'}:`;
  if (u.user !== undefined) out += `${u.user}@`;
  out += u.host.indexOf(':') >= 0 && u.host.charCodeAt(0) !== 0x5b ? `[${u.host}]` : u.host;
  if (u.port !== undefined) out += `:${u.port}`;
  if (u.params) for (const p of u.params) out += p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`;
  return out;
}
