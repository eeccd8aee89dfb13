// The transport, address and port a SIP URI names (RFC 3263 without DNS), for the proxy's next hop
// (proxy/next-hop.ts) and the user agent's (ua/hop.ts): the transport its transport= parameter names
// (tcp, tls, ws, wss; RFC 7118 §5), TLS for a sips: URI (RFC 3261 §26.2.2); maddr wins over the host
// (§19.1.1); the port defaults to 5060, 5061 for TLS.
import { hostAddress, isIpHost, uriParam, type SipUri } from '../message/index';
import type { Peer, TransportName } from './peer';
import { transportNamed } from './peer';

export function uriTransport(uri: SipUri): TransportName {
  const t = uriParam(uri, 'transport');
  const named = typeof t === 'string' ? transportNamed(t) : undefined;
  if (uri.scheme === 'sips' && (named === undefined || named === 'UDP' || named === 'TCP')) return 'TLS';
  return named ?? 'UDP';
}

export function defaultPort(t: TransportName): number {
  return t === 'TLS' ? 5061 : t === 'WS' ? 80 : t === 'WSS' ? 443 : 5060;
}

/** The transport= token of a URI that names none of ours (sctp, a made-up one), or undefined. */
export function unknownTransport(uri: SipUri): string | undefined {
  const named = uriParam(uri, 'transport');
  return typeof named === 'string' && transportNamed(named) === undefined ? named : undefined;
}

/** The host (maddr winning, as written), transport and port a URI names as its next hop. */
export function uriTarget(uri: SipUri): { host: string; transport: TransportName; port: number } {
  const maddr = uriParam(uri, 'maddr');
  const transport = uriTransport(uri);
  return {
    host: typeof maddr === 'string' ? maddr : uri.host,
    transport,
    port: uri.port ?? defaultPort(transport),
  };
}

/** The peer for an URI whose host is an IP literal; undefined when it must be resolved first. */
export function literalHop(uri: SipUri): Peer | undefined {
  const { host, transport, port } = uriTarget(uri);
  return isIpHost(host) ? { transport, address: hostAddress(host), port } : undefined;
}
