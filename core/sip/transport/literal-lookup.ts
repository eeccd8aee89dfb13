// How the UDP listener's socket resolves a destination. Node's dgram passes every send through
// dns.lookup, which answers an IP address literal (every destination the SIP layers hand it: Via
// received addresses, bindings, resolved next hops) only on the next tick, by a queued callback and a
// closure per datagram. This answers a literal at once, so the datagram goes to the kernel inside the
// send call; a host name still goes to dns.lookup.
import { lookup as dnsLookup, type LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/** dgram's `lookup` option (dgram passes the socket's family, 4 or 6, as `options`). */
export function literalLookup(
  hostname: string,
  options: LookupOneOptions | number,
  callback: LookupCallback,
): void {
  const family = isIP(hostname);
  if (family !== 0) callback(null, hostname, family);
  else dnsLookup(hostname, options as LookupOneOptions, callback);
}
