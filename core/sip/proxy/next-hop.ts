// Where a request goes next (RFC 3261 §16.6 step 7, RFC 3263 simplified for a lab): the host and port of
// the first Route value, or else of the Request-URI; TCP when the URI says transport=tcp; maddr wins
// over the host (§19.1.1). Names are resolved with the system resolver (no NAPTR/SRV in a lab appliance).
import { lookup } from 'node:dns/promises';
import { hostAddress, isIpHost, uriParam, type SipUri } from '../message/index';
import type { Peer, TransportName } from '../transport/peer';

export function uriTransport(uri: SipUri): TransportName {
  const t = uriParam(uri, 'transport');
  return typeof t === 'string' && t.toLowerCase() === 'tcp' ? 'TCP' : 'UDP';
}

/** The peer for an URI whose host is an IP literal; undefined when it must be resolved first. */
export function literalHop(uri: SipUri): Peer | undefined {
  const maddr = uriParam(uri, 'maddr');
  const host = typeof maddr === 'string' ? maddr : uri.host;
  if (!isIpHost(host)) return undefined;
  return { transport: uriTransport(uri), address: hostAddress(host), port: uri.port ?? 5060 };
}

/** The peer for any URI; rejects when a name does not resolve. */
export async function resolveHop(uri: SipUri): Promise<Peer> {
  const literal = literalHop(uri);
  if (literal !== undefined) return literal;
  const maddr = uriParam(uri, 'maddr');
  const host = hostAddress(typeof maddr === 'string' ? maddr : uri.host);
  const { address } = await lookup(host);
  return { transport: uriTransport(uri), address, port: uri.port ?? 5060 };
}
