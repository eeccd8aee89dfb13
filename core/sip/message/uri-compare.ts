// SIP URI equivalence (RFC 3261 §19.1.4), as a registrar compares Contact URIs: same scheme; userinfo
// equal after unescaping (case-sensitive); host equal ignoring case; port equal (an explicit 5060 is NOT
// equal to no port); user, ttl, method, maddr and transport parameters equal when either URI has them;
// other parameters equal when both have them; headers equal as sets.
import { unescape, type SipUri } from './uri';

const SIGNIFICANT = ['user', 'ttl', 'method', 'maddr', 'transport'];

function paramMap(u: SipUri): Map<string, string | null> {
  const m = new Map<string, string | null>();
  for (const p of u.params)
    m.set(unescape(p.name).toLowerCase(), p.value === null ? null : unescape(p.value).toLowerCase());
  return m;
}

function headerSet(u: SipUri): string[] {
  return u.headers === undefined
    ? []
    : u.headers
        .split('&')
        .map((h) => unescape(h))
        .sort();
}

export function sipUriEquals(a: SipUri, b: SipUri): boolean {
  if (a.raw === b.raw) return true;
  if (a.scheme !== b.scheme) return false;
  if ((a.user === undefined) !== (b.user === undefined)) return false;
  if (a.user !== undefined && unescape(a.user) !== unescape(b.user!)) return false;
  if ((a.password ?? '') !== (b.password ?? '') && unescape(a.password ?? '') !== unescape(b.password ?? ''))
    return false;
  if (unescape(a.host).toLowerCase() !== unescape(b.host).toLowerCase()) return false;
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
