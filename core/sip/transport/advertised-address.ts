// The address IMS Lab puts in its Via and Record-Route when SERVER_IP is not set (the original's
// detection, kept): the bind address if it is a specific one; otherwise the address of the interface
// that routes outward, found by connecting a UDP socket (which sends nothing); otherwise the first
// non-internal IPv4 address; otherwise loopback. Listening on both families (SIP_HOST=::), the other
// family's address is found the same way (alternateAddress): IPv6 peers are given an IPv6 Via and
// Record-Route, IPv4 peers an IPv4 one (RFC 5658 §4: a Record-Route per side when they differ).
import { createSocket, type SocketType } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { networkInterfaces } from 'node:os';

/** The first address of that family others can reach (not loopback, not IPv6 link-local). */
function firstExternal(family: 'IPv4' | 'IPv6'): string | undefined {
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? [])
      if (a.family === family && !a.internal && !/^fe[89ab]/i.test(a.address)) return a.address;
  }
  return undefined;
}

/** The local address of the interface that routes to `to` (a connected UDP socket sends nothing). */
function routedFrom(type: SocketType, to: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = createSocket(type);
    s.on('error', () => {
      s.close();
      resolve(undefined);
    });
    s.connect(80, to, () => {
      const address = s.address().address;
      s.close();
      resolve(address === '0.0.0.0' || address === '::' ? undefined : address);
    });
  });
}

export async function advertisedAddress(configured: string, bindHost: string): Promise<string> {
  if (configured !== '') return configured;
  if (bindHost !== '0.0.0.0' && bindHost !== '::' && bindHost !== '') return bindHost;
  const routed = await routedFrom('udp4', '8.8.8.8');
  return routed ?? firstExternal('IPv4') ?? '127.0.0.1';
}

/**
 * Listening on both families (bound to ::): the address for peers of the other family than `primary`'s,
 * `configured6` (SIP.SERVER_IP6) for IPv6 when set; otherwise detected, loopback at worst (with no
 * interface of that family, its only peers are on this host). Bound to anything else: none.
 */
export async function alternateAddress(
  primary: string,
  configured6: string,
  bindHost: string,
): Promise<string | undefined> {
  if (bindHost !== '::') return undefined;
  if (!isIPv6(primary))
    return (
      configured6 || ((await routedFrom('udp6', '2001:4860:4860::8888')) ?? firstExternal('IPv6') ?? '::1')
    );
  return advertisedAddress('', '0.0.0.0');
}
