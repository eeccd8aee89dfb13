// Where a request goes next (RFC 3261 §16.6 step 7, RFC 3263 simplified for a lab): the host and port of
// the first Route value, or else of the Request-URI; the transport its transport= parameter names (tcp,
// tls, ws, wss; RFC 7118 §5; another one cannot be reached, UnsupportedTransport), TLS for a sips: URI
// (§26.2.2); maddr wins over the host (§19.1.1); the port defaults to 5060, 5061 for TLS. Names are
// resolved with the system resolver, A/AAAA only (no NAPTR/SRV in a lab appliance), to an address of a
// family IMS Lab's listener sends on (host-addresses.ts).
import { hostAddress, isIpHost, type SipRequest, type SipUri } from '../message/index';
import { usableAddresses, type HostLookup, type IpFamily } from '../transport/host-addresses';
import { TRANSPORT_NAMES, type Peer } from '../transport/peer';
import { literalHop, unknownTransport, uriTarget, uriTransport } from '../transport/uri-hop';

export { literalHop, uriTransport };

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

/**
 * A next hop whose URI names a transport IMS Lab does not send on (transport=sctp, or a made-up token):
 * RFC 3263 §4.1, the URI's transport is the one to use, so the target cannot be reached. It went over
 * UDP instead, silently (Kamailio 5.6 does the same for a token it does not know).
 */
export class UnsupportedTransport extends Error {
  readonly code = 'EUNSUPPORTEDTRANSPORT';
  constructor(readonly transport: string) {
    super(`transport=${transport} is not supported: IMS Lab sends over ${TRANSPORT_NAMES.join(', ')}`);
  }
}

/** The peer for any URI; rejects when a name does not resolve or its transport is not one of ours. */
export async function resolveHop(uri: SipUri, resolver: HopResolver): Promise<Peer> {
  return (await resolveHops(uri, resolver))[0]!;
}

/**
 * The peers for any URI: one for an address, one per usable address of a name (RFC 3263 §4.3: should
 * the first fail, the next is tried; response-context.ts), in the resolver's order, the families our
 * listener prefers first. Rejects as resolveHop does.
 */
export async function resolveHops(uri: SipUri, resolver: HopResolver): Promise<Peer[]> {
  const named = unknownTransport(uri);
  if (named !== undefined) throw new UnsupportedTransport(named);
  const { host: written, transport, port } = uriTarget(uri);
  if (isIpHost(written)) return [{ transport, address: hostAddress(written), port }];
  const host = hostAddress(written);
  const addresses = usableAddresses(host, await resolver.lookup(host), resolver.families);
  // The name goes with the address: TLS's SNI (RFC 6066 §3) and the log name the host asked for.
  return addresses.map((address) => ({ transport, address, port, name: host }));
}
