// Who a failed TLS handshake came from. A handshake that ends by a reset (a scanner, a client that does
// not like our certificate) leaves the TLS socket without a peer address by the time the server reports
// it ("TLS handshake failed from : ECONNRESET"); its raw TCP connection keeps the address once read, so
// it is read when the connection comes in.
import type { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Reads (and so keeps) each raw connection's peer address as it arrives. */
export function keepPeerAddresses(server: EventEmitter): void {
  server.on('connection', (raw: Socket) => void raw.remoteAddress);
}

/** The address a TLS socket whose handshake failed came from, else one its raw connection kept. */
export function failedPeerAddress(socket: Duplex): string {
  // Node's TLS server wraps the raw connection as the TLS socket's _parent.
  const tls = socket as Socket & { _parent?: Socket | null };
  return tls.remoteAddress ?? tls._parent?.remoteAddress ?? 'an address already gone';
}
