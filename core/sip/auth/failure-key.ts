// Whose failed authentications count together: an IPv4 address, or an IPv6 address's /64. One host, one
// home or one cloud instance holds a whole /64 (RFC 4291 §2.5.4, RFC 6177), so counting each IPv6 address
// by itself gave a guesser 2^64 fresh sources. The console's login (core/http/admin-auth.ts) and the SIP
// digest lock-out (lockout.ts) count alike.
import { isIPv6 } from 'node:net';

/** `192.0.2.7`, `::ffff:192.0.2.7` → `192.0.2.7`; `2001:db8:1:2:3:4:5:6` → `2001:db8:1:2::/64`. */
export function failureKey(address: string): string {
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  // An IPv4 address has no colon: spares the long IPv6 expression on every authenticated request.
  if (!a.includes(':') || !isIPv6(a)) return a;
  const groups = a.split('::');
  const head = groups[0] === '' ? [] : groups[0]!.split(':');
  const tail = groups.length > 1 && groups[1] !== '' ? groups[1]!.split(':') : [];
  const full = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return `${full
    .slice(0, 4)
    .map((g) => g.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
