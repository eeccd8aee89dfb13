// Where a request of the user agent goes next from a URI (RFC 3263 without DNS), by the proxy's rule
// (transport/uri-hop.ts): a literal address, maddr, the transport= parameter, TLS for sips: (RFC 3261
// §26.2.2). The UA has a UDP socket only. A hop it cannot reach over UDP but IMS Lab can is left to IMS
// Lab, its outbound proxy (RFC 3261 §8.1.2, which §12.2.1.1 sends in-dialog requests by: local policy
// MAY specify an alternate set of destinations): a host name, and a TCP hop. IMS Lab's own Record-Route
// towards the dialer names UDP (RFC 5658: a second entry faces a TCP callee), so a TCP hop comes only
// from a callee whose 2xx left that Record-Route out (against §12.1.1): its ACK and BYE went as UDP
// datagrams to the callee's TCP port, silently lost; IMS Lab relays them over TCP (its call tracker knows
// the dialog). A hop over TLS, WS or WSS, or over a transport no one knows, is refused (RFC 3263 §4.1:
// the URI's transport is the one to use; §8.1.2: a sips: request's other destinations need TLS too).
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

/** The peer for a URI naming an IP literal over UDP; undefined for IMS Lab to reach (a name, TCP); throws UnreachableTransport. */
export function hopOf(uriText: string): Peer | undefined {
  const uri = parseUri(uriText);
  if (uri === null || uri.kind !== 'sip') return undefined;
  const unknown = unknownTransport(uri);
  if (unknown !== undefined) throw new UnreachableTransport(unknown);
  const transport = uriTransport(uri);
  if (transport !== 'UDP' && transport !== 'TCP') throw new UnreachableTransport(transport.toLowerCase());
  return transport === 'TCP' ? undefined : literalHop(uri);
}

/**
 * The result's reason for a 2xx whose Contact names the user agent's own socket: the remote target is
 * the peer's (RFC 3261 §12.1.2), so nothing is sent there (before, ACK and BYE went to ourselves and we
 * answered our own BYE 481).
 */
export const ownContact = (contact: string): string =>
  `the 2xx's Contact ${contact} is the dialer's own address: no ACK or BYE sent to it`;

/** Does the URI lead to our own UDP socket (`advertised` or `host`, at `port`)? */
export function isOwnTarget(
  uriText: string,
  own: { host: string; advertised: string; port: number },
): boolean {
  let peer: Peer | undefined;
  try {
    peer = hopOf(uriText);
  } catch {
    return false;
  }
  return (
    peer !== undefined &&
    peer.port === own.port &&
    (peer.address === own.advertised || peer.address === own.host)
  );
}
