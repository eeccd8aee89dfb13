// Header fields whose value is a number, a word, a token list or a media type (RFC 3261 §20).
// Each parser returns undefined on a syntax error; the message turns that into a typed error.
import { DIGIT, GENVALUE, TOKEN, WORD, latin1Bytes } from './chars';
import { Scanner, type Param } from './scanner';

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

export interface MediaType {
  /** Lower-case type and subtype, e.g. "application" / "sdp". */
  readonly type: string;
  readonly subtype: string;
  readonly params: readonly Param[];
}

/** 1*DIGIT at most `max` (2^32-1 fits exactly in a double). */
function number(s: string, from: number, to: number, max: number): number | undefined {
  if (from >= to) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (DIGIT[c] !== 1) return undefined;
    n = n * 10 + (c - 0x30);
    if (n > max) return undefined;
  }
  return n;
}

const UINT32_MAX = 0xffffffff;

/**
 * CSeq = 1*DIGIT LWS Method; the number must fit 32 bits (§8.1.1.5, RFC 4475 §3.1.2.4). The value may be
 * read in place, as v[from, to) with b holding the same chars as bytes.
 */
export function parseCSeq(
  v: string,
  from = 0,
  to = v.length,
  b: Uint8Array = latin1Bytes(v),
): CSeq | undefined {
  let i = from;
  let seq = 0;
  for (; i < to; i++) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) break;
    seq = seq * 10 + d;
    if (seq > UINT32_MAX) return undefined;
  }
  if (i === from) return undefined;
  const ws = i;
  while (i < to && (b[i] === 0x20 || b[i] === 0x09)) i++;
  if (i === ws) return undefined;
  const ms = i;
  while (i < to) {
    const c = b[i]!;
    if (c >= 128 || TOKEN[c] === 0) break;
    i++;
  }
  const me = i;
  while (i < to && (b[i] === 0x20 || b[i] === 0x09)) i++;
  if (me === ms || i !== to) return undefined;
  return { seq, method: v.slice(ms, me) };
}

/** Max-Forwards = 1*DIGIT, 0..255 (§20.22). */
export function parseMaxForwards(v: string): number | undefined {
  return number(v, 0, v.length, 255);
}

/** Content-Length = 1*DIGIT (§20.14). Messages beyond 2^31 bytes are never valid here. */
export function parseContentLength(v: string): number | undefined {
  return number(v, 0, v.length, 0x7fffffff);
}

/** parseContentLength() of b[from, to), a value read where it lies in a message's bytes. */
export function contentLengthAt(b: Uint8Array, from: number, to: number): number | undefined {
  if (from >= to) return undefined;
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = b[i]! - 0x30;
    if (d < 0 || d > 9) return undefined;
    n = n * 10 + d;
    if (n > 0x7fffffff) return undefined;
  }
  return n;
}

/** delta-seconds = 1*DIGIT, 0..2^32-1 (§20.19 Expires, §20.23 Min-Expires). */
export function parseDeltaSeconds(v: string): number | undefined {
  return number(v, 0, v.length, UINT32_MAX);
}

/** callid = word ["@" word] (§25.1) in b[from, to). */
export function isCallId(b: Uint8Array, from: number, to: number): boolean {
  const at = wordEnd(b, from, to);
  if (at === from) return false;
  if (at === to) return true;
  if (b[at] !== 0x40) return false;
  const after = wordEnd(b, at + 1, to);
  return after > at + 1 && after === to;
}

/** word = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~" / ... ) (§25.1). */
function wordEnd(b: Uint8Array, i: number, to: number): number {
  while (i < to) {
    const c = b[i]!;
    if (c >= 128 || WORD[c] === 0) break;
    i++;
  }
  return i;
}

const RFC1123 =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;

/** SIP-date = rfc1123-date, which is always in GMT (§20.17, RFC 4475 §3.1.2.12). */
export function parseSipDate(v: string): Date | undefined {
  const m = RFC1123.exec(v);
  if (!m) return undefined;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t);
}

/** A comma-separated list of tokens (Require, Proxy-Require, Supported, Unsupported, Allow). */
export function parseTokenList(v: string, allowEmpty: boolean): string[] | undefined {
  const out: string[] = [];
  const sc = new Scanner(v);
  sc.skipWs();
  if (sc.atEnd()) return allowEmpty ? out : undefined;
  for (;;) {
    const t = sc.token();
    if (t === '') return undefined;
    out.push(t);
    sc.skipWs();
    if (sc.atEnd()) return out;
    if (sc.peek() !== 0x2c) return undefined;
    sc.pos++;
    sc.skipWs();
  }
}

/** media-type = m-type SLASH m-subtype *(SEMI m-parameter) (§20.15). */
export function parseMediaType(v: string): MediaType | undefined {
  const sc = new Scanner(v);
  sc.skipWs();
  const type = sc.token();
  if (type === '' || !sc.eatSep(0x2f)) return undefined;
  const subtype = sc.token();
  if (subtype === '') return undefined;
  const params = sc.params(GENVALUE);
  sc.skipWs();
  if (params === null || !sc.atEnd()) return undefined;
  return { type: type.toLowerCase(), subtype: subtype.toLowerCase(), params };
}

/** Is the whole string a token (§25.1)? */
export function isToken(v: string): boolean {
  if (v.length === 0) return false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c >= 128 || TOKEN[c] === 0) return false;
  }
  return true;
}
