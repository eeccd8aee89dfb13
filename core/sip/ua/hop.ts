// Where a request goes next from a URI (RFC 3263 without DNS: a literal address, maddr, port 5060 by
// default, the transport parameter); the user agent's counterpart of the proxy's next-hop rule.
import { hostAddress, isIpHost, parseUri, uriParam } from '../message/index';
import type { Peer } from '../transport/peer';

export function hopOf(uriText: string): Peer | undefined {
  const uri = parseUri(uriText);
  if (uri === null || uri.kind !== 'sip') return undefined;
  const maddr = uriParam(uri, 'maddr');
  const host = typeof maddr === 'string' ? maddr : uri.host;
  if (!isIpHost(host)) return undefined;
  const t = uriParam(uri, 'transport');
  const transport = typeof t === 'string' && t.toLowerCase() === 'tcp' ? 'TCP' : 'UDP';
  return { transport, address: hostAddress(host), port: uri.port ?? 5060 };
}
