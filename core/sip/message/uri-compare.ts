// SIP URI equivalence (RFC 3261 §19.1.4), as a registrar compares Contact URIs: same scheme; userinfo
// equal case-sensitively; host equal ignoring case; port equal (an explicit 5060 is NOT equal to no
// port); user, ttl, method, maddr and transport parameters equal when either URI has them; other
// parameters equal when both have them, names and values ignoring case; headers equal as sets, their
// names ignoring case (and compact forms, §7.3.3), their values as written. Throughout, a character
// outside the reserved set equals its %HH form (`%61` is `a`) and a reserved one does not (`%3B` is not
// `;`: it is a user's character, not a separator).
import { HEX, UNRESERVED, hexValue } from './chars';
import { canonicalName } from './header-names';
import type { SipUri } from './uri';

const SIGNIFICANT = ['user', 'ttl', 'method', 'maddr', 'transport'];

/**
 * `s` with each %HH of an unreserved character (alphanum / mark, §25.1) decoded and every other %HH
 * written in upper case: two spellings of a URI component that §19.1.4 calls equal become one string.
 * Every other escape stays one (%25 too: decoded, "%253B" would read as the escape "%3B").
 */
function canonicalEscapes(s: string): string {
  if (s.indexOf('%') < 0) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x25 && i + 2 < s.length && isHex(s, i + 1) && isHex(s, i + 2)) {
      const code = hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2));
      out +=
        code < 128 && UNRESERVED[code] === 1 ? String.fromCharCode(code) : s.slice(i, i + 3).toUpperCase();
      i += 2;
      continue;
    }
    out += s[i];
  }
  return out;
}

function isHex(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c < 128 && HEX[c] === 1;
}

function paramMap(u: SipUri): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const p of u.params)
    m.set(
      canonicalEscapes(p.name).toLowerCase(),
      p.value === null ? null : canonicalEscapes(p.value).toLowerCase(),
    );
  return m;
}

function headerSet(u: SipUri): string[] {
  if (u.headers === undefined) return [];
  return u.headers
    .split('&')
    .map((h) => {
      const eq = h.indexOf('=');
      const name = eq < 0 ? h : h.slice(0, eq);
      const value = eq < 0 ? '' : h.slice(eq + 1);
      return `${canonicalName(canonicalEscapes(name))}=${canonicalEscapes(value)}`;
    })
    .sort();
}

export function sipUriEquals(a: SipUri, b: SipUri): boolean {
  if (a.raw === b.raw) return true;
  if (a.scheme !== b.scheme) return false;
  if ((a.user === undefined) !== (b.user === undefined)) return false;
  if (a.user !== undefined && a.user !== b.user && canonicalEscapes(a.user) !== canonicalEscapes(b.user!))
    return false;
  const pwA = a.password ?? '';
  const pwB = b.password ?? '';
  if (pwA !== pwB && canonicalEscapes(pwA) !== canonicalEscapes(pwB)) return false;
  if (canonicalEscapes(a.host).toLowerCase() !== canonicalEscapes(b.host).toLowerCase()) return false;
  if (a.port !== b.port) return false;
  const pa = paramMap(a);
  const pb = paramMap(b);
  for (const name of SIGNIFICANT)
    if (pa.has(name) !== pb.has(name) || pa.get(name) !== pb.get(name)) return false;
  for (const [name, value] of pa) if (pb.has(name) && pb.get(name) !== value) return false;
  const ha = headerSet(a);
  const hb = headerSet(b);
  return ha.length === hb.length && ha.every((h, i) => h === hb[i]);
}
