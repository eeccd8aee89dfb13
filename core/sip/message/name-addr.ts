// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1): From, To, Contact, Route,
// Record-Route, Reply-To, Refer-To... A URI outside "<>" ends at ";", "," or LWS, and its ";" parameters
// belong to the header (§20.10; RFC 4475 §3.3.12), so such a URI may not carry "?" headers (§3.1.2.13).
// The URI itself is decoded on first use: a proxy reads the tags of From and To, never their URIs.
import { paramsAt, quotedEndAt, skipWsAt, tokenEndAt } from './byte-scan';
import { GENVALUE, URIC, latin1Bytes } from './chars';
import { headerError } from './errors';
import { paramValue, quote, unquote, type Param } from './scanner';
import { parseUri, type Uri } from './uri';

export class NameAddr {
  private parsedUri: Uri | undefined;

  constructor(
    /** Display name as written: a quoted-string with its quotes, or tokens; undefined when absent. */
    readonly displayName: string | undefined,
    /** The URI exactly as written. */
    readonly uriText: string,
    /** Header parameters (tag, expires, q, ...) as written. */
    readonly params: readonly Param[],
    /** Was the URI inside "<>"? */
    readonly bracketed: boolean,
    /** The value exactly as written. */
    readonly raw: string,
    /** Header display name for error reasons, e.g. "Contact". */
    readonly header: string,
  ) {}

  /** The tag parameter (From/To), undefined when absent. */
  get tag(): string | undefined {
    return this.params.length === 0 ? undefined : (paramValue(this.params, 'tag') ?? undefined);
  }

  /** The decoded URI; throws SipParseError (naming the header) when malformed. */
  get uri(): Uri {
    if (this.parsedUri === undefined) {
      const u = parseUri(this.uriText);
      if (u === null) throw headerError(this.header.toLowerCase(), this.header, 'bad URI');
      if (!this.bracketed && u.kind === 'sip' && u.headers !== undefined) {
        throw headerError(this.header.toLowerCase(), this.header, 'a URI with headers must be in <>');
      }
      this.parsedUri = u;
    }
    return this.parsedUri;
  }

  /** The display name as text: quotes and quoted-pairs removed, UTF-8 decoded. */
  get displayText(): string | undefined {
    if (this.displayName === undefined) return undefined;
    return Buffer.from(unquote(this.displayName), 'latin1').toString('utf8');
  }
}

/** Where the last nameAddrAt() stopped: a result slot instead of a tuple. */
let nameAddrEnd = 0;

/**
 * One name-addr / addr-spec with its parameters in s[pos, end), whose chars b holds as bytes; null on a
 * syntax error, else the value, with nameAddrEnd set after it.
 */
function nameAddrAt(
  s: string,
  b: Uint8Array,
  pos: number,
  end: number,
  inList: boolean,
  header: string,
): NameAddr | null {
  const start = skipWsAt(b, pos, end);
  let i = start;
  let displayName: string | undefined;
  let c = i < end ? b[i]! : -1;
  if (c === 0x22) {
    i = quotedEndAt(b, i, end);
    if (i < 0) return null;
    displayName = s.slice(start, i);
    i = skipWsAt(b, i, end);
    if (i >= end || b[i] !== 0x3c) return null;
  } else if (c !== 0x3c) {
    // display-name = *(token LWS): tokens followed by "<"; otherwise this is an addr-spec.
    let last = i;
    for (;;) {
      const te = tokenEndAt(b, i, end);
      if (te === i) break;
      last = te;
      i = skipWsAt(b, te, end);
    }
    if (i < end && b[i] === 0x3c && last > start) displayName = s.slice(start, last);
    else i = start;
  }
  c = i < end ? b[i]! : -1;
  let uriStart: number;
  let uriEnd: number;
  let bracketed = false;
  if (c === 0x3c) {
    uriStart = i + 1;
    uriEnd = s.indexOf('>', uriStart);
    if (uriEnd < 0 || uriEnd >= end) return null;
    i = uriEnd + 1;
    bracketed = true;
  } else {
    uriStart = i;
    uriEnd = uriStart;
    while (uriEnd < end) {
      const d = b[uriEnd]!;
      if (d === 0x3b || d === 0x20 || d === 0x09 || (inList && d === 0x2c)) break;
      // §20.10: a URI holding "," or "?" must be in <> (RFC 4475 §3.1.2.13).
      if (d === 0x2c || d === 0x3f) return null;
      uriEnd++;
    }
    i = uriEnd;
  }
  // The URI's shape: scheme ":" then URI characters, no LWS (LAQUOT/RAQUOT allow none inside, RFC 4475
  // §3.1.2.14). Its full grammar is checked when it is decoded.
  if (!uriShape(b, uriStart, uriEnd)) return null;
  const params: Param[] = [];
  i = paramsAt(s, b, i, end, GENVALUE, params);
  if (i < 0) return null;
  nameAddrEnd = i;
  return new NameAddr(displayName, s.slice(uriStart, uriEnd), params, bracketed, s.slice(start, i), header);
}

function uriShape(b: Uint8Array, from: number, to: number): boolean {
  if (to - from < 3) return false;
  const c0 = b[from]! | 0x20;
  if (c0 < 0x61 || c0 > 0x7a) return false;
  let colon = false;
  for (let i = from + 1; i < to; i++) {
    const c = b[i]!;
    if (c === 0x3a) colon = true;
    else if (c >= 128 || (URIC[c] === 0 && c !== 0x25 && c !== 0x23)) return false;
  }
  return colon;
}

/**
 * A single name-addr header value (From, To, Refer-To...); null on a syntax error or trailing text.
 * The value may be read in place, as value[from, to) (a message's header text), with `bytes` holding
 * the same chars as bytes when the caller has them.
 */
export function parseNameAddr(
  value: string,
  header: string,
  from = 0,
  to = value.length,
  bytes: Uint8Array = latin1Bytes(value),
): NameAddr | null {
  const na = nameAddrAt(value, bytes, from, to, false, header);
  if (na === null) return null;
  return skipWsAt(bytes, nameAddrEnd, to) >= to ? na : null;
}

/** A comma-separated list of name-addrs (Contact, Route, Record-Route); null on a syntax error. */
export function parseNameAddrList(
  value: string,
  header: string,
  into: NameAddr[] = [],
  from = 0,
  to = value.length,
  bytes: Uint8Array = latin1Bytes(value),
): NameAddr[] | null {
  let pos = from;
  for (;;) {
    const na = nameAddrAt(value, bytes, pos, to, true, header);
    if (na === null) return null;
    into.push(na);
    pos = skipWsAt(bytes, nameAddrEnd, to);
    if (pos >= to) return into;
    if (bytes[pos] !== 0x2c) return null;
    pos++;
  }
}

/** Writes a name-addr: optional display name (quoted when needed), the URI in brackets, params. */
export function formatNameAddr(uri: string, params: readonly Param[] = [], display?: string): string {
  let out = '';
  if (display !== undefined && display !== '') {
    out += /^[A-Za-z0-9\-.!%*_+`'~]+$/.test(display) ? `${display} ` : `${quote(display)} `;
  }
  out += `<${uri}>`;
  for (const p of params) out += p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`;
  return out;
}
