// Where a request of the user agent goes next from a URI (RFC 3263 without DNS), by the proxy's rule
// (transport/uri-hop.ts): a literal address, maddr, the transport= parameter, TLS for sips: (RFC 3261
// §26.2.2). The UA has a UDP socket only (TCP is sent as UDP by its transport, "TCP is off here"): a hop
// over TLS, WS or WSS, or over a transport no one knows, cannot be reached from it (RFC 3263 §4.1: the
// URI's transport is the one to use). It was sent over UDP, silently.
import { parseUri } from '../message/index';
import type { Peer } from '../transport/peer';
import { literalHop, unknownTransport, uriTransport } from '../transport/uri-hop';

/** A next hop over a transport the dialer's user agent does not send on. */
export class UnreachableTransport extends Error {
  readonly code = 'EUNSUPPORTEDTRANSPORT';
  constructor(readonly transport: string) {
    super(`transport=${transport} is not supported by the auto dialer's user agent: it sends over UDP only`);
  }
}

/** The peer for a URI naming an IP literal; undefined for a name; throws UnreachableTransport. */
export function hopOf(uriText: string): Peer | undefined {
  const uri = parseUri(uriText);
  if (uri === null || uri.kind !== 'sip') return undefined;
  const unknown = unknownTransport(uri);
  if (unknown !== undefined) throw new UnreachableTransport(unknown);
  const transport = uriTransport(uri);
  if (transport !== 'UDP' && transport !== 'TCP') throw new UnreachableTransport(transport.toLowerCase());
  return literalHop(uri);
}
