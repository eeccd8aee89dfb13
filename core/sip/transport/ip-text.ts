// One text per IP address (RFC 5952 §4: an IPv6 address has many spellings, "0:0:0:0:0:0:0:1", "0::1",
// "::1", upper or lower case): the form the kernel gives the stack (inet_ntop), so that an address an
// operator types or a certificate names compares with, and reads as, the one the trace and the logs hold.
import { isIPv4, isIPv6, SocketAddress } from 'node:net';

/**
 * `a` in RFC 5952 form: lower case, the longest run of zero groups as `::` (§4.2, §4.3), an IPv4-mapped
 * address as its IPv4 address (a dual-stack socket's `::ffff:a.b.c.d` is that IPv4 peer); a zone kept as
 * written. Text that is no IP address is returned as it is. Not for the per-message path (about 1 µs).
 */
export function canonicalIp(a: string): string {
  if (isIPv4(a) || !isIPv6(a)) return a;
  const zone = a.indexOf('%');
  const bare = zone < 0 ? a : a.slice(0, zone);
  const text = new SocketAddress({ address: bare, family: 'ipv6' }).address;
  if (text.startsWith('::ffff:') && isIPv4(text.slice(7))) return text.slice(7);
  return zone < 0 ? text : text + a.slice(zone);
}
