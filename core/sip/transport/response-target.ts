// Where a response goes (RFC 3261 §18.2.2, RFC 3581 §4, RFC 7118 §5): over the connection the request
// came on for reliable transports (TCP, TLS, WebSocket); to maddr if present; else to "received" (or
// the sent-by host) at the rport value when the client asked for rport, otherwise at the sent-by port
// (default 5060, 5061 for TLS).
import type { Via } from '../message/index';
import { transportNamed, type Peer } from './peer';

export function responseTarget(via: Via, source: Peer | undefined): Peer {
  if (source !== undefined && source.transport !== 'UDP') return source;
  const transport = transportNamed(via.transport) ?? 'UDP';
  const defaultPort = transport === 'TLS' ? 5061 : 5060;
  const unbracket = (h: string): string => (h.charCodeAt(0) === 0x5b ? h.slice(1, -1) : h);
  if (via.maddr !== undefined)
    return { transport, address: unbracket(via.maddr), port: via.port ?? defaultPort };
  const address = unbracket(via.received ?? via.host);
  if (typeof via.rport === 'number') return { transport, address, port: via.rport };
  if (via.rport === null && source !== undefined)
    return { transport, address: source.address, port: source.port };
  return { transport, address, port: via.port ?? defaultPort };
}
