// Whose failed authentications count together: an IPv4 address, or an IPv6 address's /64. One host, one
// home or one cloud instance holds a whole /64 (RFC 4291 §2.5.4, RFC 6177), so counting each IPv6 address
// by itself gave a guesser 2^64 fresh sources. The console's login (core/http/admin-auth.ts) and the SIP
// digest lock-out (lockout.ts) count alike.
import { isIP, isIPv6 } from 'node:net';

/**
 * The /64 whose top four groups are `top` (lower-case hex, no leading zeros) in RFC 5952 form (§4.2: the
 * zero groups ending it are the longest run, written `::`): `2001:db8::/64`, `::/64` (the /64 of ::1).
 * DSP LOCKOUT printed `0:0:0:0::/64`, which RMV LOCKOUT refused back.
 */
export function prefix64(top: readonly string[]): string {
  let n = top.length;
  while (n > 0 && top[n - 1] === '0') n--;
  return `${top.slice(0, n).join(':')}::/64`;
}

/**
 * What RMV LOCKOUT SOURCE= names, as failureKey keys it: an address, or an IPv6 /64 as DSP LOCKOUT lists it
 * (in any text of it: `::/64`, `0:0:0:0::/64`); undefined for neither.
 */
export function sourceKey(text: string): string | undefined {
  if (isIP(text) !== 0) return failureKey(text);
  return text.endsWith('/64') && isIPv6(text.slice(0, -3)) ? failureKey(text.slice(0, -3)) : undefined;
}

/** `192.0.2.7`, `::ffff:192.0.2.7` → `192.0.2.7`; `2001:db8:1:2:3:4:5:6` → `2001:db8:1:2::/64`. */
export function failureKey(address: string): string {
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  // An IPv4 address has no colon: spares the long IPv6 expression on every authenticated request.
  if (!a.includes(':') || !isIPv6(a)) return a;
  const groups = a.split('::');
  const head = groups[0] === '' ? [] : groups[0]!.split(':');
  const tail = groups.length > 1 && groups[1] !== '' ? groups[1]!.split(':') : [];
  const full = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return prefix64(full.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')));
}
