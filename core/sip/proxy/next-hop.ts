// Where a request goes next (RFC 3261 §16.6 step 7, RFC 3263 simplified for a lab): the host and port of
// the first Route value, or else of the Request-URI; the transport its transport= parameter names (tcp,
// tls, ws, wss; RFC 7118 §5), TLS for a sips: URI (§26.2.2); maddr wins over the host (§19.1.1); the
// port defaults to 5060, 5061 for TLS. Names are resolved with the system resolver, A/AAAA only (no
// NAPTR/SRV in a lab appliance), to an address of a family IMS Lab's listener sends on (host-addresses.ts).
import { hostAddress, isIpHost, uriParam, type SipRequest, type SipUri } from '../message/index';
import { NoUsableAddress, usableAddress, type HostLookup, type IpFamily } from '../transport/host-addresses';
import { transportNamed, type Peer, type TransportName } from '../transport/peer';

export function uriTransport(uri: SipUri): TransportName {
  const t = uriParam(uri, 'transport');
  const named = typeof t === 'string' ? transportNamed(t) : undefined;
  if (uri.scheme === 'sips' && (named === undefined || named === 'UDP' || named === 'TCP')) return 'TLS';
  return named ?? 'UDP';
}

function defaultPort(t: TransportName): number {
  return t === 'TLS' ? 5061 : t === 'WS' ? 80 : t === 'WSS' ? 443 : 5060;
}

/** The peer for an URI whose host is an IP literal; undefined when it must be resolved first. */
export function literalHop(uri: SipUri): Peer | undefined {
  const maddr = uriParam(uri, 'maddr');
  const host = typeof maddr === 'string' ? maddr : uri.host;
  if (!isIpHost(host)) return undefined;
  const transport = uriTransport(uri);
  return { transport, address: hostAddress(host), port: uri.port ?? defaultPort(transport) };
}

/** The peer of a request's first Route when it names an IP literal (a request we send in a dialog). */
export function firstRouteHop(req: SipRequest): Peer | undefined {
  const uri = req.routes[0]?.uri;
  return uri !== undefined && uri.kind === 'sip' ? literalHop(uri) : undefined;
}

/**
 * How next hops named by a host are resolved: the lookup, and the families IMS Lab's SIP listener sends
 * on, preferred first (host-addresses.ts sendFamilies).
 */
export interface HopResolver {
  lookup: HostLookup;
  readonly families: readonly IpFamily[];
}

/** The peer for any URI; rejects when a name does not resolve. */
export async function resolveHop(uri: SipUri, resolver: HopResolver): Promise<Peer> {
  const literal = literalHop(uri);
  if (literal !== undefined) return literal;
  const maddr = uriParam(uri, 'maddr');
  const host = hostAddress(typeof maddr === 'string' ? maddr : uri.host);
  // RFC 3263 §4.3 (simplified): the first address of a family our listener can send on.
  const address = usableAddress(host, await resolver.lookup(host), resolver.families);
  const transport = uriTransport(uri);
  // The name goes with the address: TLS's SNI (RFC 6066 §3) and the log name the host asked for.
  return { transport, address, port: uri.port ?? defaultPort(transport), name: host };
}

/**
 * The reason of a 500 for a request that could not be routed: a next hop whose name does not resolve
 * (RFC 3263 §4.3: no target, as a transport error would be, 503 made 500 upstream, §16.7 step 6) says
 * which name, as the log does; it said "routing failed" to the caller.
 */
export function routingFault(err: unknown): string {
  const e = err as NodeJS.ErrnoException & { hostname?: string };
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN')
    return `Server Internal Error (${e.hostname ?? 'the next hop'} does not resolve: ${e.code})`;
  if (err instanceof NoUsableAddress) return `Server Internal Error (${err.message})`;
  return 'Server Internal Error (routing failed)';
}
