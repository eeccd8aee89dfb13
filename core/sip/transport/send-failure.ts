// Who hears that a message could not be sent (no route, a refused address, a connection that could not
// be opened): a transaction (RFC 3261 §17.1.4, §17.2.4). An object rather than a callback, so that a
// transaction is its own listener and keeps no closure for it.

export interface SendFailureSink {
  /** `err`: what the socket said, when it said something (a datagram the kernel refused). */
  transportError(err?: Error): void;
}
