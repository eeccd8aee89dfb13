// A host name's addresses, and the one IMS Lab can send to. getaddrinfo answers a name with an A and an
// AAAA record (or `localhost` on a stock Debian /etc/hosts, `::1 localhost`) IPv6 first (RFC 6724), and
// dns.lookup without `all` gave that first one: a next hop or HEP collector named so was sent to ::1 from
// an IPv4-only listener, which cannot reach it ("next hop unreachable"; HEP packets lost). The addresses
// of the families IMS Lab can send on are taken instead, in its order of preference (RFC 3263 §4.3: the
// next address where one cannot be used), and a name that has none of them is refused naming its
// addresses.
import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { isIPv6 } from 'node:net';

/** How a host name becomes its addresses (the system resolver's, or a test's); rejects when it has none. */
export type HostLookup = (host: string) => Promise<readonly LookupAddress[]>;

/** The system resolver (getaddrinfo, as dns.lookup asks it): every address of the name. */
export const systemLookup: HostLookup = (host) => lookup(host, { all: true });

/** An IP family: 4 or 6. */
export type IpFamily = 4 | 6;

/**
 * The families a listener bound to `bindHost` sends on, preferred first: an IPv4 address (0.0.0.0 too)
 * IPv4 only; `::` both (dual stack), IPv4 first as a name's A record is what a lab peer listens on most
 * (Kamailio asks for A only by default); another IPv6 address IPv6 only.
 */
export function sendFamilies(bindHost: string): readonly IpFamily[] {
  if (!isIPv6(bindHost)) return [4];
  return bindHost === '::' ? [4, 6] : [6];
}

/** A name that has addresses, none of a family IMS Lab can send on. */
export class NoUsableAddress extends Error {
  readonly code = 'ENOUSABLE';
  constructor(
    readonly hostname: string,
    readonly addresses: readonly string[],
    readonly families: readonly IpFamily[],
  ) {
    super(
      addresses.length === 0
        ? `${hostname} has no address`
        : `${hostname} resolves to ${addresses.join(', ')}, no IPv${families.join(' or IPv')} address: IMS Lab listens on IPv${families.join(' and IPv')} only`,
    );
  }
}

/** The first address of the most preferred family among `families`; throws NoUsableAddress without one. */
export function usableAddress(
  host: string,
  found: readonly LookupAddress[],
  families: readonly IpFamily[],
): string {
  return usableAddresses(host, found, families)[0]!;
}

/**
 * Every address of `families` among those found, the most preferred family first and each family in the
 * resolver's order, once each (RFC 3263 §4.3: the next is tried when one fails); throws NoUsableAddress
 * when there is none.
 */
export function usableAddresses(
  host: string,
  found: readonly LookupAddress[],
  families: readonly IpFamily[],
): string[] {
  const out = new Set<string>();
  for (const family of families) for (const a of found) if (a.family === family) out.add(a.address);
  if (out.size > 0) return [...out];
  throw new NoUsableAddress(
    host,
    found.map((a) => a.address),
    families,
  );
}
