// A TCP or TLS connection kept open past its idle time because a binding was registered over it (tcp.ts
// keepIdle) is let go when that binding ends: expired, removed (unregistered, by the operator, its user
// deleted), or refreshed from another connection (a phone that reconnected, a NAT that rebound).
import type { Peer } from '../transport/peer';
import type { Binding, RegistrationEvent } from './binding';

export interface ConnectionReleaser {
  connectionReleased(peer: Peer): void;
}

function peerOf(b: Binding): Peer | undefined {
  if (b.transport !== 'TCP' && b.transport !== 'TLS') return undefined;
  return { transport: b.transport, address: b.sourceAddress, port: b.sourcePort };
}

export function releaseConnections(transport: ConnectionReleaser, e: RegistrationEvent): void {
  let gone: Binding | undefined;
  if (e.type === 'expired' || e.type === 'removed') gone = e.binding;
  else if (e.type === 'refreshed' && e.previous !== undefined) {
    const was = e.previous;
    const now = e.binding;
    const moved =
      was.transport !== now.transport ||
      was.sourceAddress !== now.sourceAddress ||
      was.sourcePort !== now.sourcePort;
    if (moved) gone = was;
  }
  const peer = gone === undefined ? undefined : peerOf(gone);
  if (peer !== undefined) transport.connectionReleased(peer);
}
