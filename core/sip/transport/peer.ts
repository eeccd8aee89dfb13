// Where a message came from or goes to.
import { hostAddress } from '../message/uri';
import { addressPort } from '../../address-port';

export type TransportName = 'UDP' | 'TCP' | 'TLS' | 'WS' | 'WSS';

export const TRANSPORT_NAMES: readonly TransportName[] = ['UDP', 'TCP', 'TLS', 'WS', 'WSS'];

export interface Peer {
  readonly transport: TransportName;
  /** IP address (IPv6 without brackets). */
  readonly address: string;
  readonly port: number;
  /**
   * A response's second way (RFC 3261 §18.2.2, TCP and TLS): when the connection the request came on
   * has closed, a new one to the Via's received address (or sent-by host) at its sent-by port.
   */
  readonly reconnect?: { readonly address: string; readonly port: number };
  /**
   * The host name the address was resolved from (RFC 3263; next-hop.ts), none for an address given as
   * such: a TLS connection opened to it names it in its SNI (RFC 6066 §3, RFC 5922 §4), and an
   * unreachable next hop is reported by it.
   */
  readonly name?: string;
}

export function isReliable(t: TransportName): boolean {
  return t !== 'UDP';
}

/** A transport name as a Via or a transport= parameter writes it (any case); undefined when unknown. */
export function transportNamed(text: string): TransportName | undefined {
  const t = text.toUpperCase();
  return (TRANSPORT_NAMES as readonly string[]).includes(t) ? (t as TransportName) : undefined;
}

/** An IPv4 address a dual-stack socket reports as ::ffff:a.b.c.d, back to a.b.c.d. */
export function unmapped(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** "UDP 192.0.2.1:5060" / "TCP [2001:db8::1]:5060" for logs and keys. */
export function peerText(p: Peer): string {
  return `${p.transport} ${addressPort(p.address, p.port)}`;
}

/**
 * A next hop as the answers and log lines that report it say it: "TLS pcscf.lab.test:5061 (192.0.2.7)"
 * for one resolved from a name (RFC 3263), with the addresses of it tried when more than one, else as
 * peerText.
 */
export function hopText(p: Peer, addresses: readonly string[] = [p.address]): string {
  if (p.name === undefined) return peerText(p);
  return `${p.transport} ${p.name}:${p.port} (${addresses.join(', ')})`;
}

/** The same end: transport, port and address (brackets and case aside). */
export function samePeer(a: Peer, b: Peer): boolean {
  return (
    a.port === b.port && a.transport === b.transport && hostAddress(a.address) === hostAddress(b.address)
  );
}
