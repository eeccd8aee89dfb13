// Where a message came from or goes to.
export type TransportName = 'UDP' | 'TCP';

export interface Peer {
  readonly transport: TransportName;
  /** IP address (IPv6 without brackets). */
  readonly address: string;
  readonly port: number;
}

export function isReliable(t: TransportName): boolean {
  return t !== 'UDP';
}

/** "UDP 192.0.2.1:5060" / "TCP [2001:db8::1]:5060" for logs and keys. */
export function peerText(p: Peer): string {
  return `${p.transport} ${p.address.includes(':') ? `[${p.address}]` : p.address}:${p.port}`;
}
