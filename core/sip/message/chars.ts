// Character classes of the RFC 3261 §25.1 grammar as 128-entry lookup tables over char codes.
// Codes >= 128 are never in these ASCII classes; UTF8-NONASCII is handled where the grammar allows it.

function table(chars: string, ranges: [number, number][] = []): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  for (const [a, b] of ranges) for (let c = a; c <= b; c++) t[c] = 1;
  return t;
}

const ALNUM: [number, number][] = [
  [0x30, 0x39],
  [0x41, 0x5a],
  [0x61, 0x7a],
];

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
export const TOKEN = table("-.!%*_+`'~", ALNUM);
/** word = 1*(token chars / "(" / ")" / "<" / ">" / ":" / "\" / DQUOTE / "/" / "[" / "]" / "?" / "{" / "}") */
export const WORD = table('-.!%*_+`\'~()<>:\\"/[]?{}', ALNUM);
/** unreserved = alphanum / mark; mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")" */
export const UNRESERVED = table("-_.!~*'()", ALNUM);
/** user = 1*(unreserved / escaped / user-unreserved); user-unreserved = "&" / "=" / "+" / "$" / "," / ";" / "?" / "/" */
export const USER = table("-_.!~*'()&=+$,;?/", ALNUM);
/** password = *(unreserved / escaped / "&" / "=" / "+" / "$" / ",") */
export const PASSWORD = table("-_.!~*'()&=+$,", ALNUM);
/** paramchar = param-unreserved / unreserved / escaped; param-unreserved = "[" / "]" / "/" / ":" / "&" / "+" / "$" */
export const PARAMCHAR = table("-_.!~*'()[]/:&+$", ALNUM);
/** hname / hvalue chars: hnv-unreserved / unreserved / escaped; hnv-unreserved = "[" / "]" / "/" / "?" / ":" / "+" / "$" */
export const HNVCHAR = table("-_.!~*'()[]/?:+$", ALNUM);
/** hostname characters (alphanum, "-", "."), plus "_" which real deployments use and we tolerate. */
export const HOSTCHAR = table('-._', ALNUM);
/** RFC 3966 / RFC 3261 telephone-subscriber characters, loosely: digits, visual separators, "+", "*", "#", hex. */
export const TELCHAR = table('+-.()*#0123456789ABCDEFabcdefpPwW');
/** scheme = ALPHA *(ALPHA / DIGIT / "+" / "-" / ".") */
export const SCHEME = table('+-.', ALNUM);
/** uric for absoluteURI of unknown schemes (RFC 2396): reserved / unreserved / escaped. */
export const URIC = table("-_.!~*'();/?:@&=+$,[]", ALNUM);

/** gen-value without quotes = token / host: token chars plus "[", "]" and ":" for IPv6 (RFC 5118 §4.9). */
export const GENVALUE = table("-.!%*_+`'~[]:", ALNUM);

export const DIGIT = table('0123456789');
export const HEX = table('0123456789abcdefABCDEF');

export function isWs(c: number): boolean {
  return c === 0x20 || c === 0x09;
}

export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** Is s non-empty and made only of chars in the class (all codes < 128)? */
export function allIn(cls: Uint8Array, s: string, from = 0, to = s.length): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || cls[c] === 0) return false;
  }
  return true;
}

/** Same as allIn, but "%" HEX HEX escapes are also allowed (the "escaped" production of §25.1). */
export function allInEscaped(cls: Uint8Array, s: string, from = 0, to = s.length): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25) {
      if (i + 2 >= to) return false;
      if (hexValue(s.charCodeAt(i + 1)) < 0 || hexValue(s.charCodeAt(i + 2)) < 0) return false;
      i += 2;
      continue;
    }
    if (c >= 128 || cls[c] === 0) return false;
  }
  return true;
}

/**
 * The chars of a string as bytes, for decoders that read bytes: latin1 text (a message's, one char per
 * byte) maps exactly; a char above U+00FF, which no SIP grammar class holds, becomes 0xFF, which none
 * holds either (Buffer's latin1 encoding would keep its low byte, perhaps a valid char).
 */
export function latin1Bytes(s: string): Uint8Array {
  const b = Buffer.from(s, 'latin1');
  if (WIDE.test(s)) for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0xff) b[i] = 0xff;
  return b;
}
const WIDE = /[\u0100-\uffff]/;
