// Where a response goes (RFC 3261 §18.2.2, RFC 3581 §4, RFC 7118 §5): over the connection the request
// came on for reliable transports (TCP, TLS, WebSocket; for TCP and TLS a new connection to the Via's
// received address and sent-by port once that one has closed); to maddr if present; else to "received" (or
// the sent-by host) at the rport value when the client asked for rport, otherwise at the sent-by port
// (default 5060, 5061 for TLS). When that is where the request came from (the usual case once the
// transport has stamped received and rport), the source Peer itself is the target: server transactions
// keep their target for 32 s (Timers J and L), and a copy each was ~100,000 Peers under load.
import { withoutZone, type Via } from '../message/index';
import { transportNamed, type Peer } from './peer';

const unbracket = (h: string): string => (h.charCodeAt(0) === 0x5b ? h.slice(1, -1) : h);

export function responseTarget(via: Via, source: Peer | undefined): Peer {
  if (source !== undefined && source.transport !== 'UDP') {
    if (source.transport !== 'TCP' && source.transport !== 'TLS') return source; // WS: no way back
    // §18.2.2: the connection it came on, else a new one to received (or sent-by) at the sent-by port.
    const port = via.port ?? (source.transport === 'TLS' ? 5061 : 5060);
    return { ...source, reconnect: { address: unbracket(via.received ?? via.host), port } };
  }
  const transport = transportNamed(via.transport) ?? 'UDP';
  const defaultPort = transport === 'TLS' ? 5061 : 5060;
  if (via.maddr !== undefined)
    return { transport, address: unbracket(via.maddr), port: via.port ?? defaultPort };
  const address = unbracket(via.received ?? via.host);
  if (via.rport === null && source !== undefined)
    return source.transport === transport
      ? source
      : { transport, address: source.address, port: source.port };
  const port = typeof via.rport === 'number' ? via.rport : (via.port ?? defaultPort);
  // received carries no IPv6 zone: the source's (fe80::1%eth0) is where a link-local peer is reached.
  return source !== undefined &&
    source.port === port &&
    source.transport === transport &&
    (source.address === address || withoutZone(source.address) === address)
    ? source
    : { transport, address, port };
}
