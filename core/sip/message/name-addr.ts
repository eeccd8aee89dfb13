// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §25.1): From, To, Contact, Route,
// Record-Route, Reply-To, Refer-To... A URI outside "<>" ends at ";", "," or LWS, and its ";" parameters
// belong to the header (§20.10; RFC 4475 §3.3.12), so such a URI may not carry "?" headers (§3.1.2.13).
// The URI itself is decoded on first use: a proxy reads the tags of From and To, never their URIs.
import { GENVALUE, URIC } from './chars';
import { headerError } from './errors';
import { Scanner, paramValue, quote, unquote, type Param } from './scanner';
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

/** Reads one name-addr / addr-spec with its parameters at the scanner; null on a syntax error. */
export function nameAddrAt(sc: Scanner, inList: boolean, header: string): NameAddr | null {
  sc.skipWs();
  const s = sc.s;
  const start = sc.pos;
  let displayName: string | undefined;
  let c = sc.peek();
  if (c === 0x22) {
    const q = sc.quoted();
    if (q === null) return null;
    displayName = q;
    sc.skipWs();
    if (sc.peek() !== 0x3c) return null;
  } else if (c !== 0x3c) {
    // display-name = *(token LWS): tokens followed by "<"; otherwise this is an addr-spec.
    let last = sc.pos;
    while (sc.token() !== '') {
      last = sc.pos;
      sc.skipWs();
    }
    if (sc.peek() === 0x3c && last > start) displayName = s.slice(start, last);
    else sc.pos = start;
  }
  c = sc.peek();
  let uriStart: number;
  let uriEnd: number;
  let bracketed = false;
  if (c === 0x3c) {
    uriStart = sc.pos + 1;
    uriEnd = s.indexOf('>', uriStart);
    if (uriEnd < 0 || uriEnd >= sc.end) return null;
    sc.pos = uriEnd + 1;
    bracketed = true;
  } else {
    uriStart = sc.pos;
    uriEnd = uriStart;
    while (uriEnd < sc.end) {
      const d = s.charCodeAt(uriEnd);
      if (d === 0x3b || d === 0x20 || d === 0x09 || (inList && d === 0x2c)) break;
      // §20.10: a URI holding "," or "?" must be in <> (RFC 4475 §3.1.2.13).
      if (d === 0x2c || d === 0x3f) return null;
      uriEnd++;
    }
    sc.pos = uriEnd;
  }
  // The URI's shape: scheme ":" then URI characters, no LWS (LAQUOT/RAQUOT allow none inside, RFC 4475
  // §3.1.2.14). Its full grammar is checked when it is decoded.
  if (!uriShape(s, uriStart, uriEnd)) return null;
  const params = sc.params(GENVALUE);
  if (params === null) return null;
  return new NameAddr(
    displayName,
    s.slice(uriStart, uriEnd),
    params,
    bracketed,
    s.slice(start, sc.pos),
    header,
  );
}

function uriShape(s: string, from: number, to: number): boolean {
  const c0 = s.charCodeAt(from) | 0x20;
  if (to - from < 3 || c0 < 0x61 || c0 > 0x7a) return false;
  let colon = false;
  for (let i = from + 1; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) colon = true;
    else if (c >= 128 || (URIC[c] === 0 && c !== 0x25 && c !== 0x23)) return false;
  }
  return colon;
}

/**
 * A single name-addr header value (From, To, Refer-To...); null on a syntax error or trailing text.
 * The value may be read in place, as value[from, to) (a message's header text).
 */
export function parseNameAddr(value: string, header: string, from = 0, to = value.length): NameAddr | null {
  const sc = new Scanner(value, from, to);
  const na = nameAddrAt(sc, false, header);
  if (na === null) return null;
  sc.skipWs();
  return sc.atEnd() ? na : null;
}

/** A comma-separated list of name-addrs (Contact, Route, Record-Route); null on a syntax error. */
export function parseNameAddrList(
  value: string,
  header: string,
  into: NameAddr[] = [],
  from = 0,
  to = value.length,
): NameAddr[] | null {
  const sc = new Scanner(value, from, to);
  for (;;) {
    const na = nameAddrAt(sc, true, header);
    if (na === null) return null;
    into.push(na);
    sc.skipWs();
    if (sc.atEnd()) return into;
    if (sc.peek() !== 0x2c) return null;
    sc.pos++;
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
