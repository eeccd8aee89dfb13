// Scanning a header value as bytes for the RFC 3261 §25 grammar. Decoders read a message's header text
// through its bytes (a typed-array load per char costs less than charCodeAt()) and slice the strings they
// keep from the text itself: b[i] is s.charCodeAt(i) wherever both are read. Folding has already been
// replaced by a single SP in anything read here, so LWS is just SP / HT.
import { TOKEN } from './chars';
import type { Param } from './scanner';

export function skipWsAt(b: Uint8Array, i: number, end: number): number {
  while (i < end && (b[i] === 0x20 || b[i] === 0x09)) i++;
  return i;
}

/** The end of the run of chars in `cls` starting at i. */
export function runEndAt(cls: Uint8Array, b: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = b[i]!;
    if (c >= 128 || cls[c] === 0) break;
    i++;
  }
  return i;
}

export function tokenEndAt(b: Uint8Array, i: number, end: number): number {
  return runEndAt(TOKEN, b, i, end);
}

/**
 * quoted-string = DQUOTE *(qdtext / quoted-pair) DQUOTE at b[i] (on the opening quote): the index after
 * the closing quote, or -1 when unterminated or holding a bare CR, LF or control char.
 */
export function quotedEndAt(b: Uint8Array, i: number, end: number): number {
  for (i++; i < end;) {
    const c = b[i]!;
    if (c === 0x22) return i + 1;
    if (c === 0x5c) {
      // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
      if (i + 1 >= end) return -1;
      const q = b[i + 1]!;
      if (q === 0x0a || q === 0x0d || q > 0x7f) return -1;
      i += 2;
      continue;
    }
    if (c === 0x0a || c === 0x0d || (c < 0x20 && c !== 0x09) || c === 0x7f) return -1;
    i++;
  }
  return -1;
}

/**
 * *(SEMI generic-param) at i into `out`; generic-param = token [EQUAL gen-value], gen-value = token /
 * host / quoted-string, `valueChars` the class of an unquoted value. Returns the index after the last
 * parameter (before a COMMA or other text), or -1 on a syntax error.
 */
export function paramsAt(
  s: string,
  b: Uint8Array,
  i: number,
  end: number,
  valueChars: Uint8Array,
  out: Param[],
): number {
  for (;;) {
    // SEMI = SWS ";" SWS; without one the list ends where the last parameter did.
    const semi = skipWsAt(b, i, end);
    if (semi >= end || b[semi] !== 0x3b) return i;
    const ns = skipWsAt(b, semi + 1, end);
    const ne = tokenEndAt(b, ns, end);
    if (ne === ns) return -1;
    i = ne;
    let value: string | null = null;
    const eq = skipWsAt(b, ne, end);
    if (eq < end && b[eq] === 0x3d) {
      const vs = skipWsAt(b, eq + 1, end);
      i = vs < end && b[vs] === 0x22 ? quotedEndAt(b, vs, end) : runEndAt(valueChars, b, vs, end);
      if (i <= vs) return -1;
      value = s.slice(vs, i);
    }
    out.push({ name: s.slice(ns, ne), value });
  }
}
