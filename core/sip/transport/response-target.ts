// Where a response goes (RFC 3261 §18.2.2, RFC 3581 §4): over the connection the request came on for
// reliable transports; to maddr if present; else to "received" (or the sent-by host) at the rport value
// when the client asked for rport, otherwise at the sent-by port (default 5060).
import type { Via } from '../message/index';
import type { Peer } from './peer';

export function responseTarget(via: Via, source: Peer | undefined): Peer {
  const transport = via.transport === 'TCP' || via.transport === 'TLS' ? 'TCP' : 'UDP';
  if (source !== undefined && transport === 'TCP' && source.transport === 'TCP') return source;
  const unbracket = (h: string): string => (h.charCodeAt(0) === 0x5b ? h.slice(1, -1) : h);
  if (via.maddr !== undefined) return { transport, address: unbracket(via.maddr), port: via.port ?? 5060 };
  const address = unbracket(via.received ?? via.host);
  if (typeof via.rport === 'number') return { transport, address, port: via.rport };
  if (via.rport === null && source !== undefined)
    return { transport, address: source.address, port: source.port };
  return { transport, address, port: via.port ?? 5060 };
}
